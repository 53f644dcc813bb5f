//! Automerge changes applied to a case and checked as the sync endpoint
//! checks them (zhifa_core::doc + rules::check_incoming): the input is
//! loaded incrementally onto a fixed case, the case is read back, and the
//! stage moves, sealed rewrites and refusals are computed. The same bytes
//! are also loaded as a whole document.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhifa_core::authority::ActingUser;
use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, Stage};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::rules::{check_incoming, Incoming, RuleProfile};
use zhifa_core::sync::Role;

const AT: &str = "2026-03-02T09:00:00+08:00";

fn base() -> Option<CaseDoc> {
    let header = CaseHeader {
        id: "case-0001".into(),
        kind: CaseKind::Inspection,
        procedure: None,
        title: "某档案馆档案安全检查".into(),
        source: CaseSource::RandomInspection,
        stage: Stage::Investigation,
        unit: "执法监督科".into(),
        created_at: AT.into(),
        created_by: "zhangwei".into(),
        source_ref: Some("task-2026-01".into()),
        fine_fen: None,
        measures: Vec::new(),
    };
    let who = Actor {
        user: "zhangwei",
        device: "dev-1",
        at: AT,
    };
    CaseDoc::create(&header, &[0x11; 16], &who).ok()
}

fuzz_target!(|data: &[u8]| {
    if let Ok(whole) = CaseDoc::load(data, &[0x22; 16]) {
        let _ = whole.case();
        let _ = whole.expected_media();
    }
    let Some(mut doc) = base() else { return };
    let Ok(before) = doc.case() else { return };
    let before_heads = doc.heads();
    if doc.load_incremental(data).is_err() {
        return;
    }
    let Ok(after) = doc.case() else { return };
    let (Ok(moves), Ok(rewrites)) = (
        doc.stage_moves(&before_heads),
        doc.sealed_rewrites(&before_heads),
    ) else {
        return;
    };
    let profile = RuleProfile::default();
    let roles = [Role::Officer];
    let _ = check_incoming(&Incoming {
        before: Some(&before),
        after: &after,
        unit_before: Some("u-jiandu"),
        unit_after: "u-jiandu",
        user: ActingUser {
            account_id: "zhangwei",
            unit_id: "u-jiandu",
            roles: &roles,
        },
        profile: &profile,
        stage_moves: &moves,
        sealed_rewrites: &rewrites,
    });
});
