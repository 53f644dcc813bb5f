//! Facts the office records after a penalty decision (案件事项登记): the
//! decision served, the fine paid, and the party's remedies — 行政复议 and
//! 行政诉讼 filed and concluded. Each is an event in the case history; the
//! deadline engine reads them (service starts the payment and remedy
//! periods, 行政处罚法 第六十七条; a remedy pauses the surcharge,
//! 第七十三条). This module says which fact may be recorded, on which day.

use chrono::{DateTime, NaiveDate};

use crate::case::EventKind;
use crate::doc::Case;

use super::gates::decisions;

/// A fact the office records on a decided case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseFact {
    /// The decision was served on the party (送达, 行政处罚法 第六十一条).
    DecisionServed,
    /// The fine was paid (缴纳罚款, 行政处罚法 第六十七条).
    Paid,
    /// The party applied for 行政复议 (行政复议法 第二十条).
    ReconsiderationFiled,
    /// The 行政复议 body decided (行政复议法 第六十二条).
    ReconsiderationDecided,
    /// The party sued (行政诉讼法 第四十六条).
    LitigationFiled,
    /// The court judged (行政诉讼法 第八十一条).
    LitigationJudged,
}

impl CaseFact {
    /// Every fact, in the order a form lists them.
    pub const ALL: [CaseFact; 6] = [
        CaseFact::DecisionServed,
        CaseFact::Paid,
        CaseFact::ReconsiderationFiled,
        CaseFact::ReconsiderationDecided,
        CaseFact::LitigationFiled,
        CaseFact::LitigationJudged,
    ];

    /// The history event the fact is recorded as.
    pub fn event_kind(self) -> EventKind {
        match self {
            CaseFact::DecisionServed => EventKind::DecisionServed,
            CaseFact::Paid => EventKind::Paid,
            CaseFact::ReconsiderationFiled => EventKind::AdministrativeReconsiderationFiled,
            CaseFact::ReconsiderationDecided => EventKind::AdministrativeReconsiderationDecided,
            CaseFact::LitigationFiled => EventKind::AdministrativeLitigationFiled,
            CaseFact::LitigationJudged => EventKind::AdministrativeLitigationJudged,
        }
    }

    /// Chinese name (the history's word for the event).
    pub fn label(self) -> &'static str {
        self.event_kind().label()
    }

    /// The article that gives the fact its legal effect.
    pub fn article(self) -> &'static str {
        match self {
            CaseFact::DecisionServed => "行政处罚法 第六十一条",
            CaseFact::Paid => "行政处罚法 第六十七条",
            CaseFact::ReconsiderationFiled => "行政复议法 第二十条; 行政处罚法 第七十三条",
            CaseFact::ReconsiderationDecided => "行政复议法 第六十二条",
            CaseFact::LitigationFiled => "行政诉讼法 第四十六条; 行政处罚法 第七十三条",
            CaseFact::LitigationJudged => "行政诉讼法 第八十一条",
        }
    }

    /// The name a form posts.
    pub fn wire(self) -> &'static str {
        match self {
            CaseFact::DecisionServed => "served",
            CaseFact::Paid => "paid",
            CaseFact::ReconsiderationFiled => "reconsideration_filed",
            CaseFact::ReconsiderationDecided => "reconsideration_decided",
            CaseFact::LitigationFiled => "litigation_filed",
            CaseFact::LitigationJudged => "litigation_judged",
        }
    }

    /// The fact a form named, if any.
    pub fn from_wire(s: &str) -> Option<CaseFact> {
        CaseFact::ALL.into_iter().find(|f| f.wire() == s)
    }

    /// The fact that must come first, if any (a conclusion needs its filing).
    fn needs(self) -> Option<CaseFact> {
        match self {
            CaseFact::ReconsiderationDecided => Some(CaseFact::ReconsiderationFiled),
            CaseFact::LitigationJudged => Some(CaseFact::LitigationFiled),
            _ => None,
        }
    }

    /// Whether the fact happens once per case.
    fn once(self) -> bool {
        !matches!(self, CaseFact::Paid)
    }
}

/// The local day of an RFC 3339 time, if it is one.
fn day_of(at: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(at)
        .ok()
        .map(|t| t.date_naive())
}

/// The day of the earliest current penalty decision, if the case has one:
/// facts can be recorded from that day on.
pub fn decided_on(case: &Case) -> Option<NaiveDate> {
    decisions(case).into_iter().map(|(_, w)| w.day()).min()
}

