//! Strict, allocation-free `YYYY-MM-DD` parsing and formatting (the batch
//! tool parses millions of dates, and chrono's format machinery is general).

use chrono::{Datelike, NaiveDate};

use super::error::{DeadlineError, Result};

/// Parses exactly `YYYY-MM-DD` (ten ASCII characters, zero-padded) into a
/// date. Anything else — `2024-1-5`, `2024/01/05`, `2023-02-29`, surrounding
/// blanks — is [`DeadlineError::InvalidDate`].
pub fn parse_date(s: &str) -> Result<NaiveDate> {
    parse_ymd(s.as_bytes()).ok_or_else(|| DeadlineError::InvalidDate(s.to_owned()))
}

fn parse_ymd(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let y = digits(0..4)?;
    let m = digits(5..7)?;
    let d = digits(8..10)?;
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// Writes `date` as `YYYY-MM-DD` into a 10-byte buffer and returns it as
/// `&str`; `None` for years outside 0..=9999 (use `date.to_string()`, which
/// writes `+10024-01-01`).
pub fn format_date(date: NaiveDate, buf: &mut [u8; 10]) -> Option<&str> {
    let (y, m, d) = (date.year(), date.month(), date.day());
    let y = u32::try_from(y).ok().filter(|y| *y <= 9999)?;
    let put = |buf: &mut [u8; 10], at: usize, v: u32, width: usize| {
        let mut v = v;
        for i in (0..width).rev() {
            buf[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(buf, 0, y, 4);
    buf[4] = b'-';
    put(buf, 5, m, 2);
    buf[7] = b'-';
    put(buf, 8, d, 2);
    // Only ASCII digits and '-' were written.
    std::str::from_utf8(&buf[..]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_is_strict() {
        assert_eq!(
            parse_date("2024-02-29").ok(),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        for bad in [
            "2023-02-29",
            "2024-1-05",
            "2024/01/05",
            " 2024-01-05",
            "2024-01-05 ",
            "20240105",
            "2024-13-01",
            "2024-00-10",
            "2024-01-32",
            "２０２４-01-05",
            "",
            "+2024-01-0",
        ] {
            assert!(parse_date(bad).is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn format_round_trips() {
        let mut buf = [0u8; 10];
        for s in ["0001-01-01", "2017-01-01", "2026-12-31", "9999-12-31"] {
            let d = parse_date(s).unwrap();
            assert_eq!(format_date(d, &mut buf), Some(s));
        }
        let far = NaiveDate::from_ymd_opt(10024, 1, 1).unwrap();
        assert_eq!(format_date(far, &mut buf), None);
    }
}
