//! Read-only case endpoints for office tools: the list (columns only) and
//! the detail (the document hydrated through `CaseDoc`).

use axum::extract::State;
use serde::Deserialize;

use crate::access::{can_read, listing_scope};
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use crate::store::CaseMeta;

/// Filters of the case list.
#[derive(Debug, Default, Deserialize)]
pub struct ListFilter {
    /// Only this stage (snake_case).
    pub stage: Option<String>,
    /// Only this unit.
    pub unit: Option<String>,
}

/// `GET /api/v1/cases`: the cases visible to the caller, newest first.
pub async fn list(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(f): Query<ListFilter>,
) -> AppResult<Json<Vec<CaseMeta>>> {
    let scope = listing_scope(&p);
    let mut cases = state.db(move |s| s.list_cases(&scope)).await?;
    cases.retain(|c| {
        f.stage.as_ref().is_none_or(|s| &c.stage == s)
            && f.unit.as_ref().is_none_or(|u| &c.unit_id == u)
    });
    Ok(Json(cases))
}

/// `GET /api/v1/cases/{id}`: the whole case, read from its document.
pub async fn detail(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    crate::sync::check_case_id(&id)?;
    let lookup = id.clone();
    let stored = state
        .db(move |s| s.load_case(&lookup))
        .await?
        .ok_or_else(|| AppError::NotFound("案件不存在".into()))?;
    let access = crate::store::CaseAccess {
        id: stored.meta.id.clone(),
        unit_id: stored.meta.unit_id.clone(),
        officers: stored.meta.officers.clone(),
        heads: String::new(),
    };
    if !can_read(&p, &access) {
        return Err(AppError::forbidden("无权查看该案件"));
    }
    let value = tokio::task::spawn_blocking(move || crate::casedoc::case_json(&stored)).await??;
    Ok(Json(value))
}
