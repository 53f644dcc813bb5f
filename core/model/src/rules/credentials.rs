//! 亮证 recorded on the case counts for the records made with the party
//! (行政处罚法 第五十五条: 执法人员应当主动向当事人或者有关人员出示执法证件;
//! (二) 第十条: 两名以上执法人员, 出示执法证件). A `CredentialShown` event
//! covers an officer when it targets the officer's account, was logged by
//! that account, or names the officer's 执法证号 (the device's 亮证 names
//! every officer who showed a credential, with the number).

use std::collections::BTreeSet;

use crate::case::{Event, EventKind, OfficerStatus};
use crate::doc::Case;
use crate::record::{FieldValue, Record};

use super::read::{current, list, template_of};

/// The key of the field a record states the 亮证 in.
pub const CREDENTIALS_FIELD: &str = "credentials_shown";

/// The 亮证 events of the case that cover officer `id`, oldest first.
fn events_for<'c>(case: &'c Case, id: &str) -> impl Iterator<Item = &'c Event> {
    let cred = case
        .officer(id)
        .map(|o| o.credential_no.trim().to_string())
        .unwrap_or_default();
    let id = id.to_string();
    case.events.iter().filter(move |e| {
        e.kind == EventKind::CredentialShown
            && (e.target.as_deref() == Some(id.as_str())
                || e.actor == id
                || (!cred.is_empty() && e.detail.contains(cred.as_str())))
    })
}

/// The account ids of the case's qualified officers (active, with a
/// credential number) whose 亮证 is recorded on the case.
pub fn shown_officers(case: &Case) -> BTreeSet<String> {
    case.officers
        .iter()
        .filter(|o| o.status == OfficerStatus::Active && !o.credential_no.trim().is_empty())
        .filter(|o| events_for(case, &o.id).next().is_some())
        .map(|o| o.id.clone())
        .collect()
}

/// True when every officer the record lists as present has a 亮证 event,
/// and they are at least `min`.
pub fn covered_by_events(case: &Case, record: &Record, min: usize) -> bool {
    let shown = shown_officers(case);
    let present = list(record, "officers_present");
    let listed: Vec<&String> = if present.is_empty() {
        shown.iter().collect()
    } else {
        present.iter().collect()
    };
    listed.len() >= min && listed.iter().all(|id| shown.contains(id.as_str()))
}

/// The place of a 亮证 event, from its detail (`地点: …`).
fn place_of(e: &Event) -> Option<&str> {
    let (_, rest) = e.detail.split_once("地点: ")?;
    let place = rest.split(';').next().unwrap_or(rest).trim();
    (!place.is_empty()).then_some(place)
}

/// How a record's credential field reads when 亮证 events back it:
/// `张伟、李娜 于 2026-12-02 10:00 在 档案库房 出示执法证件`, from the
/// latest covering event; `None` when no officer's 亮证 is recorded.
pub fn credentials_note(case: &Case) -> Option<String> {
    let shown = shown_officers(case);
    let names: Vec<&str> = case
        .officers
        .iter()
        .filter(|o| shown.contains(&o.id))
        .map(|o| o.name.as_str())
        .collect();
    let last = case
        .events
        .iter()
        .rev()
        .find(|e| e.kind == EventKind::CredentialShown)?;
    let at: String = last
        .at
        .chars()
        .take(16)
        .collect::<String>()
        .replace('T', " ");
    Some(match place_of(last) {
        Some(p) => format!("{} 于 {at} 在 {p} 出示执法证件", names.join("、")),
        None => format!("{} 于 {at} 出示执法证件", names.join("、")),
    })
}

/// The unsealed current records whose credential field the recorded 亮证
/// fills: templates made with the party ([`crate::template::Template::officers_present`]),
/// the field not set yet, and at least `min` qualified officers of the case
/// (every one the record lists as present, if it lists any) have shown
/// their credentials. The device writes `true` into each (decided here, not
/// in the shells).
pub fn records_to_fill(case: &Case, min: usize) -> Vec<String> {
    current(case)
        .filter(|r| !r.is_sealed())
        .filter(|r| template_of(r).is_some_and(|t| t.officers_present))
        .filter(|r| !matches!(r.fields.get(CREDENTIALS_FIELD), Some(FieldValue::Bool(_))))
        .filter(|r| covered_by_events(case, r, min))
        .map(|r| r.id.clone())
        .collect()
}
