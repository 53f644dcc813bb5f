//! SQLite tables of the publication index and the public's feedback.

use rusqlite::{params, OptionalExtension, Row, Transaction};
use zhifa_core::publicity::PublicEntry;

use super::{db, SqliteStore};
use crate::store::publicity::{Feedback, PublicQuery, PublicityStore};
use crate::store::{StoreError, StoreResult};

/// Migration 4: the publication index and feedback. Clearing the case index
/// makes the start-up reindex fill the publication index for stored cases.
pub(super) const MIGRATION: &str = r#"
    CREATE TABLE publications (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL,
        published_on TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX publications_case ON publications(case_id);
    -- The searched columns apart from the bodies: a search scans a narrow table.
    CREATE TABLE publication_text (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        published_on TEXT NOT NULL,
        withdrawn INTEGER NOT NULL,
        search TEXT NOT NULL
    );
    CREATE INDEX publication_text_order ON publication_text(withdrawn, published_on DESC, id);
    -- Substring search of 3 characters or more through a trigram index.
    -- Its rowids are publication_text's.
    CREATE VIRTUAL TABLE publication_fts USING fts5(search, tokenize = 'trigram');
    CREATE TABLE feedback (
        id TEXT PRIMARY KEY,
        entry_id TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        text TEXT NOT NULL,
        contact TEXT NOT NULL,
        status TEXT NOT NULL,
        answer TEXT NOT NULL DEFAULT '',
        corrected INTEGER NOT NULL DEFAULT 0,
        cause TEXT NOT NULL DEFAULT '',
        answered_by TEXT NOT NULL DEFAULT '',
        answered_at TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX feedback_entry ON feedback(entry_id, status);
    DELETE FROM case_index;
"#;

/// Replaces the index rows of a case's entries (in the case write's transaction).
pub(super) fn write_publications(
    tx: &Transaction<'_>,
    case_id: &str,
    entries: &[PublicEntry],
) -> StoreResult<()> {
    // The trigram rows go by rowid: deleting by id would scan the index.
    tx.execute(
        "DELETE FROM publication_fts WHERE rowid IN (SELECT t.rowid FROM publication_text t
           JOIN publications p ON p.id = t.id WHERE p.case_id = ?1)",
        [case_id],
    )
    .map_err(db)?;
    tx.execute(
        "DELETE FROM publication_text WHERE id IN (SELECT id FROM publications WHERE case_id = ?1)",
        [case_id],
    )
    .map_err(db)?;
    tx.execute("DELETE FROM publications WHERE case_id = ?1", [case_id])
        .map_err(db)?;
    for e in entries {
        let search = [
            &e.title,
            &e.party,
            &e.decision_no,
            &e.facts,
            &e.result,
            &e.basis,
        ]
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join("\n");
        let body = serde_json::to_string(e).map_err(json_err)?;
        tx.execute(
            "INSERT OR REPLACE INTO publications (id, case_id, published_on, body)
             VALUES (?1, ?2, ?3, ?4)",
            params![e.id, case_id, e.published_on, body],
        )
        .map_err(db)?;
        tx.execute(
            "INSERT OR REPLACE INTO publication_text (id, kind, published_on, withdrawn, search)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![e.id, e.kind, e.published_on, e.withdrawn.is_some(), search],
        )
        .map_err(db)?;
        let rowid = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO publication_fts (rowid, search) VALUES (?1, ?2)",
            params![rowid, search],
        )
        .map_err(db)?;
    }
    Ok(())
}

fn json_err(e: serde_json::Error) -> StoreError {
    StoreError::Db(format!("publication body: {e}"))
}

fn entry(row: &Row<'_>) -> rusqlite::Result<String> {
    row.get(0)
}

fn parse(bodies: Vec<String>) -> StoreResult<Vec<PublicEntry>> {
    bodies
        .iter()
        .map(|b| serde_json::from_str(b).map_err(json_err))
        .collect()
}

fn feedback(r: &Row<'_>) -> rusqlite::Result<Feedback> {
    Ok(Feedback {
        id: r.get(0)?,
        entry_id: r.get(1)?,
        submitted_at: r.get(2)?,
        text: r.get(3)?,
        contact: r.get(4)?,
        status: r.get(5)?,
        answer: r.get(6)?,
        corrected: r.get(7)?,
        cause: r.get(8)?,
        answered_by: r.get(9)?,
        answered_at: r.get(10)?,
    })
}

const FEEDBACK_COLS: &str = "id, entry_id, submitted_at, text, contact, status, answer, corrected, cause, answered_by, answered_at";

