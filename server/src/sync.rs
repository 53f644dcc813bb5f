//! The sync endpoints: the idle check (columns only), snapshots for cases a
//! device lacks, and batched Automerge exchange rounds (see [`exchange`]).

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use zhifa_core::sync::{
    heads_digest_of_key, CaseHeads, CaseSnapshot, CheckRequest, CheckResponse, ErrorBody,
    SnapshotRequest, SnapshotResponse,
};

use crate::access::{can_read, device_scope, sees_personal_data};
use crate::accounts::now;
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::receipts;
use crate::state::AppState;

pub mod exchange;
pub mod inflate;

/// Most cases in one idle check (the wire type refuses more while parsing).
pub use zhifa_core::sync::MAX_CHECK_CASES;
/// Most cases in one snapshot request or exchange round.
pub const MAX_BATCH_CASES: usize = 200;

/// Checks a case id: 1–64 characters of `[A-Za-z0-9_-]` (UUIDs).
pub fn check_case_id(id: &str) -> AppResult<()> {
    if !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(())
    } else {
        Err(AppError::BadRequest(format!(
            "案件编号格式错误: {}",
            id.chars().take(80).collect::<String>()
        )))
    }
}

/// `POST /api/v1/sync/check`: compares the device's heads digests with the
/// digests of the stored heads column; never loads a document.
#[utoipa::path(
    post,
    path = "/sync/check",
    operation_id = "sync_check",
    tag = "sync",
    summary = "Idle check: which cases differ",
    description = "The request body may be gzip-compressed (`Content-Encoding: gzip`); answers \
                   above 1 KiB are gzip-compressed for clients sending `Accept-Encoding: gzip`; \
                   every answer carries `Server-Timing`.",
    security(("device_token" = [])),
    params(("Content-Encoding" = Option<String>, Header, description = "`gzip` for a compressed body")),
    request_body = CheckRequest,
    responses(
        (status = 200, description = "Changed, unknown, forbidden and available cases; the calendar version", body = CheckResponse, headers(("Server-Timing" = String, description = "`app;dur=<ms>`: time to answer"))),
        (status = 400, description = "`bad_request`: bad JSON, malformed digest or case id, duplicate case, too many cases", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 413, description = "`too_large`: body too large (before or after gzip decompression)", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not `application/json`, or a `Content-Encoding` other than gzip", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn check(
    State(state): State<AppState>,
    Auth(p): Auth,
    Json(req): Json<CheckRequest>,
) -> AppResult<Json<CheckResponse>> {
    if req.cases.len() > MAX_CHECK_CASES {
        return Err(AppError::BadRequest(format!(
            "一次最多检查 {MAX_CHECK_CASES} 个案件"
        )));
    }
    // Duplicates and malformed digests were refused while parsing.
    let mut mine: HashMap<String, String> = HashMap::with_capacity(req.cases.len());
    for c in req.cases {
        check_case_id(&c.case_id)?;
        mine.insert(c.case_id, c.digest);
    }
    // The account's own cases first (one indexed query, id and heads only:
    // being in scope means readable); only ids outside that set (other
    // units' cases, unknown cases) need a second lookup. Two short reads on
    // reader connections: run here rather than on the blocking pool, whose
    // hand-off costs more than the queries.
    let scope = device_scope(&p);
    let store = state.store();
    let assigned = store.scope_heads(&scope)?;
    let inside: HashSet<&str> = assigned.iter().map(|(id, _)| id.as_str()).collect();
    let outside: Vec<String> = mine
        .keys()
        .filter(|id| !inside.contains(id.as_str()))
        .cloned()
        .collect();
    let known = store.case_access(&outside)?;
    let mut res = CheckResponse {
        server_time: now(),
        calendar: Some(state.calendar().version().to_string()),
        ..Default::default()
    };
    let mut seen: HashSet<&str> = HashSet::with_capacity(mine.len());
    for c in &known {
        seen.insert(&c.id);
        if !can_read(&p, c) {
            res.forbidden.push(c.id.clone());
        } else if mine.get(&c.id).map(String::as_str) != Some(&heads_digest_of_key(&c.heads)) {
            res.changed.push(c.id.clone());
        }
    }
    for (id, heads) in &assigned {
        match mine.get(id) {
            Some(d) => {
                seen.insert(id);
                if *d != heads_digest_of_key(heads) {
                    res.changed.push(id.clone());
                }
            }
            None if !heads.is_empty() => res.available.push(CaseHeads {
                case_id: id.clone(),
                heads: heads.split(',').map(str::to_string).collect(),
            }),
            None => {}
        }
    }
    for id in mine.keys() {
        if !seen.contains(id.as_str()) {
            res.unknown.push(id.clone());
        }
    }
    res.changed.sort_unstable();
    res.unknown.sort_unstable();
    res.forbidden.sort_unstable();
    state.metrics().sync_check();
    Ok(Json(res))
}

/// A case id, its heads and its saved document.
type Built = (String, Vec<String>, Vec<u8>);

/// `POST /api/v1/sync/snapshots`: whole documents for cases a device lacks.
#[utoipa::path(
    post,
    path = "/sync/snapshots",
    operation_id = "sync_snapshots",
    tag = "sync",
    summary = "Whole documents for cases the device lacks",
    description = "The request body may be gzip-compressed (`Content-Encoding: gzip`); answers \
                   above 1 KiB are gzip-compressed for clients sending `Accept-Encoding: gzip`; \
                   every answer carries `Server-Timing`.",
    security(("device_token" = [])),
    params(("Content-Encoding" = Option<String>, Header, description = "`gzip` for a compressed body")),
    request_body = SnapshotRequest,
    responses(
        (status = 200, description = "The saved documents with signed receipts", body = SnapshotResponse, headers(("Server-Timing" = String, description = "`app;dur=<ms>`: time to answer"))),
        (status = 400, description = "`bad_request`: bad JSON, malformed case id, too many cases", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the caller may not read one of the cases", body = ErrorBody),
        (status = 404, description = "`not_found`: one of the cases does not exist", body = ErrorBody),
        (status = 413, description = "`too_large`: body too large (before or after gzip decompression)", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not `application/json`, or a `Content-Encoding` other than gzip", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn snapshots(
    State(state): State<AppState>,
    Auth(p): Auth,
    Json(req): Json<SnapshotRequest>,
) -> AppResult<Json<SnapshotResponse>> {
    if req.case_ids.len() > MAX_BATCH_CASES {
        return Err(AppError::BadRequest(format!(
            "一次最多获取 {MAX_BATCH_CASES} 个案件"
        )));
    }
    for id in &req.case_ids {
        check_case_id(id)?;
    }
    let ids = req.case_ids.clone();
    let access = state.db(move |s| s.case_access(&ids)).await?;
    for id in &req.case_ids {
        match access.iter().find(|c| &c.id == id) {
            None => return Err(AppError::NotFound(format!("案件 {id} 不存在"))),
            // The document holds personal data in clear: only for those
            // whose work needs it.
            Some(c) if !can_read(&p, c) || !sees_personal_data(&p, c) => {
                return Err(AppError::forbidden(format!("无权获取案件 {id}")))
            }
            Some(_) => {}
        }
    }
    let ids = req.case_ids.clone();
    let docs = state
        .db(move |s| {
            let mut out = Vec::new();
            for id in &ids {
                if let Some(c) = s.load_case(id)? {
                    out.push(c);
                }
            }
            Ok(out)
        })
        .await?;
    // The stored snapshot followed by the change chunks stored since: a
    // valid Automerge file (`load` reads a sequence of chunks), so no
    // document is loaded or saved here.
    let built: Vec<Built> = docs
        .into_iter()
        .map(|c| {
            let mut bytes = c.snapshot;
            for ch in &c.chunks {
                bytes.extend_from_slice(ch);
            }
            (c.meta.id, c.meta.heads, bytes)
        })
        .collect();
    let time = now();
    let mut snapshots = Vec::with_capacity(built.len());
    let mut rows = Vec::with_capacity(built.len());
    for (case_id, heads, document) in built {
        let receipt = receipts::sign(state.key(), &case_id, &heads, &time, &p.device_id);
        rows.push(receipts::row(&receipt));
        snapshots.push(CaseSnapshot {
            case_id,
            heads,
            document,
            receipt,
        });
    }
    state.db(move |s| s.commit_sync(&[], &[], &rows)).await?;
    state.metrics().snapshots_served(snapshots.len() as u64);
    Ok(Json(SnapshotResponse { snapshots }))
}
