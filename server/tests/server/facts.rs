//! 案件事项登记 over HTTP: the legal office records that a decision was
//! served and that the party applied for 行政复议; the case page then shows
//! the surcharge paused (行政处罚法 第七十三条), the history names who
//! recorded it, and the officer's phone receives the event at its next sync.
//! An officer may not record facts, and a day in the future is refused.

use reqwest::StatusCode;
use zhifa_core::case::EventKind;

use crate::client::Device;
use crate::common::TestServer;
use crate::console::Browser;
use crate::publicity::{decided_case, post};

/// The flash message a redirect carries, decoded.
fn flash(location: &str) -> String {
    let q = location.split_once('?').map(|(_, q)| q).unwrap_or_default();
    serde_urlencoded::from_str::<Vec<(String, String)>>(q)
        .unwrap_or_default()
        .into_iter()
        .map(|(_, v)| v)
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn the_legal_office_records_service_and_reconsideration_and_the_surcharge_pauses() {
    let srv = TestServer::start().await;
    let case = decided_case(&srv).await;
    let path = format!("/cases/{case}/facts");

    // The officer sees no form and is refused with the rule's words.
    let zhang = Browser::login(&srv, "zhangwei").await;
    let (_, _, page) = zhang.get(&format!("/cases/{case}")).await;
    assert!(!page.contains("案件事项登记"), "officer sees no form");
    let (status, loc) = post(
        &zhang,
        &path,
        &[("fact", "served"), ("on", "2026-03-03"), ("note", "")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(loc.contains("err="), "{loc}");
    assert!(
        flash(&loc).contains("只有承办科室负责人、局领导或法制审核人员"),
        "{loc}"
    );

    // The legal reviewer sees the form and records service, then 复议.
    let zhou = Browser::login(&srv, "zhoumin").await;
    let (_, _, page) = zhou.get(&format!("/cases/{case}")).await;
    assert!(
        page.contains("案件事项登记") && page.contains("申请行政复议"),
        "{page}"
    );
    const PAUSED: &str = "<span class=\"tag\">暂停</span>";
    assert!(!page.contains(PAUSED), "nothing paused before 复议");
    assert!(page.contains("处罚决定书送达期限"), "service still due");
    let (_, loc) = post(
        &zhou,
        &path,
        &[
            ("fact", "served"),
            ("on", "2026-03-03"),
            ("note", "直接送达"),
        ],
    )
    .await;
    assert!(flash(&loc).contains("已登记送达"), "{loc}");

    // 复议决定 before 复议 was applied for: refused, naming what comes first.
    let (_, loc) = post(
        &zhou,
        &path,
        &[
            ("fact", "reconsideration_decided"),
            ("on", "2026-03-25"),
            ("note", ""),
        ],
    )
    .await;
    assert!(flash(&loc).contains("须先登记申请行政复议"), "{loc}");
    // A day in the future is refused.
    let (_, loc) = post(
        &zhou,
        &path,
        &[
            ("fact", "reconsideration_filed"),
            ("on", "2099-01-01"),
            ("note", ""),
        ],
    )
    .await;
    assert!(flash(&loc).contains("晚于今天"), "{loc}");
    // An unreadable date names the forms accepted.
    let (_, loc) = post(
        &zhou,
        &path,
        &[
            ("fact", "reconsideration_filed"),
            ("on", "三月二十"),
            ("note", ""),
        ],
    )
    .await;
    assert!(flash(&loc).contains("2026年12月2日"), "{loc}");

    let (_, loc) = post(
        &zhou,
        &path,
        &[
            ("fact", "reconsideration_filed"),
            ("on", "2026年3月20日"),
            ("note", "向张家口市档案局申请行政复议"),
        ],
    )
    .await;
    assert!(
        flash(&loc).contains("已登记申请行政复议 (2026-03-20)"),
        "{loc}"
    );
    let (_, _, page) = zhou.get(&format!("/cases/{case}")).await;
    assert!(page.contains(PAUSED), "the surcharge is paused: {page}");
    assert!(!page.contains("处罚决定书送达期限"), "service recorded");
    assert!(
        page.contains("向张家口市档案局申请行政复议"),
        "history shows the note"
    );
    let (_, loc) = post(
        &zhou,
        &path,
        &[
            ("fact", "reconsideration_filed"),
            ("on", "2026-03-21"),
            ("note", ""),
        ],
    )
    .await;
    assert!(flash(&loc).contains("不能重复登记"), "{loc}");

    // The officer's phone receives the events, dated the day they happened,
    // recorded by the legal reviewer.
    let mut phone = Device::new(srv.login("zhangwei").await);
    phone.sync(&srv).await.expect("sync");
    let events = phone.doc(&case).case().expect("case").events;
    let filed = events
        .iter()
        .find(|e| e.kind == EventKind::AdministrativeReconsiderationFiled)
        .expect("复议 event on the phone");
    assert!(filed.at.starts_with("2026-03-20"), "{}", filed.at);
    assert_ne!(
        filed.actor, phone.session.login.officer.id,
        "recorded by the office"
    );
    assert!(events.iter().any(|e| e.kind == EventKind::DecisionServed));
}
