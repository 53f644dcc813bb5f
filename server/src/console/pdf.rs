//! `GET /cases/{id}/records/{rid}/pdf`: the console's download of a sealed
//! record as its printed form (执法文书), for any user who may read the
//! case; personal data masked for users who read it masked.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use zhifa_docs::Privacy;

use super::cases::readable_case;
use super::page::PageError;
use super::session::ConsoleUser;
use crate::access::{office_principal, sees_personal_data};
use crate::extract::Path;
use crate::state::AppState;

/// The PDF download.
pub async fn record_pdf(
    State(state): State<AppState>,
    user: ConsoleUser,
    headers: HeaderMap,
    Path((id, rid)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let stored = readable_case(&state, &user, &id).await?;
    let access = stored.meta.access();
    let privacy = if sees_personal_data(&office_principal(&user.account), &access) {
        Privacy::Full
    } else {
        Privacy::Masked
    };
    let url = crate::docs::check_url(&state, &headers);
    let rid2 = rid.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        crate::docs::pdf_of(&state, &stored, &rid2, privacy, url.as_deref())
    })
    .await
    .map_err(|e| PageError(crate::error::AppError::from(e)))?
    .map_err(PageError)?;
    Ok(crate::docs::pdf_response(bytes, &rid))
}
