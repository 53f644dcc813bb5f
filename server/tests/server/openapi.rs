//! The OpenAPI document at `GET /api/v1/openapi.json`: complete, consistent
//! with what the server answers, and self-contained.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::common::TestServer;

/// Every route the server serves under `/api/v1`, as (method, path).
const ROUTES: [(&str, &str); 28] = [
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/server-key"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/devices"),
    ("delete", "/api/v1/devices/{id}"),
    ("get", "/api/v1/units"),
    ("get", "/api/v1/me/credential"),
    ("get", "/api/v1/credentials/verify"),
    ("get", "/api/v1/colleagues"),
    ("put", "/api/v1/admin/calendar"),
    ("get", "/api/v1/admin/accounts"),
    ("post", "/api/v1/admin/accounts"),
    ("get", "/api/v1/cases"),
    ("get", "/api/v1/cases/{id}"),
    ("get", "/api/v1/cases/{id}/archive"),
    ("get", "/api/v1/cases/{id}/media/missing"),
    ("get", "/api/v1/cases/{id}/records/{rid}/pdf"),
    ("options", "/api/v1/media/uploads"),
    ("post", "/api/v1/media/uploads"),
    ("head", "/api/v1/media/uploads/{sha256}"),
    ("patch", "/api/v1/media/uploads/{sha256}"),
    ("get", "/api/v1/media/{sha256}"),
    ("post", "/api/v1/sync/check"),
    ("post", "/api/v1/sync/exchange"),
    ("post", "/api/v1/sync/snapshots"),
    ("get", "/api/v1/calendar"),
];

/// The routes answered without a token.
const PUBLIC: [(&str, &str); 6] = [
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/server-key"),
    ("post", "/api/v1/auth/login"),
    ("options", "/api/v1/media/uploads"),
    ("get", "/api/v1/calendar"),
    ("get", "/api/v1/credentials/verify"),
];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Fetches the document anonymously.
async fn document(srv: &TestServer) -> Value {
    let res = srv
        .http
        .get(srv.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    let ct = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(ct.starts_with("application/json"), "{ct}");
    let text = res.text().await.expect("body");
    serde_json::from_str(&text).expect("the document is JSON")
}

/// Every (method, path, operation) of the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    let paths = doc["paths"].as_object().expect("paths object");
    for (path, item) in paths {
        let item = item.as_object().expect("path item object");
        for (method, op) in item {
            if METHODS.contains(&method.as_str()) {
                out.push((method.clone(), path.clone(), op.clone()));
            }
        }
    }
    out
}

/// A concrete URL path for a templated one.
fn concrete(path: &str) -> String {
    path.replace("{id}", "no-such-id")
        .replace("{rid}", "no-such-record")
        .replace("{sha256}", &"a".repeat(64))
}

fn needs_token(op: &Value) -> bool {
    op["security"]
        .as_array()
        .is_some_and(|reqs| reqs.iter().any(|r| r.get("device_token").is_some()))
}

#[tokio::test]
async fn openapi_document_is_openapi_3_1_json() {
    let srv = TestServer::start().await;
    let doc = document(&srv).await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "Zhifa 执法 API");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    let scheme = &doc["components"]["securitySchemes"]["device_token"];
    assert_eq!(scheme["type"], "http", "{scheme}");
    assert_eq!(scheme["scheme"], "bearer", "{scheme}");
    assert_eq!(scheme["bearerFormat"], "device token", "{scheme}");
}

