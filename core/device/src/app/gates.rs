//! Helpers shared by the commands: templates, the gates that block the
//! next stage (`zhifa_core::rules`), record summaries.

use std::collections::BTreeSet;

use zhifa_core::doc::Case;
use zhifa_core::record::Record;
use zhifa_core::rules::{self, GateInput, RuleProfile};
use zhifa_core::template::{Template, TemplateRegistry};

use super::views::*;
use super::Inner;
use crate::error::Result;

/// The newest version of a template.
pub(crate) fn template(id: &str) -> Result<&'static Template> {
    Ok(TemplateRegistry::builtin().latest(id)?)
}

/// The case's media files present on this device.
pub(crate) fn present_media(inner: &Inner, case: &Case) -> BTreeSet<String> {
    case.media
        .keys()
        .filter(|h| inner.blobs.has(h))
        .cloned()
        .collect()
}

/// The unmet gates for the case's next stage, as Chinese lines.
pub(crate) fn blocking(inner: &Inner, case: &Case) -> Vec<String> {
    let Some(next) = case.header.stage.next() else {
        return Vec::new();
    };
    let present = present_media(inner, case);
    let profile = RuleProfile::default();
    let input = GateInput {
        case,
        profile: &profile,
        present_media: Some(&present),
    };
    rules::blocking(&input, next)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// A record's row in the case view: missing fields and signatures.
/// `superseded` only for a real amendment ([`zhifa_core::doc::Case::is_superseded`]):
/// a forged `superseded_by` does not hide a record.
pub(crate) fn record_item(case: &Case, r: &Record) -> RecordItem {
    let tpl = TemplateRegistry::builtin()
        .get(&r.template, r.template_version)
        .ok();
    RecordItem {
        id: r.id.clone(),
        template: r.template.clone(),
        name: tpl.map(|t| t.name.clone()).unwrap_or_default(),
        revision: r.revision,
        sealed: r.is_sealed(),
        seal_broken: r.seal_broken(),
        superseded: case.is_superseded(r),
        missing_fields: tpl
            .map(|t| {
                r.missing_required(t)
                    .iter()
                    .map(|f| f.label.clone())
                    .collect()
            })
            .unwrap_or_default(),
        missing_signatures: tpl
            .map(|t| rules::missing_signatures(r, t))
            .unwrap_or_default(),
        media: super::views::count(r.media.len()),
    }
}
