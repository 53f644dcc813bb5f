//! Every console route and every API route, for every role: officer who
//! filed, officer of the unit not assigned, unit head, unit head of another
//! unit, officer of another unit, leader, legal reviewer, office liaison and
//! archivist, administrator, and anonymous. Each answer is either let through
//! (the request reaches the action; a later state error is fine) or refused
//! for authorization (401/403/404 pages, or a refusal flash citing who may).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use zhifa_core::media::MediaRef;
use zhifa_core::template::TemplateRegistry;

use crate::client::{Device, AT};
use crate::common::{Session, TestServer};
use crate::console::{filed_case_on, Browser};
use crate::media::{bytes, sha_hex, upload};

/// The roles of the matrix, by demo login (zhaolei is made by the admin).
const USERS: [&str; 9] = [
    "zhangwei",
    "lina",
    "wangqiang",
    "zhaolei",
    "liuyang",
    "sunjianguo",
    "zhoumin",
    "wufang",
    "admin",
];

/// Readers of a case of 执法监督科 filed by zhangwei.
const READERS: [&str; 6] = [
    "zhangwei",
    "wangqiang",
    "sunjianguo",
    "zhoumin",
    "wufang",
    "admin",
];

/// Readers whose work needs personal data in clear: they may take a case's
/// raw document (a sync snapshot); the administrator reads it masked only.
const RAW_READERS: [&str; 5] = ["zhangwei", "wangqiang", "sunjianguo", "zhoumin", "wufang"];

