//! Accounts over their life in the console: only the administrator manages
//! them; a suspended officer's devices stop syncing and the credential shows
//! as suspended; reactivation restores both.

use reqwest::StatusCode;

use crate::client::Device;
use crate::common::TestServer;
use crate::console::{filed_case_on, Browser};

fn flash(location: &str) -> (bool, String) {
    let q = location.split('?').nth(1).unwrap_or_default();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q).unwrap_or_default();
    (
        pairs.iter().any(|(k, _)| k == "ok"),
        pairs.into_iter().map(|(_, v)| v).collect(),
    )
}

async fn post(b: &Browser, path: &str, form: &[(&str, &str)]) -> (bool, String) {
    let token = b.csrf().await;
    let mut f = form.to_vec();
    f.push(("csrf", &token));
    let (status, location, _) = b.post(path, &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
    flash(&location)
}

#[tokio::test]
async fn only_the_administrator_manages_accounts() {
    let srv = TestServer::start().await;
    let anon = Browser::new(&srv);
    assert_eq!(anon.get("/admin/accounts").await.0, StatusCode::SEE_OTHER);
    for user in ["zhangwei", "wangqiang", "sunjianguo", "zhoumin", "wufang"] {
        let b = Browser::login(&srv, user).await;
        let (status, _, html) = b.get("/admin/accounts").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user}");
        assert!(html.contains("系统管理员"), "{user}");
        let token = b.csrf().await;
        let (status, _, _) = b
            .post(
                "/admin/accounts",
                &[
                    ("username", "x1"),
                    ("password", "12345678"),
                    ("name", "某"),
                    ("csrf", &token),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user} creates");
    }
    let admin = Browser::login(&srv, "admin").await;
    let (status, _, html) = admin.get("/admin/accounts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("冀执0723-2023-0101") || html.contains("冀执0131-2023-0101"));
    // An officer needs a credential number.
    let (ok, msg) = post(
        &admin,
        "/admin/accounts",
        &[
            ("username", "zhaolei"),
            ("password", "demo1234"),
            ("name", "赵磊"),
            ("post", "科员"),
            ("unit_id", "u-zhidao"),
            ("role", "officer"),
        ],
    )
    .await;
    assert!(
        !ok && msg.contains("执法证号") && msg.contains("第四十二条"),
        "{msg}"
    );
    let (ok, msg) = post(
        &admin,
        "/admin/accounts",
        &[
            ("username", "zhaolei"),
            ("password", "demo1234"),
            ("name", "赵磊"),
            ("post", "科员"),
            ("unit_id", "u-zhidao"),
            ("role", "officer"),
            ("credential_no", "冀执0723-2026-0301"),
            ("scope", "档案行政执法"),
            ("valid_until", "2029-12-31"),
        ],
    )
    .await;
    assert!(ok, "{msg}");
    let html = admin.get("/admin/accounts").await.2;
    assert!(html.contains("赵磊") && html.contains("2029-12-31") && html.contains("档案行政执法"));
    // The new officer logs in to the console.
    Browser::login(&srv, "zhaolei").await;
}

#[tokio::test]
async fn a_suspended_officer_stops_syncing_and_shows_as_suspended() {
    let srv = TestServer::start().await;
    let mut dev = Device::new(srv.login("zhangwei").await);
    let (case, _) = filed_case_on(&srv, &mut dev).await;
    let me = dev.officer_id();
    let admin = Browser::login(&srv, "admin").await;
    let officer_console = Browser::login(&srv, "zhangwei").await;
    let (ok, msg) = post(&admin, &format!("/admin/accounts/{me}/suspend"), &[]).await;
    assert!(ok && msg.contains("已暂停"), "{msg}");
    // The device's next sync is refused; the console session is over.
    let err = dev.sync(&srv).await.expect_err("suspended device");
    assert_eq!(err.0, StatusCode::UNAUTHORIZED);
    assert_eq!(officer_console.get("/").await.0, StatusCode::SEE_OTHER);
    assert_eq!(
        Browser::new(&srv).try_login("zhangwei", "demo1234").await,
        StatusCode::UNAUTHORIZED
    );
    // The unit head sees the credential as suspended on the case.
    let head = Browser::login(&srv, "wangqiang").await;
    let html = head.get(&format!("/cases/{case}")).await.2;
    assert!(html.contains("已暂停"), "credential shown suspended");
    // Reactivated: the device syncs again with its token.
    let (ok, msg) = post(&admin, &format!("/admin/accounts/{me}/reactivate"), &[]).await;
    assert!(ok, "{msg}");
    dev.sync(&srv).await.expect("sync after reactivation");
    let html = head.get(&format!("/cases/{case}")).await.2;
    assert!(!html.contains("已暂停"));
    // The administrator cannot suspend himself.
    let admin_id = srv.login("admin").await.login.officer.id;
    let (ok, msg) = post(&admin, &format!("/admin/accounts/{admin_id}/suspend"), &[]).await;
    assert!(!ok && msg.contains("自己"), "{msg}");
}