/// Whether `fact` may be recorded as happening `on`, `today` being the
/// office's date. `Err` says why not, in Chinese, with the article.
pub fn check_fact(
    case: &Case,
    fact: CaseFact,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<(), String> {
    if on > today {
        return Err(format!(
            "{}的日期 {on} 晚于今天, 不能登记将来的事项",
            fact.label()
        ));
    }
    let Some(decided) = decided_on(case) else {
        return Err(format!(
            "本案尚无载明决定日期的处罚决定书, 不能登记{} ({})",
            fact.label(),
            fact.article()
        ));
    };
    if on < decided {
        return Err(format!(
            "{}的日期 {on} 早于处罚决定日期 {decided}",
            fact.label()
        ));
    }
    let recorded = |f: CaseFact| {
        case.events
            .iter()
            .filter(move |e| e.kind == f.event_kind())
            .filter_map(|e| day_of(&e.at))
    };
    if fact.once() && recorded(fact).next().is_some() {
        return Err(format!("本案已登记{}, 不能重复登记", fact.label()));
    }
    if let Some(first) = fact.needs() {
        match recorded(first).min() {
            None => {
                return Err(format!(
                    "登记{}前须先登记{} ({})",
                    fact.label(),
                    first.label(),
                    fact.article()
                ))
            }
            Some(filed) if on < filed => {
                return Err(format!(
                    "{}的日期 {on} 早于{}的日期 {filed}",
                    fact.label(),
                    first.label()
                ))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{CaseHeader, CaseKind, CaseSource, Event, Procedure, Stage};
    use crate::doc::{Actor, CaseDoc};
    use crate::record::{FieldValue, Record};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn empty_case() -> Case {
        let header = CaseHeader {
            id: "c1".into(),
            kind: CaseKind::Penalty,
            procedure: Some(Procedure::General),
            title: "t".into(),
            source: CaseSource::Complaint,
            stage: Stage::Decision,
            unit: "u1".into(),
            created_at: "2026-03-01T09:00:00+08:00".into(),
            created_by: "o1".into(),
            source_ref: None,
            fine_fen: None,
            measures: Vec::new(),
        };
        let who = Actor {
            user: "o1",
            device: "d1",
            at: "2026-03-01T09:00:00+08:00",
        };
        CaseDoc::create(&header, b"actor-1", &who)
            .and_then(|d| d.case())
            .expect("case")
    }

    fn decided_case(on: &str) -> Case {
        let mut fields = std::collections::BTreeMap::new();
        fields.insert("decided_on".into(), FieldValue::Text(on.into()));
        let mut case = empty_case();
        case.records.push(Record {
            id: "dec".into(),
            template: "penalty_decision".into(),
            template_version: 1,
            revision: 1,
            amends: None,
            amend_reason: None,
            superseded_by: None,
            created_by: "o1".into(),
            created_at: format!("{on}T09:00:00+08:00"),
            fields,
            media: Vec::new(),
            seal: None,
        });
        case
    }

    fn with_event(mut case: Case, kind: EventKind, on: &str) -> Case {
        case.events.push(Event {
            kind,
            at: format!("{on}T12:00:00+08:00"),
            actor: "l1".into(),
            device: "server".into(),
            target: None,
            detail: String::new(),
        });
        case
    }

    #[test]
    fn wire_names_round_trip() {
        for f in CaseFact::ALL {
            assert_eq!(CaseFact::from_wire(f.wire()), Some(f));
        }
        assert_eq!(CaseFact::from_wire("appeal"), None);
    }

    #[test]
    fn a_fact_needs_a_decision_and_a_day_between_it_and_today() {
        let today = d("2026-04-10");
        let none = empty_case();
        let e = check_fact(&none, CaseFact::Paid, today, today).unwrap_err();
        assert!(
            e.contains("尚无载明决定日期的处罚决定书") && e.contains("第六十七条"),
            "{e}"
        );
        let case = decided_case("2026-03-02");
        assert!(check_fact(&case, CaseFact::DecisionServed, d("2026-03-03"), today).is_ok());
        let e = check_fact(&case, CaseFact::Paid, d("2026-03-01"), today).unwrap_err();
        assert!(e.contains("早于处罚决定日期 2026-03-02"), "{e}");
        let e = check_fact(&case, CaseFact::Paid, d("2026-04-11"), today).unwrap_err();
        assert!(e.contains("晚于今天"), "{e}");
    }

    #[test]
    fn a_conclusion_needs_its_filing_first_and_once_only() {
        let today = d("2026-06-01");
        let case = decided_case("2026-03-02");
        let e = check_fact(
            &case,
            CaseFact::ReconsiderationDecided,
            d("2026-05-01"),
            today,
        )
        .unwrap_err();
        assert!(e.contains("须先登记申请行政复议"), "{e}");
        let filed = with_event(
            case,
            EventKind::AdministrativeReconsiderationFiled,
            "2026-03-20",
        );
        let e = check_fact(
            &filed,
            CaseFact::ReconsiderationDecided,
            d("2026-03-19"),
            today,
        )
        .unwrap_err();
        assert!(e.contains("早于申请行政复议的日期 2026-03-20"), "{e}");
        assert!(check_fact(
            &filed,
            CaseFact::ReconsiderationDecided,
            d("2026-05-01"),
            today
        )
        .is_ok());
        let e = check_fact(
            &filed,
            CaseFact::ReconsiderationFiled,
            d("2026-03-21"),
            today,
        )
        .unwrap_err();
        assert!(e.contains("不能重复登记"), "{e}");
        // A fine may be paid in parts: 行政处罚法 第六十六条 allows instalments.
        let paid = with_event(filed, EventKind::Paid, "2026-03-10");
        assert!(check_fact(&paid, CaseFact::Paid, d("2026-04-10"), today).is_ok());
        assert!(check_fact(&paid, CaseFact::LitigationJudged, d("2026-04-10"), today).is_err());
    }
}
