//! One sync session (the protocol of `server/README.md`): idle check with the
//! heads from the summary rows, snapshots for new cases, batched exchange
//! rounds, then the upload queue. Every round's result is committed before
//! the next request, so a session cut at any point loses nothing and the next
//! one resumes. The app lock is not held during network calls.

use std::collections::{BTreeMap, BTreeSet};

use automerge::sync::{Message, State as SyncState, SyncDoc};
use automerge::ChangeHash;
use zhifa_core::doc::CaseDoc;
use zhifa_core::sync::{
    case_message, heads_from_hex, heads_to_hex, CheckRequest, Receipt, SnapshotRequest, SyncRequest,
};

use crate::app::views::{RefusedCase, SyncReport};
use crate::app::{App, Change, UploadProgress};
use crate::error::{DeviceError, Result};
use crate::store::media::upload_state;

/// Cases per request (the server's limit).
const BATCH: usize = 200;
/// Rounds before a session gives up on a case (it resumes next time).
const MAX_ROUNDS: usize = 20;

impl App {
    /// Syncs every case and uploads pending media. Safe to call from a
    /// background thread while the officer keeps editing.
    pub fn sync_now(&self) -> Result<SyncReport> {
        let _one_at_a_time = self
            .shared
            .sync_lock
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let (login, cases) = {
            let g = self.lock();
            let login = g.login.clone().ok_or(DeviceError::NotLoggedIn)?;
            (login, g.store.all_heads()?)
        };
        let token = login.response.token.clone();
        let server_key = login.response.server_public_key.clone();
        let t = self.transport_for(&login.server)?;
        let mut report = SyncReport {
            checked: crate::app::views::count(cases.len()),
            ..Default::default()
        };
        let check = t.check(&token, &CheckRequest::from_hex_heads(cases))?;
        // A newer holiday calendar on the server (a year just published).
        // A failure here never stops the cases from syncing.
        if let Some(v) = &check.calendar {
            match self.receive_calendar(&*t, &token, v) {
                Ok(years) => report.calendar = years,
                Err(e) => report.errors.push(format!("节假日日历未能更新: {e}")),
            }
        }
        // The electronic credential (电子执法证), when the kept one is a day
        // old. A failure here never stops the cases from syncing; only a
        // token that fails the server key's check is reported (a network
        // failure or an older server keeps the card as it is).
        if let Err(e @ DeviceError::Invalid(_)) =
            self.refresh_credential_if_stale(&*t, &token, &server_key)
        {
            report.errors.push(format!("电子执法证未能更新: {e}"));
        }
        // Forbidden cases: marked, never sent again.
        for id in &check.forbidden {
            self.lock().store.set_sync_state(id, "forbidden")?;
            report.forbidden.push(id.clone());
        }
        // New cases for this device.
        for chunk in check.available.chunks(BATCH) {
            let snaps = t.snapshots(
                &token,
                &SnapshotRequest {
                    case_ids: chunk.iter().map(|c| c.case_id.clone()).collect(),
                },
            )?;
            for s in snaps.snapshots {
                let mut g = self.lock();
                let at = crate::app::now().to_rfc3339();
                let mut doc = CaseDoc::load(&s.document, &g.actor)?;
                let case = doc.case()?;
                let snapshot = doc.save();
                let summary =
                    crate::app::summary::new_summary(&g.engine, &case, &mut doc, "synced", &at);
                if g.store.insert_case(&snapshot, &summary).is_ok() {
                    let receipt = match s.receipt.verify(&server_key) {
                        Ok(()) => serde_json::to_string(&s.receipt).ok(),
                        Err(_) => {
                            report
                                .errors
                                .push(format!("案件 {} 的服务器回执签名无效, 未保存", s.case_id));
                            None
                        }
                    };
                    g.store.put_sync_state(
                        &s.case_id,
                        &SyncState::new().encode(),
                        receipt.as_deref(),
                    )?;
                    report.fetched += 1;
                }
                drop(g);
                self.notify(Change::Case(s.case_id.clone()));
            }
        }
        // Exchange rounds for changed and unknown cases.
        let todo: Vec<String> = check
            .changed
            .iter()
            .chain(check.unknown.iter())
            .cloned()
            .collect();
        report.exchanged = crate::app::views::count(todo.len());
        for batch in todo.chunks(BATCH) {
            self.exchange_batch(&*t, &token, &server_key, batch, &mut report)?;
        }
        // Upload queue.
        self.upload_pending(&*t, &token, &mut report)?;
        {
            let g = self.lock();
            g.store
                .set_meta("last_sync", crate::app::now().to_rfc3339().as_bytes())?;
        }
        self.notify(Change::Sync);
        Ok(report)
    }

