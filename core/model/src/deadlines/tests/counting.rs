//! Period counting vectors. Every expected value was derived by hand from
//! `data/cn_calendar.json` (the derivation is in the comment of each row) and
//! cross-checked with a naive day-by-day count. Rows marked "wrong-data"
//! would fail with the erroneous calendars listed in
//! `cn_calendar_disagreements.json`, i.e. they pin the special arrangements.

use super::{d, r};
use crate::deadlines::{Calendar, DeadlineError, Rule};
use chrono::NaiveDate;

/// (rule, start, n, expected due, derivation)
const FORWARD: &[(&str, &str, i64, &str, &str)] = &[
    // ---- working_days (R1, R3) ----
    // Spring Festival 2024: rest 02-10..02-17, make-up Sun 02-04 and 02-18.
    // 02-09 Fri = wd1; 02-10..17 rest; 02-18 Sun make-up = wd2; 02-19 Mon = wd3.
    (
        "working_days",
        "2024-02-08",
        3,
        "2024-02-19",
        "SF2024 block + make-up Sunday",
    ),
    // National Day 2024: rest 10-01..10-07, make-up Sat 10-12.
    // 10-08 Tue wd1, 10-09 wd2, 10-10 wd3, 10-11 wd4, 10-12 Sat (make-up) wd5.
    (
        "working_days",
        "2024-09-30",
        5,
        "2024-10-12",
        "ND2024 + make-up Saturday",
    ),
    // R1: start on a holiday (10-03) — counting starts next day; 10-04..07 rest; 10-08 Tue.
    (
        "working_days",
        "2024-10-03",
        1,
        "2024-10-08",
        "start on holiday",
    ),
    // 2019 Labour Day (国办发明电〔2019〕2号): rest 05-01..04; make-up Sun 04-28, 05-05.
    // 04-27 Sat rest, 04-28 Sun make-up = wd1. wrong-data (cnworkdays) gives 04-29.
    (
        "working_days",
        "2019-04-26",
        1,
        "2019-04-28",
        "2019 Labour Day make-up 04-28",
    ),
    // 05-01..04 rest, 05-05 Sun make-up = wd1. wrong-data gives 05-02.
    (
        "working_days",
        "2019-04-30",
        1,
        "2019-05-05",
        "2019 Labour Day make-up 05-05",
    ),
    // 2020 Spring Festival extended to 02-02 (国办发明电〔2020〕1号): rest 01-24..02-02,
    // the make-up Saturday 02-01 was cancelled. 02-03 Mon = wd1. wrong-data gives 01-31.
    (
        "working_days",
        "2020-01-23",
        1,
        "2020-02-03",
        "2020 SF extension",
    ),
    // 2025-02-08 Sat is a make-up workday (SF 2025): wd1.
    (
        "working_days",
        "2025-02-07",
        1,
        "2025-02-08",
        "make-up Saturday 2025",
    ),
    // SF 2026: make-up Sat 02-14 = wd1; then rest 02-15..23; 02-24 Tue = wd2.
    (
        "working_days",
        "2026-02-13",
        1,
        "2026-02-14",
        "SF2026 make-up Saturday before",
    ),
    (
        "working_days",
        "2026-02-13",
        2,
        "2026-02-24",
        "SF2026 nine-day block",
    ),
    // SF 2023: rest 01-21..27, make-up Sat 01-28 and Sun 01-29 = wd1, wd2.
    (
        "working_days",
        "2023-01-20",
        2,
        "2023-01-29",
        "two make-up weekend days",
    ),
    // Whole year 2024: 366 days − 104 Sat/Sun − 19 weekday holidays (01-01; 02-12..16;
    // 04-04,05; 05-01..03; 06-10; 09-16,17; 10-01..04,07) + 8 make-up days = 251.
    (
        "working_days",
        "2023-12-31",
        251,
        "2024-12-31",
        "all 251 working days of 2024",
    ),
    // …and the 252nd: 2025-01-01 is 元旦, 01-02 Thu.
    (
        "working_days",
        "2023-12-31",
        252,
        "2025-01-02",
        "crosses into 2025",
    ),
    // Last loaded day: 2026-12-31 Thu.
    (
        "working_days",
        "2026-12-30",
        1,
        "2026-12-31",
        "last loaded day",
    ),
    // R1: the start's own status is irrelevant, even outside the calendar:
    // 2017-01-01/02 元旦 rest, 01-03 Tue = wd1.
    (
        "working_days",
        "2016-12-31",
        1,
        "2017-01-03",
        "start before calendar, needed days inside",
    ),
    // Leap day: 2024-02-28 Wed + 1 = 02-29 Thu.
    (
        "working_days",
        "2024-02-28",
        1,
        "2024-02-29",
        "leap day is a working day",
    ),
    // Plain week: 2024-06-14 Fri + 1 → Sat/Sun rest → 06-17 Mon.
    (
        "working_days",
        "2024-06-14",
        1,
        "2024-06-17",
        "plain weekend",
    ),
    // ---- calendar_days (R1, R4) ----
    // 09-20 + 15 = 10-05 (National Day) → 10-06, 10-07 rest → 10-08 Tue.
    (
        "calendar_days",
        "2024-09-20",
        15,
        "2024-10-08",
        "lands in ND block",
    ),
    // 09-19 + 10 = 09-29 Sun, a make-up workday → not rolled.
    (
        "calendar_days",
        "2024-09-19",
        10,
        "2024-09-29",
        "lands on make-up Sunday",
    ),
    // Start in SF block (02-10) + 15 = 02-25 Sun (not make-up) → 02-26 Mon.
    (
        "calendar_days",
        "2024-02-10",
        15,
        "2024-02-26",
        "start on holiday, lands on Sunday",
    ),
    // 01-14 + 15 = 01-29 (SF 2025 rest 01-28..02-04) → 02-05 Wed.
    (
        "calendar_days",
        "2025-01-14",
        15,
        "2025-02-05",
        "SF2025 block",
    ),
    // 01-16 + 15 = 01-31 (2020 extension rest) → 02-01 Sat (cancelled make-up, rest),
    // 02-02 Sun rest → 02-03 Mon. wrong-data gives 01-31.
    (
        "calendar_days",
        "2020-01-16",
        15,
        "2020-02-03",
        "2020 SF extension",
    ),
    // 04-13 + 15 = 04-28 Sun, make-up workday (2019 adjustment). wrong-data gives 04-29.
    (
        "calendar_days",
        "2019-04-13",
        15,
        "2019-04-28",
        "2019 make-up Sunday",
    ),
    // 2017-01-27 + 1 = 01-28 (SF 2017 rest 01-27..02-02) → 02-03 Fri.
    ("calendar_days", "2017-01-27", 1, "2017-02-03", "SF2017"),
    // 2026-12-01 + 30 = 12-31 Thu, working.
    (
        "calendar_days",
        "2026-12-01",
        30,
        "2026-12-31",
        "end of calendar, no roll needed",
    ),
    // Across a leap day: 2024-02-15 + 15 = 03-01 Fri.
    (
        "calendar_days",
        "2024-02-15",
        15,
        "2024-03-01",
        "leap February",
    ),
    // ---- calendar_days_raw (R6) ----
    (
        "calendar_days_raw",
        "2024-09-20",
        15,
        "2024-10-05",
        "no roll-forward",
    ),
    // Raw needs no calendar: 2030 is fine.
    (
        "calendar_days_raw",
        "2029-12-20",
        15,
        "2030-01-04",
        "raw beyond calendar",
    ),
    // ---- months (R5) ----
    // 01-31 + 1 month → Feb has no 31st → 02-29 (leap) Thu, working.
    (
        "months",
        "2024-01-31",
        1,
        "2024-02-29",
        "month-end clamp, leap",
    ),
    // 2023 not leap → 02-28 Tue.
    ("months", "2023-01-31", 1, "2023-02-28", "month-end clamp"),
    // No snapping: 02-28 + 1 month = 03-28 (Tue), not 03-31.
    (
        "months",
        "2023-02-28",
        1,
        "2023-03-28",
        "no snap to month end",
    ),
    // 03-31 + 1 → 04-30 Wed (2025), working.
    ("months", "2025-03-31", 1, "2025-04-30", "clamp to 30"),
    // 08-01 + 2 = 10-01 (National Day) → 10-08.
    (
        "months",
        "2024-08-01",
        2,
        "2024-10-08",
        "month period rolled",
    ),
    // 2025-12-31 + 2 = 2026-02-28 (clamped) — a make-up Saturday: not rolled.
    (
        "months",
        "2025-12-31",
        2,
        "2026-02-28",
        "clamp onto make-up Saturday",
    ),
    // 2025-08-23 + 6 = 2026-02-23 (SF 2026 rest) → 02-24 Tue.
    (
        "months",
        "2025-08-23",
        6,
        "2026-02-24",
        "6 months into SF2026",
    ),
    // 2019-05-31 + 1 → 06-30 Sun → 07-01 Mon.
    ("months", "2019-05-31", 1, "2019-07-01", "clamp then roll"),
    // ---- months_raw ----
    (
        "months_raw",
        "2024-08-01",
        2,
        "2024-10-01",
        "no roll-forward",
    ),
    ("months_raw", "2024-01-31", 1, "2024-02-29", "clamp, raw"),
    (
        "months_raw",
        "2023-01-31",
        13,
        "2024-02-29",
        "13 months into leap February",
    ),
    // ---- years (R5) ----
    // 2024-02-29 + 1 year → 2025-02-28 Fri, working.
    ("years", "2024-02-29", 1, "2025-02-28", "leap day clamp"),
    // 2020-02-29 + 1 → 2021-02-28 Sun → 03-01 Mon.
    (
        "years",
        "2020-02-29",
        1,
        "2021-03-01",
        "leap day clamp then roll",
    ),
    // 2019-10-01 + 5 → 2024-10-01 (ND) → 10-08.
    ("years", "2019-10-01", 5, "2024-10-08", "years rolled"),
    // 2017-10-01 + 1 → 2018-10-01 (ND 2018 rest 10-01..07) → 10-08.
    ("years", "2017-10-01", 1, "2018-10-08", "years rolled 2018"),
    // ---- years_raw (R6) ----
    (
        "years_raw",
        "2020-02-29",
        1,
        "2021-02-28",
        "leap day clamp, raw",
    ),
    (
        "years_raw",
        "2024-02-29",
        4,
        "2028-02-29",
        "leap to leap, beyond calendar",
    ),
    (
        "years_raw",
        "2026-03-15",
        5,
        "2031-03-15",
        "5-year display beyond calendar",
    ),
];

