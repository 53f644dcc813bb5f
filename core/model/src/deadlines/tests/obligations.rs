//! Open obligations of a case, recomputed as events arrive. Due dates derived
//! by hand from the 2024/2025 calendar (comments).

use super::d;
use crate::deadlines::{
    CaseClock, DeadlineEngine, EventKind as K, Obligation, ObligationState as S, Profile,
};

fn engine() -> DeadlineEngine {
    DeadlineEngine::embedded().unwrap()
}

fn find<'a, 'e>(obs: &'a [Obligation<'e>], id: &str) -> &'a Obligation<'e> {
    obs.iter()
        .find(|o| o.rule.id == id)
        .unwrap_or_else(|| panic!("no obligation {id} in {:?}", ids(obs)))
}

fn ids(obs: &[Obligation<'_>]) -> Vec<String> {
    obs.iter().map(|o| o.rule.id.clone()).collect()
}

/// A general-procedure case with a 1000 yuan fine, up to service and publication.
fn case_a() -> CaseClock {
    let mut c = CaseClock::new("A-2024-001");
    c.fine_fen = Some(100_000);
    c.with(d("2024-07-03"), K::CaseFiled)
        .with(d("2024-07-10"), K::EvidencePreserved)
        .with(d("2024-07-18"), K::EvidenceDisposed)
        .with(
            d("2024-09-10"),
            K::RightsNoticeServed {
                hearing_right: true,
            },
        )
        .with(d("2024-09-13"), K::HearingRequested)
        .with(
            d("2024-09-20"),
            K::HearingScheduled {
                hearing_on: d("2024-10-10"),
            },
        )
        .with(d("2024-09-24"), K::HearingNoticeSent)
        .with(d("2024-10-10"), K::LegalReviewSubmitted)
        .with(d("2024-10-17"), K::LegalReviewExtended)
        .with(d("2024-10-24"), K::LegalReviewCompleted)
        .with(d("2024-10-28"), K::DecisionMade)
        .with(d("2024-10-30"), K::DecisionServed)
        .with(d("2024-11-08"), K::Published)
}

#[test]
fn case_a_due_dates_and_states() {
    let eng = engine();
    let obs = eng.obligations(&case_a(), d("2024-11-25"));
    // art.60: 07-03 + 90 = 10-01 (国庆) → due 10-08; R8 target = raw 10-01.
    // Decided 10-28: met, late.
    let o = find(&obs, "ap_60_decision");
    assert_eq!(
        (o.due, o.target, o.state, o.met_late),
        (d("2024-10-08"), d("2024-10-01"), S::Met, true)
    );
    // art.56: 07-10 Wed + 7 wd = 07-19 Fri; disposed 07-18.
    let o = find(&obs, "ap_56_evidence");
    assert_eq!(
        (o.due, o.state, o.met_late),
        (d("2024-07-19"), S::Met, false)
    );
    // art.64(一): 09-10 + 5 wd: 09-11, 12, 13, 14 (Sat make-up), 15–17 中秋 rest, 09-18.
    let o = find(&obs, "ap_64_hearing_request");
    assert_eq!((o.due, o.state), (d("2024-09-18"), S::Met));
    assert_eq!(o.rule.title, "听证申请期限");
    assert_eq!(o.rule.citation, "行政处罚法 art.64(一)");
    // art.64(二), R9: hearing 10-10 Thu; 7 wd before: 10-09, 10-08, (10-01..07 rest),
    // 09-30, 09-29 (Sun make-up), (09-28 rest), 09-27, 09-26, 09-25.
    let o = find(&obs, "ap_64_hearing_notice");
    assert_eq!(
        (o.trigger_on, o.due, o.state),
        (d("2024-10-10"), d("2024-09-25"), S::Met)
    );
    // Legal review: 10-10 + 7 wd = 10-11, 10-12 (Sat make-up), 14, 15, 16, 17, 18 → 10-18;
    // extended +5 wd from 10-18 → 10-25. Completed 10-24: met on time.
    let o = find(&obs, "p_legal_review_extension");
    assert_eq!(
        (o.due, o.state, o.met_late),
        (d("2024-10-25"), S::Met, false)
    );
    assert!(obs.iter().all(|o| o.rule.id != "p_legal_review"));
    // art.61 service and publication: 10-28 Mon + 7 wd = 11-06 Wed.
    let o = find(&obs, "ap_61_service");
    assert_eq!((o.due, o.state), (d("2024-11-06"), S::Met));
    let o = find(&obs, "p_publication");
    assert_eq!(
        (o.due, o.state, o.met_late),
        (d("2024-11-06"), S::Met, true)
    );
    // art.67: served 10-30 + 15 = 11-14 Thu. Unpaid on 11-25: 11 days late,
    // art.72 surcharge 33 % of 1000.00 = 330.00.
    let o = find(&obs, "ap_67_payment");
    assert_eq!((o.due, o.state), (d("2024-11-14"), S::Overdue));
    assert_eq!(o.state.label_zh(), "逾期");
    let s = o.surcharge.unwrap();
    assert_eq!((s.days, s.amount_fen), (11, 33_000));
    // 行政强制法 art.53: 起诉期限 10-30 + 6 months = 2025-04-30 (Wed); + 3 months = 2025-07-30.
    let o = find(&obs, "ac_53_court_application");
    assert_eq!(
        (o.trigger_on, o.due, o.state),
        (d("2025-04-30"), d("2025-07-30"), S::OnTime)
    );
    // Display: published 2024-11-08 + 5 years (raw) = 2029-11-08, exact (raw needs no calendar).
    let o = find(&obs, "p_display");
    assert_eq!(
        (o.due, o.provisional, o.state),
        (d("2029-11-08"), false, S::OnTime)
    );
    // Sorted by due date.
    assert!(obs.windows(2).all(|w| w[0].due <= w[1].due));
    // Open ones only.
    let open = eng.open_obligations(&case_a(), d("2024-11-25"));
    assert_eq!(
        ids(&open),
        ["ap_67_payment", "ac_53_court_application", "p_display"]
    );
}

#[test]
fn recomputed_when_review_and_payment_arrive() {
    let eng = engine();
    // Party applies for 行政复议 on 11-20: art.73 — surcharge not counted, state paused.
    let c = case_a().with(d("2024-11-20"), K::ReviewStarted);
    let obs = eng.obligations(&c, d("2024-11-25"));
    let o = find(&obs, "ap_67_payment");
    assert_eq!(o.state, S::Paused);
    assert_eq!(o.state.label_zh(), "暂停");
    // Late 11-15..11-25 = 11 days, excluded 11-20..11-25 = 6 → 5 days = 15 %.
    let s = o.surcharge.unwrap();
    assert_eq!((s.days, s.excluded_days, s.amount_fen), (5, 6, 15_000));
    assert_eq!(find(&obs, "ac_53_court_application").state, S::Paused);

    // Review ends 2025-01-10; on 01-20 the clock runs again.
    let c = c.with(d("2025-01-10"), K::ReviewEnded);
    let obs = eng.obligations(&c, d("2025-01-20"));
    let o = find(&obs, "ap_67_payment");
    assert_eq!(o.state, S::Overdue);
    // Late 11-15..01-20 = 16 + 31 + 20 = 67; excluded 11-20..01-10 = 11 + 31 + 10 = 52 → 15 days = 45 %.
    let s = o.surcharge.unwrap();
    assert_eq!((s.days, s.amount_fen), (15, 45_000));
    // art.53 after 复议: 起诉期限 01-10 + 15 = 01-25 (Sat) → 01-26 (Sun, make-up workday);
    // + 3 months = 04-26 (Sat) → 04-27 (Sun, make-up workday).
    let o = find(&obs, "ac_53_court_application");
    assert_eq!(
        (o.trigger_on, o.due, o.state),
        (d("2025-01-26"), d("2025-04-27"), S::OnTime)
    );

    // Paid 01-22: met late; surcharge frozen at 17 days = 51 %; no enforcement window.
    let c = c.with(d("2025-01-22"), K::Paid);
    let obs = eng.obligations(&c, d("2025-02-10"));
    let o = find(&obs, "ap_67_payment");
    assert_eq!(
        (o.state, o.met_on, o.met_late),
        (S::Met, Some(d("2025-01-22")), true)
    );
    assert_eq!(o.surcharge.unwrap().amount_fen, 51_000);
    assert!(obs.iter().all(|o| o.rule.id != "ac_53_court_application"));
}

#[test]
fn litigation_pauses_and_caps() {
    let eng = engine();
    let c = case_a()
        .with(d("2024-12-01"), K::LitigationStarted)
        .with(d("2024-12-10"), K::ComplaintCopyReceived);
    let obs = eng.obligations(&c, d("2024-12-20"));
    // Late 11-15..11-30 = 16 days counted, then litigation pending.
    let o = find(&obs, "ap_67_payment");
    assert_eq!((o.state, o.surcharge.unwrap().days), (S::Paused, 16));
    // 行政诉讼法 art.67: 12-10 + 15 = 12-25 Wed. On 12-20 → within 3 days? 5 days → on time;
    // on 12-23 → due soon.
    let o = find(&obs, "al_67_defence");
    assert_eq!((o.due, o.state), (d("2024-12-25"), S::OnTime));
    let obs = eng.obligations(&c, d("2024-12-23"));
    assert_eq!(find(&obs, "al_67_defence").state, S::DueSoon);
    // Without litigation, far later: capped at the fine (day ≥ 34).
    let obs = eng.obligations(&case_a(), d("2025-03-01"));
    let s = find(&obs, "ap_67_payment").surcharge.unwrap();
    assert_eq!((s.amount_fen, s.capped), (100_000, true));
}

#[test]
fn states_follow_today_and_r8_target() {
    let eng = engine();
    let c = CaseClock::new("B").with(d("2024-07-03"), K::CaseFiled);
    // Target = raw 90th day 10-01; due = 10-08 (rolled).
    let state = |today: &str| find(&eng.obligations(&c, d(today)), "ap_60_decision").state;
    assert_eq!(state("2024-09-01"), S::OnTime);
    assert_eq!(state("2024-09-28"), S::DueSoon); // 3 days before the target
    assert_eq!(state("2024-09-27"), S::OnTime); // 4 days before
    assert_eq!(state("2024-10-04"), S::DueSoon); // past target, not past due
    assert_eq!(state("2024-10-08"), S::DueSoon); // due day itself
    assert_eq!(state("2024-10-09"), S::Overdue);
}

#[test]
fn hearing_window_lapses_and_is_dropped_after_decision() {
    let eng = engine();
    let c = CaseClock::new("C").with(
        d("2024-09-10"),
        K::RightsNoticeServed {
            hearing_right: true,
        },
    );
    let obs = eng.obligations(&c, d("2024-09-19"));
    assert_eq!(find(&obs, "ap_64_hearing_request").state, S::Overdue);
    let c = c.with(d("2024-09-25"), K::DecisionMade);
    let obs = eng.obligations(&c, d("2024-09-26"));
    assert!(obs.iter().all(|o| o.rule.id != "ap_64_hearing_request"));
    // A notice without hearing rights starts nothing.
    let c = CaseClock::new("D").with(
        d("2024-09-10"),
        K::RightsNoticeServed {
            hearing_right: false,
        },
    );
    assert!(eng.obligations(&c, d("2024-09-11")).is_empty());
}

#[test]
fn rescheduled_hearing_uses_latest_date() {
    let eng = engine();
    let c = CaseClock::new("E")
        .with(
            d("2024-09-20"),
            K::HearingScheduled {
                hearing_on: d("2024-10-10"),
            },
        )
        .with(
            d("2024-09-23"),
            K::HearingScheduled {
                hearing_on: d("2024-06-17"),
            },
        )
        .with(
            d("2024-09-26"),
            K::HearingScheduled {
                hearing_on: d("2024-10-21"),
            },
        );
    // Latest scheduling (09-26): hearing 10-21 Mon; 7 wd before: 10-18, 17, 16, 15, 14,
    // 10-12 (Sat make-up), 10-11 → 10-11.
    let o = &eng.obligations(&c, d("2024-09-27"))[0];
    assert_eq!(
        (o.rule.id.as_str(), o.due),
        ("ap_64_hearing_notice", d("2024-10-11"))
    );
}

#[test]
fn display_natural_person_seizure_archive() {
    let eng = engine();
    let mut c = CaseClock::new("F")
        .with(d("2024-11-08"), K::Published)
        .with(d("2024-03-01"), K::Seized)
        .with(d("2024-12-20"), K::ActEnded);
    c.natural_person = true;
    let obs = eng.obligations(&c, d("2024-12-21"));
    // 2 years raw for a natural person.
    assert_eq!(find(&obs, "p_display_natural_person").due, d("2026-11-08"));
    // 行政强制法 art.25: 03-01 + 30 = 03-31 (Sun) → 04-01 Mon.
    assert_eq!(find(&obs, "ac_25_seizure").due, d("2024-04-01"));
    // Archive: 12-20 + 30 = 2025-01-19 (Sun) → 01-20 Mon; R8 target is the raw 01-19.
    let o = find(&obs, "p_archive");
    assert_eq!((o.due, o.target), (d("2025-01-20"), d("2025-01-19")));
    // Extension: 30 + 30 = 60 days: 03-01 + 60 = 04-30 (Tue).
    let c = c.with(d("2024-03-25"), K::SeizureExtended);
    assert_eq!(
        find(&eng.obligations(&c, d("2024-04-02")), "ac_25_seizure").due,
        d("2024-04-30")
    );
}

#[test]
fn beyond_calendar_is_provisional_not_silent() {
    let eng = engine();
    let c = CaseClock::new("G").with(d("2026-11-15"), K::CaseFiled);
    // 11-15 + 90 = 2027-02-13 (Sat); 2027 not loaded → plain weekend assumed → 02-15 Mon, 暂定.
    let o = &eng.obligations(&c, d("2026-11-16"))[0];
    assert_eq!((o.due, o.provisional), (d("2027-02-15"), true));
    assert!(o.summary_zh().contains("暂定"));
    // With the synthetic 2027 calendar it becomes exact.
    let cal = eng
        .calendar()
        .merge_json(super::calendar_update::SYNTHETIC_2027)
        .unwrap();
    let eng2 = DeadlineEngine::new(cal, Profile::default()).unwrap();
    let o = &eng2.obligations(&c, d("2026-11-16"))[0];
    // 02-13 is a (synthetic) Spring Festival rest day, 02-14 Sun rest → 02-15 Mon, exact.
    assert_eq!((o.due, o.provisional), (d("2027-02-15"), false));
}

#[test]
fn profile_changes_periods() {
    // A province with legal review 7 + 3 wd.
    let p = Profile::from_json(r#"{"legal_review_extension_working_days": 3}"#).unwrap();
    let eng = DeadlineEngine::new(eng_cal(), p).unwrap();
    let c = CaseClock::new("H")
        .with(d("2024-10-10"), K::LegalReviewSubmitted)
        .with(d("2024-10-15"), K::LegalReviewExtended);
    // 10-18 + 3 wd = 10-23.
    let o = &eng.obligations(&c, d("2024-10-16"))[0];
    assert_eq!(
        (o.rule.id.as_str(), o.due),
        ("p_legal_review_extension", d("2024-10-23"))
    );
}

fn eng_cal() -> crate::deadlines::Calendar {
    crate::deadlines::Calendar::embedded().clone()
}

#[test]
fn clock_json_round_trip() {
    let c = case_a();
    let json = serde_json::to_string(&c).unwrap();
    assert!(json.contains(r#""kind":"hearing_scheduled","hearing_on":"2024-10-10""#));
    let back: CaseClock = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
}
