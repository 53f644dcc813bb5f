//! The 法制审核 forms of the case page: each calls `crate::office::review`
//! and returns to the case page with the outcome.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use zhifa_core::rules::REVIEW_CHECKS;

use super::actions::back;
use super::session::CsrfForm;
use crate::extract::Path;
use crate::office::review::{self, OpinionInput};
use crate::state::AppState;

type NoFields = std::collections::HashMap<String, String>;

/// A form with one text.
#[derive(Debug, Deserialize)]
pub struct TextForm {
    #[serde(default)]
    text: String,
}

/// `POST /cases/{id}/review/submit`: the unit head submits.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<NoFields>,
) -> Response {
    back(&id, review::submit(&state, &user.account, &id).await)
}

/// `POST /cases/{id}/review/materials`: the reviewer asks for more material.
pub async fn materials(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<TextForm>,
) -> Response {
    back(
        &id,
        review::request_materials(&state, &user.account, &id, &form.text).await,
    )
}

/// `POST /cases/{id}/review/extension`: the reviewer asks for the extension.
pub async fn extension(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<TextForm>,
) -> Response {
    back(
        &id,
        review::request_extension(&state, &user.account, &id, &form.text).await,
    )
}

/// `POST /cases/{id}/review/extension/approve`: the leader approves it.
pub async fn approve_extension(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<NoFields>,
) -> Response {
    back(
        &id,
        review::approve_extension(&state, &user.account, &id).await,
    )
}

/// `POST /cases/{id}/review/opinion`: the reviewer's opinion; each check
/// field is `pass` or `fail`.
pub async fn opinion(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<NoFields>,
) -> Response {
    let mut checks = [false; 7];
    for (i, key) in REVIEW_CHECKS.iter().enumerate() {
        match form.get(*key).map(String::as_str) {
            Some("pass") => checks[i] = true,
            Some("fail") => checks[i] = false,
            _ => {
                return back(
                    &id,
                    Err(crate::error::AppError::BadRequest(
                        "请逐项填写七项审核内容 ((三) 第八条)".into(),
                    )),
                )
            }
        }
    }
    let input = OpinionInput {
        checks,
        outcome: form.get("outcome").cloned().unwrap_or_default(),
        opinion: form.get("opinion").cloned().unwrap_or_default(),
    };
    back(
        &id,
        review::give_opinion(&state, &user.account, &id, input).await,
    )
}

/// `POST /cases/{id}/review/opinion/approve`: the leader approves the opinion.
pub async fn approve_opinion(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<NoFields>,
) -> Response {
    back(
        &id,
        review::approve_opinion(&state, &user.account, &id).await,
    )
}

/// The rectification form.
#[derive(Debug, Deserialize)]
pub struct RectifyForm {
    #[serde(default)]
    measures: String,
    #[serde(default)]
    result: String,
}

/// `POST /cases/{id}/review/rectify`: the unit head reports the rectification.
pub async fn rectify(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<RectifyForm>,
) -> Response {
    back(
        &id,
        review::rectify(&state, &user.account, &id, &form.measures, &form.result).await,
    )
}

/// The violation form.
#[derive(Debug, Deserialize)]
pub struct ViolationForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
}

/// `POST /cases/{id}/review/violation`: the reviewer records a breach ((三) 第十三条).
pub async fn violation(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<ViolationForm>,
) -> Response {
    back(
        &id,
        review::record_violation(&state, &user.account, &id, &form.kind, &form.text).await,
    )
}
