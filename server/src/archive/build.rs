//! Building a filed case's package from what the server holds: the case
//! document as stored, the media store's files, the 案卷 PDF; signed with
//! the server key and indexed in the store.

use std::collections::BTreeMap;

use zhifa_core::archive::{
    Archivist, FileKind, Manifest, CASE_FILE_NAME, DOCUMENT_NAME, MEDIA_DIR,
};
use zhifa_core::case::EventKind;
use zhifa_core::doc::Case;
use zhifa_core::record::FieldValue;
use zhifa_core::rules::RuleProfile;

use super::package::{self, Part, Source};
use crate::casedoc;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::archive::ArchivePackage;

/// Largest media file handed to the case file renderer (signature strokes
/// files are a few KB).
const STROKES_MAX_BYTES: u64 = 1024 * 1024;

/// The case number in the manifest: the sealed decision's 文号, else the id.
fn case_number(case: &Case) -> String {
    ["penalty_decision", "simple_penalty_decision"]
        .iter()
        .flat_map(|t| case.current_records(t))
        .filter(|r| r.seal.is_some())
        .find_map(|r| match r.fields.get("decision_no") {
            Some(FieldValue::Text(n)) if !n.trim().is_empty() => Some(n.trim().to_string()),
            _ => None,
        })
        .unwrap_or_else(|| case.header.id.clone())
}

/// The files of the case by SHA-256 with their MIME type: attached media
/// and the signature images of sealed records.
fn media_of(case: &Case) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = case
        .media
        .values()
        .map(|m| (m.sha256.clone(), m.mime.clone()))
        .collect();
    for r in &case.records {
        for h in &r.media {
            out.entry(h.clone())
                .or_insert_with(|| "application/octet-stream".into());
        }
    }
    for h in casedoc::signature_images(case) {
        out.entry(h).or_insert_with(|| "image/png".into());
    }
    out
}

/// When and by whom the case was filed: its last 归档 history entry.
fn filing(case: &Case) -> Option<(String, String)> {
    case.events
        .iter()
        .rev()
        .find(|e| e.kind == EventKind::Archived)
        .map(|e| (e.at.clone(), e.actor.clone()))
}

/// Builds, writes and indexes the package of the filed case `case_id`; the
/// archivist named is the one who filed it (the history's 归档 entry).
pub async fn build(state: &AppState, case_id: &str) -> AppResult<ArchivePackage> {
    let store = state.store();
    let config = state.config().clone();
    let key = state.key().clone();
    let font = crate::docs::font(state)
        .map_err(|e| tracing::warn!(error = %e, "case file font unavailable"))
        .ok();
    let case_id = case_id.to_string();
    tokio::task::spawn_blocking(move || {
        let stored = store
            .load_case(&case_id)?
            .ok_or_else(|| AppError::NotFound("案件不存在".into()))?;
        let mut doc = casedoc::load_as(&stored, b"zhifa-archive")?;
        let case = doc.case().map_err(AppError::internal)?;
        let (archived_at, by) = filing(&case).ok_or_else(|| AppError::Unprocessable {
            code: "not_filed",
            message: "案件尚未归档".into(),
        })?;
        let archivist = Archivist {
            name: store.account(&by)?.map_or_else(|| by.clone(), |a| a.name),
            account_id: by,
        };
        let media_dir = config.media_path();
        let mut parts = Vec::new();
        let mut listed = Vec::new();
        for (sha, mime) in media_of(&case) {
            let name = format!("{MEDIA_DIR}{sha}.{}", package::extension(&mime));
            listed.push((name.clone(), sha.clone()));
            parts.push(Part {
                name,
                kind: FileKind::Media,
                source: Source::File {
                    path: crate::media::final_path(&media_dir, &sha),
                    sha256: sha,
                },
            });
        }
        let names: BTreeMap<String, String> = store
            .accounts()?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        let strokes_dir = media_dir.clone();
        // Only small files are read: the case file draws signature strokes
        // files and lists photos and recordings without embedding them.
        let media = move |sha: &str| -> Option<Vec<u8>> {
            if !zhifa_core::media::is_sha256_hex(sha) {
                return None;
            }
            let path = crate::media::final_path(&strokes_dir, sha);
            let small = std::fs::metadata(&path).ok()?.len() <= STROKES_MAX_BYTES;
            small.then(|| std::fs::read(&path).ok()).flatten()
        };
        let account_name = |id: &str| names.get(id).cloned();
        let inputs = super::case_file::Inputs {
            bureau: &config.bureau_name,
            font: font.as_ref(),
            media: &media,
            account_name: &account_name,
        };
        let pdf = super::case_file::render(&case, &inputs, &listed, &archived_at);
        parts.insert(
            0,
            Part {
                name: DOCUMENT_NAME.into(),
                kind: FileKind::Document,
                source: Source::Bytes(doc.save()),
            },
        );
        parts.insert(
            0,
            Part {
                name: CASE_FILE_NAME.into(),
                kind: FileKind::CaseFile,
                source: Source::Bytes(pdf),
            },
        );
        let archived_on = chrono::DateTime::parse_from_rfc3339(&archived_at)
            .map(|t| t.date_naive())
            .unwrap_or_else(|_| casedoc::today_cn());
        let retention = config
            .retention
            .for_case(&case, &RuleProfile::default())
            .note(archived_on);
        let number = case_number(&case);
        let file_name = format!("{case_id}.zip");
        let path = config.archive_path().join(&file_name);
        let (title, kind) = (
            case.header.title.clone(),
            zhifa_core::wire_name(&case.header.kind),
        );
        let manifest_retention = retention.clone();
        let manifest_archivist = archivist.clone();
        let manifest_id = case_id.clone();
        let manifest_number = number.clone();
        let manifest_at = archived_at.clone();
        let written = package::write(&path, parts, move |files| {
            let mut m = Manifest {
                format: zhifa_core::archive::manifest::FORMAT.into(),
                case_id: manifest_id,
                case_number: manifest_number,
                case_title: title,
                case_kind: kind,
                archived_at: manifest_at,
                archivist: manifest_archivist,
                retention: manifest_retention,
                files,
                key_id: String::new(),
                signature: String::new(),
            };
            m.sign(&key);
            m
        })
        .map_err(|e| AppError::Internal(format!("archive package of {case_id}: {e}")))?;
        let row = ArchivePackage {
            case_id: case_id.clone(),
            case_title: case.header.title.clone(),
            case_number: number,
            file_name,
            sha256: written.sha256,
            size: written.size,
            archived_at,
            archivist_id: archivist.account_id,
            archivist_name: archivist.name,
            retention: retention.label,
            dispose_from: retention.dispose_from,
            unit_id: stored.meta.unit_id.clone(),
        };
        store.save_archive_package(&row)?;
        tracing::info!(case = %case_id, size = row.size, "archive package written");
        Ok(row)
    })
    .await?
}
