//! The case document: schema, edits, seals in the document, merges.
#![allow(clippy::inconsistent_digit_grouping)] // amounts in 元_分

mod common;

use automerge::transaction::Transactable;
use automerge::{ReadDoc, ROOT};
use common::*;
use serde_json::json;
use zhifa_core::case::{CaseKind, PartyKind, Stage};
use zhifa_core::doc::CaseDoc;
use zhifa_core::record::FieldValue;
use zhifa_core::template::{SignerRole, TemplateRegistry};
use zhifa_core::CoreError;

fn inspection() -> CaseDoc {
    new_case(CaseKind::Inspection, None, PartyKind::LegalPerson)
}

fn with_record(template: &str) -> CaseDoc {
    let mut doc = inspection();
    let tpl = common::template(template);
    doc.create_record("r1", &tpl, &who_a()).unwrap();
    doc
}

/// A second replica of `doc` on another device.
fn fork(doc: &mut CaseDoc, actor: &[u8]) -> CaseDoc {
    CaseDoc::load(&doc.save(), actor).unwrap()
}

#[test]
fn a_case_reads_back_what_was_written() {
    let mut doc = inspection();
    let case = doc.case().unwrap();
    assert_eq!(case.header.title, "某档案馆档案安全检查");
    assert_eq!(case.officers.len(), 2);
    assert_eq!(case.parties[0].display_id_number(), "913***********0Y43");
    assert_eq!(case.events[0].actor, "zhangwei");
    let loaded = CaseDoc::load(&doc.save(), A2).unwrap();
    assert_eq!(loaded.case().unwrap(), case);
}

#[test]
fn every_case_starts_from_the_same_template_change() {
    let mut a = CaseDoc::create(&header(CaseKind::Inspection, None), A1, &who_a()).unwrap();
    let mut b = CaseDoc::create(&header(CaseKind::Penalty, None), A2, &who_b()).unwrap();
    let first = |d: &mut CaseDoc| {
        d.automerge()
            .get_changes(&[])
            .first()
            .map(|c| c.hash())
            .unwrap()
    };
    assert_eq!(first(&mut a), first(&mut b));
    // Containers have the same ids, so two devices never create them twice.
    let id_a = a.automerge().get(ROOT, "records").unwrap().unwrap().1;
    let id_b = b.automerge().get(ROOT, "records").unwrap().unwrap().1;
    assert_eq!(id_a, id_b);
}

#[test]
fn loading_garbage_or_a_foreign_document_is_an_error() {
    assert!(CaseDoc::load(b"not automerge", A1).is_err());
    let mut other = automerge::AutoCommit::new();
    other.put(ROOT, "hello", "world").unwrap();
    let err = CaseDoc::load(&other.save(), A1).unwrap_err();
    assert!(matches!(err, CoreError::Malformed(_)), "{err}");
}

#[test]
fn bad_input_gives_typed_errors_and_changes_nothing() {
    let mut doc = with_record("inspection_record");
    let before = doc.save();
    let who = who_a();
    let err = doc
        .set_field_json("r1", "nope", &json!("x"), &who)
        .unwrap_err();
    assert!(matches!(err, CoreError::UnknownField { .. }), "{err}");
    let err = doc
        .set_field_json("r1", "credentials_shown", &json!("yes"), &who)
        .unwrap_err();
    assert!(matches!(err, CoreError::WrongFieldType { .. }), "{err}");
    let err = doc
        .set_field_json(
            "r1",
            "inspected_at",
            &json!("2026-02-30T10:00:00+08:00"),
            &who,
        )
        .unwrap_err();
    assert!(matches!(err, CoreError::InvalidDateTime { .. }), "{err}");
    let err = doc
        .set_field_json("r1", "rectify_by", &json!("2026-13-01"), &who)
        .unwrap_err();
    assert!(matches!(err, CoreError::InvalidDate { .. }), "{err}");
    let err = doc
        .set_field_json("r1", "place", &json!("地".repeat(201)), &who)
        .unwrap_err();
    assert!(matches!(err, CoreError::TextTooLong { .. }), "{err}");
    let err = doc
        .set_field_json("r1", "method", &json!("猜测"), &who)
        .unwrap_err();
    assert!(matches!(err, CoreError::InvalidChoice { .. }), "{err}");
    let err = doc
        .set_field_json("missing", "place", &json!("x"), &who)
        .unwrap_err();
    assert!(matches!(err, CoreError::RecordNotFound(_)), "{err}");
    let err = TemplateRegistry::builtin()
        .latest("no_such_template")
        .unwrap_err();
    assert!(matches!(err, CoreError::UnknownTemplate { .. }), "{err}");
    let bad_time = zhifa_core::doc::Actor {
        user: "u",
        device: "d",
        at: "yesterday",
    };
    assert!(matches!(
        doc.log_event(
            zhifa_core::case::EventKind::CredentialShown,
            &bad_time,
            None,
            ""
        ),
        Err(CoreError::InvalidDate { .. })
    ));
    assert!(doc.set_fine(Some(-1), &who).is_err());
    assert_eq!(
        doc.save(),
        before,
        "failed commands leave the document unchanged"
    );
}

