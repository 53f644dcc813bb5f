//! Cases: an Automerge snapshot plus incremental change chunks per case, and
//! one summary row per case so lists never load a document.

use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};
use serde::Serialize;

use super::media::{insert_media_on, MediaRow};
use super::Store;
use crate::error::{DeviceError, Result};

/// The columns a case list shows, kept up to date at every commit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Case id.
    pub id: String,
    /// Title.
    pub title: String,
    /// First party's name ('' if none yet).
    pub party: String,
    /// `inspection` or `penalty`.
    pub kind: String,
    /// Stage (snake_case, see `zhifa_core::case::Stage`).
    pub stage: String,
    /// Source (snake_case).
    pub source: String,
    /// Handling unit id.
    pub unit: String,
    /// Next open statutory due date, `YYYY-MM-DD`.
    pub next_due: Option<String>,
    /// What is due then (Chinese).
    pub next_due_label: Option<String>,
    /// Heads as hex (JSON array text), for the idle sync check.
    pub heads: Vec<String>,
    /// `local` (never synced), `dirty` (edited since sync), `synced`, `forbidden`.
    pub sync_state: String,
    /// Last local change (RFC 3339).
    pub updated_at: String,
}

/// What a list asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListFilter {
    /// Only this stage (snake_case).
    pub stage: Option<String>,
    /// Only this kind (snake_case).
    pub kind: Option<String>,
    /// Title or party contains this text.
    pub text: Option<String>,
    /// Only cases with a due date on or before this day (`YYYY-MM-DD`).
    pub due_by: Option<String>,
    /// Only cases not yet synced.
    pub unsynced: bool,
}

const SUMMARY_COLS: &str = "id, title, party, kind, stage, source, unit, next_due, \
     next_due_label, heads, sync_state, updated_at";

