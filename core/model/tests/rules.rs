//! Every gate with a passing and a failing case.
#![allow(clippy::inconsistent_digit_grouping)] // amounts in 元_分

mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::json;
use zhifa_core::case::{CaseKind, EventKind, OfficerStatus, PartyKind, Procedure, Stage};
use zhifa_core::doc::{Case, CaseDoc};
use zhifa_core::rules::{
    blocking, check, gates_for, missing_signatures, Gate, GateInput, RuleProfile,
};

fn inspection() -> CaseDoc {
    new_case(CaseKind::Inspection, None, PartyKind::LegalPerson)
}

#[test]
fn officers_present_passes_with_two_qualified_officers_and_credentials_shown() {
    let mut doc = inspection();
    complete_record(&mut doc, "r1", "inspection_record");
    assert_eq!(run(Gate::OfficersPresent, &doc), vec![]);
}

#[test]
fn officers_present_fails_with_one_officer_or_credentials_not_shown() {
    let mut doc = inspection();
    filled_record(&mut doc, "r1", "inspection_record");
    doc.set_field_json("r1", "officers_present", &json!(["zhangwei"]), &who_a())
        .unwrap();
    doc.set_field_json("r1", "credentials_shown", &json!(false), &who_a())
        .unwrap();
    let unmet = run(Gate::OfficersPresent, &doc);
    let text = messages(&unmet);
    assert!(
        text.contains("在场的合格执法人员 1 名, 不得少于 2 名"),
        "{text}"
    );
    assert!(text.contains("未记录出示执法证件"), "{text}");
    assert!(unmet
        .iter()
        .all(|u| u.article.contains("第十条") && u.article.contains("第四十二条")));
}

#[test]
fn officers_present_fails_for_a_suspended_credential_or_a_stranger() {
    let mut doc = inspection();
    let mut suspended = officer("liuyang", "刘洋", "13000100003");
    suspended.status = OfficerStatus::Suspended;
    doc.add_officer(&suspended, &who_a()).unwrap();
    filled_record(&mut doc, "r1", "inspection_record");
    doc.set_field_json(
        "r1",
        "officers_present",
        &json!(["zhangwei", "liuyang", "nobody"]),
        &who_a(),
    )
    .unwrap();
    let text = messages(&run(Gate::OfficersPresent, &doc));
    assert!(text.contains("刘洋 的执法证件无效或已暂停"), "{text}");
    assert!(text.contains("nobody 不是本案指派的执法人员"), "{text}");
    assert!(text.contains("在场的合格执法人员 1 名"), "{text}");
}

#[test]
fn av_gate_requires_audio_or_video_on_inspection_records() {
    let mut doc = inspection();
    let tpl = template("inspection_record");
    doc.create_record("r1", &tpl, &who_a()).unwrap();
    doc.attach_media(&media("r1", "image/jpeg", "photo"), &who_a())
        .unwrap();
    let unmet = run(Gate::AvRecorded, &doc);
    assert_eq!(unmet.len(), 1, "{}", messages(&unmet));
    assert!(unmet[0].message.contains("须附录音或录像"));
    assert!(unmet[0].article.contains("第十三条"));
    doc.attach_media(&media("r1", "audio/aac", "audio"), &who_a())
        .unwrap();
    assert_eq!(run(Gate::AvRecorded, &doc), vec![]);
}

#[test]
fn av_gate_ignores_records_without_mandatory_av() {
    let mut doc = inspection();
    let tpl = template("inquiry_record");
    doc.create_record("r1", &tpl, &who_a()).unwrap();
    assert_eq!(run(Gate::AvRecorded, &doc), vec![]);
}

