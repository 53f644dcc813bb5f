//! The whole inspection through the `zhifa` binary, against a real
//! zhifa-server on 127.0.0.1:0: login, case, credentials, record, three
//! photos, a video, rights notified, sealed, two officers and the party sign,
//! sync with media upload; the partner's device receives the case.

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use zhifa_device::testdata::{fake_mp4, jpeg_with_exif};
use zhifa_e2e::TestServer;

mod common;
use common::{ok, strokes_file, zhifa};

#[test]
fn inspection_flow_through_the_cli_with_sync() {
    let srv = TestServer::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let zhang = tmp.path().join("zhang");
    let li = tmp.path().join("li");

    // Wrong password: a clear error, exit 1, nothing stored.
    let out = zhifa(
        &zhang,
        &[
            "login",
            "--server",
            &srv.url,
            "--user",
            "zhangwei",
            "--password",
            "nope",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("用户名或密码错误"));

    let me = ok(
        &zhang,
        &[
            "login",
            "--server",
            &srv.url,
            "--user",
            "zhangwei",
            "--password",
            "demo1234",
        ],
    );
    let her = ok(
        &li,
        &[
            "login",
            "--server",
            &srv.url,
            "--user",
            "lina",
            "--password",
            "demo1234",
        ],
    );
    let (me_id, her_id) = (me["id"].as_str().unwrap(), her["id"].as_str().unwrap());
    let partner = format!("{her_id}:李娜:冀执0723-2023-0102");
    let created = ok(
        &zhang,
        &[
            "case",
            "new",
            "--kind",
            "inspection",
            "--title",
            "某档案馆档案安全随机抽查",
            "--source",
            "random_inspection",
            "--source-ref",
            "双随机-2026-03",
            "--party",
            "康保县某档案馆",
            "--party-id",
            "12130723MB0000001J",
            "--party-rep",
            "赵六",
            "--partner",
            &partner,
            "--record",
            "inspection_record",
        ],
    );
    let case = created["case_id"].as_str().unwrap().to_string();
    let rec = created["record_id"].as_str().unwrap().to_string();
    ok(
        &zhang,
        &[
            "credentials",
            &case,
            "--place",
            "康保县某档案馆档案库房",
            "--gps",
            "38.04,114.5",
        ],
    );
    let officers = format!("{me_id},{her_id}");
    let editor = ok(
        &zhang,
        &[
            "record",
            "set",
            &case,
            &rec,
            "inspected_at=2026-03-02T09:30:00+08:00",
            "place=康保县某档案馆档案库房",
            "inspected_unit=康保县某档案馆",
            &format!("officers_present={officers}"),
            "credentials_shown=是",
            "basis=《中华人民共和国档案法》第四十二条",
            "items=档案安全,档案保管条件",
            "method=双随机抽查",
            "findings=库房温湿度记录完整。",
        ],
    );
    assert_eq!(editor["missing_fields"], serde_json::json!([]));

    let mut files = Vec::new();
    for i in 0..3u64 {
        let p = tmp.path().join(format!("p{i}.jpg"));
        std::fs::write(&p, jpeg_with_exif(320, 240, 10 + i, 85)).unwrap();
        files.push(p.to_string_lossy().into_owned());
    }
    let v = tmp.path().join("v.mp4");
    std::fs::write(&v, fake_mp4(300_000, 3)).unwrap();
    files.push(v.to_string_lossy().into_owned());
    let mut args = vec!["attach", case.as_str(), rec.as_str()];
    args.extend(files.iter().map(String::as_str));
    let media = ok(&zhang, &args);
    assert_eq!(media.as_array().map(Vec::len), Some(4));
    assert_eq!(media[0]["captured_at"], "2026-03-02T09:31:00+08:00");

    ok(
        &zhang,
        &[
            "notify-rights",
            &case,
            "--rights",
            "陈述,申辩",
            "--record",
            &rec,
        ],
    );
    // Signing before sealing is refused with a clear message.
    let s1 = strokes_file(tmp.path(), "s1.json", 0.0);
    let out = zhifa(
        &zhang,
        &[
            "sign",
            &case,
            &rec,
            "--role",
            "officer",
            "--signer-id",
            me_id,
            "--name",
            "张伟",
            "--strokes",
            &s1,
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("尚未封存"));

    ok(&zhang, &["record", "seal", &case, &rec]);
    ok(
        &zhang,
        &[
            "sign",
            &case,
            &rec,
            "--role",
            "officer",
            "--signer-id",
            me_id,
            "--name",
            "张伟",
            "--strokes",
            &s1,
        ],
    );
    let s2 = strokes_file(tmp.path(), "s2.json", 1.0);
    ok(
        &zhang,
        &[
            "sign",
            &case,
            &rec,
            "--role",
            "officer",
            "--signer-id",
            her_id,
            "--name",
            "李娜",
            "--strokes",
            &s2,
        ],
    );
    let s3 = strokes_file(tmp.path(), "s3.json", 2.0);
    ok(
        &zhang,
        &[
            "sign",
            &case,
            &rec,
            "--role",
            "party",
            "--signer-id",
            "p1",
            "--name",
            "赵六",
            "--strokes",
            &s3,
        ],
    );
    let editor = ok(&zhang, &["record", "show", &case, &rec]);
    assert_eq!(editor["sealed"], true);
    assert_eq!(editor["missing_signatures"], serde_json::json!([]));
    let shown = ok(&zhang, &["case", "show", &case]);
    assert_eq!(shown["blocking"], serde_json::json!([]), "{shown}");

    let list = ok(&zhang, &["case", "list"]);
    assert_eq!(list[0]["sync_state"], "local");
    let out = zhifa(&zhang, &["sync", "--json"]);
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).expect("json output");
    assert_eq!(report["exchanged"], 1, "{report}");
    assert_eq!(report["uploaded"], 7, "{report}");
    // Upload progress goes to stderr, one line per file reaching 100 %.
    let progress = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        progress
            .lines()
            .filter(|l| l.starts_with("上传 ") && l.ends_with("(100%)"))
            .count(),
        7,
        "{progress}"
    );
    assert_eq!(report["corrupt"], serde_json::json!([]));
    let status = ok(&zhang, &["status"]);
    assert_eq!(status["pending_cases"], 0, "{status}");
    assert_eq!(status["pending_uploads"], 0);

    // The partner's device gets the case, sealed and verified.
    let report = ok(&li, &["sync"]);
    assert_eq!(report["fetched"], 1, "{report}");
    let fetched = ok(&li, &["fetch", &case]);
    assert_eq!(fetched["fetched"], 4, "three photos and the video");
    let verify = ok(&li, &["case", "verify", &case]);
    assert_eq!(verify["problems"], serde_json::json!([]));
    let editor = ok(&li, &["record", "show", &case, &rec]);
    assert_eq!(editor["signatures"].as_array().map(Vec::len), Some(3));

    // A correction after sealing is a new revision.
    let amended = ok(
        &zhang,
        &["record", "amend", &case, &rec, "--reason", "更正检查地点"],
    );
    let rev2 = amended["record_id"].as_str().unwrap().to_string();
    ok(
        &zhang,
        &["record", "set", &case, &rev2, "place=档案库房二层"],
    );

    // Logging out revokes the token on the server.
    ok(&li, &["logout"]);
    let out = zhifa(&li, &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("尚未登录"));

    // Text output is Chinese and the deadline tool still works beside it.
    let out = zhifa(&li, &["case", "list"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("已同步"),
        "local data stays"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_zhifa"))
        .args([
            "deadline",
            "add",
            "--rule",
            "working_days",
            "--start",
            "2024-09-30",
            "--n",
            "5",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2024-10-12");
}

/// A device home logged in as `username` (offline stand-in server), for
/// cases made through the engine's API before the binary runs on the home.
fn offline_home(home: &Path, username: &str) -> zhifa_device::App {
    let app = zhifa_device::App::open(home).expect("open");
    app.set_transport(std::sync::Arc::new(zhifa_device::testdata::Offline));
    app.login("http://offline", username, "demo1234", "测试手机")
        .expect("login");
    app
}

#[test]
fn a_seal_crossed_by_an_offline_edit_is_shown_broken_refuses_signing_and_fails_verify() {
    use zhifa_core::doc::{Actor, CaseDoc};
    let tmp = tempfile::tempdir().expect("tmp");
    let (home_a, home_b) = (tmp.path().join("a"), tmp.path().join("b"));
    let a = offline_home(&home_a, "zhangwei");
    let me = a.whoami().expect("me");
    let c = a
        .new_case(&zhifa_device::NewCase::inspection("封存被越过"))
        .expect("case");
    let (case, rec) = (c.case_id, c.record_id.expect("rec"));
    for (k, v) in [
        (
            "inspected_at",
            serde_json::json!("2026-03-02T09:30:00+08:00"),
        ),
        ("place", serde_json::json!("档案库房")),
        ("inspected_unit", serde_json::json!("康保县某档案馆")),
        ("officers_present", serde_json::json!([me.id])),
        ("credentials_shown", serde_json::json!(true)),
        (
            "basis",
            serde_json::json!("《中华人民共和国档案法》第四十二条"),
        ),
        ("items", serde_json::json!(["档案安全"])),
        ("method", serde_json::json!("双随机抽查")),
        ("findings", serde_json::json!("库房温湿度记录完整。")),
    ] {
        a.set_field(&case, &rec, k, &v).expect(k);
    }
    let before_seal = a.export_case(&case).expect("export");
    a.seal_record(&case, &rec).expect("seal");
    let sealed = a.export_case(&case).expect("export");
    drop(a);
    // An offline edit on another device, made before it saw the seal.
    let mut other = CaseDoc::load(&before_seal, &[0xB0; 16]).expect("load");
    let who = Actor {
        user: &me.id,
        device: "other-device",
        at: "2026-03-02T11:00:00+08:00",
    };
    other
        .set_field_json(&rec, "findings", &serde_json::json!("离线改写"), &who)
        .expect("edit");
    let mut merged = CaseDoc::load(&sealed, &[0xC0; 16]).expect("load");
    merged.merge(&mut other).expect("merge");
    let file = tmp.path().join("merged.case");
    std::fs::write(&file, merged.save()).expect("write");
    drop(offline_home(&home_b, "zhangwei"));
    ok(&home_b, &["case", "import", file.to_str().expect("path")]);

    // On the sealing device the record is intact and verifies.
    let out = zhifa(&home_a, &["record", "show", &case, &rec]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("已封存") && !text.contains("封存已破坏"),
        "{text}"
    );
    assert_eq!(
        zhifa(&home_a, &["case", "verify", &case]).status.code(),
        Some(0)
    );

    // On the device with the merged case it is shown broken, in words and JSON.
    let out = zhifa(&home_b, &["record", "show", &case, &rec]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("封存已破坏") && text.contains("离线改写"),
        "{text}"
    );
    let editor = ok(&home_b, &["record", "show", &case, &rec]);
    assert_eq!(editor["seal_broken"], true);
    let shown =
        String::from_utf8_lossy(&zhifa(&home_b, &["case", "show", &case]).stdout).into_owned();
    assert!(shown.contains("封存已破坏"), "{shown}");

    // Signing is refused with the record named; verify fails with exit 1.
    let s = strokes_file(tmp.path(), "s.json", 1.0);
    let out = zhifa(
        &home_b,
        &[
            "sign",
            &case,
            &rec,
            "--role",
            "officer",
            "--signer-id",
            &me.id,
            "--name",
            &me.name,
            "--strokes",
            &s,
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("内容与封存不符") && err.contains("现场检查笔录") && err.contains(&rec),
        "{err}"
    );
    let out = zhifa(&home_b, &["case", "verify", &case, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["problems"][0][0], rec.as_str());
    let out = zhifa(&home_b, &["case", "verify", &case]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("封存校验未通过"));
}
