//! How long an archived case file is kept (保管期限) and when it falls due
//! for appraisal and disposal (no automatic deletion: 档案法 第二十八条 —
//! disposal follows an appraisal and an approval).
//!
//! 《机关文件材料归档范围和文书档案保管期限规定》(国家档案局令第8号) 第九条
//! sets the periods as 永久 and 定期 (30 年, 10 年); which period a kind of
//! case file takes is the bureau's 保管期限表, so the defaults here are
//! configuration: a major decision (重大执法决定) kept 永久, a 一般程序 penalty
//! 30 年, a 简易程序 penalty and an inspection 10 年.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::manifest::RetentionNote;
use crate::case::{CaseKind, Procedure};
use crate::doc::Case;
use crate::rules::{major_reasons, RuleProfile};

/// The rule the periods follow.
pub const BASIS: &str =
    "档案法 第十四条、第二十八条; 机关文件材料归档范围和文书档案保管期限规定 (国家档案局令第8号) 第九条";

/// Years to keep each kind of case file; `None` is 永久.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetentionPolicy {
    /// A case whose decision is major ((三) 第四条).
    pub major_years: Option<u32>,
    /// A 一般程序 penalty.
    pub penalty_general_years: Option<u32>,
    /// A 简易程序 penalty.
    pub penalty_simple_years: Option<u32>,
    /// An inspection.
    pub inspection_years: Option<u32>,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            major_years: None,
            penalty_general_years: Some(30),
            penalty_simple_years: Some(10),
            inspection_years: Some(10),
        }
    }
}

/// The period one case file takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Years; `None` is 永久.
    pub years: Option<u32>,
}

impl Retention {
    /// `永久`, `30年`.
    pub fn label(self) -> String {
        match self.years {
            None => "永久".into(),
            Some(y) => format!("{y}年"),
        }
    }

    /// First day the file may be appraised for disposal: the same day `years`
    /// later (PERIODS.md R5 without roll-forward, R6: a retention period is
    /// no act anyone performs); `None` when kept 永久.
    pub fn dispose_from(self, archived_on: NaiveDate) -> Option<NaiveDate> {
        let y = self.years?;
        let year = archived_on.year().checked_add(i32::try_from(y).ok()?)?;
        NaiveDate::from_ymd_opt(year, archived_on.month(), archived_on.day())
            .or_else(|| NaiveDate::from_ymd_opt(year, archived_on.month(), 28))
    }

    /// The note recorded in the manifest.
    pub fn note(self, archived_on: NaiveDate) -> RetentionNote {
        RetentionNote {
            years: self.years,
            label: self.label(),
            basis: BASIS.into(),
            dispose_from: self.dispose_from(archived_on).map(|d| d.to_string()),
        }
    }
}

impl RetentionPolicy {
    /// The period of `case` under this policy.
    pub fn for_case(&self, case: &Case, profile: &RuleProfile) -> Retention {
        let years = if !major_reasons(case, profile).is_empty() {
            self.major_years
        } else {
            match (case.header.kind, case.header.procedure) {
                (CaseKind::Inspection, _) => self.inspection_years,
                (CaseKind::Penalty, Some(Procedure::Simple)) => self.penalty_simple_years,
                (CaseKind::Penalty, _) => self.penalty_general_years,
            }
        };
        Retention { years }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn disposal_falls_due_the_same_day_years_later_and_never_for_permanent_files() {
        let thirty = Retention { years: Some(30) };
        assert_eq!(thirty.dispose_from(d("2026-12-04")), Some(d("2056-12-04")));
        // 02-29 has no twin in 2034: the month's last day.
        let ten = Retention { years: Some(10) };
        assert_eq!(ten.dispose_from(d("2024-02-29")), Some(d("2034-02-28")));
        let forever = Retention { years: None };
        assert_eq!(forever.dispose_from(d("2026-12-04")), None);
        assert_eq!(forever.label(), "永久");
        let note = thirty.note(d("2026-12-04"));
        assert_eq!(note.label, "30年");
        assert!(note.basis.contains("国家档案局令第8号"));
        assert_eq!(note.dispose_from.as_deref(), Some("2056-12-04"));
    }

    #[test]
    fn the_default_policy_is_configurable_from_json() {
        let p: RetentionPolicy = serde_json::from_str(r#"{"inspection_years": 5}"#).unwrap();
        assert_eq!(p.inspection_years, Some(5));
        assert_eq!(p.penalty_general_years, Some(30));
        assert_eq!(p.major_years, None);
    }
}