#[test]
fn signatures_gate_lists_missing_roles_and_accepts_witnessed_refusal() {
    let mut doc = inspection();
    let tpl = filled_record(&mut doc, "r1", "inspection_record");
    doc.attach_media(&media("r1", "video/mp4", "v"), &who_a())
        .unwrap();
    let unmet = run(Gate::Signatures, &doc);
    assert!(
        messages(&unmet).contains("文书尚未封存"),
        "{}",
        messages(&unmet)
    );
    doc.seal_record("r1", &who_a(), &key(1)).unwrap();
    doc.sign_record(
        "r1",
        zhifa_core::template::SignerRole::Officer,
        "zhangwei",
        "张伟",
        None,
        &who_a(),
        &key(1),
    )
    .unwrap();
    let text = messages(&run(Gate::Signatures, &doc));
    assert!(text.contains("缺少执法人员签字 1 人"), "{text}");
    assert!(text.contains("缺少当事人签字 1 人"), "{text}");
    // The same officer signing twice does not count as two.
    doc.sign_record(
        "r1",
        zhifa_core::template::SignerRole::Officer,
        "zhangwei",
        "张伟",
        None,
        &who_a(),
        &key(1),
    )
    .unwrap();
    assert!(messages(&run(Gate::Signatures, &doc)).contains("缺少执法人员签字 1 人"));
    doc.sign_record(
        "r1",
        zhifa_core::template::SignerRole::Officer,
        "lina",
        "李娜",
        None,
        &who_b(),
        &key(2),
    )
    .unwrap();
    doc.refuse_signature(
        "r1",
        zhifa_core::template::SignerRole::Party,
        "王五",
        "拒绝签字",
        "赵六",
        &who_a(),
        &key(1),
    )
    .unwrap();
    assert_eq!(run(Gate::Signatures, &doc), vec![]);
    let rec = doc.record("r1").unwrap();
    assert_eq!(missing_signatures(&rec, &tpl), Vec::<String>::new());
}

#[test]
fn rights_gate_blocks_a_penalty_without_an_acknowledged_notice() {
    let mut doc = penalty(Procedure::General, PartyKind::LegalPerson);
    let text = messages(&run(Gate::RightsNotified, &doc));
    assert!(text.contains("尚未制作《权利告知书》"), "{text}");
    filled_record(&mut doc, "n1", "rights_notice");
    doc.set_field_json("n1", "rights", &json!(["听证"]), &who_a())
        .unwrap();
    doc.seal_record("n1", &who_a(), &key(1)).unwrap();
    let text = messages(&run(Gate::RightsNotified, &doc));
    assert!(text.contains("当事人未签收"), "{text}");
    assert!(
        text.contains("未告知陈述权利") && text.contains("未告知申辩权利"),
        "{text}"
    );
}

#[test]
fn rights_gate_passes_with_a_sealed_notice_signed_by_the_party() {
    let mut doc = penalty(Procedure::General, PartyKind::LegalPerson);
    complete_record(&mut doc, "n1", "rights_notice");
    assert_eq!(run(Gate::RightsNotified, &doc), vec![]);
    // Inspections have no rights gate.
    assert_eq!(run(Gate::RightsNotified, &inspection()), vec![]);
}

#[test]
fn rights_gate_in_simple_procedure_accepts_the_notification_event() {
    let mut doc = penalty(Procedure::Simple, PartyKind::NaturalPerson);
    assert_eq!(run(Gate::RightsNotified, &doc).len(), 1);
    doc.log_event(
        EventKind::RightsNotified,
        &who_a(),
        None,
        "当场口头告知陈述、申辩权",
    )
    .unwrap();
    assert_eq!(run(Gate::RightsNotified, &doc), vec![]);
}

fn simple_with_fine(party: PartyKind, fen: i64) -> CaseDoc {
    let mut doc = penalty(Procedure::Simple, party);
    let tpl = template("simple_penalty_decision");
    doc.create_record("d1", &tpl, &who_a()).unwrap();
    doc.set_field_json("d1", "fine_fen", &json!(fen), &who_a())
        .unwrap();
    doc
}

