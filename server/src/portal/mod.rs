//! The public portal (行政执法公示平台) at `/gs/`, no login: everything
//! published ((一) 第八条、第九条、第十二条), searchable, at stable URLs, with
//! an Atom feed; the officer roster ((一) 第五条); and the public's
//! corrections (纠错, (一) 第十五条). Server-rendered, no script, read from
//! the publication index (no case document is loaded), personal data
//! masked before it was ever indexed (`zhifa_core::publicity`).
//!
//! - [`pages`]: the list, an entry, the roster;
//! - [`feedback`]: the public's 纠错 form;
//! - [`info`]: 事前公开, the reviewed pre-publication content;
//! - [`feed`]: the Atom feed.

pub mod doccheck;
pub mod feed;
pub mod feedback;
pub mod info;
pub mod pages;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::AppError;
use crate::state::AppState;

/// The portal's stylesheet, inside the binary.
const PORTAL_CSS: &str = include_str!("../../assets/portal.css");

/// No script, only this origin's styles, forms post here.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Pages change when an entry is corrected or taken down: a cache may
    // keep them but must ask again before showing one.
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    res
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        PORTAL_CSS,
    )
        .into_response()
}

/// An error page of the portal.
#[derive(Debug)]
pub struct PortalError(pub AppError);

#[derive(askama::Template)]
#[template(path = "portal/error.html")]
struct ErrorPage<'a> {
    bureau: &'a str,
    title: &'a str,
    message: String,
}

impl From<AppError> for PortalError {
    fn from(e: AppError) -> Self {
        PortalError(e)
    }
}

impl From<crate::store::StoreError> for PortalError {
    fn from(e: crate::store::StoreError) -> Self {
        PortalError(AppError::internal(e))
    }
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let message = match &self.0 {
            AppError::Internal(detail) => {
                tracing::error!(%detail, "portal internal error");
                "服务器内部错误, 请稍后重试".to_string()
            }
            other => other.to_string(),
        };
        let title = match status {
            StatusCode::NOT_FOUND => "未找到",
            StatusCode::TOO_MANY_REQUESTS => "请稍后再试",
            s if s.is_client_error() => "请求有误",
            _ => "出错了",
        };
        let page = ErrorPage {
            bureau: "行政执法公示",
            title,
            message,
        };
        match askama::Template::render(&page) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, title).into_response(),
        }
    }
}

/// Renders a portal template.
pub fn render<T: askama::Template>(t: &T) -> Result<Response, PortalError> {
    t.render()
        .map(|html| Html(html).into_response())
        .map_err(|e| PortalError(AppError::internal(format!("template: {e}"))))
}

/// The portal's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/gs/", get(pages::index))
        .route("/gs", get(pages::index))
        .route("/gs/e/{id}", get(pages::entry))
        .route("/gs/e/{id}/feedback", axum::routing::post(feedback::submit))
        .route("/gs/roster", get(pages::roster))
        .route("/gs/info", get(info::info))
        .route("/gs/random", get(pages::random))
        .route("/gs/credential", get(pages::credential))
        .route("/gs/doc", get(doccheck::doc))
        .route("/gs/feed.atom", get(feed::atom))
        .route("/gs/assets/portal.css", get(stylesheet))
        .layer(middleware::from_fn(security_headers))
}
