//! The statutory rule table as data (`data/statutory_rules.json`, embedded):
//! every period of `deadline_table.md` that applies to a case stage, with its
//! counting rule and citation. Province-specific 三项制度 periods are not here
//! but in [`super::profile::Profile`], which adds its own rows.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use super::error::{DeadlineError, Result};
use super::period::{raw_end, Counted, Rule};

/// The embedded statutory table.
pub const EMBEDDED_RULES_JSON: &str = include_str!("../../data/statutory_rules.json");

/// How a table row is counted: one of the seven forward rules, or R9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    /// R3.
    WorkingDays,
    /// R4.
    CalendarDays,
    /// R6.
    CalendarDaysRaw,
    /// R5.
    Months,
    /// R5/R6.
    MonthsRaw,
    /// R5.
    Years,
    /// R5/R6.
    YearsRaw,
    /// R9: the n-th working day strictly before the trigger date (行政处罚法
    /// art.64 “七日前”, 行政强制法 art.51 “三日前”).
    WorkingDaysBefore,
}

impl Counting {
    /// The forward rule, or `None` for R9.
    pub fn forward(self) -> Option<Rule> {
        Some(match self {
            Counting::WorkingDays => Rule::WorkingDays,
            Counting::CalendarDays => Rule::CalendarDays,
            Counting::CalendarDaysRaw => Rule::CalendarDaysRaw,
            Counting::Months => Rule::Months,
            Counting::MonthsRaw => Rule::MonthsRaw,
            Counting::Years => Rule::Years,
            Counting::YearsRaw => Rule::YearsRaw,
            Counting::WorkingDaysBefore => return None,
        })
    }

    /// snake_case name as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self.forward() {
            Some(r) => r.as_str(),
            None => "working_days_before",
        }
    }
}

impl From<Rule> for Counting {
    fn from(r: Rule) -> Counting {
        match r {
            Rule::WorkingDays => Counting::WorkingDays,
            Rule::CalendarDays => Counting::CalendarDays,
            Rule::CalendarDaysRaw => Counting::CalendarDaysRaw,
            Rule::Months => Counting::Months,
            Rule::MonthsRaw => Counting::MonthsRaw,
            Rule::Years => Counting::Years,
            Rule::YearsRaw => Counting::YearsRaw,
        }
    }
}

/// What the date of a row means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Act by this date (期限届满日).
    Deadline,
    /// Latest date to notify before an event (R9).
    NoticeBefore,
    /// A waiting period: the next step is allowed only after this date.
    Waiting,
    /// Keep published / closed until this date (R6 raw).
    Display,
    /// Limitation or absolute bar (R6 raw).
    Limitation,
    /// Deemed to have happened on this date (公告送达).
    Deemed,
    /// The art.72 surcharge reaches the fine on this date (absent art.73 exclusions).
    SurchargeCap,
}

/// Who owes the act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// The enforcing agency (本机关).
    Agency,
    /// The party (当事人).
    Party,
    /// The court.
    Court,
    /// The 行政复议 body.
    ReviewBody,
    /// A third party (政府信息公开条例 art.32).
    ThirdParty,
    /// An archives body.
    Archive,
}

impl Owner {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Owner::Agency => "行政机关",
            Owner::Party => "当事人",
            Owner::Court => "人民法院",
            Owner::ReviewBody => "复议机关",
            Owner::ThirdParty => "第三方",
            Owner::Archive => "档案馆",
        }
    }
}

/// One row of the rule table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatutoryRule {
    /// Stable id, e.g. `ap_64_hearing_request` (ap = 行政处罚法, ac = 行政强制法,
    /// ar = 行政复议法, al = 行政诉讼法, alj = 其司法解释, cp = 民事诉讼法,
    /// gi = 政府信息公开条例, arch = 档案; `p_` = provincial profile).
    pub id: String,
    /// Row number in `deadline_table.md`.
    pub row: u32,
    /// Case stage, e.g. `2 告知/听证`.
    pub stage: String,
    /// Trigger event key (English), e.g. `rights_notice_served`.
    pub trigger: String,
    /// Trigger in Chinese, e.g. `告知书送达之日`.
    pub trigger_zh: String,
    /// Period length (≥ 1).
    pub n: i64,
    /// Counting rule.
    pub rule: Counting,
    /// Meaning of the computed date.
    pub kind: RuleKind,
    /// Who must act.
    pub owner: Owner,
    /// Citation, e.g. `行政处罚法 art.64(一)`.
    pub citation: String,
    /// Short Chinese title, e.g. `听证申请期限`.
    pub title: String,
    /// Short Chinese description (paraphrase of the article).
    pub description: String,
    /// R8: for limits the agency owes itself, reminders show the raw
    /// (un-rolled) date as the target.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub raw_target: bool,
}

