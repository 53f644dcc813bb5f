//! Where the device's secrets live: the Ed25519 device key and the login
//! token. Without a vault they are in the app's SQLite file (private app
//! storage). With a [`SecretVault`] (Android Keystore, iOS Keychain, provided
//! by the shell) they are kept only there: the SQLite file holds neither, and
//! secrets found in an older store are moved into the vault (written, read
//! back and compared before they are removed from the file, so nothing is
//! lost if the vault fails).

use std::sync::Arc;

use zhifa_core::seal::DeviceKey;

use crate::error::{DeviceError, Result};
use crate::store::meta::Login;
use crate::store::Store;

/// A platform secret store, by name.
pub trait SecretVault: Send + Sync {
    /// The secret called `name`, if stored.
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>>;
    /// Stores (or replaces) the secret called `name`.
    fn put(&self, name: &str, value: &[u8]) -> Result<()>;
    /// Removes the secret called `name` (no error if absent).
    fn delete(&self, name: &str) -> Result<()>;
}

/// Vault name of the device's Ed25519 secret key.
pub const DEVICE_KEY: &str = "device_key";
/// Vault name of the login token.
pub const LOGIN_TOKEN: &str = "login_token";

/// The device's secrets, in the vault if there is one, else in the store.
#[derive(Clone, Default)]
pub(crate) struct Secrets {
    vault: Option<Arc<dyn SecretVault>>,
}

impl Secrets {
    pub(crate) fn new(vault: Option<Arc<dyn SecretVault>>) -> Secrets {
        Secrets { vault }
    }

    /// The device key and actor id (created on first use); with a vault, a
    /// key still in the store is moved into the vault.
    pub(crate) fn identity(&self, store: &Store) -> Result<(DeviceKey, Vec<u8>)> {
        let Some(vault) = &self.vault else {
            return store.identity();
        };
        let secret = match vault.get(DEVICE_KEY)? {
            Some(b) => b,
            None => {
                let b = match store.meta(DEVICE_KEY)? {
                    Some(old) => old,
                    None => DeviceKey::from_secret(crate::store::meta::random::<32>()?)
                        .secret()
                        .to_vec(),
                };
                put_verified(vault.as_ref(), DEVICE_KEY, &b)?;
                b
            }
        };
        store.delete_meta(DEVICE_KEY)?;
        let secret: [u8; 32] = secret
            .try_into()
            .map_err(|_| DeviceError::Corrupt("设备密钥长度错误".into()))?;
        let actor = store.actor_id()?;
        Ok((DeviceKey::from_secret(secret), actor))
    }

    /// The stored login with its token; with a vault, a token still in the
    /// store is moved into the vault.
    pub(crate) fn login(&self, store: &Store) -> Result<Option<Login>> {
        let Some(mut login) = store.login()? else {
            return Ok(None);
        };
        let Some(vault) = &self.vault else {
            return Ok(Some(login));
        };
        if login.response.token.is_empty() {
            match vault.get(LOGIN_TOKEN)? {
                Some(t) => {
                    login.response.token = String::from_utf8(t)
                        .map_err(|_| DeviceError::Corrupt("登录令牌格式错误".into()))?;
                }
                // The vault lost the token (e.g. restored backup): log in again.
                None => return Ok(None),
            }
        } else {
            put_verified(vault.as_ref(), LOGIN_TOKEN, login.response.token.as_bytes())?;
            store.set_login(&without_token(&login))?;
            store.checkpoint()?;
        }
        Ok(Some(login))
    }

    /// Stores a new login (the token in the vault if there is one).
    pub(crate) fn set_login(&self, store: &Store, login: &Login) -> Result<()> {
        match &self.vault {
            None => store.set_login(login),
            Some(vault) => {
                put_verified(vault.as_ref(), LOGIN_TOKEN, login.response.token.as_bytes())?;
                store.set_login(&without_token(login))
            }
        }
    }

    /// Forgets the login and its token.
    pub(crate) fn clear_login(&self, store: &Store) -> Result<()> {
        store.clear_login()?;
        if let Some(vault) = &self.vault {
            vault.delete(LOGIN_TOKEN)?;
        }
        Ok(())
    }
}

fn without_token(login: &Login) -> Login {
    let mut l = login.clone();
    l.response.token = String::new();
    l
}

/// Writes `value` and reads it back; a vault that does not return what it
/// was given is an error (and the caller keeps its copy).
fn put_verified(vault: &dyn SecretVault, name: &str, value: &[u8]) -> Result<()> {
    vault.put(name, value)?;
    match vault.get(name)? {
        Some(back) if back == value => Ok(()),
        _ => Err(DeviceError::Io(format!(
            "安全存储未能保存“{name}”, 数据仍保留在本机数据库中"
        ))),
    }
}
