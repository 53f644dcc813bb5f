"""The field scenario through the generated Python bindings, against a real
zhifa-server (ZHIFA_TEST_SERVER, started by bindings/scripts/with-server.sh):
log in, create an inspection, fill the record, attach a photo, capture a party
signature, seal, sync, and read the case back on a second device store."""

import asyncio
import datetime
import json
import os
import threading

import pytest

import zhifa_ffi as z

# Set by bindings/scripts/with-server.sh; a missing server is an error, not a skip.
SERVER = os.environ["ZHIFA_TEST_SERVER"]
PHOTO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "photo.jpg")
PASSWORD = "demo1234"
# Debian's fonts-noto-cjk (installed by .ci/test).
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def run(coro):
    return asyncio.run(coro)


def pad(seed):
    """A two-stroke signature as a signature pad would capture it."""
    strokes = []
    for s in range(2):
        strokes.append([
            z.PadPoint(x=20.0 + i * 6 + seed, y=60.0 + s * 40 + (i % 5) * 4,
                       t=s * 900 + i * 16, pressure=0.4 + (i % 3) * 0.2)
            for i in range(30)
        ])
    return z.SignaturePad(width=480, height=200, strokes=strokes)


def device(tmp_path, user):
    app = z.ZhifaApp.open(str(tmp_path / user))
    me = run(app.login(SERVER, user, PASSWORD, f"测试设备 ({user})"))
    assert me.username == user
    assert z.Role.OFFICER in me.role_codes and "执法人员" in me.roles
    return app, me


def val(v):
    """A Python value as the FieldValue of its type."""
    if isinstance(v, bool):
        return z.FieldValue.FLAG(value=v)
    if isinstance(v, int):
        return z.FieldValue.INTEGER(value=v)
    if isinstance(v, list):
        return z.FieldValue.CHOICES(values=v)
    return z.FieldValue.TEXT(value=v)


def field(form, key):
    f = next(f for f in form.fields if f.key == key)
    return None if f.value_json is None else json.loads(f.value_json)


INSPECTION_FIELDS = {
    "inspected_at": "2026-03-02T09:30:00+08:00",
    "place": "康保县某档案馆档案库房",
    "credentials_shown": True,
    "method": "双随机抽查",
    "inspected_unit": "康保县某档案馆",
    "basis": "《中华人民共和国档案法》第四十二条",
    "items": ["档案安全"],
    "findings": "库房温湿度记录完整。",
    "rectification": "无",
}