#[tokio::test]
async fn openapi_documents_exactly_the_served_routes() {
    let srv = TestServer::start().await;
    let doc = document(&srv).await;
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect();
    let served: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = served.difference(&documented).collect();
    assert!(missing.is_empty(), "routes not documented: {missing:?}");
    let extra: Vec<_> = documented.difference(&served).collect();
    assert!(
        extra.is_empty(),
        "documented but not in the list: {extra:?}"
    );

    // Every documented operation is answered by its route (not the 404
    // fallback, not 405), and asks for a token exactly when the server does.
    for (method, path, op) in operations(&doc) {
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let res = srv
            .http
            .request(m, srv.url(&concrete(&path)))
            .send()
            .await
            .expect("send");
        let status = res.status();
        let body = res.text().await.unwrap_or_default();
        assert_ne!(
            status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {body}"
        );
        if status == StatusCode::NOT_FOUND {
            assert!(method != "head", "{method} {path}: 404");
            assert!(
                !body.contains("没有这个接口"),
                "{method} {path} is the fallback: {body}"
            );
        }
        let public = PUBLIC.contains(&(method.as_str(), path.as_str()));
        assert_eq!(needs_token(&op), !public, "{method} {path}: security");
        assert_eq!(
            status == StatusCode::UNAUTHORIZED,
            !public,
            "{method} {path} answered {status} without a token: {body}"
        );
    }
}

#[tokio::test]
async fn openapi_operations_document_success_and_errors() {
    let srv = TestServer::start().await;
    let doc = document(&srv).await;
    let error_ref = "#/components/schemas/ErrorBody";
    let mut ids = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let responses = op["responses"].as_object().expect("responses");
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{method} {path}: no 2xx response"
        );
        if needs_token(&op) {
            assert!(
                responses.contains_key("401"),
                "{method} {path}: no 401 response"
            );
        }
        assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()));
        assert!(op["summary"].is_string(), "{method} {path}: summary");
        let id = op["operationId"].as_str().expect("operationId").to_string();
        assert!(ids.insert(id.clone()), "operationId {id} twice");
        for (status, response) in responses {
            assert!(
                response["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{method} {path} {status}: description"
            );
            let is_error = status.starts_with('4') || status.starts_with('5');
            // 416 comes from the file server, without a JSON body.
            if is_error && status != "416" {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"], error_ref,
                    "{method} {path} {status}: ErrorBody"
                );
            }
        }
    }
}

/// Every `$ref` string anywhere in `v`.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(x, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn openapi_references_resolve_and_bytes_are_base64_strings() {
    let srv = TestServer::start().await;
    let doc = document(&srv).await;
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 20, "{all:?}");
    for r in &all {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external reference {r}"));
        assert!(doc.pointer(pointer).is_some(), "dangling reference {r}");
    }
    let schemas = &doc["components"]["schemas"];
    for name in [
        "LoginRequest",
        "LoginResponse",
        "OfficerInfo",
        "Role",
        "CheckRequest",
        "CheckResponse",
        "SyncRequest",
        "SyncResponse",
        "SnapshotRequest",
        "SnapshotResponse",
        "ErrorBody",
        "NewAccount",
        "Me",
        "Unit",
        "Device",
        "CaseMeta",
        "CaseDetail",
        "CalendarPackage",
        "MissingMediaResponse",
    ] {
        assert!(schemas[name].is_object(), "schema {name}");
    }
    // Base64 byte fields are strings with format byte, not arrays.
    let document = &schemas["CaseSnapshot"]["properties"]["document"];
    assert_eq!(document["type"], "string", "{document}");
    assert_eq!(document["format"], "byte", "{document}");
    for holder in ["CaseMessage", "CaseSyncResult"] {
        let message = &schemas[holder]["properties"]["message"];
        assert_eq!(message["format"], "byte", "{holder}: {message}");
        let types = message["type"].as_array().expect("nullable type list");
        assert!(
            types.contains(&Value::from("string")),
            "{holder}: {message}"
        );
        assert!(types.contains(&Value::from("null")), "{holder}: {message}");
    }
    // The idle check's cases are an object of case ids to digests.
    let cases = &schemas["CheckRequest"]["properties"]["cases"];
    assert_eq!(cases["type"], "object", "{cases}");
    assert_eq!(cases["additionalProperties"]["type"], "string", "{cases}");
}
