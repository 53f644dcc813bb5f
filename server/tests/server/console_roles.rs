//! Every console route for every role: who sees which page and whose
//! office action is taken or refused (the refusal named in the flash).

use reqwest::StatusCode;

use crate::client::Device;
use crate::common::TestServer;
use crate::console::{filed_case_on, Browser};

/// The roles of the matrix: (label, username).
const ROLES: [(&str, &str); 9] = [
    ("officer who filed", "zhangwei"),
    ("officer of the unit, unassigned", "lina"),
    ("unit head", "wangqiang"),
    ("unit head of another unit", "zhaolei"),
    ("officer of another unit", "liuyang"),
    ("leader", "sunjianguo"),
    ("legal reviewer", "zhoumin"),
    ("office liaison and archivist", "wufang"),
    ("admin", "admin"),
];

/// A unit head of 业务指导科 (the demo has none), made by the admin.
async fn add_other_unit_head(srv: &TestServer) {
    let admin = srv.login("admin").await;
    let res = srv
        .post_json(
            &admin,
            "/api/v1/admin/accounts",
            &serde_json::json!({
                "username": "zhaolei", "password": "demo1234", "name": "赵磊",
                "post": "业务指导科科长", "credential_no": "冀执0723-2020-0150",
                "unit_id": "u-zhidao", "roles": ["officer", "unit_head"]
            }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

fn readers(user: &str) -> bool {
    !matches!(user, "lina" | "liuyang" | "zhaolei")
}

#[tokio::test]
async fn pages_by_role_and_another_units_case_is_invisible() {
    let srv = TestServer::start().await;
    add_other_unit_head(&srv).await;
    let mut dev = Device::new(srv.login("zhangwei").await);
    let (id, _) = filed_case_on(&srv, &mut dev).await;
    let title = format!("擅自销毁档案案 {}", &id[..8]);
    for (label, user) in ROLES {
        let b = Browser::login(&srv, user).await;
        let (status, _, inbox) = b.get("/").await;
        assert_eq!(status, StatusCode::OK, "{label}: inbox");
        assert_eq!(
            inbox.contains(&title),
            readers(user),
            "{label}: inbox lists the case"
        );
        assert_eq!(
            b.get("/deadlines").await.0,
            StatusCode::OK,
            "{label}: deadlines"
        );
        let (status, _, page) = b.get(&format!("/cases/{id}")).await;
        if readers(user) {
            assert_eq!(status, StatusCode::OK, "{label}: case page");
            assert!(
                page.contains("立案审批表") && page.contains("张伟"),
                "{label}"
            );
        } else {
            assert_eq!(status, StatusCode::NOT_FOUND, "{label}: case page");
            assert!(!page.contains(&title), "{label}: nothing of the case shown");
        }
        let (status, _, _) = b
            .get(&format!("/cases/{id}/media/{}", "b".repeat(64)))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{label}: unknown media");
        // The archive: the retention list and a package (none yet: 404)
        // for the archivist, leaders and legal office ((二) 第二十三条).
        let archive_role = matches!(user, "wufang" | "sunjianguo" | "zhoumin");
        let (status, _, _) = b.get("/archive").await;
        let expected = if archive_role {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(status, expected, "{label}: /archive");
        let (status, _, _) = b.get(&format!("/cases/{id}/archive.zip")).await;
        let expected = if archive_role {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(status, expected, "{label}: archive package");
    }
}

/// A setup step: (who, route, form).
type Step<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

/// Runs one action for every role, each on a fresh case prepared by
/// `setup`, and checks who succeeded.
async fn matrix(
    srv: &TestServer,
    dev: &mut Device,
    route: &str,
    form: &[(&str, &str)],
    setup: &[Step<'_>],
    allowed: &[&str],
) {
    for (label, user) in ROLES {
        let (id, rec) = filed_case_on(srv, dev).await;
        for (who, path, f) in setup {
            let b = Browser::login(srv, who).await;
            let token = b.csrf().await;
            let mut f: Vec<(&str, &str)> = f.to_vec();
            f.push(("csrf", &token));
            let (_, location, _) = b.post(&format!("/cases/{id}/{path}"), &f).await;
            assert!(
                location.contains("?ok="),
                "setup {path} by {who}: {location}"
            );
        }
        let b = Browser::login(srv, user).await;
        let token = b.csrf().await;
        let mut f: Vec<(&str, &str)> = form.to_vec();
        f.push(("csrf", &token));
        f.push(("record", &rec));
        let (status, location, _) = b.post(&format!("/cases/{id}/{route}"), &f).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{label}: {route}");
        assert!(location.starts_with(&format!("/cases/{id}?")), "{location}");
        assert_eq!(
            location.contains("?ok="),
            allowed.contains(&user),
            "{label} on {route}: {}",
            urlencoding_decode(&location)
        );
    }
}

fn urlencoding_decode(s: &str) -> String {
    let q = s.split('?').nth(1).unwrap_or_default();
    serde_urlencoded::from_str::<Vec<(String, String)>>(q)
        .map(|v| v.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

#[tokio::test]
async fn office_actions_by_role() {
    let srv = TestServer::start().await;
    add_other_unit_head(&srv).await;
    let mut dev = Device::new(srv.login("zhangwei").await);
    let lina = srv.login("lina").await.login.officer.id;
    let opinion: &[(&str, &str)] = &[("opinion", "同意立案")];
    let approve: &[(&str, &str)] = &[("opinion", "同意立案"), ("decision", "approve")];
    matrix(
        &srv,
        &mut dev,
        "assign",
        &[("officer", &lina)],
        &[],
        &["wangqiang", "sunjianguo"],
    )
    .await;
    matrix(
        &srv,
        &mut dev,
        "filing/opinion",
        opinion,
        &[],
        &["wangqiang"],
    )
    .await;
    matrix(
        &srv,
        &mut dev,
        "filing/decision",
        approve,
        &[("wangqiang", "filing/opinion", opinion)],
        &["sunjianguo"],
    )
    .await;
    matrix(
        &srv,
        &mut dev,
        "sign",
        &[("role", "reviewer")],
        &[
            ("wangqiang", "filing/opinion", opinion),
            ("sunjianguo", "filing/decision", approve),
        ],
        // The 立案审批表's 审核人员 is the handling unit's head ((二) 第八条).
        &["wangqiang"],
    )
    .await;
    matrix(
        &srv,
        &mut dev,
        "advance",
        &[],
        &[],
        &["zhangwei", "wangqiang", "sunjianguo", "zhoumin", "wufang"],
    )
    .await;
    // 归档: nobody files a case still in 程序启动; the archivist is told
    // why (the stage), everyone else that only the archivist may
    // (server/tests/server/archive.rs files a case in 归档管理).
    for (label, user) in ROLES {
        let (id, _) = filed_case_on(&srv, &mut dev).await;
        let b = Browser::login(&srv, user).await;
        let token = b.csrf().await;
        let (status, location, _) = b
            .post(&format!("/cases/{id}/archive"), &[("csrf", &token)])
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{label}");
        let msg = urlencoding_decode(&location);
        assert!(location.contains("?err="), "{label}: {msg}");
        if user == "wufang" {
            assert!(msg.contains("归档管理"), "{label}: {msg}");
        } else {
            assert!(!msg.contains("归档管理"), "{label}: {msg}");
        }
    }
}

#[tokio::test]
async fn nobody_approves_their_own_filing_and_leader_signatures_need_the_role() {
    let srv = TestServer::start().await;
    // The unit head files a case himself: his own opinion is refused.
    let mut head_dev = Device::new(srv.login("wangqiang").await);
    let (id, rec) = filed_case_on(&srv, &mut head_dev).await;
    let head = Browser::login(&srv, "wangqiang").await;
    let token = head.csrf().await;
    let (_, location, _) = head
        .post(
            &format!("/cases/{id}/filing/opinion"),
            &[("opinion", "同意"), ("csrf", &token)],
        )
        .await;
    let msg = urlencoding_decode(&location);
    assert!(
        msg.contains("不能审批本人承办的立案申请") && msg.contains("第八条"),
        "{msg}"
    );
    // A unit head may not sign as 负责人 (leader).
    let (_, location, _) = head
        .post(
            &format!("/cases/{id}/sign"),
            &[("record", &rec), ("role", "leader"), ("csrf", &token)],
        )
        .await;
    let msg = urlencoding_decode(&location);
    assert!(msg.contains("负责人") && msg.contains("权限"), "{msg}");
    // Parties' and officers' signatures are not given in the console.
    let leader = Browser::login(&srv, "sunjianguo").await;
    let t = leader.csrf().await;
    let (_, location, _) = leader
        .post(
            &format!("/cases/{id}/sign"),
            &[("record", &rec), ("role", "party"), ("csrf", &t)],
        )
        .await;
    assert!(location.contains("?err="), "{location}");
}
