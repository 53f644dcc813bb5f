//! Device identity and login, in the `meta` table.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use zhifa_core::seal::DeviceKey;
use zhifa_core::sync::LoginResponse;

use super::Store;
use crate::error::{DeviceError, Result};

/// The officer logged in on this device and where the server is.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Login {
    /// Server base URL, e.g. `http://127.0.0.1:8080`.
    pub server: String,
    /// What the server answered.
    pub response: LoginResponse,
}

/// `N` random bytes from the OS.
pub(crate) fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::getrandom(&mut b).map_err(|e| DeviceError::Io(format!("系统随机数: {e}")))?;
    Ok(b)
}

impl Store {
    /// A meta value.
    pub fn meta(&self, key: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Sets a meta value (one transaction).
    pub fn set_meta(&self, key: &str, value: &[u8]) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// The device key and Automerge actor id, created on first use.
    pub fn identity(&self) -> Result<(DeviceKey, Vec<u8>)> {
        let key = match self.meta("device_key")? {
            Some(b) => {
                let secret: [u8; 32] = b
                    .try_into()
                    .map_err(|_| DeviceError::Corrupt("设备密钥长度错误".into()))?;
                DeviceKey::from_secret(secret)
            }
            None => {
                let k = DeviceKey::from_secret(random::<32>()?);
                self.set_meta("device_key", &k.secret())?;
                k
            }
        };
        Ok((key, self.actor_id()?))
    }

    /// The Automerge actor id, created on first use.
    pub fn actor_id(&self) -> Result<Vec<u8>> {
        match self.meta("actor_id")? {
            Some(a) => Ok(a),
            None => {
                let a = random::<16>()?.to_vec();
                self.set_meta("actor_id", &a)?;
                Ok(a)
            }
        }
    }

    /// Removes a meta value.
    pub fn delete_meta(&self, key: &str) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM meta WHERE key = ?1", [key])?;
        if n > 0 {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Copies the write-ahead log into the database and empties it, so no
    /// older page image (e.g. of a secret moved out) stays in the log.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// The current login, if any.
    pub fn login(&self) -> Result<Option<Login>> {
        match self.meta("login")? {
            Some(b) => {
                Ok(Some(serde_json::from_slice(&b).map_err(|e| {
                    DeviceError::Corrupt(format!("登录信息: {e}"))
                })?))
            }
            None => Ok(None),
        }
    }

    /// Forgets the login (the device key and actor id stay).
    pub fn clear_login(&self) -> Result<()> {
        self.conn
            .execute("DELETE FROM meta WHERE key = 'login'", [])?;
        Ok(())
    }

    /// Stores the login.
    pub fn set_login(&self, login: &Login) -> Result<()> {
        let json = serde_json::to_vec(login).map_err(|e| DeviceError::Db {
            user: "登录信息无法保存".into(),
            detail: e.to_string(),
        })?;
        self.set_meta("login", &json)
    }
}