#[test]
fn a_sealed_record_is_read_only_and_amended_by_a_new_revision() {
    let mut doc = with_record("inspection_record");
    let err = doc.seal_record("r1", &who_a(), &key(1)).unwrap_err();
    assert!(err.to_string().contains("必填项未填写"), "{err}");
    fill_required(&mut doc, "r1", "inspection_record");
    let seal = doc.seal_record("r1", &who_a(), &key(1)).unwrap();
    assert_eq!(seal.digest.len(), 64);
    let err = doc
        .set_field_json("r1", "place", &json!("别处"), &who_a())
        .unwrap_err();
    assert!(matches!(err, CoreError::RecordSealed(_)));
    assert!(matches!(
        doc.clear_field("r1", "place", &who_a()),
        Err(CoreError::RecordSealed(_))
    ));
    assert!(matches!(
        doc.attach_media(&media("r1", "image/jpeg", "p"), &who_a()),
        Err(CoreError::RecordSealed(_))
    ));
    assert!(matches!(
        doc.seal_record("r1", &who_a(), &key(1)),
        Err(CoreError::RecordSealed(_))
    ));
    assert!(
        doc.amend_record("r1", "r2", "  ", &who_a()).is_err(),
        "a reason is required"
    );
    doc.amend_record("r1", "r2", "检查地点笔误", &who_a())
        .unwrap();
    doc.set_field_json("r2", "place", &json!("某档案馆二楼库房"), &who_a())
        .unwrap();
    let old = doc.record("r1").unwrap();
    let new = doc.record("r2").unwrap();
    assert_eq!(old.superseded_by.as_deref(), Some("r2"));
    assert_eq!(
        (new.revision, new.amends.as_deref(), new.seal.is_none()),
        (2, Some("r1"), true)
    );
    assert!(matches!(
        doc.amend_record("r1", "r3", "again", &who_a()),
        Err(CoreError::InvalidInput(_))
    ));
    doc.seal_record("r2", &who_a(), &key(1)).unwrap();
    assert_eq!(doc.verify_seals().unwrap(), vec![]);
}

#[test]
fn signing_needs_a_seal_and_a_refusal_needs_a_witness() {
    let mut doc = with_record("inspection_record");
    let err = doc
        .sign_record(
            "r1",
            SignerRole::Party,
            "p1",
            "王五",
            None,
            &who_a(),
            &key(1),
        )
        .unwrap_err();
    assert!(matches!(err, CoreError::RecordNotSealed(_)));
    fill_required(&mut doc, "r1", "inspection_record");
    doc.seal_record("r1", &who_a(), &key(1)).unwrap();
    let err = doc
        .refuse_signature(
            "r1",
            SignerRole::Party,
            "王五",
            "不认可",
            " ",
            &who_a(),
            &key(1),
        )
        .unwrap_err();
    assert!(err.to_string().contains("见证人"), "{err}");
    doc.refuse_signature(
        "r1",
        SignerRole::Party,
        "王五",
        "不认可",
        "赵六",
        &who_a(),
        &key(1),
    )
    .unwrap();
    doc.sign_record(
        "r1",
        SignerRole::Officer,
        "zhangwei",
        "张伟",
        Some(sha(b"strokes")),
        &who_a(),
        &key(1),
    )
    .unwrap();
    let rec = doc.record("r1").unwrap();
    let seal = rec.seal.unwrap();
    assert_eq!(seal.signatures.len(), 1);
    assert_eq!(seal.refusals[0].witness_name, "赵六");
    assert_eq!(doc.verify_seals().unwrap(), vec![]);
}