/// A refusal flash names who may act or that the user may not.
fn is_refusal(message: &str) -> bool {
    [
        "只有",
        "无权",
        "不能审批本人",
        "不能批准本人",
        "不具有",
        "须经",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// The error flash of a redirect, empty when the action went through.
fn flash(location: &str) -> String {
    let q = location.split('?').nth(1).unwrap_or_default();
    serde_urlencoded::from_str::<Vec<(String, String)>>(q)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k == "err")
        .map(|(_, v)| v)
        .collect()
}

struct World {
    srv: TestServer,
    case: String,
    /// An unsealed record for the record form.
    draft: String,
    /// The 立案审批表.
    filing: String,
    video: String,
    tokens: Vec<(String, Session)>,
    temp_account: String,
}

async fn world() -> World {
    let srv = TestServer::start().await;
    let admin = srv.login("admin").await;
    for (u, unit, roles, cred) in [
        (
            "zhaolei",
            "u-zhidao",
            json!(["officer", "unit_head"]),
            "冀执0723-2020-0150",
        ),
        (
            "temp1",
            "u-zhidao",
            json!(["officer"]),
            "冀执0723-2026-0999",
        ),
    ] {
        let res = srv
            .post_json(
                &admin,
                "/api/v1/admin/accounts",
                &json!({"username": u, "password": "demo1234", "name": u, "post": "科员",
                        "credential_no": cred, "unit_id": unit, "roles": roles}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let mut dev = Device::new(srv.login("zhangwei").await);
    let (case, filing) = filed_case_on(&srv, &mut dev).await;
    let clip = bytes(3, 50_000);
    let video = upload(&srv, &dev.session, &clip).await;
    let draft = uuid::Uuid::new_v4().to_string();
    let tpl = TemplateRegistry::builtin()
        .latest("inquiry_record")
        .expect("tpl");
    dev.edit(&case, |doc, who| {
        doc.add_party(
            &zhifa_core::case::Party {
                id: "p1".into(),
                kind: zhifa_core::case::PartyKind::LegalPerson,
                name: "康保县某档案馆".into(),
                id_number: "12130723MB0000001J".into(),
                representative: None,
                address: None,
                phone: None,
            },
            who,
        )
        .expect("party");
        doc.create_record(&draft, tpl, who).expect("draft");
        doc.attach_media(
            &MediaRef {
                sha256: video.clone(),
                mime: "video/mp4".into(),
                size: clip.len() as u64,
                captured_at: AT.into(),
                gps: None,
                device: who.device.into(),
                officer: who.user.into(),
                record_id: filing.clone(),
            },
            who,
        )
        .expect("video");
    });
    dev.sync(&srv).await.expect("sync");
    let mut tokens = Vec::new();
    for u in USERS {
        tokens.push((u.to_string(), srv.login(u).await));
    }
    let temp_account = srv.login("temp1").await.login.officer.id;
    World {
        srv,
        case,
        draft,
        filing,
        video,
        tokens,
        temp_account,
    }
}

#[tokio::test]
async fn every_console_route_for_every_role() {
    let w = world().await;
    let (case, sha) = (w.case.as_str(), w.video.as_str());
    let head_id = w.tokens[2].1.login.officer.id.clone();
    // Pages: (path, who gets 200; readers of the case otherwise 404, other pages 403).
    let editors: &[&str] = &["zhangwei", "wangqiang", "sunjianguo", "zhoumin"];
    let pages: Vec<(String, Vec<&str>, StatusCode)> = vec![
        ("/".into(), USERS.to_vec(), StatusCode::OK),
        ("/deadlines".into(), USERS.to_vec(), StatusCode::OK),
        (
            format!("/cases/{case}"),
            READERS.to_vec(),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/cases/{case}/media/{sha}"),
            READERS.to_vec(),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/cases/{case}/records/{}", w.draft),
            editors.to_vec(),
            StatusCode::NOT_FOUND,
        ),
        (
            "/admin/accounts".into(),
            vec!["admin"],
            StatusCode::FORBIDDEN,
        ),
        (
            "/publicity".into(),
            PUBLICITY.to_vec(),
            StatusCode::FORBIDDEN,
        ),
        (
            "/publicity/disclosures".into(),
            PUBLICITY.to_vec(),
            StatusCode::FORBIDDEN,
        ),
        (
            "/publicity/random".into(),
            PUBLICITY.to_vec(),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/admin/accounts/{}", w.temp_account),
            vec!["admin"],
            StatusCode::FORBIDDEN,
        ),
    ];
    let anon = Browser::new(&w.srv);
    for (path, _, _) in &pages {
        let (status, location, _) = anon.get(path).await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/login"),
            "anonymous {path}"
        );
    }
    let mut browsers = Vec::new();
    for u in USERS {
        browsers.push((u, Browser::login(&w.srv, u).await));
    }
    for (path, allowed, refused) in &pages {
        for (u, b) in &browsers {
            let status = b.get(path).await.0;
            let expected = if allowed.contains(u) {
                StatusCode::OK
            } else if path.starts_with("/cases/") && READERS.contains(u) {
                StatusCode::FORBIDDEN
            } else {
                *refused
            };
            assert_eq!(status, expected, "{u} GET {path}");
        }
    }
    // Forms: (path, fields, who passes authorization).
    let checks: Vec<(&str, &str)> = zhifa_core::rules::REVIEW_CHECKS
        .iter()
        .map(|k| (*k, "pass"))
        .collect();
    let mut opinion = checks.clone();
    opinion.extend([("outcome", "同意"), ("opinion", "同意")]);
    let forms: Vec<FormRow<'_>> = vec![
        (
            format!("/cases/{case}/assign"),
            vec![("officer", head_id.as_str())],
            vec!["wangqiang", "sunjianguo"],
        ),
        (
            format!("/cases/{case}/filing/opinion"),
            vec![("opinion", "同意")],
            vec!["wangqiang"],
        ),
        (
            format!("/cases/{case}/filing/decision"),
            vec![("opinion", "同意"), ("decision", "approve")],
            vec!["sunjianguo"],
        ),
        (
            format!("/cases/{case}/sign"),
            vec![("record", w.filing.as_str()), ("role", "reviewer")],
            vec!["wangqiang"],
        ),
        (
            format!("/cases/{case}/measures"),
            vec![("measure", "重大档案违法案件")],
            vec!["wangqiang", "sunjianguo", "zhoumin"],
        ),
        // 案件事项登记: authorized, then refused by the rules (no decision yet).
        (
            format!("/cases/{case}/facts"),
            vec![("fact", "served"), ("on", "2026-03-03")],
            vec!["wangqiang", "sunjianguo", "zhoumin"],
        ),
        (
            format!("/cases/{case}/records"),
            vec![("template", "collective_discussion")],
            editors.to_vec(),
        ),
        (
            format!("/cases/{case}/records/{}", w.draft),
            vec![("f.place", "档案馆")],
            editors.to_vec(),
        ),
        (
            format!("/cases/{case}/review/submit"),
            vec![],
            vec!["wangqiang"],
        ),
        (
            format!("/cases/{case}/review/materials"),
            vec![("text", "补充材料")],
            vec!["zhoumin"],
        ),
        (
            format!("/cases/{case}/review/extension"),
            vec![("text", "复杂")],
            vec!["zhoumin"],
        ),
        (
            format!("/cases/{case}/review/extension/approve"),
            vec![],
            vec!["sunjianguo"],
        ),
        (
            format!("/cases/{case}/review/opinion"),
            opinion.clone(),
            vec!["zhoumin"],
        ),
        (
            format!("/cases/{case}/review/opinion/approve"),
            vec![],
            vec!["sunjianguo"],
        ),
        (
            format!("/cases/{case}/review/rectify"),
            vec![("measures", "a"), ("result", "b")],
            vec!["wangqiang"],
        ),
        (
            format!("/cases/{case}/review/violation"),
            vec![("kind", "应当送审而未送审"), ("text", "x")],
            vec!["zhoumin"],
        ),
        (
            format!("/cases/{case}/media/{sha}/party-copy"),
            vec![("party", "p1")],
            vec!["wangqiang", "sunjianguo"],
        ),
        (
            format!("/cases/{case}/advance"),
            vec![],
            vec!["zhangwei", "wangqiang", "sunjianguo", "zhoumin", "wufang"],
        ),
        // Publicity: the liaison publishes, keeps 事前公开 and draws 双随机.
        (
            format!("/cases/{case}/publicity/draft"),
            vec![],
            vec!["wufang"],
        ),
        (
            "/publicity/disclosures".into(),
            vec![
                ("section", "救济途径"),
                ("title", "复议与诉讼"),
                ("body", "六十日内申请行政复议"),
                ("then", "save"),
            ],
            vec!["wufang"],
        ),
        (
            "/publicity/random/targets".into(),
            vec![("name", "县档案馆"), ("unit_id", "u-jiandu")],
            vec!["wufang"],
        ),
        (
            "/publicity/random".into(),
            vec![
                ("title", "抽查"),
                ("matter", "档案安全"),
                ("basis", "档案法"),
                ("unit_id", "u-jiandu"),
                ("count", "1"),
                ("seed", "s"),
            ],
            vec!["wufang"],
        ),
        (
            "/admin/accounts".into(),
            vec![
                ("username", "x"),
                ("password", "12345678"),
                ("name", "某"),
                ("role", "admin"),
            ],
            vec!["admin"],
        ),
        (
            format!("/admin/accounts/{}", w.temp_account),
            vec![
                ("name", "临时"),
                ("unit_id", "u-zhidao"),
                ("role", "officer"),
                ("credential_no", "冀执0723-2026-0999"),
            ],
            vec!["admin"],
        ),
        (
            format!("/admin/accounts/{}/suspend", w.temp_account),
            vec![],
            vec!["admin"],
        ),
        (
            format!("/admin/accounts/{}/reactivate", w.temp_account),
            vec![],
            vec!["admin"],
        ),
    ];
    for (path, fields, allowed) in &forms {
        let (status, location, _) = anon.post(path, fields).await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/login"),
            "anonymous POST {path}"
        );
        for (u, b) in &browsers {
            let token = b.csrf().await;
            let mut f = fields.clone();
            f.push(("csrf", &token));
            let (status, location, _) = b.post(path, &f).await;
            let message = flash(&location);
            let refused = matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
                || is_refusal(&message);
            assert_eq!(
                refused,
                !allowed.contains(u),
                "{u} POST {path}: {status} {message}"
            );
        }
    }
    for (u, b) in &browsers {
        let token = b.csrf().await;
        let (status, location, _) = b.post("/logout", &[("csrf", &token)]).await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/login?bye=1"),
            "{u} logout"
        );
    }
}

