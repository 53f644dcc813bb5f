//! 案件事项登记: the office records that a decision was served, the fine
//! paid, or that the party applied for 行政复议 or sued (and how it ended).
//! zhifa-core decides who may ([`OfficeAction::RecordCaseFact`]) and which
//! fact may be recorded on which day ([`rules::check_fact`]); the fact is a
//! history event dated the day it happened, so the deadline engine counts
//! from it (行政处罚法 第六十七条、第七十三条).

use zhifa_core::authority::OfficeAction;
use zhifa_core::dates::{local_offset, parse_date, DATE_FORMS};
use zhifa_core::doc::Actor;
use zhifa_core::limits;
use zhifa_core::rules::{self, CaseFact};

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::Account;

use super::actions::{check, core};
use super::commit::act;

/// Records `fact` as happening on `on` (a date as typed) with `note`
/// (e.g. the 复议机关 or court and its document number).
pub async fn record_fact(
    state: &AppState,
    account: &Account,
    case_id: &str,
    fact: &str,
    on: &str,
    note: &str,
) -> AppResult<String> {
    let fact = CaseFact::from_wire(fact.trim())
        .ok_or_else(|| AppError::BadRequest("请选择要登记的事项".into()))?;
    let day = parse_date(on).ok_or_else(|| {
        AppError::BadRequest(format!(
            "日期「{}」无法识别, 可写作 {DATE_FORMS}",
            on.trim()
        ))
    })?;
    let note = note.trim().to_string();
    limits::check_chars("说明", &note).map_err(core)?;
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::RecordCaseFact)?;
        let today = chrono::DateTime::parse_from_rfc3339(ctx.at)
            .map_err(AppError::internal)?
            .with_timezone(&local_offset())
            .date_naive();
        rules::check_fact(ctx.case, fact, day, today).map_err(|message| {
            AppError::Unprocessable {
                code: "refused_by_rules",
                message,
            }
        })?;
        // The event carries the day the fact happened (noon, local time:
        // the time of day is not known); today's fact carries the time now.
        let at = if day == today {
            ctx.at.to_string()
        } else {
            format!("{day}T12:00:00+08:00")
        };
        let who = Actor {
            user: &ctx.who.account.id,
            device: &ctx.who.device_id,
            at: &at,
        };
        let detail = if note.is_empty() {
            format!("{} ({})", fact.label(), fact.article())
        } else {
            format!("{}: {note} ({})", fact.label(), fact.article())
        };
        doc.log_event(fact.event_kind(), &who, None, &detail)
            .map_err(core)?;
        Ok(format!("已登记{} ({day})", fact.label()))
    })
    .await
}