/// Overwrites a field of a record behind the API's back, as a tampering
/// device or a corrupted merge would.
fn tamper(doc: &mut CaseDoc, record: &str, key: &str, value: automerge::ScalarValue) {
    let am = doc.automerge();
    let records = am.get(ROOT, "records").unwrap().unwrap().1;
    let rec = am.get(&records, record).unwrap().unwrap().1;
    let fields = am.get(&rec, "fields").unwrap().unwrap().1;
    am.put(&fields, key, value).unwrap();
    am.commit();
}

#[test]
fn verification_detects_a_change_of_every_field_kind_and_of_media_hashes() {
    let mut doc = with_record("inspection_record");
    fill_required(&mut doc, "r1", "inspection_record");
    doc.set_field_json("r1", "rectify_by", &json!("2026-04-01"), &who_a())
        .unwrap();
    doc.attach_media(&media("r1", "video/mp4", "video"), &who_a())
        .unwrap();
    doc.seal_record("r1", &who_a(), &key(1)).unwrap();
    let saved = doc.save();
    use automerge::ScalarValue as S;
    let cases: Vec<(&str, S)> = vec![
        ("place", S::Str("别处".into())),                             // text
        ("findings", S::Str("没有问题".into())),                      // long text
        ("credentials_shown", S::Boolean(false)),                     // bool
        ("inspected_at", S::Str("2026-03-02T10:30:00+08:00".into())), // date-time
        ("rectify_by", S::Str("2026-05-01".into())),                  // date
        ("method", S::Str("询问".into())),                            // choice
        ("officers_present", S::Str("zhangwei".into())),              // list replaced
        ("items", S::Str("其他".into())),                             // multi choice
        ("problems", S::Str("新增的问题".into())),                    // a field added after sealing
    ];
    for (key, value) in cases {
        let mut d = CaseDoc::load(&saved, A1).unwrap();
        tamper(&mut d, "r1", key, value);
        let bad = d.verify_seals().unwrap();
        assert_eq!(bad.len(), 1, "change of {key} not detected");
        assert!(
            bad[0].1.iter().any(|p| p.contains(key)),
            "{key}: {:?}",
            bad[0].1
        );
    }
    // Money and Q&A fields live in other templates.
    let mut d = inspection();
    filled_record(&mut d, "q", "inquiry_record");
    d.seal_record("q", &who_a(), &key(1)).unwrap();
    let am = d.automerge();
    let records = am.get(ROOT, "records").unwrap().unwrap().1;
    let rec = am.get(&records, "q").unwrap().unwrap().1;
    let fields = am.get(&rec, "fields").unwrap().unwrap().1;
    let qa = am.get(&fields, "qa").unwrap().unwrap().1;
    let pair = am.get(&qa, 0).unwrap().unwrap().1;
    am.put(&pair, "a", "不是王五").unwrap();
    am.commit();
    assert_eq!(
        d.verify_seals().unwrap().len(),
        1,
        "Q&A answer change not detected"
    );
    let mut d = with_record("rights_notice");
    fill_required(&mut d, "r1", "rights_notice");
    d.set_field("r1", "proposed_fine_fen", FieldValue::Int(500_00), &who_a())
        .unwrap();
    d.seal_record("r1", &who_a(), &key(1)).unwrap();
    tamper(&mut d, "r1", "proposed_fine_fen", S::Int(50_00));
    assert_eq!(
        d.verify_seals().unwrap().len(),
        1,
        "money change not detected"
    );
    // Media hash list.
    let mut d = CaseDoc::load(&saved, A1).unwrap();
    let am = d.automerge();
    let records = am.get(ROOT, "records").unwrap().unwrap().1;
    let rec = am.get(&records, "r1").unwrap().unwrap().1;
    let list = am.get(&rec, "media").unwrap().unwrap().1;
    am.put(&list, 0, sha(b"another video")).unwrap();
    am.commit();
    let bad = d.verify_seals().unwrap();
    assert_eq!(bad.len(), 1);
    assert!(
        bad[0].1.iter().any(|p| p.contains("media")),
        "{:?}",
        bad[0].1
    );
}