    fn exchange_batch(
        &self,
        t: &dyn crate::sync::Transport,
        token: &str,
        server_key: &str,
        ids: &[String],
        report: &mut SyncReport,
    ) -> Result<()> {
        let mut states: BTreeMap<String, SyncState> = BTreeMap::new();
        // The server's heads in the last receipt of each case: it holds
        // everything up to them, so round 1 carries what came after.
        let mut acked: BTreeMap<String, Vec<ChangeHash>> = BTreeMap::new();
        {
            let g = self.lock();
            for id in ids {
                // Decoding keeps only what both sides are known to share: a
                // fresh session, as the protocol asks.
                let (state, receipt) = g.store.sync_state(id)?;
                let st = match state {
                    Some(b) => SyncState::decode(&b).unwrap_or_default(),
                    None => SyncState::new(),
                };
                states.insert(id.clone(), st);
                let heads = receipt
                    .and_then(|r| serde_json::from_str::<Receipt>(&r).ok())
                    .and_then(|r| heads_from_hex(&r.heads).ok())
                    .unwrap_or_default();
                acked.insert(id.clone(), heads);
            }
        }
        let mut server_heads: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut todo: Vec<String> = ids.to_vec();
        let mut rounds = 0;
        while !todo.is_empty() && rounds < MAX_ROUNDS {
            rounds += 1;
            let mut messages = Vec::new();
            {
                let mut g = self.lock();
                for id in &todo {
                    g.open_doc(id)?;
                    let (Some(doc), Some(st)) = (g.docs.get_mut(id), states.get_mut(id)) else {
                        continue;
                    };
                    let own_since = (rounds == 1).then(|| acked.get(id).map_or(&[][..], |h| h));
                    messages.extend(case_message(id, doc, st, own_since));
                }
            }
            if messages.is_empty() {
                break;
            }
            report.rounds += 1;
            let answer = t.exchange(token, &SyncRequest { messages })?;
            let mut next = Vec::new();
            for c in answer.cases {
                report.accepted += c.accepted_changes;
                if let Some(r) = &c.refused {
                    // Nothing of this case was stored; the others go on.
                    let refused = RefusedCase {
                        case_id: c.case_id.clone(),
                        code: r.code.clone(),
                        message: r.error.clone(),
                    };
                    {
                        let g = self.lock();
                        g.store
                            .put_sync_state(&c.case_id, &SyncState::new().encode(), None)?;
                        crate::app::refusals_record(&g.store, &refused)?;
                    }
                    report.refused.push(refused);
                    self.notify(Change::Case(c.case_id.clone()));
                    continue;
                }
                server_heads.insert(c.case_id.clone(), c.heads.clone());
                let receipt = match &c.receipt {
                    Some(r) if r.verify(server_key).is_err() => {
                        report
                            .errors
                            .push(format!("案件 {} 的服务器回执签名无效, 未保存", c.case_id));
                        None
                    }
                    Some(r) => serde_json::to_string(r).ok(),
                    None => None,
                };
                let Some(st) = states.get_mut(&c.case_id) else {
                    continue;
                };
                let id = c.case_id.clone();
                let msg = match c.message {
                    Some(b) => Some(Message::decode(&b).map_err(|e| {
                        DeviceError::Network(format!("服务器同步消息无法解析: {e}"))
                    })?),
                    None => None,
                };
                if let Some(m) = msg {
                    self.edit_sync(&id, |doc| {
                        doc.automerge()
                            .sync()
                            .receive_sync_message(st, m)
                            .map_err(|e| zhifa_core::CoreError::Automerge(e.to_string()).into())
                    })?;
                }
                let st_bytes = st.encode();
                let mine = {
                    let mut g = self.lock();
                    g.store.put_sync_state(&id, &st_bytes, receipt.as_deref())?;
                    g.open_doc(&id)?;
                    g.docs.get_mut(&id).map(|d| heads_to_hex(&d.heads()))
                };
                // Done when both sides hold the same heads; no closing round.
                if !same_heads(mine.as_deref().unwrap_or_default(), &c.heads) {
                    next.push(id);
                }
            }
            todo = next;
        }
        // Converged cases are marked synced.
        for id in ids {
            // Heads check and state change under one lock: an edit cannot
            // slip in between and be labelled synced.
            {
                let mut g = self.lock();
                g.open_doc(id)?;
                let mine = g.docs.get_mut(id).map(|d| heads_to_hex(&d.heads()));
                if let (Some(mine), Some(theirs)) = (mine, server_heads.get(id)) {
                    if same_heads(&mine, theirs) {
                        g.store.set_sync_state(id, "synced")?;
                        crate::app::refusals_clear(&g.store, id)?;
                    }
                }
            }
            self.notify(Change::Case(id.clone()));
        }
        Ok(())
    }