#[test]
fn forward_vectors() {
    let cal = Calendar::embedded();
    for &(rule, start, n, want, why) in FORWARD {
        let got = cal.add(r(rule), d(start), n);
        assert_eq!(got, Ok(d(want)), "{rule} {start} +{n} ({why})");
    }
}

/// R9: (X, n, latest date, derivation)
const BEFORE: &[(&str, i64, &str, &str)] = &[
    // Hearing 2024-10-08 Tue; strictly before: 09-30 Mon (1), 09-29 Sun make-up (2),
    // 09-28 Sat rest, 09-27 (3), 09-26 (4), 09-25 (5), 09-24 (6), 09-23 Mon (7).
    (
        "2024-10-08",
        7,
        "2024-09-23",
        "art.64 across ND block with make-up Sunday",
    ),
    // 代履行 2024-02-19 Mon: 02-18 Sun make-up (1), 02-17..10 rest, 02-09 (2), 02-08 (3).
    ("2024-02-19", 3, "2024-02-08", "art.51 across SF block"),
    // 2020-02-03: 02-02..01-24 rest (extension) → 01-23 Thu.
    ("2020-02-03", 1, "2020-01-23", "2020 SF extension"),
    // Plain: Monday 2024-06-17 − 1 wd = Fri 06-14.
    ("2024-06-17", 1, "2024-06-14", "plain weekend"),
    // X itself a working day is never counted: Fri 2024-06-14 − 1 = Thu 06-13.
    ("2024-06-14", 1, "2024-06-13", "X excluded"),
    // 2019-05-06 Mon: 05-05 Sun make-up (1), 05-01..04 rest, 04-30 (2), 04-29 (3), 04-28 Sun make-up (4).
    (
        "2019-05-06",
        4,
        "2019-04-28",
        "2019 Labour Day both make-up Sundays",
    ),
];

