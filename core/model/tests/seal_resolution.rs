//! Resolving a seal conflict (CaseDoc::resolve_seal_conflict): keep the
//! sealed version or carry the concurrent edit into an amendment; the
//! conflict is gone on every replica that merges the decision, the seal
//! verifies again, and the server's incoming check accepts the change.

mod common;

use common::*;
use serde_json::json;
use zhifa_core::authority::ActingUser;
use zhifa_core::case::{CaseKind, EventKind, PartyKind};
use zhifa_core::doc::{CaseDoc, ConflictChoice, ResolutionKind};
use zhifa_core::record::FieldValue;
use zhifa_core::rules::{check_incoming, Incoming, IncomingRefusal, RuleProfile};
use zhifa_core::sync::Role;
use zhifa_core::CoreError;

fn fork(doc: &mut CaseDoc, actor: &[u8]) -> CaseDoc {
    CaseDoc::load(&doc.save(), actor).expect("fork")
}

/// `(sealing replica A, merged replica with the conflict, offline replica B)`:
/// A seals r1 while B, offline, rewrites its findings.
fn conflicted() -> (CaseDoc, CaseDoc, CaseDoc) {
    let mut a = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    filled_record(&mut a, "r1", "inspection_record");
    let mut b = fork(&mut a, A2);
    a.seal_record("r1", &who_a(), &key(1)).expect("seal");
    b.set_field_json("r1", "findings", &json!("离线时改写的检查情况"), &who_b())
        .expect("offline edit");
    let mut merged = fork(&mut a, A3);
    merged.merge(&mut b).expect("merge");
    assert_eq!(merged.seal_conflicts().expect("conflicts").len(), 1);
    (a, merged, b)
}

fn findings(doc: &CaseDoc, record: &str) -> FieldValue {
    doc.record(record).expect("record").fields["findings"].clone()
}

/// The server's check of `after` against what it had (`before`).
fn refusals(before: &mut CaseDoc, after: &mut CaseDoc) -> Vec<IncomingRefusal> {
    let (old, new) = (before.case().expect("b"), after.case().expect("a"));
    let heads = before.heads();
    let rewrites = after.sealed_rewrites(&heads).expect("rewrites");
    let moves = after.stage_moves(&heads).expect("moves");
    let profile = RuleProfile::default();
    check_incoming(&Incoming {
        before: Some(&old),
        after: &new,
        unit_before: Some("u1"),
        unit_after: "u1",
        user: ActingUser {
            account_id: "lina",
            unit_id: "u1",
            roles: &[Role::Officer],
        },
        profile: &profile,
        stage_moves: &moves,
        sealed_rewrites: &rewrites,
    })
}

#[test]
fn the_conflict_shows_both_versions_field_by_field_and_says_what_to_do() {
    let (_, merged, _) = conflicted();
    let c = &merged.seal_conflicts().expect("conflicts")[0];
    assert!(c.resolvable());
    let rows = c.fields();
    let row = rows.iter().find(|f| f.key == "findings").expect("findings");
    assert_eq!(row.label, "检查情况");
    assert!(row.differs);
    assert_eq!(row.edited, "离线时改写的检查情况");
    assert_ne!(row.sealed, row.edited);
    let same = rows.iter().find(|f| f.key == "place").expect("place");
    assert!(!same.differs && same.sealed == same.edited);
    let m = c.message();
    assert!(
        m.contains("保留封存版本") && m.contains("以更正文书载入"),
        "{m}"
    );
    assert!(m.contains("执法全过程记录制度 第十二条"), "{m}");
}

#[test]
fn keeping_the_sealed_version_restores_it_and_every_replica_agrees() {
    let (mut a, mut merged, mut b) = conflicted();
    let sealed = findings(&a, "r1");
    let r = merged
        .resolve_seal_conflict("r1", ConflictChoice::KeepSealed, &who_b())
        .expect("resolve");
    assert_eq!(r.kind, ResolutionKind::KeepSealed);
    assert_eq!((r.by.as_str(), r.amendment.as_ref()), ("lina", None));
    assert_eq!(r.fields, ["findings"]);
    assert!(merged.seal_conflicts().expect("c").is_empty());
    assert!(merged.verify_seals().expect("v").is_empty());
    assert_eq!(findings(&merged, "r1"), sealed);
    assert_eq!(merged.conflict_resolutions().expect("r"), vec![r.clone()]);
    let case = merged.case().expect("case");
    let ev = case.events.last().expect("event");
    assert_eq!(ev.kind, EventKind::Other);
    assert!(ev.detail.contains("保留封存版本"), "{}", ev.detail);
    // The other replicas merge the decision: no conflict left anywhere.
    for other in [&mut a, &mut b] {
        other.merge(&mut merged).expect("merge");
        assert!(other.seal_conflicts().expect("c").is_empty());
        assert_eq!(other.conflict_resolutions().expect("r"), vec![r.clone()]);
    }
    // Signing is possible again under the restored seal.
    a.sign_record(
        "r1",
        zhifa_core::template::SignerRole::Party,
        "p1",
        "赵六",
        None,
        &who_a(),
        &key(1),
    )
    .expect("sign");
}

