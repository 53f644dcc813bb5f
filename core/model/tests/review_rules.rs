//! The legal-review rules added with the office console: a corrective
//! opinion met by the unit's rectification approved by the leader ((三)
//! 第十一条), an opinion denying the power to act, and the office and
//! follow-up record types.

mod common;

use common::*;
use serde_json::json;
use zhifa_core::case::{PartyKind, Procedure};
use zhifa_core::rules::Gate;

#[test]
fn a_corrective_opinion_is_met_by_the_units_rectification_approved_by_the_leader() {
    let mut doc = major_case();
    let tpl = filled_record(&mut doc, "o1", "review_opinion");
    doc.set_field_json("o1", "outcome", &json!("程序违法的，建议纠正"), &who_a())
        .unwrap();
    doc.set_field_json("o1", "check_procedure", &json!(false), &who_a())
        .unwrap();
    doc.seal_record("o1", &who_a(), &key(1)).unwrap();
    sign_all(&mut doc, "o1", &tpl.signers);
    let text = messages(&run(Gate::MajorDecisionReviewed, &doc));
    assert!(
        text.contains("程序违法的，建议纠正") && text.contains("整改"),
        "{text}"
    );
    // The written rectification, sealed but not yet approved: still blocked.
    let rtpl = filled_record(&mut doc, "r1", "review_rectification");
    doc.set_field_json("r1", "reported_on", &json!("2026-03-05"), &who_a())
        .unwrap();
    doc.seal_record("r1", &who_a(), &key(1)).unwrap();
    let reviewer_only: Vec<_> = rtpl
        .signers
        .iter()
        .filter(|s| s.role == zhifa_core::template::SignerRole::Reviewer)
        .cloned()
        .collect();
    sign_all(&mut doc, "r1", &reviewer_only);
    assert!(!run(Gate::MajorDecisionReviewed, &doc).is_empty());
    // Approved by the leader: the decision may be made, not dated before the report.
    sign_all(&mut doc, "r1", &rtpl.signers);
    assert_eq!(run(Gate::MajorDecisionReviewed, &doc), vec![]);
    decision_on(&mut doc, "2026-03-04");
    let text = messages(&run(Gate::MajorDecisionReviewed, &doc));
    assert!(text.contains("早于整改报告日期 2026-03-05"), "{text}");
    decision_on(&mut doc, "2026-03-05");
    assert_eq!(run(Gate::MajorDecisionReviewed, &doc), vec![]);
}

#[test]
fn an_opinion_that_denies_the_power_to_act_cannot_be_rectified() {
    let mut doc = major_case();
    let tpl = filled_record(&mut doc, "o1", "review_opinion");
    doc.set_field_json(
        "o1",
        "outcome",
        &json!("不具有执法权的，建议不作出决定"),
        &who_a(),
    )
    .unwrap();
    doc.set_field_json("o1", "check_subject", &json!(false), &who_a())
        .unwrap();
    doc.seal_record("o1", &who_a(), &key(1)).unwrap();
    sign_all(&mut doc, "o1", &tpl.signers);
    let rtpl = filled_record(&mut doc, "r1", "review_rectification");
    doc.seal_record("r1", &who_a(), &key(1)).unwrap();
    sign_all(&mut doc, "r1", &rtpl.signers);
    let text = messages(&run(Gate::MajorDecisionReviewed, &doc));
    assert!(text.contains("不得作出该决定"), "{text}");
}

#[test]
fn the_office_and_follow_up_record_types_fill_seal_and_sign() {
    // (二) 第六条、第十五条、第十六条、第十九条、第二十条; 行政处罚法 art.61.
    for (id, name) in [
        ("expert_opinion", "专家论证意见"),
        ("collective_discussion", "集体讨论记录"),
        ("rectification_review", "整改复查记录"),
        ("performance_record", "履行情况记录"),
        ("enforcement_application", "强制执行申请书"),
        ("e_service_consent", "电子送达确认书"),
        ("application_handling", "申请受理登记"),
        ("review_rectification", "法制审核整改情况报告"),
    ] {
        let mut doc = penalty(Procedure::General, PartyKind::LegalPerson);
        let tpl = template(id);
        assert_eq!(tpl.name, name);
        assert!(!tpl.article.is_empty(), "{id} cites its article");
        complete_record(&mut doc, "x1", id);
        let rec = doc.record("x1").expect("record");
        assert!(rec.is_sealed(), "{id}");
        assert!(
            zhifa_core::rules::missing_signatures(&rec, &tpl).is_empty(),
            "{id}: every signer signed"
        );
        assert!(doc.verify_seals().expect("verify").is_empty(), "{id}");
    }
}
