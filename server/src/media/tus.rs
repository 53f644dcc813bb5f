//! The tus 1.0 endpoints (core protocol + creation) of media uploads.
//!
//! - `POST /api/v1/media/uploads` with `Upload-Length` and
//!   `Upload-Metadata: sha256 <base64 of the hex hash>` creates (or finds) the
//!   caller's upload `/api/v1/media/uploads/{sha256}`.
//! - `HEAD /api/v1/media/uploads/{sha256}` returns `Upload-Offset`: the bytes
//!   the server has of the caller's upload; resume from there.
//! - `PATCH /api/v1/media/uploads/{sha256}` with `Upload-Offset` and
//!   `Content-Type: application/offset+octet-stream` appends. Bytes that
//!   arrive before a broken or idle connection are kept. When the last byte
//!   arrives the file is hashed; a mismatch discards the partial file (422
//!   `hash_mismatch`).
//!
//! An upload belongs to the account that created it ([`super::partial`]).

use std::io::{Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use zhifa_core::sync::{
    ErrorBody, OFFSET_OCTET_STREAM, TUS_RESUMABLE, TUS_VERSION, UPLOAD_LENGTH, UPLOAD_OFFSET,
};

use super::partial::{check_quota, sweep, usage, Partial, PartialState};
use super::{check_sha, final_path};
use crate::access::can_read;
use crate::accounts::now;
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::state::AppState;
use crate::store::{MediaRecord, Principal};

/// Bytes gathered from the body before they are written to disk.
const WRITE_BUFFER: usize = 1024 * 1024;
/// `Retry-After` of a busy upload, seconds.
const BUSY_RETRY_AFTER: u64 = 2;

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

pub(crate) fn header_u64(headers: &HeaderMap, name: &str) -> AppResult<Option<u64>> {
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

/// The size of a finished file the caller may see: its uploader, or a reader
/// of a case that uses it. `None` also when the file does not exist: the
/// answer says nothing about files the caller may not read.
async fn visible_complete(state: &AppState, p: &Principal, sha: &str) -> AppResult<Option<u64>> {
    let lookup = sha.to_string();
    let Some(m) = state.db(move |s| s.media(&lookup)).await? else {
        return Ok(None);
    };
    if m.uploaded_by == p.account_id {
        return Ok(Some(m.size));
    }
    let lookup = sha.to_string();
    let cases = state.db(move |s| s.cases_with_media(&lookup)).await?;
    Ok(cases.iter().any(|c| can_read(p, c)).then_some(m.size))
}

fn partial_of(state: &AppState, p: &Principal, sha: &str) -> Partial {
    Partial::new(&state.config().media_path(), &p.account_id, sha)
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

pub(crate) fn metadata_sha(headers: &HeaderMap) -> AppResult<String> {
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
    description = "Uploads belong to the account that creates them: another account's upload \
                   of the same hash is separate and invisible. A file the server already has \
                   answers 200 only to its uploader and to readers of a case that uses it; \
                   anyone else uploads it again (the bytes must hash to the SHA-256). \
                   Unfinished uploads count against the account's quota and are deleted \
                   `upload_expiry_secs` after their last write.",
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
        (status = 200, description = "The server already has the whole file and the caller may read it: nothing to upload",
            headers(
                ("Location" = String, description = "`/api/v1/media/uploads/{sha256}`"),
                ("Upload-Offset" = u64, description = "The file's size"),
                ("Upload-Length" = u64, description = "The file's size"),
                ("Tus-Resumable" = String, description = "`1.0.0`"),
            )),
        (status = 400, description = "`bad_request`: missing or malformed `Upload-Length` / `Upload-Metadata`, empty file", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 409, description = "`length_mismatch`: this account registered another length for this hash", body = ErrorBody),
        (status = 413, description = "`too_large`: the file is larger than `max_upload_bytes`", body = ErrorBody),
        (status = 507, description = "`upload_quota`: the account's unfinished uploads would exceed `upload_quota_files` or `upload_quota_bytes`", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
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
    if let Err(e) = sweep(&state).await {
        tracing::warn!(error = %e, "upload sweep failed");
    }
    let (status, offset) = if let Some(size) = visible_complete(&state, &p, &sha).await? {
        (StatusCode::OK, size)
    } else {
        let partial = partial_of(&state, &p, &sha);
        match partial.state().await? {
            Some(PartialState {
                offset,
                length: known,
            }) => {
                if known != length {
                    return Err(AppError::Conflict {
                        code: "length_mismatch",
                        message: "该文件的上传长度与之前登记的不一致".into(),
                    });
                }
                (StatusCode::CREATED, offset)
            }
            None => {
                let used = usage(&state.config().media_path(), &p.account_id).await?;
                check_quota(state.config(), used, length)?;
                partial.create(length).await?;
                (StatusCode::CREATED, 0)
            }
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
        (status = 200, description = "The caller's upload: resume at `Upload-Offset`; or a finished file the caller uploaded or may read through a case (`Upload-Offset` = `Upload-Length`)",
            headers(
                ("Upload-Offset" = u64, description = "Bytes the server has"),
                ("Upload-Length" = u64, description = "The file's size"),
                ("Tus-Resumable" = String, description = "`1.0.0`"),
                ("Cache-Control" = String, description = "`no-store`"),
            )),
        (status = 400, description = "`bad_request`: malformed hash", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 404, description = "`not_found`: the caller has no upload of this file and may not read a finished one (nothing is said about other accounts' files)", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn head(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(sha): Path<String>,
) -> AppResult<Response> {
    check_sha(&sha)?;
    if let Some(size) = visible_complete(&state, &p, &sha).await? {
        return Ok((StatusCode::OK, tus_headers(size, Some(size))).into_response());
    }
    match partial_of(&state, &p, &sha).state().await? {
        Some(PartialState { offset, length }) => {
            Ok((StatusCode::OK, tus_headers(offset, Some(length))).into_response())
        }
        None => Err(AppError::NotFound("没有该文件的上传记录".into())),
    }
}

/// Truncates a partial file back to `len` (undoing a refused PATCH).
async fn truncate(path: PathBuf, len: u64) -> AppResult<()> {
    let f = tokio::fs::OpenOptions::new().write(true).open(path).await?;
    f.set_len(len).await?;
    f.sync_all().await?;
    Ok(())
}

/// Writes `bytes` at `at` on the blocking pool. The task owns its file and
/// buffer, so it completes even if the request is dropped; the bytes go to
/// their own position, so a late write can only repeat the same bytes.
async fn write_at(path: PathBuf, at: u64, bytes: Vec<u8>, sync: bool) -> AppResult<()> {
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).truncate(false).write(true);
        // Partial uploads hold evidence: owner-only, like every data file.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&path)?;
        f.seek(SeekFrom::Start(at))?;
        f.write_all(&bytes)?;
        if sync {
            f.sync_data()?;
        }
        Ok(())
    })
    .await??;
    Ok(())
}

fn busy() -> Response {
    let mut res = AppError::Conflict {
        code: "upload_busy",
        message: "该文件正在由另一个请求上传, 请稍后重试".into(),
    }
    .into_response();
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(BUSY_RETRY_AFTER));
    res
}

/// `PATCH /api/v1/media/uploads/{sha256}`: appends bytes at `Upload-Offset`.
#[utoipa::path(
    patch,
    path = "/media/uploads/{sha256}",
    operation_id = "upload_append",
    tag = "media",
    summary = "Append bytes to an upload (tus)",
    description = "Bytes received before a broken connection, or before `upload_idle_secs` \
                   without a byte, are kept: ask `HEAD` for the offset and resume. Send the \
                   file in chunks of bounded size (the device sends 8 MiB). When the last \
                   byte arrives the file is hashed; a mismatch discards it (422 \
                   `hash_mismatch`). Only the account that created the upload may append.",
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
        (status = 400, description = "`bad_request`: malformed hash, missing `Upload-Offset`, interrupted or idle body (the bytes received are kept)", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 404, description = "`not_found`: the caller has no upload of this file: create it first", body = ErrorBody),
        (status = 409, description = "`offset_mismatch`: `Upload-Offset` is not the server's; `upload_busy`: another request is writing this upload: retry after `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait before retrying (with `upload_busy`)"))),
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
    let partial = partial_of(&state, &p, &sha);
    // Dropped on every return, and with this future when hyper drops it
    // together with a dead connection.
    let Some(_guard) = state.lock_upload(&partial.lock_key()).await else {
        return Ok(busy());
    };
    if let Some(size) = visible_complete(&state, &p, &sha).await? {
        partial.remove().await;
        return Ok((StatusCode::NO_CONTENT, tus_headers(size, Some(size))).into_response());
    }
    let Some(PartialState {
        offset: current,
        length,
    }) = partial.state().await?
    else {
        return Err(AppError::NotFound(
            "没有该文件的上传记录, 请先创建上传".into(),
        ));
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
    let part = partial.part();
    let idle = Duration::from_secs(state.config().upload_idle_secs.max(1));
    let mut written = offset;
    let mut buf: Vec<u8> = Vec::with_capacity(WRITE_BUFFER);
    let mut stream = req.into_body().into_data_stream();
    let mut broken = None;
    loop {
        let next = match tokio::time::timeout(idle, stream.next()).await {
            Ok(Some(Ok(bytes))) => bytes,
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                broken = Some(e.to_string());
                break;
            }
            Err(_) => {
                broken = Some(format!("no byte for {} s", idle.as_secs()));
                break;
            }
        };
        if written + (buf.len() + next.len()) as u64 > length {
            truncate(part, offset).await?;
            return Err(AppError::TooLarge(format!(
                "上传内容超过登记的文件长度 ({length} 字节)"
            )));
        }
        buf.extend_from_slice(&next);
        if buf.len() >= WRITE_BUFFER {
            let n = buf.len() as u64;
            let full = std::mem::replace(&mut buf, Vec::with_capacity(WRITE_BUFFER));
            write_at(part.clone(), written, full, false).await?;
            written += n;
        }
    }
    let n = buf.len() as u64;
    write_at(part.clone(), written, buf, true).await?;
    written += n;
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
        partial.remove().await;
        tracing::warn!(expected = %sha, %actual, "upload hash mismatch; partial file discarded");
        return Err(AppError::Unprocessable {
            code: "hash_mismatch",
            message: "文件内容与 SHA-256 不符, 已丢弃, 请重新上传".into(),
        });
    }
    let media = state.config().media_path();
    let dest = final_path(&media, &sha);
    if let Some(parent) = dest.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    // The same bytes may already be there (another account's upload): the
    // rename replaces them with identical ones.
    tokio::fs::rename(&part, &dest).await?;
    let record = MediaRecord {
        sha256: sha.clone(),
        size: length,
        uploaded_by: p.account_id.clone(),
        uploaded_at: now(),
    };
    state.db(move |s| s.insert_media(&record)).await?;
    partial.remove().await;
    tracing::info!(sha = %sha, size = length, by = %p.account_id, "media stored");
    Ok((StatusCode::NO_CONTENT, tus_headers(length, Some(length))).into_response())
}
