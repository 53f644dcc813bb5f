//! Media of a case in the console: photos, video and audio played with
//! `Range` requests, each opening logged (全过程记录 调阅: who, which file
//! of which case, when).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use tower::ServiceExt;

use super::cases::readable_case;
use super::page::PageError;
use super::session::ConsoleUser;
use crate::accounts::now;
use crate::extract::Path;
use crate::media::final_path;
use crate::state::AppState;
use crate::store::MediaAccess;

/// True for the request that opens a file: no `Range`, or one from byte 0
/// (a player's follow-up range requests are not logged again).
fn opens_file(req: &Request) -> bool {
    match req
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
    {
        None => true,
        Some(r) => r.trim().starts_with("bytes=0-"),
    }
}

/// `GET /cases/{id}/media/{sha256}` (`?download=1` to save it): a file of
/// a case the user may read; answers `Range` requests; logs the access.
pub async fn media(
    State(state): State<AppState>,
    user: ConsoleUser,
    Path((id, sha)): Path<(String, String)>,
    req: Request,
) -> Result<Response, PageError> {
    crate::media::check_sha(&sha).map_err(PageError)?;
    let stored = readable_case(&state, &user, &id).await?;
    let case_id = stored.meta.id.clone();
    let lookup = case_id.clone();
    let listed = state
        .db(move |s| s.case_media(&lookup))
        .await?
        .into_iter()
        .find(|m| m.sha256 == sha);
    let entry = match listed {
        Some(m) => m,
        // A signature as drawn (PNG of the strokes) named by a seal.
        None => {
            let wanted = sha.clone();
            let is_signature = tokio::task::spawn_blocking(move || {
                crate::casedoc::load(&stored)
                    .and_then(|d| d.case().map_err(crate::error::AppError::internal))
                    .map(|c| crate::casedoc::signature_images(&c).contains(&wanted))
            })
            .await
            .map_err(crate::error::AppError::from)??;
            if !is_signature {
                return Err(PageError::not_found("本案没有这个文件"));
            }
            crate::store::CaseMedia {
                sha256: sha.clone(),
                mime: "image/png".into(),
                size: 0,
                record_id: String::new(),
            }
        }
    };
    let path = final_path(&state.config().media_path(), &entry.sha256);
    if !path.exists() {
        return Err(PageError::not_found("文件尚未上传到服务器"));
    }
    let query = req.uri().query().unwrap_or_default().to_string();
    let download = query.split('&').any(|p| p == "download=1");
    if query.split('&').any(|p| p == "thumb=1") && entry.mime.starts_with("image/") {
        // The case page's preview: not an opening of the evidence itself.
        let media_dir = state.config().media_path();
        let sha = entry.sha256.clone();
        let mime = entry.mime.clone();
        let thumb = tokio::task::spawn_blocking(move || {
            super::thumbs::thumbnail(&media_dir, &sha, &path, &mime)
        })
        .await
        .map_err(crate::error::AppError::from)??;
        let mut res = tower_http::services::ServeFile::new(thumb)
            .oneshot(req)
            .await
            .map_err(crate::error::AppError::internal)?;
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, max-age=86400"),
        );
        return Ok(res.map(Body::new));
    }
    if opens_file(&req) {
        let access = MediaAccess {
            case_id,
            sha256: entry.sha256.clone(),
            account_id: user.account.id.clone(),
            action: if download { "download" } else { "view" }.into(),
            at: now(),
        };
        state.db(move |s| s.log_media_access(&access)).await?;
    }
    let mut res = tower_http::services::ServeFile::new(path)
        .oneshot(req)
        .await
        .map_err(crate::error::AppError::internal)?;
    if res.status().is_success() {
        let mime = HeaderValue::from_str(&entry.mime)
            .unwrap_or(HeaderValue::from_static("application/octet-stream"));
        res.headers_mut().insert(header::CONTENT_TYPE, mime);
        // Evidence is fetched anew each time, so every opening is logged.
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        if download {
            let name = format!("attachment; filename=\"{}\"", entry.sha256);
            if let Ok(v) = HeaderValue::from_str(&name) {
                res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
        }
    }
    Ok(res.map(Body::new))
}
