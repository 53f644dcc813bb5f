//! Test helpers: a logged-in app, and a server that records uploads.

#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use zhifa_core::sync::{
    CheckRequest, CheckResponse, LoginRequest, LoginResponse, SnapshotRequest, SnapshotResponse,
    SyncRequest, SyncResponse,
};
use zhifa_device::sync::Transport;
use zhifa_device::{App, Result};

pub use zhifa_device::testdata::Offline;

/// The `findings` field of a record as the editor shows it.
pub fn findings(app: &App, case: &str, rec: &str) -> Option<serde_json::Value> {
    app.record_editor(case, rec)
        .expect("editor")
        .fields
        .into_iter()
        .find(|f| f.key == "findings")
        .and_then(|f| f.value)
}

/// An app in `dir`, logged in offline as `username`.
pub fn app(dir: &Path, username: &str) -> App {
    let app = App::open(dir).expect("open");
    app.set_transport(Arc::new(Offline));
    app.login("http://offline", username, "demo1234", "测试手机")
        .expect("login");
    app
}

/// A server that has nothing to exchange and records uploads.
#[derive(Default)]
pub struct Recording {
    pub uploads: std::sync::Mutex<Vec<String>>,
}

impl Transport for Recording {
    fn login(&self, req: &LoginRequest) -> Result<LoginResponse> {
        Offline.login(req)
    }
    fn logout(&self, _: &str) -> Result<()> {
        Ok(())
    }
    fn check(&self, _: &str, _: &CheckRequest) -> Result<CheckResponse> {
        Ok(CheckResponse::default())
    }
    fn snapshots(&self, _: &str, _: &SnapshotRequest) -> Result<SnapshotResponse> {
        Ok(SnapshotResponse::default())
    }
    fn exchange(&self, _: &str, _: &SyncRequest) -> Result<SyncResponse> {
        Ok(SyncResponse::default())
    }
    fn upload(
        &self,
        _: &str,
        sha: &str,
        _: &Path,
        size: u64,
        progress: &zhifa_device::sync::Progress<'_>,
    ) -> Result<()> {
        progress(size);
        self.uploads.lock().expect("lock").push(sha.to_string());
        Ok(())
    }
    fn download(&self, _: &str, _: &str) -> Result<Box<dyn std::io::Read + Send>> {
        Err(zhifa_device::DeviceError::Network("离线".into()))
    }
}