#[test]
fn before_vectors() {
    let cal = Calendar::embedded();
    for &(x, n, want, why) in BEFORE {
        assert_eq!(
            cal.working_days_before(d(x), n),
            Ok(d(want)),
            "{x} -{n} ({why})"
        );
    }
}

/// (rule, start, n, first date whose status is unknown)
const OUT_OF_RANGE: &[(&str, &str, i64, &str)] = &[
    // 2026-12-31 is wd1; wd2 would need 2027-01-01.
    ("working_days", "2026-12-30", 2, "2027-01-01"),
    // Start in 2027: the first needed day is 2027-01-06.
    ("working_days", "2027-01-05", 3, "2027-01-06"),
    // 2016-12-31 (Sat) is needed and 2016 is not loaded.
    ("working_days", "2016-12-30", 1, "2016-12-31"),
    // 12-02 + 30 = 2027-01-01: its status is unknown.
    ("calendar_days", "2026-12-02", 30, "2027-01-01"),
    ("calendar_days", "2026-12-20", 30, "2027-01-19"),
    ("calendar_days", "2016-06-01", 10, "2016-06-11"),
    ("months", "2026-12-15", 1, "2027-01-15"),
    ("years", "2024-02-29", 4, "2028-02-29"),
    // Huge n runs off the end of the index.
    ("working_days", "2017-01-01", 1_000_000, "2027-01-01"),
];

