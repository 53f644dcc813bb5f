//! SQLite implementation of [`OfficeStore`]: case index, browser sessions,
//! office keys and the media access log (migration 3).

use rusqlite::{params, params_from_iter, Transaction};

use super::{db, like, one, SqliteStore};
use crate::store::{
    AccountEdit, CaseFilter, CaseIndex, CaseMeta, CasePage, CaseRow, CaseScope, CredentialInfo,
    IndexedObligation, MediaAccess, ObligationRow, OfficeKeyRow, OfficeStore, StoreResult,
    WebSession,
};

/// Migration 3: the office half.
pub(super) const MIGRATION: &str = r#"
    CREATE TABLE case_index (
        case_id TEXT PRIMARY KEY,
        unit_id TEXT NOT NULL,
        title TEXT NOT NULL,
        stage TEXT NOT NULL,
        kind TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sort_due TEXT NOT NULL,
        source TEXT NOT NULL,
        procedure TEXT NOT NULL,
        parties TEXT NOT NULL,
        officer_names TEXT NOT NULL,
        next_due TEXT,
        next_due_label TEXT
    ) WITHOUT ROWID;
    CREATE INDEX case_index_order ON case_index(sort_due, updated_at DESC);
    CREATE INDEX case_index_unit ON case_index(unit_id, sort_due, updated_at DESC);
    CREATE TABLE web_sessions (
        token_hash BLOB PRIMARY KEY,
        account_id TEXT NOT NULL,
        csrf TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
    );
    CREATE TABLE office_keys (
        account_id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        actor_id TEXT NOT NULL UNIQUE,
        public_key TEXT NOT NULL,
        secret_sealed BLOB NOT NULL
    );
    CREATE TABLE media_access (
        id INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        account_id TEXT NOT NULL,
        action TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX media_access_case ON media_access(case_id);
    CREATE TABLE case_obligations (
        case_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        title TEXT NOT NULL,
        citation TEXT NOT NULL,
        due TEXT NOT NULL,
        provisional INTEGER NOT NULL,
        PRIMARY KEY (case_id, seq)
    ) WITHOUT ROWID;
    CREATE INDEX case_obligations_due ON case_obligations(due);
    CREATE TABLE credentials (
        account_id TEXT PRIMARY KEY REFERENCES accounts(id),
        scope TEXT NOT NULL,
        valid_until TEXT NOT NULL
    );
"#;

/// Sorts cases without a statutory deadline after every dated one.
const NO_DUE: &str = "9999-99-99";

/// Writes a case's index row (the list's columns, copied so the list reads
/// one table in its sort order) inside a case write's transaction.
pub(super) fn write_index(tx: &Transaction<'_>, m: &CaseMeta, i: &CaseIndex) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO case_index (case_id, unit_id, title, stage, kind, updated_at, sort_due,
                                 source, procedure, parties, officer_names, next_due, next_due_label)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT(case_id) DO UPDATE SET unit_id = excluded.unit_id, title = excluded.title,
           stage = excluded.stage, kind = excluded.kind, updated_at = excluded.updated_at,
           sort_due = excluded.sort_due, source = excluded.source, procedure = excluded.procedure,
           parties = excluded.parties, officer_names = excluded.officer_names,
           next_due = excluded.next_due, next_due_label = excluded.next_due_label",
        params![
            m.id,
            m.unit_id,
            m.title,
            m.stage,
            m.kind,
            m.updated_at,
            i.next_due.as_deref().unwrap_or(NO_DUE),
            i.source,
            i.procedure,
            i.parties,
            i.officer_names,
            i.next_due,
            i.next_due_label
        ],
    )
    .map_err(db)?;
    tx.execute("DELETE FROM case_obligations WHERE case_id = ?1", [&m.id])
        .map_err(db)?;
    for (seq, o) in i.obligations.iter().enumerate() {
        tx.execute(
            "INSERT INTO case_obligations (case_id, seq, title, citation, due, provisional) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![m.id, seq as i64, o.title, o.citation, o.due, o.provisional],
        )
        .map_err(db)?;
    }
    super::publicity::write_publications(tx, &m.id, &i.publications)
}

