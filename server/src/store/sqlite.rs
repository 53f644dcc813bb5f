//! The embedded SQLite store: one writer connection and a few reader
//! connections (WAL mode), versioned migrations via `PRAGMA user_version`.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::*;

mod archive;
mod disclosure;
mod office;
mod publicity;
mod rows;

use rows::*;

/// Migrations in order; `PRAGMA user_version` counts how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: accounts, devices, cases, sync states, media, receipts.
    r#"
    CREATE TABLE agencies (id TEXT PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE units (
        id TEXT PRIMARY KEY,
        agency_id TEXT NOT NULL REFERENCES agencies(id),
        name TEXT NOT NULL
    );
    CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        post TEXT NOT NULL,
        credential_no TEXT NOT NULL,
        unit_id TEXT NOT NULL REFERENCES units(id),
        status TEXT NOT NULL,
        roles TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        name TEXT NOT NULL,
        public_key TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        token_hash BLOB NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE INDEX devices_account ON devices(account_id);
    CREATE INDEX devices_actor ON devices(actor_id);
    CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        unit_id TEXT NOT NULL,
        title TEXT NOT NULL,
        stage TEXT NOT NULL,
        kind TEXT NOT NULL,
        created_by TEXT NOT NULL,
        officers TEXT NOT NULL,
        heads TEXT NOT NULL,
        snapshot BLOB NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX cases_unit ON cases(unit_id);
    CREATE TABLE case_officers (
        account_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        PRIMARY KEY (account_id, case_id)
    ) WITHOUT ROWID;
    CREATE INDEX case_officers_case ON case_officers(case_id);
    CREATE TABLE case_changes (
        case_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        bytes BLOB NOT NULL,
        PRIMARY KEY (case_id, seq)
    );
    CREATE TABLE case_media (
        case_id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        record_id TEXT NOT NULL,
        PRIMARY KEY (case_id, sha256)
    ) WITHOUT ROWID;
    CREATE INDEX case_media_sha ON case_media(sha256);
    CREATE TABLE sync_states (
        device_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        state BLOB NOT NULL,
        PRIMARY KEY (device_id, case_id)
    ) WITHOUT ROWID;
    CREATE TABLE media (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        uploaded_by TEXT NOT NULL,
        uploaded_at TEXT NOT NULL
    );
    CREATE TABLE receipts (
        id INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        heads TEXT NOT NULL,
        server_time TEXT NOT NULL,
        signature TEXT NOT NULL
    );
    CREATE INDEX receipts_case ON receipts(case_id);
    "#,
    // 2: holiday calendars loaded by the office (newest row is current).
    r#"
    CREATE TABLE calendars (
        id INTEGER PRIMARY KEY,
        version TEXT NOT NULL,
        json TEXT NOT NULL,
        loaded_at TEXT NOT NULL,
        loaded_by TEXT NOT NULL
    );
    "#,
    // 3: the office half (case index, sessions, office keys, media access log).
    office::MIGRATION,
    // 4: the publication index and the public's feedback.
    publicity::MIGRATION,
    // 5: the 双随机 registry and tasks.
    publicity::RANDOM_MIGRATION,
    // 6: the 事前公开 items.
    disclosure::MIGRATION,
    // 7: the archive packages (案卷归档).
    archive::MIGRATION,
];

/// SQLite implementation of [`Store`].
pub struct SqliteStore {
    path: std::path::PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

fn db(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        if f.code == rusqlite::ErrorCode::ConstraintViolation {
            return StoreError::Conflict(msg.clone().unwrap_or_else(|| e.to_string()));
        }
    }
    StoreError::Db(e.to_string())
}

fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic while holding a connection leaves it usable: SQLite rolls back.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn open(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open(path).map_err(db)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(db)?;
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    )
    .map_err(db)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let version: usize = conn
        .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .map_err(db)?
        .try_into()
        .map_err(|_| StoreError::Migration("negative user_version".into()))?;
    if version > MIGRATIONS.len() {
        return Err(StoreError::Migration(format!(
            "database schema version {version} is newer than this server ({})",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.transaction().map_err(db)?;
        tx.execute_batch(sql)
            .map_err(|e| StoreError::Migration(format!("migration {}: {e}", i + 1)))?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)
            .map_err(db)?;
        tx.commit().map_err(db)?;
        tracing::info!(version = i + 1, "database migrated");
    }
    Ok(())
}

/// `%text%` for LIKE, with `%`, `_` and `\` escaped.
fn like(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

fn one<T, P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Option<T>> {
    let mut st = conn.prepare_cached(sql).map_err(db)?;
    st.query_row(params, f).optional().map_err(db)
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database.
    pub fn open(path: &Path, readers: usize) -> StoreResult<SqliteStore> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| StoreError::Db(format!("create {}: {e}", parent.display())))?;
        }
        crate::fsperm::private_sqlite(path)
            .map_err(|e| StoreError::Db(format!("create {}: {e}", path.display())))?;
        let mut writer = open(path)?;
        migrate(&mut writer)?;
        let readers = (0..readers.max(1))
            .map(|_| open(path).map(Mutex::new))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            readers,
            next: AtomicUsize::new(0),
        })
    }

    fn read(&self) -> MutexGuard<'_, Connection> {
        let n = self.readers.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for i in 0..n {
            if let Ok(g) = self.readers[(start + i) % n].try_lock() {
                return g;
            }
        }
        lock(&self.readers[start % n])
    }

    fn write(&self) -> MutexGuard<'_, Connection> {
        lock(&self.writer)
    }
}

