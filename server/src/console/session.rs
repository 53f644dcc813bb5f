//! Browser sessions of the console: an HttpOnly, SameSite=Strict cookie
//! holding a random token (only its SHA-256 is stored), idle expiry, a CSRF
//! token per session checked on every form, login throttling, logout.

use std::time::Instant;

use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::page::{render, Nav, PageError};
use crate::auth::{random_bytes, token_hash, verify_password};
use crate::state::AppState;
use crate::store::{Account, WebSession};
use crate::throttle::{PeerAddr, ThrottleKey};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "zhifa_console";
/// Name of the login form's CSRF cookie (double submit, before a session exists).
pub const LOGIN_CSRF_COOKIE: &str = "zhifa_login_csrf";
use crate::throttle::MAX_CREDENTIAL_CHARS;

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn cookie(state: &AppState, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.config().secure_cookies)
        .path("/")
        .build()
}

/// The logged-in office user of a console request.
#[derive(Debug, Clone)]
pub struct ConsoleUser {
    /// The account.
    pub account: Account,
    /// The session (its CSRF token goes into every form).
    pub session: WebSession,
}

impl FromRequestParts<AppState> for ConsoleUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_login = || Redirect::to("/login").into_response();
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
            return Err(to_login());
        };
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(to_login());
        }
        let hash = token_hash(&token);
        let found = state
            .db(move |s| s.web_session(&hash))
            .await
            .map_err(|e| PageError(e).into_response())?;
        let Some(session) = found else {
            return Err(to_login());
        };
        let now = unix_now();
        let idle = i64::from(state.config().console_idle_minutes) * 60;
        if now - session.last_seen > idle {
            let _ = state.db(move |s| s.delete_web_session(&hash)).await;
            return Err(Redirect::to("/login?expired=1").into_response());
        }
        let id = session.account_id.clone();
        let account = state
            .db(move |s| s.account(&id))
            .await
            .map_err(|e| PageError(e).into_response())?;
        let Some(account) = account.filter(|a| a.active) else {
            let _ = state.db(move |s| s.delete_web_session(&hash)).await;
            return Err(to_login());
        };
        crate::observe::record_account(&account.id);
        if now - session.last_seen >= 30 {
            let _ = state.db(move |s| s.touch_web_session(&hash, now)).await;
        }
        Ok(ConsoleUser { account, session })
    }
}

/// A form posted by a logged-in user whose `csrf` field matches the
/// session's token; anything else is refused (403) before the handler runs.
#[derive(Debug, Clone)]
pub struct CsrfForm<T> {
    /// The user.
    pub user: ConsoleUser,
    /// The parsed form.
    pub form: T,
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// Constant-time comparison of two tokens.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let user = ConsoleUser::from_request_parts(&mut parts, state).await?;
        let bytes = axum::body::to_bytes(body, 1024 * 1024)
            .await
            .map_err(|_| PageError::bad_request("表单内容过大或无法读取").into_response())?;
        let token: CsrfOnly = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| PageError::bad_request("表单格式错误").into_response())?;
        if token.csrf.is_empty() || !same_token(&token.csrf, &user.session.csrf) {
            tracing::warn!(account = %user.account.username, "console form refused: CSRF token missing or wrong");
            return Err(PageError::forbidden(
                "表单已失效或来源不明 (CSRF 校验未通过), 请刷新页面后重试",
            )
            .into_response());
        }
        let form = serde_html_form::from_bytes(&bytes).map_err(|e| {
            PageError::bad_request(format!("表单内容不符合要求: {e}")).into_response()
        })?;
        Ok(CsrfForm { user, form })
    }
}

/// The login page.
#[derive(askama::Template)]
#[template(path = "console/login.html")]
struct LoginPage {
    csrf: String,
    error: Option<String>,
    notice: Option<String>,
    username: String,
}

/// `?expired=1` after an idle expiry, `?bye=1` after logout.
#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    expired: Option<String>,
    #[serde(default)]
    bye: Option<String>,
}

fn login_page(
    state: &AppState,
    jar: CookieJar,
    error: Option<String>,
    notice: Option<String>,
    username: String,
    status: axum::http::StatusCode,
) -> Result<Response, PageError> {
    let csrf = hex::encode(random_bytes()?);
    let jar = jar.add(cookie(state, LOGIN_CSRF_COOKIE, csrf.clone()));
    let page = render(&LoginPage {
        csrf,
        error,
        notice,
        username,
    })?;
    Ok((status, jar, page).into_response())
}

