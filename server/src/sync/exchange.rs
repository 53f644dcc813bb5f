//! Batched Automerge exchange rounds.
//!
//! One request carries one sync message per case. For each case the server
//! loads the stored document and its sync state with this device, inspects
//! the changes the message carries *before* applying them (on a fork of the
//! document), refuses the whole request (403, nothing stored) when one change
//! was made by an actor other than the device's registered actor (the shared
//! template change excepted) or when the caller may not write the case, then
//! applies the message, answers with its own next message and a signed
//! receipt, and stores everything of the round in one transaction.
//!
//! Every change chunk is parsed and checksum-verified (garbage is 400, not
//! silently skipped). When the device's heads are all known after the
//! message, the answer carries exactly the changes the device lacks. Changes
//! that arrive without their dependencies are not stored, and the answer
//! asks the device to resend (`SYNC_RESET`).

use std::collections::HashSet;

use automerge::sync::{ChunkList, Message, MessageFlags, State as SyncState, SyncDoc};
use automerge::{AutoCommit, Change};
use axum::extract::State;
use zhifa_core::authority::ActingUser;
use zhifa_core::rules::{check_incoming, Incoming, RuleProfile};
use zhifa_core::sync::{heads_to_hex, CaseSyncResult, ErrorBody, SyncRequest, SyncResponse};

use crate::access::{can_create, can_read, can_write};
use crate::accounts::now;
use crate::auth::Auth;
use crate::casedoc;
use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::receipts;
use crate::state::AppState;
use crate::store::{CaseAccess, CaseWrite, DocWrite, Principal, Store, SyncStateWrite};
use crate::sync::{check_case_id, MAX_BATCH_CASES};

