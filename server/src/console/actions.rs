//! The case page's forms: each checks the CSRF token, calls an office
//! action (`crate::office::actions`) and returns to the case page with the
//! outcome as a flash message.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zhifa_core::template::SignerRole;

use super::session::CsrfForm;
use crate::error::AppResult;
use crate::extract::Path;
use crate::office::actions;
use crate::state::AppState;

/// Back to the case page with the outcome as a flash message.
pub fn back(case_id: &str, outcome: AppResult<String>) -> Response {
    let (key, msg) = match outcome {
        Ok(m) => ("ok", m),
        Err(e) => {
            let msg = match &e {
                crate::error::AppError::Internal(detail) => {
                    tracing::error!(%detail, "office action failed");
                    "服务器内部错误, 请稍后重试".to_string()
                }
                other => other.to_string(),
            };
            ("err", msg)
        }
    };
    let q = super::page::flash_query(key, &msg);
    Redirect::to(&format!("/cases/{case_id}?{q}")).into_response()
}

/// The assignment form: one `officer` field per chosen account.
#[derive(Debug, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    officer: Vec<String>,
}

/// `POST /cases/{id}/assign`.
pub async fn assign(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<AssignForm>,
) -> Response {
    let r = actions::assign(&state, &user.account, &id, form.officer).await;
    back(&id, r)
}

/// An opinion form.
#[derive(Debug, Deserialize)]
pub struct OpinionForm {
    #[serde(default)]
    opinion: String,
    #[serde(default)]
    decision: String,
}

/// `POST /cases/{id}/filing/opinion`: the unit head's opinion.
pub async fn filing_opinion(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<OpinionForm>,
) -> Response {
    let r = actions::filing_unit_opinion(&state, &user.account, &id, &form.opinion).await;
    back(&id, r)
}

/// `POST /cases/{id}/filing/decision`: the leader approves (`decision=approve`) or refuses.
pub async fn filing_decision(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<OpinionForm>,
) -> Response {
    let approve = match form.decision.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => {
            return back(
                &id,
                Err(crate::error::AppError::BadRequest(
                    "请选择批准立案或不予立案".into(),
                )),
            )
        }
    };
    let r =
        actions::filing_leader_decision(&state, &user.account, &id, &form.opinion, approve).await;
    back(&id, r)
}

/// The signing form.
#[derive(Debug, Deserialize)]
pub struct SignForm {
    #[serde(default)]
    record: String,
    #[serde(default)]
    role: String,
}

/// `POST /cases/{id}/sign`: sign a sealed record as 审核人员 or 负责人.
pub async fn sign(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<SignForm>,
) -> Response {
    let role = match form.role.as_str() {
        "reviewer" => SignerRole::Reviewer,
        "leader" => SignerRole::Leader,
        _ => {
            return back(
                &id,
                Err(crate::error::AppError::BadRequest("签字身份无效".into())),
            )
        }
    };
    let r = actions::sign(&state, &user.account, &id, &form.record, role).await;
    back(&id, r)
}

/// `POST /cases/{id}/advance`: the next stage, when the gates allow.
pub async fn advance(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<std::collections::HashMap<String, String>>,
) -> Response {
    let r = actions::advance(&state, &user.account, &id).await;
    back(&id, r)
}

/// The party-copy form.
#[derive(Debug, Deserialize)]
pub struct PartyCopyForm {
    #[serde(default)]
    party: String,
}

/// `POST /cases/{id}/media/{sha256}/party-copy`: approve a copy for a party.
pub async fn party_copy(
    State(state): State<AppState>,
    Path((id, sha)): Path<(String, String)>,
    CsrfForm { user, form }: CsrfForm<PartyCopyForm>,
) -> Response {
    let r = actions::approve_party_copy(&state, &user.account, &id, &sha, &form.party).await;
    back(&id, r)
}

/// The measures form: one `measure` per ticked box.
#[derive(Debug, Deserialize)]
pub struct MeasuresForm {
    #[serde(default)]
    measure: Vec<String>,
}

/// `POST /cases/{id}/measures`: mark what makes the decision major.
pub async fn measures(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<MeasuresForm>,
) -> Response {
    let r = actions::set_measures(&state, &user.account, &id, form.measure).await;
    back(&id, r)
}

/// The 案件事项登记 form.
#[derive(Deserialize)]
pub struct FactForm {
    #[serde(default)]
    fact: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    note: String,
}

/// `POST /cases/{id}/facts`: record service, payment, 行政复议 or 行政诉讼.
pub async fn fact(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<FactForm>,
) -> Response {
    let r = crate::office::facts::record_fact(
        &state,
        &user.account,
        &id,
        &form.fact,
        &form.on,
        &form.note,
    )
    .await;
    back(&id, r)
}
