//! Late-payment surcharge, 行政处罚法 art.72(一) and art.73.
//!
//! - art.72(一): “到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的
//!   数额不得超出罚款的数额”. Day 1 is the day after the payment deadline; each
//!   calendar day adds 3 % of the fine; the total is capped at the fine. 33 days
//!   give 99 %, so the cap is reached on day 34 (102 % → 100 %).
//! - art.73: “当事人申请行政复议或者提起行政诉讼的，加处罚款的数额在行政复议或者
//!   行政诉讼期间不予计算”. Days inside an excluded range (both ends inclusive)
//!   are not counted; overlapping ranges count once.
//!
//! Money is integer fen (分, `i64`); no floating point anywhere. Rounding:
//! the exact total is `fine_fen × 3 × days / 100` fen; it is computed in
//! `i128` and rounded **once**, half up (四舍五入), to whole fen, then capped.
//! Fines in whole yuan or jiao never round (3 % of a multiple of 100 fen is
//! whole fen per day).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::date::parse_date;
use super::error::{DeadlineError, Result};

/// 行政处罚法 art.72(一): percent of the fine added per day.
pub const PERCENT_PER_DAY: i64 = 3;

/// An inclusive range of dates not counted for the surcharge (art.73: the
/// party's 行政复议 or 行政诉讼 was pending).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcludedRange {
    /// First excluded day.
    pub from: NaiveDate,
    /// Last excluded day (inclusive).
    pub to: NaiveDate,
}

impl ExcludedRange {
    /// A range; `from > to` is [`DeadlineError::InvalidRange`].
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<ExcludedRange> {
        if from > to {
            return Err(DeadlineError::InvalidRange(format!("{from}:{to}")));
        }
        Ok(ExcludedRange { from, to })
    }

    /// Parses `YYYY-MM-DD:YYYY-MM-DD` (the CLI's `--exclude FROM:TO`).
    pub fn parse(s: &str) -> Result<ExcludedRange> {
        let bad = || DeadlineError::InvalidRange(s.to_owned());
        let (a, b) = s.split_once(':').ok_or_else(bad)?;
        let from = parse_date(a).map_err(|_| bad())?;
        let to = parse_date(b).map_err(|_| bad())?;
        ExcludedRange::new(from, to).map_err(|_| bad())
    }
}

/// The result of [`late_payment_surcharge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surcharge {
    /// Days counted (calendar days after the deadline up to and including
    /// the payment/calculation day, minus excluded days).
    pub days: i64,
    /// Days after the deadline that were excluded under art.73.
    pub excluded_days: i64,
    /// The surcharge in fen, rounded half up, capped at the fine.
    pub amount_fen: i64,
    /// True when the cap (the fine itself) applies.
    pub capped: bool,
}

/// 行政处罚法 art.72/73: the surcharge on a fine of `fine_fen` fen whose
/// payment deadline was `due`, computed for `on` (the payment day or today).
/// Counts the days `due+1 ..= on` outside `excluded`. `on ≤ due` gives 0.
/// The holiday calendar is not involved (“每日” = every calendar day; `due`
/// is the already rolled-forward payment deadline).
pub fn late_payment_surcharge(
    fine_fen: i64,
    due: NaiveDate,
    on: NaiveDate,
    excluded: &[ExcludedRange],
) -> Result<Surcharge> {
    if fine_fen < 0 {
        return Err(DeadlineError::InvalidAmount(format_yuan(fine_fen)));
    }
    let late = (on - due).num_days().max(0);
    let excluded_days = if late == 0 {
        0
    } else {
        // Clip every range to due+1..=on, then merge overlaps.
        let first = due.succ_opt().ok_or(DeadlineError::DateOverflow)?;
        let mut spans: Vec<(NaiveDate, NaiveDate)> = excluded
            .iter()
            .filter_map(|r| {
                let a = r.from.max(first);
                let b = r.to.min(on);
                (a <= b).then_some((a, b))
            })
            .collect();
        spans.sort_unstable();
        let mut total = 0i64;
        let mut cur: Option<(NaiveDate, NaiveDate)> = None;
        for (a, b) in spans {
            cur = match cur {
                Some((ca, cb)) if a <= cb.succ_opt().unwrap_or(cb) => Some((ca, cb.max(b))),
                Some((ca, cb)) => {
                    total += (cb - ca).num_days() + 1;
                    Some((a, b))
                }
                None => Some((a, b)),
            };
        }
        if let Some((ca, cb)) = cur {
            total += (cb - ca).num_days() + 1;
        }
        total
    };
    let days = late - excluded_days;
    let exact_hundredths = i128::from(fine_fen) * i128::from(PERCENT_PER_DAY) * i128::from(days);
    let rounded = (exact_hundredths + 50) / 100;
    let capped = fine_fen > 0 && exact_hundredths >= i128::from(fine_fen) * 100;
    let amount_fen = if capped {
        fine_fen
    } else {
        // rounded < fine_fen here, so it fits in i64.
        i64::try_from(rounded).unwrap_or(fine_fen)
    };
    Ok(Surcharge {
        days,
        excluded_days,
        amount_fen,
        capped,
    })
}

/// Parses an amount of yuan (`1000`, `1000.5`, `1000.50`) into fen, exactly.
/// Negative amounts, more than two decimals, exponents, separators and
/// overflow are [`DeadlineError::InvalidAmount`].
pub fn parse_yuan(s: &str) -> Result<i64> {
    let bad = || DeadlineError::InvalidAmount(s.to_owned());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    let all_digits = |t: &str| t.bytes().all(|c| c.is_ascii_digit());
    if int.is_empty()
        || !all_digits(int)
        || !all_digits(frac)
        || frac.len() > 2
        || (s.contains('.') && frac.is_empty())
    {
        return Err(bad());
    }
    let yuan: i64 = int.parse().map_err(|_| bad())?;
    let frac_fen: i64 = match frac.len() {
        0 => 0,
        1 => i64::from(frac.as_bytes()[0] - b'0') * 10,
        _ => frac.parse().map_err(|_| bad())?,
    };
    yuan.checked_mul(100)
        .and_then(|f| f.checked_add(frac_fen))
        .ok_or_else(bad)
}

/// Formats fen as yuan with two decimals: `123456` → `1234.56`.
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}
