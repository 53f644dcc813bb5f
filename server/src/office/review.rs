//! 重大执法决定法制审核 in the console ((三) 第五条至第十一条): the unit head
//! submits the package, the legal reviewer asks for materials or an extension
//! and gives the seven-point opinion, the leader in charge approves the
//! extension and the opinion, the unit reports its rectification. Each step
//! is a change through zhifa-core; the package and checklist gates decide
//! whether a submission or an opinion stands (nothing is stored otherwise).

use serde_json::json;
use zhifa_core::authority::OfficeAction;
use zhifa_core::case::EventKind;
use zhifa_core::rules::{self, review_state, Gate, GateInput, RuleProfile, REVIEW_CHECKS};
use zhifa_core::template::{SignerRole, TemplateRegistry};

use super::actions::{brief, check, core, opinion_text};
use super::commit::{act, ActionCtx};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::Account;

fn unmet_after(
    doc: &mut zhifa_core::doc::CaseDoc,
    ctx: &ActionCtx<'_>,
    gate: Gate,
) -> AppResult<Vec<String>> {
    let case = doc.case().map_err(core)?;
    let profile = RuleProfile::default();
    Ok(rules::check(
        gate,
        &GateInput {
            case: &case,
            profile: &profile,
            present_media: Some(ctx.present_media),
        },
    )
    .iter()
    .map(ToString::to_string)
    .collect())
}

fn today(ctx: &ActionCtx<'_>) -> String {
    ctx.at.chars().take(10).collect()
}

fn refused_by(what: &str, unmet: Vec<String>) -> AppError {
    AppError::Unprocessable {
        code: "gate_blocked",
        message: format!("{what}: {}", unmet.join("; ")),
    }
}

/// The unit head submits the major decision for legal review: the 申报表 is
/// marked agreed, dated, sealed and logged as submitted, and the package must
/// be complete ((三) 第五条至第七条) or nothing is stored and the missing
/// materials are named.
pub async fn submit(state: &AppState, account: &Account, case_id: &str) -> AppResult<String> {
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::ReviewSubmit)?;
        let st = review_state(ctx.case, &RuleProfile::default());
        let app = st.application.ok_or_else(|| AppError::Unprocessable {
            code: "no_review_application",
            message: "本案没有《重大执法决定法制审核申报表》, 请承办人员先填写".into(),
        })?;
        if st.submitted_on.is_some() {
            return Err(AppError::Conflict {
                code: "already_submitted",
                message: "本案已提交法制审核".into(),
            });
        }
        let who = ctx.actor();
        doc.set_field_json(&app, "unit_head_agreed", &json!(true), &who)
            .map_err(core)?;
        let filled = ctx
            .case
            .record(&app)
            .is_some_and(|r| r.fields.contains_key("submitted_on"));
        if !filled {
            doc.set_field_json(&app, "submitted_on", &json!(today(ctx)), &who)
                .map_err(core)?;
        }
        doc.seal_record(&app, &who, &ctx.who.key).map_err(core)?;
        doc.log_event(
            EventKind::ReviewSubmitted,
            &who,
            Some(&app),
            "承办科室负责人同意后报送法制审核",
        )
        .map_err(core)?;
        let unmet = unmet_after(doc, ctx, Gate::ReviewPackageComplete)?;
        if !unmet.is_empty() {
            return Err(refused_by("送审材料不齐全, 未提交", unmet));
        }
        Ok("已提交法制审核, 审核期限 7 个工作日 ((三) 第十条)".into())
    })
    .await
}

/// The legal reviewer asks the unit for more material ((三) 第六条).
pub async fn request_materials(
    state: &AppState,
    account: &Account,
    case_id: &str,
    what: &str,
) -> AppResult<String> {
    let what = opinion_text(what)?;
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::ReviewWork)?;
        let who = ctx.actor();
        doc.log_event(
            EventKind::Other,
            &who,
            None,
            &format!("法制审核: 要求补充材料「{}」", brief(&what)),
        )
        .map_err(core)?;
        Ok("已要求承办科室补充材料".into())
    })
    .await
}