#[test]
fn simple_procedure_limit_is_200_yuan_for_a_person_and_3000_for_an_organisation() {
    assert_eq!(
        run(
            Gate::SimpleProcedureLimit,
            &simple_with_fine(PartyKind::NaturalPerson, 200_00)
        ),
        vec![]
    );
    let text = messages(&run(
        Gate::SimpleProcedureLimit,
        &simple_with_fine(PartyKind::NaturalPerson, 200_01),
    ));
    assert!(
        text.contains("对公民罚款 200.01 元 超过简易程序上限 200 元"),
        "{text}"
    );
    assert!(text.contains("第五十一条"));
    assert_eq!(
        run(
            Gate::SimpleProcedureLimit,
            &simple_with_fine(PartyKind::LegalPerson, 3000_00)
        ),
        vec![]
    );
    assert_eq!(
        run(
            Gate::SimpleProcedureLimit,
            &simple_with_fine(PartyKind::OtherOrganisation, 3000_00)
        ),
        vec![]
    );
    let text = messages(&run(
        Gate::SimpleProcedureLimit,
        &simple_with_fine(PartyKind::LegalPerson, 3001_00),
    ));
    assert!(text.contains("上限 3000 元"), "{text}");
    // General procedure has no ceiling.
    let mut general = penalty(Procedure::General, PartyKind::NaturalPerson);
    general.set_fine(Some(50_000_00), &who_a()).unwrap();
    assert_eq!(run(Gate::SimpleProcedureLimit, &general), vec![]);
}

#[test]
fn simple_procedure_limit_follows_the_profile() {
    let doc = simple_with_fine(PartyKind::NaturalPerson, 150_00);
    let case = doc.case().unwrap();
    let profile = RuleProfile {
        simple_max_fine_person_fen: 100_00,
        ..RuleProfile::default()
    };
    let unmet = check(
        Gate::SimpleProcedureLimit,
        &GateInput {
            case: &case,
            profile: &profile,
            present_media: None,
        },
    );
    assert_eq!(unmet.len(), 1);
}

#[test]
fn major_decision_is_blocked_until_review_says_agree() {
    let mut doc = major_case();
    let text = messages(&run(Gate::MajorDecisionReviewed, &doc));
    assert!(
        text.contains("属于重大执法决定 (较大数额罚款: 50000 元"),
        "{text}"
    );
    assert!(text.contains("未经法制审核不得作出决定"), "{text}");
    // An opinion asking for more investigation does not pass.
    let tpl = filled_record(&mut doc, "o1", "review_opinion");
    doc.set_field_json(
        "o1",
        "outcome",
        &json!("事实不清、证据不足的，建议补充调查或撤销"),
        &who_a(),
    )
    .unwrap();
    doc.set_field_json("o1", "check_facts", &json!(false), &who_a())
        .unwrap();
    doc.seal_record("o1", &who_a(), &key(1)).unwrap();
    sign_all(&mut doc, "o1", &tpl.signers);
    let text = messages(&run(Gate::MajorDecisionReviewed, &doc));
    assert!(text.contains("须由承办科室按意见整改并书面报告"), "{text}");
    assert!(text.contains("(三) 第十一条"), "{text}");
    // Amend to 同意 after correction, seal, sign: passes.
    doc.amend_record("o1", "o2", "补充调查后重新审核", &who_a())
        .unwrap();
    doc.set_field_json("o2", "outcome", &json!("同意"), &who_a())
        .unwrap();
    doc.set_field_json("o2", "check_facts", &json!(true), &who_a())
        .unwrap();
    doc.seal_record("o2", &who_a(), &key(1)).unwrap();
    sign_all(&mut doc, "o2", &tpl.signers);
    assert_eq!(run(Gate::MajorDecisionReviewed, &doc), vec![]);
}

#[test]
fn small_fines_and_non_major_cases_need_no_review() {
    let mut doc = penalty(Procedure::General, PartyKind::LegalPerson);
    doc.set_fine(Some(29_999_00), &who_a()).unwrap();
    assert_eq!(run(Gate::MajorDecisionReviewed, &doc), vec![]);
    // 2,000 元 on a natural person is major under the default profile.
    let mut person = penalty(Procedure::General, PartyKind::NaturalPerson);
    person.set_fine(Some(2_000_00), &who_a()).unwrap();
    assert_eq!(run(Gate::MajorDecisionReviewed, &person).len(), 1);
}

#[test]
fn compulsory_enforcement_is_major_whatever_the_fine() {
    let mut h = header(CaseKind::Penalty, Some(Procedure::General));
    h.measures = vec!["行政强制执行".into()];
    let doc = CaseDoc::create(&h, A1, &who_a()).unwrap();
    let text = messages(&run(Gate::MajorDecisionReviewed, &doc));
    assert!(text.contains("行政强制执行"), "{text}");
}

