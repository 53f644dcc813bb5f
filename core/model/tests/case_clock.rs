//! The deadline clock of a case takes legal dates from its sealed records
//! (decision, service receipt, review forms), not from when they were typed.

mod common;

use chrono::NaiveDate;
use common::*;
use serde_json::json;
use zhifa_core::case::{CaseKind, PartyKind, Procedure};
use zhifa_core::deadlines::{clock_of_case, ClockEvent, DeadlineEngine, EventKind as K};
use zhifa_core::doc::CaseDoc;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Creates a record, sets `fields` over the required sample values, seals
/// and signs it.
fn sealed(doc: &mut CaseDoc, id: &str, template: &str, fields: serde_json::Value) {
    let tpl = filled_record(doc, id, template);
    for (k, v) in fields.as_object().unwrap() {
        doc.set_field_json(id, k, v, &who_a()).unwrap();
    }
    doc.seal_record(id, &who_a(), &key(1)).unwrap();
    sign_all(doc, id, &tpl.signers);
}

fn has(events: &[ClockEvent], on: &str, kind: K) -> bool {
    events.iter().any(|e| e.on == d(on) && e.kind == kind)
}

#[test]
fn decision_and_service_dates_come_from_the_sealed_records() {
    let mut doc = new_case(
        CaseKind::Penalty,
        Some(Procedure::General),
        PartyKind::NaturalPerson,
    );
    // A draft decision (not sealed) starts nothing.
    filled_record(&mut doc, "draft", "penalty_decision");
    let clock = clock_of_case(&doc.case().unwrap());
    assert!(!clock.events.iter().any(|e| e.kind == K::DecisionMade));

    sealed(
        &mut doc,
        "dec",
        "penalty_decision",
        json!({"decided_on": "2026-03-02", "fine_fen": 500_000}),
    );
    // A receipt for another document is not the decision's service.
    sealed(
        &mut doc,
        "r1",
        "service_receipt_direct",
        json!({"document": "行政处罚事先告知书", "served_at": "2026-03-03T10:00:00+08:00"}),
    );
    sealed(
        &mut doc,
        "r2",
        "service_receipt_direct",
        json!({"document": "行政处罚决定书 平档罚决〔2026〕1号", "served_at": "2026-03-04T15:30:00+08:00"}),
    );
    let clock = clock_of_case(&doc.case().unwrap());
    assert!(has(&clock.events, "2026-03-02", K::DecisionMade));
    assert!(has(&clock.events, "2026-03-04", K::DecisionServed));
    assert!(!has(&clock.events, "2026-03-03", K::DecisionServed));
    assert_eq!(clock.fine_fen, Some(500_000));
    assert!(clock.natural_person);

    // Payment within 15 days of service (行政处罚法 art.67): 03-04 + 15 = 03-19 (Thu).
    let engine = DeadlineEngine::embedded().unwrap();
    let obligations = engine.obligations(&clock, d("2026-03-10"));
    let pay = obligations
        .iter()
        .find(|o| o.rule.id == "ap_67_payment")
        .expect("payment obligation once a fined decision is served");
    assert_eq!(pay.due, d("2026-03-19"));
    // Publication within 7 working days of the decision (profile, (一)).
    assert!(obligations.iter().any(|o| o.trigger_on == d("2026-03-02")));
}

#[test]
fn mailed_service_counts_from_the_returned_receipt() {
    let mut doc = new_case(
        CaseKind::Penalty,
        Some(Procedure::General),
        PartyKind::LegalPerson,
    );
    sealed(
        &mut doc,
        "dec",
        "penalty_decision",
        json!({"decided_on": "2026-04-01", "fine_fen": 300_000}),
    );
    sealed(
        &mut doc,
        "mail",
        "service_receipt_mail",
        json!({"document": "行政处罚决定书", "mailed_at": "2026-04-02", "receipt_returned_at": "2026-04-07"}),
    );
    let clock = clock_of_case(&doc.case().unwrap());
    assert!(has(&clock.events, "2026-04-07", K::DecisionServed));
    assert!(!clock.natural_person);
}

#[test]
fn an_on_the_spot_decision_is_served_when_made() {
    let mut doc = new_case(
        CaseKind::Penalty,
        Some(Procedure::Simple),
        PartyKind::NaturalPerson,
    );
    sealed(
        &mut doc,
        "dec",
        "simple_penalty_decision",
        json!({"decided_at": "2026-05-06T11:00:00+08:00", "fine_fen": 10_000}),
    );
    let clock = clock_of_case(&doc.case().unwrap());
    // 当场交付 (行政处罚法 art.52): made and served the same day.
    assert!(has(&clock.events, "2026-05-06", K::DecisionMade));
    assert!(has(&clock.events, "2026-05-06", K::DecisionServed));
    assert_eq!(clock.fine_fen, Some(10_000));
    // Simple procedure: no filing, so no 90-day decision limit.
    assert!(!clock.events.iter().any(|e| e.kind == K::CaseFiled));
}

