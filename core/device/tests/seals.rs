//! A record whose content no longer matches its seal (an offline edit that
//! crossed the seal, merged in) is shown as broken and cannot be signed.

mod common;

use serde_json::json;
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::template::SignerRole;
use zhifa_core::CoreError;
use zhifa_device::testdata::sample_strokes;
use zhifa_device::{DeviceError, NewCase};

#[test]
fn a_record_edited_across_its_seal_is_shown_broken_and_cannot_be_signed() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = common::app(&dir.path().join("a"), "zhangwei");
    let me = a.whoami().expect("me");
    let c = a
        .new_case(&NewCase::inspection("封存被越过"))
        .expect("case");
    let (case, rec) = (c.case_id, c.record_id.expect("rec"));
    for (k, v) in [
        ("inspected_at", json!("2026-03-02T09:30:00+08:00")),
        ("place", json!("康保县某档案馆档案库房")),
        ("inspected_unit", json!("康保县某档案馆")),
        ("officers_present", json!([me.id])),
        ("credentials_shown", json!(true)),
        ("basis", json!("《中华人民共和国档案法》第四十二条")),
        ("items", json!(["档案安全"])),
        ("method", json!("双随机抽查")),
        ("findings", json!("库房温湿度记录完整。")),
    ] {
        a.set_field(&case, &rec, k, &v).expect(k);
    }
    let before_seal = a.export_case(&case).expect("export");
    a.seal_record(&case, &rec).expect("seal");
    let sealed = a.export_case(&case).expect("export");

    // Another device, offline, rewrote the findings before it saw the seal.
    let mut other = CaseDoc::load(&before_seal, &[0xB0; 16]).expect("load");
    let who = Actor {
        user: &me.id,
        device: "other-device",
        at: "2026-03-02T11:00:00+08:00",
    };
    other
        .set_field_json(&rec, "findings", &json!("离线时改写的检查情况"), &who)
        .expect("offline edit");
    let mut merged = CaseDoc::load(&sealed, &[0xC0; 16]).expect("load");
    assert_eq!(merged.merge(&mut other).expect("merge").len(), 1);

    // The sealing device itself still holds an intact seal and signs.
    assert!(!a.record_editor(&case, &rec).expect("editor").seal_broken);
    a.sign(
        &case,
        &rec,
        SignerRole::Party,
        "p1",
        "赵六",
        &sample_strokes(1.0),
    )
    .expect("an intact seal is signed");

    // A device that receives the merged case shows the record as broken...
    let b = common::app(&dir.path().join("b"), "zhangwei");
    b.import_case(&merged.save()).expect("import");
    let editor = b.record_editor(&case, &rec).expect("editor");
    assert!(editor.sealed && editor.seal_broken, "{editor:?}");
    let view = b.case_view(&case).expect("view");
    let row = view.records.iter().find(|r| r.id == rec).expect("row");
    assert!(row.sealed && row.seal_broken);
    assert!(!view.seal_conflicts.is_empty());
    assert!(!b.verify_seals(&case).expect("verify").is_empty());

    // ...and refuses to sign it or to record a refusal, naming the record.
    let err = b
        .sign(
            &case,
            &rec,
            SignerRole::Party,
            "p1",
            "赵六",
            &sample_strokes(2.0),
        )
        .expect_err("no signature under a broken seal");
    assert!(
        matches!(err, DeviceError::Core(CoreError::SealBroken(_))),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("现场检查笔录") && text.contains(&rec),
        "{text}"
    );
    assert!(text.contains("内容与封存不符"), "{text}");
    let err = b
        .refuse(&case, &rec, SignerRole::Party, "赵六", "不同意", "钱七")
        .expect_err("no refusal under a broken seal");
    assert!(err.to_string().contains("内容与封存不符"), "{err}");
    // Nothing was added: no signature, no stored strokes in the case.
    let editor = b.record_editor(&case, &rec).expect("editor");
    assert!(editor.signatures.is_empty());
    assert!(editor.refusals.is_empty());
}
