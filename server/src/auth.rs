//! Passwords (argon2), device tokens (32 random bytes; only their SHA-256 is
//! stored) and the [`Auth`] extractor that turns a bearer token into a
//! [`Principal`].

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::state::AppState;
use crate::store::Principal;

/// Hashes a password into an argon2id PHC string.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

/// Checks a password against a PHC string (false on any malformed hash).
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// 32 random bytes from the OS.
pub fn random_bytes() -> Result<[u8; 32], AppError> {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).map_err(AppError::internal)?;
    Ok(b)
}

/// A new device token (hex) and the SHA-256 the server keeps.
pub fn new_token() -> Result<(String, [u8; 32]), AppError> {
    let token = hex::encode(random_bytes()?);
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// The SHA-256 of a token as stored.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A random password a person can type (for the first-run admin).
pub fn random_password() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    Ok(random_bytes()?
        .iter()
        .take(16)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect())
}

/// The authenticated caller: an account on a registered, unrevoked device.
#[derive(Debug, Clone)]
pub struct Auth(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| AppError::Unauthorized {
                code: "missing_token",
                message: "缺少登录凭证 (Authorization: Bearer)".into(),
            })?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(AppError::bad_token)?;
        let hash = token_hash(token);
        if let Some(p) = state.cached_principal(&hash) {
            crate::observe::record_account(&p.account_id);
            return Ok(Auth(p));
        }
        let principal = state
            .db(move |s| s.principal(&hash))
            .await?
            .ok_or_else(AppError::bad_token)?;
        state.cache_principal(hash, principal.clone());
        crate::observe::record_account(&principal.account_id);
        Ok(Auth(principal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_and_tokens_hash() {
        let h = hash_password("demo1234").unwrap();
        assert!(verify_password("demo1234", &h));
        assert!(!verify_password("demo12345", &h));
        assert!(!verify_password("demo1234", "not a hash"));
        let (t, th) = new_token().unwrap();
        assert_eq!(t.len(), 64);
        assert_eq!(token_hash(&t), th);
        assert_eq!(random_password().unwrap().len(), 16);
    }
}
