//! Typed errors of the deadline engine. `Display` is the Chinese, user-facing
//! text (one line, no trailing period); the variants are for code.

use chrono::NaiveDate;
use thiserror::Error;

/// Everything that can go wrong when counting a period, computing a surcharge
/// or loading calendar / rule / profile data.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DeadlineError {
    /// R10: the rest/work status of `date` is needed but its year's State
    /// Council arrangement is not loaded. `loaded` is the human-readable list
    /// of loaded years, e.g. `2017–2026`.
    #[error("{date} 超出已加载的节假日日历范围 ({loaded})")]
    OutOfCalendar {
        /// The first date whose status was needed and is unknown.
        date: NaiveDate,
        /// The loaded years, formatted as ranges (`2017–2026`, `2017–2026, 2028`).
        loaded: String,
    },
    /// A period must be at least one unit long (see `period.rs` for why).
    #[error("期间 n 必须为正整数 (≥1)，收到 {0}")]
    NonPositivePeriod(i64),
    /// The result would leave the range of dates chrono can represent.
    #[error("计算结果超出可表示的日期范围")]
    DateOverflow,
    /// A date string that is not a valid `YYYY-MM-DD` calendar date.
    #[error("无效日期 \"{0}\"（应为 YYYY-MM-DD）")]
    InvalidDate(String),
    /// A counting rule name that is not one of the seven known rules.
    #[error("未知的计算规则 \"{0}\"（可选: working_days, calendar_days, calendar_days_raw, months, months_raw, years, years_raw）")]
    UnknownRule(String),
    /// A fine that is negative or not a valid amount of yuan with ≤ 2 decimals.
    #[error("无效的罚款数额 \"{0}\"（应为非负金额，单位元，最多两位小数）")]
    InvalidAmount(String),
    /// An excluded range (art.73 review/litigation) whose end is before its start,
    /// or that is not written `FROM:TO`.
    #[error("无效的扣除期间 \"{0}\"（应为 YYYY-MM-DD:YYYY-MM-DD，且起日不晚于止日）")]
    InvalidRange(String),
    /// Calendar JSON that does not follow the schema or fails a sanity check.
    #[error("节假日日历数据无效: {0}")]
    InvalidCalendar(String),
    /// Rule table or profile JSON that cannot be read.
    #[error("规则数据无效: {0}")]
    InvalidRuleData(String),
}

/// Shorthand result type of this module.
pub type Result<T, E = DeadlineError> = std::result::Result<T, E>;
