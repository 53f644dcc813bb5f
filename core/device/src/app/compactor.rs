//! Background work off the edit path, on a thread with its own connection:
//! compaction (a case's change chunks folded into a new snapshot, in one
//! transaction) and WAL checkpoints (the edit connection never checkpoints,
//! so an edit never pays for copying the WAL into the database).

use std::path::Path;
use std::sync::mpsc::{channel, Sender};
use std::thread::JoinHandle;

use crate::error::Result;
use crate::store::{Durability, Store};

enum Job {
    Compact(String),
    Checkpoint,
}

/// The background thread.
pub(crate) struct Compactor {
    tx: Option<Sender<Job>>,
    commits: std::sync::atomic::AtomicU64,
    thread: Option<JoinHandle<()>>,
}

impl Compactor {
    /// Starts the thread on the database at `db`.
    pub fn start(db: &Path, durability: Durability) -> Result<Compactor> {
        let mut store = Store::open_with(db, durability)?;
        // This connection checkpoints; the edit connection does not.
        store.conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
        let (tx, rx) = channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("zhifa-compactor".into())
            .spawn(move || {
                while let Ok(job) = rx.recv() {
                    match job {
                        // Failure leaves the chunks in place: compaction is
                        // only an optimisation, retried after later edits.
                        Job::Compact(id) => {
                            let _ = compact(&mut store, &id);
                        }
                        Job::Checkpoint => {
                            let _ =
                                store
                                    .conn
                                    .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                        }
                    }
                }
            })?;
        Ok(Compactor {
            tx: Some(tx),
            commits: std::sync::atomic::AtomicU64::new(0),
            thread: Some(thread),
        })
    }

    /// Asks for a case to be compacted.
    pub fn request(&self, case_id: &str, _actor: Vec<u8>) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Job::Compact(case_id.to_string()));
        }
    }

    /// Counts a commit; every 256 commits asks for a WAL checkpoint.
    pub fn committed(&self) {
        let n = self
            .commits
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n % 256 == 255 {
            if let Some(tx) = &self.tx {
                let _ = tx.send(Job::Checkpoint);
            }
        }
    }
}

/// Loads snapshot + chunks, saves one snapshot, replaces them.
pub(crate) fn compact(store: &mut Store, id: &str) -> Result<()> {
    store.compact_case(id).map(|_| ())
}

impl Drop for Compactor {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
