//! A seal conflict across three devices and a real server: zhang seals
//! while li, offline, edits the same record; every device reports the
//! conflict; one device resolves it (keep the seal, or an amendment with a
//! reason) and after sync the conflict is gone on the other two, the seal
//! verifies everywhere and all three agree on who decided and how.

use serde_json::json;
use zhifa_device::app::{officer, Resolve};
use zhifa_device::{App, NewCase};
use zhifa_e2e::TestServer;

struct Three {
    zhang: App,
    li: App,
    wang: App,
    case: String,
    rec: String,
    _tmp: tempfile::TempDir,
}

impl Three {
    fn all(&self) -> [&App; 3] {
        [&self.zhang, &self.li, &self.wang]
    }

    fn sync_all(&self) {
        for _ in 0..2 {
            for app in self.all() {
                app.sync_now().expect("sync");
            }
        }
    }
}

/// Zhang seals the inspection record while li, offline, rewrites its
/// findings; wang (the unit head) has a third device.
fn conflicted(srv: &TestServer) -> Three {
    let tmp = tempfile::tempdir().expect("tmp");
    let zhang = srv.device(&tmp.path().join("zhang"), "zhangwei");
    let li = srv.device(&tmp.path().join("li"), "lina");
    let wang = srv.device(&tmp.path().join("wang"), "wangqiang");
    let (li_me, zhang_me) = (li.whoami().expect("li"), zhang.whoami().expect("zhang"));
    let c = zhang
        .new_case(&NewCase {
            partners: vec![officer(
                &li_me.id,
                &li_me.name,
                &li_me.credential_no,
                &li_me.unit_id,
            )],
            ..NewCase::inspection("封存冲突处理")
        })
        .expect("case");
    let (case, rec) = (c.case_id, c.record_id.expect("rec"));
    for (k, v) in [
        ("inspected_at", json!("2026-03-02T09:30:00+08:00")),
        ("place", json!("档案库房")),
        ("inspected_unit", json!("康保县某档案馆")),
        ("officers_present", json!([zhang_me.id, li_me.id])),
        ("credentials_shown", json!(true)),
        ("basis", json!("《中华人民共和国档案法》")),
        ("items", json!(["档案安全"])),
        ("method", json!("现场检查")),
        ("findings", json!("正常")),
    ] {
        zhang.set_field(&case, &rec, k, &v).expect(k);
    }
    zhang.sync_now().expect("up");
    li.sync_now().expect("down");
    zhang.seal_record(&case, &rec).expect("seal");
    li.set_field(&case, &rec, "findings", &json!("发现消防设施过期"))
        .expect("offline edit");
    let three = Three {
        zhang,
        li,
        wang,
        case,
        rec,
        _tmp: tmp,
    };
    three.sync_all();
    for app in three.all() {
        let open = app.seal_conflicts(&three.case).expect("conflicts");
        assert_eq!(open.len(), 1, "{open:?}");
        let c = &open[0];
        assert!(c.resolvable && c.record_name == "现场检查笔录", "{c:?}");
        let f = c.fields.iter().find(|f| f.key == "findings").expect("row");
        assert_eq!(
            (f.label.as_str(), f.sealed.as_str(), f.edited.as_str()),
            ("检查情况", "正常", "发现消防设施过期")
        );
        assert!(c.message.contains("保留封存版本"), "{}", c.message);
    }
    three
}

fn findings(app: &App, case: &str, rec: &str) -> Option<serde_json::Value> {
    app.record_editor(case, rec)
        .expect("editor")
        .fields
        .into_iter()
        .find(|f| f.key == "findings")
        .and_then(|f| f.value)
}

#[test]
fn keeping_the_sealed_version_on_one_device_clears_the_conflict_on_all_three() {
    let srv = TestServer::start();
    let t = conflicted(&srv);
    let r =
        t.li.resolve_seal_conflict(&t.case, &t.rec, &Resolve::KeepSealed)
            .expect("resolve");
    assert!(r.amendment.is_none());
    t.sync_all();
    for app in t.all() {
        assert!(app.seal_conflicts(&t.case).expect("c").is_empty());
        assert!(app.case_view(&t.case).expect("v").seal_conflicts.is_empty());
        assert!(app.verify_seals(&t.case).expect("verify").is_empty());
        assert_eq!(findings(app, &t.case, &t.rec), Some(json!("正常")));
        let done = app.conflict_resolutions(&t.case).expect("done");
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].by_name, "李娜");
        assert!(done[0].text.contains("保留封存版本"), "{}", done[0].text);
    }
    // Signing under the restored seal works again.
    t.zhang
        .sign(
            &t.case,
            &t.rec,
            zhifa_core::template::SignerRole::Party,
            "p1",
            "赵六",
            &zhifa_device::testdata::sample_strokes(3.0),
        )
        .expect("sign");
    t.zhang.sync_now().expect("sync");
    assert_eq!(t.zhang.sync_status().expect("s").pending_cases, 0);
}

#[test]
fn an_amendment_on_one_device_carries_the_edit_to_all_three() {
    let srv = TestServer::start();
    let t = conflicted(&srv);
    let e = t
        .zhang
        .resolve_seal_conflict(&t.case, &t.rec, &Resolve::Amend { reason: " ".into() })
        .expect_err("reason required");
    assert!(e.to_string().contains("更正理由"), "{e}");
    let r = t
        .zhang
        .resolve_seal_conflict(
            &t.case,
            &t.rec,
            &Resolve::Amend {
                reason: "补正李娜离线记录的检查情况".into(),
            },
        )
        .expect("resolve");
    let amendment = r.amendment.clone().expect("amendment");
    t.sync_all();
    for app in t.all() {
        assert!(app.seal_conflicts(&t.case).expect("c").is_empty());
        assert!(app.verify_seals(&t.case).expect("verify").is_empty());
        assert_eq!(findings(app, &t.case, &t.rec), Some(json!("正常")));
        assert_eq!(
            findings(app, &t.case, &amendment),
            Some(json!("发现消防设施过期"))
        );
        let done = app.conflict_resolutions(&t.case).expect("done");
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].by_name, "张伟");
        assert!(done[0].text.contains("补正李娜离线记录的检查情况"));
    }
    // The amendment is sealed like any record.
    t.zhang.seal_record(&t.case, &amendment).expect("seal");
    t.zhang.sync_now().expect("sync");
    assert_eq!(t.zhang.sync_status().expect("s").pending_cases, 0);
}
