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

/// The device's deadline engine: the embedded calendar with the server's
/// calendar merged over it (a year the server has replaces the embedded
/// one), the default (seed) profile and the statutory table.
pub(crate) fn engine_for(server_calendar: Option<&Calendar>) -> Result<Arc<DeadlineEngine>> {
    let base = Calendar::embedded();
    let calendar = server_calendar.map_or_else(|| base.clone(), |c| base.merge(c));
    Ok(Arc::new(DeadlineEngine::new(calendar, Profile::default())?))
}

/// The server calendar kept in the store (meta `calendar`, validated when it
/// was received); an unreadable one is ignored, leaving the embedded years.
pub(crate) fn stored_calendar(json: Option<&[u8]>) -> Option<Calendar> {
    let json = std::str::from_utf8(json?).ok()?;
    Calendar::from_json(json).ok()
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
            // A date resting on a year whose arrangement is not loaded says
            // so (PERIODS.md R10): never a silent guess, in the list too.
            let tentative = if o.provisional { "（暂定）" } else { "" };
            s.next_due_label = Some(format!("{}{tentative}", o.rule.title));
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

#[cfg(test)]
mod tests {
    use super::*;
    use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, Procedure, Stage};

    const Y2027: &str = include_str!("../../../../tests/fixtures/cn_calendar_2027_synthetic.json");

    /// A general-procedure penalty case filed on 2026-12-01: its 90-day
    /// decision limit (行政处罚法 art.60) ends in 2027.
    fn filed_case() -> (CaseDoc, Case) {
        let header = CaseHeader {
            id: "c1".into(),
            kind: CaseKind::Penalty,
            procedure: Some(Procedure::General),
            title: "档案违法案".into(),
            source: CaseSource::Complaint,
            stage: Stage::Investigation,
            unit: "执法监督科".into(),
            created_at: "2026-12-01T09:00:00+08:00".into(),
            created_by: "zhangwei".into(),
            source_ref: None,
            fine_fen: None,
            measures: Vec::new(),
        };
        let who = zhifa_core::doc::Actor {
            user: "zhangwei",
            device: "d1",
            at: "2026-12-01T09:00:00+08:00",
        };
        let doc = CaseDoc::create(&header, b"device-a-actor01", &who).expect("case");
        let case = doc.case().expect("case");
        (doc, case)
    }

    #[test]
    fn a_deadline_in_an_unloaded_year_is_marked_tentative_until_the_year_arrives() {
        let (mut doc, case) = filed_case();
        let at = "2026-12-02T09:00:00+08:00";
        let embedded = engine_for(None).expect("engine");
        let mut s = new_summary(&embedded, &case, &mut doc, "local", at);
        assert_eq!(s.next_due.as_deref(), Some("2027-03-01"));
        assert!(
            s.next_due_label
                .as_deref()
                .is_some_and(|l| l.ends_with("（暂定）")),
            "{s:?}"
        );
        let y2027 = stored_calendar(Some(Y2027.as_bytes()));
        assert!(y2027.is_some());
        let with_2027 = engine_for(y2027.as_ref()).expect("engine");
        fill(&with_2027, &mut s, &case, at);
        assert_eq!(s.next_due.as_deref(), Some("2027-03-01"));
        assert!(
            s.next_due_label
                .as_deref()
                .is_some_and(|l| !l.contains("暂定")),
            "{s:?}"
        );
    }
}
