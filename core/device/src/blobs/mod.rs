//! Content-addressed media files in the app's folder: `blobs/ab/abcd…` where
//! the name is the SHA-256 of the bytes. Files are written to a temporary
//! name, fsynced, then renamed, so a file under its hash is always complete.

pub mod container;
pub mod exif;
pub mod sniff;
pub mod thumb;

use std::fs::{self, File};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::error::{DeviceError, Result};

pub use sniff::{sniff_mime, HEAD_LEN};

/// The blob folder.
#[derive(Debug, Clone)]
pub struct BlobStore {
    dir: PathBuf,
    /// Test hook: bytes the disk can still take (`u64::MAX`: no limit).
    /// Shared by clones, like the folder itself.
    space_left: Arc<AtomicU64>,
}

/// A file placed in the store.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// SHA-256, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

impl BlobStore {
    /// Opens (creating) the folder.
    pub fn open(dir: &Path) -> Result<BlobStore> {
        fs::create_dir_all(dir.join("tmp"))?;
        Ok(BlobStore {
            dir: dir.to_path_buf(),
            space_left: Arc::new(AtomicU64::new(u64::MAX)),
        })
    }

    /// Test hook: from now on writes fail with ENOSPC, as on a full disk,
    /// once `bytes` more have been written (`None`: no limit).
    #[doc(hidden)]
    pub fn simulate_space_left(&self, bytes: Option<u64>) {
        self.space_left
            .store(bytes.unwrap_or(u64::MAX), Ordering::SeqCst);
    }

    /// Takes `n` bytes from the simulated free space, or fails as `write(2)`
    /// does on a full disk.
    fn reserve(&self, n: u64) -> std::io::Result<()> {
        let took = self
            .space_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                (left == u64::MAX).then_some(left).or(left.checked_sub(n))
            });
        match took {
            Ok(_) => Ok(()),
            // ENOSPC
            Err(_) => Err(std::io::Error::from_raw_os_error(28)),
        }
    }

    /// Where a blob lives.
    pub fn path(&self, sha256: &str) -> PathBuf {
        let prefix = sha256.get(..2).unwrap_or("xx");
        self.dir.join(prefix).join(sha256)
    }

    /// True when the blob file exists.
    pub fn has(&self, sha256: &str) -> bool {
        self.path(sha256).is_file()
    }

    /// Copies a file into the store, hashing while copying (streaming).
    pub fn put_file(&self, src: &Path) -> Result<Stored> {
        let f = File::open(src)
            .map_err(|e| DeviceError::Io(format!("无法读取文件 {}: {e}", src.display())))?;
        self.put_reader(BufReader::with_capacity(1 << 20, f))
    }

    /// Stores bytes.
    pub fn put_bytes(&self, bytes: &[u8]) -> Result<Stored> {
        self.put_reader(bytes)
    }

    /// Stores a stream that must hash to `sha256` (a download). Other bytes
    /// are reported and never stored under `sha256` (they land, harmlessly,
    /// under their own hash).
    pub fn put_expected(&self, r: impl Read, sha256: &str) -> Result<Stored> {
        let stored = self.put_reader(r)?;
        if stored.sha256 != sha256 {
            return Err(DeviceError::MediaCorrupt(format!(
                "下载的文件 {sha256} 与其哈希不符, 已丢弃"
            )));
        }
        Ok(stored)
    }

    fn put_reader(&self, mut r: impl Read) -> Result<Stored> {
        let tmp = self.dir.join("tmp").join(uuid::Uuid::new_v4().to_string());
        let result = (|| {
            let mut out = File::create(&tmp)?;
            let mut hasher = Sha256::new();
            let mut buf = vec![0u8; 1 << 20];
            let mut size = 0u64;
            loop {
                let n = r.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                self.reserve(n as u64)?;
                out.write_all(&buf[..n])?;
                size += n as u64;
            }
            out.sync_all()?;
            Ok::<_, DeviceError>(Stored {
                sha256: hex::encode(hasher.finalize()),
                size,
            })
        })();
        let stored = match result {
            Ok(s) => s,
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
        };
        if stored.size == 0 {
            let _ = fs::remove_file(&tmp);
            return Err(DeviceError::MediaCorrupt("文件为空".into()));
        }
        let dest = self.path(&stored.sha256);
        if dest.is_file() {
            let _ = fs::remove_file(&tmp);
            return Ok(stored);
        }
        let parent = dest.parent().unwrap_or(&self.dir).to_path_buf();
        if !parent.is_dir() {
            fs::create_dir_all(&parent)?;
            // The new prefix folder's entry must reach the disk too, or a
            // power cut could lose the folder with the blob in it.
            sync_dir(&self.dir)?;
        }
        fs::rename(&tmp, &dest)?;
        // Make the rename durable before the commit that refers to the blob.
        sync_dir(&parent)?;
        Ok(stored)
    }

    /// Re-hashes a stored file: `Ok(())` when its bytes still match the name,
    /// else [`DeviceError::MediaCorrupt`] naming what is wrong.
    pub fn verify(&self, sha256: &str, size: u64) -> Result<()> {
        let path = self.path(sha256);
        let f = File::open(&path)
            .map_err(|_| DeviceError::MediaCorrupt(format!("文件 {sha256} 在本机已丢失")))?;
        let mut r = BufReader::with_capacity(1 << 20, f);
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        let mut n_total = 0u64;
        loop {
            let n = r.read(&mut buf)?;
            if n == 0 {
                break;
            }
            n_total += n as u64;
            hasher.update(&buf[..n]);
        }
        if n_total != size {
            return Err(DeviceError::MediaCorrupt(format!(
                "文件 {sha256} 大小应为 {size} 字节, 实为 {n_total} 字节"
            )));
        }
        if hex::encode(hasher.finalize()) != sha256 {
            return Err(DeviceError::MediaCorrupt(format!(
                "文件 {sha256} 的内容与其哈希不符"
            )));
        }
        Ok(())
    }

    /// Deletes leftovers of writes interrupted by a crash.
    pub fn clean_tmp(&self) {
        if let Ok(rd) = fs::read_dir(self.dir.join("tmp")) {
            for e in rd.flatten() {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// Fsyncs a folder so entries created or renamed in it are durable.
fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)?.sync_all()?;
    Ok(())
}