#[test]
fn concurrent_edits_of_different_fields_merge() {
    let mut a = with_record("inspection_record");
    let mut b = fork(&mut a, A2);
    a.set_field_json("r1", "place", &json!("一楼"), &who_a())
        .unwrap();
    b.set_field_json("r1", "findings", &json!("库房湿度超标"), &who_b())
        .unwrap();
    b.add_party(
        &zhifa_core::case::Party {
            id: "p2".into(),
            ..party(PartyKind::NaturalPerson)
        },
        &who_b(),
    )
    .unwrap();
    assert_eq!(a.merge(&mut b).unwrap(), vec![]);
    assert_eq!(b.merge(&mut a).unwrap(), vec![]);
    let (ca, cb) = (a.case().unwrap(), b.case().unwrap());
    assert_eq!(ca, cb);
    let r = ca.record("r1").unwrap();
    assert_eq!(r.fields["place"], FieldValue::Text("一楼".into()));
    assert_eq!(
        r.fields["findings"],
        FieldValue::Text("库房湿度超标".into())
    );
    assert_eq!(ca.parties.len(), 2);
}

#[test]
fn an_edit_that_crosses_a_seal_is_reported_naming_both_versions() {
    let mut a = with_record("inspection_record");
    fill_required(&mut a, "r1", "inspection_record");
    let mut b = fork(&mut a, A2);
    a.seal_record("r1", &who_a(), &key(1)).unwrap();
    b.set_field_json("r1", "findings", &json!("离线时改写的检查情况"), &who_b())
        .unwrap();
    let conflicts = a.merge(&mut b).unwrap();
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0];
    assert_eq!(c.record_id, "r1");
    assert!(c.sealed_version.contains("findings 的内容"));
    assert!(c.merged_version.contains("离线时改写的检查情况"));
    assert!(
        c.changes.iter().any(|x| x.contains("findings")),
        "{:?}",
        c.changes
    );
    assert!(c.message().contains("封存内容在同步合并后出现冲突"));
    assert_eq!(a.verify_seals().unwrap().len(), 1, "verification fails too");
}

#[test]
fn nobody_signs_or_refuses_under_a_broken_seal() {
    let mut a = with_record("inspection_record");
    fill_required(&mut a, "r1", "inspection_record");
    let mut b = fork(&mut a, A2);
    a.seal_record("r1", &who_a(), &key(1)).unwrap();
    assert!(
        !a.record("r1").unwrap().seal_broken(),
        "intact after sealing"
    );
    b.set_field_json("r1", "findings", &json!("离线时改写的检查情况"), &who_b())
        .unwrap();
    a.merge(&mut b).unwrap();
    let r = a.record("r1").unwrap();
    assert!(r.is_sealed() && r.seal_broken());
    let sign = a.sign_record(
        "r1",
        SignerRole::Party,
        "p1",
        "赵六",
        None,
        &who_a(),
        &key(1),
    );
    let err = sign.unwrap_err();
    assert!(
        matches!(err, CoreError::SealBroken(ref id) if id == "r1"),
        "{err}"
    );
    assert!(
        err.to_string().contains("文书 r1 的内容与封存不符"),
        "{err}"
    );
    let refuse = a.refuse_signature(
        "r1",
        SignerRole::Party,
        "赵六",
        "不同意",
        "钱七",
        &who_a(),
        &key(1),
    );
    assert!(matches!(refuse, Err(CoreError::SealBroken(_))));
    assert!(a.record("r1").unwrap().seal.unwrap().signatures.is_empty());
}

#[test]
fn two_devices_sealing_different_content_is_a_conflict() {
    let mut a = with_record("inspection_record");
    fill_required(&mut a, "r1", "inspection_record");
    let mut b = fork(&mut a, A2);
    b.set_field_json("r1", "place", &json!("二楼"), &who_b())
        .unwrap();
    a.seal_record("r1", &who_a(), &key(1)).unwrap();
    b.seal_record("r1", &who_b(), &key(2)).unwrap();
    let conflicts = a.merge(&mut b).unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].concurrent_seals.len(), 2);
    assert!(conflicts[0].message().contains("2 个并发封存版本"));
}

