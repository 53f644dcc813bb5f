//! Electronic enforcement credentials (电子执法证): the server signs the
//! logged-in officer's token with its key, and the public check route answers
//! `active`, `suspended`, `expired` or `invalid` (行政处罚法 第五十五条).

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::Value;
use zhifa_core::credential::{check_url, rfc3339, verify, CredentialClaims, IssuedCredential};
use zhifa_core::seal::DeviceKey;

use crate::common::{expect_error, random32, TestServer};
use crate::console::Browser;

async fn issue(srv: &TestServer, user: &str) -> IssuedCredential {
    let s = srv.login(user).await;
    let res = srv.get(&s, "/api/v1/me/credential").await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("issued credential")
}

async fn check(srv: &TestServer, token: &str) -> Value {
    let res = srv
        .http
        .get(srv.url("/api/v1/credentials/verify"))
        .query(&[("token", token)])
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("json")
}

async fn server_key(srv: &TestServer) -> String {
    let v: Value = srv
        .http
        .get(srv.url("/api/v1/server-key"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    v["public_key"].as_str().expect("key").to_string()
}

/// The server's signing key, read from its key file (as an operator could).
fn server_signing_key(srv: &TestServer) -> DeviceKey {
    let text = std::fs::read_to_string(srv.dir.path().join("server-key.hex")).expect("key file");
    let secret: [u8; 32] = hex::decode(text.trim())
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    DeviceKey::from_secret(secret)
}

#[tokio::test]
async fn an_officer_gets_a_token_that_verifies_offline_and_through_the_public_route() {
    let srv = TestServer::start().await;
    let issued = issue(&srv, "zhangwei").await;
    let c = &issued.claims;
    assert_eq!(c.name, "张伟");
    assert_eq!(c.credential_no, "冀执0723-2023-0101");
    assert_eq!(c.unit_id, "u-jiandu");
    assert_eq!(c.unit_name, "执法监督科");
    assert_eq!(c.scope, vec!["执法人员".to_string()]);
    // Valid for the configured year.
    let from = chrono::DateTime::parse_from_rfc3339(&c.valid_from).expect("from");
    let until = chrono::DateTime::parse_from_rfc3339(&c.valid_until).expect("until");
    assert_eq!(until - from, Duration::days(365));
    assert!(issued.token.len() < 600, "{}", issued.token.len());
    // Offline, with the public server key.
    let key = server_key(&srv).await;
    assert_eq!(verify(&issued.token, &key, Utc::now()).as_ref(), Ok(c));

    let v = check(&srv, &issued.token).await;
    assert_eq!(v["status"], "active", "{v}");
    assert_eq!(v["claims"]["credential_no"], "冀执0723-2023-0101");
    assert!(
        v["message"].as_str().is_some_and(|m| m.contains("有效")),
        "{v}"
    );
    // The check URL form too.
    let url = check_url(&srv.url(""), &issued.token);
    assert_eq!(check(&srv, &url).await["status"], "active");

    // One character changed: invalid, no claims.
    let mut forged = issued.token.clone().into_bytes();
    let i = 12;
    forged[i] = if forged[i] == b'x' { b'y' } else { b'x' };
    let v = check(&srv, &String::from_utf8(forged).expect("ascii")).await;
    assert_eq!(v["status"], "invalid", "{v}");
    assert!(v["claims"].is_null(), "{v}");
    assert!(
        v["message"]
            .as_str()
            .is_some_and(|m| m.contains("签名无效")),
        "{v}"
    );
    // Signed by another key.
    let other = issued
        .claims
        .sign(&DeviceKey::from_secret(random32()))
        .expect("sign");
    assert_eq!(check(&srv, &other).await["status"], "invalid");
    // Garbage and a missing parameter.
    assert_eq!(check(&srv, "不是证件").await["status"], "invalid");
    let res = srv
        .http
        .get(srv.url("/api/v1/credentials/verify"))
        .send()
        .await
        .expect("send");
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
}

#[tokio::test]
async fn validity_follows_the_configuration_and_expired_tokens_say_so() {
    let srv = TestServer::start_with(|c| c.credential_valid_days = 30).await;
    let issued = issue(&srv, "lina").await;
    let from = chrono::DateTime::parse_from_rfc3339(&issued.claims.valid_from).expect("from");
    let until = chrono::DateTime::parse_from_rfc3339(&issued.claims.valid_until).expect("until");
    assert_eq!(until - from, Duration::days(30));

    // A genuine token whose validity ended yesterday.
    let mut old: CredentialClaims = issued.claims.clone();
    old.valid_from = rfc3339(Utc::now() - Duration::days(400));
    old.valid_until = rfc3339(Utc::now() - Duration::days(1));
    let token = old.sign(&server_signing_key(&srv)).expect("sign");
    let v = check(&srv, &token).await;
    assert_eq!(v["status"], "expired", "{v}");
    assert_eq!(v["claims"]["name"], "李娜");
    assert!(
        v["message"].as_str().is_some_and(|m| m.contains("已过期")),
        "{v}"
    );
}

#[tokio::test]
async fn staff_without_a_credential_number_get_none() {
    let srv = TestServer::start().await;
    let s = srv.login("wufang").await;
    let res = srv.get(&s, "/api/v1/me/credential").await;
    let body = expect_error(res, StatusCode::FORBIDDEN, "no_credential").await;
    assert!(body["error"]
        .as_str()
        .is_some_and(|m| m.contains("执法证号")));
}

#[tokio::test]
async fn a_suspended_officers_token_verifies_as_suspended() {
    let srv = TestServer::start().await;
    let issued = issue(&srv, "zhangwei").await;
    let id = issued.claims.account_id.clone();
    assert_eq!(
        zhifa_server::credential::credential_status(srv_store(&srv).as_ref(), &id).expect("status"),
        zhifa_server::credential::CredentialStatus::Active
    );

    let admin = Browser::login(&srv, "admin").await;
    let csrf = admin.csrf().await;
    let (status, _, _) = admin
        .post(&format!("/admin/accounts/{id}/suspend"), &[("csrf", &csrf)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let v = check(&srv, &issued.token).await;
    assert_eq!(v["status"], "suspended", "{v}");
    assert_eq!(v["claims"]["name"], "张伟");
    assert!(
        v["message"].as_str().is_some_and(|m| m.contains("已暂停")),
        "{v}"
    );
    // What the portal calls.
    let store = srv_store(&srv);
    assert_eq!(
        zhifa_server::credential::credential_status(store.as_ref(), &id).expect("status"),
        zhifa_server::credential::CredentialStatus::Suspended
    );
    assert_eq!(
        zhifa_server::credential::credential_status(store.as_ref(), "no-such-account")
            .expect("status"),
        zhifa_server::credential::CredentialStatus::Unknown
    );
    // The suspended officer's device gets no new credential.
    let (status, _, _) = srv.try_login("zhangwei", "demo1234").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Reactivated: active again.
    let csrf = admin.csrf().await;
    admin
        .post(
            &format!("/admin/accounts/{id}/reactivate"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(check(&srv, &issued.token).await["status"], "active");
}

/// A second connection to the server's SQLite file (WAL: safe beside the server).
fn srv_store(srv: &TestServer) -> std::sync::Arc<dyn zhifa_server::store::Store> {
    std::sync::Arc::new(
        zhifa_server::store::sqlite::SqliteStore::open(&srv.dir.path().join("zhifa.db"), 1)
            .expect("store"),
    )
}