/// `GET /login`.
pub async fn login_form(
    State(state): State<AppState>,
    jar: CookieJar,
    axum::extract::Query(q): axum::extract::Query<LoginQuery>,
) -> Result<Response, PageError> {
    let notice = if q.expired.is_some() {
        Some("长时间未操作, 已自动退出, 请重新登录".to_string())
    } else if q.bye.is_some() {
        Some("已安全退出".to_string())
    } else {
        None
    };
    login_page(
        &state,
        jar,
        None,
        notice,
        String::new(),
        axum::http::StatusCode::OK,
    )
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /login`: checks the password (throttled per account and address),
/// opens a session and goes to the inbox.
pub async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    PeerAddr(addr): PeerAddr,
    axum::extract::Form(f): axum::extract::Form<LoginForm>,
) -> Result<Response, PageError> {
    use axum::http::StatusCode;
    let expected = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_string());
    if f.csrf.is_empty() || !expected.is_some_and(|e| same_token(&e, &f.csrf)) {
        return login_page(
            &state,
            jar,
            Some("登录页面已失效, 请重新输入".into()),
            None,
            String::new(),
            StatusCode::FORBIDDEN,
        );
    }
    let username = f.username.trim().to_string();
    let shown = username
        .chars()
        .take(MAX_CREDENTIAL_CHARS)
        .collect::<String>();
    if username.is_empty()
        || f.password.is_empty()
        || username.chars().count() > MAX_CREDENTIAL_CHARS
        || f.password.chars().count() > MAX_CREDENTIAL_CHARS
    {
        return login_page(
            &state,
            jar,
            Some("请输入用户名和密码 (均不超过 256 个字符)".into()),
            None,
            shown,
            StatusCode::BAD_REQUEST,
        );
    }
    let keys = [
        ThrottleKey::Account(username.to_lowercase()),
        ThrottleKey::Address(addr.clone()),
    ];
    if let Some(wait) = state.login_throttle().locked(&keys, Instant::now()) {
        tracing::warn!(user = %username, %addr, wait_s = wait.as_secs(), "console login refused: throttled");
        return login_page(
            &state,
            jar,
            Some(format!(
                "登录失败次数过多, 请 {} 秒后再试",
                wait.as_secs().max(1)
            )),
            None,
            shown,
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let lookup = username.clone();
    let account = state.db(move |s| s.account_by_username(&lookup)).await?;
    let phc = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| crate::accounts::DUMMY_HASH.to_string());
    let password = f.password.clone();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
        .await
        .map_err(crate::error::AppError::from)?;
    let account = match account {
        Some(a) if ok && a.active => a,
        _ => {
            if let Some(wait) = state.login_throttle().failure(&keys, Instant::now()) {
                tracing::warn!(user = %username, %addr, lock_s = wait.as_secs(), "console login locked after repeated failures");
            } else {
                tracing::info!(user = %username, %addr, "console login failed");
            }
            return login_page(
                &state,
                jar,
                Some("用户名或密码错误, 或账号已停用".into()),
                None,
                shown,
                StatusCode::UNAUTHORIZED,
            );
        }
    };
    state.login_throttle().success(&keys[0]);
    let token = hex::encode(random_bytes()?);
    let now = unix_now();
    let session = WebSession {
        token_hash: token_hash(&token),
        account_id: account.id.clone(),
        csrf: hex::encode(random_bytes()?),
        created_at: now,
        last_seen: now,
    };
    state.db(move |s| s.create_web_session(&session)).await?;
    tracing::info!(user = %account.username, "console login");
    let jar = jar
        .remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/"))
        .add(cookie(&state, SESSION_COOKIE, token));
    Ok((jar, Redirect::to("/")).into_response())
}

/// `POST /logout`: ends the session.
pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfForm { user, .. }: CsrfForm<std::collections::HashMap<String, String>>,
) -> Response {
    let hash = user.session.token_hash;
    let _ = state.db(move |s| s.delete_web_session(&hash)).await;
    tracing::info!(user = %user.account.username, "console logout");
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    (jar, Redirect::to("/login?bye=1")).into_response()
}

impl Nav {
    /// The navigation of `user` with `current` highlighted.
    pub fn of(user: &ConsoleUser, current: &'static str) -> Nav {
        Nav::of_account(&user.account, user.session.csrf.clone(), current)
    }
}

/// True when the account holds `role`.
pub fn has_role(user: &ConsoleUser, role: zhifa_core::sync::Role) -> bool {
    user.account.roles.contains(&role)
}

#[cfg(test)]
mod tests {
    use super::same_token;

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token("abcd", "abcd"));
        assert!(!same_token("abcd", "abce"));
        assert!(!same_token("abcd", "abc"));
    }
}
