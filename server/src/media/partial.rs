//! Unfinished uploads on disk, one folder per account:
//! `<media>/partial/<hex of the account id>/<sha256>.part` (the bytes
//! received) and `<sha256>.length` (the declared length). The folder is the
//! owner: another account's claim of the same hash is a separate upload, so a
//! wrong claim cannot block the real file, and nobody learns of another
//! account's upload. Per-account quota; unfinished uploads expire.

use std::path::{Path as FsPath, PathBuf};
use std::time::{Duration, SystemTime};

use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// One account's unfinished upload of one file.
#[derive(Debug, Clone)]
pub struct Partial {
    dir: PathBuf,
    account: String,
    sha: String,
}

/// What an account has on disk of one upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialState {
    /// Bytes received.
    pub offset: u64,
    /// Declared length.
    pub length: u64,
}

fn partial_root(media: &FsPath) -> PathBuf {
    media.join("partial")
}

fn account_dir(media: &FsPath, account: &str) -> PathBuf {
    // Hex: any account id is a safe folder name, and it decodes back.
    partial_root(media).join(hex::encode(account))
}

fn not_found_is_none<T>(r: std::io::Result<T>) -> std::io::Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

impl Partial {
    /// The upload of `sha` by `account` under the media folder.
    pub fn new(media: &FsPath, account: &str, sha: &str) -> Partial {
        Partial {
            dir: account_dir(media, account),
            account: account.to_string(),
            sha: sha.to_string(),
        }
    }

    /// The file of bytes received.
    pub fn part(&self) -> PathBuf {
        self.dir.join(format!("{}.part", self.sha))
    }

    fn length_file(&self) -> PathBuf {
        self.dir.join(format!("{}.length", self.sha))
    }

    /// The key of this upload's lock: owner and hash.
    pub fn lock_key(&self) -> String {
        lock_key(&self.account, &self.sha)
    }

    /// The offset and declared length, `None` when the account has no such
    /// upload.
    pub async fn state(&self) -> AppResult<Option<PartialState>> {
        let Some(text) = not_found_is_none(tokio::fs::read_to_string(self.length_file()).await)?
        else {
            return Ok(None);
        };
        let length = text.trim().parse::<u64>().map_err(AppError::internal)?;
        let offset =
            not_found_is_none(tokio::fs::metadata(self.part()).await)?.map_or(0, |m| m.len());
        Ok(Some(PartialState { offset, length }))
    }

    /// Registers the upload with its declared length.
    pub async fn create(&self, length: u64) -> AppResult<()> {
        tokio::fs::create_dir_all(&self.dir).await?;
        tokio::fs::write(self.length_file(), length.to_string()).await?;
        Ok(())
    }

    /// Forgets the upload (bytes and length).
    pub async fn remove(&self) {
        let _ = tokio::fs::remove_file(self.part()).await;
        let _ = tokio::fs::remove_file(self.length_file()).await;
    }
}

fn lock_key(account: &str, sha: &str) -> String {
    format!("{account}/{sha}")
}

/// An account's unfinished uploads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Number of unfinished uploads.
    pub files: u32,
    /// Sum of their declared lengths.
    pub bytes: u64,
}

/// Counts an account's unfinished uploads.
pub async fn usage(media: &FsPath, account: &str) -> AppResult<Usage> {
    let dir = account_dir(media, account);
    let u = tokio::task::spawn_blocking(move || -> std::io::Result<Usage> {
        let mut u = Usage::default();
        let Some(entries) = not_found_is_none(std::fs::read_dir(&dir))? else {
            return Ok(u);
        };
        for e in entries {
            let path = e?.path();
            if path.extension().is_some_and(|x| x == "length") {
                let Some(text) = not_found_is_none(std::fs::read_to_string(&path))? else {
                    continue;
                };
                u.files += 1;
                u.bytes = u
                    .bytes
                    .saturating_add(text.trim().parse::<u64>().unwrap_or(0));
            }
        }
        Ok(u)
    })
    .await??;
    Ok(u)
}

/// Refuses a new upload of `length` bytes that would take the account over
/// its quota of unfinished uploads (507 `upload_quota`).
pub fn check_quota(config: &Config, used: Usage, length: u64) -> AppResult<()> {
    if used.files >= config.upload_quota_files {
        return Err(AppError::QuotaExceeded(format!(
            "未完成的上传已达 {} 个上限, 请先完成或等待过期后再上传新文件",
            config.upload_quota_files
        )));
    }
    if used.bytes.saturating_add(length) > config.upload_quota_bytes {
        return Err(AppError::QuotaExceeded(format!(
            "未完成上传的总大小将超过上限 ({} 字节), 请先完成已开始的上传",
            config.upload_quota_bytes
        )));
    }
    Ok(())
}

fn last_write(path: &FsPath) -> Option<SystemTime> {
    std::fs::metadata(path).ok().and_then(|m| m.modified().ok())
}

fn expired(paths: &[PathBuf], expiry: Duration, now: SystemTime) -> bool {
    let newest = paths.iter().filter_map(|p| last_write(p)).max();
    newest.is_some_and(|t| now.duration_since(t).unwrap_or_default() > expiry)
}

/// Deletes unfinished uploads not written for `upload_expiry_secs` (skipping
/// any a request is writing now), and files left by the former layout
/// directly under `partial/`. Returns the number of uploads deleted.
pub async fn sweep(state: &AppState) -> AppResult<usize> {
    let root = partial_root(&state.config().media_path());
    let expiry = Duration::from_secs(state.config().upload_expiry_secs);
    let st = state.clone();
    let n = tokio::task::spawn_blocking(move || -> std::io::Result<usize> {
        let now = SystemTime::now();
        let mut removed = 0;
        let Some(entries) = not_found_is_none(std::fs::read_dir(&root))? else {
            return Ok(0);
        };
        for e in entries {
            let path = e?.path();
            if path.is_file() {
                if expired(std::slice::from_ref(&path), expiry, now) {
                    let _ = std::fs::remove_file(&path);
                }
                continue;
            }
            let Some(account) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| hex::decode(n).ok())
                .and_then(|b| String::from_utf8(b).ok())
            else {
                continue;
            };
            for f in std::fs::read_dir(&path)? {
                let lf = f?.path();
                if lf.extension().is_none_or(|x| x != "length") {
                    continue;
                }
                let Some(sha) = lf.file_stem().and_then(|s| s.to_str()).map(String::from) else {
                    continue;
                };
                let part = lf.with_extension("part");
                if !expired(&[lf.clone(), part.clone()], expiry, now) {
                    continue;
                }
                let Some(_busy) = st.try_lock_upload(&lock_key(&account, &sha)) else {
                    continue;
                };
                let _ = std::fs::remove_file(&part);
                let _ = std::fs::remove_file(&lf);
                removed += 1;
                tracing::info!(%sha, %account, "unfinished upload expired and deleted");
            }
        }
        Ok(removed)
    })
    .await??;
    Ok(n)
}

/// Runs [`sweep`] every `every` until the task is aborted.
pub fn spawn_sweeper(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = sweep(&state).await {
                tracing::warn!(error = %e, "upload sweep failed");
            }
        }
    })
}
