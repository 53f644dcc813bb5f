//! Records written in the console: a leader writes the 集体讨论记录 from its
//! template's form, a bad value is refused with nothing stored, the record is
//! sealed and signed; the officer's device receives it. A form submitted
//! from an older version of the record (a stale tab, a replayed request) is
//! refused and the newer save kept.

use reqwest::StatusCode;

use crate::client::Device;
use crate::common::TestServer;
use crate::console::{filed_case_on, hidden_in, Browser};

#[tokio::test]
async fn a_leader_writes_seals_and_signs_the_collective_discussion_minutes() {
    let srv = TestServer::start().await;
    let mut dev = Device::new(srv.login("zhangwei").await);
    let (case, _) = filed_case_on(&srv, &mut dev).await;
    let leader = Browser::login(&srv, "sunjianguo").await;
    let html = leader.get(&format!("/cases/{case}")).await.2;
    assert!(html.contains("<option value=\"collective_discussion\">集体讨论记录</option>"));
    let t = leader.csrf().await;
    let (status, location, _) = leader
        .post(
            &format!("/cases/{case}/records"),
            &[("template", "collective_discussion"), ("csrf", &t)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        location.starts_with(&format!("/cases/{case}/records/")),
        "{location}"
    );
    let rec = location.rsplit('/').next().expect("id").to_string();
    let (status, _, form) = leader.get(&location).await;
    assert_eq!(status, StatusCode::OK);
    for label in ["讨论时间", "主持人", "参加人员", "讨论决定"] {
        assert!(form.contains(label), "{label}");
    }
    // Saving with one field and sealing early: refused, the missing fields named.
    let path = format!("/cases/{case}/records/{rec}");
    let (_, location, _) = leader
        .post(&path, &[("f.host", "孙建国"), ("seal", "1"), ("csrf", &t)])
        .await;
    let msg = location
        .split("err=")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let msg: String = serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("m={msg}"))
        .ok()
        .and_then(|v| v.into_iter().next())
        .map(|(_, v)| v)
        .unwrap_or_default();
    assert!(
        msg.contains("必填项未填写") && msg.contains("讨论时间"),
        "{msg}"
    );
    // Nothing stored by the refused save.
    let form = leader.get(&path).await.2;
    assert!(!form.contains("value=\"孙建国\""));
    let fields = [
        ("f.held_at", "2026-12-03T15:00"),
        ("f.host", "孙建国"),
        ("f.attendees", "孙建国\n王强\n周敏"),
        ("f.facts", "当事人擅自销毁文书档案约 30 卷"),
        ("f.discussion", "一致认为事实清楚"),
        ("f.conclusion", "同意作出罚款 5 万元的决定"),
        ("csrf", &t),
    ];
    let (_, location, _) = leader.post(&path, &fields).await;
    assert!(location.contains("ok="), "{location}");
    let form = leader.get(&path).await.2;
    assert!(form.contains("value=\"孙建国\"") && form.contains("王强\n周敏"));
    let mut sealing = fields.to_vec();
    sealing.push(("seal", "1"));
    let (_, location, _) = leader.post(&path, &sealing).await;
    assert!(
        location.starts_with(&format!("/cases/{case}?ok=")),
        "{location}"
    );
    let t = leader.csrf().await;
    let (_, location, _) = leader
        .post(
            &format!("/cases/{case}/sign"),
            &[("record", &rec), ("role", "leader"), ("csrf", &t)],
        )
        .await;
    assert!(location.contains("?ok="), "{location}");
    let html = leader.get(&format!("/cases/{case}")).await.2;
    assert!(html.contains("集体讨论记录") && html.contains("封存校验通过"));
    assert!(
        html.contains("2026-12-03 15:00"),
        "date-time shown in local time"
    );
    // An officer of another unit cannot write records of this case.
    let other = Browser::login(&srv, "liuyang").await;
    let t = other.csrf().await;
    let (_, location, _) = other
        .post(
            &format!("/cases/{case}/records"),
            &[("template", "collective_discussion"), ("csrf", &t)],
        )
        .await;
    assert!(location.contains("?err="), "{location}");
    dev.sync(&srv).await.expect("sync");
    let r = dev.doc(&case).record(&rec).expect("record on the device");
    assert!(r.is_sealed());
}

#[tokio::test]
async fn cases_stored_before_the_console_are_indexed_at_start() {
    let srv = TestServer::start().await;
    let mut dev = Device::new(srv.login("zhangwei").await);
    let (case, _) = filed_case_on(&srv, &mut dev).await;
    // A database from before the console: no index rows.
    let db = rusqlite::Connection::open(srv.dir.path().join("zhifa.db")).expect("db");
    db.execute("DELETE FROM case_index", []).expect("delete");
    db.execute("DELETE FROM case_obligations", [])
        .expect("delete");
    let mut config = zhifa_server::Config::for_data_dir(srv.dir.path());
    config.db_readers = 1;
    let state = zhifa_server::build_state(config).await.expect("restart");
    let scope = zhifa_server::store::CaseScope::All;
    let page = state
        .db(move |s| s.case_page(&scope, &Default::default(), 0, 50))
        .await
        .expect("page");
    assert!(
        page.rows.iter().any(|r| r.id == case),
        "indexed again at start"
    );
    let row = page.rows.iter().find(|r| r.id == case).expect("row");
    assert!(row.title.contains("擅自销毁档案案") && row.index.officer_names == "张伟");
    assert!(
        zhifa_server::office::reindex::run(&state)
            .await
            .expect("again")
            == 0,
        "nothing left to index"
    );
}

/// The record's version in its form's hidden field.
fn version_in(html: &str) -> String {
    hidden_in(html, "version").expect("version field")
}

/// Saves the 主持人 field from a form shown at `version`; the redirect.
async fn save_host(b: &Browser, form: &str, host: &str, version: &str, csrf: &str) -> String {
    b.post(
        form,
        &[("f.host", host), ("version", version), ("csrf", csrf)],
    )
    .await
    .1
}

#[tokio::test]
async fn a_save_from_an_older_form_is_refused_and_the_newer_save_kept() {
    let srv = TestServer::start().await;
    let mut dev = Device::new(srv.login("zhangwei").await);
    let (case, _) = filed_case_on(&srv, &mut dev).await;
    let leader = Browser::login(&srv, "sunjianguo").await;
    let t = leader.csrf().await;
    let (_, location, _) = leader
        .post(
            &format!("/cases/{case}/records"),
            &[("template", "collective_discussion"), ("csrf", &t)],
        )
        .await;
    let (_, _, form) = leader.get(&location).await;
    let first = version_in(&form);
    assert_eq!(first.len(), 64, "a SHA-256: {first}");
    // Two tabs opened at the same version: the first save wins ...
    let ok = save_host(&leader, &location, "孙建国", &first, &t).await;
    assert!(ok.contains("ok="), "{ok}");
    let form = leader.get(&location).await.2;
    assert_ne!(version_in(&form), first, "the version follows the content");
    // ... the second, from the older version, is refused (409 in words).
    let stale = save_host(&leader, &location, "王强", &first, &t).await;
    assert!(stale.contains("err="), "{stale}");
    let form = leader.get(&stale).await.2;
    assert!(form.contains("文书已被修改"), "the reason is shown");
    assert!(form.contains("value=\"孙建国\"") && !form.contains("value=\"王强\""));
    // From the current version it saves.
    let current = version_in(&form);
    let ok = save_host(&leader, &location, "王强", &current, &t).await;
    assert!(ok.contains("ok="), "{ok}");
    assert!(leader.get(&location).await.2.contains("value=\"王强\""));
}
