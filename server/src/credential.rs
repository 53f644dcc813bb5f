//! Electronic enforcement credentials (电子执法证): the server signs the
//! logged-in officer's credential with its key ([`crate::state::AppState::key`],
//! public at `GET /api/v1/server-key`), and answers anyone who asks whether a
//! token is genuine and the officer still in service.
//!
//! 行政处罚法 第五十五条 (执法人员应当主动出示执法证件) and the seed's
//! (一) 第六条 (亮证): the party can check the credential shown. The token
//! format is [`zhifa_core::credential`].

use axum::extract::State;
use chrono::{Duration, Timelike, Utc};
use serde::{Deserialize, Serialize};
use zhifa_core::case::OfficerStatus;
use zhifa_core::credential::{
    rfc3339, verify_signature, CredentialClaims, CredentialError, IssuedCredential, CLAIMS_VERSION,
};
use zhifa_core::sync::ErrorBody;

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Query};
use crate::state::AppState;
use crate::store::{Account, Store, StoreResult};

/// Whether the bureau's credential of an account is in force now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialStatus {
    /// The account is active and holds a 执法证号.
    Active,
    /// The account exists but is suspended or disabled, or holds no 执法证号
    /// any more.
    Suspended,
    /// No such account.
    Unknown,
}

fn status_of(account: &Account) -> CredentialStatus {
    if account.active
        && account.status == OfficerStatus::Active
        && !account.credential_no.trim().is_empty()
    {
        CredentialStatus::Active
    } else {
        CredentialStatus::Suspended
    }
}

/// The current status of an account's credential: what the public check page
/// (portal) shows next to a token's claims. Blocking (a store read).
pub fn credential_status(store: &dyn Store, account_id: &str) -> StoreResult<CredentialStatus> {
    Ok(store
        .account(account_id)?
        .map_or(CredentialStatus::Unknown, |a| status_of(&a)))
}

/// The claims of an account's credential, valid from `now` for `valid_days`.
pub fn claims_for(
    account: &Account,
    now: chrono::DateTime<Utc>,
    valid_days: u32,
) -> CredentialClaims {
    let from = now.with_nanosecond(0).unwrap_or(now);
    let until = from + Duration::days(i64::from(valid_days));
    let now = rfc3339(from);
    CredentialClaims {
        version: CLAIMS_VERSION,
        account_id: account.id.clone(),
        name: account.name.clone(),
        credential_no: account.credential_no.trim().to_string(),
        unit_id: account.unit_id.clone(),
        unit_name: account.unit_name.clone(),
        scope: account
            .roles
            .iter()
            .map(|r| r.label().to_string())
            .collect(),
        valid_from: now.clone(),
        valid_until: rfc3339(until),
        issued_at: now,
    }
}

/// `GET /api/v1/me/credential`: signs the caller's electronic credential.
#[utoipa::path(
    get,
    path = "/me/credential",
    operation_id = "get_my_credential",
    tag = "accounts",
    summary = "The caller's electronic enforcement credential (电子执法证), signed by the server key",
    security(("device_token" = [])),
    responses(
        (status = 200, description = "The token and its claims, valid for `credential_valid_days` from now", body = IssuedCredential),
        (status = 401, description = "`missing_token`, `bad_token` (a disabled account's devices are refused here)", body = ErrorBody),
        (status = 403, description = "`no_credential`: the account holds no 执法证号; `credential_suspended`: the credential is suspended", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn issue(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> AppResult<Json<IssuedCredential>> {
    let id = p.account_id.clone();
    let account = state
        .db(move |s| s.account(&id))
        .await?
        .ok_or_else(AppError::bad_token)?;
    if account.credential_no.trim().is_empty() {
        return Err(AppError::Forbidden {
            code: "no_credential",
            message: "该账号没有执法证号, 不能签发电子执法证".into(),
        });
    }
    if status_of(&account) != CredentialStatus::Active {
        return Err(AppError::Forbidden {
            code: "credential_suspended",
            message: "该执法人员的执法证件已暂停, 不能签发电子执法证".into(),
        });
    }
    let claims = claims_for(&account, Utc::now(), state.config().credential_valid_days);
    let token = claims
        .sign(state.key())
        .map_err(|e| AppError::Internal(format!("credential signing: {e}")))?;
    tracing::info!(account = %account.username, until = %claims.valid_until, "credential issued");
    Ok(Json(IssuedCredential { token, claims }))
}

/// The query of `GET /api/v1/credentials/verify`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// The token, or a check URL `<server>/gs/credential?t=<token>`
    /// (percent-encoded).
    pub token: String,
}

/// What a check of a token found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Genuine, within its validity, the officer in service.
    Active,
    /// Genuine, but the officer's credential is suspended now.
    Suspended,
    /// Genuine, but past its validity.
    Expired,
    /// Not a token of this server (forged, another key, malformed, not yet
    /// valid, unknown officer, or a 执法证号 since changed).
    Invalid,
}

/// `GET /api/v1/credentials/verify` answer.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CredentialCheck {
    /// The verdict.
    pub status: CheckStatus,
    /// The verdict in Chinese, for people.
    pub message: String,
    /// The claims, when the signature is this server's.
    pub claims: Option<CredentialClaims>,
}

/// Checks a token against this server's key and the account's status now.
pub async fn check(state: &AppState, text: &str) -> AppResult<CredentialCheck> {
    let public = state.key().public_hex();
    let claims = match verify_signature(text, &public) {
        Ok(c) => c,
        Err(e) => {
            return Ok(CredentialCheck {
                status: CheckStatus::Invalid,
                message: e.to_string(),
                claims: None,
            })
        }
    };
    let (status, message) = match claims.check_validity(Utc::now()) {
        Err(e @ CredentialError::Expired { .. }) => (CheckStatus::Expired, e.to_string()),
        Err(e) => (CheckStatus::Invalid, e.to_string()),
        Ok(()) => {
            let id = claims.account_id.clone();
            let account = state.db(move |s| s.account(&id)).await?;
            match account {
                None => (CheckStatus::Invalid, "签发机关没有这名执法人员".to_string()),
                Some(a) if a.credential_no.trim() != claims.credential_no => (
                    CheckStatus::Invalid,
                    "执法证号已变更, 此证件码不再有效".to_string(),
                ),
                Some(a) => match status_of(&a) {
                    CredentialStatus::Active => (
                        CheckStatus::Active,
                        "证件有效: 由本机关签发, 执法人员在岗".to_string(),
                    ),
                    _ => (
                        CheckStatus::Suspended,
                        "证件已暂停: 该执法人员目前不得从事执法活动".to_string(),
                    ),
                },
            }
        }
    };
    Ok(CredentialCheck {
        status,
        message,
        claims: Some(claims),
    })
}

/// `GET /api/v1/credentials/verify?token=…`: is this credential genuine and
/// in force now? Public: the party checking an officer has no login.
#[utoipa::path(
    get,
    path = "/credentials/verify",
    operation_id = "verify_credential",
    tag = "auth",
    summary = "Check an electronic enforcement credential (public)",
    params(VerifyQuery),
    responses(
        (status = 200, description = "The verdict (`active`, `suspended`, `expired`, `invalid`) with the claims when the signature is the server's", body = CredentialCheck),
        (status = 400, description = "`bad_request`: no `token` parameter", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    Query(q): Query<VerifyQuery>,
) -> AppResult<Json<CredentialCheck>> {
    Ok(Json(check(&state, &q.token).await?))
}