/// `POST /api/v1/sync/exchange`: one round for several cases.
#[utoipa::path(
    post,
    path = "/sync/exchange",
    operation_id = "sync_exchange",
    tag = "sync",
    summary = "One batched Automerge sync round",
    description = "The request body may be gzip-compressed (`Content-Encoding: gzip`); answers \
                   above 1 KiB are gzip-compressed for clients sending `Accept-Encoding: gzip`; \
                   every answer carries `Server-Timing`.",
    security(("device_token" = [])),
    params(("Content-Encoding" = Option<String>, Header, description = "`gzip` for a compressed body")),
    request_body = SyncRequest,
    responses(
        (status = 200, description = "The server's next message, heads and receipt per case", body = SyncResponse, headers(("Server-Timing" = String, description = "`app;dur=<ms>`: time to answer"))),
        (status = 400, description = "`bad_request`: bad JSON, malformed case id or sync message, duplicate case, too many cases", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the caller may not sync or change a case; `foreign_actor`: a change made by another actor (nothing stored)", body = ErrorBody),
        (status = 413, description = "`too_large`: body too large (before or after gzip decompression)", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not `application/json`, or a `Content-Encoding` other than gzip", body = ErrorBody),
        (status = 422, description = "`malformed_case`, `case_id_mismatch`, `unknown_unit`: the document is not an acceptable case", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn exchange(
    State(state): State<AppState>,
    Auth(p): Auth,
    Json(req): Json<SyncRequest>,
) -> AppResult<Json<SyncResponse>> {
    if req.messages.len() > MAX_BATCH_CASES {
        return Err(AppError::BadRequest(format!(
            "一次最多同步 {MAX_BATCH_CASES} 个案件"
        )));
    }
    let mut seen = HashSet::new();
    let mut round = Vec::with_capacity(req.messages.len());
    for m in req.messages {
        check_case_id(&m.case_id)?;
        if !seen.insert(m.case_id.clone()) {
            return Err(AppError::BadRequest(format!("案件 {} 重复", m.case_id)));
        }
        let msg = match m.message {
            Some(bytes) => Some(Message::decode(&bytes).map_err(|e| {
                AppError::BadRequest(format!("案件 {} 的同步消息无法解析: {e}", m.case_id))
            })?),
            None => None,
        };
        round.push((m.case_id, msg));
    }
    let ids: Vec<String> = round.iter().map(|(id, _)| id.clone()).collect();
    let _guards = state.lock_cases(&ids).await;
    let store = state.store();
    let key = state.key().clone();
    let compact_after = state.config().compact_after;
    let calendar = state.calendar();
    let res = tokio::task::spawn_blocking(move || {
        let engine = calendar.engine.as_deref();
        run_round(store.as_ref(), &p, round, &key, compact_after, engine)
    })
    .await??;
    let accepted = res
        .cases
        .iter()
        .map(|c| u64::from(c.accepted_changes))
        .sum();
    state.metrics().sync_round(accepted);
    Ok(Json(res))
}

fn foreign_actor(case_id: &str) -> AppError {
    AppError::Forbidden {
        code: "foreign_actor",
        message: format!(
            "案件 {case_id} 的同步数据中含有非本设备作出的修改, 已拒绝, 未保存任何内容"
        ),
    }
}

/// Magic bytes that open every Automerge storage chunk.
const CHUNK_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

fn bad_changes(detail: impl std::fmt::Display) -> AppError {
    AppError::BadRequest(format!("同步消息中的修改无法解析: {detail}"))
}

/// Splits one element of a message's change list into its storage chunks
/// (magic, checksum, type, LEB128 length, data), refusing anything left
/// over: (type, whole chunk, where its data starts).
fn split_chunks(mut bytes: &[u8]) -> AppResult<Vec<(u8, &[u8], usize)>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        if bytes.len() < 10 || bytes[..4] != CHUNK_MAGIC {
            return Err(bad_changes("数据块头错误"));
        }
        let kind = bytes[8];
        let (mut len, mut shift, mut i) = (0u64, 0u32, 9usize);
        loop {
            let b = *bytes.get(i).ok_or_else(|| bad_changes("长度字段不完整"))?;
            if shift > 56 {
                return Err(bad_changes("长度字段过长"));
            }
            len |= u64::from(b & 0x7f) << shift;
            shift += 7;
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| i.checked_add(l))
            .filter(|e| *e <= bytes.len())
            .ok_or_else(|| bad_changes("数据块长度超出消息"))?;
        out.push((kind, &bytes[..end], i));
        bytes = &bytes[end..];
    }
    Ok(out)
}

/// Every change a message carries that `doc` does not have yet, parsed and
/// checksum-verified one by one: also the ones whose dependencies are
/// missing (which `load_incremental` would queue, or skip when malformed).
///
/// What compressed chunks inflate to is charged to `budget` before they are
/// parsed ([`super::inflate`]).
pub(crate) fn incoming_changes(
    doc: &mut AutoCommit,
    msg: &Message,
    budget: &mut u64,
) -> AppResult<Vec<Change>> {
    let mut out = Vec::new();
    for element in msg.changes.iter() {
        for (kind, chunk, data_start) in split_chunks(element)? {
            super::inflate::check_chunk(kind, chunk, data_start, budget)?;
            match kind {
                // A whole document (v2 messages): self-contained.
                0 => {
                    let mut d = AutoCommit::load(chunk).map_err(bad_changes)?;
                    out.extend(d.get_changes(&[]));
                }
                // A change, plain or deflated.
                1 | 2 => out.push(Change::try_from(chunk).map_err(bad_changes)?),
                k => return Err(bad_changes(format!("未知的数据块类型 {k}"))),
            }
        }
    }
    out.retain(|c| doc.get_change_by_hash(&c.hash()).is_none());
    Ok(out)
}

/// When the server holds every head the device announced, it knows
/// exactly which changes the device lacks: the reply carries precisely
/// those, instead of the ones a Bloom filter guesses (whose false positives,
/// 1% per change, would cost the device another round). A reply that
/// already carries the whole document is left as it is.
fn exact_changes(
    doc: &mut AutoCommit,
    their_heads: Option<&[automerge::ChangeHash]>,
    reply: &mut Message,
) {
    let Some(heads) = their_heads.filter(|h| !h.is_empty()) else {
        return;
    };
    if heads.iter().any(|h| doc.get_change_by_hash(h).is_none()) {
        return;
    }
    let whole_doc = reply
        .changes
        .iter()
        .any(|c| c.len() > 8 && c[..4] == CHUNK_MAGIC && c[8] == 0);
    if whole_doc {
        return;
    }
    let missing: Vec<u8> = doc
        .get_changes(heads)
        .iter()
        .flat_map(|c| c.raw_bytes().to_vec())
        .collect();
    reply.changes = if missing.is_empty() {
        ChunkList::empty()
    } else {
        ChunkList::from(vec![missing])
    };
}

fn check_actors(changes: &[Change], p: &Principal, case_id: &str) -> AppResult<()> {
    let template = casedoc::template_change_hash();
    for c in changes {
        let mine = hex::encode(c.actor_id().to_bytes()) == p.actor_id;
        if !mine && Some(c.hash()) != template {
            tracing::warn!(case = %case_id, device = %p.device_id, actor = %c.actor_id(), "foreign actor refused");
            return Err(foreign_actor(case_id));
        }
    }
    Ok(())
}

/// One document as this round holds it.
enum Doc {
    Stored(Box<zhifa_core::doc::CaseDoc>),
    New(Box<AutoCommit>),
}

impl Doc {
    fn am(&mut self) -> &mut AutoCommit {
        match self {
            Doc::Stored(d) => d.automerge(),
            Doc::New(d) => d.as_mut(),
        }
    }
}

/// The id of the unit a case header names, by id or by name.
pub fn resolve_unit(units: &[crate::store::Unit], unit: &str) -> Option<String> {
    units
        .iter()
        .find(|u| u.id == unit || u.name == unit)
        .map(|u| u.id.clone())
}

fn run_round(
    store: &dyn Store,
    p: &Principal,
    round: Vec<(String, Option<Message>)>,
    key: &zhifa_core::seal::DeviceKey,
    compact_after: u32,
    engine: Option<&zhifa_core::deadlines::DeadlineEngine>,
) -> AppResult<SyncResponse> {
    let time = now();
    let units = store.units()?;
    let mut results = Vec::with_capacity(round.len());
    let mut writes = Vec::new();
    let mut states = Vec::new();
    let mut receipts_out = Vec::new();
    let ctx = RoundCtx {
        store,
        p,
        key,
        compact_after,
        engine,
        units: &units,
        time: &time,
    };
    // What the whole request may inflate to (deflate bombs).
    let mut budget = super::inflate::MAX_INFLATED_BYTES;
    for (case_id, msg) in round {
        match one_case(&ctx, &case_id, msg, &mut budget) {
            Ok(out) => {
                writes.extend(out.write);
                states.extend(out.state);
                receipts_out.extend(out.receipt_row);
                results.push(out.result);
            }
            // A refusal concerns this case alone: nothing of it is stored,
            // and the device's other cases go on.
            Err(AppError::Forbidden { code, message })
            | Err(AppError::Unprocessable { code, message }) => {
                tracing::warn!(case = %case_id, account = %p.account_id, device = %p.device_id, code, "case changes refused");
                let heads = store
                    .load_case(&case_id)?
                    .map(|c| c.meta.heads)
                    .unwrap_or_default();
                results.push(CaseSyncResult {
                    case_id,
                    message: None,
                    heads,
                    accepted_changes: 0,
                    receipt: None,
                    refused: Some(ErrorBody {
                        error: message,
                        code: code.into(),
                    }),
                });
            }
            Err(e) => return Err(e),
        }
    }
    store.commit_sync(&writes, &states, &receipts_out)?;
    Ok(SyncResponse {
        server_time: time,
        cases: results,
    })
}

/// What a round needs to know besides the case.
struct RoundCtx<'a> {
    store: &'a dyn Store,
    p: &'a Principal,
    key: &'a zhifa_core::seal::DeviceKey,
    compact_after: u32,
    engine: Option<&'a zhifa_core::deadlines::DeadlineEngine>,
    units: &'a [crate::store::Unit],
    time: &'a str,
}

/// One case of a round: its answer and what to store.
struct CaseOutcome {
    result: CaseSyncResult,
    write: Option<CaseWrite>,
    state: Option<SyncStateWrite>,
    receipt_row: Option<crate::store::ReceiptRow>,
}

/// The server is the last line (zhifa_core::rules::check_incoming): the
/// changes are refused, nothing stored, when the sender's account may not
/// make them.
fn check_law(
    ctx: &RoundCtx<'_>,
    after_doc: &mut zhifa_core::doc::CaseDoc,
    before: Option<&zhifa_core::doc::Case>,
    stored: Option<&crate::store::StoredCase>,
    before_heads: &[automerge::ChangeHash],
    unit_after: &str,
) -> AppResult<zhifa_core::doc::Case> {
    let after = after_doc.case().map_err(|e| AppError::Unprocessable {
        code: "malformed_case",
        message: format!("案件文档格式错误: {e}"),
    })?;
    let rewrites = after_doc
        .sealed_rewrites(before_heads)
        .map_err(AppError::internal)?;
    let moves = after_doc
        .stage_moves(before_heads)
        .map_err(AppError::internal)?;
    let profile = RuleProfile::default();
    let refusals = check_incoming(&Incoming {
        before,
        after: &after,
        unit_before: stored.map(|c| c.meta.unit_id.as_str()),
        unit_after,
        user: ActingUser {
            account_id: &ctx.p.account_id,
            unit_id: &ctx.p.unit_id,
            roles: &ctx.p.roles,
        },
        profile: &profile,
        stage_moves: &moves,
        sealed_rewrites: &rewrites,
    });
    match refusals.first() {
        None => Ok(after),
        Some(first) => Err(AppError::Forbidden {
            code: first.code,
            message: refusals
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        }),
    }
}

/// One case of a round: inspect, apply, check, answer.
fn one_case(
    ctx: &RoundCtx<'_>,
    case_id: &str,
    msg: Option<Message>,
    budget: &mut u64,
) -> AppResult<CaseOutcome> {
    let stored = ctx.store.load_case(case_id)?;
    let access = stored.as_ref().map(|c| CaseAccess {
        id: c.meta.id.clone(),
        unit_id: c.meta.unit_id.clone(),
        officers: c.meta.officers.clone(),
        heads: String::new(),
    });
    if let Some(a) = &access {
        if !can_read(ctx.p, a) || !crate::access::sees_personal_data(ctx.p, a) {
            return Err(AppError::forbidden(format!("无权同步案件 {case_id}")));
        }
    }
    let (mut doc, chunk_count, created_at) = match &stored {
        Some(c) => (
            Doc::Stored(Box::new(casedoc::load(c)?)),
            c.chunks.len(),
            c.meta.created_at.clone(),
        ),
        None => (
            Doc::New(Box::new(AutoCommit::new())),
            0,
            ctx.time.to_string(),
        ),
    };
    let mut sync_state = match ctx.store.sync_state(&ctx.p.device_id, case_id)? {
        Some(b) if stored.is_some() => SyncState::decode(&b).unwrap_or_else(|_| SyncState::new()),
        _ => SyncState::new(),
    };
    let before = doc.am().get_heads();
    let mut before_case = None;
    let mut their_heads = None;
    if let Some(msg) = msg {
        their_heads = Some(msg.heads.clone());
        let incoming = incoming_changes(doc.am(), &msg, budget)?;
        check_actors(&incoming, ctx.p, case_id)?;
        if !incoming.is_empty() {
            if let Doc::Stored(d) = &doc {
                before_case = Some(d.case().map_err(AppError::internal)?);
            }
            if let Some(a) = &access {
                if !can_write(ctx.p, a) {
                    return Err(AppError::forbidden(format!("无权修改案件 {case_id}")));
                }
            }
        }
        doc.am()
            .sync()
            .receive_sync_message(&mut sync_state, msg)
            .map_err(|e| AppError::BadRequest(format!("案件 {case_id} 的同步消息无效: {e}")))?;
    }
    // Changes whose dependencies are missing stay queued in this
    // request's document and are not stored. The device has marked them
    // as sent and would never send them again: the reply asks it to
    // forget what it sent (SYNC_RESET), so that the next round carries
    // them together with what they depend on.
    let orphans = !doc.am().get_missing_deps(&[]).is_empty();
    let new_changes = doc.am().get_changes(&before);
    // Defence in depth: what was applied is what was inspected.
    check_actors(&new_changes, ctx.p, case_id)?;
    let accepted = new_changes.len() as u32;
    let mut exists = stored.is_some();
    let mut write = None;
    if accepted > 0 {
        let (mut case_doc, doc_write) = match doc {
            Doc::Stored(d) => {
                let mut d = *d;
                let w = if chunk_count + 1 >= ctx.compact_after as usize {
                    DocWrite::Replace(d.save())
                } else {
                    DocWrite::Append(
                        new_changes
                            .iter()
                            .flat_map(|c| c.raw_bytes().to_vec())
                            .collect(),
                    )
                };
                (d, w)
            }
            Doc::New(mut am) => {
                let bytes = am.save();
                (casedoc::load_received(&bytes)?, DocWrite::Replace(bytes))
            }
        };
        let (mut meta, media) = casedoc::columns(&mut case_doc, &created_at, ctx.time)?;
        if meta.id != case_id {
            return Err(AppError::Unprocessable {
                code: "case_id_mismatch",
                message: format!("案件文档的编号 {} 与同步的案件编号 {case_id} 不符", meta.id),
            });
        }
        meta.unit_id =
            resolve_unit(ctx.units, &meta.unit_id).ok_or_else(|| AppError::Unprocessable {
                code: "unknown_unit",
                message: format!("案件 {case_id} 的承办科室“{}”不存在", meta.unit_id),
            })?;
        if stored.is_none() && !can_create(ctx.p, &meta.unit_id, &meta.created_by) {
            return Err(AppError::forbidden(format!(
                "无权在该科室创建案件 {case_id} (创建人须为本人, 科室须为本科室)"
            )));
        }
        let case = check_law(
            ctx,
            &mut case_doc,
            before_case.as_ref(),
            stored.as_ref(),
            &before,
            &meta.unit_id,
        )?;
        if let Ok(conflicts) = case_doc.seal_conflicts() {
            for c in conflicts {
                tracing::warn!(case = %case_id, record = %c.record_id, "seal conflict after merge: {}", c.message());
            }
        }
        let index = casedoc::index_of(&case, ctx.engine, casedoc::today_cn());
        write = Some(CaseWrite {
            meta,
            doc: doc_write,
            media,
            index,
        });
        exists = true;
        doc = Doc::Stored(Box::new(case_doc));
    }
    let generated = doc.am().sync().generate_sync_message(&mut sync_state);
    let reply = generated.map(|mut m| {
        exact_changes(doc.am(), their_heads.as_deref(), &mut m);
        if orphans {
            m.flags
                .get_or_insert_with(MessageFlags::new)
                .set(MessageFlags::SYNC_RESET);
        }
        m.encode()
    });
    let heads = heads_to_hex(&doc.am().get_heads());
    let mut out = CaseOutcome {
        result: CaseSyncResult {
            case_id: case_id.to_string(),
            message: reply,
            heads,
            accepted_changes: accepted,
            receipt: None,
            refused: None,
        },
        write,
        state: None,
        receipt_row: None,
    };
    if exists {
        out.state = Some(SyncStateWrite {
            device_id: ctx.p.device_id.clone(),
            case_id: case_id.to_string(),
            state: sync_state.encode(),
        });
        let r = receipts::sign(
            ctx.key,
            case_id,
            &out.result.heads,
            ctx.time,
            &ctx.p.device_id,
        );
        out.receipt_row = Some(receipts::row(&r));
        out.result.receipt = Some(r);
    }
    Ok(out)
}
