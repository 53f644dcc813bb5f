//! Changes the server refused (zhifa_core::rules::check_incoming: a stage
//! entered without its gates, sealed content rewritten, a unit changed
//! without the role …). The refusal is kept on the case and shown until the
//! officer fixes the case (the next sync tries again) or drops what the
//! server has not accepted ([`App::drop_unsynced`]).

use zhifa_core::doc::CaseDoc;
use zhifa_core::sync::{heads_from_hex, Receipt};

use super::views::RefusedCase;
use super::{now_string, summary, App};
use crate::error::{DeviceError, Result};
use crate::store::Store;

fn key(case_id: &str) -> String {
    format!("refused:{case_id}")
}

/// Keeps the server's refusal of a case and marks the case `refused`.
pub(crate) fn record(store: &Store, r: &RefusedCase) -> Result<()> {
    let json = serde_json::to_vec(r).map_err(|e| DeviceError::Invalid(e.to_string()))?;
    store.set_meta(&key(&r.case_id), &json)?;
    store.set_sync_state(&r.case_id, "refused")
}

/// Forgets a case's refusal (the server accepted it since).
pub(crate) fn clear(store: &Store, case_id: &str) -> Result<()> {
    store.delete_meta(&key(case_id))
}

/// What [`App::drop_unsynced`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    /// The case is back at the server's last receipt.
    ToReceipt,
    /// The server never stored the case: it was removed from this device.
    Removed,
}

impl App {
    /// The server's last refusal of a case's changes, if it stands.
    pub fn sync_refusal(&self, case_id: &str) -> Result<Option<RefusedCase>> {
        let g = self.lock();
        match g.store.meta(&key(case_id))? {
            Some(b) => Ok(serde_json::from_slice(&b).ok()),
            None => Ok(None),
        }
    }

    /// Drops every change of a case the server has not acknowledged: the
    /// case goes back to the heads of its last receipt (a case the server
    /// never stored is removed). The refusal is gone with them.
    pub fn drop_unsynced(&self, case_id: &str) -> Result<Dropped> {
        let out = {
            let mut g = self.lock();
            g.open_doc(case_id)?;
            let (_, receipt) = g.store.sync_state(case_id)?;
            let heads = receipt
                .and_then(|r| serde_json::from_str::<Receipt>(&r).ok())
                .map(|r| heads_from_hex(&r.heads))
                .transpose()
                .map_err(|e| DeviceError::Invalid(format!("回执中的版本号无效: {e}")))?;
            let g = &mut *g;
            g.docs.remove(case_id);
            let out = match heads {
                Some(heads) if !heads.is_empty() => {
                    let stored = g.store.load_case(case_id)?;
                    let mut doc = CaseDoc::load(&stored.snapshot, &g.actor)?;
                    for c in &stored.chunks {
                        doc.load_incremental(c)?;
                    }
                    let mut back = doc.at(&heads)?;
                    let snapshot = back.save();
                    let prev = g.store.summary(case_id)?;
                    let at = now_string();
                    let mut s = summary::summarize(&g.engine, &mut back, &prev, true, &at)?;
                    s.sync_state = "synced".into();
                    g.store.replace_case(&snapshot, &s)?;
                    Dropped::ToReceipt
                }
                _ => {
                    g.store.delete_case(case_id)?;
                    Dropped::Removed
                }
            };
            clear(&g.store, case_id)?;
            out
        };
        self.notify(super::Change::Case(case_id.to_string()));
        Ok(out)
    }
}
