//! SQLite table of the 事前公开 items.

use rusqlite::params;

use super::{db, one, SqliteStore};
use crate::store::disclosure::{DisclosureItem, DisclosureStore};
use crate::store::{StoreError, StoreResult};

/// Migration 6: the 事前公开 items (one JSON body per item).
pub(super) const MIGRATION: &str = r#"
    CREATE TABLE disclosure_items (
        id TEXT PRIMARY KEY,
        section TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revision INTEGER NOT NULL,
        body TEXT NOT NULL
    );
"#;

fn json_err(e: serde_json::Error) -> StoreError {
    StoreError::Db(format!("disclosure body: {e}"))
}

impl DisclosureStore for SqliteStore {
    fn disclosure_items(&self) -> StoreResult<Vec<DisclosureItem>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached("SELECT body FROM disclosure_items ORDER BY created_at, id")
            .map_err(db)?;
        let bodies = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<String>>>()
            .map_err(db)?;
        bodies
            .iter()
            .map(|b| serde_json::from_str(b).map_err(json_err))
            .collect()
    }

    fn disclosure_item(&self, id: &str) -> StoreResult<Option<DisclosureItem>> {
        let conn = self.read();
        let body = one(
            &conn,
            "SELECT body FROM disclosure_items WHERE id = ?1",
            [id],
            |r| r.get::<_, String>(0),
        )?;
        body.map(|b| serde_json::from_str(&b).map_err(json_err))
            .transpose()
    }

    fn save_disclosure_item(
        &self,
        item: &DisclosureItem,
        read_revision: Option<u64>,
    ) -> StoreResult<bool> {
        let body = serde_json::to_string(item).map_err(json_err)?;
        let rev = i64::try_from(item.revision).map_err(|_| StoreError::Db("revision".into()))?;
        let conn = self.write();
        let n = match read_revision {
            None => conn
                .execute(
                    "INSERT INTO disclosure_items (id, section, created_at, revision, body)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![item.id, item.section, item.created_at, rev, body],
                )
                .map_err(db)?,
            Some(read) => {
                let read = i64::try_from(read).map_err(|_| StoreError::Db("revision".into()))?;
                conn.execute(
                    "UPDATE disclosure_items SET section = ?2, revision = ?3, body = ?4
                     WHERE id = ?1 AND revision = ?5",
                    params![item.id, item.section, rev, body, read],
                )
                .map_err(db)?
            }
        };
        Ok(n > 0)
    }
}
