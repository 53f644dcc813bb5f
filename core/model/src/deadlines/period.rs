//! Period counting, rules R1–R10 of `PERIODS.md`.
//!
//! | rule | R | result |
//! |---|---|---|
//! | `working_days` | R1, R3 | the n-th working day strictly after the start (never rolled: it is a working day) |
//! | `calendar_days` | R1, R4 | start + n days, rolled forward to the first working day if a rest day |
//! | `calendar_days_raw` | R1, R6 | start + n days, no roll-forward |
//! | `months` | R5 | same day number n months later, clamped to month end, then rolled forward |
//! | `months_raw` | R5, R6 | as `months`, no roll-forward |
//! | `years` | R5 | same day n years later (02-29 → 02-28), then rolled forward |
//! | `years_raw` | R5, R6 | as `years`, no roll-forward |
//! | [`Calendar::working_days_before`] | R9 | the n-th working day strictly before X |
//!
//! Semantic decisions (also in `cli/DEADLINES.md`):
//! - **n ≥ 1 for every rule.** Statutory periods are “N 日/月/年” with N ≥ 1,
//!   and R1 starts counting the day after the start, so a 0-length period would
//!   end before it begins; a negative one is not a period (use R9,
//!   [`Calendar::working_days_before`], for “N days before X”). n ≤ 0 is
//!   [`DeadlineError::NonPositivePeriod`], never a silent clamp.
//! - **R10, need-based.** Counting fails with [`DeadlineError::OutOfCalendar`]
//!   exactly when it needs the rest/work status of a date whose year is not
//!   loaded: for `working_days` every day from start+1 to the result, for
//!   rolled rules the nominal end day and any rest days after it, for R9 every
//!   day from the result to X−1. The start day's own status never matters
//!   (R1), and the raw rules need no calendar at all (a 5-year display period
//!   ending in 2031 is exact), so they never fail with R10.
//! - A provisional variant ([`Calendar::add_provisional`]) assumes plain
//!   weekends for unloaded years and marks the result; the default API errors.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use super::error::{DeadlineError, Result};

/// A counting rule (the `engine rule` column of `deadline_table.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// R3: n-th working day after the start (行政处罚法 art.85, 行政强制法 art.69, 行政复议法 art.88).
    WorkingDays,
    /// R4: start + n days, rolled forward (民事诉讼法 art.85(3), 民法典 art.203).
    CalendarDays,
    /// R6: start + n days, not rolled.
    CalendarDaysRaw,
    /// R5: n months, clamped to month end, rolled forward (民法典 art.202).
    Months,
    /// R5/R6: n months, clamped, not rolled.
    MonthsRaw,
    /// R5: n years, clamped (02-29 → 02-28), rolled forward.
    Years,
    /// R5/R6: n years, clamped, not rolled (display/retention/limitation periods).
    YearsRaw,
}

impl Rule {
    /// All rules, in the order the CLI documents them.
    pub const ALL: [Rule; 7] = [
        Rule::WorkingDays,
        Rule::CalendarDays,
        Rule::CalendarDaysRaw,
        Rule::Months,
        Rule::MonthsRaw,
        Rule::Years,
        Rule::YearsRaw,
    ];