fn summary_of(r: &Row<'_>) -> rusqlite::Result<Summary> {
    let heads: String = r.get(9)?;
    Ok(Summary {
        id: r.get(0)?,
        title: r.get(1)?,
        party: r.get(2)?,
        kind: r.get(3)?,
        stage: r.get(4)?,
        source: r.get(5)?,
        unit: r.get(6)?,
        next_due: r.get(7)?,
        next_due_label: r.get(8)?,
        heads: serde_json::from_str(&heads).unwrap_or_default(),
        sync_state: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

/// A case as stored: the snapshot and the chunks after it.
pub struct StoredCase {
    /// `CaseDoc::save()` bytes.
    pub snapshot: Vec<u8>,
    /// `save_incremental()` chunks in order.
    pub chunks: Vec<Vec<u8>>,
    /// Sequence number of the last chunk (0 if none).
    pub last_seq: i64,
}

impl Store {
    /// Inserts a new case with its first snapshot (one transaction).
    pub fn insert_case(&mut self, snapshot: &[u8], s: &Summary) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: Option<i64> = tx
            .query_row("SELECT 1 FROM cases WHERE id = ?1", [&s.id], |r| r.get(0))
            .optional()?;
        if exists.is_some() {
            return Err(DeviceError::Invalid(format!("案件 {} 已在本机", s.id)));
        }
        tx.execute(
            "INSERT INTO cases (id, snapshot, title, party, kind, stage, source, unit, next_due,
                 next_due_label, heads, sync_state, chunks, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0, ?13)",
            params![
                s.id,
                snapshot,
                s.title,
                s.party,
                s.kind,
                s.stage,
                s.source,
                s.unit,
                s.next_due,
                s.next_due_label,
                serde_json::to_string(&s.heads).unwrap_or_default(),
                s.sync_state,
                s.updated_at
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Appends one change chunk and updates the summary, in one transaction.
    /// Returns the number of chunks now waiting for compaction.
    /// Media rows in `media` are recorded (and queued for upload) in the same
    /// transaction.
    pub fn append_change(
        &mut self,
        chunk: &[u8],
        s: &Summary,
        media: &[(MediaRow, String)],
    ) -> Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (m, at) in media {
            insert_media_on(&tx, m, at)?;
        }
        if !chunk.is_empty() {
            tx.execute(
                "INSERT INTO case_changes (case_id, chunk) VALUES (?1, ?2)",
                params![s.id, chunk],
            )?;
        }
        let n = tx.execute(
            "UPDATE cases SET title = ?2, party = ?3, kind = ?4, stage = ?5, source = ?6,
                 unit = ?7, next_due = ?8, next_due_label = ?9, heads = ?10, sync_state = ?11,
                 chunks = chunks + ?12, updated_at = ?13
             WHERE id = ?1",
            params![
                s.id,
                s.title,
                s.party,
                s.kind,
                s.stage,
                s.source,
                s.unit,
                s.next_due,
                s.next_due_label,
                serde_json::to_string(&s.heads).unwrap_or_default(),
                s.sync_state,
                i64::from(!chunk.is_empty()),
                s.updated_at
            ],
        )?;
        if n == 0 {
            return Err(DeviceError::CaseNotFound(s.id.clone()));
        }
        let chunks: i64 = tx.query_row("SELECT chunks FROM cases WHERE id = ?1", [&s.id], |r| {
            r.get(0)
        })?;
        tx.commit()?;
        Ok(chunks)
    }

    /// Reads a case's snapshot and chunks in one read transaction, so a
    /// compaction committed by another connection in between cannot make the
    /// snapshot older than the chunks it has already deleted.
    pub fn load_case(&self, id: &str) -> Result<StoredCase> {
        // A deferred transaction on `&self`: its first SELECT takes the WAL
        // read snapshot both statements then see. Dropped = rolled back.
        let tx = self.conn.unchecked_transaction()?;
        let snapshot: Vec<u8> = tx
            .query_row("SELECT snapshot FROM cases WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| DeviceError::CaseNotFound(id.to_string()))?;
        let mut chunks = Vec::new();
        let mut last_seq = 0;
        {
            let mut stmt = tx.prepare_cached(
                "SELECT seq, chunk FROM case_changes WHERE case_id = ?1 ORDER BY seq",
            )?;
            let rows =
                stmt.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
            for row in rows {
                let (seq, chunk) = row?;
                last_seq = seq;
                chunks.push(chunk);
            }
        }
        tx.commit()?;
        Ok(StoredCase {
            snapshot,
            chunks,
            last_seq,
        })
    }

    /// Number of change chunks stored for a case (waiting for compaction).
    pub fn chunk_count(&self, id: &str) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM case_changes WHERE case_id = ?1",
            [id],
            |r| r.get(0),
        )?)
    }

    /// Folds a case's change chunks into a new snapshot: loads snapshot and
    /// chunks (one read transaction), saves one snapshot, then replaces them
    /// (one write transaction). Returns `false` when there was nothing to do
    /// or another connection compacted the case in between (nothing written).
    pub fn compact_case(&mut self, id: &str) -> Result<bool> {
        let stored = self.load_case(id)?;
        if stored.chunks.is_empty() {
            return Ok(false);
        }
        let automerge_err = |e: automerge::AutomergeError| {
            DeviceError::Core(zhifa_core::CoreError::Automerge(e.to_string()))
        };
        let mut doc = automerge::AutoCommit::load(&stored.snapshot).map_err(automerge_err)?;
        for c in &stored.chunks {
            doc.load_incremental(c).map_err(automerge_err)?;
        }
        let snapshot = doc.save();
        self.compact(id, &snapshot, stored.last_seq, stored.chunks.len())
    }

    /// Replaces the snapshot by a compacted one covering the `folded` chunks
    /// up to `upto_seq`, and deletes those chunks (one transaction). Writes
    /// nothing and returns `false` if some of those chunks are gone already
    /// (another compaction won the race; its snapshot may be newer than ours).
    pub fn compact(
        &mut self,
        id: &str,
        snapshot: &[u8],
        upto_seq: i64,
        folded: usize,
    ) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let still_there: i64 = tx.query_row(
            "SELECT COUNT(*) FROM case_changes WHERE case_id = ?1 AND seq <= ?2",
            params![id, upto_seq],
            |r| r.get(0),
        )?;
        if usize::try_from(still_there).ok() != Some(folded) {
            return Ok(false);
        }
        let deleted = tx.execute(
            "DELETE FROM case_changes WHERE case_id = ?1 AND seq <= ?2",
            params![id, upto_seq],
        )?;
        tx.execute(
            "UPDATE cases SET snapshot = ?2, chunks = MAX(0, chunks - ?3) WHERE id = ?1",
            params![id, snapshot, deleted as i64],
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// One summary row.
    pub fn summary(&self, id: &str) -> Result<Summary> {
        self.conn
            .query_row(
                &format!("SELECT {SUMMARY_COLS} FROM cases WHERE id = ?1"),
                [id],
                summary_of,
            )
            .optional()?
            .ok_or_else(|| DeviceError::CaseNotFound(id.to_string()))
    }

    /// Summary rows matching a filter, most recently changed first. Reads only
    /// the summary columns: no document is loaded.
    pub fn list(&self, f: &ListFilter) -> Result<Vec<Summary>> {
        self.list_where(f, None)
    }

    /// The summary row of one case if it matches the filter.
    pub fn list_one(&self, f: &ListFilter, id: &str) -> Result<Option<Summary>> {
        Ok(self.list_where(f, Some(id))?.pop())
    }

    fn list_where(&self, f: &ListFilter, id: Option<&str>) -> Result<Vec<Summary>> {
        let mut sql = format!("SELECT {SUMMARY_COLS} FROM cases WHERE 1=1");
        let mut args: Vec<String> = Vec::new();
        if let Some(id) = id {
            args.push(id.to_string());
            sql.push_str(&format!(" AND id = ?{}", args.len()));
        }
        if let Some(s) = &f.stage {
            args.push(s.clone());
            sql.push_str(&format!(" AND stage = ?{}", args.len()));
        }
        if let Some(k) = &f.kind {
            args.push(k.clone());
            sql.push_str(&format!(" AND kind = ?{}", args.len()));
        }
        if let Some(t) = &f.text {
            args.push(format!("%{t}%"));
            let n = args.len();
            sql.push_str(&format!(" AND (title LIKE ?{n} OR party LIKE ?{n})"));
        }
        if let Some(d) = &f.due_by {
            args.push(d.clone());
            sql.push_str(&format!(
                " AND next_due IS NOT NULL AND next_due <= ?{}",
                args.len()
            ));
        }
        if f.unsynced {
            sql.push_str(" AND sync_state != 'synced'");
        }
        sql.push_str(" ORDER BY updated_at DESC, id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), summary_of)?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r?);
        }
        Ok(out)
    }

    /// Every case id with its heads (for the idle sync check).
    pub fn all_heads(&self) -> Result<Vec<(String, Vec<String>)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, heads FROM cases WHERE sync_state != 'forbidden'")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for r in rows {
            let (id, heads) = r?;
            out.push((id, serde_json::from_str(&heads).unwrap_or_default()));
        }
        Ok(out)
    }

    /// Sets the sync state column of a case.
    pub fn set_sync_state(&self, id: &str, state: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE cases SET sync_state = ?2 WHERE id = ?1",
            params![id, state],
        )?;
        Ok(())
    }

    /// The stored Automerge sync state and last receipt (JSON) of a case.
    pub fn sync_state(&self, id: &str) -> Result<(Option<Vec<u8>>, Option<String>)> {
        Ok(self
            .conn
            .query_row(
                "SELECT state, receipt FROM sync_states WHERE case_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((None, None)))
    }

    /// Stores the sync state and, if given, the receipt of a case.
    pub fn put_sync_state(&self, id: &str, state: &[u8], receipt: Option<&str>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sync_states (case_id, state, receipt) VALUES (?1, ?2, ?3)
             ON CONFLICT(case_id) DO UPDATE SET state = excluded.state,
                 receipt = COALESCE(excluded.receipt, sync_states.receipt)",
            params![id, state, receipt],
        )?;
        Ok(())
    }

    /// Replaces a case's document by `snapshot` (its change chunks
    /// deleted) and its summary row, and forgets its sync state (the receipt
    /// stays): one transaction.
    pub fn replace_case(&mut self, snapshot: &[u8], s: &Summary) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM case_changes WHERE case_id = ?1", [&s.id])?;
        tx.execute(
            "UPDATE sync_states SET state = NULL WHERE case_id = ?1",
            [&s.id],
        )?;
        let n = tx.execute(
            "UPDATE cases SET snapshot = ?2, title = ?3, party = ?4, kind = ?5, stage = ?6,
                 source = ?7, unit = ?8, next_due = ?9, next_due_label = ?10, heads = ?11,
                 sync_state = ?12, chunks = 0, updated_at = ?13
             WHERE id = ?1",
            params![
                s.id,
                snapshot,
                s.title,
                s.party,
                s.kind,
                s.stage,
                s.source,
                s.unit,
                s.next_due,
                s.next_due_label,
                serde_json::to_string(&s.heads).unwrap_or_default(),
                s.sync_state,
                s.updated_at
            ],
        )?;
        if n == 0 {
            return Err(DeviceError::CaseNotFound(s.id.clone()));
        }
        tx.commit()?;
        Ok(())
    }

    /// Deletes a case the server never stored: its document, changes and
    /// sync state (media files stay; they may be referenced elsewhere).
    pub fn delete_case(&mut self, id: &str) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM case_changes WHERE case_id = ?1", [id])?;
        tx.execute("DELETE FROM sync_states WHERE case_id = ?1", [id])?;
        tx.execute("DELETE FROM cases WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(())
    }

    /// Number of cases.
    pub fn case_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))?)
    }
}
