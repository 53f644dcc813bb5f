//! Listeners: the shells subscribe to the case list or one case and are
//! called after each commit that touches them; dropping (or cancelling) the
//! [`Subscription`] stops the callbacks.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, Weak};

/// What changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A case's document or summary changed.
    Case(String),
    /// Sync state or upload queue changed.
    Sync,
    /// Bytes of a media file went to the server (never fewer than the last
    /// report of the same upload in one session).
    Upload(UploadProgress),
}

/// Progress of one media upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadProgress {
    /// The file's SHA-256 (hex).
    pub sha256: String,
    /// Bytes sent so far.
    pub bytes_sent: u64,
    /// The file's size.
    pub total: u64,
}

type Callback = Arc<dyn Fn(&Change) + Send + Sync>;

/// The registry of listeners.
#[derive(Default)]
pub struct Listeners {
    inner: Mutex<(u64, BTreeMap<u64, Callback>)>,
}

impl Listeners {
    /// Adds a callback; it stays until the subscription is dropped.
    pub fn add(self: &Arc<Self>, cb: Callback) -> Subscription {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.0 += 1;
        let id = g.0;
        g.1.insert(id, cb);
        Subscription {
            id,
            listeners: Arc::downgrade(self),
        }
    }

    /// Calls every listener (outside the registry lock).
    pub fn notify(&self, change: &Change) {
        let cbs: Vec<Callback> = {
            let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            g.1.values().cloned().collect()
        };
        for cb in cbs {
            cb(change);
        }
    }

    fn remove(&self, id: u64) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.1.remove(&id);
    }

    /// Number of active listeners.
    pub fn len(&self) -> usize {
        self.inner.lock().map(|g| g.1.len()).unwrap_or(0)
    }

    /// True when nobody listens.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A cancel handle: callbacks stop when it is cancelled or dropped.
pub struct Subscription {
    id: u64,
    listeners: Weak<Listeners>,
}

impl Subscription {
    /// Stops the callbacks now.
    pub fn cancel(self) {}
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(l) = self.listeners.upgrade() {
            l.remove(self.id);
        }
    }
}
