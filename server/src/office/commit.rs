//! Changing a case as an office user: load the stored document with the
//! user's actor, let zhifa-core make the change, store the new changes
//! exactly like a synced change (appended chunk, columns, index), so the
//! officers' phones receive it at their next sync.

use std::collections::BTreeSet;

use zhifa_core::doc::{Actor, Case, CaseDoc};

use crate::accounts::now;
use crate::casedoc;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::{CaseWrite, DocWrite};
use crate::sync::exchange::resolve_unit;

use super::identity::{identity, OfficeIdentity};

/// What an office action sees besides the document: the case as read before the
/// change, the acting user and their key, the unit id the case belongs to,
/// the media files present on the server, and the time stamped on changes.
pub struct ActionCtx<'a> {
    /// The case before the change.
    pub case: &'a Case,
    /// The acting office user.
    pub who: &'a OfficeIdentity,
    /// The case's unit id (the header may name it by name).
    pub unit_id: &'a str,
    /// SHA-256 of the case's files the server holds.
    pub present_media: &'a BTreeSet<String>,
    /// Time of the change (RFC 3339).
    pub at: &'a str,
}

impl ActionCtx<'_> {
    /// The actor stamp of this change.
    pub fn actor(&self) -> Actor<'_> {
        Actor {
            user: &self.who.account.id,
            device: &self.who.device_id,
            at: self.at,
        }
    }

    /// Signs sealed record `record_id` in `role` as the acting user, with
    /// their own key.
    pub fn sign_as_self(
        &self,
        doc: &mut CaseDoc,
        record_id: &str,
        role: zhifa_core::template::SignerRole,
    ) -> zhifa_core::Result<()> {
        doc.sign_record(
            record_id,
            role,
            &self.who.account.id,
            &self.who.account.name,
            None,
            &self.actor(),
            &self.who.key,
        )
        .map(|_| ())
    }
}

/// Runs `action` on case `case_id` as `account` and stores what it changed.
/// Returns the action's message. Nothing is stored when it fails.
pub async fn act<F>(
    state: &AppState,
    account: &crate::store::Account,
    case_id: &str,
    action: F,
) -> AppResult<String>
where
    F: FnOnce(&ActionCtx<'_>, &mut CaseDoc) -> AppResult<String> + Send + 'static,
{
    crate::sync::check_case_id(case_id)?;
    let who = identity(state, account).await?;
    let ids = vec![case_id.to_string()];
    let _guards = state.lock_cases(&ids).await;
    let store = state.store();
    let compact_after = state.config().compact_after as usize;
    let calendar = state.calendar();
    let media_dir = state.config().media_path();
    let case_id = case_id.to_string();
    tokio::task::spawn_blocking(move || {
        let stored = store
            .load_case(&case_id)?
            .ok_or_else(|| AppError::NotFound("案件不存在".into()))?;
        let access = stored.meta.access();
        let principal = crate::access::office_principal(&who.account);
        if !crate::access::can_read(&principal, &access) {
            return Err(AppError::NotFound("案件不存在或无权查看".into()));
        }
        if !crate::access::can_write(&principal, &access) {
            return Err(AppError::forbidden("无权修改该案件"));
        }
        let units = store.units()?;
        let mut doc = casedoc::load_as(&stored, &who.actor)?;
        let case = doc.case().map_err(AppError::internal)?;
        let unit_id = resolve_unit(&units, &case.header.unit).unwrap_or_default();
        // The files the gates may ask for: attached media and signatures as drawn.
        let present: BTreeSet<String> = store
            .case_media(&case_id)?
            .into_iter()
            .map(|m| m.sha256)
            .chain(casedoc::signature_images(&case))
            .filter(|h| crate::media::final_path(&media_dir, h).exists())
            .collect();
        let before = doc.heads();
        let at = zhifa_core_time();
        let message = {
            let ctx = ActionCtx {
                case: &case,
                who: &who,
                unit_id: &unit_id,
                present_media: &present,
                at: &at,
            };
            action(&ctx, &mut doc)?
        };
        let new_changes = doc.automerge().get_changes(&before);
        if new_changes.is_empty() {
            return Ok(message);
        }
        let write = if stored.chunks.len() + 1 >= compact_after {
            DocWrite::Replace(doc.save())
        } else {
            DocWrite::Append(
                new_changes
                    .iter()
                    .flat_map(|c| c.raw_bytes().to_vec())
                    .collect(),
            )
        };
        let (mut meta, media) = casedoc::columns(&mut doc, &stored.meta.created_at, &now())?;
        meta.unit_id = resolve_unit(&units, &meta.unit_id).ok_or_else(|| {
            AppError::Unprocessable {
                code: "unknown_unit",
                message: format!("承办科室“{}”不存在", meta.unit_id),
            }
        })?;
        let after = doc.case().map_err(AppError::internal)?;
        let index = casedoc::index_of(&after, calendar.engine.as_deref(), casedoc::today_cn());
        store.commit_sync(
            &[CaseWrite {
                meta,
                doc: write,
                media,
                index,
            }],
            &[],
            &[],
        )?;
        tracing::info!(case = %case_id, account = %who.account.username, changes = new_changes.len(), "office action stored");
        Ok(message)
    })
    .await?
}

/// Now in Asia/Shanghai, RFC 3339 with offset: the time office changes carry.
fn zhifa_core_time() -> String {
    let cn = chrono::FixedOffset::east_opt(8 * 3600);
    match cn {
        Some(tz) => chrono::Utc::now()
            .with_timezone(&tz)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        None => now(),
    }
}
