//! Listener callback interfaces (implemented in Kotlin/Swift/Python) and the
//! handle that cancels them.

use std::sync::{Arc, Mutex};

use zhifa_device::Subscription;

use super::views::{CaseDetail, CaseListUpdate, SyncStatusInfo};

/// Receives case list updates.
#[uniffi::export(callback_interface)]
pub trait CaseListListener: Send + Sync {
    /// The list changed.
    fn on_update(&self, update: CaseListUpdate);
}

/// Receives a case's view after each change.
#[uniffi::export(callback_interface)]
pub trait CaseListener: Send + Sync {
    /// The case changed.
    fn on_case(&self, case: CaseDetail);
}

/// Receives the sync status after each change.
#[uniffi::export(callback_interface)]
pub trait SyncListener: Send + Sync {
    /// The status changed.
    fn on_status(&self, status: SyncStatusInfo);
}

/// Progress of one media upload during a sync.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UploadProgressInfo {
    /// The file's SHA-256 (hex).
    pub sha256: String,
    /// Bytes sent so far (never decreasing within one upload).
    pub bytes_sent: u64,
    /// The file's size.
    pub total: u64,
}

impl From<&zhifa_device::UploadProgress> for UploadProgressInfo {
    fn from(p: &zhifa_device::UploadProgress) -> Self {
        UploadProgressInfo {
            sha256: p.sha256.clone(),
            bytes_sent: p.bytes_sent,
            total: p.total,
        }
    }
}

/// Receives the byte progress of media uploads (for a progress bar).
#[uniffi::export(callback_interface)]
pub trait UploadListener: Send + Sync {
    /// More bytes of a file went to the server.
    fn on_progress(&self, progress: UploadProgressInfo);
}

/// Cancels a listener; dropping it cancels too.
#[derive(uniffi::Object)]
pub struct WatchHandle {
    sub: Mutex<Option<Subscription>>,
}

impl WatchHandle {
    pub(crate) fn new(sub: Subscription) -> Arc<WatchHandle> {
        Arc::new(WatchHandle {
            sub: Mutex::new(Some(sub)),
        })
    }
}

#[uniffi::export]
impl WatchHandle {
    /// Stops the callbacks now (idempotent).
    pub fn cancel(&self) {
        self.sub.lock().unwrap_or_else(|p| p.into_inner()).take();
    }

    /// Whether the listener is still active.
    pub fn is_active(&self) -> bool {
        self.sub.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }
}
