//! A real full disk for the server: its data folder on a small tmpfs of its
//! own, filled to the last byte by a filler file and freed again. Mounting
//! needs root (CAP_SYS_ADMIN), as in CI's container; without it the server
//! keeps an ordinary folder and the runner reports the full-disk steps as
//! not run.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Size of the server's tmpfs: room for a scenario's documents and photos.
const SIZE: &str = "64m";

/// A tmpfs mounted on a folder; unmounted when dropped.
pub struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    /// Mounts a tmpfs on `dir` (created if missing); `None` when the
    /// system refuses (not root, no mount command).
    pub fn mount(dir: &Path) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={SIZE}"), "tmpfs"])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs {
            dir: dir.to_path_buf(),
        })
    }

    fn filler(&self) -> PathBuf {
        self.dir.join("zz-disk-filler")
    }

    /// Fills the disk: writes zeros until the file system says it is full
    /// (ENOSPC). Returns the bytes written.
    pub fn fill(&self) -> u64 {
        let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.filler())
        else {
            return 0;
        };
        let block = vec![0u8; 1 << 20];
        let mut n = 0u64;
        // Whole blocks, then the last bytes in small pieces.
        for size in [1 << 20, 4096, 1] {
            while f.write_all(&block[..size]).is_ok() {
                n += size as u64;
            }
        }
        n
    }

    /// Frees the space the filler took.
    pub fn free(&self) {
        let _ = std::fs::remove_file(self.filler());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        self.free();
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}
