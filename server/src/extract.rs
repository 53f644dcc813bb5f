//! Request extractors whose rejections are [`AppError`]s (JSON bodies).

use std::io::Read;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, HeaderMap};
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::state::AppState;

/// A JSON body, optionally sent with `Content-Encoding: gzip`, with JSON
/// errors for bad bodies, wrong content types and unknown encodings. The
/// body limit (`max_json_bytes`) applies to the body as sent and again to
/// the decompressed JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
        .unwrap_or(false)
}

/// Decompresses a gzip body, refusing more than `limit` bytes of output.
pub fn gunzip(body: &[u8], limit: usize) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::with_capacity(body.len().saturating_mul(4).min(limit));
    flate2::read::GzDecoder::new(body)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| AppError::BadRequest("请求内容的 gzip 压缩数据损坏".into()))?;
    if out.len() > limit {
        return Err(AppError::TooLarge("请求内容解压后过大".into()));
    }
    Ok(out)
}

impl<T: DeserializeOwned> FromRequest<AppState> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let gzip = match req.headers().get(header::CONTENT_ENCODING) {
            None => false,
            Some(v) if v.as_bytes().eq_ignore_ascii_case(b"gzip") => true,
            Some(v) if v.as_bytes().eq_ignore_ascii_case(b"identity") => false,
            Some(_) => {
                return Err(AppError::UnsupportedMediaType(
                    "请求内容只支持 gzip 压缩".into(),
                ))
            }
        };
        if !gzip {
            let axum::Json(v) = axum::Json::<T>::from_request(req, state).await?;
            return Ok(Json(v));
        }
        if !is_json(req.headers()) {
            return Err(AppError::UnsupportedMediaType(
                "请求内容类型必须是 application/json".into(),
            ));
        }
        let body = Bytes::from_request(req, state).await?;
        let json = gunzip(&body, state.config().max_json_bytes)?;
        serde_json::from_slice(&json).map(Json).map_err(|e| {
            if e.is_data() {
                AppError::BadRequest(format!("JSON 内容不符合要求: {e}"))
            } else {
                AppError::BadRequest(format!("JSON 格式错误: {e}"))
            }
        })
    }
}

/// `axum::extract::Path` with JSON errors.
#[derive(Debug, Clone, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

/// `axum::extract::Query` with JSON errors.
#[derive(Debug, Clone, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);
