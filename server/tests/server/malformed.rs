//! Malformed input: bad JSON, wrong content types, oversize bodies and
//! uploads, bad and revoked tokens, broken sync messages. Each answer is a
//! 4xx with a JSON error (Chinese message, machine code), and nothing stored
//! changes: every table's row count, every case's heads, every device's
//! revocation, every media file and partial upload are compared before and
//! after each request.

use automerge::sync::{ChunkList, Message, MessageVersion};
use reqwest::{RequestBuilder, StatusCode};
use serde_json::json;

use crate::client::Device;
use crate::common::{expect_error, TestServer};
use crate::media::{bytes, create, patch, sha_hex};

/// Everything the server stores, in a comparable form.
fn stored(srv: &TestServer) -> Vec<String> {
    let db = rusqlite::Connection::open_with_flags(
        srv.dir.path().join("zhifa.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open db");
    let mut out = Vec::new();
    for t in [
        "agencies",
        "units",
        "accounts",
        "devices",
        "cases",
        "case_changes",
        "case_officers",
        "case_media",
        "sync_states",
        "media",
        "receipts",
    ] {
        let n: i64 = db
            .query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
            .expect("count");
        out.push(format!("{t}: {n}"));
    }
    for (sql, what) in [
        (
            "SELECT id || ' ' || heads || ' ' || updated_at || ' ' || length(snapshot) FROM cases ORDER BY id",
            "case",
        ),
        (
            "SELECT id || ' ' || COALESCE(revoked_at, '-') FROM devices ORDER BY id",
            "device",
        ),
        (
            "SELECT device_id || ' ' || case_id || ' ' || hex(state) FROM sync_states ORDER BY 1",
            "sync state",
        ),
        ("SELECT username || ' ' || password_hash FROM accounts ORDER BY 1", "account"),
    ] {
        let mut st = db.prepare(sql).expect("prepare");
        let rows = st
            .query_map([], |r| r.get::<_, String>(0))
            .expect("query")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows");
        out.extend(rows.into_iter().map(|r| format!("{what}: {r}")));
    }
    let mut files = Vec::new();
    let media = srv.dir.path().join("media");
    let mut stack = vec![media.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                files.push(format!(
                    "file: {} {len}",
                    p.strip_prefix(&media).unwrap_or(&p).display()
                ));
            }
        }
    }
    files.sort();
    out.extend(files);
    out
}

/// Sends a request; asserts the status and code, a Chinese JSON message and
/// that nothing stored changed.
async fn refused(
    srv: &TestServer,
    what: &str,
    req: RequestBuilder,
    status: StatusCode,
    code: &str,
) {
    let before = stored(srv);
    let res = req.send().await.unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(res.status(), status, "{what}");
    expect_error(res, status, code).await;
    let after = stored(srv);
    assert_eq!(before, after, "{what}: nothing stored changes");
}