#[test]
fn signatures_from_two_devices_merge_without_conflict() {
    let mut a = with_record("inspection_record");
    fill_required(&mut a, "r1", "inspection_record");
    a.seal_record("r1", &who_a(), &key(1)).unwrap();
    let mut b = fork(&mut a, A2);
    a.sign_record(
        "r1",
        SignerRole::Officer,
        "zhangwei",
        "张伟",
        None,
        &who_a(),
        &key(1),
    )
    .unwrap();
    b.sign_record(
        "r1",
        SignerRole::Officer,
        "lina",
        "李娜",
        None,
        &who_b(),
        &key(2),
    )
    .unwrap();
    assert_eq!(a.merge(&mut b).unwrap(), vec![]);
    assert_eq!(a.record("r1").unwrap().seal.unwrap().signatures.len(), 2);
    assert_eq!(a.verify_seals().unwrap(), vec![]);
}

#[test]
fn incremental_saves_replay_onto_the_snapshot() {
    let mut a = inspection();
    let snapshot = a.save();
    let tpl = template("inspection_record");
    a.create_record("r1", &tpl, &who_a()).unwrap();
    let chunk1 = a.save_incremental();
    a.set_stage(Stage::Decision, &who_a()).unwrap();
    let chunk2 = a.save_incremental();
    let mut b = CaseDoc::load(&snapshot, A2).unwrap();
    b.load_incremental(&chunk1).unwrap();
    b.load_incremental(&chunk2).unwrap();
    assert_eq!(b.case().unwrap(), a.case().unwrap());
    assert_eq!(b.header().unwrap().stage, Stage::Decision);
    assert_eq!(b.heads(), a.heads());
    // A torn or garbage chunk (a crash mid-write) is ignored, never half-applied.
    let heads = b.heads();
    let _ = b.load_incremental(b"garbage");
    let _ = b.load_incremental(&chunk2[..chunk2.len() / 2]);
    assert_eq!(b.heads(), heads);
    assert_eq!(b.case().unwrap(), a.case().unwrap());
}

#[test]
fn expected_media_lists_every_attached_file() {
    let mut doc = with_record("inspection_record");
    for n in 0..3 {
        doc.attach_media(&media("r1", "image/jpeg", &format!("photo{n}")), &who_a())
            .unwrap();
    }
    doc.attach_media(&media("r1", "image/jpeg", "photo0"), &who_a())
        .unwrap();
    assert_eq!(doc.expected_media().unwrap().len(), 3);
    assert_eq!(
        doc.record("r1").unwrap().media.len(),
        3,
        "attaching twice is idempotent"
    );
    let mut bad = media("r1", "image/jpeg", "x");
    bad.sha256 = "nothex".into();
    assert!(matches!(
        doc.attach_media(&bad, &who_a()),
        Err(CoreError::InvalidMedia(_))
    ));
}

/// Overwrites a property of a record itself (not of its fields).
fn tamper_record(doc: &mut CaseDoc, record: &str, key: &str, value: &str) {
    let am = doc.automerge();
    let records = am.get(ROOT, "records").unwrap().unwrap().1;
    let rec = am.get(&records, record).unwrap().unwrap().1;
    am.put(&rec, key, value).unwrap();
    am.commit();
}

#[test]
fn strokes_must_be_a_sha256_hash_and_non_ascii_is_an_error_not_a_panic() {
    let mut doc = with_record("inspection_record");
    fill_required(&mut doc, "r1", "inspection_record");
    doc.seal_record("r1", &who_a(), &key(1)).unwrap();
    for bad in [
        "笔迹",
        "签名笔迹文件一二三四五六七八九十",
        "abc",
        &"A".repeat(64),
    ] {
        let err = doc
            .sign_record(
                "r1",
                SignerRole::Officer,
                "zhangwei",
                "张伟",
                Some(bad.to_string()),
                &who_a(),
                &key(1),
            )
            .unwrap_err();
        assert!(matches!(err, CoreError::InvalidMedia(_)), "{bad}: {err}");
    }
    assert!(doc
        .record("r1")
        .unwrap()
        .seal
        .unwrap()
        .signatures
        .is_empty());
}

