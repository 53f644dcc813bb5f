//! Owner-only permissions for the files holding data or secrets: the
//! database (and its WAL and shared-memory files), the media folder and
//! files, the server key. Folders are 0700, files 0600 on unix; elsewhere
//! these calls do nothing.

use std::io;
use std::path::Path;

/// Creates `dir` (and its parents) and makes it owner-only (0700).
pub fn private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Makes an existing file owner-only (0600); a missing file is no error.
pub fn private_file(file: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Creates an SQLite database file owner-only before SQLite opens it
/// (SQLite gives its WAL and shared-memory files the database's mode), and
/// tightens an existing one and its companions.
pub fn private_sqlite(db: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(db)?;
    }
    private_file(db)?;
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        private_file(Path::new(&name))?;
    }
    Ok(())
}
