//! An office user's signing key and Automerge actor, kept by the server.
//!
//! Each office user (unit head, leader, legal reviewer, …) acting in the
//! console gets, on first action, an Ed25519 key and an actor id registered
//! like a device (`devices` row named 办公控制台, a token nobody holds), so
//! their changes carry their own actor and their seals and signatures their
//! own key. The secret is kept encrypted (ChaCha20-Poly1305, the account id
//! as associated data) under a vault key derived from the server key.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::{Digest, Sha256};
use zhifa_core::seal::DeviceKey;

use crate::accounts::now;
use crate::auth::random_bytes;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::{Account, Device, OfficeKeyRow, StoreError};

/// Name of the device row registered for an office user's key.
pub const OFFICE_DEVICE_NAME: &str = "办公控制台";

/// An office user ready to change cases.
#[derive(Debug, Clone)]
pub struct OfficeIdentity {
    /// The account.
    pub account: Account,
    /// The registered device id (stamped on the user's changes).
    pub device_id: String,
    /// The Automerge actor id.
    pub actor: Vec<u8>,
    /// The signing key.
    pub key: DeviceKey,
}

fn vault_cipher(server_key: &DeviceKey) -> ChaCha20Poly1305 {
    let mut h = Sha256::new();
    h.update(b"zhifa office key vault v1|");
    h.update(server_key.secret());
    let k: [u8; 32] = h.finalize().into();
    ChaCha20Poly1305::new(Key::from_slice(&k))
}

/// Encrypts an office user's secret key: 12-byte nonce, then ciphertext.
pub fn seal_secret(
    server_key: &DeviceKey,
    account_id: &str,
    secret: &[u8; 32],
) -> AppResult<Vec<u8>> {
    let nonce_bytes: [u8; 12] = random_bytes()?[..12]
        .try_into()
        .map_err(AppError::internal)?;
    let ct = vault_cipher(server_key)
        .encrypt(
            Nonce::from_slice(&nonce_bytes),
            Payload {
                msg: secret,
                aad: account_id.as_bytes(),
            },
        )
        .map_err(|_| AppError::internal("office key encryption failed"))?;
    let mut out = nonce_bytes.to_vec();
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Decrypts a secret sealed by [`seal_secret`] for the same account.
pub fn open_secret(server_key: &DeviceKey, account_id: &str, sealed: &[u8]) -> AppResult<[u8; 32]> {
    if sealed.len() < 12 {
        return Err(AppError::internal("office key record too short"));
    }
    let (nonce, ct) = sealed.split_at(12);
    let pt = vault_cipher(server_key)
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ct,
                aad: account_id.as_bytes(),
            },
        )
        .map_err(|_| AppError::internal("office key cannot be decrypted with this server key"))?;
    pt.try_into()
        .map_err(|_| AppError::internal("office key has the wrong length"))
}

fn identity_of(
    state: &AppState,
    account: Account,
    row: &OfficeKeyRow,
) -> AppResult<OfficeIdentity> {
    let secret = open_secret(state.key(), &account.id, &row.secret_sealed)?;
    let actor = hex::decode(&row.actor_id).map_err(AppError::internal)?;
    Ok(OfficeIdentity {
        account,
        device_id: row.device_id.clone(),
        actor,
        key: DeviceKey::from_secret(secret),
    })
}

/// The office identity of `account`, made and registered on first use.
pub async fn identity(state: &AppState, account: &Account) -> AppResult<OfficeIdentity> {
    let id = account.id.clone();
    if let Some(row) = state.db(move |s| s.office_key(&id)).await? {
        return identity_of(state, account.clone(), &row);
    }
    let secret = random_bytes()?;
    let key = DeviceKey::from_secret(secret);
    let actor = random_bytes()?[..16].to_vec();
    let device = Device {
        id: uuid::Uuid::new_v4().to_string(),
        account_id: account.id.clone(),
        name: OFFICE_DEVICE_NAME.into(),
        public_key: key.public_hex(),
        actor_id: hex::encode(&actor),
        created_at: now(),
        revoked_at: None,
    };
    // The device row needs a token hash; this one belongs to no token.
    let token_hash = random_bytes()?;
    let row = OfficeKeyRow {
        account_id: account.id.clone(),
        device_id: device.id.clone(),
        actor_id: device.actor_id.clone(),
        public_key: device.public_key.clone(),
        secret_sealed: seal_secret(state.key(), &account.id, &secret)?,
    };
    let (d, r) = (device.clone(), row.clone());
    let stored = state
        .db(move |s| {
            if let Some(existing) = s.office_key(&r.account_id)? {
                return Ok(existing);
            }
            s.register_device(&d, &token_hash)?;
            match s.insert_office_key(&r) {
                Ok(()) => Ok(r),
                Err(StoreError::Conflict(_)) => s
                    .office_key(&r.account_id)?
                    .ok_or_else(|| StoreError::Db("office key vanished".into())),
                Err(e) => Err(e),
            }
        })
        .await?;
    tracing::info!(account = %account.username, device = %stored.device_id, "office key created");
    identity_of(state, account.clone(), &stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secret_opens_only_for_its_account_and_server_key() {
        let server = DeviceKey::from_secret([7; 32]);
        let sealed = seal_secret(&server, "acc-1", &[42; 32]).expect("seal");
        assert!(!sealed.windows(32).any(|w| w == [42; 32]));
        assert_eq!(
            open_secret(&server, "acc-1", &sealed).expect("open"),
            [42; 32]
        );
        assert!(open_secret(&server, "acc-2", &sealed).is_err());
        let other = DeviceKey::from_secret([8; 32]);
        assert!(open_secret(&other, "acc-1", &sealed).is_err());
        let mut flipped = sealed.clone();
        flipped[20] ^= 1;
        assert!(open_secret(&server, "acc-1", &flipped).is_err());
    }
}
