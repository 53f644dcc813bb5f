//! Login, device registration, tokens, revocation and malformed requests.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{expect_error, TestServer};

#[tokio::test]
async fn login_registers_a_device_and_me_answers() {
    let srv = TestServer::start().await;
    let s = srv.login("zhangwei").await;
    assert_eq!(s.login.officer.name, "张伟");
    assert_eq!(s.login.officer.unit_name, "执法监督科");
    assert!(!s.login.officer.credential_no.is_empty());
    assert_eq!(s.login.token.len(), 64);
    let key: Value = srv
        .http
        .get(srv.url("/api/v1/server-key"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(key["public_key"], s.login.server_public_key.as_str());

    let me: Value = srv.get(&s, "/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["officer"]["username"], "zhangwei");
    assert_eq!(me["device_id"], s.login.device_id.as_str());
    let devices: Value = srv.get(&s, "/api/v1/devices").await.json().await.unwrap();
    assert_eq!(devices[0]["public_key"], s.key.public_hex().as_str());
    assert_eq!(devices[0]["actor_id"], hex::encode(&s.actor).as_str());
    // The token itself is never stored: only its SHA-256.
    let db = std::fs::read(srv.dir.path().join("zhifa.db")).unwrap();
    let wal = std::fs::read(srv.dir.path().join("zhifa.db-wal")).unwrap_or_default();
    let needle = s.token().as_bytes();
    assert!(
        !db.windows(needle.len()).any(|w| w == needle)
            && !wal.windows(needle.len()).any(|w| w == needle)
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_user_are_refused() {
    let srv = TestServer::start().await;
    let (status, body, _) = srv.try_login("zhangwei", "wrong-password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "wrong_password");
    let (status, body, _) = srv.try_login("nobody", "demo1234").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "wrong_password");
}

#[tokio::test]
async fn bad_and_missing_tokens_are_refused() {
    let srv = TestServer::start().await;
    let res = srv.http.get(srv.url("/api/v1/me")).send().await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "missing_token").await;
    let res = srv
        .http
        .get(srv.url("/api/v1/me"))
        .bearer_auth("a".repeat(64))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "bad_token").await;
    let res = srv
        .http
        .get(srv.url("/api/v1/me"))
        .bearer_auth("not-hex")
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "bad_token").await;
    let res = srv
        .http
        .get(srv.url("/api/v1/me"))
        .header("authorization", "Basic eDp5")
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "bad_token").await;
    let res = srv
        .http
        .post(srv.url("/api/v1/sync/check"))
        .bearer_auth("b".repeat(64))
        .json(&json!({"cases": []}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "bad_token").await;
}

#[tokio::test]
async fn revoked_devices_are_refused() {
    let srv = TestServer::start().await;
    let phone = srv.login("zhangwei").await;
    let tablet = srv.login("zhangwei").await;
    let other = srv.login("lina").await;
    // Another officer cannot revoke my device.
    let res = srv
        .http
        .delete(srv.url(&format!("/api/v1/devices/{}", phone.login.device_id)))
        .bearer_auth(other.token())
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    // I revoke my phone from my tablet.
    let res = srv
        .http
        .delete(srv.url(&format!("/api/v1/devices/{}", phone.login.device_id)))
        .bearer_auth(tablet.token())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    expect_error(
        srv.get(&phone, "/api/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "bad_token",
    )
    .await;
    let res = srv
        .post_json(&phone, "/api/v1/sync/check", &json!({"cases": []}))
        .await;
    expect_error(res, StatusCode::UNAUTHORIZED, "bad_token").await;
    assert_eq!(
        srv.get(&tablet, "/api/v1/me").await.status(),
        StatusCode::OK
    );
    // Logout revokes the calling device.
    let res = srv
        .http
        .post(srv.url("/api/v1/auth/logout"))
        .bearer_auth(tablet.token())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    expect_error(
        srv.get(&tablet, "/api/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "bad_token",
    )
    .await;
    // The admin may revoke anyone's device.
    let admin = srv.login("admin").await;
    let res = srv
        .http
        .delete(srv.url(&format!("/api/v1/devices/{}", other.login.device_id)))
        .bearer_auth(admin.token())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    expect_error(
        srv.get(&other, "/api/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "bad_token",
    )
    .await;
}

#[tokio::test]
async fn malformed_bodies_and_wrong_content_types_change_nothing() {
    let srv = TestServer::start().await;
    let s = srv.login("zhangwei").await;
    let login = srv.url("/api/v1/auth/login");
    let res = srv
        .http
        .post(&login)
        .header("content-type", "application/json")
        .body("{\"username\":")
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
    let res = srv
        .http
        .post(&login)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let res = srv
        .http
        .post(&login)
        .json(&json!({"username": "zhangwei", "password": "demo1234"}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
    let bad_key = json!({"username": "zhangwei", "password": "demo1234",
        "device": {"name": "x", "public_key": "zz", "actor_id": "0011"}});
    let res = srv.http.post(&login).json(&bad_key).send().await.unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
    let res = srv
        .http
        .post(srv.url("/api/v1/sync/check"))
        .bearer_auth(s.token())
        .header("content-type", "application/json")
        .body("[1,2")
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
    let res = srv
        .post_json(
            &s,
            "/api/v1/sync/check",
            &json!({"cases": [{"case_id": "c1", "heads": ["xyz"]}]}),
        )
        .await;
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
    let res = srv
        .post_json(
            &s,
            "/api/v1/sync/exchange",
            &json!({"messages": [{"case_id": "c1", "message": "!!!"}]}),
        )
        .await;
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
    // Still exactly one device registered.
    let devices: Value = srv.get(&s, "/api/v1/devices").await.json().await.unwrap();
    assert_eq!(devices.as_array().map(|a| a.len()), Some(1));
    // Unknown paths and methods answer JSON too.
    expect_error(
        srv.get(&s, "/api/v1/nothing").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let res = srv
        .http
        .put(srv.url("/api/v1/me"))
        .bearer_auth(s.token())
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
}

#[tokio::test]
async fn admin_creates_accounts_others_cannot() {
    let srv = TestServer::start().await;
    let admin = srv.login("admin").await;
    let officer = srv.login("zhangwei").await;
    let new = json!({"username": "zhaolei", "password": "changeme1", "name": "赵磊", "post": "科员",
        "credential_no": "冀执0723-2024-0301", "unit_id": "u-zhidao", "roles": ["officer"]});
    let res = srv
        .post_json(&officer, "/api/v1/admin/accounts", &new)
        .await;
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = srv.post_json(&admin, "/api/v1/admin/accounts", &new).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = srv.post_json(&admin, "/api/v1/admin/accounts", &new).await;
    expect_error(res, StatusCode::CONFLICT, "username_taken").await;
    let (status, _, s) = srv.try_login("zhaolei", "changeme1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        s.map(|s| s.login.officer.unit_name),
        Some("业务指导科".to_string())
    );
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account_and_long_passwords_are_refused_before_hashing() {
    let srv = TestServer::start().await;
    for _ in 0..5 {
        let (status, body, _) = srv.try_login("lina", "wrong-password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["code"], "wrong_password");
    }
    // The sixth attempt, even with the right password, waits.
    let (status, body, _) = srv.try_login("lina", "demo1234").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["code"], "too_many_requests");
    assert!(body["error"]
        .as_str()
        .unwrap_or_default()
        .contains("秒后再试"));
    // Other accounts are not locked by lina's failures.
    let (status, _, _) = srv.try_login("zhangwei", "demo1234").await;
    assert_eq!(status, StatusCode::OK);
    // A 1 MB password is refused before it is hashed (400, not 401).
    let (status, body, _) = srv.try_login("zhangwei", &"x".repeat(1 << 20)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap_or_default().contains("256"));
}

#[tokio::test]
async fn the_template_and_server_actors_cannot_be_registered() {
    let srv = TestServer::start().await;
    for actor in [&b"zhifa-template-1"[..], &b"zhifa-server-ro1"[..]] {
        let key = zhifa_core::seal::DeviceKey::from_secret(crate::common::random32());
        let req = zhifa_core::sync::LoginRequest {
            username: "zhangwei".into(),
            password: "demo1234".into(),
            device: zhifa_core::sync::DeviceRegistration {
                name: "伪造设备".into(),
                public_key: key.public_hex(),
                actor_id: hex::encode(actor),
            },
        };
        let res = srv
            .http
            .post(srv.url("/api/v1/auth/login"))
            .json(&req)
            .send()
            .await
            .expect("send");
        let body = expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
        assert!(body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("系统保留"));
    }
    // An ordinary actor still registers.
    let (status, _, _) = srv.try_login("zhangwei", "demo1234").await;
    assert_eq!(status, StatusCode::OK);
}
