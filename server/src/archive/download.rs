//! Downloading a filed case's package: `GET /api/v1/cases/{id}/archive`
//! (device token) and the console's link on the case page. Who may is
//! `zhifa_core::authority::authorize_archive_use` (archivist, leaders, legal
//! office) and reading the case.

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use tower::ServiceExt;
use zhifa_core::sync::ErrorBody;

use crate::access::can_read;
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::archive::ArchivePackage;
use crate::store::Principal;

/// The package of `case_id` if `who` may have it.
pub async fn permitted_package(
    state: &AppState,
    who: &Principal,
    case_id: &str,
) -> AppResult<ArchivePackage> {
    crate::sync::check_case_id(case_id)?;
    zhifa_core::authority::authorize_archive_use(&who.roles)
        .map_err(|r| AppError::forbidden(r.to_string()))?;
    let id = case_id.to_string();
    let (meta, pkg) = state
        .db(move |s| Ok((s.case_meta(&id)?, s.archive_package(&id)?)))
        .await?;
    let meta = meta.ok_or_else(|| AppError::NotFound("案件不存在".into()))?;
    let access = meta.access();
    if !can_read(who, &access) {
        return Err(AppError::forbidden("无权查看该案件"));
    }
    pkg.ok_or_else(|| AppError::NotFound("该案件尚未归档, 没有归档包".into()))
}

/// Serves the package file as an attachment named `<case id>.zip`.
pub async fn serve(state: &AppState, pkg: &ArchivePackage, req: Request) -> AppResult<Response> {
    let path = state.config().archive_path().join(&pkg.file_name);
    if !path.exists() {
        tracing::error!(case = %pkg.case_id, "archive package file missing");
        return Err(AppError::Internal("archive package file missing".into()));
    }
    let mut res = tower_http::services::ServeFile::new(path)
        .oneshot(req)
        .await
        .map_err(AppError::internal)?;
    if res.status().is_success() {
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/zip"),
        );
        if let Ok(v) = HeaderValue::from_str(&format!(
            "attachment; filename=\"archive-{}.zip\"",
            pkg.case_id
        )) {
            res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
        if let Ok(v) = HeaderValue::from_str(&pkg.sha256) {
            res.headers_mut().insert("x-archive-sha256", v);
        }
    }
    Ok(res.map(Body::new))
}

/// `GET /api/v1/cases/{id}/archive`: the filed case's package.
#[utoipa::path(
    get,
    path = "/cases/{id}/archive",
    operation_id = "get_case_archive",
    tag = "cases",
    summary = "The archive package (案卷归档) of a filed case: a ZIP with the 案卷 PDF, the case document, every media file and the signed manifest.json",
    description = "Verify it offline with `zhifa archive verify FILE.zip`: the manifest is signed with the server key (`GET /api/v1/server-key`). For the archivist, leaders and the legal office ((二) 第二十三条).",
    security(("device_token" = [])),
    params(("id" = String, Path, description = "Case id (1–64 characters of `[A-Za-z0-9_-]`)")),
    responses(
        (status = 200, description = "The package", content_type = "application/zip",
            headers(("X-Archive-SHA256" = String, description = "SHA-256 of the ZIP"))),
        (status = 400, description = "`bad_request`: malformed case id", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: not the archivist, a leader or the legal office, or may not read the case", body = ErrorBody),
        (status = 404, description = "`not_found`: no such case, or not filed", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn api_download(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    req: Request,
) -> AppResult<Response> {
    let pkg = permitted_package(&state, &p, &id).await?;
    serve(&state, &pkg, req).await
}
