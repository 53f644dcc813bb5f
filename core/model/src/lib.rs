//! zhifa-core: the law of a Zhifa enforcement case, without I/O.
//!
//! - [`case`]: cases, parties, officers, stages, sources, history.
//! - [`template`] and [`record`]: record templates as data and typed values.
//! - [`media`]: media references (files live outside the document).
//! - [`seal`]: canonical content, seals, signatures, refusals.
//! - [`canonical`]: the canonical JSON form seals are made over (RFC 8785 for sealed content).
//! - [`credential`]: signed electronic enforcement credentials (电子执法证).
//! - [`doc`]: the Automerge schema of a case and merge conflict detection.
//! - [`rules`]: stage gates, each citing the article it enforces.
//! - [`authority`]: which office role may take which action on a case.
//! - [`deadlines`]: Chinese working days and statutory periods.
//! - [`sync`]: the sync protocol's wire types, shared by server and devices.
//! - [`mask`]: masking of personal data for display and publication.
//! - [`history`]: the case history in words (names, labels, record names).
//! - [`input`]: field input as people type it (local times, officers by name).
//! - [`limits`]: length limits of free text outside the templates.
#![warn(missing_docs)]

pub mod archive;
pub mod authority;
pub mod canonical;
pub mod case;
pub mod credential;
pub mod dates;
pub mod deadlines;
pub mod doc;
pub mod error;
pub mod history;
pub mod identity;
pub mod input;
pub mod limits;
pub mod mask;
pub mod media;
pub mod publicity;
pub mod random_draw;
pub mod record;
pub mod rules;
pub mod seal;
pub mod sync;
pub mod template;
pub mod value;

pub use error::{CoreError, Result};

/// The wire (serde, snake_case) name of a unit enum value, e.g.
/// `record_sealed` for `EventKind::RecordSealed`; empty for other values.
pub fn wire_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
