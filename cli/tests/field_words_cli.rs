//! An inspection through the `zhifa` binary, against a real zhifa-server,
//! typing only what an officer would: the template id found with
//! `zhifa templates`, the partner and the officers present by user name
//! (`lina`, `zhangwei,lina`), local times (`2026-12-02 10:00`), Chinese
//! dates, the case by the beginning of its id and the record by its
//! template id; no account id, party id or record id typed. Every refusal names what would
//! be accepted; 亮证 fills the record's credential field; the history reads
//! in words.

use std::path::Path;

use zhifa_device::testdata::fake_mp4;
use zhifa_e2e::TestServer;

mod common;
use common::{ok, strokes_file, zhifa};

/// Runs, expects exit 1, returns the Chinese error line.
fn refused(home: &Path, args: &[&str]) -> String {
    let out = zhifa(home, args);
    assert_eq!(out.status.code(), Some(1), "zhifa {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// True when `s` holds something shaped like a UUID.
fn has_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(13).any(|w| {
        w[..8].iter().all(u8::is_ascii_hexdigit)
            && w[8] == b'-'
            && w[9..13].iter().all(u8::is_ascii_hexdigit)
    })
}

#[test]
fn an_inspection_typed_as_an_officer_types_it() {
    let srv = TestServer::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let zhang = tmp.path().join("zhang");
    let li = tmp.path().join("li");
    let login = |home: &Path, user: &str| {
        ok(
            home,
            &[
                "login",
                "--server",
                &srv.url,
                "--user",
                user,
                "--password",
                "demo1234",
            ],
        )
    };
    let me = login(&zhang, "zhangwei");
    let her = login(&li, "lina");

    // The template id, from the list; its fields and signers from `show`.
    let list = ok(&zhang, &["templates", "--kind", "inspection"]);
    let tpl = list
        .as_array()
        .and_then(|l| l.iter().find(|t| t["name"] == "现场检查笔录"))
        .and_then(|t| t["id"].as_str())
        .expect("现场检查笔录 listed")
        .to_string();
    let row = list
        .as_array()
        .and_then(|l| l.iter().find(|t| t["id"] == tpl.as_str()))
        .expect("row");
    assert_eq!(
        row["signers_label"],
        "执法人员 2 人、当事人 1 人 (可见证拒签)"
    );
    let shown = ok(&zhang, &["templates", "show", &tpl]);
    let field = |key: &str| {
        shown["fields"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["key"] == key))
            .cloned()
            .expect("field")
    };
    assert_eq!(field("method")["type"], "choice");
    assert!(field("method")["options"]
        .as_array()
        .is_some_and(|o| o.iter().any(|x| x == "双随机抽查")));
    assert!(field("inspected_at")["hint"]
        .as_str()
        .is_some_and(|h| h.contains("2026-12-02 10:00")));
    assert_eq!(field("place")["max_chars"], 200);
    assert_eq!(shown["signers"][0]["role"], "officer");
    assert_eq!(shown["signers"][0]["min"], 2);
    let text =
        String::from_utf8_lossy(&zhifa(&zhang, &["templates", "show", &tpl]).stdout).into_owned();
    assert!(
        text.contains("method 检查方式 [单选项] 必填  其中之一: 现场检查、"),
        "{text}"
    );
    let err = refused(&zhang, &["templates", "show", "inspection"]);
    assert!(
        err.contains("可用: ") && err.contains("inspection_record (现场检查笔录)"),
        "{err}"
    );

    // The partner by user name; a stranger is refused with the officers known.
    let err = refused(
        &zhang,
        &["case", "new", "--title", "抽查", "--partner", "wangwu"],
    );
    assert!(
        err.contains("“wangwu”") && err.contains("李娜 (lina)"),
        "{err}"
    );
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
            "--party",
            "康保县某档案馆",
            "--party-id",
            "12130723MB0000001J",
            "--party-rep",
            "赵六",
            "--partner",
            "lina",
            "--record",
            &tpl,
        ],
    );
    let full_case = created["case_id"].as_str().expect("case").to_string();
    assert!(created["record_id"].is_string());
    // From here on the case is named by the beginning of its id (as
    // `zhifa case list` shows it) and the record by its template id.
    let case = full_case[..8].to_string();
    let rec = tpl.clone();
    let listed = String::from_utf8_lossy(&zhifa(&zhang, &["case", "list"]).stdout).into_owned();
    assert!(listed.contains(&case), "{listed}");
    let e = refused(&zhang, &["record", "show", &case, "rights_notice"]);
    assert!(
        e.contains("本案文书: inspection_record (现场检查笔录 "),
        "{e}"
    );
    let e = refused(&zhang, &["case", "show", "0000"]);
    assert!(e.contains("前 8 位即可"), "{e}");

    // 亮证 fills the record's credential field, with the time and place.
    ok(&zhang, &["credentials", &case, "--place", "档案库房"]);
    let editor = ok(&zhang, &["record", "show", &case, &rec]);
    let cred = editor["fields"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["key"] == "credentials_shown"))
        .cloned()
        .expect("credentials_shown");
    assert_eq!(cred["value"], true, "{cred}");
    let display = cred["display"].as_str().unwrap_or_default();
    assert!(display.starts_with("是 (张伟、李娜 于 "), "{display}");
    assert!(display.ends_with("在 档案库房 出示执法证件)"), "{display}");
    assert!(!editor["missing_fields"]
        .as_array()
        .is_some_and(|m| m.iter().any(|x| x == "是否出示执法证件")));

    // Refusals name what would be accepted.
    let set = |kv: &str| refused(&zhang, &["record", "set", &case, &rec, kv]);
    let e = set("inspected_at=2026-12-02");
    assert!(
        e.contains("需要日期和时间") && e.contains("2026-12-02 10:00、"),
        "{e}"
    );
    let e = set("inspected_at=明天上午");
    assert!(e.contains("10:00 (今天)"), "{e}");
    let e = set("rectify_by=2026-13-01");
    assert!(e.contains("2026/12/2、2026年12月2日"), "{e}");
    let e = set("method=飞行检查");
    assert!(
        e.contains("可选: 现场检查、查阅资料、询问、抽样、双随机抽查"),
        "{e}"
    );
    let e = set("items=档案安全,卫生");
    assert!(
        e.contains("“卫生”") && e.contains("可选: 档案管理制度、"),
        "{e}"
    );
    let e = set("officers_present=zhangwei,wangwu");
    assert!(
        e.contains("“wangwu”") && e.contains("本案执法人员: 张伟 (zhangwei)、李娜 (lina)"),
        "{e}"
    );
    let e = set("credentials_shown=也许");
    assert!(e.contains("是/否"), "{e}");

    let editor = ok(
        &zhang,
        &[
            "record",
            "set",
            &case,
            &rec,
            "inspected_at=2026-12-02 10:00",
            "place=康保县某档案馆档案库房",
            "inspected_unit=康保县某档案馆",
            "officers_present=zhangwei,lina",
            "basis=《中华人民共和国档案法》第四十二条",
            "items=档案安全、档案保管条件",
            "method=双随机抽查",
            "findings=库房温湿度记录完整。",
            "problems=消防器材过期。",
            "rectify_by=2026年12月20日",
        ],
    );
    assert_eq!(editor["missing_fields"], serde_json::json!([]), "{editor}");
    let value = |key: &str| {
        editor["fields"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["key"] == key))
            .cloned()
            .expect("field")
    };
    assert_eq!(value("inspected_at")["value"], "2026-12-02T10:00:00+08:00");
    assert_eq!(value("rectify_by")["value"], "2026-12-20");
    assert_eq!(
        value("officers_present")["value"],
        serde_json::json!([me["id"], her["id"]]),
        "stored as account ids"
    );
    assert_eq!(value("officers_present")["display"], "张伟、李娜");

    let v = tmp.path().join("v.mp4");
    std::fs::write(&v, fake_mp4(300_000, 3)).expect("video");
    ok(&zhang, &["attach", &case, &rec, &v.to_string_lossy()]);
    ok(&zhang, &["record", "seal", &case, &rec]);
    // Officers by user name and name, the party as the case's only party.
    let s1 = strokes_file(tmp.path(), "s1.json", 0.0);
    let s2 = strokes_file(tmp.path(), "s2.json", 1.0);
    let s3 = strokes_file(tmp.path(), "s3.json", 2.0);
    let signed = ok(
        &zhang,
        &[
            "sign",
            &case,
            &rec,
            "--role",
            "officer",
            "--signer",
            "zhangwei",
            "--strokes",
            &s1,
        ],
    );
    assert_eq!(signed["signer_id"], me["id"], "{signed}");
    ok(
        &zhang,
        &[
            "sign",
            &case,
            &rec,
            "--role",
            "officer",
            "--signer",
            "李娜",
            "--strokes",
            &s2,
        ],
    );
    ok(
        &zhang,
        &["sign", &case, &rec, "--role", "party", "--strokes", &s3],
    );
    let editor = ok(&zhang, &["record", "show", &case, &rec]);
    assert_eq!(editor["sealed"], true);
    assert_eq!(editor["missing_signatures"], serde_json::json!([]));
    let names: Vec<&str> = editor["signatures"]
        .as_array()
        .map(|s| s.iter().filter_map(|x| x["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["张伟", "李娜", "赵六"]);
    let view = ok(&zhang, &["case", "show", &case]);
    assert_eq!(view["blocking"], serde_json::json!([]), "{view}");

    // The history in words: names and roles, labels, record names; no ids.
    let lines: Vec<String> = view["events"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|x| x["description"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let history = lines.join("\n");
    assert!(!has_uuid(&history), "{history}");
    for raw in [
        "p1",
        "officers_present",
        "inspected_at",
        "credentials_shown",
        "zhangwei",
    ] {
        assert!(!history.contains(raw), "{raw} in\n{history}");
    }
    assert!(
        history.contains("张伟(执法人员) 指派执法人员: 李娜 (执法人员)"),
        "{history}"
    );
    assert!(
        history.contains("登记当事人: 康保县某档案馆 (当事人)"),
        "{history}"
    );
    assert!(
        history.contains("填写文书: 《现场检查笔录》(") && history.contains("检查时间"),
        "{history}"
    );
    assert!(history.contains("签字: 《现场检查笔录》("), "{history}");
    assert!(history.contains("当事人 赵六"), "{history}");
    let text =
        String::from_utf8_lossy(&zhifa(&zhang, &["case", "show", &case]).stdout).into_owned();
    assert!(
        text.contains(lines.last().map(String::as_str).unwrap_or("-")),
        "{text}"
    );

    // The partner's device receives the case and words it the same way.
    ok(&zhang, &["sync"]);
    ok(&li, &["sync"]);
    let hers = ok(&li, &["case", "show", &full_case]);
    let theirs: Vec<&str> = hers["events"]
        .as_array()
        .map(|e| e.iter().filter_map(|x| x["description"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(theirs.join("\n"), history);
}
