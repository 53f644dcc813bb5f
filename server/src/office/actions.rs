//! The office actions: each asks zhifa-core whether the user may
//! (`zhifa_core::authority`), then makes the change through `CaseDoc`
//! (gates in `zhifa_core::rules` decide stage moves; seals refuse missing
//! fields). No rule is restated here.

use zhifa_core::authority::{self, ActingUser, OfficeAction, Refused};
use zhifa_core::case::{EventKind, Officer};
use zhifa_core::rules::{self, RuleProfile};
use zhifa_core::template::SignerRole;
use zhifa_core::CoreError;

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::Account;

use super::commit::{act, ActionCtx};

/// The template of the 立案审批表.
const FILING: &str = "filing_approval";

/// An account as `zhifa_core::authority` sees it.
pub(super) fn acting(a: &Account) -> ActingUser<'_> {
    ActingUser {
        account_id: &a.id,
        unit_id: &a.unit_id,
        roles: &a.roles,
    }
}

pub(super) fn refused(r: Refused) -> AppError {
    AppError::Forbidden {
        code: "not_permitted",
        message: r.to_string(),
    }
}

pub(super) fn core(e: CoreError) -> AppError {
    AppError::Unprocessable {
        code: "refused_by_rules",
        message: e.to_string(),
    }
}

pub(super) fn check(ctx: &ActionCtx<'_>, action: OfficeAction) -> AppResult<()> {
    let a = &ctx.who.account;
    let user = acting(a);
    authority::authorize(action, &user, ctx.case, ctx.unit_id).map_err(refused)
}

/// Whether `account` may take `action` on a case (for showing a form; the
/// action itself checks again).
pub fn permitted(
    account: &Account,
    action: OfficeAction,
    case: &zhifa_core::doc::Case,
    unit_id: &str,
) -> bool {
    let user = acting(account);
    authority::authorize(action, &user, case, unit_id).is_ok()
}

/// The current (not superseded) 立案审批表 of the case.
fn filing_record(ctx: &ActionCtx<'_>) -> AppResult<String> {
    ctx.case
        .current_records(FILING)
        .next()
        .map(|r| r.id.clone())
        .ok_or_else(|| AppError::Unprocessable {
            code: "no_filing_record",
            message: "本案没有立案审批表, 请承办人员先在移动端填写".into(),
        })
}

/// A short form of an opinion for the history line.
pub(super) fn brief(text: &str) -> String {
    let t: String = text.trim().chars().take(60).collect();
    if text.trim().chars().count() > 60 {
        format!("{t}…")
    } else {
        t
    }
}

pub(super) fn opinion_text(opinion: &str) -> AppResult<String> {
    let o = opinion.trim();
    if o.is_empty() {
        return Err(AppError::BadRequest("请填写意见".into()));
    }
    Ok(o.to_string())
}

/// Assigns officers (by account id) to a case: they receive it at their
/// next sync. Accounts must be active and hold a credential.
pub async fn assign(
    state: &AppState,
    account: &Account,
    case_id: &str,
    officer_ids: Vec<String>,
) -> AppResult<String> {
    if officer_ids.is_empty() {
        return Err(AppError::BadRequest("请选择要指派的执法人员".into()));
    }
    let ids = officer_ids.clone();
    let officers = state
        .db(move |s| {
            let mut out = Vec::new();
            for id in &ids {
                out.push(s.account(id)?);
            }
            Ok(out)
        })
        .await?;
    let mut chosen = Vec::new();
    for (id, a) in officer_ids.iter().zip(officers) {
        let a = a.ok_or_else(|| AppError::BadRequest(format!("账号 {id} 不存在")))?;
        if !a.active || a.credential_no.is_empty() {
            return Err(AppError::Unprocessable {
                code: "not_an_officer",
                message: format!("{} 没有有效的执法证, 不能指派办案", a.name),
            });
        }
        chosen.push(a);
    }
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::AssignOfficers)?;
        let mut names = Vec::new();
        for a in &chosen {
            if ctx.case.officer(&a.id).is_some() {
                continue;
            }
            let officer = Officer {
                id: a.id.clone(),
                name: a.name.clone(),
                post: a.post.clone(),
                credential_no: a.credential_no.clone(),
                unit: a.unit_name.clone(),
                status: a.status,
            };
            let who = ctx.actor();
            doc.add_officer(&officer, &who).map_err(core)?;
            names.push(a.name.clone());
        }
        Ok(if names.is_empty() {
            "所选人员已在本案承办人员中".into()
        } else {
            format!("已指派 {}, 其移动端下次同步时收到本案", names.join("、"))
        })
    })
    .await
}

/// 立案审批: the handling unit head's opinion ((二) 第八条).
pub async fn filing_unit_opinion(
    state: &AppState,
    account: &Account,
    case_id: &str,
    opinion: &str,
) -> AppResult<String> {
    let opinion = opinion_text(opinion)?;
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::FilingUnitOpinion)?;
        let rec = filing_record(ctx)?;
        let who = ctx.actor();
        doc.set_field_json(&rec, "unit_opinion", &serde_json::json!(opinion), &who)
            .map_err(core)?;
        doc.log_event(
            EventKind::Other,
            &who,
            Some(&rec),
            &format!("立案审批: 承办科室意见「{}」", brief(&opinion)),
        )
        .map_err(core)?;
        Ok("承办科室意见已记入立案审批表, 等待局领导审批".into())
    })
    .await
}