#[test]
fn renaming_a_signer_in_the_document_breaks_the_signature() {
    let mut doc = with_record("inspection_record");
    fill_required(&mut doc, "r1", "inspection_record");
    doc.seal_record("r1", &who_a(), &key(1)).unwrap();
    doc.sign_record(
        "r1",
        SignerRole::Party,
        "p1",
        "王五",
        None,
        &who_a(),
        &key(1),
    )
    .unwrap();
    assert_eq!(doc.verify_seals().unwrap(), vec![]);
    let am = doc.automerge();
    let records = am.get(ROOT, "records").unwrap().unwrap().1;
    let rec = am.get(&records, "r1").unwrap().unwrap().1;
    let sigs = am.get(&rec, "signatures").unwrap().unwrap().1;
    let json = am
        .get(&sigs, 0)
        .unwrap()
        .unwrap()
        .0
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(json.contains("王五"));
    am.put(&sigs, 0, json.replace("王五", "王六")).unwrap();
    am.commit();
    let bad = doc.verify_seals().unwrap();
    assert_eq!(bad.len(), 1, "signer rename not detected");
    assert!(
        bad[0].1.iter().any(|p| p.contains("王六 的签名无效")),
        "{bad:?}"
    );
}

#[test]
fn changing_the_amendment_reason_or_link_after_sealing_is_detected() {
    let mut doc = with_record("inspection_record");
    fill_required(&mut doc, "r1", "inspection_record");
    doc.seal_record("r1", &who_a(), &key(1)).unwrap();
    doc.amend_record("r1", "r2", "检查地点笔误", &who_a())
        .unwrap();
    doc.seal_record("r2", &who_a(), &key(1)).unwrap();
    assert_eq!(doc.verify_seals().unwrap(), vec![]);
    let saved = doc.save();
    for (key, value) in [("amend_reason", "当事人要求删除"), ("amends", "r0")] {
        let mut d = CaseDoc::load(&saved, A1).unwrap();
        tamper_record(&mut d, "r2", key, value);
        let bad = d.verify_seals().unwrap();
        assert!(
            bad.iter()
                .any(|(id, p)| id == "r2" && p.iter().any(|x| x.contains(key))),
            "{key}: {bad:?}"
        );
    }
}

#[test]
fn a_forged_superseded_by_is_reported_and_does_not_hide_the_record() {
    let mut a = with_record("inspection_record");
    fill_required(&mut a, "r1", "inspection_record");
    a.seal_record("r1", &who_a(), &key(1)).unwrap();
    let tpl = common::template("inquiry_record");
    a.create_record("r9", &tpl, &who_a()).unwrap();
    for target in ["ghost", "r9"] {
        let mut b = fork(&mut a, A2);
        tamper_record(&mut b, "r1", "superseded_by", target);
        let mut a2 = fork(&mut a, A1);
        let conflicts = a2.merge(&mut b).unwrap();
        assert_eq!(conflicts.len(), 1, "{target}");
        assert!(
            conflicts[0]
                .message()
                .contains(&format!("标记为已被 {target} 修订")),
            "{}",
            conflicts[0].message()
        );
        let bad = a2.verify_seals().unwrap();
        assert!(
            bad.iter()
                .any(|(id, p)| id == "r1" && p.iter().any(|x| x.contains("修订"))),
            "{bad:?}"
        );
        let case = a2.case().unwrap();
        let r1 = case.record("r1").unwrap();
        assert!(!case.is_superseded(r1));
        assert_eq!(case.current_records("inspection_record").count(), 1);
    }
    // A real amendment is not reported.
    a.amend_record("r1", "r2", "笔误", &who_a()).unwrap();
    assert_eq!(a.seal_conflicts().unwrap(), vec![]);
    let case = a.case().unwrap();
    assert!(case.is_superseded(case.record("r1").unwrap()));
}

