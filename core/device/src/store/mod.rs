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

use crate::error::Result;

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
];

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
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        // Reading the header first detects a file that is not a database
        // before any pragma could try to rewrite it.
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let sync = match durability {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        };
        conn.pragma_update(None, "synchronous", sync)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
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
