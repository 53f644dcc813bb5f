//! Summary rows (what lists show) and statutory obligations of a case
//! (`zhifa_core::deadlines::clock_of_case`: legal dates from sealed records,
//! then the history).

use std::sync::Arc;

use chrono::NaiveDate;
use zhifa_core::deadlines::{clock_of_case, Calendar, DeadlineEngine, Obligation, Profile};
use zhifa_core::doc::{Case, CaseDoc};
use zhifa_core::sync::heads_to_hex;

use crate::error::Result;
use crate::store::cases::Summary;

/// The device's deadline engine: the embedded calendar merged with the
/// calendar the server sent (kept in the store's meta `calendar`), the
/// default (seed) profile and the statutory table. An unreadable stored
/// calendar falls back to the embedded one (it was validated when stored).
pub(crate) fn engine_for(stored_calendar: Option<&[u8]>) -> Result<Arc<DeadlineEngine>> {
    let base = Calendar::embedded();
    let calendar = stored_calendar
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|json| base.merge_json(json).ok())
        .unwrap_or_else(|| base.clone());
    let engine = DeadlineEngine::new(calendar, Profile::default())
        .map_err(|e| crate::error::DeviceError::Invalid(e.to_string()))?;
    Ok(Arc::new(engine))
}

/// snake_case name of a serde enum value.
pub(crate) use zhifa_core::wire_name as code;

fn date_of(at: &str) -> Option<NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(at)
        .ok()
        .map(|t| t.date_naive())
}

/// Open obligations of a case as of `today`, earliest due first.
pub(crate) fn open_obligations<'e>(
    engine: &'e DeadlineEngine,
    case: &Case,
    today: NaiveDate,
) -> Vec<Obligation<'e>> {
    let mut v = engine.open_obligations(&clock_of_case(case), today);
    v.sort_by_key(|o| o.due);
    v
}

/// The new summary row after a change. A light summary (field edits) keeps
/// the previous columns and only refreshes heads, time and sync state.
pub(crate) fn summarize(
    engine: &DeadlineEngine,
    doc: &mut CaseDoc,
    prev: &Summary,
    full: bool,
    at: &str,
) -> Result<Summary> {
    let mut s = prev.clone();
    s.heads = heads_to_hex(&doc.heads());
    s.updated_at = at.to_string();
    s.sync_state = match prev.sync_state.as_str() {
        "local" | "forbidden" => prev.sync_state.clone(),
        _ => "dirty".into(),
    };
    if full {
        let case = doc.case()?;
        fill(engine, &mut s, &case, at);
    }
    Ok(s)
}

/// Fills the summary columns from a whole case.
pub(crate) fn fill(engine: &DeadlineEngine, s: &mut Summary, case: &Case, at: &str) {
    s.id = case.header.id.clone();
    s.title = case.header.title.clone();
    s.party = case
        .parties
        .first()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    s.kind = code(&case.header.kind);
    s.stage = code(&case.header.stage);
    s.source = code(&case.header.source);
    s.unit = case.header.unit.clone();
    let today = date_of(at).unwrap_or_default();
    match open_obligations(engine, case, today).first() {
        Some(o) => {
            s.next_due = Some(o.due.to_string());
            s.next_due_label = Some(o.rule.title.to_string());
        }
        None => {
            s.next_due = None;
            s.next_due_label = None;
        }
    }
}

/// A fresh summary for a whole case.
pub(crate) fn new_summary(
    engine: &DeadlineEngine,
    case: &Case,
    doc: &mut CaseDoc,
    sync_state: &str,
    at: &str,
) -> Summary {
    let mut s = Summary {
        id: String::new(),
        title: String::new(),
        party: String::new(),
        kind: String::new(),
        stage: String::new(),
        source: String::new(),
        unit: String::new(),
        next_due: None,
        next_due_label: None,
        heads: heads_to_hex(&doc.heads()),
        sync_state: sync_state.into(),
        updated_at: at.into(),
    };
    fill(engine, &mut s, case, at);
    s
}
