//! Statutory deadlines, offline: the Chinese holiday calendar, period counting
//! (PERIODS.md R1–R10), the 行政处罚法 art.72 surcharge, the statutory rule
//! table, the provincial 三项制度 profile, and open obligations per case.
//!
//! Pure: no I/O, no clock (callers pass `today`). User-facing text is Chinese.
//!
//! ```
//! use zhifa_core::deadlines::{Calendar, Rule, parse_date};
//! let cal = Calendar::embedded();
//! // 2024-09-30 (Mon) + 5 working days: 10-01..07 are National Day holidays,
//! // 10-08 Tue is the 1st working day … 10-12 Sat (make-up workday) the 5th.
//! let due = cal.add(Rule::WorkingDays, parse_date("2024-09-30").unwrap(), 5).unwrap();
//! assert_eq!(due.to_string(), "2024-10-12");
//! ```

pub mod calendar;
pub mod case_clock;
pub mod clock;
pub mod date;
pub mod error;
pub mod obligations;
pub mod period;
pub mod profile;
pub mod rules;
pub mod surcharge;

#[cfg(test)]
mod tests;

pub use calendar::{Calendar, YearData};
pub use case_clock::clock_of_case;
pub use date::{format_date, parse_date};
pub use error::DeadlineError;
pub use obligations::{
    CaseClock, ClockEvent, DeadlineEngine, EventKind, Obligation, ObligationState,
};
pub use period::{raw_end, Counted, Rule};
pub use profile::Profile;
pub use rules::{Counting, Owner, RuleKind, RuleTable, StatutoryRule};
pub use surcharge::{format_yuan, late_payment_surcharge, parse_yuan, ExcludedRange, Surcharge};
