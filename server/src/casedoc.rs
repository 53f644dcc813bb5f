//! The server's use of `zhifa_core::doc::CaseDoc`: loading stored documents,
//! reading the columns kept per case, and the template change every case
//! starts from.

use std::sync::OnceLock;

use automerge::ChangeHash;
use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, Stage};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::sync::heads_to_hex;

use crate::error::{AppError, AppResult};
use crate::store::{CaseIndex, CaseMedia, CaseMeta, StoredCase};

/// The actor the server loads documents with. The server never commits.
pub const SERVER_ACTOR: [u8; 16] = *b"zhifa-server-ro1";

fn malformed(e: impl std::fmt::Display) -> AppError {
    AppError::Unprocessable {
        code: "malformed_case",
        message: format!("案件文档格式错误: {e}"),
    }
}

/// Loads a stored case: snapshot, then the incremental chunks.
pub fn load(stored: &StoredCase) -> AppResult<CaseDoc> {
    load_as(stored, &SERVER_ACTOR)
}

/// Loads a stored case to commit changes as `actor` (an office user).
pub fn load_as(stored: &StoredCase, actor: &[u8]) -> AppResult<CaseDoc> {
    let mut doc = CaseDoc::load(&stored.snapshot, actor).map_err(AppError::internal)?;
    for chunk in &stored.chunks {
        doc.load_incremental(chunk).map_err(AppError::internal)?;
    }
    Ok(doc)
}

/// Loads a document from bytes received from a device (validated as a case).
pub fn load_received(bytes: &[u8]) -> AppResult<CaseDoc> {
    CaseDoc::load(bytes, &SERVER_ACTOR).map_err(malformed)
}

/// The hash of the template change (fixed actor, time 0) every case starts
/// with: the one change a device may send whose actor is not its own.
pub fn template_change_hash() -> Option<ChangeHash> {
    static HASH: OnceLock<Option<ChangeHash>> = OnceLock::new();
    *HASH.get_or_init(|| {
        let header = CaseHeader {
            id: "template-probe".into(),
            kind: CaseKind::Inspection,
            procedure: None,
            title: String::new(),
            source: CaseSource::ExOfficio,
            stage: Stage::Initiation,
            unit: String::new(),
            created_at: "2026-01-01T00:00:00+08:00".into(),
            created_by: String::new(),
            source_ref: None,
            fine_fen: None,
            measures: Vec::new(),
        };
        let who = Actor {
            user: "probe",
            device: "probe",
            at: "2026-01-01T00:00:00+08:00",
        };
        let mut doc = CaseDoc::create(&header, b"probe-actor", &who).ok()?;
        let probe = automerge::ActorId::from(&b"probe-actor"[..]);
        doc.automerge()
            .get_changes(&[])
            .iter()
            .find(|c| c.actor_id() != &probe)
            .map(|c| c.hash())
    })
}

/// The columns and media list of a case, read from its document.
/// `unit_id` is the header's unit resolved to a unit id by the caller.
pub fn columns(
    doc: &mut CaseDoc,
    created_at: &str,
    updated_at: &str,
) -> AppResult<(CaseMeta, Vec<CaseMedia>)> {
    let case = doc.case().map_err(malformed)?;
    let h = &case.header;
    let mut officers = vec![h.created_by.clone()];
    for o in &case.officers {
        if !officers.contains(&o.id) {
            officers.push(o.id.clone());
        }
    }
    let media = case
        .media
        .values()
        .map(|m| CaseMedia {
            sha256: m.sha256.clone(),
            mime: m.mime.clone(),
            size: m.size,
            record_id: m.record_id.clone(),
        })
        .collect();
    let meta = CaseMeta {
        id: h.id.clone(),
        unit_id: h.unit.clone(),
        title: h.title.clone(),
        stage: zhifa_core::wire_name(&h.stage),
        kind: zhifa_core::wire_name(&h.kind),
        created_by: h.created_by.clone(),
        officers,
        heads: heads_to_hex(&doc.heads()),
        created_at: created_at.into(),
        updated_at: updated_at.into(),
    };
    Ok((meta, media))
}