#[test]
fn review_package_lists_every_missing_material_and_explanation() {
    let mut doc = major_case();
    assert!(messages(&run(Gate::ReviewPackageComplete, &doc))
        .contains("尚未填写《重大执法决定法制审核申报表》"));
    let tpl = template("review_application");
    doc.create_record("a1", &tpl, &who_a()).unwrap();
    doc.set_field_json("a1", "unit_head_agreed", &json!(false), &who_a())
        .unwrap();
    doc.set_field_json("a1", "materials", &json!(["申报表", "调查报告"]), &who_a())
        .unwrap();
    let text = messages(&run(Gate::ReviewPackageComplete, &doc));
    for expected in [
        "尚未封存",
        "须经承办科室负责人同意后送审",
        "缺少送审材料「决定书代拟稿」",
        "缺少送审材料「处理建议及说明」",
        "缺少送审材料「证据材料」",
        "情况说明缺少「自由裁量基准适用情况」",
        "情况说明缺少「执法人员资格情况」",
        "案件中没有行政处罚决定书代拟稿",
        "案件中没有调查终结报告",
    ] {
        assert!(text.contains(expected), "missing {expected} in\n{text}");
    }
    assert!(!text.contains("缺少送审材料「申报表」"));
}

#[test]
fn review_package_passes_when_complete() {
    let mut doc = major_case();
    complete_record(&mut doc, "a1", "review_application");
    complete_record(&mut doc, "ir", "investigation_report");
    let tpl = template("penalty_decision");
    doc.create_record("draft", &tpl, &who_a()).unwrap();
    assert_eq!(run(Gate::ReviewPackageComplete, &doc), vec![]);
}

#[test]
fn review_checklist_requires_all_seven_points_and_a_consistent_outcome() {
    let mut doc = major_case();
    let tpl = template("review_opinion");
    doc.create_record("o1", &tpl, &who_a()).unwrap();
    doc.set_field_json("o1", "check_subject", &json!(true), &who_a())
        .unwrap();
    doc.set_field_json("o1", "check_law", &json!(false), &who_a())
        .unwrap();
    doc.set_field_json("o1", "outcome", &json!("同意"), &who_a())
        .unwrap();
    let text = messages(&run(Gate::ReviewChecklist, &doc));
    for point in [
        "事实是否清楚",
        "程序是否合法",
        "自由裁量基准",
        "执法文书是否完备",
        "其他需要审核",
    ] {
        assert!(
            text.contains(&format!("未审核「{point}")),
            "missing {point} in\n{text}"
        );
    }
    assert!(
        text.contains("不能出具同意意见: 适用法律是否准确"),
        "{text}"
    );
    assert!(text.contains("缺少书面审核意见"), "{text}");
    assert!(text.contains("第八条"));
}

#[test]
fn review_checklist_accepts_each_of_the_six_outcome_kinds_and_agree() {
    let tpl = template("review_opinion");
    let outcomes = tpl.field("outcome").unwrap().options.clone();
    assert_eq!(outcomes.len(), 7, "同意 + six kinds of (三) 第十一条");
    for outcome in outcomes {
        let mut doc = major_case();
        doc.create_record("o1", &tpl, &who_a()).unwrap();
        fill_required(&mut doc, "o1", "review_opinion");
        doc.set_field_json("o1", "outcome", &json!(outcome), &who_a())
            .unwrap();
        assert_eq!(run(Gate::ReviewChecklist, &doc), vec![], "{outcome}");
    }
    // Anything else is refused at input already (a choice field).
    let mut doc = major_case();
    doc.create_record("o1", &tpl, &who_a()).unwrap();
    assert!(doc
        .set_field_json("o1", "outcome", &json!("随便"), &who_a())
        .is_err());
}