impl StatutoryRule {
    /// The date of this row for a trigger on `trigger` (exact; R10 errors).
    pub fn due(&self, cal: &Calendar, trigger: NaiveDate) -> Result<NaiveDate> {
        match self.rule.forward() {
            Some(rule) => cal.add(rule, trigger, self.n),
            None => cal.working_days_before(trigger, self.n),
        }
    }

    /// As [`StatutoryRule::due`], provisional (plain weekends) beyond the calendar.
    pub fn due_provisional(&self, cal: &Calendar, trigger: NaiveDate) -> Result<Counted> {
        match self.rule.forward() {
            Some(rule) => cal.add_provisional(rule, trigger, self.n),
            None => cal.working_days_before_provisional(trigger, self.n),
        }
    }

    /// R8 target: the un-rolled date for `raw_target` rows, else `due`.
    pub fn target(&self, trigger: NaiveDate, due: NaiveDate) -> NaiveDate {
        if !self.raw_target {
            return due;
        }
        let raw = match self.rule {
            Counting::CalendarDays => Rule::CalendarDaysRaw,
            Counting::Months => Rule::MonthsRaw,
            Counting::Years => Rule::YearsRaw,
            _ => return due,
        };
        // Any error here is an overflow that `due` would already have reported.
        raw_end(raw, trigger, self.n).map_or(due, |d| d.min(due))
    }

    /// `12 个工作日` / `90 日` / `3 个月` / `七日前`-style period text.
    pub fn period_zh(&self) -> String {
        match self.rule.forward() {
            Some(r) => format!("{} {}", self.n, r.unit_zh()),
            None => format!("{} 个工作日前", self.n),
        }
    }
}

/// The rule table: statutory rows (and, in an engine, the profile's rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleTable {
    rules: Vec<StatutoryRule>,
    by_id: HashMap<String, usize>,
}

#[derive(Deserialize)]
struct RawTable {
    rules: Vec<StatutoryRule>,
}

impl RuleTable {
    /// The embedded statutory table, parsed once.
    pub fn embedded() -> &'static RuleTable {
        static T: OnceLock<RuleTable> = OnceLock::new();
        T.get_or_init(|| {
            // Validated by the tests (`embedded_rule_table_loads`).
            RuleTable::from_json(EMBEDDED_RULES_JSON)
                .unwrap_or_else(|e| panic!("embedded statutory_rules.json is invalid: {e}"))
        })
    }

    /// Parses a table (`{"rules": [...]}`); ids must be unique and n ≥ 1.
    pub fn from_json(json: &str) -> Result<RuleTable> {
        let raw: RawTable = serde_json::from_str(json)
            .map_err(|e| DeadlineError::InvalidRuleData(format!("规则表 JSON 解析失败: {e}")))?;
        RuleTable::from_rules(raw.rules)
    }

    /// Builds a table from rows (validated).
    pub fn from_rules(rules: Vec<StatutoryRule>) -> Result<RuleTable> {
        let mut by_id = HashMap::with_capacity(rules.len());
        for (i, r) in rules.iter().enumerate() {
            if r.n < 1 {
                return Err(DeadlineError::InvalidRuleData(format!(
                    "规则 {} 的期间 n={} 无效",
                    r.id, r.n
                )));
            }
            if by_id.insert(r.id.clone(), i).is_some() {
                return Err(DeadlineError::InvalidRuleData(format!(
                    "规则 id {} 重复",
                    r.id
                )));
            }
        }
        Ok(RuleTable { rules, by_id })
    }

    /// A new table with `more` rows appended (ids must stay unique).
    pub fn extended(&self, more: Vec<StatutoryRule>) -> Result<RuleTable> {
        let mut rules = self.rules.clone();
        rules.extend(more);
        RuleTable::from_rules(rules)
    }

    /// All rows in table order.
    pub fn rules(&self) -> &[StatutoryRule] {
        &self.rules
    }

    /// The row with `id`.
    pub fn get(&self, id: &str) -> Option<&StatutoryRule> {
        self.by_id.get(id).map(|&i| &self.rules[i])
    }

    /// Position of the row with `id` (for O(1) access via `at`).
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The row at a position obtained from `position` on this table.
    pub(crate) fn at(&self, i: usize) -> &StatutoryRule {
        &self.rules[i]
    }
}