#[test]
fn out_of_range_is_a_typed_error() {
    let cal = Calendar::embedded();
    for &(rule, start, n, first_unknown) in OUT_OF_RANGE {
        match cal.add(r(rule), d(start), n) {
            Err(DeadlineError::OutOfCalendar { date, loaded }) => {
                assert_eq!(date, d(first_unknown), "{rule} {start} +{n}");
                assert_eq!(loaded, "2017–2026");
            }
            other => panic!("{rule} {start} +{n}: expected R10 error, got {other:?}"),
        }
    }
    assert!(matches!(
        cal.working_days_before(d("2017-01-03"), 1),
        Err(DeadlineError::OutOfCalendar { date, .. }) if date == d("2016-12-31")
    ));
    let msg = cal
        .add(Rule::WorkingDays, d("2027-01-05"), 3)
        .unwrap_err()
        .to_string();
    assert_eq!(msg, "2027-01-06 超出已加载的节假日日历范围 (2017–2026)");
}

#[test]
fn n_must_be_positive_for_every_rule() {
    let cal = Calendar::embedded();
    for rule in Rule::ALL {
        for n in [0, -1, -30, i64::MIN] {
            assert_eq!(
                cal.add(rule, d("2024-05-10"), n),
                Err(DeadlineError::NonPositivePeriod(n)),
                "{rule} n={n}"
            );
        }
    }
    assert_eq!(
        cal.working_days_before(d("2024-05-10"), 0),
        Err(DeadlineError::NonPositivePeriod(0))
    );
}

#[test]
fn overflow_is_an_error_not_a_panic() {
    let cal = Calendar::embedded();
    for rule in [Rule::CalendarDaysRaw, Rule::MonthsRaw, Rule::YearsRaw] {
        assert_eq!(
            cal.add(rule, d("2024-05-10"), i64::MAX),
            Err(DeadlineError::DateOverflow),
            "{rule}"
        );
    }
    assert!(cal
        .add(Rule::WorkingDays, d("2024-05-10"), i64::MAX)
        .is_err());
}

#[test]
fn working_days_agree_with_a_day_by_day_count() {
    // The O(1) index must agree with the naive definition (R3) for every
    // start day of the calendar and n = 1..=40.
    let cal = Calendar::embedded();
    let mut start = d("2017-01-03");
    while start < d("2026-11-01") {
        let mut day = start;
        for n in 1..=40 {
            day = day.succ_opt().unwrap();
            while !cal.is_working_day(day).unwrap() {
                day = day.succ_opt().unwrap();
            }
            assert_eq!(
                cal.add(Rule::WorkingDays, start, n),
                Ok(day),
                "{start} +{n}"
            );
            assert_eq!(
                cal.working_days_before(day, n),
                Ok(prev_working(cal, start)),
                "{day} -{n}"
            );
        }
        start = start.succ_opt().unwrap();
    }
}

/// The latest working day ≤ `d` (what R9 from the n-th day after `d` must give).
fn prev_working(cal: &Calendar, mut d: chrono::NaiveDate) -> chrono::NaiveDate {
    while !cal.is_working_day(d).unwrap() {
        d = d.pred_opt().unwrap();
    }
    d
}

#[test]
fn rest_day_definition_r2() {
    let cal = Calendar::embedded();
    // Holiday on a weekday, plain weekend, make-up weekend, plain weekday.
    assert_eq!(cal.is_working_day(d("2024-10-04")), Ok(false)); // Fri in ND block
    assert_eq!(cal.is_working_day(d("2024-06-15")), Ok(false)); // plain Sat
    assert_eq!(cal.is_working_day(d("2024-10-12")), Ok(true)); // make-up Sat
    assert_eq!(cal.is_working_day(d("2024-06-13")), Ok(true)); // plain Thu
    assert_eq!(cal.is_working_day(d("2020-02-01")), Ok(false)); // cancelled make-up Sat
    assert_eq!(cal.is_working_day(d("2023-01-03")), Ok(true)); // not a holiday (wrong-data says rest)
    assert_eq!(cal.is_working_day(d("2018-01-01")), Ok(false)); // 元旦 (wrong-data says work)
    assert_eq!(cal.holiday_name(d("2024-02-12")), Some("春节"));
    assert!(cal.is_working_day(d("2027-01-04")).is_err());
}