/// The console's index of a case: source, procedure, party and officer
/// names, and the earliest open statutory obligation as of `today`
/// (`zhifa_core::deadlines`, legal dates from sealed records).
pub fn index_of(
    case: &zhifa_core::doc::Case,
    engine: Option<&zhifa_core::deadlines::DeadlineEngine>,
    today: chrono::NaiveDate,
) -> CaseIndex {
    let names = |it: &mut dyn Iterator<Item = &str>| it.collect::<Vec<_>>().join("、");
    let mut index = CaseIndex {
        source: zhifa_core::wire_name(&case.header.source),
        procedure: case
            .header
            .procedure
            .map(|p| zhifa_core::wire_name(&p))
            .unwrap_or_default(),
        parties: names(&mut case.parties.iter().map(|p| p.name.as_str())),
        officer_names: names(&mut case.officers.iter().map(|o| o.name.as_str())),
        next_due: None,
        next_due_label: None,
        obligations: Vec::new(),
        publications: zhifa_core::publicity::entries(case),
    };
    let Some(engine) = engine else {
        return index;
    };
    let clock = zhifa_core::deadlines::clock_of_case(case);
    let mut open = engine.open_obligations(&clock, today);
    open.sort_by_key(|o| o.due);
    index.obligations = open
        .iter()
        .map(|o| crate::store::IndexedObligation {
            title: o.rule.title.clone(),
            citation: o.rule.citation.clone(),
            due: o.due.to_string(),
            provisional: o.provisional,
        })
        .collect();
    if let Some(o) = open.first() {
        index.next_due = Some(o.due.to_string());
        let tentative = if o.provisional { "（暂定）" } else { "" };
        index.next_due_label = Some(format!(
            "{}{tentative}（{}）",
            o.rule.title, o.rule.citation
        ));
    }
    index
}

/// SHA-256 of the signature images (strokes rendered to PNG) of a case.
pub fn signature_images(case: &zhifa_core::doc::Case) -> std::collections::BTreeSet<String> {
    case.records
        .iter()
        .filter_map(|r| r.seal.as_ref())
        .flat_map(|s| s.signatures.iter())
        .filter_map(|e| e.strokes.clone())
        .filter(|h| zhifa_core::media::is_sha256_hex(h))
        .collect()
}

/// An RFC 3339 time as people read it in Asia/Shanghai: `2026-12-04 21:05`
/// (the text unchanged when it does not parse).
pub fn local_time(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .ok()
        .and_then(|d| chrono::FixedOffset::east_opt(8 * 3600).map(|tz| d.with_timezone(&tz)))
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| t.to_string())
}

/// Today in Asia/Shanghai (UTC+8), the day statutory periods count in.
pub fn today_cn() -> chrono::NaiveDate {
    match chrono::FixedOffset::east_opt(8 * 3600) {
        Some(cn) => chrono::Utc::now().with_timezone(&cn).date_naive(),
        None => chrono::Utc::now().date_naive(),
    }
}

/// `GET /api/v1/cases/{id}`: a whole case for office tools.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CaseDetail {
    /// The case document as JSON (`zhifa_core::doc::Case`: header, parties,
    /// officers, records, history).
    #[schema(value_type = Object)]
    pub case: zhifa_core::doc::Case,
    /// The document's heads, sorted hex.
    pub heads: Vec<String>,
    /// Last changed (RFC 3339).
    pub updated_at: String,
    /// Records sealed concurrently on two devices (`zhifa_core::doc::SealConflict`).
    #[schema(value_type = Vec<Object>)]
    pub seal_conflicts: Vec<zhifa_core::doc::SealConflict>,
}

/// The whole case for office tools, with its heads and any seal conflicts.
/// `masked`: for a reader who does not need personal data
/// ([`crate::access::sees_personal_data`]): identity numbers, phones and
/// addresses masked, and the sealed texts (which hold them in clear) left out.
pub fn case_json(stored: &StoredCase, masked: bool) -> AppResult<CaseDetail> {
    let mut doc = load(stored)?;
    let mut case = doc.case().map_err(AppError::internal)?;
    let mut seal_conflicts = doc.seal_conflicts().map_err(AppError::internal)?;
    if masked {
        case.mask_personal_data();
        for r in &mut case.records {
            if let Some(seal) = r.seal.as_mut() {
                seal.content.clear();
            }
        }
        for c in &mut seal_conflicts {
            c.sealed_version.clear();
            c.merged_version.clear();
            c.changes.clear();
        }
    }
    Ok(CaseDetail {
        case,
        heads: heads_to_hex(&doc.heads()),
        updated_at: stored.meta.updated_at.clone(),
        seal_conflicts,
    })
}