impl Store for SqliteStore {
    fn ping(&self) -> StoreResult<()> {
        let q = "SELECT count(*) FROM sqlite_master";
        self.read().query_row(q, [], |_| Ok(())).map_err(db)?;
        // Open connections keep a file that was moved or overwritten (and
        // the WAL can hide its first page): check the file a restart opens.
        let mut magic = [0u8; 16];
        std::fs::File::open(&self.path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
            .map_err(|e| StoreError::Db(format!("{}: {e}", self.path.display())))?;
        match &magic {
            b"SQLite format 3\0" => Ok(()),
            _ => Err(StoreError::Db("database file is not SQLite".into())),
        }
    }

    fn account_count(&self) -> StoreResult<u64> {
        let n: i64 = self
            .read()
            .query_row("SELECT COUNT(*) FROM accounts", [], |r| r.get(0))
            .map_err(db)?;
        Ok(n.max(0) as u64)
    }

    fn create_agency(&self, a: &Agency) -> StoreResult<()> {
        self.write()
            .execute(
                "INSERT INTO agencies (id, name) VALUES (?1, ?2)",
                params![a.id, a.name],
            )
            .map_err(db)?;
        Ok(())
    }

    fn create_unit(&self, u: &Unit) -> StoreResult<()> {
        self.write()
            .execute(
                "INSERT INTO units (id, agency_id, name) VALUES (?1, ?2, ?3)",
                params![u.id, u.agency_id, u.name],
            )
            .map_err(db)?;
        Ok(())
    }

    fn units(&self) -> StoreResult<Vec<Unit>> {
        let conn = self.read();
        let mut st = conn
            .prepare_cached("SELECT id, agency_id, name FROM units ORDER BY id")
            .map_err(db)?;
        let rows = st
            .query_map([], |r| {
                Ok(Unit {
                    id: r.get(0)?,
                    agency_id: r.get(1)?,
                    name: r.get(2)?,
                })
            })
            .map_err(db)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
    }

    fn create_account(&self, a: &Account) -> StoreResult<()> {
        self.write()
            .execute(
                "INSERT INTO accounts (id, username, name, post, credential_no, unit_id, status, roles, password_hash, active)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    a.id,
                    a.username,
                    a.name,
                    a.post,
                    a.credential_no,
                    a.unit_id,
                    status_str(a.status),
                    roles_str(&a.roles),
                    a.password_hash,
                    a.active
                ],
            )
            .map_err(db)?;
        Ok(())
    }

    fn account_by_username(&self, username: &str) -> StoreResult<Option<Account>> {
        let conn = self.read();
        let sql = format!("SELECT {ACCOUNT_COLS} FROM accounts a LEFT JOIN units u ON u.id = a.unit_id WHERE a.username = ?1");
        one(&conn, &sql, [username], account_row)
    }

    fn account(&self, id: &str) -> StoreResult<Option<Account>> {
        let conn = self.read();
        let sql = format!("SELECT {ACCOUNT_COLS} FROM accounts a LEFT JOIN units u ON u.id = a.unit_id WHERE a.id = ?1");
        one(&conn, &sql, [id], account_row)
    }

    fn accounts(&self) -> StoreResult<Vec<Account>> {
        let conn = self.read();
        let sql = format!("SELECT {ACCOUNT_COLS} FROM accounts a LEFT JOIN units u ON u.id = a.unit_id ORDER BY a.unit_id, a.username");
        let mut st = conn.prepare_cached(&sql).map_err(db)?;
        let rows = st.query_map([], account_row).map_err(db)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
    }