def test_the_field_scenario_reaches_a_second_device(tmp_path):
    zhang, zhang_me = device(tmp_path, "zhangwei")
    li, li_me = device(tmp_path, "lina")
    assert zhang.whoami() == zhang_me

    created = zhang.new_case(z.NewCaseInput(
        kind=z.CaseKind.INSPECTION, procedure=None,
        title="某档案馆档案安全随机抽查", source=z.CaseSource.RANDOM_INSPECTION,
        source_ref="双随机-2026-03",
        party=z.PartyEntry(kind=z.PartyKind.LEGAL_PERSON, name="康保县某档案馆",
                           id_number="12130723MB0000001J", representative="赵六",
                           address=None, phone=None),
        partners=[z.PartnerEntry(id=li_me.id, name=li_me.name,
                                 credential_no=li_me.credential_no, unit_id=li_me.unit_id)],
        first_record="inspection_record"))
    case, rec = created.case_id, created.record_id
    assert rec is not None

    # Partners and signers as typed: user names and names, not account ids.
    assert any(c.id == li_me.id for c in run(zhang.colleagues(True)))
    assert run(zhang.find_colleague("lina")).id == li_me.id
    signer = zhang.resolve_signer(case, z.SignerRole.OFFICER, "李娜", "")
    assert (signer.id, signer.name) == (li_me.id, li_me.name)
    with pytest.raises(z.CoreError.InvalidInput) as e:
        zhang.set_field(case, rec, "inspected_at", val("2026-12-02"))
    assert "2026-12-02 10:00" in str(e.value)

    # 亮证: the card's QR code is a PNG holding the check URL of the
    # electronic credential the server signed at login.
    card = zhang.credential_card()
    assert card.credential_no == zhang_me.credential_no
    assert card.token is not None and card.token.startswith("ZF1.")
    assert card.qr_text.endswith("/gs/credential?t=" + card.token)
    assert card.validity is not None and "至" in card.validity
    assert not card.expired
    assert bytes(card.qr_png[:8]) == b"\x89PNG\r\n\x1a\n"
    assert zhang.show_credentials(case, "档案库房", z.GeoPoint(lat=38.04, lon=114.5))

    # Fill the record; a cleared field is missing again.
    for k, v in INSPECTION_FIELDS.items():
        zhang.set_field(case, rec, k, val(v))
    zhang.set_field(case, rec, "officers_present", val(["zhangwei", "李娜"]))
    zhang.set_field(case, rec, "inspected_at", val("2026-03-02 09:30"))
    assert field(zhang.record_editor(case, rec), "inspected_at") == "2026-03-02T09:30:00+08:00"
    zhang.clear_field(case, rec, "findings")
    form = zhang.record_editor(case, rec)
    assert {f.key: f.field_type for f in form.fields}["items"] == z.FieldType.MULTI_CHOICE
    findings = next(f for f in form.fields if f.key == "findings")
    assert findings.required and findings.value_json is None
    assert form.missing_fields == [findings.label]
    with pytest.raises(z.CoreError.InvalidInput) as e:
        zhang.seal_record(case, rec)
    assert "必填项未填写" in str(e.value)
    zhang.set_field(case, rec, "findings", val("库房温湿度记录完整。"))

    media = zhang.attach(case, rec, PHOTO, None)
    assert media.mime == "image/jpeg" and media.present and media.upload == z.UploadState.PENDING
    assert media.upload_label == "待上传"
    assert media.path and os.path.exists(media.path)
    assert media.thumb_path and os.path.exists(media.thumb_path)
    form = zhang.record_editor(case, rec)
    assert form.missing_fields == [], form.missing_fields
    assert form.media == [media.sha256]

    digest = zhang.seal_record(case, rec)
    assert len(digest) == 64
    sig = zhang.sign(case, rec, z.SignerRole.OFFICER, zhang_me.id, zhang_me.name, pad(0))
    assert sig.name == zhang_me.name
    party = zhang.sign(case, rec, z.SignerRole.PARTY, "party-1", "赵六", pad(3))
    assert party.role == "当事人" and party.role_code == z.SignerRole.PARTY and party.image
    progress = Collect()
    uploads = zhang.watch_uploads(progress)
    summary = run(zhang.sync_now())
    assert summary.errors == [] and summary.exchanged == 1 and summary.uploaded >= 1, summary
    # Byte progress of the photo: never down, ending at its size.
    sent = [p.bytes_sent for p in progress.uploads if p.sha256 == media.sha256]
    assert sent and sent == sorted(sent) and sent[-1] == media.size, sent
    assert progress.statuses == []  # progress is not a status change
    uploads.cancel()
    status = zhang.sync_status()
    assert (status.pending_cases, status.pending_uploads) == (0, 0)

    # The partner's device: the case arrives, she countersigns, it goes back.
    got = run(li.sync_now())
    assert got.fetched == 1, got
    assert li.verify_seals(case) == []
    li.sign(case, rec, z.SignerRole.OFFICER, li_me.id, li_me.name, pad(9))
    run(li.sync_now())
    run(zhang.sync_now())

    for app in (zhang, li):
        back = app.record_editor(case, rec)
        assert back.sealed and back.digest == digest
        assert len(back.signatures) == 3, back.signatures
        assert [s.role_code for s in back.signatures].count(z.SignerRole.OFFICER) == 2
        assert back.missing_signatures == []
        assert field(back, "findings") == "库房温湿度记录完整。"
        shown = next(f for f in back.fields if f.key == "credentials_shown")
        # 亮证 on the case: the field reads with its time and place.
        assert shown.display.startswith("是 (") and "在 档案库房 出示执法证件" in shown.display
        assert app.verify_seals(case) == []
    view = li.case_view(case)
    assert view.parties[0].id_number != "12130723MB0000001J"  # masked
    # The history in words: names, not account ids.
    words = "\n".join(e.description for e in view.events)
    assert zhang_me.id not in words and "张伟(执法人员)" in words, words
    assert [o.id for o in view.officers] == [zhang_me.id, li_me.id] or \
        {o.id for o in view.officers} == {zhang_me.id, li_me.id}
    assert view.receipt is not None and len(view.receipt.signature) == 128
    assert view.sync_label == "已同步" and view.sync_state == z.SyncState.SYNCED
    photo = next(m for m in view.media if m.sha256 == media.sha256)
    assert not photo.present
    assert run(li.fetch_media(case)) >= 1
    photo = next(m for m in li.case_view(case).media if m.sha256 == media.sha256)
    assert photo.present and open(photo.path, "rb").read() == open(PHOTO, "rb").read()

    # The paper for the party: the sealed record as PDF, set in a CJK font.
    font = open(FONT, "rb").read()
    pdf = zhang.record_pdf(case, rec, font)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    with pytest.raises(z.CoreError.InvalidInput):
        zhang.record_pdf(case, rec, b"not a font")

    # A correction after sealing is a new revision; the sealed one stays.
    rev2 = zhang.amend_record(case, rec, "更正检查地点")
    zhang.set_field(case, rev2, "place", val("档案库房二层"))
    with pytest.raises(z.CoreError.Sealed):
        zhang.set_field(case, rec, "place", val("x"))
    rows = zhang.list_cases(z.CaseFilter(stage=None, kind=None, text="随机抽查",
                                        due_by=None, unsynced=False))
    assert [r.id for r in rows] == [case]


