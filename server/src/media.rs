//! Media files: content-addressed (SHA-256), resumable uploads after the tus
//! 1.0 core protocol (+ creation), verified before acceptance, streamed to
//! disk; authorized downloads; the list of a case's missing files.
//!
//! - `POST /api/v1/media/uploads` with `Upload-Length` and
//!   `Upload-Metadata: sha256 <base64 of the hex hash>` creates (or finds) the
//!   upload `/api/v1/media/uploads/{sha256}`.
//! - `HEAD /api/v1/media/uploads/{sha256}` returns `Upload-Offset`: the bytes the
//!   server has; resume from there.
//! - `PATCH /api/v1/media/uploads/{sha256}` with `Upload-Offset` and
//!   `Content-Type: application/offset+octet-stream` appends. Bytes that arrive
//!   before a broken connection are kept. When the last byte arrives the file
//!   is hashed; a mismatch discards the partial file (422 `hash_mismatch`).

use std::path::{Path as FsPath, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use tower::ServiceExt;
use zhifa_core::media::is_sha256_hex;
use zhifa_core::sync::{
    ErrorBody, MissingMedia, MissingMediaResponse, OFFSET_OCTET_STREAM, TUS_RESUMABLE, TUS_VERSION,
    UPLOAD_LENGTH, UPLOAD_OFFSET,
};

use crate::access::can_read;
use crate::accounts::now;
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::store::MediaRecord;

/// Where a complete file lives: `<media>/ab/abcdef...`.
pub fn final_path(media: &FsPath, sha: &str) -> PathBuf {
    media.join(&sha[..2]).join(sha)
}

fn partial_path(media: &FsPath, sha: &str) -> PathBuf {
    media.join("partial").join(format!("{sha}.part"))
}

fn length_path(media: &FsPath, sha: &str) -> PathBuf {
    media.join("partial").join(format!("{sha}.length"))
}

fn human_size(n: u64) -> String {
    const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
    const MIB: f64 = 1024.0 * 1024.0;
    if n as f64 >= GIB {
        format!("{:.1} GiB", n as f64 / GIB)
    } else {
        format!("{:.1} MiB", n as f64 / MIB)
    }
}

fn too_large(limit: u64) -> AppError {
    AppError::TooLarge(format!(
        "文件超过大小上限 ({}), 请分段录制或联系管理员",
        human_size(limit)
    ))
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

fn header_u64(headers: &HeaderMap, name: &str) -> AppResult<Option<u64>> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(Some)
            .ok_or_else(|| AppError::BadRequest(format!("请求头 {name} 必须是非负整数"))),
    }
}

fn tus_headers(offset: u64, length: Option<u64>) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(TUS_RESUMABLE, HeaderValue::from_static(TUS_VERSION));
    h.insert(UPLOAD_OFFSET, HeaderValue::from(offset));
    if let Some(l) = length {
        h.insert(UPLOAD_LENGTH, HeaderValue::from(l));
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h
}

/// The state of an upload on disk.
enum UploadState {
    Complete(u64),
    Partial { offset: u64, length: u64 },
    Unknown,
}

async fn upload_state(state: &AppState, sha: &str) -> AppResult<UploadState> {
    let lookup = sha.to_string();
    if let Some(m) = state.db(move |s| s.media(&lookup)).await? {
        return Ok(UploadState::Complete(m.size));
    }
    let media = state.config().media_path();
    let length = match tokio::fs::read_to_string(length_path(&media, sha)).await {
        Ok(s) => s.trim().parse::<u64>().map_err(AppError::internal)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(UploadState::Unknown),
        Err(e) => return Err(e.into()),
    };
    let offset = match tokio::fs::metadata(partial_path(&media, sha)).await {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => return Err(e.into()),
    };
    Ok(UploadState::Partial { offset, length })
}

