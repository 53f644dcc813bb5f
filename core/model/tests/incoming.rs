//! The server's check of a peer's changes (zhifa_core::rules::check_incoming
//! and CaseDoc::sealed_rewrites): each crafted move is refused with its code,
//! and the legitimate ones (a gated advance, a concurrent merge, an offline
//! edit across a seal) pass.

mod common;

use automerge::transaction::Transactable;
use automerge::{ReadDoc, ROOT};
use common::*;
use zhifa_core::authority::ActingUser;
use zhifa_core::case::{CaseKind, PartyKind, Stage};
use zhifa_core::doc::CaseDoc;
use zhifa_core::rules::{check_incoming, Incoming, IncomingRefusal, RuleProfile};
use zhifa_core::sync::Role;
use zhifa_core::template::SignerRole;

const OFFICER: &[Role] = &[Role::Officer];

fn user<'a>(account: &'a str, roles: &'a [Role]) -> ActingUser<'a> {
    ActingUser {
        account_id: account,
        unit_id: "u1",
        roles,
    }
}

/// Checks `after` against `before` as the server does: `unit_after` is the
/// unit the after-header resolves to.
fn refusals(
    before: &mut CaseDoc,
    after: &mut CaseDoc,
    who: ActingUser<'_>,
    unit_after: &str,
) -> Vec<IncomingRefusal> {
    let old = before.case().expect("before");
    let new = after.case().expect("after");
    let heads = before.heads();
    let rewrites = after.sealed_rewrites(&heads).expect("rewrites");
    let moves = after.stage_moves(&heads).expect("moves");
    let profile = RuleProfile::default();
    check_incoming(&Incoming {
        before: Some(&old),
        after: &new,
        unit_before: Some("u1"),
        unit_after,
        user: who,
        profile: &profile,
        stage_moves: &moves,
        sealed_rewrites: &rewrites,
    })
}

fn codes(r: &[IncomingRefusal]) -> Vec<&'static str> {
    let mut c: Vec<_> = r.iter().map(|x| x.code).collect();
    c.dedup();
    c
}

fn fork(doc: &mut CaseDoc, actor: &[u8]) -> CaseDoc {
    let bytes = doc.save();
    CaseDoc::load(&bytes, actor).expect("fork")
}

fn header_obj(doc: &mut CaseDoc) -> automerge::ObjId {
    match doc.automerge().get(ROOT, "header").expect("get") {
        Some((_, id)) => id,
        None => panic!("no header"),
    }
}

#[test]
fn a_crafted_jump_to_archived_is_refused_by_the_gates() {
    let mut before = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    let mut after = fork(&mut before, A1);
    after.set_stage(Stage::Archived, &who_a()).expect("stage");
    let r = refusals(&mut before, &mut after, user("zhangwei", OFFICER), "u1");
    assert!(codes(&r).contains(&"stage_gate"), "{r:?}");
    assert!(
        r.iter()
            .any(|x| x.message.contains("归档") && !x.article.is_empty()),
        "the gate names the stage and an article: {r:?}"
    );
}

#[test]
fn a_gated_advance_passes_and_a_stranger_may_not_advance() {
    let mut before = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    let mut after = fork(&mut before, A1);
    // 调查取证 → 审查决定 needs officers present, AV and signatures: a complete
    // inspection record gives all three.
    complete_record(&mut after, "r1", "inspection_record");
    after.set_stage(Stage::Decision, &who_a()).expect("stage");
    let r = refusals(&mut before, &mut after, user("zhangwei", OFFICER), "u1");
    assert!(r.is_empty(), "{r:?}");
    let r = refusals(&mut before, &mut after, user("stranger", OFFICER), "u1");
    assert!(codes(&r).contains(&"stage_gate"), "{r:?}");
    // The media zhangwei captured cannot be sent as the stranger's either.
    assert!(codes(&r).contains(&"media_author"), "{r:?}");
}

