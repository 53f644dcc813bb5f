//! The archive's index (案卷归档): one row per filed case, naming the ZIP
//! package kept under the data folder, its digest, who filed it and when,
//! and its retention period. The package itself is the record; this index
//! lets the console list and find packages without opening them.

use super::StoreResult;

/// One filed case's package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivePackage {
    /// Case id.
    pub case_id: String,
    /// Case title at filing.
    pub case_title: String,
    /// Case number in the manifest.
    pub case_number: String,
    /// File name under the archive folder.
    pub file_name: String,
    /// SHA-256 of the ZIP.
    pub sha256: String,
    /// Size of the ZIP in bytes.
    pub size: u64,
    /// When it was filed (RFC 3339).
    pub archived_at: String,
    /// Archivist's account id.
    pub archivist_id: String,
    /// Archivist's name.
    pub archivist_name: String,
    /// `永久`, `30年`, `10年`.
    pub retention: String,
    /// First day of appraisal for disposal (`YYYY-MM-DD`); `None` when 永久.
    pub dispose_from: Option<String>,
    /// Handling unit id (for listing scope).
    pub unit_id: String,
}

/// The archive index behind the store.
pub trait ArchiveStore {
    /// Records a filed case's package (one per case; a rebuilt package replaces it).
    fn save_archive_package(&self, package: &ArchivePackage) -> StoreResult<()>;
    /// The package of a case, if it was filed.
    fn archive_package(&self, case_id: &str) -> StoreResult<Option<ArchivePackage>>;
    /// Packages whose retention ends on or before `on` (`YYYY-MM-DD`),
    /// earliest first, at most `limit`.
    fn packages_due_for_disposal(&self, on: &str, limit: u64) -> StoreResult<Vec<ArchivePackage>>;
    /// Number of packages.
    fn archive_package_count(&self) -> StoreResult<u64>;
}
