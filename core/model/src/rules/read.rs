//! Reading records for the gates: the current records of a case, a
//! record's template, its fields by type, and how a message names it.

use crate::doc::Case;
use crate::record::{FieldValue, Record};
use crate::template::{Template, TemplateRegistry};

/// The template a record was made from.
pub(super) fn template_of(r: &Record) -> Option<&'static Template> {
    TemplateRegistry::builtin()
        .get(&r.template, r.template_version)
        .ok()
}

/// The records not superseded by an amendment.
pub(super) fn current(case: &Case) -> impl Iterator<Item = &Record> {
    case.records.iter().filter(|r| !case.is_superseded(r))
}

/// How a message names a record to a person: its template's name and when
/// it was made (two records of one kind differ by their time), never its id.
pub(super) fn name_of(r: &Record) -> String {
    let name = template_of(r)
        .map(|t| t.name.as_str())
        .unwrap_or(r.template.as_str());
    let when: String = r
        .created_at
        .chars()
        .take(16)
        .collect::<String>()
        .replace('T', " ");
    match (r.revision, when.is_empty()) {
        (1, true) => format!("《{name}》"),
        (1, false) => format!("《{name}》({when})"),
        (n, _) => format!("《{name}》第 {n} 版"),
    }
}

/// A filled text field.
pub(super) fn text<'r>(r: &'r Record, key: &str) -> Option<&'r str> {
    r.fields
        .get(key)
        .and_then(FieldValue::as_text)
        .filter(|s| !s.trim().is_empty())
}

/// A yes/no field.
pub(super) fn flag(r: &Record, key: &str) -> Option<bool> {
    r.fields.get(key).and_then(FieldValue::as_bool)
}

/// A list field (empty when unset).
pub(super) fn list<'r>(r: &'r Record, key: &str) -> &'r [String] {
    r.fields
        .get(key)
        .and_then(FieldValue::as_list)
        .unwrap_or(&[])
}