#[test]
fn only_the_archivist_files_a_case_even_past_the_gates() {
    let mut before = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    complete_record(&mut before, "r1", "inspection_record");
    before.set_stage(Stage::Archiving, &who_a()).expect("stage");
    let mut after = fork(&mut before, A1);
    after.set_stage(Stage::Archived, &who_a()).expect("filed");
    let r = refusals(&mut before, &mut after, user("zhangwei", OFFICER), "u1");
    assert!(
        r.iter()
            .any(|x| x.code == "stage_gate" && x.message.contains("档案管理员")),
        "{r:?}"
    );
    let archivist = [Role::Archivist];
    let r = refusals(&mut before, &mut after, user("wufang", &archivist), "u1");
    assert!(!r.iter().any(|x| x.message.contains("档案管理员")), "{r:?}");
}

#[test]
fn a_stage_moved_back_is_refused_unless_two_moves_were_concurrent() {
    let mut base = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    complete_record(&mut base, "r1", "inspection_record");
    base.set_stage(Stage::Decision, &who_a()).expect("stage");
    let mut back = fork(&mut base, A1);
    back.set_stage(Stage::Investigation, &who_a())
        .expect("back");
    let r = refusals(&mut base, &mut back, user("zhangwei", OFFICER), "u1");
    assert_eq!(codes(&r), ["stage_backwards"], "{r:?}");

    // Two replicas move from 调查取证 concurrently; whichever value wins,
    // both stay in the header and the merge is not a move back.
    let mut start = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    complete_record(&mut start, "r1", "inspection_record");
    let mut a = fork(&mut start, A1);
    let mut b = fork(&mut start, A2);
    a.set_stage(Stage::ServiceExecution, &who_a()).expect("a");
    b.set_stage(Stage::Decision, &who_b()).expect("b");
    let mut merged = fork(&mut a, A3);
    merged.merge(&mut b).expect("merge");
    let r = refusals(&mut a, &mut merged, user("lina", OFFICER), "u1");
    assert!(!codes(&r).contains(&"stage_backwards"), "{r:?}");
}

#[test]
fn unit_and_assignment_change_only_by_the_head_or_a_leader() {
    let mut before = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    let mut after = fork(&mut before, A1);
    let h = header_obj(&mut after);
    after.automerge().put(&h, "unit", "其他科室").expect("unit");
    after
        .add_officer(&officer("wangqiang", "王强", "13000100009"), &who_a())
        .expect("officer");
    let r = refusals(&mut before, &mut after, user("zhangwei", OFFICER), "u2");
    assert_eq!(codes(&r), ["unit_change", "assignment"], "{r:?}");
    let head = [Role::Officer, Role::UnitHead];
    assert!(refusals(&mut before, &mut after, user("wangqiang", &head), "u2").is_empty());
    let leader = [Role::Leader];
    assert!(refusals(&mut before, &mut after, user("sun", &leader), "u2").is_empty());
}

#[test]
fn fixed_header_facts_and_limits_are_checked() {
    let mut before = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    let mut after = fork(&mut before, A1);
    let h = header_obj(&mut after);
    let am = after.automerge();
    am.put(&h, "created_by", "lina").expect("creator");
    am.put(&h, "title", "档".repeat(10_000)).expect("title");
    let r = refusals(&mut before, &mut after, user("zhangwei", OFFICER), "u1");
    assert_eq!(codes(&r), ["fixed_header", "limit"], "{r:?}");
    assert!(r.iter().any(|x| x.message.contains("10000")), "{r:?}");

    let mut after = fork(&mut before, A1);
    let h = header_obj(&mut after);
    after
        .automerge()
        .put(&h, "title", "王\u{200d}五的案件\u{1b}[2J")
        .expect("title");
    let r = refusals(&mut before, &mut after, user("zhangwei", OFFICER), "u1");
    assert_eq!(codes(&r), ["limit"], "{r:?}");
    assert!(r[0].message.contains("U+200D"), "{r:?}");
}