#[test]
fn archive_needs_every_record_sealed_and_every_file_present() {
    let mut doc = inspection();
    complete_record(&mut doc, "r1", "inspection_record");
    let case = doc.case().unwrap();
    let profile = RuleProfile::default();
    let all: BTreeSet<String> = case.media.keys().cloned().collect();
    let ok = check(
        Gate::ArchiveReady,
        &GateInput {
            case: &case,
            profile: &profile,
            present_media: Some(&all),
        },
    );
    assert_eq!(ok, vec![]);
    let none = BTreeSet::new();
    let text = messages(&check(
        Gate::ArchiveReady,
        &GateInput {
            case: &case,
            profile: &profile,
            present_media: Some(&none),
        },
    ));
    assert!(text.contains("缺少 1 个音像或附件文件"), "{text}");
    let unknown = check(
        Gate::ArchiveReady,
        &GateInput {
            case: &case,
            profile: &profile,
            present_media: None,
        },
    );
    assert!(messages(&unknown).contains("未核对"));
    // An unsealed record blocks archiving.
    let tpl = template("inquiry_record");
    doc.create_record("r2", &tpl, &who_a()).unwrap();
    let text = messages(&run(Gate::ArchiveReady, &doc));
    assert!(
        text.contains("《询问笔录》(2026-03-02 09:30): 尚未封存"),
        "{text}"
    );
    assert!(!text.contains("r2"), "no record id shown: {text}");
}

#[test]
fn archive_gate_detects_a_tampered_seal() {
    let mut doc = inspection();
    complete_record(&mut doc, "r1", "inspection_record");
    let mut case: Case = doc.case().unwrap();
    case.records[0].fields.insert(
        "findings".into(),
        zhifa_core::record::FieldValue::Text("改过的".into()),
    );
    let profile = RuleProfile::default();
    let all: BTreeSet<String> = case.media.keys().cloned().collect();
    let text = messages(&check(
        Gate::ArchiveReady,
        &GateInput {
            case: &case,
            profile: &profile,
            present_media: Some(&all),
        },
    ));
    assert!(text.contains("封存校验未通过"), "{text}");
}

#[test]
fn stage_moves_name_their_gates() {
    let doc = major_case();
    let case = doc.case().unwrap();
    let p = RuleProfile::default();
    assert_eq!(
        gates_for(&case, Stage::Decision, &p),
        vec![Gate::OfficersPresent, Gate::AvRecorded, Gate::Signatures]
    );
    let issue = gates_for(&case, Stage::ServiceExecution, &p);
    for g in [
        Gate::RightsNotified,
        Gate::MajorDecisionReviewed,
        Gate::ReviewPackageComplete,
        Gate::ReviewChecklist,
    ] {
        assert!(issue.contains(&g), "{g:?}");
    }
    let inspection_case = inspection().case().unwrap();
    assert!(
        !gates_for(&inspection_case, Stage::ServiceExecution, &p).contains(&Gate::RightsNotified)
    );
    assert_eq!(
        gates_for(&case, Stage::Archiving, &p),
        vec![Gate::Signatures, Gate::ArchiveReady]
    );
}

#[test]
fn a_complete_inspection_may_move_on_and_an_empty_one_may_not() {
    let p = RuleProfile::default();
    let mut doc = inspection();
    let empty = doc.case().unwrap();
    let input = GateInput {
        case: &empty,
        profile: &p,
        present_media: None,
    };
    assert_eq!(blocking(&input, Stage::Decision), vec![]);
    let tpl = template("inspection_record");
    doc.create_record("r0", &tpl, &who_a()).unwrap();
    let started = doc.case().unwrap();
    let unmet = blocking(
        &GateInput {
            case: &started,
            profile: &p,
            present_media: None,
        },
        Stage::Decision,
    );
    assert!(!unmet.is_empty());
    let mut doc = inspection();
    complete_record(&mut doc, "r1", "inspection_record");
    let done = doc.case().unwrap();
    let all: BTreeSet<String> = done.media.keys().cloned().collect();
    let input = GateInput {
        case: &done,
        profile: &p,
        present_media: Some(&all),
    };
    assert_eq!(blocking(&input, Stage::Decision), vec![]);
    assert_eq!(blocking(&input, Stage::Archiving), vec![]);
}

