//! The device's SQLite store: WAL, `synchronous=FULL`, versioned migrations
//! (`PRAGMA user_version`). Every write method runs in one transaction, so a
//! method that returns `Ok` has made its change durable.
//!
//! - [`cases`]: one row per case (Automerge snapshot + summary columns for
//!   lists) and the incremental change chunks appended by each edit.
//! - [`meta`]: the device key, actor id and login.
//! - [`media`]: media files known to the device and the upload queue.

pub mod calendar;
pub mod cases;
pub mod media;
pub mod meta;

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{DeviceError, Result};

/// Ordered migrations; index + 1 is the schema version they lead to.
const MIGRATIONS: &[&str] = &[
    // 1: cases, change chunks, sync state, meta, media and uploads.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
     CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        snapshot BLOB NOT NULL,
        title TEXT NOT NULL,
        party TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL,
        stage TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        unit TEXT NOT NULL DEFAULT '',
        next_due TEXT,
        next_due_label TEXT,
        heads TEXT NOT NULL DEFAULT '[]',
        sync_state TEXT NOT NULL DEFAULT 'local',
        chunks INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
     );
     CREATE INDEX cases_updated ON cases(updated_at);
     CREATE TABLE case_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id TEXT NOT NULL,
        chunk BLOB NOT NULL
     );
     CREATE INDEX case_changes_case ON case_changes(case_id, seq);
     CREATE TABLE sync_states (
        case_id TEXT PRIMARY KEY,
        state BLOB,
        receipt TEXT
     );
     CREATE TABLE media (
        sha256 TEXT PRIMARY KEY,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        case_id TEXT NOT NULL,
        record_id TEXT NOT NULL,
        captured_at TEXT NOT NULL,
        lat REAL, lon REAL,
        thumb TEXT,
        ingested_at TEXT NOT NULL
     );
     CREATE TABLE uploads (
        sha256 TEXT PRIMARY KEY,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
     );",
    // 2: a case's media and the pending uploads without a table scan.
    "CREATE INDEX IF NOT EXISTS media_case ON media(case_id);
     CREATE INDEX IF NOT EXISTS uploads_state ON uploads(state);",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How commits reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=FULL`: the WAL is fsynced at every commit, so a command
    /// that returned survives power loss and OS crashes, not only a killed app.
    #[default]
    Full,
    /// `synchronous=NORMAL`: commits are written to the WAL without fsync
    /// (fsync at checkpoints). Survives the app being killed at any point;
    /// the last commits before a power loss or kernel panic may be lost.
    Normal,
}

/// The store: one writer connection.
pub struct Store {
    pub(crate) conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it.
    /// A damaged file gives [`crate::DeviceError::Corrupt`] and is not modified.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with(path, Durability::Full)
    }

    /// Opens with a chosen [`Durability`].
    pub fn open_with(path: &Path, durability: Durability) -> Result<Store> {
        crate::fsperm::private_sqlite(path)?;
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        // Reading the header first detects a file that is not a database
        // before any pragma could try to rewrite it.
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        // A database written by a newer app may have tables or meanings this
        // build does not know: refuse it before anything is written.
        if version > SCHEMA_VERSION {
            return Err(DeviceError::SchemaTooNew {
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let sync = match durability {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        };
        conn.pragma_update(None, "synchronous", sync)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted rows are zeroed, so secrets moved out leave no copy behind.
        conn.pragma_update(None, "secure_delete", "ON")?;
        let mut store = Store { conn };
        store.migrate(version)?;
        Ok(store)
    }

    fn migrate(&mut self, from: i64) -> Result<()> {
        let from = usize::try_from(from).unwrap_or(0);
        if from >= MIGRATIONS.len() {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(from) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Runs SQLite's quick integrity check; the problems found, empty if none.
    pub fn quick_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA quick_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for r in rows {
            let r = r?;
            if r != "ok" {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// The database size in pages.
    pub fn page_count(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?)
    }

    /// Limits the database size in pages (tests simulate a full disk with it).
    pub fn set_max_pages(&self, pages: i64) -> Result<()> {
        self.conn
            .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a database as version 1 of the app left it, with one case.
    fn v1_database(path: &Path) {
        let c = Connection::open(path).expect("open");
        c.pragma_update(None, "journal_mode", "WAL").expect("wal");
        c.execute_batch(MIGRATIONS[0]).expect("v1 schema");
        c.pragma_update(None, "user_version", 1).expect("version");
        c.execute(
            "INSERT INTO cases (id, snapshot, title, kind, stage, updated_at)
             VALUES ('c1', x'00', '旧版本的案件', 'inspection', 'investigation', '2026-01-01')",
            [],
        )
        .expect("case");
    }

    #[test]
    fn an_older_database_is_migrated_and_keeps_its_rows() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("zhifa.db");
        v1_database(&db);
        let store = Store::open(&db).expect("migrates");
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version, SCHEMA_VERSION);
        let indexes: i64 = store
            .conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'
                 AND name IN ('media_case', 'uploads_state')",
                [],
                |r| r.get(0),
            )
            .expect("indexes");
        assert_eq!(indexes, 2);
        assert_eq!(store.summary("c1").expect("row").title, "旧版本的案件");
        drop(store);
        // Opening again is a no-op.
        Store::open(&db).expect("reopen");
    }

    #[test]
    fn a_database_of_a_newer_app_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("zhifa.db");
        v1_database(&db);
        {
            let c = Connection::open(&db).expect("open");
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .expect("future version");
            c.pragma_update(None, "journal_mode", "DELETE")
                .expect("no wal");
        }
        let before = std::fs::read(&db).expect("read");
        let e = match Store::open(&db) {
            Ok(_) => panic!("a newer schema must be refused"),
            Err(e) => e,
        };
        assert!(
            matches!(e, DeviceError::SchemaTooNew { found, known }
                if found == SCHEMA_VERSION + 1 && known == SCHEMA_VERSION),
            "{e:?}"
        );
        assert!(e.to_string().contains("请升级"), "{e}");
        assert_eq!(std::fs::read(&db).expect("read"), before, "file untouched");
    }
}
