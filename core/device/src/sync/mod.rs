//! The sync client: the server's endpoints behind the [`Transport`] trait
//! (HTTP implementation in [`http`]), and the sync session run by
//! [`crate::App::sync_now`] in [`session`].

pub mod http;
pub(crate) mod session;

use std::io::Read;
use std::path::Path;

use zhifa_core::credential::IssuedCredential;
use zhifa_core::sync::{
    CalendarPackage, CheckRequest, CheckResponse, LoginRequest, LoginResponse, SnapshotRequest,
    SnapshotResponse, SyncRequest, SyncResponse,
};

use crate::error::Result;

/// A progress callback of one upload: bytes sent so far.
pub type Progress<'a> = dyn Fn(u64) + Sync + 'a;

/// The server as the device sees it. Blocking: the shells call sync from a
/// background thread; every method is safe to retry (the server's answers do
/// not depend on an earlier answer having arrived).
pub trait Transport: Send + Sync {
    /// `POST /auth/login`.
    fn login(&self, req: &LoginRequest) -> Result<LoginResponse>;
    /// `POST /auth/logout`: revokes this device's token.
    fn logout(&self, token: &str) -> Result<()>;
    /// `POST /sync/check`.
    fn check(&self, token: &str, req: &CheckRequest) -> Result<CheckResponse>;
    /// `POST /sync/snapshots`.
    fn snapshots(&self, token: &str, req: &SnapshotRequest) -> Result<SnapshotResponse>;
    /// `POST /sync/exchange`.
    fn exchange(&self, token: &str, req: &SyncRequest) -> Result<SyncResponse>;
    /// Uploads a file (tus: create, ask the offset, send the rest in
    /// chunks, resuming from the server's offset after a failure). Returns
    /// when the server has verified the whole file. `progress` is called
    /// with the bytes sent so far (it may go back after a failure, to what
    /// the server kept).
    fn upload(
        &self,
        token: &str,
        sha256: &str,
        path: &Path,
        size: u64,
        progress: &Progress<'_>,
    ) -> Result<()>;
    /// Downloads a file (`GET /media/{sha256}`) as a byte stream.
    fn download(&self, token: &str, sha256: &str) -> Result<Box<dyn Read + Send>>;
    /// `GET /calendar`: the server's holiday calendar. Asked only when an
    /// idle check names a calendar version other than the device's; a
    /// transport without a server (tests, import) has none to give.
    fn calendar(&self, token: &str) -> Result<CalendarPackage> {
        let _ = token;
        Err(crate::error::DeviceError::Network(
            "此连接方式不提供节假日日历".into(),
        ))
    }
    /// `GET /me/credential`: the officer's electronic credential (电子执法证)
    /// signed by the server; a transport without a server has none.
    fn credential(&self, token: &str) -> Result<IssuedCredential> {
        let _ = token;
        Err(crate::error::DeviceError::Network(
            "此连接方式不提供电子执法证".into(),
        ))
    }
    /// `GET /colleagues`: the enforcement officers partners are chosen from.
    /// A transport without a server has none to give.
    fn colleagues(&self, token: &str) -> Result<Vec<zhifa_core::sync::OfficerInfo>> {
        let _ = token;
        Err(crate::error::DeviceError::Network(
            "此连接方式不提供执法人员名单".into(),
        ))
    }
}
