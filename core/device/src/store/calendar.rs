//! The holiday calendar received from the server, and refreshing the
//! deadline columns of the summary rows when it changes.

use rusqlite::{params, TransactionBehavior};

use super::Store;
use crate::error::{DeviceError, Result};

/// Meta key: the server's calendar JSON (`cn_calendar.json` schema).
pub const CALENDAR_JSON: &str = "calendar";
/// Meta key: the version the server announced for it.
pub const CALENDAR_VERSION: &str = "calendar_version";

impl Store {
    /// Keeps the server's calendar and its version (one transaction).
    pub fn set_calendar(&mut self, json: &str, version: &str) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (k, v) in [(CALENDAR_JSON, json), (CALENDAR_VERSION, version)] {
            tx.execute(
                "INSERT INTO meta(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![k, v.as_bytes()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The version of the server calendar kept, if any.
    pub fn calendar_version(&self) -> Result<Option<String>> {
        Ok(self
            .meta(CALENDAR_VERSION)?
            .and_then(|b| String::from_utf8(b).ok()))
    }

    /// Rewrites a case's next-deadline columns (after a calendar change).
    pub fn set_next_due(&self, id: &str, due: Option<&str>, label: Option<&str>) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE cases SET next_due = ?2, next_due_label = ?3 WHERE id = ?1",
            params![id, due, label],
        )?;
        if n == 0 {
            return Err(DeviceError::CaseNotFound(id.to_string()));
        }
        Ok(())
    }
}