/// 立案审批: the leader approves or refuses filing ((二) 第八条); the form
/// is sealed and signed by the leader, and an approved case moves to
/// 调查取证 when the gates allow.
pub async fn filing_leader_decision(
    state: &AppState,
    account: &Account,
    case_id: &str,
    opinion: &str,
    approve: bool,
) -> AppResult<String> {
    let opinion = opinion_text(opinion)?;
    let roles = account.roles.clone();
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::FilingLeaderDecision)?;
        authority::may_sign_as(SignerRole::Leader, &roles).map_err(refused)?;
        let rec = filing_record(ctx)?;
        let who = ctx.actor();
        doc.set_field_json(&rec, "leader_opinion", &serde_json::json!(opinion), &who)
            .map_err(core)?;
        doc.set_field_json(&rec, "approved", &serde_json::json!(approve), &who)
            .map_err(core)?;
        doc.seal_record(&rec, &who, &ctx.who.key).map_err(core)?;
        ctx.sign_as_self(doc, &rec, SignerRole::Leader)
            .map_err(core)?;
        let verdict = if approve {
            "批准立案"
        } else {
            "不予立案"
        };
        doc.log_event(
            EventKind::Other,
            &who,
            Some(&rec),
            &format!("立案审批: 局领导{verdict}「{}」", brief(&opinion)),
        )
        .map_err(core)?;
        if !approve {
            return Ok("已记录不予立案的审批意见并签字".into());
        }
        let profile = RuleProfile::default();
        match rules::advance(doc, &profile, Some(ctx.present_media), &who).map_err(core)? {
            Ok(stage) => Ok(format!("已批准立案并签字, 案件进入“{}”阶段", stage.label())),
            Err(unmet) => Ok(format!(
                "已批准立案并签字; 暂不能进入下一阶段: {}",
                unmet
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
        }
    })
    .await
}

/// Signs a sealed record in an office role (审核人员 or 负责人): counts only
/// from an account holding that role (`zhifa_core::authority::may_sign_as`).
pub async fn sign(
    state: &AppState,
    account: &Account,
    case_id: &str,
    record_id: &str,
    role: SignerRole,
) -> AppResult<String> {
    authority::may_sign_as(role, &account.roles).map_err(refused)?;
    if authority::roles_for_signer(role).is_none() {
        return Err(AppError::BadRequest(
            "控制台只能以审核人员或负责人身份签字".into(),
        ));
    }
    let record_id = record_id.to_string();
    act(state, account, case_id, move |ctx, doc| {
        let template = ctx
            .case
            .record(&record_id)
            .map(|r| r.template.clone())
            .ok_or_else(|| AppError::NotFound("文书不存在".into()))?;
        let a = &ctx.who.account;
        let user = acting(a);
        authority::authorize_sign(&user, ctx.case, ctx.unit_id, &template, role)
            .map_err(refused)?;
        ctx.sign_as_self(doc, &record_id, role).map_err(core)?;
        Ok(format!("已以“{}”身份签字", role.label()))
    })
    .await
}

/// Moves the case to its next stage when the gates allow.
pub async fn advance(state: &AppState, account: &Account, case_id: &str) -> AppResult<String> {
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::AdvanceStage)?;
        let who = ctx.actor();
        let profile = RuleProfile::default();
        match rules::advance(doc, &profile, Some(ctx.present_media), &who).map_err(core)? {
            Ok(stage) => Ok(format!("案件已进入“{}”阶段", stage.label())),
            Err(unmet) => Err(AppError::Unprocessable {
                code: "gate_blocked",
                message: format!(
                    "不能进入下一阶段: {}",
                    unmet
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            }),
        }
    })
    .await
}

/// Approves a copy of a recording or photo of the case for a party
/// ((二) 第二十四条): recorded in the case history and the access log.
pub async fn approve_party_copy(
    state: &AppState,
    account: &Account,
    case_id: &str,
    sha256: &str,
    party_id: &str,
) -> AppResult<String> {
    let (sha, party) = (sha256.to_string(), party_id.to_string());
    let message = act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::PartyCopy)?;
        if !ctx.case.media.contains_key(&sha) {
            return Err(AppError::NotFound("本案没有这个文件".into()));
        }
        let name = ctx
            .case
            .parties
            .iter()
            .find(|p| p.id == party)
            .map(|p| p.name.clone())
            .ok_or_else(|| AppError::BadRequest("请选择当事人".into()))?;
        let who = ctx.actor();
        let short: String = sha.chars().take(12).collect();
        doc.log_event(
            EventKind::Other,
            &who,
            None,
            &format!("批准当事人 {name} 复制音像资料 {short}… ((二) 第二十四条)"),
        )
        .map_err(core)?;
        Ok(format!("已批准当事人 {name} 复制该文件, 已记录"))
    })
    .await?;
    let access = crate::store::MediaAccess {
        case_id: case_id.to_string(),
        sha256: sha256.to_string(),
        account_id: account.id.clone(),
        action: "party_copy".into(),
        at: crate::accounts::now(),
    };
    state.db(move |s| s.log_media_access(&access)).await?;
    Ok(message)
}

/// Marks the measures that make the case's decision major ((三) 第四条), chosen
/// from the rule profile's list; the review gates then apply.
pub async fn set_measures(
    state: &AppState,
    account: &Account,
    case_id: &str,
    measures: Vec<String>,
) -> AppResult<String> {
    let profile = RuleProfile::default();
    if let Some(m) = measures
        .iter()
        .find(|m| !profile.major_measures.contains(m))
    {
        return Err(AppError::BadRequest(format!(
            "「{m}」不是规定的重大执法决定情形"
        )));
    }
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::MajorMeasures)?;
        let who = ctx.actor();
        doc.set_measures(&measures, &who).map_err(core)?;
        Ok(if measures.is_empty() {
            "已取消重大执法决定情形".into()
        } else {
            format!(
                "已认定为重大执法决定 ({}), 作出决定前须经法制审核",
                measures.join("、")
            )
        })
    })
    .await
}