    fn register_device(&self, d: &Device, token_hash: &[u8; 32]) -> StoreResult<()> {
        let mut conn = self.write();
        let tx = conn.transaction().map_err(db)?;
        let other: Option<String> = tx
            .query_row(
                "SELECT account_id FROM devices WHERE actor_id = ?1 AND account_id <> ?2 LIMIT 1",
                params![d.actor_id, d.account_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        if other.is_some() {
            return Err(StoreError::Conflict(
                "actor registered to another account".into(),
            ));
        }
        tx.execute(
            "UPDATE devices SET revoked_at = ?1 WHERE actor_id = ?2 AND account_id = ?3 AND revoked_at IS NULL",
            params![d.created_at, d.actor_id, d.account_id],
        )
        .map_err(db)?;
        tx.execute(
            "INSERT INTO devices (id, account_id, name, public_key, actor_id, token_hash, created_at, revoked_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL)",
            params![d.id, d.account_id, d.name, d.public_key, d.actor_id, &token_hash[..], d.created_at],
        )
        .map_err(db)?;
        tx.commit().map_err(db)
    }

    fn principal(&self, token_hash: &[u8; 32]) -> StoreResult<Option<Principal>> {
        let conn = self.read();
        one(
            &conn,
            "SELECT a.id, a.unit_id, a.roles, d.id, d.actor_id FROM devices d JOIN accounts a ON a.id = d.account_id
             WHERE d.token_hash = ?1 AND d.revoked_at IS NULL AND a.active = 1",
            [&token_hash[..]],
            |r| {
            let roles: String = r.get(2)?;
            Ok(Principal {
                account_id: r.get(0)?,
                unit_id: r.get(1)?,
                roles: parse_roles(&roles),
                device_id: r.get(3)?,
                actor_id: r.get(4)?,
            })
            },
        )
    }

    fn device(&self, id: &str) -> StoreResult<Option<Device>> {
        let conn = self.read();
        let sql = format!("SELECT {DEVICE_COLS} FROM devices WHERE id = ?1");
        one(&conn, &sql, [id], device_row)
    }

    fn devices_of(&self, account_id: &str) -> StoreResult<Vec<Device>> {
        let conn = self.read();
        let sql =
            format!("SELECT {DEVICE_COLS} FROM devices WHERE account_id = ?1 ORDER BY created_at");
        let mut st = conn.prepare_cached(&sql).map_err(db)?;
        let rows = st.query_map([account_id], device_row).map_err(db)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
    }

    fn revoke_device(&self, id: &str, at: &str) -> StoreResult<bool> {
        let n = self
            .write()
            .execute(
                "UPDATE devices SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
                params![at, id],
            )
            .map_err(db)?;
        Ok(n > 0)
    }

    fn case_access(&self, ids: &[String]) -> StoreResult<Vec<CaseAccess>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let json = serde_json::to_string(ids).map_err(|e| StoreError::Db(e.to_string()))?;
        let conn = self.read();
        let mut st = conn
            .prepare_cached("SELECT id, unit_id, officers, heads FROM cases WHERE id IN (SELECT value FROM json_each(?1))")
            .map_err(db)?;
        let rows = st.query_map([json], access_row).map_err(db)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
    }

    fn scope_access(&self, scope: &CaseScope) -> StoreResult<Vec<CaseAccess>> {
        let conn = self.read();
        match scope {
            CaseScope::All => {
                let mut st = conn
                    .prepare_cached("SELECT id, unit_id, officers, heads FROM cases")
                    .map_err(db)?;
                let rows = st.query_map([], access_row).map_err(db)?;
                rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
            }
            CaseScope::Mine { account_id, unit } => {
                let mut st = conn
                    .prepare_cached(
                        "SELECT id, unit_id, officers, heads FROM cases
                         WHERE id IN (SELECT case_id FROM case_officers WHERE account_id = ?1) OR unit_id = ?2",
                    )
                    .map_err(db)?;
                let rows = st
                    .query_map(params![account_id, unit], access_row)
                    .map_err(db)?;
                rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
            }
        }
    }

    fn scope_heads(&self, scope: &CaseScope) -> StoreResult<Vec<(String, String)>> {
        let conn = self.read();
        let pair = |r: &Row<'_>| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?));
        match scope {
            CaseScope::All => {
                let mut st = conn
                    .prepare_cached("SELECT id, heads FROM cases")
                    .map_err(db)?;
                let rows = st.query_map([], pair).map_err(db)?;
                rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
            }
            CaseScope::Mine { account_id, unit } => {
                let mut st = conn
                    .prepare_cached(
                        "SELECT id, heads FROM cases
                         WHERE id IN (SELECT case_id FROM case_officers WHERE account_id = ?1) OR unit_id = ?2",
                    )
                    .map_err(db)?;
                let rows = st.query_map(params![account_id, unit], pair).map_err(db)?;
                rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
            }
        }
    }

    fn list_cases(&self, scope: &CaseScope) -> StoreResult<Vec<CaseMeta>> {
        let conn = self.read();
        match scope {
            CaseScope::All => {
                let sql = format!("SELECT {META_COLS} FROM cases ORDER BY updated_at DESC");
                let mut st = conn.prepare_cached(&sql).map_err(db)?;
                let rows = st.query_map([], meta_row).map_err(db)?;
                rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
            }
            CaseScope::Mine { account_id, unit } => {
                let sql = format!(
                    "SELECT {META_COLS} FROM cases
                     WHERE id IN (SELECT case_id FROM case_officers WHERE account_id = ?1) OR unit_id = ?2
                     ORDER BY updated_at DESC"
                );
                let mut st = conn.prepare_cached(&sql).map_err(db)?;
                let rows = st
                    .query_map(params![account_id, unit], meta_row)
                    .map_err(db)?;
                rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
            }
        }
    }

    fn case_meta(&self, id: &str) -> StoreResult<Option<CaseMeta>> {
        let conn = self.read();
        let sql = format!("SELECT {META_COLS} FROM cases WHERE id = ?1");
        one(&conn, &sql, [id], meta_row)
    }

    fn load_case(&self, id: &str) -> StoreResult<Option<StoredCase>> {
        let conn = self.read();
        let sql = format!("SELECT {META_COLS}, snapshot FROM cases WHERE id = ?1");
        let found = conn
            .prepare_cached(&sql)
            .map_err(db)?
            .query_row([id], |r| Ok((meta_row(r)?, r.get::<_, Vec<u8>>(10)?)))
            .optional()
            .map_err(db)?;
        let Some((meta, snapshot)) = found else {
            return Ok(None);
        };
        let mut st = conn
            .prepare_cached("SELECT bytes FROM case_changes WHERE case_id = ?1 ORDER BY seq")
            .map_err(db)?;
        let chunks = st
            .query_map([id], |r| r.get::<_, Vec<u8>>(0))
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?;
        Ok(Some(StoredCase {
            meta,
            snapshot,
            chunks,
        }))
    }

    fn sync_state(&self, device_id: &str, case_id: &str) -> StoreResult<Option<Vec<u8>>> {
        let conn = self.read();
        one(
            &conn,
            "SELECT state FROM sync_states WHERE device_id = ?1 AND case_id = ?2",
            [device_id, case_id],
            |r| r.get(0),
        )
    }

    fn commit_sync(
        &self,
        cases: &[CaseWrite],
        states: &[SyncStateWrite],
        receipts: &[ReceiptRow],
    ) -> StoreResult<()> {
        let mut conn = self.write();
        let tx = conn.transaction().map_err(db)?;
        for c in cases {
            let m = &c.meta;
            let officers = m.officers.join(",");
            let heads = m.heads.join(",");
            match &c.doc {
                DocWrite::Replace(snapshot) => {
                    tx.execute(
                        "INSERT INTO cases (id, unit_id, title, stage, kind, created_by, officers, heads, snapshot, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                         ON CONFLICT(id) DO UPDATE SET unit_id = excluded.unit_id, title = excluded.title,
                           stage = excluded.stage, kind = excluded.kind, officers = excluded.officers,
                           heads = excluded.heads, snapshot = excluded.snapshot, updated_at = excluded.updated_at",
                        params![m.id, m.unit_id, m.title, m.stage, m.kind, m.created_by, officers, heads, snapshot, m.created_at, m.updated_at],
                    )
                    .map_err(db)?;
                    tx.execute("DELETE FROM case_changes WHERE case_id = ?1", [&m.id])
                        .map_err(db)?;
                }
                DocWrite::Append(chunk) => {
                    tx.execute(
                        "UPDATE cases SET unit_id = ?2, title = ?3, stage = ?4, kind = ?5, officers = ?6, heads = ?7, updated_at = ?8
                         WHERE id = ?1",
                        params![m.id, m.unit_id, m.title, m.stage, m.kind, officers, heads, m.updated_at],
                    )
                    .map_err(db)?;
                    tx.execute(
                        "INSERT INTO case_changes (case_id, seq, bytes)
                         VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes WHERE case_id = ?1), ?2)",
                        params![m.id, chunk],
                    )
                    .map_err(db)?;
                }
            }
            office::write_index(&tx, m, &c.index)?;
            tx.execute("DELETE FROM case_officers WHERE case_id = ?1", [&m.id])
                .map_err(db)?;
            for o in &m.officers {
                tx.execute(
                    "INSERT OR IGNORE INTO case_officers (account_id, case_id) VALUES (?1, ?2)",
                    params![o, m.id],
                )
                .map_err(db)?;
            }
            tx.execute("DELETE FROM case_media WHERE case_id = ?1", [&m.id])
                .map_err(db)?;
            for md in &c.media {
                tx.execute(
                    "INSERT OR REPLACE INTO case_media (case_id, sha256, mime, size, record_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![m.id, md.sha256, md.mime, md.size as i64, md.record_id],
                )
                .map_err(db)?;
            }
        }
        for s in states {
            tx.execute(
                "INSERT INTO sync_states (device_id, case_id, state) VALUES (?1, ?2, ?3)
                 ON CONFLICT(device_id, case_id) DO UPDATE SET state = excluded.state",
                params![s.device_id, s.case_id, s.state],
            )
            .map_err(db)?;
        }
        for r in receipts {
            tx.execute(
                "INSERT INTO receipts (case_id, device_id, heads, server_time, signature) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![r.case_id, r.device_id, r.heads, r.server_time, r.signature],
            )
            .map_err(db)?;
        }
        tx.commit().map_err(db)
    }

    fn receipts_of_case(&self, case_id: &str) -> StoreResult<Vec<ReceiptRow>> {
        let conn = self.read();
        let mut st = conn
            .prepare_cached(
                "SELECT case_id, device_id, heads, server_time, signature FROM receipts WHERE case_id = ?1 ORDER BY id DESC",
            )
            .map_err(db)?;
        let rows = st
            .query_map([case_id], |r| {
                Ok(ReceiptRow {
                    case_id: r.get(0)?,
                    device_id: r.get(1)?,
                    heads: r.get(2)?,
                    server_time: r.get(3)?,
                    signature: r.get(4)?,
                })
            })
            .map_err(db)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
    }

    fn case_media(&self, case_id: &str) -> StoreResult<Vec<CaseMedia>> {
        let conn = self.read();
        let mut st = conn
            .prepare_cached("SELECT sha256, mime, size, record_id FROM case_media WHERE case_id = ?1 ORDER BY record_id, sha256")
            .map_err(db)?;
        let rows = st
            .query_map([case_id], |r| {
                Ok(CaseMedia {
                    sha256: r.get(0)?,
                    mime: r.get(1)?,
                    size: r.get::<_, i64>(2)?.max(0) as u64,
                    record_id: r.get(3)?,
                })
            })
            .map_err(db)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
    }

    fn cases_with_media(&self, sha256: &str) -> StoreResult<Vec<CaseAccess>> {
        let conn = self.read();
        let mut st = conn
            .prepare_cached(
                "SELECT id, unit_id, officers, heads FROM cases WHERE id IN (SELECT case_id FROM case_media WHERE sha256 = ?1)",
            )
            .map_err(db)?;
        let rows = st.query_map([sha256], access_row).map_err(db)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
    }

    fn media(&self, sha256: &str) -> StoreResult<Option<MediaRecord>> {
        let conn = self.read();
        one(
            &conn,
            "SELECT sha256, size, uploaded_by, uploaded_at FROM media WHERE sha256 = ?1",
            [sha256],
            |r| {
                Ok(MediaRecord {
                    sha256: r.get(0)?,
                    size: r.get::<_, i64>(1)?.max(0) as u64,
                    uploaded_by: r.get(2)?,
                    uploaded_at: r.get(3)?,
                })
            },
        )
    }

    fn insert_media(&self, m: &MediaRecord) -> StoreResult<()> {
        self.write()
            .execute(
                "INSERT OR IGNORE INTO media (sha256, size, uploaded_by, uploaded_at) VALUES (?1, ?2, ?3, ?4)",
                params![m.sha256, m.size as i64, m.uploaded_by, m.uploaded_at],
            )
            .map_err(db)?;
        Ok(())
    }

    fn latest_calendar(&self) -> StoreResult<Option<StoredCalendar>> {
        self.read()
            .query_row(
                "SELECT version, json, loaded_at, loaded_by FROM calendars ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok(StoredCalendar {
                        version: r.get(0)?,
                        json: r.get(1)?,
                        loaded_at: r.get(2)?,
                        loaded_by: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(db)
    }

    fn save_calendar(&self, c: &StoredCalendar) -> StoreResult<()> {
        self.write()
            .execute(
                "INSERT INTO calendars (version, json, loaded_at, loaded_by) VALUES (?1, ?2, ?3, ?4)",
                params![c.version, c.json, c.loaded_at, c.loaded_by],
            )
            .map_err(db)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
