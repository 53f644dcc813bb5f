//! `GET /gs/doc?c=&r=&d=`: the page a printed document's QR code opens. It
//! says only whether the paper's digest is the seal of a current sealed
//! record of that case (一致/不一致) and the document's name and date; no
//! personal data.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use zhifa_docs::{check, DocRef, Verdict};

use super::{render, PortalError};
use crate::state::AppState;

/// The QR code's query: case, record, digest.
#[derive(Debug, Default, Deserialize)]
pub struct DocQuery {
    #[serde(default)]
    c: String,
    #[serde(default)]
    r: String,
    #[serde(default)]
    d: String,
}

#[derive(askama::Template)]
#[template(path = "portal/doc.html")]
struct DocPage {
    bureau: String,
    asked: bool,
    consistent: bool,
    word: &'static str,
    name: String,
    sealed_at: String,
    reason: String,
}

/// The check page.
pub async fn doc(
    State(state): State<AppState>,
    Query(q): Query<DocQuery>,
) -> Result<Response, PortalError> {
    let bureau = state.config().bureau_name.clone();
    let mut page = DocPage {
        bureau,
        asked: false,
        consistent: false,
        word: "",
        name: String::new(),
        sealed_at: String::new(),
        reason: String::new(),
    };
    if q.c.is_empty() && q.r.is_empty() && q.d.is_empty() {
        return render(&page);
    }
    page.asked = true;
    let text = format!("?c={}&r={}&d={}", q.c, q.r, q.d);
    let verdict = match DocRef::parse(&text) {
        None => Verdict::Inconsistent {
            reason: "核验码格式错误".into(),
        },
        Some(r) => match crate::docs::load_case(&state, &r.case_id).await {
            Ok((stored, _)) => {
                let case = tokio::task::spawn_blocking(move || {
                    crate::casedoc::load(&stored)
                        .and_then(|d| d.case().map_err(crate::error::AppError::internal))
                })
                .await
                .map_err(crate::error::AppError::from)??;
                check(&case, &r)
            }
            Err(crate::error::AppError::NotFound(_) | crate::error::AppError::BadRequest(_)) => {
                Verdict::Inconsistent {
                    reason: "没有该案件的文书".into(),
                }
            }
            Err(e) => return Err(e.into()),
        },
    };
    page.word = verdict.word();
    match verdict {
        Verdict::Consistent { name, sealed_at } => {
            page.consistent = true;
            page.name = name;
            page.sealed_at = sealed_at;
        }
        Verdict::Inconsistent { reason } => page.reason = reason,
    }
    render(&page)
}
