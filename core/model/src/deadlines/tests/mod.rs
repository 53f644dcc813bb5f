//! Table-driven tests of the deadline engine (expected values derived by
//! hand from `data/cn_calendar.json`; see the comment on each row).

mod calendar_update;
mod counting;
mod obligations;
mod rule_table;
mod surcharge;

use chrono::NaiveDate;

use super::{parse_date, Rule};

/// `YYYY-MM-DD` → date (test helper; panics on a typo in a test table).
pub(crate) fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap_or_else(|e| panic!("bad date in test table: {e}"))
}

/// Rule name → rule (test helper).
pub(crate) fn r(s: &str) -> Rule {
    Rule::parse(s).unwrap_or_else(|e| panic!("bad rule in test table: {e}"))
}
