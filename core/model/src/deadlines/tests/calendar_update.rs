//! Calendar updates without an app release: a synthetic 2027, merges,
//! replacement of a year, validation, versions.

use super::{d, r};
use crate::deadlines::calendar::EMBEDDED_CALENDAR_JSON;
use crate::deadlines::{Calendar, DeadlineError, YearData};

/// A made-up 2027 arrangement (NOT the real one, which is not published yet):
/// 元旦 01-01 (Fri)..01-03; 春节 02-06 (Sat)..02-13 (Sat) with make-up
/// Sun 01-31 and Sat 02-20; 国庆 10-01..10-07 with make-up Sat 10-09.
pub(crate) const SYNTHETIC_2027: &str = r#"{
  "2027": {
    "holidays": ["2027-01-01","2027-01-02","2027-01-03",
                 "2027-02-06","2027-02-07","2027-02-08","2027-02-09","2027-02-10",
                 "2027-02-11","2027-02-12","2027-02-13",
                 "2027-10-01","2027-10-02","2027-10-03","2027-10-04","2027-10-05",
                 "2027-10-06","2027-10-07"],
    "workdays": ["2027-01-31","2027-02-20","2027-10-09"],
    "names": {"2027-01-01": "元旦"},
    "notices": ["synthetic test data"]
  }
}"#;

#[test]
fn embedded_calendar_loads() {
    let cal = Calendar::embedded();
    assert_eq!(cal.covered_years(), (2017..=2026).collect::<Vec<_>>());
    assert_eq!(cal.loaded_years_text(), "2017–2026");
    assert_eq!(cal.version().len(), 16);
    // Parse once: the same instance every time.
    assert!(std::ptr::eq(cal, Calendar::embedded()));
}

#[test]
fn synthetic_2027_extends_the_range() {
    let base = Calendar::embedded();
    let cal = base.merge_json(SYNTHETIC_2027).unwrap();
    assert_eq!(cal.loaded_years_text(), "2017–2027");
    assert!(cal.covers_year(2027));
    assert_ne!(cal.version(), base.version());
    // Before the update this was an R10 error …
    assert!(base.add(r("working_days"), d("2026-12-30"), 2).is_err());
    // … now: 12-31 Thu (1), 2027-01-01..03 rest, 01-04 Mon (2).
    assert_eq!(
        cal.add(r("working_days"), d("2026-12-30"), 2),
        Ok(d("2027-01-04"))
    );
    // 01-29 Fri + 1 wd: 01-30 Sat rest, 01-31 Sun make-up (1).
    assert_eq!(
        cal.add(r("working_days"), d("2027-01-29"), 1),
        Ok(d("2027-01-31"))
    );
    // 02-05 Fri + 1 wd: 02-06..13 rest, 02-14 Sun plain rest, 02-15 Mon.
    assert_eq!(
        cal.add(r("working_days"), d("2027-02-05"), 1),
        Ok(d("2027-02-15"))
    );
    // calendar_days: 2026-12-20 + 15 = 2027-01-04 Mon … and + 13 = 01-02 (rest) → 01-04.
    assert_eq!(
        cal.add(r("calendar_days"), d("2026-12-20"), 13),
        Ok(d("2027-01-04"))
    );
    // 2027-09-01 + 1 month = 10-01 (rest to 10-07) → 10-08 Fri.
    assert_eq!(
        cal.add(r("months"), d("2027-09-01"), 1),
        Ok(d("2027-10-08"))
    );
    // R9 across the boundary: 2027-01-04 − 1 wd = 2026-12-31.
    assert_eq!(
        cal.working_days_before(d("2027-01-04"), 1),
        Ok(d("2026-12-31"))
    );
    // 2028 is still unknown.
    assert!(matches!(
        cal.add(r("working_days"), d("2027-12-30"), 2),
        Err(DeadlineError::OutOfCalendar { date, ref loaded }) if date == d("2028-01-01") && loaded == "2017–2027"
    ));
    // The original embedded calendar is unchanged.
    assert_eq!(base.loaded_years_text(), "2017–2026");
}

