//! The device's folder and database (login token, and without a platform
//! vault the device key) are owner-only on unix.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use zhifa_device::App;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn a_new_home_and_its_database_are_owner_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("zhifa-home");
    let app = App::open(&home).expect("open");
    assert_eq!(mode(&home), 0o700);
    for f in ["zhifa.db", "zhifa.db-wal", "zhifa.db-shm"] {
        assert_eq!(mode(&home.join(f)), 0o600, "{f}");
    }
    drop(app);
}

#[test]
fn an_existing_home_is_tightened_when_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("old");
    drop(App::open(&home).expect("first open"));
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let db = home.join("zhifa.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let _app = App::open(&home).expect("reopen");
    assert_eq!(mode(&home), 0o700);
    assert_eq!(mode(&db), 0o600);
}