#[test]
fn profile_json_round_trips_and_rejects_bad_values() {
    let p = RuleProfile::default();
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(RuleProfile::from_json(&json).unwrap(), p);
    let bad = json.replace("\"min_officers\":2", "\"min_officers\":1");
    assert!(RuleProfile::from_json(&bad).is_err());
    assert!(RuleProfile::from_json("{").is_err());
    assert!(RuleProfile::from_json("{}").is_err());
}

#[test]
fn archive_gate_shortens_non_ascii_media_keys_without_panicking() {
    let mut doc = inspection();
    complete_record(&mut doc, "r1", "inspection_record");
    let mut case = doc.case().unwrap();
    let odd = "签名笔迹文件一二三四五六七八九十".to_string();
    let any = case.media.values().next().cloned().unwrap();
    case.media.insert(odd.clone(), any);
    if let Some(seal) = case.records[0].seal.as_mut() {
        if let Some(s) = seal.signatures.first_mut() {
            s.strokes = Some("笔迹é".repeat(10));
        }
    }
    let none = BTreeSet::new();
    let profile = RuleProfile::default();
    let text = messages(&check(
        Gate::ArchiveReady,
        &GateInput {
            case: &case,
            profile: &profile,
            present_media: Some(&none),
        },
    ));
    assert!(text.contains("签名笔迹文件一二三四五六"), "{text}");
    assert!(!text.contains("签名笔迹文件一二三四五六七"), "{text}");
    assert!(text.contains("笔迹é笔迹é"), "{text}");
}

#[test]
fn a_forged_superseded_by_does_not_hide_an_unsealed_record_from_archiving() {
    let mut doc = inspection();
    complete_record(&mut doc, "r1", "inspection_record");
    let tpl = template("inquiry_record");
    doc.create_record("r2", &tpl, &who_a()).unwrap();
    let mut case = doc.case().unwrap();
    for r in case.records.iter_mut().filter(|r| r.id == "r2") {
        r.superseded_by = Some("r1".into());
    }
    let profile = RuleProfile::default();
    let all: BTreeSet<String> = case.media.keys().cloned().collect();
    let text = messages(&check(
        Gate::ArchiveReady,
        &GateInput {
            case: &case,
            profile: &profile,
            present_media: Some(&all),
        },
    ));
    assert!(
        text.contains("《询问笔录》(2026-03-02 09:30): 尚未封存"),
        "{text}"
    );
}

/// A major case with a sealed 同意 opinion signed by the given roles.
fn major_case_with_opinion_signed_by(roles: &[zhifa_core::template::SignerRole]) -> CaseDoc {
    let mut doc = major_case();
    let tpl = filled_record(&mut doc, "o1", "review_opinion");
    doc.seal_record("o1", &who_a(), &key(1)).unwrap();
    let rules: Vec<_> = tpl
        .signers
        .iter()
        .filter(|r| roles.contains(&r.role))
        .cloned()
        .collect();
    sign_all(&mut doc, "o1", &rules);
    doc
}

#[test]
fn a_review_opinion_signed_only_by_the_reviewer_does_not_pass() {
    use zhifa_core::template::SignerRole;
    let doc = major_case_with_opinion_signed_by(&[SignerRole::Reviewer]);
    let unmet = run(Gate::MajorDecisionReviewed, &doc);
    let text = messages(&unmet);
    assert_eq!(unmet.len(), 1, "{text}");
    assert!(text.contains("未经分管负责人审批签字"), "{text}");
    assert!(unmet[0].article.contains("第十一条"), "{text}");
    // The leader's signature alone is not enough either.
    let doc = major_case_with_opinion_signed_by(&[SignerRole::Leader]);
    let text = messages(&run(Gate::MajorDecisionReviewed, &doc));
    assert!(text.contains("缺少法制审核人员签字"), "{text}");
}

#[test]
fn a_review_opinion_signed_by_reviewer_and_leader_passes() {
    use zhifa_core::template::SignerRole;
    let doc = major_case_with_opinion_signed_by(&[SignerRole::Reviewer, SignerRole::Leader]);
    assert_eq!(run(Gate::MajorDecisionReviewed, &doc), vec![]);
}

