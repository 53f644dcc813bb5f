//! Accounts and devices: login with device registration, the caller's own
//! account and devices, revocation, and the administrator's account list.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use zhifa_core::case::OfficerStatus;
use zhifa_core::sync::{
    ErrorBody, LoginRequest, LoginResponse, OfficerInfo, Role, PROTOCOL_VERSION,
};

use crate::auth::{hash_password, new_token, verify_password, Auth};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::store::{Account, Device, StoreError, Unit};

/// The wire form of an account.
pub fn officer_info(a: &Account) -> OfficerInfo {
    OfficerInfo {
        id: a.id.clone(),
        username: a.username.clone(),
        name: a.name.clone(),
        post: a.post.clone(),
        credential_no: a.credential_no.clone(),
        unit_id: a.unit_id.clone(),
        unit_name: a.unit_name.clone(),
        status: a.status,
        roles: a.roles.clone(),
    }
}

/// Current time, RFC 3339 UTC with milliseconds.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn is_lower_hex(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn validate_login(req: &LoginRequest) -> AppResult<()> {
    if req.username.trim().is_empty() || req.password.is_empty() {
        return Err(AppError::BadRequest("用户名和密码不能为空".into()));
    }
    let cap = crate::throttle::MAX_CREDENTIAL_CHARS;
    if req.username.chars().count() > cap || req.password.chars().count() > cap {
        return Err(AppError::BadRequest(format!(
            "用户名和密码均不超过 {cap} 个字符"
        )));
    }
    let d = &req.device;
    if d.name.trim().is_empty() || d.name.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "设备名称不能为空且不超过 100 字".into(),
        ));
    }
    let key_ok = d.public_key.len() == 64
        && is_lower_hex(&d.public_key)
        && hex::decode(&d.public_key)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .is_some_and(|b| ed25519_dalek::VerifyingKey::from_bytes(&b).is_ok());
    if !key_ok {
        return Err(AppError::BadRequest(
            "设备公钥必须是 64 位小写十六进制的 Ed25519 公钥".into(),
        ));
    }
    let actor_ok = (2..=64).contains(&d.actor_id.len())
        && d.actor_id.len().is_multiple_of(2)
        && is_lower_hex(&d.actor_id);
    if !actor_ok {
        return Err(AppError::BadRequest(
            "设备 actor id 必须是 1–32 字节的小写十六进制".into(),
        ));
    }
    // The template's and the server's own actors are reserved.
    let bytes = hex::decode(&d.actor_id).unwrap_or_default();
    if zhifa_core::doc::is_template_actor(&bytes) || bytes == crate::casedoc::SERVER_ACTOR {
        tracing::warn!(user = %req.username.chars().take(64).collect::<String>(), "login refused: reserved actor id");
        return Err(AppError::BadRequest(
            "该 actor id 为系统保留, 不能注册为设备, 请重新生成".into(),
        ));
    }
    Ok(())
}

/// A fixed argon2 hash to spend the same time on unknown usernames.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZKt6Gdv4XHmcJ3s6S4gH3bW3zP3Qpk4gFyqYkP2pW8Q";

/// `POST /api/v1/auth/login`: checks the password and registers the device.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    summary = "Log in and register the device",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "The device token (shown once) and the account", body = LoginResponse),
        (status = 400, description = "`bad_request`: empty credentials, login name or password over 256 characters (refused before hashing), malformed device key or actor id, a reserved actor id (the template's or the server's), bad JSON", body = ErrorBody),
        (status = 401, description = "`wrong_password`: unknown user, wrong password or disabled account", body = ErrorBody),
        (status = 409, description = "`actor_taken`: the actor id is registered to another account", body = ErrorBody),
        (status = 413, description = "`too_large`: body too large", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not `application/json`", body = ErrorBody),
        (status = 429, description = "`too_many_requests`: 5 failed logins of the account (or 20 from the address) within 15 minutes lock it for 30 s, doubling up to 15 min", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    crate::throttle::PeerAddr(addr): crate::throttle::PeerAddr,
    Json(req): Json<LoginRequest>,
) -> AppResult<Json<LoginResponse>> {
    validate_login(&req)?;
    let username = req.username.trim().to_string();
    let keys = [
        crate::throttle::ThrottleKey::Account(username.to_lowercase()),
        crate::throttle::ThrottleKey::Address(addr.clone()),
    ];
    if let Some(wait) = state
        .login_throttle()
        .locked(&keys, std::time::Instant::now())
    {
        tracing::warn!(user = %username, %addr, wait_s = wait.as_secs(), "login refused: throttled");
        return Err(AppError::TooManyRequests(format!(
            "登录失败次数过多, 请 {} 秒后再试",
            wait.as_secs().max(1)
        )));
    }
    let lookup = username.clone();
    let account = state.db(move |s| s.account_by_username(&lookup)).await?;
    let password = req.password.clone();
    let phc = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_string());
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &phc)).await?;
    let account = match account {
        Some(a) if ok && a.active => {
            state.login_throttle().success(&keys[0]);
            a
        }
        _ => {
            if let Some(lock) = state
                .login_throttle()
                .failure(&keys, std::time::Instant::now())
            {
                tracing::warn!(user = %username, %addr, lock_s = lock.as_secs(), "login locked after repeated failures");
            } else {
                tracing::info!(user = %username, %addr, "login failed");
            }
            return Err(AppError::Unauthorized {
                code: "wrong_password",
                message: "用户名或密码错误".into(),
            });
        }
    };
    let (token, hash) = new_token()?;
    let device = Device {
        id: uuid::Uuid::new_v4().to_string(),
        account_id: account.id.clone(),
        name: req.device.name.trim().to_string(),
        public_key: req.device.public_key.clone(),
        actor_id: req.device.actor_id.clone(),
        created_at: now(),
        revoked_at: None,
    };
    let d = device.clone();
    let store = state.store();
    match tokio::task::spawn_blocking(move || store.register_device(&d, &hash)).await? {
        Ok(()) => state.clear_auth_cache(),
        Err(StoreError::Conflict(_)) => {
            return Err(AppError::Conflict {
                code: "actor_taken",
                message: "该设备的 actor id 已登记在其他账号下, 请重新生成".into(),
            })
        }
        Err(e) => return Err(e.into()),
    }
    tracing::info!(account = %account.username, device = %device.id, "device registered");
    Ok(Json(LoginResponse {
        token,
        device_id: device.id,
        officer: officer_info(&account),
        server_public_key: state.key().public_hex(),
        protocol: PROTOCOL_VERSION,
    }))
}