#[test]
fn provisional_api_marks_guesses() {
    let cal = Calendar::embedded();
    // Inside the calendar: exact, not provisional.
    let c = cal
        .add_provisional(Rule::WorkingDays, d("2024-09-30"), 5)
        .unwrap();
    assert_eq!((c.date, c.provisional), (d("2024-10-12"), false));
    // 2026-12-30 + 3 wd assuming plain weekends in 2027: 12-31 Thu (1), 2027-01-01 Fri (2),
    // 01-04 Mon (3) — marked provisional (the real 2027 元旦 will differ).
    let c = cal
        .add_provisional(Rule::WorkingDays, d("2026-12-30"), 3)
        .unwrap();
    assert_eq!((c.date, c.provisional), (d("2027-01-04"), true));
    // 2027-03-06 is a Saturday → provisional roll to Monday 03-08.
    let c = cal
        .add_provisional(Rule::CalendarDays, d("2027-02-04"), 30)
        .unwrap();
    assert_eq!((c.date, c.provisional), (d("2027-03-08"), true));
    let c = cal
        .working_days_before_provisional(d("2017-01-03"), 1)
        .unwrap();
    assert_eq!((c.date, c.provisional), (d("2016-12-30"), true));
    // n ≤ 0 stays an error.
    assert!(cal
        .add_provisional(Rule::WorkingDays, d("2027-01-05"), 0)
        .is_err());
}

#[test]
fn rule_names_round_trip() {
    for rule in Rule::ALL {
        assert_eq!(r(rule.as_str()), rule);
    }
    assert!(matches!(
        Rule::parse("workdays"),
        Err(DeadlineError::UnknownRule(_))
    ));
    assert!(Rule::parse("Working_Days").is_err());
}

#[test]
fn wrong_data_would_change_the_answers() {
    // Rebuild the erroneous calendars of cn_calendar_disagreements.json and
    // check that the special-arrangement rows above really depend on them.
    let cal = Calendar::embedded();
    // 2019 per the original Dec-2018 notice only: Labour Day = 05-01, no make-up Sundays.
    let mut y2019 = cal.year(2019).unwrap().clone();
    for x in ["2019-05-02", "2019-05-03", "2019-05-04"] {
        y2019.holidays.remove(&d(x));
    }
    for x in ["2019-04-28", "2019-05-05"] {
        y2019.workdays.remove(&d(x));
    }
    // 2020 without the COVID-19 extension: rest 01-24..01-30, 02-01 a make-up Saturday.
    let mut y2020 = cal.year(2020).unwrap().clone();
    for x in ["2020-01-31", "2020-02-01", "2020-02-02"] {
        y2020.holidays.remove(&d(x));
    }
    y2020.workdays.insert(d("2020-02-01"));
    let wrong = cal
        .with_year(2019, y2019)
        .unwrap()
        .with_year(2020, y2020)
        .unwrap();
    for (rule, start, n, right, wrong_answer) in [
        ("working_days", "2019-04-26", 1, "2019-04-28", "2019-04-29"),
        ("working_days", "2019-04-30", 1, "2019-05-05", "2019-05-02"),
        (
            "calendar_days",
            "2019-04-13",
            15,
            "2019-04-28",
            "2019-04-29",
        ),
        ("working_days", "2020-01-23", 1, "2020-02-03", "2020-01-31"),
        (
            "calendar_days",
            "2020-01-16",
            15,
            "2020-02-03",
            "2020-01-31",
        ),
    ] {
        assert_eq!(cal.add(r(rule), d(start), n), Ok(d(right)));
        assert_eq!(
            wrong.add(r(rule), d(start), n),
            Ok(d(wrong_answer)),
            "{rule} {start}"
        );
    }
}

#[test]
fn working_days_between_honours_tiaoxiu() {
    let cal = Calendar::embedded();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    // 2026: 中秋 09-25..27 and 国庆 10-01..07 off. After Fri 09-25 up to
    // Fri 10-09 the working days are 09-28, 09-29, 09-30, 10-08, 10-09.
    assert_eq!(
        cal.working_days_between(d("2026-09-25"), d("2026-10-09")),
        5
    );
    // Sat 10-10 is a 调休 working day: Fri 10-09 → Mon 10-12 is 2 (10-10, 10-12).
    assert_eq!(
        cal.working_days_between(d("2026-10-09"), d("2026-10-12")),
        2
    );
    assert_eq!(
        cal.working_days_between(d("2026-10-09"), d("2026-10-09")),
        0
    );
    assert_eq!(
        cal.working_days_between(d("2026-10-10"), d("2026-10-09")),
        0
    );
    // A plain week: Mon → next Mon is 5 working days.
    assert_eq!(
        cal.working_days_between(d("2026-11-02"), d("2026-11-09")),
        5
    );
}