def test_a_penalty_case_notifies_rights_and_counts_its_deadlines(tmp_path):
    zhang, _ = device(tmp_path, "zhangwei")
    c = zhang.new_case(z.NewCaseInput(
        kind=z.CaseKind.PENALTY, procedure=z.Procedure.GENERAL,
        title="某单位未按规定移交档案", source=z.CaseSource.COMPLAINT,
        source_ref="投诉-2026-015",
        party=z.PartyEntry(kind=z.PartyKind.LEGAL_PERSON, name="某单位",
                           id_number="12130723MB0000002M", representative="孙八",
                           address=None, phone=None),
        partners=[], first_record=None))
    case = c.case_id
    # The deadline badge and the stage arrive as enums; every badge state on
    # the same case by the day it is looked at.
    row = zhang.list_cases(z.CaseFilter(stage=z.Stage.INITIATION, kind=z.CaseKind.PENALTY,
                                        text=None, due_by=None, unsynced=False))[0]
    assert row.id == case and row.stage_code == z.Stage.INITIATION
    assert row.badge.state == z.DeadlineState.ON_TIME
    assert zhang.list_cases(z.CaseFilter(stage=None, kind=z.CaseKind.INSPECTION, text=None,
                                         due_by=None, unsynced=False)) == []
    due = datetime.date.fromisoformat(row.badge.due)

    def badge_on(offset):
        day = (due + datetime.timedelta(days=offset)).isoformat()
        b = zhang.list_cases_on(z.CaseFilter(stage=None, kind=None, text=None, due_by=None,
                                             unsynced=False), day)[0].badge
        return b.state, b.text

    assert badge_on(-2) == (z.DeadlineState.DUE_SOON, "2 天后到期")
    assert badge_on(0) == (z.DeadlineState.DUE_TODAY, "今日到期")
    assert badge_on(3) == (z.DeadlineState.OVERDUE, "逾期 3 天")
    with pytest.raises(z.CoreError.InvalidInput) as e:
        zhang.list_cases_on(z.CaseFilter(stage=None, kind=None, text=None, due_by=None,
                                         unsynced=False), "2026-13-40")
    assert "无效日期" in str(e.value)
    assert zhang.obligations(case)[0].state == z.ObligationState.ON_TIME
    assert zhang.advance_stage(case) == "调查取证"
    assert zhang.case_view(case).stage_code == z.Stage.INVESTIGATION
    # One officer cannot take the case to decision ((二) 第十条, 行政处罚法 art.42).
    with pytest.raises(z.CoreError.InvalidInput) as e:
        zhang.advance_stage(case)
    assert "不能进入" in str(e.value) and "至少需要 2 名" in str(e.value)
    assert zhang.case_view(case).stage == "调查取证"
    assert zhang.obligations(case), "filing starts the decision limit"
    assert any(o.case_id == case for o in zhang.obligations(None))
    rec = zhang.new_record(case, "rights_notice")
    for k, v in {
        "notice_no": "平档罚告〔2026〕1号", "facts": "未按规定向档案馆移交档案。",
        "basis": "《中华人民共和国档案法》第四十八条", "proposed_penalty": "警告, 罚款人民币伍仟元",
        "proposed_fine_fen": 500000, "rights": ["陈述", "申辩", "听证"], "method": "当场告知",
        "notified_at": "2026-03-05T10:00:00+08:00",
    }.items():
        zhang.set_field(case, rec, k, val(v))
    zhang.seal_record(case, rec)
    assert zhang.refuse(case, rec, z.SignerRole.PARTY, "孙八", "拒绝签收", "钱七")
    assert z.rights_options()[:4] == ["陈述", "申辩", "申请回避", "听证"]
    with pytest.raises(z.CoreError.InvalidInput):
        zhang.notify_rights(case, ["讨价还价"], "当场告知", rec)
    assert zhang.notify_rights(case, ["陈述", "申辩", "听证"], "当场告知", rec)
    assert any("听证" in o.title for o in zhang.obligations(case))
    assert zhang.record_editor(case, rec).refusals


