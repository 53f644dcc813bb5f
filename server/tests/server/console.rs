//! The office console over real HTTP: sessions, CSRF, throttling, idle
//! expiry, and every console route for every role.

use reqwest::{redirect, Client, StatusCode};
use serde_json::json;
use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, Procedure, Stage};
use zhifa_core::doc::CaseDoc;
use zhifa_core::template::TemplateRegistry;

use crate::client::{Device, AT};
use crate::common::TestServer;

/// A browser: cookie store, no redirects followed.
pub struct Browser {
    pub http: Client,
    base: String,
}

/// Status, `Location` and body of a request.
async fn answer(req: reqwest::RequestBuilder) -> (StatusCode, String, String) {
    let res = req.send().await.expect("request");
    let status = res.status();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, location, res.text().await.expect("body"))
}

fn csrf_in(html: &str) -> Option<String> {
    hidden_in(html, "csrf")
}

/// The hex value of the hidden form field `name` in a page.
pub fn hidden_in(html: &str, name: &str) -> Option<String> {
    let key = format!("name=\"{name}\" value=\"");
    let i = html.find(&key)? + key.len();
    Some(
        html[i..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect(),
    )
}

impl Browser {
    pub fn new(srv: &TestServer) -> Browser {
        Browser {
            http: Client::builder()
                .cookie_store(true)
                .redirect(redirect::Policy::none())
                .build()
                .expect("client"),
            base: format!("http://{}", srv.addr),
        }
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String, String) {
        answer(self.http.get(format!("{}{path}", self.base))).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, String, String) {
        answer(self.http.post(format!("{}{path}", self.base)).form(form)).await
    }

    /// Logs in; returns the login answer's status.
    pub async fn try_login(&self, user: &str, password: &str) -> StatusCode {
        let (_, _, html) = self.get("/login").await;
        let token = csrf_in(&html).expect("login csrf");
        self.post(
            "/login",
            &[("username", user), ("password", password), ("csrf", &token)],
        )
        .await
        .0
    }

    pub async fn login(srv: &TestServer, user: &str) -> Browser {
        let b = Browser::new(srv);
        assert_eq!(b.try_login(user, "demo1234").await, StatusCode::SEE_OTHER);
        b
    }

    /// The session's CSRF token (from the inbox's logout form).
    pub async fn csrf(&self) -> String {
        let (status, _, html) = self.get("/").await;
        assert_eq!(status, StatusCode::OK);
        csrf_in(&html).expect("csrf in page")
    }
}

/// A penalty case (一般程序) in the officer's unit with a filled 立案审批表,
/// synced by the officer's device. Returns (case id, record id).
pub async fn filed_case(srv: &TestServer, officer: &str) -> (String, String) {
    let mut dev = Device::new(srv.login(officer).await);
    filed_case_on(srv, &mut dev).await
}

/// [`filed_case`] on an existing device.
pub async fn filed_case_on(srv: &TestServer, dev: &mut Device) -> (String, String) {
    let id = uuid::Uuid::new_v4().to_string();
    let header = CaseHeader {
        id: id.clone(),
        kind: CaseKind::Penalty,
        procedure: Some(Procedure::General),
        title: format!("擅自销毁档案案 {}", &id[..8]),
        source: CaseSource::Complaint,
        stage: Stage::Initiation,
        unit: dev.session.login.officer.unit_id.clone(),
        created_at: AT.into(),
        created_by: dev.officer_id(),
        source_ref: Some("举报-2026-117".into()),
        fine_fen: None,
        measures: Vec::new(),
    };
    let doc = CaseDoc::create(&header, &dev.session.actor, &dev.who()).expect("create");
    dev.docs.insert(id.clone(), doc);
    let rec = uuid::Uuid::new_v4().to_string();
    let tpl = TemplateRegistry::builtin()
        .latest("filing_approval")
        .expect("template");
    let me = dev.officer();
    dev.edit(&id, |doc, who| {
        doc.add_officer(&me, who).expect("officer");
        doc.create_record(&rec, tpl, who).expect("record");
        for (k, v) in [
            ("case_reason", json!("擅自销毁档案")),
            ("source_detail", json!("实名举报")),
            ("party_summary", json!("康保县某档案馆, 事业单位")),
            ("facts", json!("擅自销毁文书档案约 30 卷")),
            ("handlers", json!(["张伟", "李娜"])),
            ("handler_opinion", json!("建议立案调查")),
        ] {
            doc.set_field_json(&rec, k, &v, who).expect("field");
        }
    });
    dev.sync(srv).await.expect("sync");
    (id, rec)
}

#[tokio::test]
async fn anonymous_is_sent_to_login_and_pages_carry_security_headers() {
    let srv = TestServer::start().await;
    let (id, _) = filed_case(&srv, "zhangwei").await;
    let anon = Browser::new(&srv);
    for path in [
        "/".to_string(),
        "/deadlines".into(),
        format!("/cases/{id}"),
        format!("/cases/{id}/media/{}", "a".repeat(64)),
    ] {
        let (status, location, _) = anon.get(&path).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location, "/login", "{path}");
    }
    for path in [
        "assign",
        "filing/opinion",
        "filing/decision",
        "sign",
        "advance",
    ] {
        let (status, location, _) = anon
            .post(&format!("/cases/{id}/{path}"), &[("csrf", "x")])
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location, "/login", "{path}");
    }
    let (status, _, _) = anon.post("/logout", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let res = anon
        .http
        .get(format!("http://{}/login", srv.addr))
        .send()
        .await
        .expect("login page");
    let csp = res
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe"),
        "{csp}"
    );
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let html = res.text().await.expect("html");
    assert!(html.contains("lang=\"zh-CN\"") && html.contains("登录"));
}