/// The legal reviewer asks the leader in charge for the 5-working-day extension ((三) 第十条).
pub async fn request_extension(
    state: &AppState,
    account: &Account,
    case_id: &str,
    reason: &str,
) -> AppResult<String> {
    let reason = opinion_text(reason)?;
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::ReviewWork)?;
        let st = review_state(ctx.case, &RuleProfile::default());
        if st.submitted_on.is_none() {
            return Err(AppError::Conflict {
                code: "not_submitted",
                message: "本案尚未提交法制审核".into(),
            });
        }
        if st.extended || st.extension_pending {
            return Err(AppError::Conflict {
                code: "extension_exists",
                message: "已申请或已批准延长, 审核期限只能延长一次 ((三) 第十条)".into(),
            });
        }
        let who = ctx.actor();
        doc.log_event(
            EventKind::ReviewExtensionRequested,
            &who,
            None,
            &format!("理由「{}」", brief(&reason)),
        )
        .map_err(core)?;
        Ok("已申请延长审核期限, 待分管负责人批准".into())
    })
    .await
}

/// The leader in charge approves the pending extension ((三) 第十条): the
/// review clock moves to 5 more working days after the original due date.
pub async fn approve_extension(
    state: &AppState,
    account: &Account,
    case_id: &str,
) -> AppResult<String> {
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::ReviewExtensionApproval)?;
        let st = review_state(ctx.case, &RuleProfile::default());
        if !st.extension_pending {
            return Err(AppError::Conflict {
                code: "no_extension_request",
                message: "没有待批准的延长申请".into(),
            });
        }
        let who = ctx.actor();
        doc.log_event(EventKind::ReviewExtended, &who, None, "延长 5 个工作日")
            .map_err(core)?;
        Ok("已批准延长法制审核期限 5 个工作日".into())
    })
    .await
}

/// The reviewer's opinion: the seven points of (三) 第八条 (true = passed),
/// one outcome of 第十一条, the written opinion.
#[derive(Debug, Clone)]
pub struct OpinionInput {
    /// The seven checks, in [`REVIEW_CHECKS`] order.
    pub checks: [bool; 7],
    /// The outcome (one of the template's options).
    pub outcome: String,
    /// The written opinion.
    pub opinion: String,
}

/// The legal reviewer gives the opinion: a 法制审核意见书 filled, sealed and
/// signed by the reviewer; refused (nothing stored) unless it answers the
/// checklist ((三) 第八条、第十一条).
pub async fn give_opinion(
    state: &AppState,
    account: &Account,
    case_id: &str,
    input: OpinionInput,
) -> AppResult<String> {
    let opinion = opinion_text(&input.opinion)?;
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::ReviewWork)?;
        let st = review_state(ctx.case, &RuleProfile::default());
        let submitted = st.submitted_on.clone().ok_or_else(|| AppError::Conflict {
            code: "not_submitted",
            message: "本案尚未提交法制审核".into(),
        })?;
        if st.opinion.as_ref().is_some_and(|o| o.sealed) {
            return Err(AppError::Conflict {
                code: "opinion_exists",
                message: "本案已有法制审核意见书".into(),
            });
        }
        let who = ctx.actor();
        let rec = match &st.opinion {
            Some(o) => o.record_id.clone(),
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                let tpl = TemplateRegistry::builtin()
                    .latest("review_opinion")
                    .map_err(core)?;
                doc.create_record(&id, tpl, &who).map_err(core)?;
                id
            }
        };
        let mut fields = vec![
            ("received_on", json!(submitted)),
            ("outcome", json!(input.outcome)),
            ("opinion", json!(opinion)),
            ("extended", json!(st.extended)),
            ("completed_on", json!(today(ctx))),
        ];
        for (key, passed) in REVIEW_CHECKS.iter().zip(input.checks) {
            fields.push((key, json!(passed)));
        }
        for (key, value) in fields {
            doc.set_field_json(&rec, key, &value, &who).map_err(core)?;
        }
        let unmet = unmet_after(doc, ctx, Gate::ReviewChecklist)?;
        if !unmet.is_empty() {
            return Err(refused_by("审核意见不符合要求, 未保存", unmet));
        }
        doc.seal_record(&rec, &who, &ctx.who.key).map_err(core)?;
        ctx.sign_as_self(doc, &rec, SignerRole::Reviewer)
            .map_err(core)?;
        doc.log_event(
            EventKind::ReviewCompleted,
            &who,
            Some(&rec),
            &format!("审核意见「{}」", input.outcome),
        )
        .map_err(core)?;
        Ok("已出具法制审核意见并签字, 待分管负责人审批".into())
    })
    .await
}

