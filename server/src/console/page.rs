//! Rendering console pages: the layout's navigation, HTML errors, and the
//! one `render` call every page goes through.

use std::sync::OnceLock;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use zhifa_core::sync::Role;

use crate::error::AppError;

/// What the layout shows of the logged-in user, and the CSRF token of the
/// logout form.
#[derive(Debug, Clone)]
pub struct Nav {
    /// Name.
    pub name: String,
    /// Unit name.
    pub unit: String,
    /// Role labels, e.g. `科室负责人、执法人员`.
    pub roles: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// Which menu item is current (`cases`, `deadlines`).
    pub current: &'static str,
    /// Whether the user administers accounts.
    pub admin: bool,
    /// Whether the user keeps or consults the archive.
    pub archive: bool,
}

impl Nav {
    /// The navigation of an account with its session's CSRF token.
    pub fn of_account(account: &crate::store::Account, csrf: String, current: &'static str) -> Nav {
        Nav {
            name: account.name.clone(),
            unit: account.unit_name.clone(),
            roles: account
                .roles
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join("、"),
            csrf,
            current,
            admin: account.roles.contains(&Role::Admin),
            archive: zhifa_core::authority::authorize_archive_use(&account.roles).is_ok(),
        }
    }
}

/// Renders a template into an HTML answer.
pub fn render<T: askama::Template>(t: &T) -> Result<Response, PageError> {
    t.render()
        .map(|html| Html(html).into_response())
        .map_err(|e| PageError(AppError::internal(format!("template: {e}"))))
}

/// An error shown as an HTML page with its status (the JSON API keeps
/// [`AppError`]'s JSON body).
#[derive(Debug)]
pub struct PageError(pub AppError);

impl PageError {
    /// 400 with a Chinese message.
    pub fn bad_request(msg: impl Into<String>) -> PageError {
        PageError(AppError::BadRequest(msg.into()))
    }

    /// 403 with a Chinese message.
    pub fn forbidden(msg: impl Into<String>) -> PageError {
        PageError(AppError::forbidden(msg))
    }

    /// 404 with a Chinese message.
    pub fn not_found(msg: impl Into<String>) -> PageError {
        PageError(AppError::NotFound(msg.into()))
    }
}

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

#[derive(askama::Template)]
#[template(path = "console/error.html")]
struct ErrorPage {
    status: u16,
    title: &'static str,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let message = match &self.0 {
            AppError::Internal(detail) => {
                tracing::error!(%detail, "console internal error");
                "服务器内部错误, 请稍后重试".to_string()
            }
            other => other.to_string(),
        };
        let title = match status {
            StatusCode::FORBIDDEN => "无权访问",
            StatusCode::NOT_FOUND => "未找到",
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => "请求有误",
            _ => "出错了",
        };
        let page = ErrorPage {
            status: status.as_u16(),
            title,
            message,
        };
        match askama::Template::render(&page) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, "服务器内部错误").into_response(),
        }
    }
}

/// A key for this process's flash messages (they need not outlive it).
fn flash_key() -> &'static [u8; 32] {
    static KEY: OnceLock<[u8; 32]> = OnceLock::new();
    KEY.get_or_init(|| crate::auth::random_bytes().unwrap_or([7; 32]))
}

fn flash_tag(kind: &str, msg: &str) -> String {
    let mut h = Sha256::new();
    h.update(flash_key());
    h.update(kind.as_bytes());
    h.update([0]);
    h.update(msg.as_bytes());
    hex::encode(&h.finalize()[..12])
}

/// The query of a redirect that shows `msg` once (`kind` is `ok` or `err`),
/// tagged so that a crafted link cannot make the console say anything.
pub fn flash_query(kind: &'static str, msg: &str) -> String {
    serde_urlencoded::to_string([(kind, msg), ("t", &flash_tag(kind, msg))]).unwrap_or_default()
}

/// A flash message as it arrives in the query (`?ok=…&t=…` / `?err=…&t=…`).
#[derive(Debug, Default, Deserialize)]
pub struct Flash {
    #[serde(default)]
    ok: Option<String>,
    #[serde(default)]
    err: Option<String>,
    #[serde(default)]
    t: String,
}

impl Flash {
    /// (ok, err) messages, empty unless the tag matches.
    pub fn messages(self) -> (String, String) {
        let valid = |kind: &str, m: &Option<String>| match m {
            Some(m) if flash_tag(kind, m) == self.t => m.chars().take(600).collect(),
            _ => String::new(),
        };
        (valid("ok", &self.ok), valid("err", &self.err))
    }
}
