//! The statutory table and the provincial profile as data.

use super::d;
use crate::deadlines::profile::DEFAULT_PROFILE_JSON;
use crate::deadlines::{Calendar, Counting, Profile, RuleTable};

#[test]
fn embedded_rule_table_loads() {
    let t = RuleTable::embedded();
    assert!(t.rules().len() >= 60, "{}", t.rules().len());
    for r in t.rules() {
        assert!(
            r.citation.contains("art."),
            "{}: citation {}",
            r.id,
            r.citation
        );
        assert!(!r.title.is_empty() && !r.description.is_empty() && !r.trigger_zh.is_empty());
        assert!(r.n >= 1 && (1..=96).contains(&r.row), "{}", r.id);
    }
    let h = t.get("ap_64_hearing_request").unwrap();
    assert_eq!(
        (h.n, h.rule, h.title.as_str()),
        (5, Counting::WorkingDays, "听证申请期限")
    );
    assert_eq!(
        t.get("ap_64_hearing_notice").unwrap().rule,
        Counting::WorkingDaysBefore
    );
    assert_eq!(t.get("ap_60_decision").unwrap().n, 90);
    assert!(t.get("ap_60_decision").unwrap().raw_target);
    assert_eq!(
        t.get("ac_53_court_application").unwrap().rule,
        Counting::Months
    );
}

/// Statutory extensions (经批准延长, at most N more) and second triggers are
/// rows of their own, counted from the original period's end (rows 48, 50,
/// 67, 68, 75 of deadline_table.md).
#[test]
fn extensions_and_second_triggers_are_rows() {
    let t = RuleTable::embedded();
    for (id, n, rule, trigger, citation) in [
        (
            "ac_25_seizure_extension",
            30,
            Counting::CalendarDays,
            "seizure_due",
            "行政强制法 art.25",
        ),
        (
            "ac_32_freeze_extension",
            30,
            Counting::CalendarDays,
            "freeze_due",
            "行政强制法 art.32",
        ),
        (
            "ar_62_decision_extension",
            30,
            Counting::CalendarDays,
            "review_decision_due",
            "行政复议法 art.62",
        ),
        (
            "al_45_review_lapsed",
            15,
            Counting::CalendarDays,
            "review_period_expired",
            "行政诉讼法 art.45",
        ),
        (
            "gi_33_reply_extension",
            20,
            Counting::WorkingDays,
            "reply_due",
            "政府信息公开条例 art.33",
        ),
    ] {
        let r = t.get(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(
            (r.n, r.rule, r.trigger.as_str(), r.citation.as_str()),
            (n, rule, trigger, citation),
            "{id}"
        );
    }
}

/// The statutes' own counting clauses, checked against every row: if a row
/// used the wrong unit this test fails.
/// - 行政处罚法 art.85: “二日”“三日”“五日”“七日” are working days; longer are calendar days.
/// - 行政强制法 art.69: periods of ten days or less are working days.
/// - 行政复议法 art.88: “三日”“五日”“七日”“十日” are working days.
/// - 行政诉讼法 and 民事诉讼法 have no working-day clause: calendar days.
/// - 政府信息公开条例 says “个工作日” expressly.
#[test]
fn day_units_follow_the_statutes() {
    for r in RuleTable::embedded().rules() {
        let law = r.citation.split_whitespace().next().unwrap_or("");
        let days = matches!(
            r.rule,
            Counting::WorkingDays
                | Counting::WorkingDaysBefore
                | Counting::CalendarDays
                | Counting::CalendarDaysRaw
        );
        if !days {
            continue;
        }
        let wd = matches!(r.rule, Counting::WorkingDays | Counting::WorkingDaysBefore);
        let expect_wd = match law {
            "行政处罚法" => [2, 3, 5, 7].contains(&r.n),
            "行政强制法" => r.n <= 10,
            "行政复议法" => [3, 5, 7, 10].contains(&r.n),
            "行政诉讼法" | "民事诉讼法" => false,
            "政府信息公开条例" | "档案行政处罚程序规定" => true,
            _ => wd,
        };
        assert_eq!(
            wd,
            expect_wd,
            "{} ({} {} {})",
            r.id,
            r.citation,
            r.n,
            r.rule.as_str()
        );
    }
}

#[test]
fn every_row_counts_for_a_sample_trigger() {
    let cal = Calendar::embedded();
    for r in RuleTable::embedded().rules() {
        let due = r.due_provisional(cal, d("2024-03-15")).unwrap();
        match r.rule {
            Counting::WorkingDaysBefore => assert!(due.date < d("2024-03-15")),
            _ => assert!(due.date > d("2024-03-15")),
        }
    }
    // The art.72 cap row: due date + 34 days is the day the surcharge reaches the fine.
    let cap = RuleTable::embedded().get("ap_72_surcharge_cap").unwrap();
    assert_eq!(cap.due(cal, d("2024-01-15")), Ok(d("2024-02-18")));
}

#[test]
fn default_profile_is_the_seed() {
    let p = Profile::default();
    assert_eq!(Profile::from_json(DEFAULT_PROFILE_JSON).unwrap(), p);
    assert_eq!(
        (
            p.publication_working_days,
            p.display_years,
            p.display_years_natural_person,
            p.legal_review_working_days,
            p.legal_review_extension_working_days,
            p.archive_days,
            p.prepublicity_update_working_days
        ),
        (7, 5, 2, 7, 5, 30, 20)
    );
    let rows = p.rules();
    assert_eq!(rows.len(), 7);
    for r in &rows {
        assert!(
            r.id.starts_with("p_") && r.citation.contains("三项制度"),
            "{}",
            r.id
        );
    }
    // Profile rows extend the statutory table without id clashes.
    assert!(RuleTable::embedded().extended(rows).is_ok());
}

#[test]
fn profile_json_is_validated() {
    let p = Profile::from_json(r#"{"_comment": "辽宁", "legal_review_extension_working_days": 3}"#)
        .unwrap();
    assert_eq!(
        (
            p.legal_review_working_days,
            p.legal_review_extension_working_days
        ),
        (7, 3)
    );
    assert!(Profile::from_json(r#"{"archive_day": 30}"#).is_err()); // typo
    assert!(Profile::from_json(r#"{"archive_days": 0}"#).is_err());
    assert!(Profile::from_json(r#"{"archive_days": "30"}"#).is_err());
    assert!(Profile::from_json("[]").is_err());
}

#[test]
fn rule_table_json_is_validated() {
    assert!(RuleTable::from_json("{}").is_err());
    let dup = r#"{"rules": [
      {"id":"x","row":1,"stage":"s","trigger":"t","trigger_zh":"t","n":1,"rule":"months","kind":"deadline","owner":"agency","citation":"c art.1","title":"t","description":"d"},
      {"id":"x","row":1,"stage":"s","trigger":"t","trigger_zh":"t","n":1,"rule":"months","kind":"deadline","owner":"agency","citation":"c art.1","title":"t","description":"d"}
    ]}"#;
    assert!(RuleTable::from_json(dup).is_err());
    let zero = dup
        .replacen(r#""id":"x""#, r#""id":"y""#, 1)
        .replace(r#""n":1"#, r#""n":0"#);
    assert!(RuleTable::from_json(&zero).is_err());
}
