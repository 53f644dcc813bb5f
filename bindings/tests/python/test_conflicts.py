"""Seal conflicts through the generated Python bindings, against a real
zhifa-server (ZHIFA_TEST_SERVER): zhang seals while li, offline, edits the
same record; both devices show the two versions side by side; one presses a
button (keep the sealed version, or amend with a reason) and after sync the
conflict is gone on the other device too."""

import asyncio
import os

import pytest

import zhifa_ffi as z

SERVER = os.environ["ZHIFA_TEST_SERVER"]

FIELDS = {
    "inspected_at": "2026-03-02T09:30:00+08:00",
    "place": "康保县某档案馆档案库房",
    "credentials_shown": True,
    "method": "双随机抽查",
    "inspected_unit": "康保县某档案馆",
    "basis": "《中华人民共和国档案法》第四十二条",
    "items": ["档案安全"],
    "findings": "正常",
}


def run(coro):
    return asyncio.run(coro)


def value(v):
    if isinstance(v, bool):
        return z.FieldValue.FLAG(value=v)
    if isinstance(v, list):
        return z.FieldValue.CHOICES(values=v)
    return z.FieldValue.TEXT(value=v)


def conflicted(tmp_path, title):
    """Two devices holding one case whose sealed record li edited offline."""
    zhang = z.ZhifaApp.open(str(tmp_path / "zhang"))
    zhang_me = run(zhang.login(SERVER, "zhangwei", "demo1234", "测试设备 (张伟)"))
    li = z.ZhifaApp.open(str(tmp_path / "li"))
    li_me = run(li.login(SERVER, "lina", "demo1234", "测试设备 (李娜)"))
    created = zhang.new_case(z.NewCaseInput(
        kind=z.CaseKind.INSPECTION, procedure=None, title=title,
        source=z.CaseSource.RANDOM_INSPECTION, source_ref=None,
        party=z.PartyEntry(kind=z.PartyKind.LEGAL_PERSON, name="康保县某档案馆",
                           id_number="91130723MA0C8K2M3Q", representative="赵六",
                           address=None, phone=None),
        partners=[z.PartnerEntry(id=li_me.id, name=li_me.name,
                                 credential_no=li_me.credential_no, unit_id=li_me.unit_id)],
        first_record="inspection_record"))
    case, rec = created.case_id, created.record_id
    for k, v in FIELDS.items():
        zhang.set_field(case, rec, k, value(v))
    zhang.set_field(case, rec, "officers_present", value([zhang_me.id, li_me.id]))
    run(zhang.sync_now())
    run(li.sync_now())
    zhang.seal_record(case, rec)
    li.set_field(case, rec, "findings", value("发现消防设施过期"))
    for _ in range(2):
        run(zhang.sync_now())
        run(li.sync_now())
    for app in (zhang, li):
        [c] = app.seal_conflicts(case)
        assert c.record_id == rec and c.record_name == "现场检查笔录" and c.resolvable
        row = next(f for f in c.fields if f.key == "findings")
        assert (row.label, row.sealed, row.edited, row.differs) == \
            ("检查情况", "正常", "发现消防设施过期", True)
        assert "保留封存版本" in c.message
        assert app.conflict_resolutions(case) == []
    return zhang, li, case, rec


def test_keeping_the_sealed_version_clears_the_conflict_on_both_devices(tmp_path):
    zhang, li, case, rec = conflicted(tmp_path, "封存冲突 保留")
    done = li.keep_sealed_version(case, rec)
    assert (done.kind, done.by_name, done.amendment) == ("keep_sealed", "李娜", None)
    assert "保留封存版本" in done.text
    with pytest.raises(z.CoreError.InvalidInput) as e:
        li.keep_sealed_version(case, rec)
    assert "没有封存冲突" in str(e.value)
    run(li.sync_now())
    run(zhang.sync_now())
    for app in (zhang, li):
        assert app.seal_conflicts(case) == []
        assert app.verify_seals(case) == []
        assert [d.kind for d in app.conflict_resolutions(case)] == ["keep_sealed"]


def test_an_amendment_carries_the_edit_with_its_reason(tmp_path):
    zhang, li, case, rec = conflicted(tmp_path, "封存冲突 更正")
    with pytest.raises(z.CoreError.InvalidInput) as e:
        zhang.amend_seal_conflict(case, rec, "  ")
    assert "更正理由" in str(e.value)
    done = zhang.amend_seal_conflict(case, rec, "补正离线记录的检查情况")
    assert done.kind == "amended" and done.reason == "补正离线记录的检查情况"
    assert done.amendment
    run(zhang.sync_now())
    run(li.sync_now())
    for app in (zhang, li):
        assert app.seal_conflicts(case) == []
        [d] = app.conflict_resolutions(case)
        assert (d.by_name, d.amendment) == ("张伟", done.amendment)
        form = app.record_editor(case, done.amendment)
        f = next(f for f in form.fields if f.key == "findings")
        assert f.value_json == '"发现消防设施过期"'
