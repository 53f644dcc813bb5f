//! 行政处罚法 art.72/73 surcharge vectors (3 %/day, capped at the fine,
//! 复议/诉讼 days excluded). Day counts derived by hand in the comments.

use super::d;
use crate::deadlines::{
    format_yuan, late_payment_surcharge, parse_yuan, DeadlineError, ExcludedRange,
};

fn ex(list: &[(&str, &str)]) -> Vec<ExcludedRange> {
    list.iter()
        .map(|(a, b)| ExcludedRange::new(d(a), d(b)).unwrap())
        .collect()
}

/// (fine fen, due, on, excluded, days, amount fen, capped, derivation)
#[allow(clippy::type_complexity)]
const VECTORS: &[(i64, &str, &str, &[(&str, &str)], i64, i64, bool, &str)] = &[
    // 03-02..03-11 = 10 days × 3 % of 1000.00 = 300.00.
    (
        100_000,
        "2024-03-01",
        "2024-03-11",
        &[],
        10,
        30_000,
        false,
        "10 days",
    ),
    // Paid on the due date: no day after the deadline.
    (
        100_000,
        "2024-03-01",
        "2024-03-01",
        &[],
        0,
        0,
        false,
        "on due date",
    ),
    (
        100_000,
        "2024-03-01",
        "2024-02-20",
        &[],
        0,
        0,
        false,
        "paid early",
    ),
    // Day 1 is the day after the deadline.
    (
        100_000,
        "2024-03-01",
        "2024-03-02",
        &[],
        1,
        3_000,
        false,
        "day 1",
    ),
    // 01-16..01-31 = 16, 02-01..02-17 = 17 → 33 days = 99 %: not yet capped.
    (
        100_000,
        "2024-01-15",
        "2024-02-17",
        &[],
        33,
        99_000,
        false,
        "day 33 = 99 %",
    ),
    // One more day: 34 × 3 % = 102 % → capped at the fine (art.72(一)).
    (
        100_000,
        "2024-01-15",
        "2024-02-18",
        &[],
        34,
        100_000,
        true,
        "day 34 = cap",
    ),
    (
        100_000,
        "2024-01-15",
        "2024-12-31",
        &[],
        351,
        100_000,
        true,
        "long after cap",
    ),
    // 03-02..05-01 = 30 + 30 + 1 = 61 days; excluded 03-10..04-28 = 22 + 28 = 50 → 11 days = 33 %.
    (
        100_000,
        "2024-03-01",
        "2024-05-01",
        &[("2024-03-10", "2024-04-28")],
        11,
        33_000,
        false,
        "art.73 review excluded",
    ),
    // 03-02..04-10 = 30 + 10 = 40; overlapping 03-10..20 and 03-15..25 count once:
    // 03-10..25 = 16 → 24 days = 72 %.
    (
        100_000,
        "2024-03-01",
        "2024-04-10",
        &[("2024-03-10", "2024-03-20"), ("2024-03-15", "2024-03-25")],
        24,
        72_000,
        false,
        "overlap counted once",
    ),
    // Adjacent ranges 03-10..12 and 03-13..15 = 6 days; 40 − 6 = 34 → cap.
    (
        100_000,
        "2024-03-01",
        "2024-04-10",
        &[("2024-03-10", "2024-03-12"), ("2024-03-13", "2024-03-15")],
        34,
        100_000,
        true,
        "adjacent ranges",
    ),
    // Range starting before the deadline is clipped to 03-02..03-05 = 4; 10 − 4 = 6 days.
    (
        100_000,
        "2024-03-01",
        "2024-03-11",
        &[("2024-02-20", "2024-03-05")],
        6,
        18_000,
        false,
        "clipped at start",
    ),
    // Range after the calculation day is ignored.
    (
        100_000,
        "2024-03-01",
        "2024-03-11",
        &[("2024-03-12", "2024-04-01")],
        10,
        30_000,
        false,
        "range after on",
    ),
    // 34 calendar days but 01-20, 01-21 excluded → 32 days = 96 %: exclusion delays the cap.
    (
        100_000,
        "2024-01-15",
        "2024-02-18",
        &[("2024-01-20", "2024-01-21")],
        32,
        96_000,
        false,
        "exclusion delays cap",
    ),
    // Rounding: one rounding, half up, of fine × 3 × days / 100 fen.
    // 1 fen × 3 % × 16 = 0.48 fen → 0; × 17 = 0.51 → 1.
    (
        1,
        "2024-03-01",
        "2024-03-17",
        &[],
        16,
        0,
        false,
        "0.48 fen rounds down",
    ),
    (
        1,
        "2024-03-01",
        "2024-03-18",
        &[],
        17,
        1,
        false,
        "0.51 fen rounds up",
    ),
    // 3.50 yuan × 3 % = 10.5 fen → 11 (half up); 3.33 × 3 % = 9.99 → 10.
    (
        350,
        "2024-03-01",
        "2024-03-02",
        &[],
        1,
        11,
        false,
        "half up",
    ),
    (
        333,
        "2024-03-01",
        "2024-03-02",
        &[],
        1,
        10,
        false,
        "9.99 fen",
    ),
    // 2 days of 3.50: 21 fen exactly (rounded once, not per day: 11 + 11 would be 22).
    (
        350,
        "2024-03-01",
        "2024-03-03",
        &[],
        2,
        21,
        false,
        "single rounding",
    ),
    (
        1,
        "2024-03-01",
        "2024-04-04",
        &[],
        34,
        1,
        true,
        "cap on 1 fen",
    ),
];

