//! Runs the built `zhifa` binary: every `deadline` subcommand, exit codes,
//! one-line Chinese errors, batch with bad lines, `--calendar` updates.
//! Expected dates are derived by hand from cn_calendar.json (comments).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn zhifa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhifa"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run zhifa")
}

fn zhifa_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhifa"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn zhifa");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("wait zhifa");
    writer.join().unwrap().unwrap();
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Success with exactly `want` on stdout and nothing on stderr.
fn ok(args: &[&str], want: &str) {
    let o = zhifa(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    assert_eq!(stdout(&o), want, "{args:?}");
    assert!(o.stderr.is_empty(), "{args:?}");
}

/// Failure with exit `code`, nothing on stdout, one `错误: …` line containing `needle`.
fn fails(args: &[&str], code: i32, needle: &str) {
    let o = zhifa(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
    assert!(o.stdout.is_empty(), "{args:?}");
    assert_eq!(err.lines().count(), 1, "{args:?}: one line expected: {err}");
    assert!(
        err.starts_with("错误: ") && err.contains(needle),
        "{args:?}: {err}"
    );
}

fn add(rule: &str, start: &str, n: &str, want: &str) {
    ok(
        &[
            "deadline", "add", "--rule", rule, "--start", start, "--n", n,
        ],
        &format!("{want}\n"),
    );
}

fn temp_file(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zhifa-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

#[test]
fn add_every_rule() {
    // National Day 2024: 10-08 Tue (1) … 10-11 (4), 10-12 Sat make-up (5).
    add("working_days", "2024-09-30", "5", "2024-10-12");
    // 2020 Spring Festival extended to 02-02 (make-up 02-01 cancelled) → 02-03.
    add("working_days", "2020-01-23", "1", "2020-02-03");
    // 2019 Labour Day: 04-28 Sun is a make-up workday.
    add("working_days", "2019-04-26", "1", "2019-04-28");
    // 09-20 + 15 = 10-05 (国庆) → 10-08.
    add("calendar_days", "2024-09-20", "15", "2024-10-08");
    add("calendar_days_raw", "2024-09-20", "15", "2024-10-05");
    // 2025-12-31 + 2 months → 2026-02-28, a make-up Saturday: stays.
    add("months", "2025-12-31", "2", "2026-02-28");
    // 08-01 + 2 months = 10-01 (国庆) → 10-08; raw stays 10-01.
    add("months", "2024-08-01", "2", "2024-10-08");
    add("months_raw", "2024-08-01", "2", "2024-10-01");
    // 2020-02-29 + 1 year → 2021-02-28 (Sun) → 03-01; raw 02-28.
    add("years", "2020-02-29", "1", "2021-03-01");
    add("years_raw", "2020-02-29", "1", "2021-02-28");
    // Raw periods need no calendar (5-year display ending 2031).
    add("years_raw", "2026-03-15", "5", "2031-03-15");
    // `--n=+3` style and option order do not matter.
    ok(
        &[
            "deadline",
            "add",
            "--n",
            "+3",
            "--start",
            "2024-02-08",
            "--rule",
            "working_days",
        ],
        "2024-02-19\n",
    );
}

#[test]
fn add_errors_are_one_chinese_line() {
    let base = ["deadline", "add", "--rule", "working_days", "--start"];
    let with = |start: &str, n: &str| -> Vec<String> {
        base.iter()
            .map(|s| s.to_string())
            .chain([start.to_string(), "--n".into(), n.into()])
            .collect()
    };
    let run = |v: Vec<String>, code: i32, needle: &str| {
        let refs: Vec<&str> = v.iter().map(String::as_str).collect();
        fails(&refs, code, needle);
    };
    run(
        with("2024-01-05", "0"),
        1,
        "期间 n 必须为正整数 (≥1)，收到 0",
    );
    run(with("2024-01-05", "-3"), 1, "收到 -3");
    run(with("2024-01-05", "abc"), 1, "无效的期间 n \"abc\"");
    run(with("2024-01-05", "1.5"), 1, "无效的期间 n");
    run(with("2024-02-30", "1"), 1, "无效日期 \"2024-02-30\"");
    run(with("2024/01/05", "1"), 1, "无效日期");
    // R10: 2027 is not loaded.
    run(
        with("2027-01-05", "3"),
        1,
        "2027-01-06 超出已加载的节假日日历范围 (2017–2026)，起算日 2027-01-05",
    );
    run(
        with("2026-12-30", "2"),
        1,
        "2027-01-01 超出已加载的节假日日历范围 (2017–2026)",
    );
    fails(
        &[
            "deadline",
            "add",
            "--rule",
            "calendar_days",
            "--start",
            "2026-12-20",
            "--n",
            "30",
        ],
        1,
        "2027-01-19 超出已加载的节假日日历范围 (2017–2026)",
    );
    fails(
        &[
            "deadline",
            "add",
            "--rule",
            "workdays",
            "--start",
            "2024-01-05",
            "--n",
            "1",
        ],
        1,
        "未知的计算规则 \"workdays\"",
    );
    // n = 0 is an error for every rule, raw ones included.
    for rule in [
        "calendar_days",
        "calendar_days_raw",
        "months",
        "months_raw",
        "years",
        "years_raw",
    ] {
        fails(
            &[
                "deadline",
                "add",
                "--rule",
                rule,
                "--start",
                "2024-01-05",
                "--n",
                "0",
            ],
            1,
            "必须为正整数",
        );
    }
    // Usage errors: exit 2.
    fails(
        &[
            "deadline",
            "add",
            "--rule",
            "working_days",
            "--start",
            "2024-01-05",
        ],
        2,
        "缺少必需参数: --n",
    );
    fails(&["deadline", "add", "--bogus"], 2, "未知参数: --bogus");
    fails(&["deadline", "nope"], 2, "未知子命令: nope");
    fails(&["deadline"], 2, "缺少子命令");
    fails(&[], 2, "缺少子命令");
}

#[test]
fn before_r9() {
    // Hearing 2024-10-08: 09-30 (1), 09-29 Sun make-up (2), 09-27 (3) … 09-23 (7).
    ok(
        &["deadline", "before", "--start", "2024-10-08", "--n", "7"],
        "2024-09-23\n",
    );
    // 代履行 2024-02-19: 02-18 Sun make-up (1), SF block, 02-09 (2), 02-08 (3).
    ok(
        &["deadline", "before", "--start", "2024-02-19", "--n", "3"],
        "2024-02-08\n",
    );
    fails(
        &["deadline", "before", "--start", "2017-01-03", "--n", "1"],
        1,
        "2016-12-31 超出已加载的节假日日历范围",
    );
    fails(
        &["deadline", "before", "--start", "2024-10-08", "--n", "0"],
        1,
        "必须为正整数",
    );
}

#[test]
fn surcharge_cap_and_exclusions() {
    // 03-02..03-11 = 10 days × 3 % of 1000 = 300.00.
    let o = zhifa(&[
        "deadline",
        "surcharge",
        "--fine",
        "1000",
        "--due",
        "2024-03-01",
        "--on",
        "2024-03-11",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "300.00\n");
    let o = zhifa(&[
        "deadline",
        "surcharge",
        "--fine",
        "1000",
        "--due",
        "2024-03-01",
        "--on",
        "2024-03-11",
        "--explain",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(s.starts_with("加处罚款 300.00 元，计 10 日"), "{s}");
    assert!(s.contains("行政处罚法 art.72"), "{s}");
    // Day 33 = 99 %, day 34 = capped at the fine.
    let json = |on: &str, extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "deadline",
            "surcharge",
            "--fine",
            "1000",
            "--due",
            "2024-01-15",
            "--on",
            on,
            "--json",
        ];
        args.extend_from_slice(extra);
        let o = zhifa(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let v = json("2024-02-17", &[]);
    assert_eq!(
        (
            v["days"].as_i64(),
            v["amount"].as_str(),
            v["capped"].as_bool()
        ),
        (Some(33), Some("990.00"), Some(false))
    );
    let v = json("2024-02-18", &[]);
    assert_eq!(
        (
            v["days"].as_i64(),
            v["amount"].as_str(),
            v["capped"].as_bool()
        ),
        (Some(34), Some("1000.00"), Some(true))
    );
    assert_eq!(v["amount_fen"].as_i64(), Some(100_000));
    // Exclusions (art.73), repeatable, overlapping counted once: 01-20..01-21 and 01-21..01-22
    // = 3 days → 31 days = 93 %.
    let v = json(
        "2024-02-18",
        &[
            "--exclude",
            "2024-01-20:2024-01-21",
            "--exclude",
            "2024-01-21:2024-01-22",
        ],
    );
    assert_eq!(
        (
            v["days"].as_i64(),
            v["excluded_days"].as_i64(),
            v["amount"].as_str()
        ),
        (Some(31), Some(3), Some("930.00"))
    );
    // Human output mentions the exclusion and the cap.
    let o = zhifa(&[
        "deadline",
        "surcharge",
        "--fine",
        "1000",
        "--due",
        "2024-03-01",
        "--on",
        "2024-05-01",
        "--exclude",
        "2024-03-10:2024-04-28",
        "--explain",
    ]);
    assert!(
        stdout(&o).starts_with("加处罚款 330.00 元，计 11 日，已扣除复议/诉讼期间 50 日"),
        "{}",
        stdout(&o)
    );
    let o = zhifa(&[
        "deadline",
        "surcharge",
        "--fine",
        "1000.50",
        "--due",
        "2024-01-15",
        "--on",
        "2024-12-31",
        "--explain",
    ]);
    assert!(
        stdout(&o).starts_with("加处罚款 1000.50 元，计 351 日，已达上限"),
        "{}",
        stdout(&o)
    );
    // Errors.
    fails(
        &[
            "deadline",
            "surcharge",
            "--fine",
            "-5",
            "--due",
            "2024-01-15",
            "--on",
            "2024-02-18",
        ],
        1,
        "无效的罚款数额",
    );
    fails(
        &[
            "deadline",
            "surcharge",
            "--fine",
            "10.555",
            "--due",
            "2024-01-15",
            "--on",
            "2024-02-18",
        ],
        1,
        "无效的罚款数额",
    );
    fails(
        &[
            "deadline",
            "surcharge",
            "--fine",
            "10",
            "--due",
            "2024-01-15",
            "--on",
            "2024-02-18",
            "--exclude",
            "2024-02-01:2024-01-01",
        ],
        1,
        "无效的扣除期间",
    );
    fails(
        &[
            "deadline",
            "surcharge",
            "--fine",
            "10",
            "--due",
            "2024-01-15",
        ],
        2,
        "缺少必需参数: --on",
    );
}

#[test]
fn rules_table_with_citations() {
    let o = zhifa(&["deadline", "rules"]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(s.contains("ap_64_hearing_request\t2 告知/听证\t5 个工作日\tworking_days\t告知书送达之日\t行政处罚法 art.64(一)\t听证申请期限"), "{s}");
    assert!(s.contains("ap_64_hearing_notice\t2 告知/听证\t7 个工作日前\tworking_days_before"));
    assert!(s.contains("p_legal_review\t3 审核/决定\t7 个工作日"));
    assert!(s.contains("节假日日历 2017–2026"));
    let o = zhifa(&["deadline", "rules", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows = v.as_array().unwrap();
    assert!(rows.len() >= 67, "{}", rows.len());
    assert!(rows
        .iter()
        .all(|r| r["citation"].as_str().is_some_and(|c| !c.is_empty())));
    // A provincial profile changes the three-systems rows.
    let p = temp_file(
        "liaoning.json",
        r#"{"name": "辽宁", "legal_review_extension_working_days": 3}"#,
    );
    let o = zhifa(&["deadline", "rules", "--profile", p.to_str().unwrap()]);
    let s = stdout(&o);
    assert!(
        s.contains("p_legal_review_extension\t3 审核/决定\t3 个工作日") && s.contains("「辽宁」"),
        "{s}"
    );
    let bad = temp_file("bad-profile.json", r#"{"archive_dayz": 3}"#);
    fails(
        &["deadline", "rules", "--profile", bad.to_str().unwrap()],
        1,
        "未知字段",
    );
}

#[test]
fn batch_keeps_order_and_survives_bad_lines() {
    let input = concat!(
        "{\"rule\":\"working_days\",\"start\":\"2024-09-30\",\"n\":5}\n",
        "not json\n",
        "\n",
        "{\"rule\":\"months\",\"start\":\"2024-01-31\",\"n\":1,\"id\":\"extra fields ignored\"}\r\n",
        "{\"rule\":\"fortnights\",\"start\":\"2024-01-31\",\"n\":1}\n",
        "{\"rule\":\"working_days\",\"start\":\"2027-01-05\",\"n\":3}\n",
        "{\"rule\":\"years_raw\",\"start\":\"2024-02-29\",\"n\":4}\n",
        "{\"rule\":\"calendar_days\",\"start\":\"2024-09-20\",\"n\":0}\n",
        "{\"rule\":\"calendar_days\",\"start\":\"2024-09-20\",\"n\":1.5}\n",
        "{\"rule\":\"calendar_days\",\"start\":\"2024-09-20\"}\n",
        "{\"rule\":\"calendar_days\",\"start\":\"2024-9-20\",\"n\":15}\n",
        "[1,2,3]\n",
        "[\"working_days\",\"2024-09-30\",5]\n",
        "{\"rule\":\"years_raw\",\"start\":\"2024-01-01\",\"n\":8000}\n",
        "{\"rule\":\"calendar_days\",\"start\":\"2024-09-20\",\"n\":15}", // no final newline
    );
    let o = zhifa_stdin(&["deadline", "batch"], input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 15);
    let due = |i: usize| lines[i]["due"].as_str().map(str::to_owned);
    let err = |i: usize| {
        lines[i]["error"]
            .as_str()
            .unwrap_or_else(|| panic!("line {i}: {}", lines[i]))
            .to_owned()
    };
    assert_eq!(due(0).as_deref(), Some("2024-10-12"));
    assert!(err(1).contains("无效的 JSON"));
    assert!(err(2).contains("空行"));
    assert_eq!(due(3).as_deref(), Some("2024-02-29"));
    assert!(err(4).contains("未知的计算规则"));
    assert!(err(5).contains("2027-01-06 超出已加载的节假日日历范围 (2017–2026)"));
    assert_eq!(due(6).as_deref(), Some("2028-02-29"));
    assert!(err(7).contains("必须为正整数"));
    assert!(err(8).contains("无效的期间 n"));
    assert!(err(9).contains("缺少字段 \"n\""));
    assert!(err(10).contains("无效日期"));
    assert!(err(11).contains("无效的 JSON"));
    // An array is not read as the object by position.
    assert!(err(12).contains("应为 JSON 对象"), "{}", err(12));
    // A date past 9999 cannot be written as YYYY-MM-DD.
    assert!(err(13).contains("超出可表示的日期范围"), "{}", err(13));
    assert_eq!(due(14).as_deref(), Some("2024-10-08"));
    // Exact wire format of a success line.
    assert!(stdout(&o).starts_with("{\"due\":\"2024-10-12\"}\n"));
    // Empty input → empty output, exit 0.
    let o = zhifa_stdin(&["deadline", "batch"], "");
    assert_eq!((o.status.code(), o.stdout.len()), (Some(0), 0));
}

#[test]
fn batch_many_lines_agree_with_add() {
    // 2,000 lines over all rules (some run past 2026 → R10 errors); spot-check
    // against `add`, errors included.
    let rules = [
        "working_days",
        "calendar_days",
        "calendar_days_raw",
        "months",
        "months_raw",
        "years",
        "years_raw",
    ];
    let mut input = String::new();
    let mut cases = Vec::new();
    for i in 0..2000u32 {
        let rule = rules[(i % 7) as usize];
        let start = chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap()
            + chrono::Days::new(u64::from(i * 3));
        let n = 1 + (i % 20);
        input.push_str(&format!(
            "{{\"rule\":\"{rule}\",\"start\":\"{start}\",\"n\":{n}}}\n"
        ));
        cases.push((rule, start.to_string(), n.to_string()));
    }
    let o = zhifa_stdin(&["deadline", "batch"], &input);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2000);
    for i in (0..2000).step_by(97) {
        let (rule, start, n) = &cases[i];
        let a = zhifa(&[
            "deadline", "add", "--rule", rule, "--start", start, "--n", n,
        ]);
        let want = if a.status.success() {
            serde_json::json!({ "due": stdout(&a).trim() })
        } else {
            serde_json::json!({ "error": stderr(&a).trim().trim_start_matches("错误: ") })
        };
        assert_eq!(lines[i], want.to_string(), "line {i}");
    }
}

#[test]
fn calendar_option_loads_a_newer_year() {
    // Synthetic 2027 (not the real arrangement): 元旦 01-01..03, make-up Sun 01-31.
    let cal = temp_file(
        "cal2027.json",
        r#"{"2027": {"holidays": ["2027-01-01","2027-01-02","2027-01-03"], "workdays": ["2027-01-31"]}}"#,
    );
    let cal = cal.to_str().unwrap();
    // 2026-12-31 (1), 2027-01-01..03 rest, 01-04 Mon (2).
    ok(
        &[
            "deadline",
            "--calendar",
            cal,
            "add",
            "--rule",
            "working_days",
            "--start",
            "2026-12-30",
            "--n",
            "2",
        ],
        "2027-01-04\n",
    );
    // Option after the subcommand works too. 01-29 Fri + 1: 01-30 Sat rest, 01-31 Sun make-up.
    ok(
        &[
            "deadline",
            "add",
            "--rule",
            "working_days",
            "--start",
            "2027-01-29",
            "--n",
            "1",
            "--calendar",
            cal,
        ],
        "2027-01-31\n",
    );
    ok(
        &[
            "deadline",
            "before",
            "--start",
            "2027-01-04",
            "--n",
            "1",
            "--calendar",
            cal,
        ],
        "2026-12-31\n",
    );
    let o = zhifa_stdin(
        &["deadline", "batch", "--calendar", cal],
        "{\"rule\":\"working_days\",\"start\":\"2027-12-30\",\"n\":2}\n",
    );
    assert!(
        stdout(&o).contains("2028-01-01 超出已加载的节假日日历范围 (2017–2027)"),
        "{}",
        stdout(&o)
    );
    let o = zhifa(&["deadline", "rules", "--calendar", cal]);
    assert!(stdout(&o).contains("节假日日历 2017–2027"));
    // Bad or missing files are errors, not silently ignored.
    let bad = temp_file("bad.json", r#"{"2027": {"holidays": []}}"#);
    fails(
        &[
            "deadline",
            "--calendar",
            bad.to_str().unwrap(),
            "add",
            "--rule",
            "working_days",
            "--start",
            "2024-01-05",
            "--n",
            "1",
        ],
        1,
        "节假日日历数据无效",
    );
    fails(
        &[
            "deadline",
            "--calendar",
            "/nonexistent/cal.json",
            "add",
            "--rule",
            "working_days",
            "--start",
            "2024-01-05",
            "--n",
            "1",
        ],
        1,
        "无法读取日历文件",
    );
}

#[test]
fn help_and_version_exit_zero() {
    let o = zhifa(&["deadline", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("batch"));
    let o = zhifa(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
}
