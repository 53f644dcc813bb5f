//! Statutory period counting for the shells (offline, embedded calendar).

use zhifa_core::deadlines::{parse_date, Calendar, Rule};

use crate::error::CoreError;

/// A counting rule the shells can offer.
#[derive(Debug, Clone, uniffi::Record)]
pub struct DeadlineRuleInfo {
    /// Wire name, e.g. `working_days`.
    pub name: String,
    /// Chinese unit, e.g. `工作日`.
    pub unit: String,
}

/// The due date (`YYYY-MM-DD`) of a period of `n` units of `rule` counted
/// from `start` (PERIODS.md R1–R8).
#[uniffi::export]
pub fn deadline_add(rule: String, start: String, n: i64) -> Result<String, CoreError> {
    let rule = Rule::parse(&rule)?;
    let start = parse_date(&start)?;
    Ok(Calendar::embedded().add(rule, start, n)?.to_string())
}

/// The latest day that is `n` working days before `x` (PERIODS.md R9).
#[uniffi::export]
pub fn deadline_before(x: String, n: i64) -> Result<String, CoreError> {
    let x = parse_date(&x)?;
    Ok(Calendar::embedded().working_days_before(x, n)?.to_string())
}

/// Every counting rule.
#[uniffi::export]
pub fn deadline_rules() -> Vec<DeadlineRuleInfo> {
    Rule::ALL
        .iter()
        .map(|r| DeadlineRuleInfo {
            name: r.as_str().to_string(),
            unit: r.unit_zh().to_string(),
        })
        .collect()
}