#[test]
fn a_rewrite_after_the_seal_is_refused_an_offline_edit_across_it_is_not() {
    let mut before = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    filled_record(&mut before, "r1", "inspection_record");
    // Offline: B forks before the seal and edits; A seals.
    let mut offline = fork(&mut before, A2);
    before.seal_record("r1", &who_a(), &key(1)).expect("seal");
    offline
        .set_field_json("r1", "place", &serde_json::json!("改过的地点"), &who_b())
        .expect("edit");
    let mut merged = fork(&mut before, A3);
    merged.merge(&mut offline).expect("merge");
    assert_eq!(merged.seal_conflicts().expect("conflicts").len(), 1);
    let heads = before.heads();
    assert!(merged.sealed_rewrites(&heads).expect("rw").is_empty());

    // Crafted: a change made on top of the seal rewrites a field.
    let mut crafted = fork(&mut before, A1);
    let fields = {
        let am = crafted.automerge();
        let (_, records) = am.get(ROOT, "records").expect("g").expect("records");
        let (_, rec) = am.get(&records, "r1").expect("g").expect("r1");
        let (_, fields) = am.get(&rec, "fields").expect("g").expect("fields");
        fields
    };
    crafted
        .automerge()
        .put(&fields, "place", "篡改的地点")
        .expect("rewrite");
    let r = refusals(&mut before, &mut crafted, user("zhangwei", OFFICER), "u1");
    assert_eq!(codes(&r), ["seal_rewrite"], "{r:?}");
    assert!(
        r[0].message.contains("现场检查"),
        "named by template: {r:?}"
    );

    // Crafted: the seal itself replaced by another.
    let mut reseal = fork(&mut before, A1);
    let rec = {
        let am = reseal.automerge();
        let (_, records) = am.get(ROOT, "records").expect("g").expect("records");
        am.get(&records, "r1").expect("g").expect("r1").1
    };
    reseal
        .automerge()
        .put(&rec, "seal", "{\"digest\":\"00\"}")
        .expect("reseal");
    assert_eq!(reseal.sealed_rewrites(&heads).expect("rw"), ["r1"]);
}

#[test]
fn office_role_signatures_only_by_the_holder_of_the_role() {
    let mut before = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    filled_record(&mut before, "r1", "filing_approval");
    before.seal_record("r1", &who_a(), &key(1)).expect("seal");
    let mut after = fork(&mut before, A1);
    after
        .sign_record(
            "r1",
            SignerRole::Leader,
            "sunjianguo",
            "孙建国",
            None,
            &who_a(),
            &key(1),
        )
        .expect("sign");
    let r = refusals(&mut before, &mut after, user("zhangwei", OFFICER), "u1");
    assert_eq!(codes(&r), ["signer_role"], "{r:?}");
    let leader = [Role::Leader];
    let r = refusals(&mut before, &mut after, user("sunjianguo", &leader), "u1");
    assert!(r.is_empty(), "{r:?}");
}

#[test]
fn gates_are_checked_on_the_case_as_it_was_when_it_moved() {
    let mut before = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    let mut after = fork(&mut before, A1);
    // Offline: the record is signed, the case advanced, then a draft made
    // in the new stage (unsigned, as drafts are).
    complete_record(&mut after, "r1", "inspection_record");
    after.set_stage(Stage::Decision, &who_a()).expect("stage");
    filled_record(&mut after, "r2", "investigation_report");
    let r = refusals(&mut before, &mut after, user("zhangwei", OFFICER), "u1");
    assert!(r.is_empty(), "{r:?}");
    // Two moves in one batch are both checked: the second one's gates fail.
    after.set_stage(Stage::Archiving, &who_a()).expect("stage");
    let r = refusals(&mut before, &mut after, user("zhangwei", OFFICER), "u1");
    assert_eq!(codes(&r), ["stage_gate"], "{r:?}");
    assert!(r.iter().all(|x| x.message.contains("归档管理")), "{r:?}");
}