/// Who sees the 公示 desk, 事前公开 and 双随机 pages.
const PUBLICITY: [&str; 3] = ["sunjianguo", "zhoumin", "wufang"];

/// A console form: path, fields, who passes authorization.
type FormRow<'a> = (String, Vec<(&'a str, &'a str)>, Vec<&'a str>);

async fn call(
    srv: &TestServer,
    s: Option<&Session>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> StatusCode {
    let mut req = srv.http.request(method, srv.url(path));
    if let Some(s) = s {
        req = req.bearer_auth(s.token());
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.expect("request").status()
}

#[tokio::test]
async fn every_api_route_for_every_role() {
    let w = world().await;
    let (case, sha) = (w.case.clone(), w.video.clone());
    let all: Vec<&str> = USERS.to_vec();
    // (method, path, body, who passes; None = public, anonymous too).
    type Row = (Method, String, Option<Value>, Option<Vec<&'static str>>);
    let rows: Vec<Row> = vec![
        (Method::GET, "/healthz".into(), None, None),
        (Method::GET, "/api/v1/openapi.json".into(), None, None),
        (Method::GET, "/api/v1/server-key".into(), None, None),
        (Method::GET, "/api/v1/calendar".into(), None, None),
        (Method::OPTIONS, "/api/v1/media/uploads".into(), None, None),
        (Method::GET, "/api/v1/me".into(), None, Some(all.clone())),
        (
            Method::GET,
            "/api/v1/devices".into(),
            None,
            Some(all.clone()),
        ),
        (Method::GET, "/api/v1/units".into(), None, Some(all.clone())),
        (
            Method::GET,
            "/api/v1/colleagues".into(),
            None,
            Some(all.clone()),
        ),
        (Method::GET, "/api/v1/cases".into(), None, Some(all.clone())),
        (
            Method::GET,
            format!("/api/v1/cases/{case}"),
            None,
            Some(READERS.to_vec()),
        ),
        (
            Method::GET,
            format!("/api/v1/cases/{case}/records/{}/pdf", w.filing),
            None,
            Some(READERS.to_vec()),
        ),
        (
            Method::GET,
            format!("/api/v1/cases/{case}/media/missing"),
            None,
            Some(READERS.to_vec()),
        ),
        (
            Method::GET,
            format!("/api/v1/media/{sha}"),
            None,
            Some(READERS.to_vec()),
        ),
        (
            Method::GET,
            "/api/v1/admin/accounts".into(),
            None,
            Some(vec!["admin"]),
        ),
        (
            Method::POST,
            "/api/v1/admin/accounts".into(),
            Some(
                json!({"username": "zhangwei", "password": "12345678", "name": "x", "post": "", "unit_id": "u-jiandu", "roles": ["officer"], "credential_no": "x"}),
            ),
            Some(vec!["admin"]),
        ),
        (
            Method::PUT,
            "/api/v1/admin/calendar".into(),
            Some(json!({})),
            Some(vec!["admin", "wufang"]),
        ),
        (
            Method::POST,
            "/api/v1/sync/check".into(),
            Some(json!({"cases": {}})),
            Some(all.clone()),
        ),
        (
            Method::POST,
            "/api/v1/sync/exchange".into(),
            Some(json!({"messages": []})),
            Some(all.clone()),
        ),
        (
            Method::POST,
            "/api/v1/sync/snapshots".into(),
            Some(json!({"case_ids": [case]})),
            Some(RAW_READERS.to_vec()),
        ),
    ];
    for (method, path, body, allowed) in &rows {
        let anon = call(&w.srv, None, method.clone(), path, body.clone()).await;
        match allowed {
            None => assert!(anon.is_success(), "public {method} {path}: {anon}"),
            Some(_) => assert_eq!(anon, StatusCode::UNAUTHORIZED, "anonymous {method} {path}"),
        }
        let Some(allowed) = allowed else { continue };
        for (u, s) in &w.tokens {
            let status = call(&w.srv, Some(s), method.clone(), path, body.clone()).await;
            let refused = matches!(status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED);
            assert_eq!(
                refused,
                !allowed.contains(&u.as_str()),
                "{u} {method} {path}: {status}"
            );
        }
    }
    // Uploads: anyone logged in may start one; a HEAD and a PATCH of it too.
    for (u, s) in &w.tokens {
        let data = bytes(u.len() as u64 + 100, 1000);
        let h = sha_hex(&data);
        let res = crate::media::create(&w.srv, s, &h, data.len() as u64).await;
        assert!(res.status().is_success(), "{u} creates an upload");
        assert!(
            crate::media::head_offset(&w.srv, s, &h).await.is_some(),
            "{u} HEAD"
        );
        let res = crate::media::patch(&w.srv, s, &h, 0, data).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{u} PATCH");
    }
    let anon = call(&w.srv, None, Method::POST, "/api/v1/media/uploads", None).await;
    assert_eq!(anon, StatusCode::UNAUTHORIZED);
    // A device is revoked by its owner or the administrator only; logout revokes one's own.
    let victim = w.srv.login("zhangwei").await;
    let path = format!("/api/v1/devices/{}", victim.login.device_id);
    for (u, s) in &w.tokens {
        if *u == "zhangwei" || *u == "admin" {
            continue;
        }
        let status = call(&w.srv, Some(s), Method::DELETE, &path, None).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{u} revokes another's device"
        );
    }
    assert_eq!(
        call(&w.srv, None, Method::DELETE, &path, None).await,
        StatusCode::UNAUTHORIZED
    );
    let admin = &w.tokens[8].1;
    assert_eq!(
        call(&w.srv, Some(admin), Method::DELETE, &path, None).await,
        StatusCode::NO_CONTENT
    );
    for (u, s) in &w.tokens {
        let status = call(&w.srv, Some(s), Method::POST, "/api/v1/auth/logout", None).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{u} logout");
    }
    assert_eq!(
        call(&w.srv, None, Method::POST, "/api/v1/auth/logout", None).await,
        StatusCode::UNAUTHORIZED
    );
}