    fn upload_pending(
        &self,
        t: &dyn crate::sync::Transport,
        token: &str,
        report: &mut SyncReport,
    ) -> Result<()> {
        let (rows, blobs) = {
            let g = self.lock();
            (g.store.media_list(None)?, g.blobs.clone())
        };
        for m in rows
            .into_iter()
            .filter(|m| m.upload == upload_state::PENDING)
        {
            // A file whose bytes no longer match its hash is reported, never
            // uploaded as good.
            if let Err(e) = blobs.verify(&m.sha256, m.size) {
                self.lock().store.set_upload(
                    &m.sha256,
                    upload_state::CORRUPT,
                    Some(&e.to_string()),
                )?;
                report.corrupt.push(m.sha256.clone());
                continue;
            }
            // Reported only forward: a failed chunk does not move the bar back.
            let last: std::sync::Mutex<Option<u64>> = std::sync::Mutex::new(None);
            let progress = |sent: u64| {
                let sent = sent.min(m.size);
                {
                    let mut g = last.lock().unwrap_or_else(|p| p.into_inner());
                    if g.is_some_and(|prev| sent <= prev) {
                        return;
                    }
                    *g = Some(sent);
                }
                self.notify(Change::Upload(UploadProgress {
                    sha256: m.sha256.clone(),
                    bytes_sent: sent,
                    total: m.size,
                }));
            };
            match t.upload(token, &m.sha256, &blobs.path(&m.sha256), m.size, &progress) {
                Ok(()) => {
                    self.lock()
                        .store
                        .set_upload(&m.sha256, upload_state::DONE, None)?;
                    report.uploaded += 1;
                }
                Err(e @ DeviceError::Unauthorized) => return Err(e),
                Err(e) => {
                    self.lock().store.set_upload(
                        &m.sha256,
                        upload_state::PENDING,
                        Some(&e.to_string()),
                    )?;
                    report.errors.push(format!("{}: {e}", m.sha256));
                }
            }
        }
        Ok(())
    }
}

/// Whether two sets of hex heads are equal (order ignored).
fn same_heads(a: &[String], b: &[String]) -> bool {
    let a: BTreeSet<&String> = a.iter().collect();
    let b: BTreeSet<&String> = b.iter().collect();
    a == b
}
