//! Operations: request ids, the access log, Prometheus metrics, readiness,
//! JSON logs, owner-only files.

use std::io::Read;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::TestServer;

#[tokio::test]
async fn every_answer_carries_a_request_id_and_a_clean_client_id_is_kept() {
    let srv = TestServer::start().await;
    let res = srv.http.get(srv.url("/healthz")).send().await.unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "generated UUID: {id}");
    let res = srv
        .http
        .get(srv.url("/api/v1/units"))
        .header("x-request-id", "abc-123_x.y")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.headers()["x-request-id"], "abc-123_x.y");
    // Too long or with other characters: replaced by a UUID.
    for bad in ["a b".to_string(), "x".repeat(65), "张三".to_string()] {
        let res = srv
            .http
            .get(srv.url("/healthz"))
            .header("x-request-id", bad.as_bytes())
            .send()
            .await
            .unwrap();
        let id = res.headers()["x-request-id"].to_str().unwrap();
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{bad:?} replaced: {id}");
    }
}

fn metric(text: &str, line_start: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(line_start))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no metric {line_start} in\n{text}"))
}

#[tokio::test]
async fn metrics_are_off_by_default() {
    let srv = TestServer::start().await;
    let res = srv.http.get(srv.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn metrics_count_requests_logins_lockouts_sync_and_media() {
    let srv = TestServer::start_with(|c| c.metrics = true).await;
    let s = srv.login("zhangwei").await;
    for _ in 0..5 {
        let (status, _, _) = srv.try_login("lina", "wrong-password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let res = srv
        .post_json(&s, "/api/v1/sync/check", &json!({"cases": {}}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = srv
        .post_json(&s, "/api/v1/sync/exchange", &json!({"messages": []}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let case = srv.get(&s, "/api/v1/cases/no-such-case").await;
    assert_eq!(case.status(), StatusCode::NOT_FOUND);
    crate::media::upload(&srv, &s, &[7u8; 1000]).await;
    // An unfinished upload stays open.
    let open = crate::media::sha_hex(&[1u8; 10]);
    assert!(crate::media::create(&srv, &s, &open, 10)
        .await
        .status()
        .is_success());
    let first = crate::media::patch(&srv, &s, &open, 0, vec![1u8; 4]).await;
    assert_eq!(first.status(), StatusCode::NO_CONTENT);

    let res = srv.http.get(srv.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = res.text().await.unwrap();
    let login = "zhifa_http_requests_total{method=\"POST\",route=\"/api/v1/auth/login\",status=";
    assert_eq!(metric(&text, &format!("{login}\"200\"}}")), 1.0);
    assert_eq!(metric(&text, &format!("{login}\"401\"}}")), 5.0);
    // Route templates, never raw ids.
    assert!(text.contains("route=\"/api/v1/cases/{id}\""), "{text}");
    assert!(!text.contains("no-such-case"));
    assert!(!text.contains(&open));
    assert!(text.contains("zhifa_http_request_duration_seconds_bucket"));
    assert_eq!(metric(&text, "zhifa_login_failures_total"), 5.0);
    assert_eq!(metric(&text, "zhifa_login_lockouts_total"), 1.0);
    assert_eq!(metric(&text, "zhifa_sync_checks_total"), 1.0);
    assert_eq!(metric(&text, "zhifa_sync_rounds_total"), 1.0);
    assert_eq!(metric(&text, "zhifa_sync_changes_accepted_total"), 0.0);
    // `{"cases":{}}` and `{"messages":[]}`.
    assert_eq!(metric(&text, "zhifa_sync_received_bytes_total"), 27.0);
    assert!(metric(&text, "zhifa_sync_sent_bytes_total") > 10.0);
    assert_eq!(metric(&text, "zhifa_media_uploaded_bytes_total"), 1004.0);
    assert_eq!(metric(&text, "zhifa_media_partial_uploads"), 1.0);
}

#[tokio::test]
async fn readiness_checks_the_database_and_the_media_folder() {
    let srv = TestServer::start().await;
    let res = srv.http.get(srv.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({"ready": true, "database": "ok", "media": "ok"})
    );

    // The media folder replaced by a file (file modes would not stop root).
    let media = srv.dir.path().join("media");
    std::fs::rename(&media, srv.dir.path().join("media.away")).unwrap();
    std::fs::write(&media, b"not a folder").unwrap();
    let res = srv.http.get(srv.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (body["database"].as_str(), body["media"].as_str()),
        (Some("ok"), Some("failed"))
    );
    assert!(
        body["error"].as_str().unwrap().contains("媒体存储"),
        "{body}"
    );
    std::fs::remove_file(&media).unwrap();
    std::fs::rename(srv.dir.path().join("media.away"), &media).unwrap();
    let res = srv.http.get(srv.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // The database file overwritten with garbage.
    let db = srv.dir.path().join("zhifa.db");
    std::fs::write(&db, vec![0x5a; 8192]).unwrap();
    let res = srv.http.get(srv.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["database"], "failed", "{body}");
    assert!(body["error"].as_str().unwrap().contains("数据库"), "{body}");
}

#[tokio::test]
async fn readiness_fails_when_the_database_folder_is_moved_away() {
    let root = tempfile::tempdir().unwrap();
    let dbdir = root.path().join("db");
    let srv = TestServer::start_with(|c| c.database = Some(dbdir.join("z.db"))).await;
    let res = srv.http.get(srv.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    std::fs::rename(&dbdir, root.path().join("elsewhere")).unwrap();
    let res = srv.http.get(srv.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["database"], "failed", "{body}");
    assert_eq!(body["media"], "ok", "{body}");
}

#[cfg(unix)]
#[tokio::test]
async fn data_files_and_folders_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let srv = TestServer::start().await;
    let s = srv.login("zhangwei").await;
    let sha = crate::media::upload(&srv, &s, &[3u8; 100]).await;
    let open = crate::media::sha_hex(&[4u8; 10]);
    assert!(crate::media::create(&srv, &s, &open, 10)
        .await
        .status()
        .is_success());
    let res = crate::media::patch(&srv, &s, &open, 0, vec![4u8; 3]).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode()
            & 0o777
    };
    let d = srv.dir.path();
    for dir in [d.to_path_buf(), d.join("media"), d.join("media/partial")] {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    }
    for file in ["zhifa.db", "zhifa.db-wal", "zhifa.db-shm", "server-key.hex"] {
        assert_eq!(mode(&d.join(file)), 0o600, "{file}");
    }
    // Unfinished uploads live under the uploading account's folder.
    let part = walk(&d.join("media/partial"))
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with(&format!("{open}.part")))
        .expect("the partial upload");
    assert_eq!(mode(&part), 0o600, "{}", part.display());
    let stored = walk(&d.join("media"))
        .into_iter()
        .find(|p| p.to_string_lossy().contains(&sha))
        .expect("stored media file");
    assert_eq!(mode(&stored), 0o600, "{}", stored.display());
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Runs the real binary with JSON logs and returns what it printed.
#[tokio::test]
async fn the_access_log_is_one_json_line_per_request_without_secrets() {
    let env = [("ZHIFA_LOG", "info"), ("ZHIFA_LOG_FORMAT", "json")];
    let srv = TestServer::start_process_with(&env).await;
    let s = srv.login("zhangwei").await;
    let (status, _, _) = srv.try_login("lina", "secret-Pa55word").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let res = srv
        .http
        .get(srv.url("/api/v1/cases/case-of-zhangsan?party=110101199003071234"))
        .bearer_auth(s.token())
        .header("x-request-id", "req-42")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = srv.get(&s, "/api/v1/admin/accounts").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let refusal: Value = res.json().await.unwrap();
    let mut out = String::new();
    srv.kill_and_take_stdout()
        .expect("stdout")
        .read_to_string(&mut out)
        .unwrap();
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let access: Vec<&Value> = lines
        .iter()
        .filter(|l| l["fields"]["message"] == "access" && l["span"]["request_id"] == "req-42")
        .collect();
    assert_eq!(access.len(), 1, "{out}");
    let a = access[0];
    assert_eq!(a["level"], "INFO");
    assert_eq!(a["fields"]["status"], 404);
    assert!(a["fields"]["latency_ms"].is_number());
    assert_eq!(a["span"]["method"], "GET");
    assert_eq!(a["span"]["route"], "/api/v1/cases/{id}");
    assert_eq!(a["span"]["account"], s.login.officer.id.as_str());
    let failed = lines
        .iter()
        .any(|l| l["fields"]["message"] == "login failed" && l["fields"]["user"] == "lina");
    assert!(failed, "{out}");
    let refused: Vec<&Value> = lines
        .iter()
        .filter(|l| l["fields"]["message"] == "request refused: forbidden")
        .collect();
    assert_eq!(refused.len(), 1, "{out}");
    assert_eq!(refused[0]["level"], "WARN");
    assert_eq!(refused[0]["fields"]["code"], "forbidden");
    assert_eq!(refused[0]["span"]["route"], "/api/v1/admin/accounts");
    assert_eq!(refused[0]["span"]["account"], s.login.officer.id.as_str());
    assert!(refused[0]["span"]["request_id"].is_string());
    let message = refusal["error"].as_str().unwrap();
    assert!(
        !out.contains(message),
        "the refusal's message is not logged"
    );
    for secret in [
        s.token(),
        "secret-Pa55word",
        "110101199003071234",
        "case-of-zhangsan",
    ] {
        assert!(!out.contains(secret), "log holds {secret}:\n{out}");
    }
}
