//! Read-only case endpoints for office tools: the list (columns only) and
//! the detail (the document hydrated through `CaseDoc`).

use axum::extract::State;
use serde::Deserialize;

use crate::access::{can_read, listing_scope};
use crate::auth::Auth;
use crate::casedoc::CaseDetail;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use crate::store::CaseMeta;
use zhifa_core::sync::ErrorBody;

/// Filters of the case list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    /// Only this stage (snake_case).
    pub stage: Option<String>,
    /// Only this unit.
    pub unit: Option<String>,
}

/// `GET /api/v1/cases`: the cases visible to the caller, newest first.
#[utoipa::path(
    get,
    path = "/cases",
    operation_id = "list_cases",
    tag = "cases",
    summary = "The cases visible to the caller (columns only)",
    security(("device_token" = [])),
    params(ListFilter),
    responses(
        (status = 200, description = "The cases, newest first", body = Vec<CaseMeta>),
        (status = 400, description = "`bad_request`: bad query", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
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
#[utoipa::path(
    get,
    path = "/cases/{id}",
    operation_id = "get_case",
    tag = "cases",
    summary = "A whole case, read from its document",
    security(("device_token" = [])),
    params(("id" = String, Path, description = "Case id (1–64 characters of `[A-Za-z0-9_-]`)")),
    responses(
        (status = 200, description = "The case with its heads and seal conflicts", body = CaseDetail),
        (status = 400, description = "`bad_request`: malformed case id", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the caller may not read the case", body = ErrorBody),
        (status = 404, description = "`not_found`: no such case", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn detail(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<Json<CaseDetail>> {
    crate::sync::check_case_id(&id)?;
    let lookup = id.clone();
    let stored = state
        .db(move |s| s.load_case(&lookup))
        .await?
        .ok_or_else(|| AppError::NotFound("案件不存在".into()))?;
    let access = stored.meta.access();
    if !can_read(&p, &access) {
        return Err(AppError::forbidden("无权查看该案件"));
    }
    let masked = !crate::access::sees_personal_data(&p, &access);
    let value =
        tokio::task::spawn_blocking(move || crate::casedoc::case_json(&stored, masked)).await??;
    Ok(Json(value))
}
