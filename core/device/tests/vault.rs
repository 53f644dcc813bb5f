//! Secrets in a platform vault: with a vault, the SQLite file holds neither
//! the device key nor the login token; secrets of an older store move into
//! the vault without changing the device's identity; a vault that fails
//! leaves everything where it was.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use zhifa_device::vault::{DEVICE_KEY, LOGIN_TOKEN};
use zhifa_device::{App, DeviceError, NewCase, Result, SecretVault};

/// A vault in memory (what Keystore/Keychain do on the phones).
#[derive(Default)]
struct MemoryVault {
    items: Mutex<HashMap<String, Vec<u8>>>,
    broken: bool,
}

impl SecretVault for MemoryVault {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.items.lock().expect("lock").get(name).cloned())
    }
    fn put(&self, name: &str, value: &[u8]) -> Result<()> {
        if self.broken {
            // Accepts the write but keeps nothing (a misbehaving keystore).
            return Ok(());
        }
        self.items
            .lock()
            .expect("lock")
            .insert(name.to_string(), value.to_vec());
        Ok(())
    }
    fn delete(&self, name: &str) -> Result<()> {
        self.items.lock().expect("lock").remove(name);
        Ok(())
    }
}

/// Every byte of the store's files (database and WAL).
fn store_bytes(home: &Path) -> Vec<u8> {
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

fn login(app: &App) {
    app.set_transport(Arc::new(common::Offline));
    app.login("http://offline", "zhangwei", "demo1234", "测试手机")
        .expect("login");
}

#[test]
fn with_a_vault_the_store_holds_neither_key_nor_token() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path().join("d");
    let vault = Arc::new(MemoryVault::default());
    let app = App::open_with_vault(&home, vault.clone()).expect("open");
    login(&app);
    let me = app.whoami().expect("me");
    app.new_case(&NewCase::inspection("保密测试"))
        .expect("case");
    drop(app);

    let key = vault.get(DEVICE_KEY).expect("get").expect("key in vault");
    let token = vault
        .get(LOGIN_TOKEN)
        .expect("get")
        .expect("token in vault");
    assert_eq!(key.len(), 32);
    let bytes = store_bytes(&home);
    assert!(
        !contains(&bytes, &key),
        "the device key is not in the store"
    );
    assert!(!contains(&bytes, &token), "the token is not in the store");

    // Reopened with the vault: same device, still logged in.
    let again = App::open_with_vault(&home, vault.clone()).expect("reopen");
    assert_eq!(again.whoami().expect("me"), me);
    drop(again);
    // Logging out removes the token from the vault too.
    let again = App::open_with_vault(&home, vault.clone()).expect("reopen");
    again.set_transport(Arc::new(common::Recording::default()));
    again.logout(true).expect("logout");
    assert!(vault.get(LOGIN_TOKEN).expect("get").is_none());
    assert!(
        vault.get(DEVICE_KEY).expect("get").is_some(),
        "the key stays"
    );
}

#[test]
fn secrets_of_an_older_store_move_into_the_vault_and_the_identity_stays() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path().join("d");
    let plain = App::open(&home).expect("open");
    login(&plain);
    let c = plain
        .new_case(&NewCase::inspection("迁移测试"))
        .expect("case");
    let rec = c.record_id.expect("rec");
    plain
        .set_field(&c.case_id, &rec, "findings", &serde_json::json!("迁移前"))
        .expect("edit");
    let me = plain.whoami().expect("me");
    drop(plain);
    let token = "t".repeat(64); // the Offline transport's token
    assert!(contains(&store_bytes(&home), token.as_bytes()));
    let old_key: Vec<u8> = rusqlite::Connection::open(home.join("zhifa.db"))
        .expect("db")
        .query_row("SELECT value FROM meta WHERE key = 'device_key'", [], |r| {
            r.get(0)
        })
        .expect("the plain store keeps its key in meta");

    let vault = Arc::new(MemoryVault::default());
    let app = App::open_with_vault(&home, vault.clone()).expect("migrate");
    assert_eq!(app.whoami().expect("me"), me, "same device, same login");
    // The case written before the move is intact.
    assert!(app.verify_seals(&c.case_id).expect("verify").is_empty());
    drop(app);
    assert_eq!(
        vault.get(LOGIN_TOKEN).expect("get").as_deref(),
        Some(token.as_bytes())
    );
    let key = vault.get(DEVICE_KEY).expect("get").expect("key");
    assert_eq!(key, old_key, "the same device key, moved");
    // A checkpoint folds the WAL so the bytes below are the file's content.
    let db = rusqlite::Connection::open(home.join("zhifa.db")).expect("db");
    db.pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .expect("checkpoint");
    db.execute("VACUUM", []).expect("vacuum");
    drop(db);
    let bytes = store_bytes(&home);
    assert!(!contains(&bytes, &key), "the key left the store");
    assert!(
        !contains(&bytes, token.as_bytes()),
        "the token left the store"
    );
}

#[test]
fn a_vault_that_keeps_nothing_fails_clearly_and_the_store_keeps_its_secrets() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path().join("d");
    let plain = App::open(&home).expect("open");
    login(&plain);
    let me = plain.whoami().expect("me");
    drop(plain);

    let broken = Arc::new(MemoryVault {
        broken: true,
        ..Default::default()
    });
    let e = App::open_with_vault(&home, broken)
        .err()
        .expect("a vault that keeps nothing is refused");
    assert!(matches!(e, DeviceError::Io(_)), "{e:?}");
    assert!(e.to_string().contains("安全存储"), "{e}");
    // Nothing was lost: the plain store still opens as the same device.
    let again = App::open(&home).expect("reopen");
    assert_eq!(again.whoami().expect("me"), me);
}