/// The leader in charge approves the opinion by signing it as 负责人
/// ((三) 第十一条); not the reviewer who gave it.
pub async fn approve_opinion(
    state: &AppState,
    account: &Account,
    case_id: &str,
) -> AppResult<String> {
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::ReviewOpinionApproval)?;
        let st = review_state(ctx.case, &RuleProfile::default());
        let op = st
            .opinion
            .filter(|o| o.sealed && !o.approved)
            .ok_or_else(|| AppError::Conflict {
                code: "no_opinion_to_approve",
                message: "没有待审批的法制审核意见".into(),
            })?;
        let who = ctx.actor();
        ctx.sign_as_self(doc, &op.record_id, SignerRole::Leader)
            .map_err(core)?;
        doc.log_event(
            EventKind::Other,
            &who,
            Some(&op.record_id),
            &format!("分管负责人批准法制审核意见「{}」", op.outcome),
        )
        .map_err(core)?;
        Ok("已批准法制审核意见".into())
    })
    .await
}

/// The unit head reports in writing how the unit rectified after the
/// opinion ((三) 第十一条): a 法制审核整改情况报告 sealed and signed; the
/// leader then approves it by signing as 负责人.
pub async fn rectify(
    state: &AppState,
    account: &Account,
    case_id: &str,
    measures: &str,
    result: &str,
) -> AppResult<String> {
    let measures = opinion_text(measures)?;
    let result = opinion_text(result)?;
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::ReviewRectification)?;
        let st = review_state(ctx.case, &RuleProfile::default());
        if !st.needs_rectification {
            return Err(AppError::Conflict {
                code: "no_rectification_needed",
                message: "法制审核意见未要求整改, 或尚未经分管负责人批准".into(),
            });
        }
        if st.rectification.is_some() {
            return Err(AppError::Conflict {
                code: "rectification_exists",
                message: "已报送整改情况".into(),
            });
        }
        let outcome = st.opinion.map(|o| o.outcome).unwrap_or_default();
        let who = ctx.actor();
        let id = uuid::Uuid::new_v4().to_string();
        let tpl = TemplateRegistry::builtin()
            .latest(rules::RECTIFICATION_TEMPLATE)
            .map_err(core)?;
        doc.create_record(&id, tpl, &who).map_err(core)?;
        for (key, value) in [
            ("opinion_outcome", json!(outcome)),
            ("measures", json!(measures)),
            ("result", json!(result)),
            ("reported_on", json!(today(ctx))),
        ] {
            doc.set_field_json(&id, key, &value, &who).map_err(core)?;
        }
        doc.seal_record(&id, &who, &ctx.who.key).map_err(core)?;
        ctx.sign_as_self(doc, &id, SignerRole::Reviewer)
            .map_err(core)?;
        doc.log_event(
            EventKind::Other,
            &who,
            Some(&id),
            "承办科室书面报告整改情况",
        )
        .map_err(core)?;
        Ok("已报送整改情况, 待负责人审批签字".into())
    })
    .await
}

/// The situations (三) 第十三条 has recorded.
pub const VIOLATIONS: [&str; 3] = [
    "应当送审而未送审",
    "拒不提供或拖延提供审核材料",
    "不采纳法制审核意见且未说明理由",
];

/// The legal reviewer records a breach of the review system
/// ((三) 第十三条): skipped review, materials refused, opinion ignored.
pub async fn record_violation(
    state: &AppState,
    account: &Account,
    case_id: &str,
    kind: &str,
    detail: &str,
) -> AppResult<String> {
    let kind = VIOLATIONS
        .iter()
        .find(|v| **v == kind)
        .ok_or_else(|| AppError::BadRequest("请选择违反法制审核制度的情形".into()))?
        .to_string();
    let detail = opinion_text(detail)?;
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::ReviewWork)?;
        let who = ctx.actor();
        doc.log_event(
            EventKind::Other,
            &who,
            None,
            &format!(
                "违反法制审核制度: {kind}「{}」((三) 第十三条)",
                brief(&detail)
            ),
        )
        .map_err(core)?;
        Ok(format!("已记录: {kind}"))
    })
    .await
}
