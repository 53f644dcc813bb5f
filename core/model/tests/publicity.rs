//! 行政执法公示 in zhifa-core: the draft of a decided case's public entry
//! (personal data masked), entries and take-downs read from sealed records,
//! and the clocks: publish within 7 working days ((一) 第十二条(1)), take
//! down within 3 working days of a decision change (行政处罚法 第四十八条).

mod common;

use chrono::NaiveDate;
use common::*;
use serde_json::json;
use zhifa_core::authority::{authorize, template_action, ActingUser, OfficeAction};
use zhifa_core::case::{CaseKind, PartyKind, Procedure};
use zhifa_core::deadlines::{clock_of_case, DeadlineEngine};
use zhifa_core::doc::CaseDoc;
use zhifa_core::publicity::{draft, entries, to_withdraw, withdrawal_draft};
use zhifa_core::sync::Role;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn sealed(doc: &mut CaseDoc, id: &str, template: &str, fields: serde_json::Value) {
    let tpl = filled_record(doc, id, template);
    for (k, v) in fields.as_object().expect("object") {
        doc.set_field_json(id, k, v, &who_a()).expect("field");
    }
    doc.seal_record(id, &who_a(), &key(1)).expect("seal");
    sign_all(doc, id, &tpl.signers);
}

fn decided_penalty() -> CaseDoc {
    let mut doc = new_case(
        CaseKind::Penalty,
        Some(Procedure::General),
        PartyKind::NaturalPerson,
    );
    sealed(
        &mut doc,
        "dec",
        "penalty_decision",
        json!({
            "decision_no": "康档罚〔2026〕3号",
            "facts": "王五(身份证 13070219900101123X, 手机 13912345678)擅自销毁档案",
            "penalty": "罚款 5000 元",
            "decided_on": "2026-03-02",
        }),
    );
    doc
}

fn publish(doc: &mut CaseDoc, id: &str, on: &str) {
    let case = doc.case().expect("case");
    let values = draft(&case, d(on)).expect("draft");
    let tpl = template("publicity_entry");
    doc.create_record(id, &tpl, &who_a()).expect("record");
    for (k, v) in values {
        doc.set_field_json(id, &k, &v, &who_a()).expect("field");
    }
    doc.seal_record(id, &who_a(), &key(1)).expect("seal");
}

