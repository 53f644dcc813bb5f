//! The binding layer (`ZhifaApp` and its records) called from Rust on a
//! logged-in offline device: the enums that replaced strings (deadline
//! badges, stages, kinds, obligation states), the remote records, input
//! conversion and errors. `cargo test -p zhifa-ffi --test app`.

use std::sync::Arc;

use zhifa_device::testdata::Offline;
use zhifa_device::App;
use zhifa_ffi::app::choices::{
    CaseKind, CaseSource, DeadlineState, ObligationState, PartyKind, Procedure, Role, Stage,
};
use zhifa_ffi::app::inputs::{CaseFilter, FieldValue, NewCaseInput, PartnerEntry, PartyEntry};
use zhifa_ffi::{CoreError, ZhifaApp};

/// A device home logged in as `zhangwei` (offline transport), opened
/// through the binding layer.
fn device(dir: &std::path::Path) -> Arc<ZhifaApp> {
    let home = dir.join("home");
    {
        let app = App::open(&home).expect("open engine");
        app.set_transport(Arc::new(Offline));
        app.login("http://offline", "zhangwei", "demo1234", "rust test")
            .expect("login");
    }
    ZhifaApp::open(home.to_string_lossy().into_owned()).expect("open binding")
}

fn penalty() -> NewCaseInput {
    NewCaseInput {
        kind: CaseKind::Penalty,
        procedure: Some(Procedure::General),
        title: "某单位未按规定移交档案".into(),
        source: CaseSource::Complaint,
        source_ref: Some("投诉-2026-015".into()),
        party: Some(PartyEntry {
            kind: PartyKind::LegalPerson,
            name: "康保县某档案馆".into(),
            id_number: "91130723MA0C8K2M3Q".into(),
            representative: None,
            address: None,
            phone: None,
        }),
        partners: vec![],
        first_record: None,
    }
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[test]
fn each_deadline_badge_state_reaches_the_binding_layer_as_an_enum() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = device(dir.path());
    let c = app.new_case(penalty()).expect("penalty case");
    let rows = app.list_cases(CaseFilter::default()).expect("list");
    assert_eq!(rows.len(), 1);
    let badge = rows[0]
        .badge
        .clone()
        .expect("filing starts the decision limit");
    assert_eq!(badge.state, DeadlineState::OnTime);
    assert_eq!(rows[0].id, c.case_id);
    let due = chrono::NaiveDate::parse_from_str(&badge.due, "%Y-%m-%d").expect("due day");
    let on = |offset: i64| {
        let d = due + chrono::Duration::days(offset);
        let rows = app
            .list_cases_on(CaseFilter::default(), day(d))
            .expect("list on a day");
        let b = rows[0].badge.clone().expect("badge");
        (b.state, b.text)
    };
    assert_eq!(on(-2), (DeadlineState::DueSoon, "2 天后到期".to_string()));
    assert_eq!(on(0), (DeadlineState::DueToday, "今日到期".to_string()));
    assert_eq!(on(3), (DeadlineState::Overdue, "逾期 3 天".to_string()));
    assert_eq!(
        on(-10),
        (DeadlineState::OnTime, format!("{} 到期", badge.due))
    );
}

#[test]
fn roles_cross_as_values_beside_their_labels() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = device(dir.path());
    let me = app.whoami().expect("whoami");
    assert_eq!(me.role_codes, vec![Role::Officer]);
    assert_eq!(me.roles, vec!["执法人员".to_string()]);
}

#[test]
fn a_malformed_planning_day_is_invalid_input_in_chinese() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = device(dir.path());
    match app.list_cases_on(CaseFilter::default(), "2026-13-40".into()) {
        Err(CoreError::InvalidInput { reason }) => {
            assert!(reason.contains("无效日期"), "{reason}")
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[test]
fn stage_and_kind_filters_are_enums_that_select_rows() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = device(dir.path());
    let c = app.new_case(penalty()).expect("case");
    let only = |stage: Option<Stage>, kind: Option<CaseKind>| {
        app.list_cases(CaseFilter {
            stage,
            kind,
            ..Default::default()
        })
        .expect("list")
        .into_iter()
        .map(|r| r.id)
        .collect::<Vec<_>>()
    };
    assert_eq!(only(Some(Stage::Initiation), None), vec![c.case_id.clone()]);
    assert!(only(Some(Stage::Investigation), None).is_empty());
    assert_eq!(only(None, Some(CaseKind::Penalty)), vec![c.case_id.clone()]);
    assert!(only(None, Some(CaseKind::Inspection)).is_empty());
    let row = &app.list_cases(CaseFilter::default()).expect("list")[0];
    assert_eq!(
        (row.stage_code, row.stage.as_str()),
        (Some(Stage::Initiation), "程序启动")
    );
    let view = app.case_view(c.case_id.clone()).expect("view");
    assert_eq!(
        (view.stage_code, view.stage.as_str()),
        (Stage::Initiation, "程序启动")
    );
}

#[test]
fn obligations_carry_their_state_as_an_enum() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = device(dir.path());
    let c = app.new_case(penalty()).expect("case");
    let obligations = app.obligations(Some(c.case_id)).expect("obligations");
    assert!(!obligations.is_empty());
    assert_eq!(obligations[0].state, ObligationState::OnTime);
    assert!(
        obligations[0].citation.contains("行政处罚法"),
        "{:?}",
        obligations[0]
    );
}

#[test]
fn partners_and_the_party_reach_the_case_as_entered() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = device(dir.path());
    let mut input = penalty();
    input.partners = vec![PartnerEntry {
        id: "u-lina".into(),
        name: "李娜".into(),
        credential_no: "13070219900101123X".into(),
        unit_id: "unit-1".into(),
    }];
    let c = app.new_case(input).expect("case");
    let view = app.case_view(c.case_id).expect("view");
    assert!(
        view.officers
            .iter()
            .any(|o| o.name == "李娜" && o.credential_no == "13070219900101123X" && o.active),
        "{:?}",
        view.officers
    );
    let party = &view.parties[0];
    assert_eq!(
        (party.kind.as_str(), party.name.as_str()),
        ("法人", "康保县某档案馆")
    );
    assert_ne!(
        party.id_number, "91130723MA0C8K2M3Q",
        "identity number masked"
    );
}

#[test]
fn a_field_value_that_is_not_json_is_refused_with_the_field_named() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = device(dir.path());
    let mut input = penalty();
    input.kind = CaseKind::Inspection;
    input.procedure = None;
    input.first_record = Some("inspection_record".into());
    let c = app.new_case(input).expect("case");
    let record = c.record_id.expect("first record");
    let err = app
        .set_field(
            c.case_id.clone(),
            record.clone(),
            "findings".into(),
            FieldValue::Json { json: "{".into() },
        )
        .expect_err("not JSON");
    match err {
        CoreError::InvalidInput { reason } => {
            assert!(reason.contains("“findings”的值不是有效的 JSON"), "{reason}")
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    let form = app.record_editor(c.case_id, record).expect("form");
    let findings = form.fields.iter().find(|f| f.key == "findings");
    assert_eq!(
        findings.expect("findings field").value_json,
        None,
        "nothing stored"
    );
}
