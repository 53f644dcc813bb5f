//! Owner-only permissions for the device's data: its folder (0700) and its
//! SQLite database (0600), which holds the login token and, without a
//! platform vault, the device key. Nothing happens off unix.

use std::io;
use std::path::Path;

/// Creates `dir` (and its parents) and makes it owner-only (0700).
pub(crate) fn private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Creates the database file owner-only before SQLite opens it (SQLite
/// gives the WAL and shared-memory files the database's mode) and tightens
/// an existing one and its companions. The content is never touched.
pub(crate) fn private_sqlite(db: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(db)?;
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = db.as_os_str().to_os_string();
            name.push(suffix);
            let perms = std::fs::Permissions::from_mode(0o600);
            match std::fs::set_permissions(Path::new(&name), perms) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
    }
    #[cfg(not(unix))]
    let _ = db;
    Ok(())
}