#[test]
fn a_penalty_draft_names_a_natural_person_by_surname_and_masks_numbers() {
    let case = decided_penalty().case().expect("case");
    let values = draft(&case, d("2026-03-05")).expect("draft");
    let get = |k: &str| {
        values
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    assert_eq!(get("entry_kind"), "行政处罚");
    assert_eq!(get("party"), "王*");
    assert_eq!(get("decision_no"), "康档罚〔2026〕3号");
    assert_eq!(get("result"), "罚款 5000 元");
    assert_eq!(get("decided_on"), "2026-03-02");
    let facts = get("facts");
    assert!(
        !facts.contains("13070219900101123X") && !facts.contains("13912345678"),
        "{facts}"
    );
    assert!(
        facts.contains("130***********123X") && facts.contains("139****5678"),
        "{facts}"
    );
    let all = serde_json::to_string(&values).expect("json");
    assert!(
        !all.contains("王五"),
        "the full name is not published: {all}"
    );
}

#[test]
fn an_inspection_draft_lists_method_items_problems_and_rectification() {
    let mut doc = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    sealed(
        &mut doc,
        "insp",
        "inspection_record",
        json!({"inspected_at": "2026-03-02T10:00:00+08:00", "method": "双随机抽查",
               "items": ["档案安全", "档案利用"], "problems": "库房温湿度未记录",
               "rectification": "30 日内建立温湿度记录"}),
    );
    let values = draft(&doc.case().expect("case"), d("2026-03-03")).expect("draft");
    let v: serde_json::Map<String, serde_json::Value> = values.into_iter().collect();
    assert_eq!(v["entry_kind"], "行政检查");
    assert_eq!(v["method"], "双随机抽查");
    assert_eq!(v["items"], "档案安全、档案利用");
    assert_eq!(v["result"], "30 日内建立温湿度记录");
    assert_eq!(v["decided_on"], "2026-03-02");
    // Nothing decided: no draft.
    let fresh = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    assert!(draft(&fresh.case().expect("case"), d("2026-03-03")).is_none());
}

#[test]
fn publication_and_take_down_run_on_the_statutory_clocks() {
    let engine = DeadlineEngine::embedded().expect("engine");
    let mut doc = decided_penalty();
    let open = |doc: &CaseDoc, today: &str| {
        let case = doc.case().expect("case");
        engine
            .open_obligations(&clock_of_case(&case), d(today))
            .into_iter()
            .map(|o| (o.rule.title.clone(), o.due))
            .collect::<Vec<_>>()
    };
    // Decided Mon 2026-03-02: published by the 7th working day (Wed 03-11).
    let before = open(&doc, "2026-03-03");
    assert!(
        before.contains(&("执法决定公示期限".to_string(), d("2026-03-11"))),
        "{before:?}"
    );
    publish(&mut doc, "pub1", "2026-03-05");
    let after = open(&doc, "2026-03-05");
    assert!(
        !after.iter().any(|(t, _)| t == "执法决定公示期限"),
        "{after:?}"
    );
    assert!(
        after.iter().any(|(t, _)| t.starts_with("公示期满撤下")),
        "{after:?}"
    );
    let case = doc.case().expect("case");
    let e = &entries(&case)[0];
    assert_eq!(
        (e.party.as_str(), e.published_on.as_str()),
        ("王*", "2026-03-05")
    );
    assert!(e.natural_person && e.withdrawn.is_none());

    // Revoked on Thu 2026-03-12: down within 3 working days (Tue 03-17).
    sealed(
        &mut doc,
        "chg",
        "decision_change",
        json!({"change": "撤销", "document": "康政复决〔2026〕1号",
               "explanation": "复议机关撤销了该处罚决定", "changed_on": "2026-03-12"}),
    );
    let case = doc.case().expect("case");
    assert_eq!(to_withdraw(&case).len(), 1);
    let due = open(&doc, "2026-03-12");
    assert!(due.iter().any(|(_, d0)| *d0 == d("2026-03-17")), "{due:?}");
    let values = withdrawal_draft(&case, "pub1", d("2026-03-13"));
    let tpl = template("publicity_withdrawal");
    doc.create_record("wd1", &tpl, &who_a()).expect("record");
    for (k, v) in values {
        doc.set_field_json("wd1", &k, &v, &who_a()).expect("field");
    }
    doc.seal_record("wd1", &who_a(), &key(1)).expect("seal");
    let case = doc.case().expect("case");
    let w = entries(&case)[0].withdrawn.clone().expect("withdrawn");
    assert_eq!(w.reason, "决定被撤销");
    assert_eq!(w.explanation, "复议机关撤销了该处罚决定");
    assert!(to_withdraw(&case).is_empty());
    let left = open(&doc, "2026-03-13");
    assert!(
        !left.iter().any(|(_, d0)| *d0 == d("2026-03-17")),
        "the take-down met the art.48 clock: {left:?}"
    );
}

#[test]
fn only_the_liaison_publishes_and_only_leaders_or_legal_record_a_change() {
    let case = decided_penalty().case().expect("case");
    let as_roles = |roles: &'static [Role], t: &str| {
        let u = ActingUser {
            account_id: "x",
            unit_id: "u1",
            roles,
        };
        authorize(template_action(t), &u, &case, "u1").is_ok()
    };
    assert_eq!(template_action("publicity_entry"), OfficeAction::Publish);
    assert!(as_roles(&[Role::OfficeLiaison], "publicity_entry"));
    assert!(as_roles(&[Role::OfficeLiaison], "publicity_withdrawal"));
    assert!(!as_roles(&[Role::Leader], "publicity_entry"));
    assert!(!as_roles(&[Role::Officer], "publicity_withdrawal"));
    assert!(as_roles(&[Role::Leader], "decision_change"));
    assert!(as_roles(&[Role::LegalReviewer], "decision_change"));
    assert!(!as_roles(&[Role::OfficeLiaison], "decision_change"));
}

#[test]
fn bureau_publicity_work_goes_to_the_roles_the_seed_names() {
    use zhifa_core::authority::{authorize_publicity, PublicityDuty as D};
    let may = |d: D, roles: &[Role]| authorize_publicity(d, roles).is_ok();
    for r in [Role::OfficeLiaison, Role::LegalReviewer, Role::Leader] {
        assert!(may(D::View, &[r]));
    }
    assert!(!may(D::View, &[Role::Officer]) && !may(D::View, &[Role::Admin]));
    assert!(may(D::EditDisclosure, &[Role::OfficeLiaison]));
    assert!(!may(D::EditDisclosure, &[Role::LegalReviewer]));
    assert!(may(D::ReviewDisclosure, &[Role::LegalReviewer]));
    assert!(!may(D::ReviewDisclosure, &[Role::OfficeLiaison]));
    assert!(may(D::AnswerFeedback, &[Role::LegalReviewer]));
    assert!(!may(D::AnswerFeedback, &[Role::Leader]));
    assert!(may(D::DrawRandomInspection, &[Role::OfficeLiaison]));
    let r = authorize_publicity(D::DrawRandomInspection, &[Role::Officer]).unwrap_err();
    assert!(
        r.message.contains("办公室联络员") && r.article.contains("58号"),
        "{r}"
    );
}