#[test]
fn legal_review_dates_come_from_its_forms() {
    let mut doc = new_case(
        CaseKind::Penalty,
        Some(Procedure::General),
        PartyKind::LegalPerson,
    );
    sealed(
        &mut doc,
        "app",
        "review_application",
        json!({"submitted_on": "2026-06-01"}),
    );
    sealed(
        &mut doc,
        "op",
        "review_opinion",
        json!({"received_on": "2026-06-02", "extended": true, "completed_on": "2026-06-12"}),
    );
    let clock = clock_of_case(&doc.case().unwrap());
    assert!(has(&clock.events, "2026-06-01", K::LegalReviewSubmitted));
    assert!(has(&clock.events, "2026-06-02", K::LegalReviewExtended));
    assert!(has(&clock.events, "2026-06-12", K::LegalReviewCompleted));
}

fn on(at: &'static str) -> zhifa_core::doc::Actor<'static> {
    zhifa_core::doc::Actor {
        user: "zhangwei",
        device: "dev-a",
        at,
    }
}

/// A general-procedure case fined 5,000 元, decided 03-02, served 03-04:
/// payment due 03-19 (行政处罚法 第六十七条).
fn served_penalty() -> CaseDoc {
    let mut doc = new_case(
        CaseKind::Penalty,
        Some(Procedure::General),
        PartyKind::LegalPerson,
    );
    sealed(
        &mut doc,
        "dec",
        "penalty_decision",
        json!({"decided_on": "2026-03-02", "fine_fen": 500_000}),
    );
    sealed(
        &mut doc,
        "srv",
        "service_receipt_direct",
        json!({"document": "行政处罚决定书", "served_at": "2026-03-04T15:30:00+08:00"}),
    );
    doc
}

#[test]
fn the_surcharge_is_paused_while_reconsideration_runs_and_resumes_on_its_decision() {
    use zhifa_core::case::EventKind as E;
    use zhifa_core::deadlines::ObligationState as S;
    let engine = DeadlineEngine::embedded().unwrap();
    let mut doc = served_penalty();
    // Unpaid after 03-19: 3 % a day (第七十二条).
    let clock = clock_of_case(&doc.case().unwrap());
    let obs = engine.obligations(&clock, d("2026-04-10"));
    let pay = obs.iter().find(|o| o.rule.id == "ap_67_payment").unwrap();
    assert_eq!(pay.due, d("2026-03-19"));
    assert_eq!((pay.state, pay.surcharge.unwrap().days), (S::Overdue, 22));

    // 行政复议 filed 03-25: the days from then on are not counted (第七十三条).
    doc.log_event(
        E::AdministrativeReconsiderationFiled,
        &on("2026-03-25T10:00:00+08:00"),
        None,
        "向市人民政府申请行政复议",
    )
    .unwrap();
    let clock = clock_of_case(&doc.case().unwrap());
    assert!(has(&clock.events, "2026-03-25", K::ReviewStarted));
    assert!(!clock.events.iter().any(|e| e.kind == K::LitigationStarted));
    for today in ["2026-04-10", "2026-05-01"] {
        let obs = engine.obligations(&clock, d(today));
        let pay = obs.iter().find(|o| o.rule.id == "ap_67_payment").unwrap();
        let s = pay.surcharge.unwrap();
        assert_eq!(
            (pay.state, s.days, s.amount_fen),
            (S::Paused, 5, 75_000),
            "{today}"
        );
    }
    // Its own periods: applied within 60 days of service (行政复议法 第二十条),
    // the 复议机关 decides within 60 days (第六十二条).
    let obs = engine.obligations(&clock, d("2026-04-10"));
    let app = obs
        .iter()
        .find(|o| o.rule.id == "ar_20_application")
        .unwrap();
    assert_eq!((app.state, app.met_on), (S::Met, Some(d("2026-03-25"))));
    let dec = obs.iter().find(|o| o.rule.id == "ar_62_decision").unwrap();
    assert_eq!((dec.trigger_on, dec.state), (d("2026-03-25"), S::OnTime));
    assert_eq!(dec.due, d("2026-05-25"), "03-25 + 60 = 05-24, a Sunday");
    assert!(obs.iter().all(|o| o.rule.id != "al_46_direct"));

    // Decided 05-06: the clock runs again from 05-07.
    doc.log_event(
        E::AdministrativeReconsiderationDecided,
        &on("2026-05-06T16:00:00+08:00"),
        None,
        "复议决定维持",
    )
    .unwrap();
    let clock = clock_of_case(&doc.case().unwrap());
    let obs = engine.obligations(&clock, d("2026-05-10"));
    let pay = obs.iter().find(|o| o.rule.id == "ap_67_payment").unwrap();
    assert_eq!((pay.state, pay.surcharge.unwrap().days), (S::Overdue, 9));
    let dec = obs.iter().find(|o| o.rule.id == "ar_62_decision").unwrap();
    assert_eq!(dec.met_on, Some(d("2026-05-06")));
    // 行政诉讼法 第四十五条: a suit within 15 days of the 复议决定.
    let suit = obs
        .iter()
        .find(|o| o.rule.id == "al_45_after_review")
        .unwrap();
    assert_eq!(
        (suit.trigger_on, suit.due),
        (d("2026-05-06"), d("2026-05-21"))
    );
}

#[test]
fn litigation_has_its_own_period_and_the_old_kind_still_reads() {
    use zhifa_core::case::EventKind as E;
    use zhifa_core::deadlines::ObligationState as S;
    let engine = DeadlineEngine::embedded().unwrap();
    for kind in [E::AdministrativeLitigationFiled, E::LitigationStarted] {
        let mut doc = served_penalty();
        doc.log_event(
            kind,
            &on("2026-03-25T10:00:00+08:00"),
            None,
            "向人民法院起诉",
        )
        .unwrap();
        let clock = clock_of_case(&doc.case().unwrap());
        assert!(
            has(&clock.events, "2026-03-25", K::LitigationStarted),
            "{kind:?}"
        );
        let obs = engine.obligations(&clock, d("2026-04-10"));
        let pay = obs.iter().find(|o| o.rule.id == "ap_67_payment").unwrap();
        assert_eq!((pay.state, pay.surcharge.unwrap().days), (S::Paused, 5));
        // 行政诉讼法 第四十六条: six months from service, met by the filing;
        // none of 行政复议's periods.
        let suit = obs.iter().find(|o| o.rule.id == "al_46_direct").unwrap();
        assert_eq!(
            (suit.due, suit.met_on),
            (d("2026-09-04"), Some(d("2026-03-25")))
        );
        assert!(obs.iter().all(|o| o.rule.id != "ar_62_decision"));
    }
}

#[test]
fn a_suit_not_brought_after_reconsideration_is_never_overdue() {
    use zhifa_core::case::EventKind as E;
    let engine = DeadlineEngine::embedded().unwrap();
    let mut doc = served_penalty();
    doc.log_event(
        E::AdministrativeReconsiderationFiled,
        &on("2026-03-25T10:00:00+08:00"),
        None,
        "",
    )
    .unwrap();
    doc.log_event(
        E::AdministrativeReconsiderationDecided,
        &on("2026-05-06T16:00:00+08:00"),
        None,
        "",
    )
    .unwrap();
    let clock = clock_of_case(&doc.case().unwrap());
    let later = engine.obligations(&clock, d("2026-06-30"));
    assert!(later.iter().all(|o| o.rule.id != "al_45_after_review"));
}

#[test]
fn the_archiving_clock_runs_from_entering_archiving_until_filed() {
    use zhifa_core::case::{EventKind as E, Stage};
    let mut doc = served_penalty();
    doc.set_stage(Stage::Archiving, &on("2026-04-01T10:00:00+08:00"))
        .unwrap();
    let clock = clock_of_case(&doc.case().unwrap());
    assert!(has(&clock.events, "2026-04-01", K::ActEnded));
    let engine = DeadlineEngine::embedded().unwrap();
    let open = engine.obligations(&clock, d("2026-04-10"));
    let archive = open
        .iter()
        .find(|o| o.rule.id == "p_archive")
        .expect("archive within 30 days of the act ending ((二) 第二十二条)");
    // 04-01 + 30 calendar days = 05-01 (劳动节 holiday) → the next working day.
    assert!(archive.due >= d("2026-05-01"));
    assert!(archive.met_on.is_none());

    // Filing (归档) meets it.
    doc.log_event(
        E::Archived,
        &on("2026-04-20T09:00:00+08:00"),
        None,
        "案卷归档",
    )
    .unwrap();
    let clock = clock_of_case(&doc.case().unwrap());
    let all = engine.obligations(&clock, d("2026-04-21"));
    let archive = all.iter().find(|o| o.rule.id == "p_archive").unwrap();
    assert_eq!(archive.met_on, Some(d("2026-04-20")));
}
