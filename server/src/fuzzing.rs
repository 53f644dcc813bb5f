//! Narrow entry points to the server's parsers of untrusted input, for the
//! fuzz targets in `fuzz/` (cargo feature `fuzzing`, off in the product).
//! Each one runs the same code a request runs; none touches the store.

use automerge::sync::Message;
use automerge::AutoCommit;
use axum::http::{HeaderMap, HeaderValue};
use zhifa_core::template::TemplateRegistry;

use crate::error::AppResult;

/// Decodes a sync message and parses every change it carries, as the sync
/// endpoint does before applying them: chunk splitting, the inflate budget
/// ([`crate::sync::inflate`]), change and document parsing. Returns how
/// many changes were parsed.
pub fn sync_message(bytes: &[u8]) -> AppResult<usize> {
    let msg = Message::decode(bytes)
        .map_err(|e| crate::error::AppError::BadRequest(format!("同步消息无法解析: {e}")))?;
    let mut doc = AutoCommit::new();
    let mut budget = crate::sync::inflate::MAX_INFLATED_BYTES;
    let changes = crate::sync::exchange::incoming_changes(&mut doc, &msg, &mut budget)?;
    Ok(changes.len())
}

/// The tus headers of an upload request, parsed as the upload routes do:
/// (Upload-Offset, Upload-Length, the sha256 of Upload-Metadata). A value
/// that is not a valid header value is left out, as a client cannot send it.
pub fn tus_headers(
    offset: &[u8],
    length: &[u8],
    metadata: &[u8],
) -> (
    AppResult<Option<u64>>,
    AppResult<Option<u64>>,
    AppResult<String>,
) {
    let mut h = HeaderMap::new();
    for (name, value) in [
        ("upload-offset", offset),
        ("upload-length", length),
        ("upload-metadata", metadata),
    ] {
        if let Ok(v) = HeaderValue::from_bytes(value) {
            h.insert(name, v);
        }
    }
    (
        crate::media::tus::header_u64(&h, "upload-offset"),
        crate::media::tus::header_u64(&h, "upload-length"),
        crate::media::tus::metadata_sha(&h),
    )
}

/// A console record form body, decoded as the record form's POST handler
/// decodes it, and every submitted field of every built-in template turned
/// into its JSON value. Returns how many values were accepted.
pub fn record_form(body: &[u8]) -> usize {
    let Ok(form) = serde_html_form::from_bytes::<Vec<(String, String)>>(body) else {
        return 0;
    };
    let mut accepted = 0;
    for tpl in TemplateRegistry::builtin().all() {
        for def in &tpl.fields {
            let name = format!("f.{}", def.key);
            let values: Vec<&str> = form
                .iter()
                .filter(|(k, _)| *k == name)
                .map(|(_, v)| v.as_str())
                .collect();
            if let Ok(Some(_)) = crate::console::records::value_of(def, &values) {
                accepted += 1;
            }
        }
    }
    accepted
}