/// `OPTIONS /api/v1/media/uploads`: tus discovery.
#[utoipa::path(
    options,
    path = "/media/uploads",
    operation_id = "upload_options",
    tag = "media",
    summary = "tus discovery (public)",
    responses(
        (status = 204, description = "The tus version, extensions and size limit",
            headers(
                ("Tus-Resumable" = String, description = "`1.0.0`"),
                ("Tus-Version" = String, description = "`1.0.0`"),
                ("Tus-Extension" = String, description = "`creation`"),
                ("Tus-Max-Size" = u64, description = "Largest file in bytes (`max_upload_bytes`)"),
            )),
    )
)]
pub async fn options(State(state): State<AppState>) -> Response {
    let mut h = HeaderMap::new();
    h.insert(TUS_RESUMABLE, HeaderValue::from_static(TUS_VERSION));
    h.insert("tus-version", HeaderValue::from_static(TUS_VERSION));
    h.insert("tus-extension", HeaderValue::from_static("creation"));
    h.insert(
        "tus-max-size",
        HeaderValue::from(state.config().max_upload_bytes),
    );
    (StatusCode::NO_CONTENT, h).into_response()
}

fn metadata_sha(headers: &HeaderMap) -> AppResult<String> {
    let raw = headers
        .get("upload-metadata")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| AppError::BadRequest("缺少 Upload-Metadata (sha256)".into()))?;
    for pair in raw.split(',') {
        let mut it = pair.trim().splitn(2, ' ');
        if it.next() == Some("sha256") {
            let value = it.next().unwrap_or_default();
            let bytes = STANDARD.decode(value.trim()).map_err(|_| {
                AppError::BadRequest("Upload-Metadata 的 sha256 不是 base64".into())
            })?;
            let sha = String::from_utf8(bytes)
                .map_err(|_| AppError::BadRequest("sha256 编码错误".into()))?;
            check_sha(&sha)?;
            return Ok(sha);
        }
    }
    Err(AppError::BadRequest("Upload-Metadata 中缺少 sha256".into()))
}