    /// The snake_case name used in the CLI, the batch format and the rule table.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::WorkingDays => "working_days",
            Rule::CalendarDays => "calendar_days",
            Rule::CalendarDaysRaw => "calendar_days_raw",
            Rule::Months => "months",
            Rule::MonthsRaw => "months_raw",
            Rule::Years => "years",
            Rule::YearsRaw => "years_raw",
        }
    }

    /// Parses a rule name; unknown names are [`DeadlineError::UnknownRule`].
    pub fn parse(s: &str) -> Result<Rule> {
        Ok(match s {
            "working_days" => Rule::WorkingDays,
            "calendar_days" => Rule::CalendarDays,
            "calendar_days_raw" => Rule::CalendarDaysRaw,
            "months" => Rule::Months,
            "months_raw" => Rule::MonthsRaw,
            "years" => Rule::Years,
            "years_raw" => Rule::YearsRaw,
            _ => return Err(DeadlineError::UnknownRule(s.to_owned())),
        })
    }

    /// Whether a result falling on a rest day moves to the next working day (R4/R5).
    pub fn rolls_forward(self) -> bool {
        matches!(self, Rule::CalendarDays | Rule::Months | Rule::Years)
    }

    /// The unit in Chinese, for display: `个工作日`, `日`, `个月`, `年`.
    pub fn unit_zh(self) -> &'static str {
        match self {
            Rule::WorkingDays => "个工作日",
            Rule::CalendarDays | Rule::CalendarDaysRaw => "日",
            Rule::Months | Rule::MonthsRaw => "个月",
            Rule::Years | Rule::YearsRaw => "年",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Rule {
    type Err = DeadlineError;
    fn from_str(s: &str) -> Result<Rule> {
        Rule::parse(s)
    }
}

/// A result of the provisional API: the date, and whether any day whose
/// status it needed lay in an unloaded year (then plain weekends were assumed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    /// The computed date.
    pub date: NaiveDate,
    /// True if the date rests on the assumption "plain weekends, no holidays"
    /// for a year whose arrangement is not loaded (R10). Show it as 暂定.
    pub provisional: bool,
}

/// Upper bound on n for the day-by-day provisional path (≈ 270 years of
/// working days); larger periods are reported as [`DeadlineError::DateOverflow`].
const PROVISIONAL_MAX_WORKING_DAYS: u64 = 70_000;

fn positive(n: i64) -> Result<u64> {
    if n >= 1 {
        Ok(n as u64)
    } else {
        Err(DeadlineError::NonPositivePeriod(n))
    }
}

/// R5: the same day number `months` months later, clamped to the month's last
/// day (民法典 art.202). 01-31 + 1 month = 02-28/29; 02-28 + 1 month = 03-28.
fn add_months_clamped(start: NaiveDate, months: u64) -> Result<NaiveDate> {
    let m = u32::try_from(months).map_err(|_| DeadlineError::DateOverflow)?;
    start
        .checked_add_months(Months::new(m))
        .ok_or(DeadlineError::DateOverflow)
}

/// The nominal (un-rolled) end of a calendar-day/month/year period: what the
/// `_raw` rules return, and the R8 “target” of a rolled rule. Needs no
/// calendar. For `working_days` (which has no un-rolled form) it is an error.
pub fn raw_end(rule: Rule, start: NaiveDate, n: i64) -> Result<NaiveDate> {
    nominal_end(rule, start, positive(n)?)
}

fn nominal_end(rule: Rule, start: NaiveDate, n: u64) -> Result<NaiveDate> {
    let end = nominal_end_unbounded(rule, start, n)?;
    // A date must be writable as `YYYY-MM-DD`.
    if end.year() > 9999 {
        return Err(DeadlineError::DateOverflow);
    }
    Ok(end)
}

fn nominal_end_unbounded(rule: Rule, start: NaiveDate, n: u64) -> Result<NaiveDate> {
    match rule {
        Rule::CalendarDays | Rule::CalendarDaysRaw => start
            .checked_add_days(Days::new(n))
            .ok_or(DeadlineError::DateOverflow),
        Rule::Months | Rule::MonthsRaw => add_months_clamped(start, n),
        Rule::Years | Rule::YearsRaw => {
            add_months_clamped(start, n.checked_mul(12).ok_or(DeadlineError::DateOverflow)?)
        }
        Rule::WorkingDays => Err(DeadlineError::UnknownRule("working_days".into())),
    }
}

impl Calendar {
    /// Counts a period of `n` units of `rule` from `start` (R1–R6, R10).
    /// n ≥ 1; see the module doc for the exact semantics and errors.
    pub fn add(&self, rule: Rule, start: NaiveDate, n: i64) -> Result<NaiveDate> {
        let n = positive(n)?;
        match rule {
            Rule::WorkingDays => self.nth_working_day_after(start, n),
            Rule::CalendarDaysRaw | Rule::MonthsRaw | Rule::YearsRaw => nominal_end(rule, start, n),
            Rule::CalendarDays | Rule::Months | Rule::Years => {
                self.roll_forward(nominal_end(rule, start, n)?)
            }
        }
    }

