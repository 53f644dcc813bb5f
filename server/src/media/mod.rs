//! Media files: content-addressed (SHA-256), resumable uploads after the tus
//! 1.0 core protocol (+ creation) in [`tus`], each upload owned by the
//! account that started it ([`partial`]: per-account partial files, quota,
//! expiry); authorized downloads; the list of a case's missing files.

pub mod partial;
pub mod tus;

use std::path::{Path as FsPath, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use tower::ServiceExt;
use zhifa_core::media::is_sha256_hex;
use zhifa_core::sync::{ErrorBody, MissingMedia, MissingMediaResponse};

use crate::access::can_read;
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::state::AppState;

/// Where a complete file lives: `<media>/ab/abcdef...`.
pub fn final_path(media: &FsPath, sha: &str) -> PathBuf {
    media.join(&sha[..2]).join(sha)
}

/// Checks a SHA-256 path parameter (64 lowercase hex characters).
pub fn check_sha(sha: &str) -> AppResult<()> {
    if is_sha256_hex(sha) {
        Ok(())
    } else {
        Err(AppError::BadRequest(
            "文件哈希必须是 64 位小写十六进制 SHA-256".into(),
        ))
    }
}

/// `GET /api/v1/media/{sha256}`: the file, for the uploader and for readers
/// of a case that refers to it (supports `Range`).
#[utoipa::path(
    get,
    path = "/media/{sha256}",
    operation_id = "download_media",
    tag = "media",
    summary = "Download a media file (supports `Range`)",
    security(("device_token" = [])),
    params(
        ("sha256" = String, Path, description = "The file's SHA-256, 64 lowercase hex characters"),
        ("Range" = Option<String>, Header, description = "e.g. `bytes=0-1023`"),
    ),
    responses(
        (status = 200, description = "The file, with the MIME type recorded in the case", content(("application/octet-stream"))),
        (status = 206, description = "The requested range", content(("application/octet-stream")),
            headers(("Content-Range" = String, description = "`bytes <first>-<last>/<size>`"))),
        (status = 304, description = "Not modified (`If-Modified-Since`)"),
        (status = 400, description = "`bad_request`: malformed hash", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: neither the uploader nor a reader of a case using the file", body = ErrorBody),
        (status = 404, description = "`not_found`: the server does not have the file", body = ErrorBody),
        (status = 416, description = "The range is not satisfiable (answered by the file server, without a JSON body)"),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(sha): Path<String>,
    req: Request,
) -> AppResult<Response> {
    check_sha(&sha)?;
    let lookup = sha.clone();
    let record = state
        .db(move |s| s.media(&lookup))
        .await?
        .ok_or_else(|| AppError::NotFound("文件不存在".into()))?;
    if record.uploaded_by != p.account_id && !readable_through_a_case(&state, &p, &record).await? {
        return Err(AppError::forbidden("无权查看该文件"));
    }
    let mime = {
        let lookup = sha.clone();
        let cases = state.db(move |s| s.cases_with_media(&lookup)).await?;
        let mut mime = "application/octet-stream".to_string();
        if let Some(c) = cases.first() {
            let id = c.id.clone();
            if let Some(m) = state
                .db(move |s| s.case_media(&id))
                .await?
                .into_iter()
                .find(|m| m.sha256 == sha)
            {
                mime = m.mime;
            }
        }
        mime
    };
    let path = final_path(&state.config().media_path(), &record.sha256);
    let mime = HeaderValue::from_str(&mime)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let mut res = tower_http::services::ServeFile::new(path)
        .oneshot(req)
        .await
        .map_err(AppError::internal)?;
    if res.status().is_success() {
        res.headers_mut().insert(header::CONTENT_TYPE, mime);
    }
    Ok(res.map(Body::new))
}

/// True when the caller reads a case whose reference to the file was made
/// by the officer who captured and uploaded it: a hash copied into another
/// case (by someone who learned it) opens nothing.
async fn readable_through_a_case(
    state: &AppState,
    p: &crate::store::Principal,
    record: &crate::store::MediaRecord,
) -> AppResult<bool> {
    let sha = record.sha256.clone();
    let uploader = record.uploaded_by.clone();
    let cases = {
        let lookup = sha.clone();
        state.db(move |s| s.cases_with_media(&lookup)).await?
    };
    for c in cases.into_iter().filter(|c| can_read(p, c)) {
        let id = c.id.clone();
        let Some(stored) = state.db(move |s| s.load_case(&id)).await? else {
            continue;
        };
        let (sha, uploader) = (sha.clone(), uploader.clone());
        let ok = tokio::task::spawn_blocking(move || -> AppResult<bool> {
            let case = crate::casedoc::load(&stored)?
                .case()
                .map_err(AppError::internal)?;
            Ok(case.media.get(&sha).is_some_and(|m| m.officer == uploader))
        })
        .await??;
        if ok {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `GET /api/v1/cases/{id}/media/missing`: files the case refers to that the
/// server does not have.
#[utoipa::path(
    get,
    path = "/cases/{id}/media/missing",
    operation_id = "missing_media",
    tag = "media",
    summary = "Media files a case refers to that the server lacks",
    security(("device_token" = [])),
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "The missing files", body = MissingMediaResponse),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the caller may not read the case", body = ErrorBody),
        (status = 404, description = "`not_found`: no such case", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn missing(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<Json<MissingMediaResponse>> {
    let lookup = id.clone();
    let access = state.db(move |s| s.case_access(&[lookup])).await?;
    let case = access
        .first()
        .ok_or_else(|| AppError::NotFound("案件不存在".into()))?;
    if !can_read(&p, case) {
        return Err(AppError::forbidden("无权查看该案件"));
    }
    let lookup = id.clone();
    let (expected, missing) = state
        .db(move |s| {
            let all = s.case_media(&lookup)?;
            let n = all.len() as u32;
            let mut missing = Vec::new();
            for m in all {
                if s.media(&m.sha256)?.is_none() {
                    missing.push(MissingMedia {
                        sha256: m.sha256,
                        mime: m.mime,
                        size: m.size,
                        record_id: m.record_id,
                    });
                }
            }
            Ok((n, missing))
        })
        .await?;
    Ok(Json(MissingMediaResponse {
        case_id: id,
        expected,
        missing,
    }))
}