/// The WHERE clause and its parameters for a scope and a filter.
fn where_clause(scope: &CaseScope, f: &CaseFilter) -> (String, Vec<String>) {
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<String> = Vec::new();
    let arg = |v: String, args: &mut Vec<String>| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let CaseScope::Mine { account_id, unit } = scope {
        // Written as EXISTS, not IN (…) OR …: SQLite then walks the list's
        // order index and stops after a page, instead of a multi-index OR
        // followed by a sort of every case in scope (17 ms vs 0.1 ms at 20,000).
        let a = arg(account_id.clone(), &mut args);
        let mine = format!(
            "EXISTS (SELECT 1 FROM case_officers o WHERE o.account_id = {a} AND o.case_id = i.case_id)"
        );
        clauses.push(match unit {
            Some(u) => format!("(i.unit_id = {} OR {mine})", arg(u.clone(), &mut args)),
            None => mine,
        });
    }
    if let Some(v) = &f.unit {
        clauses.push(format!("i.unit_id = {}", arg(v.clone(), &mut args)));
    }
    if let Some(v) = &f.stage {
        clauses.push(format!("i.stage = {}", arg(v.clone(), &mut args)));
    }
    if let Some(v) = &f.officer {
        let a = arg(v.clone(), &mut args);
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM case_officers o WHERE o.account_id = {a} AND o.case_id = i.case_id)"
        ));
    }
    if let Some(v) = &f.source {
        clauses.push(format!("i.source = {}", arg(v.clone(), &mut args)));
    }
    if let Some(v) = &f.party {
        clauses.push(format!(
            "i.parties LIKE {} ESCAPE '\\'",
            arg(like(v), &mut args)
        ));
    }
    if let Some(v) = &f.text {
        let a = arg(like(v), &mut args);
        clauses.push(format!(
            "(i.title LIKE {a} ESCAPE '\\' OR i.parties LIKE {a} ESCAPE '\\')"
        ));
    }
    if let Some(v) = &f.due_by {
        clauses.push(format!("i.next_due <= {}", arg(v.clone(), &mut args)));
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (sql, args)
}

