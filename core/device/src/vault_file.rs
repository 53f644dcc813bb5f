//! A [`SecretVault`] for a terminal device without an OS keyring: one file
//! beside the database (`zhifa.db.secrets`), owner-only (0600), written
//! atomically (a 0600 temporary file, fsynced, renamed over the old one).
//! A file that group or others may read is refused on every read.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{DeviceError, Result};
use crate::vault::SecretVault;

/// Secrets kept in one owner-only file.
pub struct FileVault {
    path: PathBuf,
    lock: Mutex<()>,
}

impl FileVault {
    /// The vault file beside the database `db` (`<db>.secrets`).
    pub fn beside(db: &Path) -> FileVault {
        let mut name = db.as_os_str().to_owned();
        name.push(".secrets");
        FileVault {
            path: PathBuf::from(name),
            lock: Mutex::new(()),
        }
    }

    /// Where the secrets are.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn read_all(&self) -> Result<BTreeMap<String, String>> {
        let meta = match std::fs::metadata(&self.path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => return Err(DeviceError::Io(format!("无法读取密钥文件: {e}"))),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(DeviceError::Invalid(format!(
                    "密钥文件 {} 的权限为 {mode:o}, 其他用户可以读取, 已拒绝使用; \
                     请执行 chmod 600 后重试",
                    self.path.display()
                )));
            }
        }
        #[cfg(not(unix))]
        let _ = meta;
        let text = std::fs::read_to_string(&self.path)
            .map_err(|e| DeviceError::Io(format!("无法读取密钥文件: {e}")))?;
        serde_json::from_str(&text).map_err(|_| DeviceError::Corrupt("密钥文件格式错误".into()))
    }

    fn write_all(&self, map: &BTreeMap<String, String>) -> Result<()> {
        let io = |e: std::io::Error| DeviceError::Io(format!("无法写入密钥文件: {e}"));
        let json = serde_json::to_vec(map).map_err(|e| DeviceError::Io(e.to_string()))?;
        let mut tmp = self.path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp).map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(io)?;
        }
        f.write_all(&json).map_err(io)?;
        f.sync_all().map_err(io)?;
        drop(f);
        std::fs::rename(&tmp, &self.path).map_err(io)
    }
}

impl SecretVault for FileVault {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let _g = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        match self.read_all()?.get(name) {
            Some(h) => hex::decode(h)
                .map(Some)
                .map_err(|_| DeviceError::Corrupt("密钥文件格式错误".into())),
            None => Ok(None),
        }
    }

    fn put(&self, name: &str, value: &[u8]) -> Result<()> {
        let _g = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut map = self.read_all()?;
        map.insert(name.to_string(), hex::encode(value));
        self.write_all(&map)
    }

    fn delete(&self, name: &str) -> Result<()> {
        let _g = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut map = self.read_all()?;
        if map.remove(name).is_some() {
            self.write_all(&map)?;
        }
        Ok(())
    }
}