def admin_put(path, body):
    """The office side: a raw admin login and a PUT on the server's API."""
    import urllib.request
    login = json.dumps({"username": "admin", "password": PASSWORD, "device": {
        "name": "办公电脑", "public_key": "58" + "66" * 31, "actor_id": "ad" * 16}}).encode()
    req = urllib.request.Request(f"{SERVER}/api/v1/auth/login", data=login,
                                 headers={"content-type": "application/json"})
    token = json.load(urllib.request.urlopen(req))["token"]
    req = urllib.request.Request(f"{SERVER}/api/v1{path}", data=body, method="PUT",
                                 headers={"content-type": "application/json",
                                          "authorization": f"Bearer {token}"})
    return json.load(urllib.request.urlopen(req))


def test_a_calendar_year_loaded_on_the_server_reaches_the_device(tmp_path):
    zhang, _ = device(tmp_path, "zhangwei")
    before = zhang.calendar_info()
    assert before.years[-1] == 2026 and before.server_version is None
    # 2027 not loaded yet: refused (R10), never guessed.
    with pytest.raises(z.CoreError.CalendarOutOfRange) as e:
        zhang.deadline_add("working_days", "2027-02-05", 1)
    assert "2027" in str(e.value)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "cn_calendar_2027_synthetic.json"), "rb") as f:
        loaded = admin_put("/admin/calendar", f.read())
    summary = run(zhang.sync_now())
    assert summary.calendar == "2017–2027", summary
    info = zhang.calendar_info()
    assert info.years[-1] == 2027 and info.server_version == loaded["version"]
    # The synthetic Spring Festival block 02-06..13, then a Sunday.
    assert zhang.deadline_add("working_days", "2027-02-05", 1) == "2027-02-15"


class Collect(z.CaseListListener, z.CaseListener, z.SyncListener, z.UploadListener):
    def __init__(self):
        self.updates, self.cases, self.statuses, self.uploads = [], [], [], []
        self.lock = threading.Lock()

    def on_progress(self, progress):
        with self.lock:
            self.uploads.append(progress)

    def on_update(self, update):
        with self.lock:
            self.updates.append(update)

    def on_case(self, case):
        with self.lock:
            self.cases.append(case)

    def on_status(self, status):
        with self.lock:
            self.statuses.append(status)


def test_listeners_report_changes_until_cancelled(tmp_path):
    zhang, _ = device(tmp_path, "zhangwei")
    seen = Collect()
    h = zhang.watch_case_list(z.CaseFilter(stage=None, kind=None, text=None,
                                           due_by=None, unsynced=False), seen)
    assert h.is_active()
    assert isinstance(seen.updates[0], z.CaseListUpdate.RESET) and seen.updates[0].rows == []
    c = zhang.new_case(z.NewCaseInput(
        kind=z.CaseKind.INSPECTION, procedure=None, title="监听测试",
        source=z.CaseSource.EX_OFFICIO, source_ref=None, party=None, partners=[],
        first_record="inspection_record"))
    ups = [u for u in seen.updates if isinstance(u, z.CaseListUpdate.UPSERT)]
    assert ups and ups[-1].row.id == c.case_id and ups[-1].row.sync_state == z.SyncState.LOCAL

    watch = zhang.watch_case(c.case_id, seen)
    sync = zhang.watch_sync(seen)
    assert seen.cases[0].id == c.case_id and seen.statuses[0].pending_cases == 1
    zhang.set_field(c.case_id, c.record_id, "findings", val("发现问题"))
    assert len(seen.cases) >= 2
    run(zhang.sync_now())
    assert seen.statuses[-1].pending_cases == 0
    assert any(isinstance(u, z.CaseListUpdate.RESET) for u in seen.updates[1:])

    for handle in (h, watch, sync):
        handle.cancel()
        handle.cancel()  # idempotent
        assert not handle.is_active()
    before = (len(seen.updates), len(seen.cases), len(seen.statuses))
    zhang.set_field(c.case_id, c.record_id, "findings", val("再次修改"))
    assert (len(seen.updates), len(seen.cases), len(seen.statuses)) == before