#[test]
fn an_amendment_carries_the_concurrent_edit_with_its_reason() {
    let (mut a, mut merged, _) = conflicted();
    let sealed = findings(&a, "r1");
    let r = merged
        .resolve_seal_conflict(
            "r1",
            ConflictChoice::Amend {
                new_id: "r2",
                reason: "补正离线记录的检查情况",
            },
            &who_b(),
        )
        .expect("resolve");
    assert_eq!(r.kind, ResolutionKind::Amended);
    assert_eq!(r.amendment.as_deref(), Some("r2"));
    assert!(merged.seal_conflicts().expect("c").is_empty());
    assert!(merged.verify_seals().expect("v").is_empty());
    assert_eq!(findings(&merged, "r1"), sealed);
    let amendment = merged.record("r2").expect("r2");
    assert_eq!(amendment.amends.as_deref(), Some("r1"));
    assert_eq!(
        amendment.amend_reason.as_deref(),
        Some("补正离线记录的检查情况")
    );
    assert_eq!(amendment.revision, 2);
    assert!(amendment.seal.is_none(), "sealed later, by the officer");
    assert_eq!(
        amendment.fields["findings"],
        FieldValue::Text("离线时改写的检查情况".into())
    );
    let case = merged.case().expect("case");
    assert!(case.is_superseded(case.record("r1").expect("r1")));
    assert!(r.describe().contains("补正离线记录的检查情况"));
    a.merge(&mut merged).expect("merge");
    assert!(a.seal_conflicts().expect("c").is_empty());
    assert_eq!(findings(&a, "r2"), findings(&merged, "r2"));
}

#[test]
fn the_server_accepts_a_resolution_whatever_it_had_before() {
    for amend in [false, true] {
        let choice = if amend {
            ConflictChoice::Amend {
                new_id: "r2",
                reason: "补正",
            }
        } else {
            ConflictChoice::KeepSealed
        };
        // The server had the conflict already.
        let (mut a, mut merged, _) = conflicted();
        let mut server = fork(&mut merged, A1);
        merged
            .resolve_seal_conflict("r1", choice, &who_b())
            .expect("resolve");
        let r = refusals(&mut server, &mut merged);
        assert!(r.is_empty(), "amend={amend}: {r:?}");
        // The server had only the seal: the edit and its resolution arrive.
        let r = refusals(&mut a, &mut merged);
        assert!(r.is_empty(), "amend={amend}: {r:?}");
    }
}

#[test]
fn bad_resolutions_are_refused_and_change_nothing() {
    let (_, mut merged, _) = conflicted();
    let heads = merged.heads();
    let e = merged
        .resolve_seal_conflict(
            "r1",
            ConflictChoice::Amend {
                new_id: "r2",
                reason: "  ",
            },
            &who_b(),
        )
        .expect_err("no reason");
    assert!(e.to_string().contains("须说明理由"), "{e}");
    let e = merged
        .resolve_seal_conflict("nope", ConflictChoice::KeepSealed, &who_b())
        .expect_err("no conflict");
    assert!(e.to_string().contains("没有封存冲突"), "{e}");
    let e = merged
        .resolve_seal_conflict(
            "r1",
            ConflictChoice::Amend {
                new_id: "r1",
                reason: "补正",
            },
            &who_b(),
        )
        .expect_err("existing id");
    assert!(e.to_string().contains("已存在"), "{e}");
    assert_eq!(merged.heads(), heads, "nothing written");
    assert_eq!(merged.seal_conflicts().expect("c").len(), 1);
    // Resolved once: a second resolution has nothing to resolve.
    merged
        .resolve_seal_conflict("r1", ConflictChoice::KeepSealed, &who_b())
        .expect("resolve");
    let e = merged
        .resolve_seal_conflict("r1", ConflictChoice::KeepSealed, &who_b())
        .expect_err("resolved");
    assert!(e.to_string().contains("没有封存冲突"), "{e}");
}

#[test]
fn two_concurrent_seals_are_not_resolved_on_a_device() {
    let mut a = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    filled_record(&mut a, "r1", "inspection_record");
    let mut b = fork(&mut a, A2);
    b.set_field_json("r1", "place", &json!("二楼"), &who_b())
        .expect("edit");
    a.seal_record("r1", &who_a(), &key(1)).expect("seal a");
    b.seal_record("r1", &who_b(), &key(2)).expect("seal b");
    a.merge(&mut b).expect("merge");
    let c = &a.seal_conflicts().expect("c")[0];
    assert!(!c.resolvable());
    assert!(!c.message().contains("处理办法"));
    let e = a
        .resolve_seal_conflict("r1", ConflictChoice::KeepSealed, &who_a())
        .expect_err("concurrent seals");
    assert!(matches!(e, CoreError::InvalidInput(_)), "{e}");
    assert!(e.to_string().contains("法制机构"), "{e}");
}

#[test]
fn both_devices_keeping_the_seal_at_once_merge_without_a_conflict() {
    let (mut a, mut merged, _) = conflicted();
    let mut other = fork(&mut merged, A1);
    merged
        .resolve_seal_conflict("r1", ConflictChoice::KeepSealed, &who_b())
        .expect("b");
    other
        .resolve_seal_conflict("r1", ConflictChoice::KeepSealed, &who_a())
        .expect("a");
    merged.merge(&mut other).expect("merge");
    assert!(merged.seal_conflicts().expect("c").is_empty());
    assert!(merged.verify_seals().expect("v").is_empty());
    assert_eq!(merged.conflict_resolutions().expect("r").len(), 1);
    a.merge(&mut merged).expect("merge");
    assert!(a.seal_conflicts().expect("c").is_empty());
}
