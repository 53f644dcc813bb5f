//! Media files known to the device and the upload queue.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::Store;
use crate::error::Result;

/// One media file as the device knows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaRow {
    /// SHA-256, hex.
    pub sha256: String,
    /// MIME type.
    pub mime: String,
    /// Size in bytes.
    pub size: u64,
    /// Case.
    pub case_id: String,
    /// Record.
    pub record_id: String,
    /// Capture time (RFC 3339).
    pub captured_at: String,
    /// Latitude, if known.
    pub lat: Option<f64>,
    /// Longitude, if known.
    pub lon: Option<f64>,
    /// SHA-256 of the thumbnail blob, for photos.
    pub thumb: Option<String>,
    /// Upload state: `pending`, `done`, `corrupt`.
    pub upload: String,
    /// Upload attempts so far.
    pub attempts: i64,
    /// Last upload error, in Chinese.
    pub last_error: Option<String>,
}

/// Upload state values.
pub mod upload_state {
    /// Waiting for upload.
    pub const PENDING: &str = "pending";
    /// The server has the whole file and verified its hash.
    pub const DONE: &str = "done";
    /// The local file no longer matches its hash: never uploaded as good.
    pub const CORRUPT: &str = "corrupt";
}

const COLS: &str = "m.sha256, m.mime, m.size, m.case_id, m.record_id, m.captured_at, m.lat, m.lon,
     m.thumb, COALESCE(u.state, 'done'), COALESCE(u.attempts, 0), u.last_error";

fn row_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<MediaRow> {
    Ok(MediaRow {
        sha256: r.get(0)?,
        mime: r.get(1)?,
        size: r.get::<_, i64>(2)? as u64,
        case_id: r.get(3)?,
        record_id: r.get(4)?,
        captured_at: r.get(5)?,
        lat: r.get(6)?,
        lon: r.get(7)?,
        thumb: r.get(8)?,
        upload: r.get(9)?,
        attempts: r.get(10)?,
        last_error: r.get(11)?,
    })
}

impl Store {
    /// Records a media file and queues it for upload (no-op if known).
    pub fn insert_media(&self, m: &MediaRow, ingested_at: &str) -> Result<()> {
        insert_media_on(&self.conn, m, ingested_at)
    }
}

/// Inserts a media row and its upload-queue row on a connection or transaction.
pub(crate) fn insert_media_on(
    conn: &rusqlite::Connection,
    m: &MediaRow,
    ingested_at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO media (sha256, mime, size, case_id, record_id, captured_at,
                 lat, lon, thumb, ingested_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            m.sha256,
            m.mime,
            m.size as i64,
            m.case_id,
            m.record_id,
            m.captured_at,
            m.lat,
            m.lon,
            m.thumb,
            ingested_at
        ],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO uploads (sha256, state) VALUES (?1, 'pending')",
        [&m.sha256],
    )?;
    Ok(())
}

impl Store {
    /// One media row.
    pub fn media(&self, sha256: &str) -> Result<Option<MediaRow>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLS} FROM media m LEFT JOIN uploads u USING (sha256)
                     WHERE m.sha256 = ?1"
                ),
                [sha256],
                row_of,
            )
            .optional()?)
    }

    /// Media of a case, or the whole upload queue when `case_id` is `None`.
    pub fn media_list(&self, case_id: Option<&str>) -> Result<Vec<MediaRow>> {
        let sql = format!(
            "SELECT {COLS} FROM media m LEFT JOIN uploads u USING (sha256)
             WHERE (?1 IS NULL OR m.case_id = ?1) ORDER BY m.ingested_at, m.sha256"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([case_id], row_of)?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r?);
        }
        Ok(out)
    }

    /// Sets a file's upload state.
    pub fn set_upload(&self, sha256: &str, state: &str, error: Option<&str>) -> Result<()> {
        self.conn.execute(
            "UPDATE uploads SET state = ?2, last_error = ?3,
                 attempts = attempts + CASE WHEN ?2 = 'done' THEN 0 ELSE 1 END
             WHERE sha256 = ?1",
            params![sha256, state, error],
        )?;
        Ok(())
    }
}