/// Adds an unsealed 行政处罚决定书 dated `day`.
#[test]
fn rights_must_be_notified_before_the_decision_is_made() {
    // The notice's 告知时间 is 2026-03-02 09:30 (+08:00).
    let mut doc = penalty(Procedure::General, PartyKind::LegalPerson);
    complete_record(&mut doc, "n1", "rights_notice");
    decision_on(&mut doc, "2026-03-01");
    let unmet = run(Gate::RightsNotified, &doc);
    let text = messages(&unmet);
    assert!(
        text.contains("作出决定时间 2026-03-01 早于权利告知时间 2026-03-02 09:30"),
        "{text}"
    );
    assert!(text.contains("(二) 第十一条"), "{text}");
    assert!(unmet.iter().all(|u| u.article.contains("第十一条")));
    for ok in ["2026-03-02", "2026-03-05"] {
        decision_on(&mut doc, ok);
        assert_eq!(run(Gate::RightsNotified, &doc), vec![], "{ok}");
    }
}

#[test]
fn simple_procedure_notification_must_precede_the_on_the_spot_decision() {
    let mut doc = penalty(Procedure::Simple, PartyKind::NaturalPerson);
    // The event is logged at 2026-03-02 09:30 (+08:00).
    doc.log_event(
        EventKind::RightsNotified,
        &who_a(),
        None,
        "当场告知陈述、申辩权",
    )
    .unwrap();
    let tpl = template("simple_penalty_decision");
    doc.create_record("d1", &tpl, &who_a()).unwrap();
    doc.set_field_json(
        "d1",
        "decided_at",
        &json!("2026-03-02T09:00:00+08:00"),
        &who_a(),
    )
    .unwrap();
    let text = messages(&run(Gate::RightsNotified, &doc));
    assert!(text.contains("早于权利告知时间"), "{text}");
    // 01:31 UTC is 09:31 Beijing time: one minute after the notification.
    doc.set_field_json("d1", "decided_at", &json!("2026-03-02T01:31:00Z"), &who_a())
        .unwrap();
    assert_eq!(run(Gate::RightsNotified, &doc), vec![]);
}

#[test]
fn a_major_decision_is_not_dated_before_the_review_was_completed() {
    use zhifa_core::template::SignerRole;
    // The opinion's 审核完成日期 is 2026-03-02.
    let mut doc = major_case_with_opinion_signed_by(&[SignerRole::Reviewer, SignerRole::Leader]);
    decision_on(&mut doc, "2026-03-01");
    let unmet = run(Gate::MajorDecisionReviewed, &doc);
    let text = messages(&unmet);
    assert!(
        text.contains("作出决定日期 2026-03-01 早于法制审核完成日期 2026-03-02"),
        "{text}"
    );
    assert!(text.contains("(三) 第十二条"), "{text}");
    decision_on(&mut doc, "2026-03-03");
    assert_eq!(run(Gate::MajorDecisionReviewed, &doc), vec![]);
}

/// A penalty case that fails every gate at once: 简易程序 with a major fine,
/// no rights notice, no review, one officer present, an unsealed inspection
/// record without AV.
fn case_failing_every_gate() -> CaseDoc {
    let mut doc = penalty(Procedure::Simple, PartyKind::NaturalPerson);
    doc.set_fine(Some(50_000_00), &who_a()).unwrap();
    let tpl = template("inspection_record");
    doc.create_record("r1", &tpl, &who_a()).unwrap();
    doc.set_field_json("r1", "officers_present", &json!(["zhangwei"]), &who_a())
        .unwrap();
    let opinion = template("review_opinion");
    doc.create_record("o1", &opinion, &who_a()).unwrap();
    doc
}

#[test]
fn every_gate_cites_its_article_in_every_unmet_condition() {
    for g in Gate::ALL {
        let a = g.article();
        assert!(a.contains('第') || a.contains("art."), "{g:?}: {a}");
    }
    let doc = case_failing_every_gate();
    for g in Gate::ALL {
        let unmet = run(g, &doc);
        assert!(!unmet.is_empty(), "{g:?} should fail on this case");
        for u in &unmet {
            assert_eq!(u.gate, g);
            assert!(
                u.article.contains('第') || u.article.contains("art."),
                "{g:?}: {u}"
            );
            assert!(u.to_string().contains(u.article), "{u}");
        }
    }
}
