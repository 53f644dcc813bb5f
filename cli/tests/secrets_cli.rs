//! The terminal device keeps its key and login token outside the SQLite
//! file: in `zhifa.db.secrets` (0600), moved there from an older database,
//! and refused when others may read it.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

mod common;
use common::zhifa;

/// Every byte of the database files (main and write-ahead log).
fn db_bytes(home: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for f in ["zhifa.db", "zhifa.db-wal"] {
        if let Ok(b) = std::fs::read(home.join(f)) {
            all.extend(b);
        }
    }
    all
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The device key from the secrets file.
fn key_in_file(home: &Path) -> Vec<u8> {
    let text = std::fs::read_to_string(home.join("zhifa.db.secrets")).expect("secrets file");
    let map: serde_json::Value = serde_json::from_str(&text).expect("json");
    hex::decode(map["device_key"].as_str().expect("device_key")).expect("hex")
}

#[test]
fn a_new_device_keeps_its_key_in_an_owner_only_file_not_in_the_database() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("h");
    let out = zhifa(&home, &["case", "list"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = std::fs::metadata(home.join("zhifa.db.secrets"))
        .expect("secrets")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let key = key_in_file(&home);
    assert_eq!(key.len(), 32);
    let db = db_bytes(&home);
    assert!(!db.is_empty());
    assert!(!contains(&db, &key), "raw key bytes in the database");
    assert!(
        !contains(&db, hex::encode(&key).as_bytes()),
        "hex key in the database"
    );
    // The same key on the next run.
    assert!(zhifa(&home, &["case", "list"]).status.success());
    assert_eq!(key_in_file(&home), key);
}

#[test]
fn secrets_of_an_older_database_are_moved_out_of_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("old");
    // An older terminal device: the key inside SQLite.
    drop(zhifa_device::App::open(&home).expect("old store"));
    assert!(!home.join("zhifa.db.secrets").exists());
    let before = db_bytes(&home);
    let out = zhifa(&home, &["case", "list"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = key_in_file(&home);
    assert!(contains(&before, &key), "the old database held this key");
    assert!(
        !contains(&db_bytes(&home), &key),
        "moved out of the database"
    );
}

#[test]
fn a_secrets_file_others_may_read_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("h");
    assert!(zhifa(&home, &["case", "list"]).status.success());
    let file = home.join("zhifa.db.secrets");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let out = zhifa(&home, &["case", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("其他用户可以读取") && err.contains("chmod 600"),
        "{err}"
    );
    assert!(!err.contains(&hex::encode(key_in_file(&home))));
}
