//! Printed documents (执法文书) from the server: a sealed record as PDF for
//! office tools (`GET /api/v1/cases/{id}/records/{rid}/pdf`, same access as
//! reading the case, masked for readers who see masked data) and the font
//! they are set in. Rendering is zhifa-docs.

use std::path::PathBuf;
use std::sync::Mutex;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use zhifa_core::doc::Case;
use zhifa_core::sync::ErrorBody;
use zhifa_docs::{render_record, DocContext, DocFont, Privacy};

use crate::access::{can_read, sees_personal_data};
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::state::AppState;
use crate::store::{CaseAccess, StoredCase};

/// The portal's check page the QR codes point to.
pub const CHECK_PATH: &str = "/gs/doc";

/// The configured font, or the first system font found; loaded once.
pub fn font(state: &AppState) -> AppResult<DocFont> {
    static LOADED: Mutex<Option<(PathBuf, DocFont)>> = Mutex::new(None);
    let path = match &state.config().font {
        Some(p) => p.clone(),
        None => zhifa_docs::font::SYSTEM_FONT_CANDIDATES
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
            .ok_or_else(|| AppError::Unprocessable {
                code: "no_font",
                message: "服务器未配置中文字体 (ZHIFA_FONT), 无法生成文书".into(),
            })?,
    };
    let mut g = LOADED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((p, f)) = g.as_ref() {
        if *p == path {
            return Ok(f.clone());
        }
    }
    let bytes = std::fs::read(&path)
        .map_err(|e| AppError::internal(format!("font {}: {e}", path.display())))?;
    let f = DocFont::from_bytes(bytes).map_err(AppError::internal)?;
    *g = Some((path, f.clone()));
    Ok(f)
}

/// The check page's absolute URL as the caller reached this server.
pub fn check_url(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let scheme = if state.config().secure_cookies {
        "https"
    } else {
        "http"
    };
    Some(format!("{scheme}://{host}{CHECK_PATH}"))
}

/// Loads a stored case and its access facts; 404 when there is none.
pub async fn load_case(state: &AppState, id: &str) -> AppResult<(StoredCase, CaseAccess)> {
    crate::sync::check_case_id(id)?;
    let lookup = id.to_string();
    let stored = state
        .db(move |s| s.load_case(&lookup))
        .await?
        .ok_or_else(|| AppError::NotFound("案件不存在".into()))?;
    let access = stored.meta.access();
    Ok((stored, access))
}

/// The PDF of a sealed record of a stored case.
pub fn pdf_of(
    state: &AppState,
    stored: &StoredCase,
    record_id: &str,
    privacy: Privacy,
    check_url: Option<&str>,
) -> AppResult<Vec<u8>> {
    let font = font(state)?;
    let case: Case = crate::casedoc::load(stored)?
        .case()
        .map_err(AppError::internal)?;
    let media_dir = state.config().media_path();
    let media = |sha: &str| {
        zhifa_core::media::is_sha256_hex(sha)
            .then(|| std::fs::read(crate::media::final_path(&media_dir, sha)).ok())
            .flatten()
    };
    let ctx = DocContext {
        case: &case,
        bureau: &state.config().bureau_name,
        media: &media,
        check_url,
        privacy,
        account_name: &|_| None,
    };
    render_record(&ctx, &font, record_id).map_err(|e| match e {
        zhifa_docs::DocsError::NoRecord(m) => AppError::NotFound(m),
        zhifa_docs::DocsError::Record(m) => AppError::Conflict {
            code: "not_printable",
            message: m,
        },
        other => AppError::internal(other),
    })
}

/// A PDF response, downloaded under `<record>.pdf`.
pub fn pdf_response(bytes: Vec<u8>, record_id: &str) -> Response {
    let name: String = record_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}.pdf\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /api/v1/cases/{id}/records/{rid}/pdf`: a sealed record as its
/// printed form.
#[utoipa::path(
    get,
    path = "/cases/{id}/records/{rid}/pdf",
    operation_id = "get_record_pdf",
    tag = "cases",
    summary = "A sealed record as its printed form (PDF); identity numbers masked for readers who see masked data",
    security(("device_token" = [])),
    params(
        ("id" = String, Path, description = "Case id"),
        ("rid" = String, Path, description = "Record id"),
    ),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, description = "`bad_request`: malformed case id", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the caller may not read the case", body = ErrorBody),
        (status = 404, description = "`not_found`: no such case or record", body = ErrorBody),
        (status = 409, description = "`not_printable`: the record is not sealed or its seal is broken", body = ErrorBody),
        (status = 422, description = "`no_font`: the server has no CJK font", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn record_pdf(
    State(state): State<AppState>,
    Auth(p): Auth,
    headers: HeaderMap,
    Path((id, rid)): Path<(String, String)>,
) -> AppResult<Response> {
    let (stored, access) = load_case(&state, &id).await?;
    if !can_read(&p, &access) {
        return Err(AppError::forbidden("无权查看该案件"));
    }
    let privacy = if sees_personal_data(&p, &access) {
        Privacy::Full
    } else {
        Privacy::Masked
    };
    let url = check_url(&state, &headers);
    let rid2 = rid.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        pdf_of(&state, &stored, &rid2, privacy, url.as_deref())
    })
    .await??;
    Ok(pdf_response(bytes, &rid))
}