/// `POST /api/v1/auth/logout`: revokes the calling device's token.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    summary = "Revoke the calling device's token",
    security(("device_token" = [])),
    responses(
        (status = 204, description = "The token is revoked"),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn logout(State(state): State<AppState>, Auth(p): Auth) -> AppResult<StatusCode> {
    let at = now();
    state
        .db(move |s| s.revoke_device(&p.device_id, &at))
        .await?;
    state.clear_auth_cache();
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's account and device.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Me {
    /// The account.
    pub officer: OfficerInfo,
    /// The calling device's id.
    pub device_id: String,
}

/// `GET /api/v1/me`.
#[utoipa::path(
    get,
    path = "/me",
    operation_id = "get_me",
    tag = "accounts",
    summary = "The caller's account and device",
    security(("device_token" = [])),
    responses(
        (status = 200, description = "The account and the calling device's id", body = Me),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn me(State(state): State<AppState>, Auth(p): Auth) -> AppResult<Json<Me>> {
    let id = p.account_id.clone();
    let account = state
        .db(move |s| s.account(&id))
        .await?
        .ok_or_else(AppError::bad_token)?;
    Ok(Json(Me {
        officer: officer_info(&account),
        device_id: p.device_id,
    }))
}

/// `GET /api/v1/devices`: the caller's devices.
#[utoipa::path(
    get,
    path = "/devices",
    operation_id = "list_devices",
    tag = "accounts",
    summary = "The caller's devices",
    security(("device_token" = [])),
    responses(
        (status = 200, description = "Every device registered to the account, revoked ones included", body = Vec<Device>),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn my_devices(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> AppResult<Json<Vec<Device>>> {
    Ok(Json(state.db(move |s| s.devices_of(&p.account_id)).await?))
}

/// `DELETE /api/v1/devices/{id}`: revokes a device (own devices, or any for admins).
#[utoipa::path(
    delete,
    path = "/devices/{id}",
    tag = "accounts",
    summary = "Revoke a device (own devices; administrators: any)",
    security(("device_token" = [])),
    params(("id" = String, Path, description = "Device id")),
    responses(
        (status = 204, description = "The device's token is revoked"),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: another account's device", body = ErrorBody),
        (status = 404, description = "`not_found`: no such device", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn revoke_device(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let lookup = id.clone();
    let device = state
        .db(move |s| s.device(&lookup))
        .await?
        .ok_or_else(|| AppError::NotFound("设备不存在".into()))?;
    if device.account_id != p.account_id && !p.roles.contains(&Role::Admin) {
        return Err(AppError::forbidden("只能注销自己的设备"));
    }
    let at = now();
    state.db(move |s| s.revoke_device(&id, &at)).await?;
    state.clear_auth_cache();
    tracing::info!(device = %device.id, by = %p.account_id, "device revoked");
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/units`.
#[utoipa::path(
    get,
    path = "/units",
    operation_id = "list_units",
    tag = "accounts",
    summary = "The units (科室)",
    security(("device_token" = [])),
    responses(
        (status = 200, description = "Every unit", body = Vec<Unit>),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn units(State(state): State<AppState>, Auth(_): Auth) -> AppResult<Json<Vec<Unit>>> {
    Ok(Json(state.db(|s| s.units()).await?))
}

/// `GET /api/v1/colleagues`: the enforcement officers (active accounts with
/// a 执法证号) a device may name as partners and in officer fields, so an
/// officer types `lina` or 李娜 instead of an account id.
#[utoipa::path(
    get,
    path = "/colleagues",
    operation_id = "list_colleagues",
    tag = "accounts",
    summary = "The enforcement officers (partners to choose from)",
    security(("device_token" = [])),
    responses(
        (status = 200, description = "Active accounts holding an enforcement credential", body = Vec<OfficerInfo>),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn colleagues(
    State(state): State<AppState>,
    Auth(_): Auth,
) -> AppResult<Json<Vec<OfficerInfo>>> {
    let all = state.db(|s| s.accounts()).await?;
    Ok(Json(
        all.iter()
            .filter(|a| a.active && !a.credential_no.trim().is_empty())
            .map(officer_info)
            .collect(),
    ))
}

/// `POST /api/v1/admin/accounts` body.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewAccount {
    /// Login name.
    pub username: String,
    /// Initial password (at least 8 characters).
    pub password: String,
    /// Name.
    pub name: String,
    /// Post.
    pub post: String,
    /// 执法证号 (may be empty for staff without one).
    #[serde(default)]
    pub credential_no: String,
    /// Unit id.
    pub unit_id: String,
    /// Roles.
    pub roles: Vec<Role>,
}

fn require_admin(p: &crate::store::Principal) -> AppResult<()> {
    if p.roles.contains(&Role::Admin) {
        Ok(())
    } else {
        Err(AppError::forbidden("需要系统管理员权限"))
    }
}

/// Creates an account (used by the admin endpoint, first run and demo data).
pub async fn create_account(state: &AppState, n: NewAccount) -> AppResult<Account> {
    if n.username.trim().is_empty() || n.name.trim().is_empty() || n.password.chars().count() < 8 {
        return Err(AppError::BadRequest(
            "用户名、姓名不能为空, 密码至少 8 位".into(),
        ));
    }
    let password = n.password.clone();
    let phc = tokio::task::spawn_blocking(move || hash_password(&password)).await??;
    let account = Account {
        id: uuid::Uuid::new_v4().to_string(),
        username: n.username.trim().to_string(),
        name: n.name.trim().to_string(),
        post: n.post,
        credential_no: n.credential_no,
        unit_id: n.unit_id,
        unit_name: String::new(),
        status: OfficerStatus::Active,
        roles: n.roles,
        password_hash: phc,
        active: true,
    };
    let a = account.clone();
    let store = state.store();
    match tokio::task::spawn_blocking(move || store.create_account(&a)).await? {
        Ok(()) => Ok(account),
        Err(StoreError::Conflict(_)) => Err(AppError::Conflict {
            code: "username_taken",
            message: "用户名已存在或科室不存在".into(),
        }),
        Err(e) => Err(e.into()),
    }
}

/// Creates an account with an already computed password hash.
#[allow(clippy::too_many_arguments)]
pub async fn create_account_with_hash(
    state: &AppState,
    username: &str,
    name: &str,
    post: &str,
    credential_no: &str,
    unit_id: &str,
    roles: &[Role],
    phc: &str,
) -> AppResult<Account> {
    let account = Account {
        id: uuid::Uuid::new_v4().to_string(),
        username: username.into(),
        name: name.into(),
        post: post.into(),
        credential_no: credential_no.into(),
        unit_id: unit_id.into(),
        unit_name: String::new(),
        status: OfficerStatus::Active,
        roles: roles.to_vec(),
        password_hash: phc.into(),
        active: true,
    };
    let a = account.clone();
    state.db(move |s| s.create_account(&a)).await?;
    Ok(account)
}

/// `POST /api/v1/admin/accounts`.
#[utoipa::path(
    post,
    path = "/admin/accounts",
    operation_id = "create_account",
    tag = "admin",
    summary = "Create an account (系统管理员)",
    security(("device_token" = [])),
    request_body = NewAccount,
    responses(
        (status = 201, description = "The new account", body = OfficerInfo),
        (status = 400, description = "`bad_request`: empty name, password under 8 characters, bad JSON", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an administrator", body = ErrorBody),
        (status = 409, description = "`username_taken`: username taken or unit unknown", body = ErrorBody),
        (status = 413, description = "`too_large`: body too large", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not `application/json`", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn admin_create_account(
    State(state): State<AppState>,
    Auth(p): Auth,
    Json(n): Json<NewAccount>,
) -> AppResult<(StatusCode, Json<OfficerInfo>)> {
    require_admin(&p)?;
    let a = create_account(&state, n).await?;
    let id = a.id.clone();
    let a = state.db(move |s| s.account(&id)).await?.unwrap_or(a);
    Ok((StatusCode::CREATED, Json(officer_info(&a))))
}

/// `GET /api/v1/admin/accounts`.
#[utoipa::path(
    get,
    path = "/admin/accounts",
    operation_id = "list_accounts",
    tag = "admin",
    summary = "List every account (系统管理员)",
    security(("device_token" = [])),
    responses(
        (status = 200, description = "Every account", body = Vec<OfficerInfo>),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an administrator", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn admin_accounts(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> AppResult<Json<Vec<OfficerInfo>>> {
    require_admin(&p)?;
    let all = state.db(|s| s.accounts()).await?;
    Ok(Json(all.iter().map(officer_info).collect()))
}