#[test]
fn a_gap_year_is_never_guessed() {
    // Load 2029 without 2027/2028: counting through the gap is an error.
    // Synthetic 2029: 元旦 01-01 (Mon)..01-03 (Wed) only.
    let y2029 = r#"{"2029": {"holidays": ["2029-01-01", "2029-01-02", "2029-01-03"]}}"#;
    let cal = Calendar::embedded().merge_json(y2029).unwrap();
    assert_eq!(cal.loaded_years_text(), "2017–2026, 2029");
    assert!(matches!(
        cal.add(r("working_days"), d("2026-12-30"), 300),
        Err(DeadlineError::OutOfCalendar { date, .. }) if date == d("2027-01-01")
    ));
    assert!(cal.add(r("calendar_days"), d("2027-06-01"), 10).is_err());
    // Inside 2029 itself counting works (2029-01-01 Mon rest .. 01-03; 01-04 Thu).
    assert_eq!(
        cal.add(r("working_days"), d("2028-12-31"), 1),
        Ok(d("2029-01-04"))
    );
    // R9 from 2029 back into the gap fails.
    assert!(matches!(
        cal.working_days_before(d("2029-01-04"), 1),
        Err(DeadlineError::OutOfCalendar { date, .. }) if date == d("2028-12-31")
    ));
}

#[test]
fn merge_replaces_a_corrected_year() {
    // A corrected 2026 that (hypothetically) adds 12-31 as a rest day.
    let cal = Calendar::embedded();
    let mut y = cal.year(2026).unwrap().clone();
    y.holidays.insert(d("2026-12-31"));
    let fixed = cal.with_year(2026, y).unwrap();
    assert_eq!(fixed.is_working_day(d("2026-12-31")), Ok(false));
    assert_eq!(cal.is_working_day(d("2026-12-31")), Ok(true));
    assert_ne!(fixed.version(), cal.version());
}

#[test]
fn json_round_trip_keeps_version() {
    let cal = Calendar::embedded();
    let again = Calendar::from_json(&cal.to_json()).unwrap();
    assert_eq!(again.version(), cal.version());
    assert_eq!(again.covered_years(), cal.covered_years());
    // Merging the same data again changes nothing.
    assert_eq!(
        cal.merge_json(EMBEDDED_CALENDAR_JSON).unwrap().version(),
        cal.version()
    );
}

#[test]
fn invalid_calendars_are_rejected() {
    let cases = [
        ("not json", "JSON"),
        ("{}", "不含任何年份"),
        (r#"{"27": {"holidays": ["2027-01-01"]}}"#, "四位年份"),
        (r#"{"2027": {"holidays": []}}"#, "没有任何节假日"),
        (r#"{"2027": {"workdays": []}}"#, "格式错误"),
        (r#"{"2027": {"holidays": ["2027-02-30"]}}"#, "无效"),
        (r#"{"2027": {"holidays": ["2026-12-31"]}}"#, "不属于"),
        // 2027-01-04 is a Monday: not a make-up weekend day.
        (
            r#"{"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-01-04"]}}"#,
            "不是周六或周日",
        ),
        (
            r#"{"2027": {"holidays": ["2027-01-02"], "workdays": ["2027-01-02"]}}"#,
            "同时",
        ),
        (r#"{"2300": {"holidays": ["2300-01-01"]}}"#, "超出支持范围"),
    ];
    for (json, needle) in cases {
        match Calendar::from_json(json) {
            Err(e @ DeadlineError::InvalidCalendar(_)) => {
                assert!(e.to_string().contains(needle), "{json}: {e}")
            }
            other => panic!("{json}: expected InvalidCalendar, got {other:?}"),
        }
    }
    // Comment keys are allowed.
    assert!(
        Calendar::from_json(r#"{"_comment": "x", "2027": {"holidays": ["2027-01-01"]}}"#).is_ok()
    );
}

#[test]
fn with_year_validates() {
    let cal = Calendar::embedded();
    assert!(YearData::new(2027, [], []).is_err());
    let empty = YearData {
        holidays: Default::default(),
        workdays: Default::default(),
        names: Default::default(),
        notices: vec![],
    };
    assert!(cal.with_year(2027, empty).is_err());
    let wrong_year = YearData::new(2026, [d("2026-01-01")], []).unwrap();
    assert!(cal.with_year(2027, wrong_year).is_err());
    let y = YearData::new(2027, [d("2027-01-01")], [d("2027-01-31")]).unwrap();
    let cal = cal.with_year(2027, y).unwrap();
    assert_eq!(cal.loaded_years_text(), "2017–2027");
}