impl PublicityStore for SqliteStore {
    fn public_page(&self, q: &PublicQuery) -> StoreResult<(Vec<PublicEntry>, u64)> {
        let mut wh = vec!["withdrawn = 0".to_string()];
        let mut args: Vec<String> = Vec::new();
        if let Some(t) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            if t.chars().count() >= 3 {
                // The trigram index finds substrings of 3 characters or more.
                args.push(format!("\"{}\"", t.replace('"', "\"\"")));
                wh.push(format!(
                    "rowid IN (SELECT rowid FROM publication_fts WHERE publication_fts MATCH ?{})",
                    args.len()
                ));
            } else {
                args.push(super::like(t));
                wh.push(format!("search LIKE ?{} ESCAPE '\\'", args.len()));
            }
        }
        if let Some(k) = q.kind.as_deref().filter(|k| !k.is_empty()) {
            args.push(k.to_string());
            wh.push(format!("kind = ?{}", args.len()));
        }
        if let Some(y) = q.year {
            args.push(format!("{y:04}-%"));
            wh.push(format!("published_on LIKE ?{}", args.len()));
        }
        let where_sql = wh.join(" AND ");
        let conn = self.read();
        let total: i64 = conn
            .query_row(
                &format!("SELECT COUNT(*) FROM publication_text WHERE {where_sql}"),
                rusqlite::params_from_iter(args.iter()),
                |r| r.get(0),
            )
            .map_err(db)?;
        let sql = format!(
            "SELECT p.body FROM publications p JOIN (
                 SELECT id, published_on FROM publication_text WHERE {where_sql}
                 ORDER BY published_on DESC, id LIMIT {} OFFSET {}
             ) t ON t.id = p.id ORDER BY t.published_on DESC, t.id",
            q.limit.min(200),
            q.offset
        );
        let mut stmt = conn.prepare_cached(&sql).map_err(db)?;
        let bodies = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), entry)
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<String>>>()
            .map_err(db)?;
        Ok((parse(bodies)?, total.max(0) as u64))
    }

    fn public_entry(&self, id: &str) -> StoreResult<Option<PublicEntry>> {
        let body: Option<String> = self
            .read()
            .query_row("SELECT body FROM publications WHERE id = ?1", [id], entry)
            .optional()
            .map_err(db)?;
        match body {
            Some(b) => Ok(Some(serde_json::from_str(&b).map_err(json_err)?)),
            None => Ok(None),
        }
    }

    fn public_year(&self, year: i32) -> StoreResult<Vec<PublicEntry>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached("SELECT body FROM publications WHERE published_on LIKE ?1")
            .map_err(db)?;
        let bodies = stmt
            .query_map([format!("{year:04}-%")], entry)
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<String>>>()
            .map_err(db)?;
        parse(bodies)
    }

    fn add_feedback(&self, f: &Feedback) -> StoreResult<()> {
        self.write()
            .execute(
                "INSERT INTO feedback (id, entry_id, submitted_at, text, contact, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    f.id,
                    f.entry_id,
                    f.submitted_at,
                    f.text,
                    f.contact,
                    f.status
                ],
            )
            .map_err(db)?;
        Ok(())
    }

    fn feedback_list(&self, status: Option<&str>) -> StoreResult<Vec<Feedback>> {
        let conn = self.read();
        let (sql, args): (String, Vec<String>) = match status {
            Some(s) => (
                format!("SELECT {FEEDBACK_COLS} FROM feedback WHERE status = ?1 ORDER BY submitted_at DESC LIMIT 500"),
                vec![s.to_string()],
            ),
            None => (
                format!("SELECT {FEEDBACK_COLS} FROM feedback ORDER BY submitted_at DESC LIMIT 500"),
                Vec::new(),
            ),
        };
        let mut stmt = conn.prepare_cached(&sql).map_err(db)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), feedback)
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?;
        Ok(rows)
    }

    fn entry_feedback(&self, entry_id: &str) -> StoreResult<Vec<Feedback>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {FEEDBACK_COLS} FROM feedback WHERE entry_id = ?1 AND status = 'answered'
                 ORDER BY answered_at"
            ))
            .map_err(db)?;
        let rows = stmt
            .query_map([entry_id], feedback)
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?;
        Ok(rows)
    }

    fn answer_feedback(&self, f: &Feedback) -> StoreResult<bool> {
        let n = self
            .write()
            .execute(
                "UPDATE feedback SET status = 'answered', answer = ?2, corrected = ?3, cause = ?4,
                   answered_by = ?5, answered_at = ?6 WHERE id = ?1",
                params![
                    f.id,
                    f.answer,
                    f.corrected,
                    f.cause,
                    f.answered_by,
                    f.answered_at
                ],
            )
            .map_err(db)?;
        Ok(n > 0)
    }
}

/// Migration 5: the 双随机 registry and tasks.
pub(super) const RANDOM_MIGRATION: &str = r#"
    CREATE TABLE inspection_targets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE TABLE random_tasks (
        id TEXT PRIMARY KEY,
        drawn_at TEXT NOT NULL,
        body TEXT NOT NULL
    );
"#;

/// The JSON bodies `sql` selects (one column), parsed.
fn bodies_of<T: serde::de::DeserializeOwned>(
    store: &SqliteStore,
    sql: &str,
) -> StoreResult<Vec<T>> {
    let conn = store.read();
    let mut stmt = conn.prepare_cached(sql).map_err(db)?;
    let bodies = stmt
        .query_map([], entry)
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<String>>>()
        .map_err(db)?;
    bodies
        .iter()
        .map(|b| serde_json::from_str(b).map_err(json_err))
        .collect()
}

impl crate::store::publicity::RandomStore for SqliteStore {
    fn add_target(&self, t: &crate::store::publicity::Target) -> StoreResult<()> {
        let body = serde_json::to_string(t).map_err(json_err)?;
        self.write()
            .execute(
                "INSERT INTO inspection_targets (id, name, body) VALUES (?1, ?2, ?3)",
                params![t.id, t.name, body],
            )
            .map_err(db)?;
        Ok(())
    }

    fn targets(&self) -> StoreResult<Vec<crate::store::publicity::Target>> {
        bodies_of(
            self,
            "SELECT body FROM inspection_targets ORDER BY name, id",
        )
    }

    fn add_random_task(&self, t: &crate::store::publicity::RandomTask) -> StoreResult<()> {
        let body = serde_json::to_string(t).map_err(json_err)?;
        self.write()
            .execute(
                "INSERT INTO random_tasks (id, drawn_at, body) VALUES (?1, ?2, ?3)",
                params![t.id, t.drawn_at, body],
            )
            .map_err(db)?;
        Ok(())
    }

    fn random_tasks(&self) -> StoreResult<Vec<crate::store::publicity::RandomTask>> {
        bodies_of(
            self,
            "SELECT body FROM random_tasks ORDER BY drawn_at DESC, id",
        )
    }
}
