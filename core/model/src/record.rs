//! Records (文书) as read from the case document: the hydrated view, the
//! fields still missing, the content a seal covers. Field values live in
//! [`FieldValue`] (re-exported from the value module).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::seal::Seal;
use crate::template::{FieldDef, Template};
pub use crate::value::{FieldValue, QaPair};

/// A record as read from the case document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// Record id (UUID).
    pub id: String,
    /// Template id.
    pub template: String,
    /// Template version.
    pub template_version: u32,
    /// Revision number: 1 for the original, +1 per amendment.
    pub revision: u32,
    /// The record this one amends, if any.
    pub amends: Option<String>,
    /// Why it was amended.
    pub amend_reason: Option<String>,
    /// The record that superseded this one, if amended.
    pub superseded_by: Option<String>,
    /// Who created it.
    pub created_by: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// Field values by key.
    pub fields: BTreeMap<String, FieldValue>,
    /// SHA-256 of attached media files, in attach order.
    pub media: Vec<String>,
    /// The seal, once sealed.
    pub seal: Option<Seal>,
}

impl Record {
    /// Required fields of the template that are still empty.
    pub fn missing_required<'t>(&self, template: &'t Template) -> Vec<&'t FieldDef> {
        template
            .fields
            .iter()
            .filter(|f| {
                f.required
                    && !self
                        .fields
                        .get(&f.key)
                        .map(FieldValue::is_filled)
                        .unwrap_or(false)
            })
            .collect()
    }

    /// True once sealed.
    pub fn is_sealed(&self) -> bool {
        self.seal.is_some()
    }

    /// True when the record is sealed but its current content no longer
    /// matches the seal: an edit crossed the seal (a concurrent offline edit
    /// merged in, or a crafted change), or the seal's own content does not
    /// hash to its digest. Such a record must not be signed.
    pub fn seal_broken(&self) -> bool {
        self.seal.as_ref().is_some_and(|seal| {
            seal.content != self.content() || crate::seal::digest_of(&seal.content) != seal.digest
        })
    }

    /// The record's version: SHA-256 of its [`Record::content`]. A form
    /// carries the version it was shown at, so a stale or replayed
    /// submission is refused rather than overwriting a newer save.
    pub fn version(&self) -> String {
        crate::seal::digest_of(&self.content())
    }

    /// The canonical content of the record as it is now: what its seal
    /// covers (fields, media hashes, and for an amendment the amended record
    /// and the reason).
    pub fn content(&self) -> String {
        let amendment = if self.amends.is_some() || self.amend_reason.is_some() {
            Some((
                self.amends.as_deref().unwrap_or(""),
                self.amend_reason.as_deref().unwrap_or(""),
            ))
        } else {
            None
        };
        crate::seal::canonical_content(
            &self.id,
            self.revision,
            &self.template,
            self.template_version,
            &self.fields,
            &self.media,
            amendment,
        )
    }
}