#[test]
fn surcharge_vectors() {
    for &(fine, due, on, excluded, days, amount, capped, why) in VECTORS {
        let s = late_payment_surcharge(fine, d(due), d(on), &ex(excluded)).unwrap();
        assert_eq!(
            (s.days, s.amount_fen, s.capped),
            (days, amount, capped),
            "{why}: fine {fine} due {due} on {on}"
        );
    }
}

#[test]
fn surcharge_never_exceeds_the_fine() {
    for fine in [1, 99, 100, 12_345, 100_000, 5_000_000_000] {
        let mut prev = 0;
        for days in 0..60 {
            let on = d("2024-01-01") + chrono::Days::new(days);
            let s = late_payment_surcharge(fine, d("2024-01-01"), on, &[]).unwrap();
            assert!(s.amount_fen <= fine && s.amount_fen >= prev);
            assert_eq!(s.capped, days >= 34, "fine {fine} day {days}");
            prev = s.amount_fen;
        }
    }
}

#[test]
fn bad_inputs() {
    assert!(matches!(
        late_payment_surcharge(-1, d("2024-03-01"), d("2024-03-02"), &[]),
        Err(DeadlineError::InvalidAmount(_))
    ));
    assert!(ExcludedRange::new(d("2024-03-02"), d("2024-03-01")).is_err());
    assert_eq!(
        ExcludedRange::parse("2024-03-10:2024-04-28"),
        Ok(ExcludedRange::new(d("2024-03-10"), d("2024-04-28")).unwrap())
    );
    for bad in [
        "2024-04-28:2024-03-10",
        "2024-03-10",
        "2024-03-10:",
        ":2024-03-10",
        "a:b",
    ] {
        assert!(ExcludedRange::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn yuan_parsing_is_exact() {
    for (s, fen) in [
        ("1000", 100_000),
        ("1000.5", 100_050),
        ("1000.50", 100_050),
        ("1000.05", 100_005),
        ("0.01", 1),
        ("0", 0),
        ("007", 700),
    ] {
        assert_eq!(parse_yuan(s), Ok(fen), "{s}");
    }
    for bad in [
        "-1",
        "1.",
        ".5",
        "1.234",
        "1e3",
        "1,000",
        "",
        " 1",
        "abc",
        "99999999999999999999",
    ] {
        assert!(parse_yuan(bad).is_err(), "{bad:?}");
    }
    assert_eq!(format_yuan(100_005), "1000.05");
    assert_eq!(format_yuan(7), "0.07");
    assert_eq!(format_yuan(0), "0.00");
}
