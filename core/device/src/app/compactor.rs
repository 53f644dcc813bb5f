//! Background compaction: a thread with its own connection folds a case's
//! change chunks into a new snapshot, in one transaction, off the edit path.

use std::path::Path;
use std::sync::mpsc::{channel, Sender};
use std::thread::JoinHandle;

use automerge::AutoCommit;

use crate::error::Result;
use crate::store::Store;

/// The compaction thread.
pub(crate) struct Compactor {
    tx: Option<Sender<String>>,
    thread: Option<JoinHandle<()>>,
}

impl Compactor {
    /// Starts the thread on the database at `db`.
    pub fn start(db: &Path) -> Result<Compactor> {
        let mut store = Store::open(db)?;
        let (tx, rx) = channel::<String>();
        let thread = std::thread::Builder::new()
            .name("zhifa-compactor".into())
            .spawn(move || {
                while let Ok(id) = rx.recv() {
                    // Failure leaves the chunks in place: compaction is only
                    // an optimisation and is retried after the next edits.
                    let _ = compact(&mut store, &id);
                }
            })?;
        Ok(Compactor {
            tx: Some(tx),
            thread: Some(thread),
        })
    }

    /// Asks for a case to be compacted.
    pub fn request(&self, case_id: &str, _actor: Vec<u8>) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(case_id.to_string());
        }
    }
}

/// Loads snapshot + chunks, saves one snapshot, replaces them.
pub(crate) fn compact(store: &mut Store, id: &str) -> Result<()> {
    let stored = store.load_case(id)?;
    if stored.chunks.is_empty() {
        return Ok(());
    }
    let mut doc = AutoCommit::load(&stored.snapshot)
        .map_err(|e| zhifa_core::CoreError::Automerge(e.to_string()))?;
    for c in &stored.chunks {
        doc.load_incremental(c)
            .map_err(|e| zhifa_core::CoreError::Automerge(e.to_string()))?;
    }
    let snapshot = doc.save();
    store.compact(id, &snapshot, stored.last_seq)
}

impl Drop for Compactor {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