#[tokio::test]
async fn malformed_requests_get_json_errors_and_change_nothing_stored() {
    let srv = TestServer::start_with(|c| {
        c.max_json_bytes = 256 * 1024;
        c.max_upload_bytes = 1024 * 1024;
    })
    .await;
    // Something to protect: a synced case, a partial upload, a complete file.
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("畸形请求测试");
    zhang.sync(&srv).await.expect("upload");
    let s = zhang.session.clone();
    let tok = s.token().to_string();
    let partial = bytes(3, 5000);
    let partial_sha = sha_hex(&partial);
    create(&srv, &s, &partial_sha, partial.len() as u64).await;
    assert_eq!(
        patch(&srv, &s, &partial_sha, 0, partial[..1000].to_vec())
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let whole = bytes(4, 3000);
    crate::media::upload(&srv, &s, &whole).await;
    let revoked = srv.login("zhangwei").await;
    let res = srv
        .http
        .post(srv.url("/api/v1/auth/logout"))
        .bearer_auth(revoked.token())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    let post = |path: &str| srv.http.post(srv.url(path)).bearer_auth(&tok);
    let bad = StatusCode::BAD_REQUEST;

    // Malformed JSON and wrong shapes on every JSON endpoint.
    for path in [
        "/api/v1/sync/check",
        "/api/v1/sync/exchange",
        "/api/v1/sync/snapshots",
        "/api/v1/auth/login",
        "/api/v1/admin/accounts",
    ] {
        for body in [
            "",
            "{",
            "{\"cases\":",
            "[1,2",
            "null",
            "\"x\"",
            "{\"messages\": 5, \"case_ids\": {}, \"cases\": 7}",
            "\u{feff}{}",
        ] {
            refused(
                &srv,
                &format!("{path} body {body:?}"),
                post(path)
                    .header("content-type", "application/json")
                    .body(body),
                bad,
                "bad_request",
            )
            .await;
        }
        for ct in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
        ] {
            let mut req = post(path).body("{}");
            if let Some(ct) = ct {
                req = req.header("content-type", ct);
            }
            refused(
                &srv,
                &format!("{path} content type {ct:?}"),
                req,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
            )
            .await;
        }
        // Larger than max_json_bytes.
        let huge = format!("{{\"x\":\"{}\"}}", "a".repeat(300 * 1024));
        refused(
            &srv,
            &format!("{path} oversize JSON"),
            post(path)
                .header("content-type", "application/json")
                .body(huge),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        )
        .await;
    }
    // The admin endpoint's own malformed body, from an admin.
    let admin = srv.login("admin").await;
    refused(
        &srv,
        "admin accounts truncated",
        srv.http
            .post(srv.url("/api/v1/admin/accounts"))
            .bearer_auth(admin.token())
            .header("content-type", "application/json")
            .body("{\"username\":"),
        bad,
        "bad_request",
    )
    .await;

    // Idle checks: bad digests, bad ids, duplicates, the old form with bad heads.
    for (what, body) in [
        ("short digest", json!({"cases": {case.clone(): "abc"}})),
        (
            "digest with padding",
            json!({"cases": {case.clone(): "AAAAAAAAAAA="}}),
        ),
        ("digest not a string", json!({"cases": {case.clone(): 5}})),
        (
            "bad case id",
            json!({"cases": {"../etc/passwd": "AAAAAAAAAAAA"}}),
        ),
        (
            "legacy bad heads",
            json!({"cases": [{"case_id": case.clone(), "heads": ["xyz"]}]}),
        ),
        (
            "legacy duplicate",
            json!({"cases": [{"case_id": "c1", "heads": []}, {"case_id": "c1", "heads": []}]}),
        ),
    ] {
        refused(
            &srv,
            what,
            post("/api/v1/sync/check").json(&body),
            bad,
            "bad_request",
        )
        .await;
    }
    let many: serde_json::Map<String, serde_json::Value> = (0..10_001)
        .map(|i| (format!("c{i}"), json!("AAAAAAAAAAAA")))
        .collect();
    refused(
        &srv,
        "more than 10,000 cases in a check",
        post("/api/v1/sync/check").json(&json!({ "cases": many })),
        bad,
        "bad_request",
    )
    .await;
    let dup = format!("{{\"cases\":{{\"{case}\":\"AAAAAAAAAAAA\",\"{case}\":\"AAAAAAAAAAAB\"}}}}");
    refused(
        &srv,
        "duplicate case in check",
        post("/api/v1/sync/check")
            .header("content-type", "application/json")
            .body(dup),
        bad,
        "bad_request",
    )
    .await;

    // Exchange rounds: bad base64, garbage messages, garbage changes, bad ids,
    // duplicates, too many cases.
    let garbage_changes = Message {
        heads: Vec::new(),
        need: Vec::new(),
        have: Vec::new(),
        changes: ChunkList::from(vec![b"\x85\x6f\x4a\x83not a change".to_vec()]),
        flags: None,
        version: MessageVersion::V1,
    }
    .encode();
    let too_many: Vec<_> = (0..201)
        .map(|i| json!({"case_id": format!("c{i}"), "message": null}))
        .collect();
    for (what, body) in [
        (
            "not base64",
            json!({"messages": [{"case_id": case.clone(), "message": "!!!"}]}),
        ),
        (
            "not a sync message",
            json!({"messages": [{"case_id": case.clone(), "message": "AAECAwQ="}]}),
        ),
        (
            "garbage changes",
            json!({"messages": [{"case_id": case.clone(), "message": base64_of(&garbage_changes)}]}),
        ),
        (
            "bad case id",
            json!({"messages": [{"case_id": "a b", "message": null}]}),
        ),
        (
            "duplicate case",
            json!({"messages": [{"case_id": case.clone(), "message": null}, {"case_id": case.clone(), "message": null}]}),
        ),
        ("too many cases", json!({"messages": too_many})),
    ] {
        refused(
            &srv,
            what,
            post("/api/v1/sync/exchange").json(&body),
            bad,
            "bad_request",
        )
        .await;
    }
    for (what, body, status, code) in [
        (
            "snapshot bad id",
            json!({"case_ids": ["a/b"]}),
            bad,
            "bad_request",
        ),
        (
            "snapshot unknown case",
            json!({"case_ids": ["00000000-0000-0000-0000-000000000000"]}),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ] {
        refused(
            &srv,
            what,
            post("/api/v1/sync/snapshots").json(&body),
            status,
            code,
        )
        .await;
    }

    // Bad, missing and revoked tokens on every authenticated endpoint.
    let valid_check = json!({"cases": {}});
    for (method, path) in [
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/devices"),
        ("GET", "/api/v1/units"),
        ("GET", "/api/v1/colleagues"),
        ("GET", "/api/v1/cases"),
        ("GET", &format!("/api/v1/cases/{case}")),
        ("POST", "/api/v1/sync/check"),
        ("POST", "/api/v1/sync/exchange"),
        ("POST", "/api/v1/sync/snapshots"),
        ("POST", "/api/v1/auth/logout"),
        ("POST", "/api/v1/media/uploads"),
        ("DELETE", &format!("/api/v1/devices/{}", s.login.device_id)),
    ] {
        for (label, token, code) in [
            ("missing", None, "missing_token"),
            ("garbage", Some("garbage".to_string()), "bad_token"),
            ("unknown", Some("c".repeat(64)), "bad_token"),
            ("revoked", Some(revoked.token().to_string()), "bad_token"),
        ] {
            let mut req = match method {
                "GET" => srv.http.get(srv.url(path)),
                "DELETE" => srv.http.delete(srv.url(path)),
                _ => srv.http.post(srv.url(path)).json(&valid_check),
            };
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            refused(
                &srv,
                &format!("{method} {path} with a {label} token"),
                req,
                StatusCode::UNAUTHORIZED,
                code,
            )
            .await;
        }
    }

    // Uploads: missing or bad headers, too large, wrong type, wrong offset,
    // unknown upload, more bytes than declared.
    let meta = |sha: &str| {
        use base64::Engine;
        format!(
            "sha256 {}",
            base64::engine::general_purpose::STANDARD.encode(sha)
        )
    };
    let new_sha = sha_hex(b"never uploaded");
    let uploads = srv.url("/api/v1/media/uploads");
    for (what, length, metadata, status, code) in [
        ("no length", None, Some(meta(&new_sha)), bad, "bad_request"),
        (
            "length not a number",
            Some("12abc"),
            Some(meta(&new_sha)),
            bad,
            "bad_request",
        ),
        (
            "empty file",
            Some("0"),
            Some(meta(&new_sha)),
            bad,
            "bad_request",
        ),
        ("no metadata", Some("100"), None, bad, "bad_request"),
        (
            "metadata not base64",
            Some("100"),
            Some("sha256 !!!".to_string()),
            bad,
            "bad_request",
        ),
        (
            "metadata not a hash",
            Some("100"),
            Some(meta("abc")),
            bad,
            "bad_request",
        ),
        (
            "over the size limit",
            Some("1048577"),
            Some(meta(&new_sha)),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
        (
            "length differs from the registered one",
            Some("4999"),
            Some(meta(&partial_sha)),
            StatusCode::CONFLICT,
            "length_mismatch",
        ),
    ] {
        let mut req = srv.http.post(&uploads).bearer_auth(&tok);
        if let Some(l) = length {
            req = req.header("upload-length", l);
        }
        if let Some(m) = metadata {
            req = req.header("upload-metadata", m);
        }
        refused(&srv, &format!("create upload: {what}"), req, status, code).await;
    }
    let patch_req = |sha: &str, offset: &str, ct: &str, body: Vec<u8>| {
        srv.http
            .patch(srv.url(&format!("/api/v1/media/uploads/{sha}")))
            .bearer_auth(&tok)
            .header("upload-offset", offset)
            .header("content-type", ct)
            .body(body)
    };
    let oct = "application/offset+octet-stream";
    for (what, req, status, code) in [
        (
            "wrong content type",
            patch_req(&partial_sha, "1000", "application/json", b"{}".to_vec()),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "wrong offset",
            patch_req(&partial_sha, "0", oct, partial[..10].to_vec()),
            StatusCode::CONFLICT,
            "offset_mismatch",
        ),
        (
            "offset not a number",
            patch_req(&partial_sha, "-1", oct, partial[..10].to_vec()),
            bad,
            "bad_request",
        ),
        (
            "more than declared",
            patch_req(&partial_sha, "1000", oct, bytes(5, 4001)),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
        (
            "unknown upload",
            patch_req(&new_sha, "0", oct, b"abc".to_vec()),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "not a hash in the path",
            patch_req("not-a-hash", "0", oct, b"abc".to_vec()),
            bad,
            "bad_request",
        ),
    ] {
        refused(&srv, &format!("patch: {what}"), req, status, code).await;
    }

    // After all of that the device still syncs, and nothing was lost.
    let r = zhang.sync(&srv).await.expect("sync");
    assert!(r.check.changed.is_empty() && r.check.unknown.is_empty());
}

fn base64_of(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

fn gzip(b: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(b).expect("gzip");
    z.finish().expect("gzip")
}

#[tokio::test]
async fn gzip_bodies_are_accepted_and_bad_ones_refused_without_storing() {
    let srv = TestServer::start_with(|c| c.max_json_bytes = 64 * 1024).await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("压缩请求测试");
    zhang.sync(&srv).await.expect("upload");
    let tok = zhang.session.token().to_string();
    let check = |body: Vec<u8>, encoding: &str| {
        srv.http
            .post(srv.url("/api/v1/sync/check"))
            .bearer_auth(&tok)
            .header("content-type", "application/json")
            .header("content-encoding", encoding)
            .body(body)
    };
    // A gzip body is understood.
    let req = check_body(&mut zhang);
    let res = check(gzip(&req), "gzip").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let answer: zhifa_core::sync::CheckResponse = res.json().await.unwrap();
    assert!(
        answer.changed.is_empty() && answer.unknown.is_empty(),
        "{answer:?}"
    );
    // Broken gzip, unknown encodings, gzip of bad JSON, and a small body that
    // inflates past the limit are refused.
    let mut broken = gzip(&req);
    broken.truncate(broken.len() / 2);
    refused(
        &srv,
        "broken gzip",
        check(broken, "gzip"),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    refused(
        &srv,
        "brotli",
        check(req.clone(), "br"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    refused(
        &srv,
        "gzip of bad JSON",
        check(gzip(b"{\"cases\":"), "gzip"),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    let bomb = gzip(format!("{{\"cases\":{{}},\"pad\":\"{}\"}}", " ".repeat(1 << 20)).as_bytes());
    assert!(bomb.len() < 4096, "a small body");
    refused(
        &srv,
        "gzip bomb",
        check(bomb, "gzip"),
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
    )
    .await;
    refused(
        &srv,
        "gzip without a JSON content type",
        srv.http
            .post(srv.url("/api/v1/sync/check"))
            .bearer_auth(&tok)
            .header("content-type", "text/plain")
            .header("content-encoding", "gzip")
            .body(gzip(&req)),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    // Large answers are compressed for clients that accept gzip.
    let body = serde_json::to_vec(&zhifa_core::sync::SnapshotRequest {
        case_ids: vec![case.clone()],
    })
    .unwrap();
    let res = srv
        .http
        .post(srv.url("/api/v1/sync/snapshots"))
        .bearer_auth(&tok)
        .header("content-type", "application/json")
        .header("accept-encoding", "gzip")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let timing = res.headers()["server-timing"].to_str().unwrap();
    assert!(timing.starts_with("app;dur="), "{timing}");
    let zipped = res.bytes().await.unwrap();
    let mut json = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&zipped[..]), &mut json).unwrap();
    let snaps: zhifa_core::sync::SnapshotResponse = serde_json::from_slice(&json).unwrap();
    assert_eq!(snaps.snapshots[0].case_id, case);
    assert!(zipped.len() < json.len());
}

/// The idle check of a device's cases, as JSON bytes.
fn check_body(d: &mut Device) -> Vec<u8> {
    let req = zhifa_core::sync::CheckRequest::from_heads(
        d.docs
            .iter_mut()
            .map(|(id, doc)| (id.clone(), doc.heads()))
            .collect::<Vec<_>>(),
    );
    serde_json::to_vec(&req).unwrap()
}
