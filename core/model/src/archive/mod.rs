//! The archived case file (案卷归档, 执法全过程记录制度 第二十二条、第二十三条):
//! the signed manifest of an archive package, its offline verification and
//! the retention periods. Pure: callers read and write the ZIP; this module
//! sees names and bytes.

pub mod manifest;
pub mod retention;
pub mod verify;

pub use manifest::{Archivist, FileKind, Manifest, ManifestFile, RetentionNote};
pub use retention::{Retention, RetentionPolicy};
pub use verify::{verify_package, PackageError, PackageReport};

/// File name of the manifest inside a package.
pub const MANIFEST_NAME: &str = "manifest.json";
/// File name of the case's Automerge document inside a package.
pub const DOCUMENT_NAME: &str = "case.automerge";
/// File name of the rendered 案卷 PDF inside a package.
pub const CASE_FILE_NAME: &str = "case-file.pdf";
/// Folder of the media files inside a package.
pub const MEDIA_DIR: &str = "media/";
