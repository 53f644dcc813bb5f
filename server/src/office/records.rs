//! Records written in the office (决定书, 集体讨论记录, 专家论证意见,
//! 强制执行申请书 …): created from a template, filled field by field
//! (validated by zhifa-core against the template) and sealed with the
//! office user's key.

use serde_json::Value;
use zhifa_core::authority::{template_action, OfficeAction};
use zhifa_core::template::TemplateRegistry;

use super::actions::{check, core};
use super::commit::act;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::Account;

/// Creates a record of `template` in the case; returns the new record's id.
pub async fn create(
    state: &AppState,
    account: &Account,
    case_id: &str,
    template: &str,
) -> AppResult<String> {
    let template = template.to_string();
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, template_action(&template))?;
        let tpl = TemplateRegistry::builtin()
            .latest(&template)
            .map_err(|_| AppError::BadRequest("文书模板不存在".into()))?;
        if !tpl.kinds.contains(&ctx.case.header.kind) {
            return Err(AppError::BadRequest(format!(
                "《{}》不适用于{}案件",
                tpl.name,
                ctx.case.header.kind.label()
            )));
        }
        let id = uuid::Uuid::new_v4().to_string();
        let who = ctx.actor();
        doc.create_record(&id, tpl, &who).map_err(core)?;
        Ok(id)
    })
    .await
}

/// What a record form changes: values to set, keys to clear, whether to seal.
#[derive(Debug, Clone, Default)]
pub struct RecordChanges {
    /// Field values (JSON as the shells send them).
    pub set: Vec<(String, Value)>,
    /// Fields to clear.
    pub clear: Vec<String>,
    /// Seal the record after saving.
    pub seal: bool,
    /// The record's version ([`zhifa_core::record::Record::version`]) the
    /// form was shown at; a save from an older version is refused.
    pub base: Option<String>,
}

/// Saves a record's fields (and seals it when asked); nothing is stored
/// when one value is refused.
pub async fn save(
    state: &AppState,
    account: &Account,
    case_id: &str,
    record_id: &str,
    changes: RecordChanges,
) -> AppResult<String> {
    let record_id = record_id.to_string();
    act(state, account, case_id, move |ctx, doc| {
        let action = ctx
            .case
            .record(&record_id)
            .map_or(OfficeAction::EditRecords, |r| template_action(&r.template));
        check(ctx, action)?;
        if let (Some(base), Some(r)) = (&changes.base, ctx.case.record(&record_id)) {
            if *base != r.version() {
                return Err(AppError::Conflict {
                    code: "stale_form",
                    message:
                        "文书已被修改 (他人保存或重复提交), 本次未保存; 请查看最新内容后重新填写"
                            .into(),
                });
            }
        }
        let who = ctx.actor();
        for (key, value) in &changes.set {
            doc.set_field_json(&record_id, key, value, &who)
                .map_err(core)?;
        }
        for key in &changes.clear {
            doc.clear_field(&record_id, key, &who).map_err(core)?;
        }
        if changes.seal {
            doc.seal_record(&record_id, &who, &ctx.who.key)
                .map_err(core)?;
            let signers = ctx
                .case
                .record(&record_id)
                .and_then(|r| {
                    TemplateRegistry::builtin()
                        .get(&r.template, r.template_version)
                        .ok()
                })
                .is_some_and(|t| !t.signers.is_empty());
            return Ok(if signers {
                "已保存并封存, 待签字".into()
            } else {
                "已保存并封存".into()
            });
        }
        Ok("已保存".into())
    })
    .await
}