/// `POST /api/v1/media/uploads`: creates an upload (idempotent per hash).
#[utoipa::path(
    post,
    path = "/media/uploads",
    operation_id = "create_upload",
    tag = "media",
    summary = "Create (or find) the upload of a file (tus creation)",
    security(("device_token" = [])),
    params(
        ("Upload-Length" = u64, Header, description = "The file's size in bytes (at least 1, at most `Tus-Max-Size`)"),
        ("Upload-Metadata" = String, Header, description = "`sha256 <base64 of the 64 lowercase hex characters of the file's SHA-256>`"),
        ("Tus-Resumable" = Option<String>, Header, description = "`1.0.0`"),
    ),
    responses(
        (status = 201, description = "The upload exists (new or partial): resume at `Upload-Offset`",
            headers(
                ("Location" = String, description = "`/api/v1/media/uploads/{sha256}`"),
                ("Upload-Offset" = u64, description = "Bytes the server has"),
                ("Upload-Length" = u64, description = "The file's size"),
                ("Tus-Resumable" = String, description = "`1.0.0`"),
            )),
        (status = 200, description = "The server already has the whole file: nothing to upload",
            headers(
                ("Location" = String, description = "`/api/v1/media/uploads/{sha256}`"),
                ("Upload-Offset" = u64, description = "The file's size"),
                ("Upload-Length" = u64, description = "The file's size"),
                ("Tus-Resumable" = String, description = "`1.0.0`"),
            )),
        (status = 400, description = "`bad_request`: missing or malformed `Upload-Length` / `Upload-Metadata`, empty file", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 409, description = "`length_mismatch`: another length was registered for this hash", body = ErrorBody),
        (status = 413, description = "`too_large`: the file is larger than `max_upload_bytes`", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Auth(_p): Auth,
    headers: HeaderMap,
) -> AppResult<Response> {
    let length = header_u64(&headers, UPLOAD_LENGTH)?
        .ok_or_else(|| AppError::BadRequest("缺少 Upload-Length".into()))?;
    let limit = state.config().max_upload_bytes;
    if length > limit {
        return Err(too_large(limit));
    }
    if length == 0 {
        return Err(AppError::BadRequest("文件不能为空".into()));
    }
    let sha = metadata_sha(&headers)?;
    let location = format!("/api/v1/media/uploads/{sha}");
    let (status, offset) = match upload_state(&state, &sha).await? {
        UploadState::Complete(size) => (StatusCode::OK, size),
        UploadState::Partial {
            offset,
            length: known,
        } => {
            if known != length {
                return Err(AppError::Conflict {
                    code: "length_mismatch",
                    message: "该文件的上传长度与之前登记的不一致".into(),
                });
            }
            (StatusCode::CREATED, offset)
        }
        UploadState::Unknown => {
            let media = state.config().media_path();
            tokio::fs::create_dir_all(media.join("partial")).await?;
            tokio::fs::write(length_path(&media, &sha), length.to_string()).await?;
            (StatusCode::CREATED, 0)
        }
    };
    let mut h = tus_headers(offset, Some(length));
    h.insert(
        header::LOCATION,
        HeaderValue::from_str(&location).map_err(AppError::internal)?,
    );
    Ok((status, h).into_response())
}

/// `HEAD /api/v1/media/uploads/{sha256}`: how many bytes the server has.
#[utoipa::path(
    head,
    path = "/media/uploads/{sha256}",
    operation_id = "upload_offset",
    tag = "media",
    summary = "How many bytes of an upload the server has (tus)",
    description = "Answers carry headers only: the JSON error bodies described are not sent \
                   in answer to HEAD.",
    security(("device_token" = [])),
    params(("sha256" = String, Path, description = "The file's SHA-256, 64 lowercase hex characters")),
    responses(
        (status = 200, description = "Resume at `Upload-Offset` (equal to `Upload-Length` when complete)",
            headers(
                ("Upload-Offset" = u64, description = "Bytes the server has"),
                ("Upload-Length" = u64, description = "The file's size"),
                ("Tus-Resumable" = String, description = "`1.0.0`"),
                ("Cache-Control" = String, description = "`no-store`"),
            )),
        (status = 400, description = "`bad_request`: malformed hash", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 404, description = "`not_found`: no upload of this file", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn head(
    State(state): State<AppState>,
    Auth(_p): Auth,
    Path(sha): Path<String>,
) -> AppResult<Response> {
    check_sha(&sha)?;
    match upload_state(&state, &sha).await? {
        UploadState::Complete(size) => {
            Ok((StatusCode::OK, tus_headers(size, Some(size))).into_response())
        }
        UploadState::Partial { offset, length } => {
            Ok((StatusCode::OK, tus_headers(offset, Some(length))).into_response())
        }
        UploadState::Unknown => Err(AppError::NotFound("没有该文件的上传记录".into())),
    }
}

/// Truncates a partial file back to `len` (undoing a refused PATCH).
async fn truncate(path: &FsPath, len: u64) -> AppResult<()> {
    let f = tokio::fs::OpenOptions::new().write(true).open(path).await?;
    f.set_len(len).await?;
    f.sync_all().await?;
    Ok(())
}

/// `PATCH /api/v1/media/uploads/{sha256}`: appends bytes at `Upload-Offset`.
#[utoipa::path(
    patch,
    path = "/media/uploads/{sha256}",
    operation_id = "upload_append",
    tag = "media",
    summary = "Append bytes to an upload (tus)",
    description = "Bytes received before a broken connection are kept: ask `HEAD` for the \
                   offset and resume. When the last byte arrives the file is hashed; a \
                   mismatch discards it (422 `hash_mismatch`).",
    security(("device_token" = [])),
    params(
        ("sha256" = String, Path, description = "The file's SHA-256, 64 lowercase hex characters"),
        ("Upload-Offset" = u64, Header, description = "Where these bytes start: the server's `Upload-Offset`"),
        ("Tus-Resumable" = Option<String>, Header, description = "`1.0.0`"),
    ),
    request_body(
        description = "The next bytes of the file",
        content(("application/offset+octet-stream")),
    ),
    responses(
        (status = 204, description = "Bytes stored (and, after the last byte, the file verified and kept)",
            headers(
                ("Upload-Offset" = u64, description = "Bytes the server now has"),
                ("Upload-Length" = u64, description = "The file's size"),
                ("Tus-Resumable" = String, description = "`1.0.0`"),
            )),
        (status = 400, description = "`bad_request`: malformed hash, missing `Upload-Offset`, interrupted body", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 404, description = "`not_found`: no upload of this file: create it first", body = ErrorBody),
        (status = 409, description = "`offset_mismatch`: `Upload-Offset` is not the server's; `upload_busy`: another request is uploading it", body = ErrorBody),
        (status = 413, description = "`too_large`: more bytes than the registered length", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not `application/offset+octet-stream`", body = ErrorBody),
        (status = 422, description = "`hash_mismatch`: the file does not match its SHA-256 (discarded)", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(sha): Path<String>,
    req: Request,
) -> AppResult<Response> {
    check_sha(&sha)?;
    let headers = req.headers().clone();
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if ct != OFFSET_OCTET_STREAM {
        return Err(AppError::UnsupportedMediaType(format!(
            "续传请求的内容类型必须是 {OFFSET_OCTET_STREAM}"
        )));
    }
    let offset = header_u64(&headers, UPLOAD_OFFSET)?
        .ok_or_else(|| AppError::BadRequest("缺少 Upload-Offset".into()))?;
    let Some(_guard) = state.lock_upload(&sha).await else {
        return Err(AppError::Conflict {
            code: "upload_busy",
            message: "该文件正在由另一个请求上传, 请稍后重试".into(),
        });
    };
    let (current, length) = match upload_state(&state, &sha).await? {
        UploadState::Complete(size) => {
            return Ok((StatusCode::NO_CONTENT, tus_headers(size, Some(size))).into_response())
        }
        UploadState::Partial { offset, length } => (offset, length),
        UploadState::Unknown => {
            return Err(AppError::NotFound(
                "没有该文件的上传记录, 请先创建上传".into(),
            ))
        }
    };
    if offset != current {
        return Err(AppError::Conflict {
            code: "offset_mismatch",
            message: format!("上传位置不符: 服务器已有 {current} 字节, 请从该位置续传"),
        });
    }
    if let Some(cl) = header_u64(&headers, header::CONTENT_LENGTH.as_str())? {
        if offset.saturating_add(cl) > length {
            return Err(AppError::TooLarge(format!(
                "上传内容超过登记的文件长度 ({length} 字节)"
            )));
        }
    }
    let media = state.config().media_path();
    let part = partial_path(&media, &sha);
    let mut file = tokio::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&part)
        .await?;
    let mut written = offset;
    let mut stream = req.into_body().into_data_stream();
    let mut broken = None;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(bytes) => {
                if written + bytes.len() as u64 > length {
                    drop(file);
                    truncate(&part, offset).await?;
                    return Err(AppError::TooLarge(format!(
                        "上传内容超过登记的文件长度 ({length} 字节)"
                    )));
                }
                file.write_all(&bytes).await?;
                written += bytes.len() as u64;
            }
            Err(e) => {
                broken = Some(e.to_string());
                break;
            }
        }
    }
    file.flush().await?;
    file.sync_data().await?;
    drop(file);
    if let Some(e) = broken {
        tracing::info!(sha = %sha, kept = written, error = %e, "upload interrupted; bytes kept for resumption");
        return Err(AppError::BadRequest(format!(
            "上传中断, 已保存 {written} 字节, 请续传"
        )));
    }
    if written < length {
        return Ok((StatusCode::NO_CONTENT, tus_headers(written, Some(length))).into_response());
    }
    // Complete: verify the hash before accepting.
    let check = part.clone();
    let actual = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
        let mut f = std::fs::File::open(&check)?;
        let mut h = Sha256::new();
        std::io::copy(&mut f, &mut h)?;
        Ok(hex::encode(h.finalize()))
    })
    .await??;
    if actual != sha {
        let _ = tokio::fs::remove_file(&part).await;
        let _ = tokio::fs::remove_file(length_path(&media, &sha)).await;
        tracing::warn!(expected = %sha, %actual, "upload hash mismatch; partial file discarded");
        return Err(AppError::Unprocessable {
            code: "hash_mismatch",
            message: "文件内容与 SHA-256 不符, 已丢弃, 请重新上传".into(),
        });
    }
    let dest = final_path(&media, &sha);
    if let Some(parent) = dest.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    tokio::fs::rename(&part, &dest).await?;
    let record = MediaRecord {
        sha256: sha.clone(),
        size: length,
        uploaded_by: p.account_id.clone(),
        uploaded_at: now(),
    };
    state.db(move |s| s.insert_media(&record)).await?;
    let _ = tokio::fs::remove_file(length_path(&media, &sha)).await;
    tracing::info!(sha = %sha, size = length, by = %p.account_id, "media stored");
    Ok((StatusCode::NO_CONTENT, tus_headers(length, Some(length))).into_response())
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
    if record.uploaded_by != p.account_id {
        let lookup = sha.clone();
        let cases = state.db(move |s| s.cases_with_media(&lookup)).await?;
        if !cases.iter().any(|c| can_read(&p, c)) {
            return Err(AppError::forbidden("无权查看该文件"));
        }
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
