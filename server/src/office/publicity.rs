//! Publishing in the office ((一) 第十二条): the liaison turns a decided
//! case into a drafted 公示信息 record (zhifa_core::publicity::draft: personal
//! data masked), checks it in the record form and seals it, which publishes
//! it; a take-down is a drafted 撤下公示说明 sealed the same way. Who may is
//! zhifa-core's (`authority::template_action`).

use zhifa_core::authority::template_action;
use zhifa_core::publicity::{self, ENTRY_TEMPLATE, WITHDRAWAL_TEMPLATE};
use zhifa_core::template::TemplateRegistry;

use super::actions::{check, core};
use super::commit::act;
use crate::casedoc::today_cn;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::Account;

/// Creates a record of `template` filled with `values`; returns its id.
fn create_filled(
    doc: &mut zhifa_core::doc::CaseDoc,
    who: &zhifa_core::doc::Actor<'_>,
    template: &str,
    values: &[(String, serde_json::Value)],
) -> AppResult<String> {
    let tpl = TemplateRegistry::builtin()
        .latest(template)
        .map_err(AppError::internal)?;
    let id = uuid::Uuid::new_v4().to_string();
    doc.create_record(&id, tpl, who).map_err(core)?;
    for (k, v) in values {
        doc.set_field_json(&id, k, v, who).map_err(core)?;
    }
    Ok(id)
}

/// Drafts the case's 公示信息 (unsealed, for the liaison to check); returns
/// the record id. An unsealed draft already there is returned instead.
pub async fn draft_entry(state: &AppState, account: &Account, case_id: &str) -> AppResult<String> {
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, template_action(ENTRY_TEMPLATE))?;
        if let Some(r) = ctx
            .case
            .current_records(ENTRY_TEMPLATE)
            .find(|r| !r.is_sealed())
        {
            return Ok(r.id.clone());
        }
        let values =
            publicity::draft(ctx.case, today_cn()).ok_or_else(|| AppError::Unprocessable {
                code: "nothing_to_publish",
                message: "本案尚无已封存的处罚决定书或现场检查笔录, 无可公示的执法结果".into(),
            })?;
        create_filled(doc, &ctx.actor(), ENTRY_TEMPLATE, &values)
    })
    .await
}

/// Drafts the take-down of published entry `entry` (its explanation from the
/// decision change, if one is sealed); returns the record id.
pub async fn draft_withdrawal(
    state: &AppState,
    account: &Account,
    case_id: &str,
    entry: &str,
) -> AppResult<String> {
    let entry = entry.to_string();
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, template_action(WITHDRAWAL_TEMPLATE))?;
        let live = publicity::entries(ctx.case)
            .into_iter()
            .any(|e| e.id == entry && e.withdrawn.is_none());
        if !live {
            return Err(AppError::BadRequest("该公示信息不存在或已撤下".into()));
        }
        let values = publicity::withdrawal_draft(ctx.case, &entry, today_cn());
        create_filled(doc, &ctx.actor(), WITHDRAWAL_TEMPLATE, &values)
    })
    .await
}