def test_errors_arrive_typed_with_chinese_messages(tmp_path):
    app = z.ZhifaApp.open(str(tmp_path / "fresh"))
    with pytest.raises(z.CoreError.LoginRequired) as e:
        app.whoami()
    assert "登录" in str(e.value)
    with pytest.raises(z.CoreError.WrongPassword):
        run(app.login(SERVER, "zhangwei", "wrong-password", "测试"))
    with pytest.raises(z.CoreError.Offline):
        run(app.login("http://127.0.0.1:9", "zhangwei", PASSWORD, "测试"))
    run(app.login(SERVER, "zhangwei", PASSWORD, "测试"))
    with pytest.raises(z.CoreError.NotFound):
        app.case_view("00000000-0000-4000-8000-000000000000")
    c = app.new_case(z.NewCaseInput(
        kind=z.CaseKind.INSPECTION, procedure=None, title="错误测试",
        source=z.CaseSource.EX_OFFICIO, source_ref=None, party=None, partners=[],
        first_record="inspection_record"))
    with pytest.raises(z.CoreError.InvalidInput) as e:
        app.set_field(c.case_id, c.record_id, "findings", z.FieldValue.JSON(json="not json"))
    assert "JSON" in str(e.value)
    with pytest.raises(z.CoreError.InvalidInput) as e:
        app.set_field(c.case_id, c.record_id, "credentials_shown", val("maybe"))
    assert "应为" in str(e.value)
    with pytest.raises(z.CoreError.InvalidInput):
        app.new_case(z.NewCaseInput(
            kind=z.CaseKind.INSPECTION, procedure=None, title="  ",
            source=z.CaseSource.EX_OFFICIO, source_ref=None, party=None, partners=[],
            first_record=None))
    # Logging out with unsynced work is refused unless forced.
    with pytest.raises(z.CoreError.InvalidInput) as e:
        run(app.logout(False))
    assert "未同步" in str(e.value)
    run(app.logout(True))
    with pytest.raises(z.CoreError.LoginRequired):
        run(app.sync_now())
    # The case stays on the device.
    assert app.case_view(c.case_id).title == "错误测试"


class MemoryVault(z.SecretVault):
    """A vault in memory, as Keystore/Keychain keep secrets on the phones."""

    def __init__(self):
        self.items = {}

    def get(self, name):
        return self.items.get(name)

    def put(self, name, value):
        self.items[name] = bytes(value)
        return True

    def delete(self, name):
        self.items.pop(name, None)


def test_secrets_live_in_the_vault_not_in_the_database(tmp_path):
    vault = MemoryVault()
    home = tmp_path / "vaulted"
    app = z.ZhifaApp.open_with_vault(str(home), vault)
    me = run(app.login(SERVER, "zhangwei", PASSWORD, "测试设备"))
    run(app.sync_now())
    assert set(vault.items) == {"device_key", "login_token"}
    db = b"".join(p.read_bytes() for p in home.glob("zhifa.db*"))
    assert vault.items["device_key"] not in db
    assert vault.items["login_token"] not in db
    del app
    again = z.ZhifaApp.open_with_vault(str(home), vault)
    assert again.whoami() == me
    run(again.logout(True))
    assert "login_token" not in vault.items and "device_key" in vault.items


def test_unsynced_changes_are_dropped_back_to_the_receipt(tmp_path):
    zhang, _ = device(tmp_path, "zhangwei")
    # An extra CA bundle that holds no certificate is refused in Chinese.
    with pytest.raises(z.CoreError.InvalidInput) as e:
        zhang.set_ca_bundle(b"not a certificate")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(e.value))

    created = zhang.new_case(z.NewCaseInput(
        kind=z.CaseKind.INSPECTION, procedure=None, title="撤销未同步修改",
        source=z.CaseSource.EX_OFFICIO, source_ref=None, party=None,
        partners=[], first_record="inspection_record"))
    case, rec = created.case_id, created.record_id
    run(zhang.sync_now())
    assert zhang.sync_refusal(case) is None
    zhang.set_field(case, rec, "place", val("未同步的地点"))
    assert field(zhang.record_editor(case, rec), "place") == "未同步的地点"
    # Back to the server's last receipt: the local edit is gone.
    assert zhang.drop_unsynced(case) is False
    assert field(zhang.record_editor(case, rec), "place") is None
    assert zhang.sync_refusal(case) is None

    # A case the server never stored is removed from the device.
    local = zhang.new_case(z.NewCaseInput(
        kind=z.CaseKind.INSPECTION, procedure=None, title="从未上传",
        source=z.CaseSource.EX_OFFICIO, source_ref=None, party=None,
        partners=[], first_record=None))
    assert zhang.drop_unsynced(local.case_id) is True
    with pytest.raises(z.CoreError.NotFound):
        zhang.case_view(local.case_id)