#[test]
fn edits_party_officer_and_fine_changes_are_in_the_history_without_values() {
    use zhifa_core::case::EventKind as K;
    let mut doc = with_record("inquiry_record");
    doc.set_field_json(
        "r1",
        "interviewee_id",
        &json!("130702199001011234"),
        &who_a(),
    )
    .unwrap();
    doc.set_field(
        "r1",
        "interviewee_id",
        FieldValue::Text("130702199001015678".into()),
        &who_b(),
    )
    .unwrap();
    doc.clear_field("r1", "interviewee_id", &who_a()).unwrap();
    doc.set_fine(Some(500_00), &who_a()).unwrap();
    let case = doc.case().unwrap();
    let edits: Vec<_> = case
        .events
        .iter()
        .filter(|e| e.kind == K::RecordEdited)
        .collect();
    assert_eq!(edits.len(), 3, "one event per call");
    for e in &edits {
        assert_eq!(e.target.as_deref(), Some("r1"));
        assert_eq!(e.detail, "interviewee_id");
        assert!(!e.detail.contains("1307"));
    }
    assert_eq!(edits[1].actor, "lina");
    let kinds: Vec<K> = case.events.iter().map(|e| e.kind).collect();
    for k in [K::OfficerAssigned, K::PartyAdded, K::FineChanged] {
        assert!(kinds.contains(&k), "{k:?} missing: {kinds:?}");
    }
    let party = case
        .events
        .iter()
        .find(|e| e.kind == K::PartyAdded)
        .unwrap();
    assert_eq!(party.detail, "p1", "the id, not the name");
    // A refused edit leaves no event.
    let n = case.events.len();
    assert!(doc
        .set_field_json("r1", "interviewee_id", &json!(5), &who_a())
        .is_err());
    assert_eq!(doc.case().unwrap().events.len(), n);
}

#[test]
fn a_burst_of_edits_is_one_history_entry_listing_the_keys() {
    use zhifa_core::case::EventKind as K;
    let mut doc = with_record("inspection_record");
    let edits = |doc: &CaseDoc| -> Vec<(String, String)> {
        doc.case()
            .unwrap()
            .events
            .iter()
            .filter(|e| e.kind == K::RecordEdited)
            .map(|e| (e.actor.clone(), e.detail.clone()))
            .collect()
    };
    for (k, v) in [("place", "一楼"), ("findings", "正常"), ("place", "二楼")] {
        doc.set_field_json("r1", k, &json!(v), &who_a()).unwrap();
    }
    assert_eq!(
        edits(&doc),
        vec![("zhangwei".to_string(), "place、findings".to_string())]
    );
    // Another change in between (here: a media file) starts a new entry.
    doc.attach_media(&media("r1", "image/jpeg", "p"), &who_a())
        .unwrap();
    doc.set_field_json("r1", "problems", &json!("无"), &who_a())
        .unwrap();
    // So does a later time (> 10 minutes after the burst began).
    let later = zhifa_core::doc::Actor {
        at: "2026-03-02T09:45:00+08:00",
        ..who_a()
    };
    doc.set_field_json("r1", "problems", &json!("有"), &later)
        .unwrap();
    assert_eq!(edits(&doc).len(), 3, "{:?}", edits(&doc));
    // A replica that reloads the document starts its own entry.
    let mut b = fork(&mut doc, A2);
    b.set_field_json("r1", "problems", &json!("再改"), &later)
        .unwrap();
    assert_eq!(edits(&b).len(), 4);
}

#[test]
fn events_stage_and_fine_written_directly_read_back_through_autosurgeon() {
    use zhifa_core::case::EventKind as K;
    let mut doc = inspection();
    for k in [
        K::CredentialShown,
        K::RightsNotified,
        K::ReviewCompleted,
        K::Other,
    ] {
        doc.log_event(k, &who_a(), Some("r1"), "说明").unwrap();
        doc.log_event(k, &who_a(), None, "说明").unwrap();
    }
    for stage in Stage::ALL {
        doc.set_stage(stage, &who_a()).unwrap();
        assert_eq!(doc.header().unwrap().stage, stage);
    }
    doc.set_fine(Some(123_45), &who_a()).unwrap();
    assert_eq!(doc.header().unwrap().fine_fen, Some(123_45));
    doc.set_fine(None, &who_a()).unwrap();
    assert_eq!(doc.header().unwrap().fine_fen, None);
    let case = CaseDoc::load(&doc.save(), A2).unwrap().case().unwrap();
    let logged: Vec<_> = case
        .events
        .iter()
        .filter(|e| e.detail == "说明")
        .map(|e| (e.kind, e.target.clone()))
        .collect();
    assert_eq!(logged.len(), 8);
    assert_eq!(logged[0], (K::CredentialShown, Some("r1".to_string())));
    assert_eq!(logged[1], (K::CredentialShown, None));
    assert_eq!(logged[7], (K::Other, None));
}
