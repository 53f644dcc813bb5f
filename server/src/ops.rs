//! Liveness and readiness.
//!
//! `GET /healthz` answers `ok` while the process serves requests.
//! `GET /readyz` also checks the database (a trivial query through the
//! store, and the database file read afresh) and the media folder (it
//! exists and a file can be created and removed in it): 200 when both
//! pass, else 503 naming the part that failed. Failure details are logged,
//! never returned.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::state::AppState;

/// `GET /healthz`: liveness.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The answer of `/readyz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    /// Whether every check passed.
    pub ready: bool,
    /// `ok` or `failed`.
    pub database: &'static str,
    /// `ok` or `failed`.
    pub media: &'static str,
    /// What failed, in Chinese (absent when ready).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

fn word(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "failed"
    }
}

/// Creates and removes a small file in the media folder.
fn media_writable(dir: &std::path::Path) -> std::io::Result<()> {
    if !dir.is_dir() {
        return Err(std::io::Error::other("媒体目录不存在或不是目录"));
    }
    let probe = dir.join(format!(".readyz-{}", uuid::Uuid::new_v4()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let written = opts
        .open(&probe)
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"ok"));
    let removed = std::fs::remove_file(&probe);
    written.and(removed)
}

/// Runs the readiness checks.
pub async fn check(state: &AppState) -> Readiness {
    let db = state.db(|s| s.ping()).await;
    if let Err(e) = &db {
        tracing::warn!(error = %e, "readiness: database failed");
    }
    let dir = state.config().media_path();
    let media = tokio::task::spawn_blocking(move || media_writable(&dir))
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e.to_string())));
    if let Err(e) = &media {
        tracing::warn!(error = %e, "readiness: media store failed");
    }
    let mut failed = Vec::new();
    if db.is_err() {
        failed.push("数据库不可用");
    }
    if media.is_err() {
        failed.push("媒体存储不可写");
    }
    Readiness {
        ready: failed.is_empty(),
        database: word(db.is_ok()),
        media: word(media.is_ok()),
        error: (!failed.is_empty()).then(|| format!("服务未就绪: {}", failed.join(", "))),
    }
}

/// `GET /readyz`: 200 when the database and the media folder work, else 503.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let r = check(&state).await;
    let status = if r.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(r)).into_response()
}
