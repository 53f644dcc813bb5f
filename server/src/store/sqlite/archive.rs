//! SQLite table of the archive index (migration 7).

use rusqlite::{params, Row};

use super::{db, one, SqliteStore};
use crate::store::archive::{ArchivePackage, ArchiveStore};
use crate::store::StoreResult;

/// Migration 7: the archive packages.
pub(super) const MIGRATION: &str = r#"
    CREATE TABLE archive_packages (
        case_id TEXT PRIMARY KEY,
        case_title TEXT NOT NULL,
        case_number TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        archived_at TEXT NOT NULL,
        archivist_id TEXT NOT NULL,
        archivist_name TEXT NOT NULL,
        retention TEXT NOT NULL,
        dispose_from TEXT,
        unit_id TEXT NOT NULL
    );
    CREATE INDEX archive_packages_dispose ON archive_packages(dispose_from);
"#;

const COLUMNS: &str = "case_id, case_title, case_number, file_name, sha256, size, archived_at, \
     archivist_id, archivist_name, retention, dispose_from, unit_id";

fn package(r: &Row<'_>) -> rusqlite::Result<ArchivePackage> {
    Ok(ArchivePackage {
        case_id: r.get(0)?,
        case_title: r.get(1)?,
        case_number: r.get(2)?,
        file_name: r.get(3)?,
        sha256: r.get(4)?,
        size: r.get::<_, i64>(5)?.max(0) as u64,
        archived_at: r.get(6)?,
        archivist_id: r.get(7)?,
        archivist_name: r.get(8)?,
        retention: r.get(9)?,
        dispose_from: r.get(10)?,
        unit_id: r.get(11)?,
    })
}

impl ArchiveStore for SqliteStore {
    fn save_archive_package(&self, p: &ArchivePackage) -> StoreResult<()> {
        let conn = self.write();
        conn.execute(
            &format!("INSERT OR REPLACE INTO archive_packages ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
            params![
                p.case_id,
                p.case_title,
                p.case_number,
                p.file_name,
                p.sha256,
                i64::try_from(p.size).unwrap_or(i64::MAX),
                p.archived_at,
                p.archivist_id,
                p.archivist_name,
                p.retention,
                p.dispose_from,
                p.unit_id,
            ],
        )
        .map_err(db)?;
        Ok(())
    }

    fn archive_package(&self, case_id: &str) -> StoreResult<Option<ArchivePackage>> {
        let conn = self.read();
        one(
            &conn,
            &format!("SELECT {COLUMNS} FROM archive_packages WHERE case_id = ?1"),
            [case_id],
            package,
        )
    }

    fn packages_due_for_disposal(&self, on: &str, limit: u64) -> StoreResult<Vec<ArchivePackage>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM archive_packages \
                 WHERE dispose_from IS NOT NULL AND dispose_from <= ?1 \
                 ORDER BY dispose_from, case_id LIMIT ?2"
            ))
            .map_err(db)?;
        let rows = stmt
            .query_map(
                params![on, i64::try_from(limit).unwrap_or(i64::MAX)],
                package,
            )
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?;
        Ok(rows)
    }

    fn archive_package_count(&self) -> StoreResult<u64> {
        let conn = self.read();
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM archive_packages", [], |r| r.get(0))
            .map_err(db)?;
        Ok(n.max(0) as u64)
    }
}
