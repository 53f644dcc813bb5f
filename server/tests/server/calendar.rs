//! The holiday calendar: loaded by the office, stored, announced in every
//! idle check and served to devices.

use reqwest::StatusCode;
use serde_json::{json, Value};
use zhifa_core::deadlines::{parse_date, Calendar, Rule};
use zhifa_core::sync::{CalendarPackage, CheckResponse};

use crate::common::{expect_error, TestServer};

/// Synthetic 2027 data (see the file's `_comment`).
pub const Y2027: &str = include_str!("../../../tests/fixtures/cn_calendar_2027_synthetic.json");

async fn package(srv: &TestServer) -> CalendarPackage {
    let res = srv
        .http
        .get(srv.url("/api/v1/calendar"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

async fn announced(srv: &TestServer, s: &crate::common::Session) -> Option<String> {
    let res = srv
        .post_json(s, "/api/v1/sync/check", &json!({ "cases": [] }))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json::<CheckResponse>().await.unwrap().calendar
}

async fn put(srv: &TestServer, s: &crate::common::Session, body: &str) -> reqwest::Response {
    srv.http
        .put(srv.url("/api/v1/admin/calendar"))
        .bearer_auth(s.token())
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_office_loads_a_new_year_and_every_check_announces_it() {
    let srv = TestServer::start().await;
    let officer = srv.login("zhangwei").await;
    let admin = srv.login("admin").await;

    // Before: the embedded 2017–2026, announced by version.
    let before = package(&srv).await;
    assert_eq!(before.version, Calendar::embedded().version());
    assert_eq!(before.years, (2017..=2026).collect::<Vec<_>>());
    assert_eq!(before.calendar().unwrap().version(), before.version);
    assert_eq!(
        announced(&srv, &officer).await.as_deref(),
        Some(before.version.as_str())
    );

    // An officer may not load a calendar.
    let res = put(&srv, &officer, Y2027).await;
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    // Invalid data (a Wednesday as make-up working day) is refused, nothing changes.
    let bad = r#"{"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-01-06"]}}"#;
    let body = expect_error(
        put(&srv, &admin, bad).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    assert!(
        body["error"].as_str().unwrap().contains("2027-01-06"),
        "{body}"
    );
    assert_eq!(package(&srv).await.version, before.version);

    // The admin loads 2027: served, announced, and counted with.
    let res = put(&srv, &admin, Y2027).await;
    assert_eq!(res.status(), StatusCode::OK);
    let loaded: Value = res.json().await.unwrap();
    assert_eq!(loaded["years"].as_array().unwrap().last().unwrap(), 2027);
    let after = package(&srv).await;
    assert_eq!(loaded["version"], after.version.as_str());
    assert_ne!(after.version, before.version);
    assert!(after.loaded_at.is_some());
    assert_eq!(
        announced(&srv, &officer).await.as_deref(),
        Some(after.version.as_str())
    );
    let cal = after.calendar().unwrap();
    // 2027-02-05 (Fri) + 1 working day: 02-06..13 are the (synthetic) Spring
    // Festival block, 02-14 a Sunday.
    let due = cal
        .add(Rule::WorkingDays, parse_date("2027-02-05").unwrap(), 1)
        .unwrap();
    assert_eq!(due.to_string(), "2027-02-15");
    assert!(cal.covers_year(2017), "embedded years are kept");
}

#[tokio::test]
async fn a_loaded_calendar_survives_a_restart() {
    let srv = TestServer::start_process().await;
    let admin = srv.login("admin").await;
    let res = put(&srv, &admin, Y2027).await;
    assert_eq!(res.status(), StatusCode::OK);
    let version = package(&srv).await.version;
    srv.restart().await;
    let again = package(&srv).await;
    assert_eq!(again.version, version);
    assert!(again.years.contains(&2027));
}

#[tokio::test]
async fn the_server_loads_a_calendar_file_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("2027.json");
    std::fs::write(&file, Y2027).unwrap();
    let f = file.clone();
    let srv = TestServer::start_with(move |c| c.calendar = Some(f)).await;
    let p = package(&srv).await;
    assert!(p.years.contains(&2027));
    assert_eq!(
        p.version,
        Calendar::embedded().merge_json(Y2027).unwrap().version()
    );

    // A broken file stops the start with the reason.
    std::fs::write(&file, r#"{"2027": {"holidays": []}}"#).unwrap();
    let mut config = zhifa_server::Config::for_data_dir(dir.path().join("data"));
    config.calendar = Some(file);
    let e = zhifa_server::build_state(config)
        .await
        .err()
        .expect("refused");
    assert!(e.to_string().contains("2027"), "{e}");
}
