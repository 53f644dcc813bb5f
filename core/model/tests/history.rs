//! The case history in words: names and roles, labels, record names.

mod common;

use common::*;
use zhifa_core::case::{CaseKind, EventKind, PartyKind};
use zhifa_core::history::{describe, history};

#[test]
fn the_history_names_people_fields_and_records_in_words() {
    let mut doc = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    complete_record(&mut doc, "r1", "inspection_record");
    doc.log_event(
        EventKind::CredentialShown,
        &who_b(),
        None,
        "执法人员 张伟(执法证号 13000100001)、李娜(执法证号 13000100002) 出示执法证件; 地点: 档案库房",
    )
    .unwrap();
    doc.log_event(
        EventKind::Other,
        &who_b(),
        Some("office-1"),
        "立案审批: 局领导批准立案",
    )
    .unwrap();
    let case = doc.case().unwrap();
    let known = |id: &str| (id == "office-1").then(|| "王强".to_string());
    let lines = history(&case, &known);
    let all: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    let text = all.join("\n");
    // No account ids, no party ids, no field keys, no record ids.
    for raw in [
        "zhangwei ",
        "lina ",
        "p1",
        "officers_present",
        "inspected_at",
        "r1:",
        "(r1)",
    ] {
        assert!(!text.contains(raw), "{raw} in\n{text}");
    }
    assert!(
        text.contains(
            "2026-03-02 09:30 张伟(执法人员) 登记当事人: 某县某档案服务有限公司 (当事人)"
        ),
        "{text}"
    );
    assert!(text.contains("指派执法人员: 李娜 (执法人员)"), "{text}");
    assert!(
        text.contains("填写文书: 《现场检查笔录》(2026-03-02 09:30): 检查时间、检查地点"),
        "{text}"
    );
    assert!(text.contains("在场执法人员(账号)"), "{text}");
    assert!(
        text.contains("签字: 《现场检查笔录》(2026-03-02 09:30): 当事人 王五"),
        "{text}"
    );
    assert!(
        text.contains("李娜(执法人员) 出示执法证件: 执法人员 张伟"),
        "{text}"
    );
    assert!(
        text.ends_with("李娜(执法人员) 立案审批: 局领导批准立案"),
        "{text}"
    );

    // An account the caller does not know is not shown by its id.
    let mut e = case.events[0].clone();
    e.actor = "3f2b9a1c-0000-4000-8000-000000000001".into();
    let line = describe(&case, &e, &|_| None);
    assert_eq!(line.actor, "其他人员");
    assert!(!line.text.contains("3f2b9a1c"), "{}", line.text);
}
