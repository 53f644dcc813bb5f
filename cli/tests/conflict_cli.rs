//! `zhifa record conflicts` and `zhifa record resolve` on a device holding
//! a case whose sealed record was crossed by an offline edit: both versions
//! side by side with the template's labels, the two ways to resolve, and the
//! usage errors in Chinese.

use std::path::Path;
use std::process::Output;

use serde_json::json;
use zhifa_core::doc::{Actor, CaseDoc};

mod common;
use common::{ok, zhifa};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn offline_home(home: &Path) -> zhifa_device::App {
    let app = zhifa_device::App::open(home).expect("open");
    app.set_transport(std::sync::Arc::new(zhifa_device::testdata::Offline));
    app.login("http://offline", "zhangwei", "demo1234", "测试手机")
        .expect("login");
    app
}

/// Two homes holding the same conflicted case; returns (case, record).
fn conflicted(dir: &Path, homes: &[&Path]) -> (String, String) {
    let a = offline_home(&dir.join("sealer"));
    let me = a.whoami().expect("me");
    let c = a
        .new_case(&zhifa_device::NewCase::inspection("封存冲突"))
        .expect("case");
    let (case, rec) = (c.case_id, c.record_id.expect("rec"));
    for (k, v) in [
        ("inspected_at", json!("2026-03-02T09:30:00+08:00")),
        ("place", json!("档案库房")),
        ("inspected_unit", json!("康保县某档案馆")),
        ("officers_present", json!([me.id])),
        ("credentials_shown", json!(true)),
        ("basis", json!("《中华人民共和国档案法》第四十二条")),
        ("items", json!(["档案安全"])),
        ("method", json!("双随机抽查")),
        ("findings", json!("库房温湿度记录完整。")),
    ] {
        a.set_field(&case, &rec, k, &v).expect(k);
    }
    let before_seal = a.export_case(&case).expect("export");
    a.seal_record(&case, &rec).expect("seal");
    let sealed = a.export_case(&case).expect("export");
    let mut other = CaseDoc::load(&before_seal, &[0xB0; 16]).expect("load");
    let who = Actor {
        user: &me.id,
        device: "other-device",
        at: "2026-03-02T11:00:00+08:00",
    };
    other
        .set_field_json(&rec, "findings", &json!("离线改写"), &who)
        .expect("edit");
    let mut merged = CaseDoc::load(&sealed, &[0xC0; 16]).expect("load");
    merged.merge(&mut other).expect("merge");
    let file = dir.join("merged.case");
    std::fs::write(&file, merged.save()).expect("write");
    for home in homes {
        drop(offline_home(home));
        ok(home, &["case", "import", file.to_str().expect("path")]);
    }
    (case, rec)
}

#[test]
fn conflicts_are_shown_side_by_side_and_resolved_either_way() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (keep, amend) = (tmp.path().join("keep"), tmp.path().join("amend"));
    let (case, rec) = conflicted(tmp.path(), &[&keep, &amend]);

    // The case page says there is a conflict and which command shows it.
    let shown = stdout(&zhifa(&keep, &["case", "show", &case]));
    assert!(
        shown.contains("冲突") && shown.contains(&format!("zhifa record conflicts {case}")),
        "{shown}"
    );
    let text = stdout(&zhifa(&keep, &["record", "conflicts", &case]));
    assert!(
        text.contains("现场检查笔录")
            && text.contains("≠ 检查情况: 封存版本「库房温湿度记录完整。」 | 并发修改「离线改写」")
            && text.contains("= 检查地点")
            && text.contains(&format!("zhifa record resolve {case} {rec} --keep-sealed")),
        "{text}"
    );
    let v = ok(&keep, &["record", "conflicts", &case]);
    assert_eq!(v["open"][0]["record_id"], rec.as_str());
    assert_eq!(v["resolved"], json!([]));

    // Usage errors: no choice, both choices, an amendment without reason.
    let out = zhifa(&keep, &["record", "resolve", &case, &rec]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("缺少必需参数"));
    let out = zhifa(
        &keep,
        &["record", "resolve", &case, &rec, "--keep-sealed", "--amend"],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = zhifa(&keep, &["record", "resolve", &case, &rec, "--amend"]);
    assert_eq!(out.status.code(), Some(2));
    let out = zhifa(
        &keep,
        &["record", "resolve", &case, &rec, "--amend", "--reason", " "],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("更正理由"));

    // Keep the sealed version.
    let out = zhifa(&keep, &["record", "resolve", &case, &rec, "--keep-sealed"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("保留封存版本"), "{}", stdout(&out));
    assert_eq!(
        zhifa(&keep, &["case", "verify", &case]).status.code(),
        Some(0)
    );
    let text = stdout(&zhifa(&keep, &["record", "conflicts", &case]));
    assert!(
        text.contains("本案没有未处理的封存冲突") && text.contains("已处理: 张伟 于"),
        "{text}"
    );
    let out = zhifa(&keep, &["record", "resolve", &case, &rec, "--keep-sealed"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有封存冲突"));

    // Amend on the other home.
    let r = ok(
        &amend,
        &[
            "record",
            "resolve",
            &case,
            &rec,
            "--amend",
            "--reason",
            "补正离线记录",
        ],
    );
    assert_eq!(r["kind"], "amended");
    let new_id = r["amendment"].as_str().expect("amendment id");
    let editor = ok(&amend, &["record", "show", &case, new_id]);
    let findings = editor["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["key"] == "findings")
        .expect("findings")["value"]
        .clone();
    assert_eq!(findings, json!("离线改写"));
    assert_eq!(
        zhifa(&amend, &["case", "verify", &case]).status.code(),
        Some(0)
    );
}
