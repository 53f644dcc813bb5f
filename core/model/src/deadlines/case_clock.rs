//! A case's dated timeline ([`CaseClock`]) read from the case itself.
//!
//! Periods run from legal dates, not from when someone tapped a button
//! (PERIODS.md R7; 民事诉讼法 art.87: service is the date the recipient
//! signs). So where a sealed record carries the legal date, the clock takes it
//! from the record; the event history fills in what no record says:
//!
//! | sealed record (current revision) | clock event | date field |
//! |---|---|---|
//! | 行政处罚决定书 `penalty_decision` | 作出决定 (art.60) | `decided_on` |
//! | 当场处罚决定书 `simple_penalty_decision` | 作出决定 + 当场交付 (art.52) | `decided_at` |
//! | 送达回证(直接) `service_receipt_direct` of a 处罚决定书 | 送达 (art.61) | `served_at` |
//! | 送达回证(邮寄) `service_receipt_mail` of a 处罚决定书 | 送达 (art.61) | `receipt_returned_at` |
//! | 法制审核申报表 `review_application` | 报送法制审核 ((三) 第十条) | `submitted_on` |
//! | 法制审核意见书 `review_opinion` | 审核完成 (+ 延长 if `extended`) | `completed_on` / `received_on` |
//! | 权利告知书 `rights_notice` named by a 告知 event | 告知书送达 (art.44) | `notified_at` |
//!
//! The act ends (行政执法行为终结) when the case enters 归档管理: the 30-day
//! archiving clock of (二) 第二十二条 runs from that day until the case is
//! filed (an 归档 entry of the history).
//!
//! 行政复议 and 行政诉讼 are separate history entries (申请行政复议 / 作出行政复议决定,
//! 提起行政诉讼 / 作出行政诉讼裁判), each its own pair of clock events, so the
//! art.73 pause of the surcharge and their own periods follow each.
//!
//! The fine (art.67 payment, art.72 surcharge) is the decided one
//! (`fine_fen` of the decision), else the case header's. A natural-person
//! party shortens the display period to 2 years (the profile's figure).

use chrono::NaiveDate;

use super::clock::{CaseClock, EventKind as K};
use crate::case::{CaseKind, Event, EventKind, PartyKind, Procedure, Stage};
use crate::doc::Case;
use crate::record::{FieldValue, Record};

/// The date part of `YYYY-MM-DD` or an RFC 3339 date-time (its local date).
fn date_of(s: &str) -> Option<NaiveDate> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.date_naive())
}

fn text<'r>(r: &'r Record, key: &str) -> Option<&'r str> {
    match r.fields.get(key) {
        Some(FieldValue::Text(s)) => Some(s.as_str()),
        _ => None,
    }
}

fn date_field(r: &Record, key: &str) -> Option<NaiveDate> {
    text(r, key).and_then(date_of)
}

fn sealed_current<'c>(case: &'c Case, template: &'c str) -> impl Iterator<Item = &'c Record> {
    case.current_records(template).filter(|r| r.seal.is_some())
}

/// Whether a service receipt is for a penalty decision (its `document` names it).
fn serves_decision(r: &Record) -> bool {
    text(r, "document").is_some_and(|d| d.contains("处罚决定"))
}