    /// R3: the n-th working day strictly after `start` (n ≥ 1).
    pub fn add_working_days(&self, start: NaiveDate, n: i64) -> Result<NaiveDate> {
        self.add(Rule::WorkingDays, start, n)
    }

    /// R4: start + n days, rolled forward to a working day (n ≥ 1).
    pub fn add_calendar_days(&self, start: NaiveDate, n: i64) -> Result<NaiveDate> {
        self.add(Rule::CalendarDays, start, n)
    }

    /// R9 (行政处罚法 art.64 “七日前”, 行政强制法 art.51 “三日前”): the latest
    /// date on which an act due “at least n working days before `x`” can be
    /// done = the n-th working day strictly before `x` (n ≥ 1).
    pub fn working_days_before(&self, x: NaiveDate, n: i64) -> Result<NaiveDate> {
        let n = positive(n)?;
        self.nth_working_day_before(x, n)
    }

    /// R4/R5 roll-forward of an arbitrary date: `d` itself if a working day,
    /// else the first working day after it.
    pub fn next_working_day_on_or_after(&self, d: NaiveDate) -> Result<NaiveDate> {
        self.roll_forward(d)
    }

    /// Like [`Calendar::add`], but where a needed day lies in an unloaded year
    /// it assumes plain weekends and marks the result provisional (R10's
    /// second option). Other errors (n ≤ 0, overflow) are still errors.
    pub fn add_provisional(&self, rule: Rule, start: NaiveDate, n: i64) -> Result<Counted> {
        match self.add(rule, start, n) {
            Ok(date) => Ok(Counted {
                date,
                provisional: false,
            }),
            Err(DeadlineError::OutOfCalendar { .. }) => {
                let n = positive(n)?;
                match rule {
                    Rule::WorkingDays => self.walk_working_days(start, n, true),
                    _ => self.slow_roll(nominal_end(rule, start, n)?),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Like [`Calendar::working_days_before`], provisional where needed.
    pub fn working_days_before_provisional(&self, x: NaiveDate, n: i64) -> Result<Counted> {
        match self.working_days_before(x, n) {
            Ok(date) => Ok(Counted {
                date,
                provisional: false,
            }),
            Err(DeadlineError::OutOfCalendar { .. }) => {
                self.walk_working_days(x, positive(n)?, false)
            }
            Err(e) => Err(e),
        }
    }

    /// Status with the plain-weekend assumption: (is working, was assumed).
    fn status_or_weekend(&self, d: NaiveDate) -> (bool, bool) {
        match self.status(d) {
            Some(w) => (w, false),
            None => (!matches!(d.weekday(), Weekday::Sat | Weekday::Sun), true),
        }
    }

    fn walk_working_days(&self, from: NaiveDate, n: u64, forward: bool) -> Result<Counted> {
        if n > PROVISIONAL_MAX_WORKING_DAYS {
            return Err(DeadlineError::DateOverflow);
        }
        let (mut d, mut left, mut provisional) = (from, n, false);
        while left > 0 {
            d = if forward { d.succ_opt() } else { d.pred_opt() }
                .ok_or(DeadlineError::DateOverflow)?;
            let (working, assumed) = self.status_or_weekend(d);
            provisional |= assumed;
            if working {
                left -= 1;
            }
        }
        Ok(Counted {
            date: d,
            provisional,
        })
    }

    fn slow_roll(&self, mut d: NaiveDate) -> Result<Counted> {
        let mut provisional = false;
        loop {
            let (working, assumed) = self.status_or_weekend(d);
            provisional |= assumed;
            if working {
                return Ok(Counted {
                    date: d,
                    provisional,
                });
            }
            d = d.succ_opt().ok_or(DeadlineError::DateOverflow)?;
        }
    }
}
