//! The provincial rule profile JSON (zhifa_core::rules::RuleProfile), then
//! used as the gates use it: every stage of a penalty case with a fine is
//! checked against the loaded profile.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, Procedure, Stage};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::rules::{blocking, major_reasons, GateInput, RuleProfile};

const AT: &str = "2026-03-02T09:00:00+08:00";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(profile) = RuleProfile::from_json(text) else {
        return;
    };
    let header = CaseHeader {
        id: "case-0002".into(),
        kind: CaseKind::Penalty,
        procedure: Some(Procedure::Simple),
        title: "某档案馆未按规定移交档案".into(),
        source: CaseSource::ExOfficio,
        stage: Stage::Investigation,
        unit: "执法监督科".into(),
        created_at: AT.into(),
        created_by: "zhangwei".into(),
        source_ref: None,
        fine_fen: Some(500_000),
        measures: vec!["行政强制执行".into()],
    };
    let who = Actor {
        user: "zhangwei",
        device: "dev-1",
        at: AT,
    };
    let Ok(doc) = CaseDoc::create(&header, &[0x11; 16], &who) else {
        return;
    };
    let Ok(case) = doc.case() else { return };
    let _ = major_reasons(&case, &profile);
    let input = GateInput {
        case: &case,
        profile: &profile,
        present_media: None,
    };
    let mut stage = Some(Stage::Investigation);
    while let Some(s) = stage {
        let _ = blocking(&input, s);
        stage = s.next();
    }
});
