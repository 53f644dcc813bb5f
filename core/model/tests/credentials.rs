//! 亮证 recorded on the case counts for a record's credential gate and fills
//! its field (行政处罚法 第五十五条; (二) 第十条).

mod common;

use common::*;
use serde_json::json;
use zhifa_core::case::{CaseKind, EventKind, PartyKind};
use zhifa_core::rules::Gate;

fn inspection() -> zhifa_core::doc::CaseDoc {
    new_case(CaseKind::Inspection, None, PartyKind::LegalPerson)
}

#[test]
fn credentials_shown_on_the_case_count_for_the_record_and_fill_its_field() {
    use zhifa_core::rules::credentials::{credentials_note, records_to_fill};
    let mut doc = inspection();
    filled_record(&mut doc, "r1", "inspection_record");
    doc.clear_field("r1", "credentials_shown", &who_a())
        .unwrap();
    let text = messages(&run(Gate::OfficersPresent, &doc));
    assert!(
        text.contains("未记录出示执法证件 (尚未亮证: 张伟、李娜)"),
        "{text}"
    );
    let case = doc.case().unwrap();
    assert_eq!(records_to_fill(&case, 2), Vec::<String>::new());
    assert_eq!(credentials_note(&case), None);

    // One officer's 亮证 is not enough for a record both signed.
    let zhang = doc.case().unwrap().officers[0].clone();
    doc.log_event(
        EventKind::CredentialShown,
        &who_a(),
        None,
        &format!(
            "执法人员 {}(执法证号 {}) 出示执法证件; 地点: 档案库房",
            zhang.name, zhang.credential_no
        ),
    )
    .unwrap();
    let text = messages(&run(Gate::OfficersPresent, &doc));
    assert!(text.contains("(尚未亮证: 李娜)"), "{text}");
    assert_eq!(
        records_to_fill(&doc.case().unwrap(), 2),
        Vec::<String>::new()
    );

    // Both: the gate counts the events and the field is to be filled.
    let li = doc.case().unwrap().officers[1].clone();
    doc.log_event(
        EventKind::CredentialShown,
        &who_b(),
        Some(&li.id),
        "出示执法证件; 地点: 档案库房门口",
    )
    .unwrap();
    assert_eq!(run(Gate::OfficersPresent, &doc), vec![]);
    let case = doc.case().unwrap();
    assert_eq!(records_to_fill(&case, 2), vec!["r1".to_string()]);
    let note = credentials_note(&case).unwrap();
    assert!(note.starts_with("张伟、李娜 于 "), "{note}");
    assert!(note.ends_with("在 档案库房门口 出示执法证件"), "{note}");

    // A record that says 否 is not overruled by the events.
    doc.set_field_json("r1", "credentials_shown", &json!(false), &who_a())
        .unwrap();
    assert!(messages(&run(Gate::OfficersPresent, &doc)).contains("未记录出示执法证件"));
    assert_eq!(
        records_to_fill(&doc.case().unwrap(), 2),
        Vec::<String>::new()
    );
}
