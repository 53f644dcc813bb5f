//! Test helpers: an offline transport that answers logins like the demo server.

#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use zhifa_core::case::OfficerStatus;
use zhifa_core::sync::{
    CheckRequest, CheckResponse, LoginRequest, LoginResponse, OfficerInfo, Role, SnapshotRequest,
    SnapshotResponse, SyncRequest, SyncResponse,
};
use zhifa_device::sync::Transport;
use zhifa_device::{App, DeviceError, Result};

/// Answers logins for the demo accounts; everything else is "offline".
pub struct Offline;

pub fn info(username: &str) -> OfficerInfo {
    let (id, name, cred) = match username {
        "lina" => ("acc-lina", "李娜", "冀执0131-2023-0102"),
        _ => ("acc-zhangwei", "张伟", "冀执0131-2023-0101"),
    };
    OfficerInfo {
        id: id.into(),
        username: username.into(),
        name: name.into(),
        post: "科员".into(),
        credential_no: cred.into(),
        unit_id: "u-jiandu".into(),
        unit_name: "执法监督科".into(),
        status: OfficerStatus::Active,
        roles: vec![Role::Officer],
    }
}

impl Transport for Offline {
    fn login(&self, req: &LoginRequest) -> Result<LoginResponse> {
        if req.password != "demo1234" {
            return Err(DeviceError::WrongPassword);
        }
        Ok(LoginResponse {
            token: "t".repeat(64),
            device_id: "dev-1".into(),
            officer: info(&req.username),
            server_public_key: "00".repeat(32),
            protocol: 1,
        })
    }
    fn check(&self, _: &str, _: &CheckRequest) -> Result<CheckResponse> {
        Err(DeviceError::Network("离线".into()))
    }
    fn snapshots(&self, _: &str, _: &SnapshotRequest) -> Result<SnapshotResponse> {
        Err(DeviceError::Network("离线".into()))
    }
    fn exchange(&self, _: &str, _: &SyncRequest) -> Result<SyncResponse> {
        Err(DeviceError::Network("离线".into()))
    }
    fn upload(&self, _: &str, _: &str, _: &Path, _: u64) -> Result<()> {
        Err(DeviceError::Network("离线".into()))
    }
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
    fn check(&self, _: &str, _: &CheckRequest) -> Result<CheckResponse> {
        Ok(CheckResponse::default())
    }
    fn snapshots(&self, _: &str, _: &SnapshotRequest) -> Result<SnapshotResponse> {
        Ok(SnapshotResponse::default())
    }
    fn exchange(&self, _: &str, _: &SyncRequest) -> Result<SyncResponse> {
        Ok(SyncResponse::default())
    }
    fn upload(&self, _: &str, sha: &str, _: &Path, _: u64) -> Result<()> {
        self.uploads.lock().expect("lock").push(sha.to_string());
        Ok(())
    }
}