#[tokio::test]
async fn sessions_need_the_right_password_csrf_and_end_on_logout_and_idle() {
    let srv = TestServer::start_with(|c| c.console_idle_minutes = 0).await;
    // Wrong password: 401 and no session.
    let b = Browser::new(&srv);
    assert_eq!(
        b.try_login("wangqiang", "wrong-password").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(b.get("/").await.0, StatusCode::SEE_OTHER);
    // A login form without the CSRF cookie's token is refused.
    let (status, _, _) = b
        .post(
            "/login",
            &[
                ("username", "wangqiang"),
                ("password", "demo1234"),
                ("csrf", "00"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A password longer than the cap is refused before hashing.
    let long = "x".repeat(10_000);
    assert_eq!(
        b.try_login("wangqiang", &long).await,
        StatusCode::BAD_REQUEST
    );
    // Idle expiry (0 minutes): the next request after a second is sent to login.
    let b = Browser::login(&srv, "wangqiang").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, location, _) = b.get("/").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/login?expired=1");
}

#[tokio::test]
async fn forms_without_their_csrf_token_are_refused_and_logout_ends_the_session() {
    let srv = TestServer::start().await;
    let (id, _) = filed_case(&srv, "zhangwei").await;
    let head = Browser::login(&srv, "wangqiang").await;
    let opinion = [("opinion", "同意立案")];
    let (status, _, body) = head
        .post(&format!("/cases/{id}/filing/opinion"), &opinion)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("CSRF"));
    let (status, _, _) = head
        .post(
            &format!("/cases/{id}/filing/opinion"),
            &[("opinion", "同意立案"), ("csrf", &"0".repeat(64))],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Another session's token does not work either.
    let other = Browser::login(&srv, "sunjianguo").await.csrf().await;
    let (status, _, _) = head
        .post(
            &format!("/cases/{id}/filing/opinion"),
            &[("opinion", "同意立案"), ("csrf", &other)],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nothing was written.
    let (_, _, page) = head.get(&format!("/cases/{id}")).await;
    assert!(
        page.contains("id=\"unit-opinion\""),
        "the opinion form is still offered"
    );
    let token = head.csrf().await;
    let (status, location, _) = head.post("/logout", &[("csrf", &token)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/login?bye=1");
    assert_eq!(head.get("/").await.0, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn five_failures_lock_the_account_even_for_the_right_password() {
    let srv = TestServer::start().await;
    let b = Browser::new(&srv);
    for _ in 0..5 {
        assert_eq!(
            b.try_login("lina", "nope-nope").await,
            StatusCode::UNAUTHORIZED
        );
    }
    // Locked: even the right password waits.
    assert_eq!(
        b.try_login("lina", "demo1234").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another account from the same address is not locked by lina's failures.
    assert_eq!(
        b.try_login("zhangwei", "demo1234").await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn only_the_servers_own_flash_messages_are_shown() {
    let srv = TestServer::start().await;
    let (id, _) = filed_case(&srv, "zhangwei").await;
    let head = Browser::login(&srv, "wangqiang").await;
    // A crafted link cannot make the console say anything.
    let (_, _, html) = head
        .get(&format!(
            "/cases/{id}?ok=%E5%B7%B2%E6%89%B9%E5%87%86%E7%BD%9A%E6%AC%BE&t=00"
        ))
        .await;
    assert!(!html.contains("已批准罚款"));
    let (_, _, html) = head
        .get(&format!("/cases/{id}?err=%E4%BC%AA%E9%80%A0"))
        .await;
    assert!(!html.contains("伪造"));
    // The server's own message after an action is shown.
    let t = head.csrf().await;
    let (_, location, _) = head
        .post(
            &format!("/cases/{id}/filing/opinion"),
            &[("opinion", "同意立案"), ("csrf", &t)],
        )
        .await;
    let (_, _, html) = head.get(&location).await;
    assert!(html.contains("承办科室意见已记入立案审批表"), "flash shown");
}