impl OfficeStore for SqliteStore {
    fn case_page(
        &self,
        scope: &CaseScope,
        filter: &CaseFilter,
        offset: u64,
        limit: u64,
    ) -> StoreResult<CasePage> {
        let (clause, args) = where_clause(scope, filter);
        let conn = self.read();
        let from = "FROM case_index i";
        let total: i64 = conn
            .prepare_cached(&format!("SELECT COUNT(*) {from} {clause}"))
            .map_err(db)?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))
            .map_err(db)?;
        let sql = format!(
            "SELECT i.case_id, i.title, i.unit_id, i.stage, i.kind, i.updated_at,
                    i.source, i.procedure, i.parties, i.officer_names, i.next_due, i.next_due_label
             {from} {clause}
             ORDER BY i.sort_due, i.updated_at DESC
             LIMIT {} OFFSET {}",
            limit.min(1000),
            offset
        );
        let mut st = conn.prepare_cached(&sql).map_err(db)?;
        let rows = st
            .query_map(params_from_iter(args.iter()), |r| {
                Ok(CaseRow {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    unit_id: r.get(2)?,
                    stage: r.get(3)?,
                    kind: r.get(4)?,
                    updated_at: r.get(5)?,
                    index: CaseIndex {
                        source: r.get(6)?,
                        procedure: r.get(7)?,
                        parties: r.get(8)?,
                        officer_names: r.get(9)?,
                        next_due: r.get(10)?,
                        next_due_label: r.get(11)?,
                        // The list does not show them; the dashboard reads them apart.
                        obligations: Vec::new(),
                        publications: Vec::new(),
                    },
                })
            })
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?;
        Ok(CasePage {
            rows,
            total: total.max(0) as u64,
        })
    }

    fn open_obligations(
        &self,
        scope: &CaseScope,
        due_by: &str,
        limit: u64,
    ) -> StoreResult<Vec<ObligationRow>> {
        let (clause, mut args) = where_clause(scope, &CaseFilter::default());
        args.push(due_by.to_string());
        let due = format!("o.due <= ?{}", args.len());
        let clause = if clause.is_empty() {
            format!("WHERE {due}")
        } else {
            format!("{clause} AND {due}")
        };
        let sql = format!(
            "SELECT i.case_id, i.title, i.unit_id, i.officer_names, o.title, o.citation, o.due, o.provisional
             FROM case_obligations o JOIN case_index i ON i.case_id = o.case_id
             {clause} ORDER BY o.due, i.case_id LIMIT {}",
            limit.min(5000)
        );
        let conn = self.read();
        let mut st = conn.prepare_cached(&sql).map_err(db)?;
        let rows = st
            .query_map(params_from_iter(args.iter()), |r| {
                Ok(ObligationRow {
                    case_id: r.get(0)?,
                    case_title: r.get(1)?,
                    unit_id: r.get(2)?,
                    officer_names: r.get(3)?,
                    obligation: IndexedObligation {
                        title: r.get(4)?,
                        citation: r.get(5)?,
                        due: r.get(6)?,
                        provisional: r.get(7)?,
                    },
                })
            })
            .map_err(db)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
    }

    fn unindexed_cases(&self) -> StoreResult<Vec<String>> {
        let conn = self.read();
        let mut st = conn
            .prepare_cached(
                "SELECT id FROM cases WHERE id NOT IN (SELECT case_id FROM case_index) ORDER BY id",
            )
            .map_err(db)?;
        let rows = st.query_map([], |r| r.get(0)).map_err(db)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
    }

    fn put_index(&self, meta: &CaseMeta, index: &CaseIndex) -> StoreResult<()> {
        let mut conn = self.write();
        let tx = conn.transaction().map_err(db)?;
        write_index(&tx, meta, index)?;
        tx.commit().map_err(db)
    }

    fn create_web_session(&self, s: &WebSession) -> StoreResult<()> {
        self.write()
            .execute(
                "INSERT INTO web_sessions (token_hash, account_id, csrf, created_at, last_seen) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![&s.token_hash[..], s.account_id, s.csrf, s.created_at, s.last_seen],
            )
            .map_err(db)?;
        Ok(())
    }

    fn web_session(&self, token_hash: &[u8; 32]) -> StoreResult<Option<WebSession>> {
        let conn = self.read();
        one(
            &conn,
            "SELECT account_id, csrf, created_at, last_seen FROM web_sessions WHERE token_hash = ?1",
            [&token_hash[..]],
            |r| {
                Ok(WebSession {
                    token_hash: *token_hash,
                    account_id: r.get(0)?,
                    csrf: r.get(1)?,
                    created_at: r.get(2)?,
                    last_seen: r.get(3)?,
                })
            },
        )
    }

    fn touch_web_session(&self, token_hash: &[u8; 32], at: i64) -> StoreResult<()> {
        self.write()
            .execute(
                "UPDATE web_sessions SET last_seen = ?2 WHERE token_hash = ?1",
                params![&token_hash[..], at],
            )
            .map_err(db)?;
        Ok(())
    }

    fn delete_web_session(&self, token_hash: &[u8; 32]) -> StoreResult<()> {
        self.write()
            .execute(
                "DELETE FROM web_sessions WHERE token_hash = ?1",
                [&token_hash[..]],
            )
            .map_err(db)?;
        Ok(())
    }

    fn office_key(&self, account_id: &str) -> StoreResult<Option<OfficeKeyRow>> {
        let conn = self.read();
        one(
            &conn,
            "SELECT account_id, device_id, actor_id, public_key, secret_sealed FROM office_keys WHERE account_id = ?1",
            [account_id],
            |r| {
                Ok(OfficeKeyRow {
                    account_id: r.get(0)?,
                    device_id: r.get(1)?,
                    actor_id: r.get(2)?,
                    public_key: r.get(3)?,
                    secret_sealed: r.get(4)?,
                })
            },
        )
    }

    fn insert_office_key(&self, k: &OfficeKeyRow) -> StoreResult<()> {
        self.write()
            .execute(
                "INSERT INTO office_keys (account_id, device_id, actor_id, public_key, secret_sealed) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![k.account_id, k.device_id, k.actor_id, k.public_key, k.secret_sealed],
            )
            .map_err(db)?;
        Ok(())
    }

    fn update_account(&self, id: &str, e: &AccountEdit) -> StoreResult<bool> {
        let roles = e
            .roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let mut conn = self.write();
        let tx = conn.transaction().map_err(db)?;
        let n = tx
            .execute(
                "UPDATE accounts SET name = ?2, post = ?3, credential_no = ?4, unit_id = ?5, roles = ?6 WHERE id = ?1",
                params![id, e.name, e.post, e.credential_no, e.unit_id, roles],
            )
            .map_err(db)?;
        if n > 0 {
            tx.execute(
                "INSERT INTO credentials (account_id, scope, valid_until) VALUES (?1, ?2, ?3)
                 ON CONFLICT(account_id) DO UPDATE SET scope = excluded.scope, valid_until = excluded.valid_until",
                params![id, e.credential.scope, e.credential.valid_until],
            )
            .map_err(db)?;
        }
        tx.commit().map_err(db)?;
        Ok(n > 0)
    }

    fn set_account_active(&self, id: &str, active: bool) -> StoreResult<bool> {
        let status = if active { "active" } else { "suspended" };
        let n = self
            .write()
            .execute(
                "UPDATE accounts SET active = ?2, status = ?3 WHERE id = ?1",
                params![id, active, status],
            )
            .map_err(db)?;
        if !active {
            self.write()
                .execute("DELETE FROM web_sessions WHERE account_id = ?1", [id])
                .map_err(db)?;
        }
        Ok(n > 0)
    }

    fn credential_infos(&self) -> StoreResult<Vec<(String, CredentialInfo)>> {
        let conn = self.read();
        let mut st = conn
            .prepare_cached("SELECT account_id, scope, valid_until FROM credentials")
            .map_err(db)?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    CredentialInfo {
                        scope: r.get(1)?,
                        valid_until: r.get(2)?,
                    },
                ))
            })
            .map_err(db)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
    }

    fn log_media_access(&self, a: &MediaAccess) -> StoreResult<()> {
        self.write()
            .execute(
                "INSERT INTO media_access (case_id, sha256, account_id, action, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![a.case_id, a.sha256, a.account_id, a.action, a.at],
            )
            .map_err(db)?;
        Ok(())
    }

    fn media_accesses(&self, case_id: &str) -> StoreResult<Vec<MediaAccess>> {
        let conn = self.read();
        let mut st = conn
            .prepare_cached(
                "SELECT case_id, sha256, account_id, action, at FROM media_access WHERE case_id = ?1 ORDER BY id DESC LIMIT 200",
            )
            .map_err(db)?;
        let rows = st
            .query_map([case_id], |r| {
                Ok(MediaAccess {
                    case_id: r.get(0)?,
                    sha256: r.get(1)?,
                    account_id: r.get(2)?,
                    action: r.get(3)?,
                    at: r.get(4)?,
                })
            })
            .map_err(db)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
    }
}

#[cfg(test)]
mod tests {
    use super::like;

    #[test]
    fn like_escapes_wildcards() {
        assert_eq!(like("档案"), "%档案%");
        assert_eq!(like("50%_\\"), "%50\\%\\_\\\\%");
    }
}