/// The case's timeline for the deadline engine (see the module doc).
pub fn clock_of_case(case: &Case) -> CaseClock {
    let mut clock = CaseClock::new(case.header.id.clone());
    clock.natural_person = case
        .parties
        .first()
        .is_some_and(|p| p.kind == PartyKind::NaturalPerson);
    clock.fine_fen = case.header.fine_fen;
    if case.header.kind == CaseKind::Penalty && case.header.procedure != Some(Procedure::Simple) {
        if let Some(d) = date_of(&case.header.created_at) {
            clock.push(d, K::CaseFiled);
        }
    }
    // Kinds dated by a sealed record; the history's events of these kinds
    // (recorded when someone acted in the app) are then left out.
    let mut from_records: Vec<K> = Vec::new();
    let mut add = |clock: &mut CaseClock, d: Option<NaiveDate>, k: K| {
        if let Some(d) = d {
            from_records.push(k);
            clock.push(d, k);
        }
    };
    for r in sealed_current(case, "penalty_decision") {
        add(&mut clock, date_field(r, "decided_on"), K::DecisionMade);
        if let Some(FieldValue::Int(f)) = r.fields.get("fine_fen") {
            clock.fine_fen = Some(*f);
        }
    }
    for r in sealed_current(case, "simple_penalty_decision") {
        // 当场作出、当场交付 (行政处罚法 art.52).
        let d = date_field(r, "decided_at");
        add(&mut clock, d, K::DecisionMade);
        add(&mut clock, d, K::DecisionServed);
        if let Some(FieldValue::Int(f)) = r.fields.get("fine_fen") {
            clock.fine_fen = Some(*f);
        }
    }
    for r in sealed_current(case, "service_receipt_direct").filter(|r| serves_decision(r)) {
        add(&mut clock, date_field(r, "served_at"), K::DecisionServed);
    }
    for r in sealed_current(case, "service_receipt_mail").filter(|r| serves_decision(r)) {
        add(
            &mut clock,
            date_field(r, "receipt_returned_at"),
            K::DecisionServed,
        );
    }
    // 公示 ((一) 第十二条): published, the decision changed (行政处罚法
    // 第四十八条: withdraw within 3 working days), withdrawn.
    for r in sealed_current(case, "publicity_entry") {
        add(&mut clock, date_field(r, "published_on"), K::Published);
    }
    for r in sealed_current(case, "decision_change") {
        add(&mut clock, date_field(r, "changed_on"), K::DecisionChanged);
    }
    for r in sealed_current(case, "publicity_withdrawal") {
        add(
            &mut clock,
            date_field(r, "withdrawn_on"),
            K::PublicationWithdrawn,
        );
    }
    for r in sealed_current(case, "review_application") {
        add(
            &mut clock,
            date_field(r, "submitted_on"),
            K::LegalReviewSubmitted,
        );
    }
    for r in sealed_current(case, "review_opinion") {
        if matches!(r.fields.get("extended"), Some(FieldValue::Bool(true))) {
            add(
                &mut clock,
                date_field(r, "received_on"),
                K::LegalReviewExtended,
            );
        }
        add(
            &mut clock,
            date_field(r, "completed_on"),
            K::LegalReviewCompleted,
        );
    }
    for e in &case.events {
        let Some(k) = event_kind(e) else { continue };
        if from_records.iter().any(|r| same_kind(r, &k)) {
            continue;
        }
        // A rights notice is served on the date its record says.
        let record_date = e
            .target
            .as_deref()
            .and_then(|id| case.record(id))
            .filter(|r| r.seal.is_some())
            .and_then(|r| date_field(r, "notified_at"));
        if let Some(d) = record_date.or_else(|| date_of(&e.at)) {
            clock.push(d, k);
        }
    }
    clock
}

fn same_kind(a: &K, b: &K) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// The clock event an entry of the case history stands for, if any.
fn event_kind(e: &Event) -> Option<K> {
    Some(match e.kind {
        EventKind::RightsNotified => K::RightsNoticeServed {
            hearing_right: e.detail.contains("听证"),
        },
        EventKind::HearingRequested => K::HearingRequested,
        EventKind::ReviewSubmitted => K::LegalReviewSubmitted,
        EventKind::ReviewExtended => K::LegalReviewExtended,
        EventKind::ReviewCompleted => K::LegalReviewCompleted,
        EventKind::DecisionIssued => K::DecisionMade,
        EventKind::DecisionServed => K::DecisionServed,
        EventKind::Paid => K::Paid,
        EventKind::Published => K::Published,
        // Older documents had one kind for both; read as 行政诉讼.
        EventKind::LitigationStarted => K::LitigationStarted,
        EventKind::LitigationEnded => K::LitigationEnded,
        EventKind::AdministrativeReconsiderationFiled => K::ReviewStarted,
        EventKind::AdministrativeReconsiderationDecided => K::ReviewEnded,
        EventKind::AdministrativeLitigationFiled => K::LitigationStarted,
        EventKind::AdministrativeLitigationJudged => K::LitigationEnded,
        EventKind::Archived => K::Archived,
        // 送达执行 done, the case enters 归档管理: the enforcement act has ended.
        EventKind::StageAdvanced if e.detail == Stage::Archiving.label() => K::ActEnded,
        _ => return None,
    })
}
