//! The electronic credential (电子执法证) on the device: fetched at login,
//! checked against the server key, kept for offline use, put in the card's
//! QR code as the check URL; refreshed at sync only when a day old; a token
//! the server key did not sign is never kept (行政处罚法 第五十五条).

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::{Duration, Utc};
use zhifa_core::credential::{rfc3339, verify, CredentialClaims, IssuedCredential};
use zhifa_core::seal::DeviceKey;
use zhifa_core::sync::{
    CheckRequest, CheckResponse, LoginRequest, LoginResponse, SnapshotRequest, SnapshotResponse,
    SyncRequest, SyncResponse,
};
use zhifa_device::sync::Transport;
use zhifa_device::{App, DeviceError, Result};

use common::Offline;

/// A bureau server that signs credentials with `key` (or, when `forge`,
/// with another key) and refuses them when `refuse`.
struct Bureau {
    key: DeviceKey,
    issued: AtomicUsize,
    forge: bool,
    refuse: bool,
}

impl Bureau {
    fn new(forge: bool, refuse: bool) -> Arc<Bureau> {
        Arc::new(Bureau {
            key: DeviceKey::from_secret([3; 32]),
            issued: AtomicUsize::new(0),
            forge,
            refuse,
        })
    }
}

impl Transport for Bureau {
    fn login(&self, req: &LoginRequest) -> Result<LoginResponse> {
        let mut r = Offline.login(req)?;
        r.server_public_key = self.key.public_hex();
        Ok(r)
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
    fn upload(&self, _: &str, _: &str, _: &Path, _: u64, _: &(dyn Fn(u64) + Sync)) -> Result<()> {
        Ok(())
    }
    fn download(&self, _: &str, _: &str) -> Result<Box<dyn std::io::Read + Send>> {
        Err(DeviceError::Network("离线".into()))
    }
    fn credential(&self, _: &str) -> Result<IssuedCredential> {
        if self.refuse {
            return Err(DeviceError::Forbidden("该账号没有执法证号".into()));
        }
        self.issued.fetch_add(1, Ordering::SeqCst);
        let claims = CredentialClaims {
            version: 1,
            account_id: "acc-zhangwei".into(),
            name: "张伟".into(),
            credential_no: "冀执0723-2023-0101".into(),
            unit_id: "u-jiandu".into(),
            unit_name: "执法监督科".into(),
            scope: vec!["执法人员".into()],
            valid_from: rfc3339(Utc::now()),
            valid_until: rfc3339(Utc::now() + Duration::days(365)),
            issued_at: rfc3339(Utc::now()),
        };
        let key = if self.forge {
            DeviceKey::from_secret([9; 32])
        } else {
            self.key.clone()
        };
        let token = claims
            .sign(&key)
            .map_err(|e| DeviceError::Invalid(e.to_string()))?;
        Ok(IssuedCredential { token, claims })
    }
}

fn logged_in(dir: &Path, bureau: Arc<Bureau>) -> App {
    let app = App::open(dir).expect("open");
    app.set_transport(bureau);
    app.login(
        "https://zhifa.example.gov.cn",
        "zhangwei",
        "demo1234",
        "测试手机",
    )
    .expect("login");
    app
}

#[test]
fn the_card_carries_the_signed_credential_and_works_offline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bureau = Bureau::new(false, false);
    let app = logged_in(dir.path(), bureau.clone());
    assert_eq!(bureau.issued.load(Ordering::SeqCst), 1, "fetched at login");

    let card = app.credential_card().expect("card");
    let token = card.token.clone().expect("token kept");
    assert_eq!(
        card.qr_text,
        format!("https://zhifa.example.gov.cn/gs/credential?t={token}")
    );
    assert!(!card.expired);
    assert!(card.validity.as_deref().is_some_and(|v| v.contains("至")));
    let claims = verify(&card.qr_text, &bureau.key.public_hex(), Utc::now()).expect("verifies");
    assert_eq!(claims.credential_no, "冀执0723-2023-0101");
    assert!(card.qr_text.len() < 600, "{}", card.qr_text.len());

    // A sync within a day does not fetch again.
    app.sync_now().expect("sync");
    assert_eq!(bureau.issued.load(Ordering::SeqCst), 1);

    // Offline (and after a restart) the card still holds the token.
    drop(app);
    let app = App::open(dir.path()).expect("reopen");
    app.set_transport(Arc::new(Offline));
    assert_eq!(app.credential_card().expect("card").token, Some(token));

    // Logout forgets it.
    app.set_transport(bureau.clone());
    app.logout(true).expect("logout");
    assert_eq!(app.cached_credential().expect("read"), None);
}

#[test]
fn a_token_the_server_key_did_not_sign_is_not_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = logged_in(dir.path(), Bureau::new(true, false));
    assert_eq!(app.cached_credential().expect("read"), None);
    let card = app.credential_card().expect("card");
    assert_eq!(card.token, None);
    assert!(
        card.qr_text.contains("冀执0723-2023-0101"),
        "plain text card"
    );
    let err = app.refresh_credential().expect_err("forged");
    assert!(err.to_string().contains("电子执法证无效"), "{err}");
    let report = app.sync_now().expect("sync");
    assert!(
        report.errors.iter().any(|e| e.contains("电子执法证")),
        "{report:?}"
    );
}

#[test]
fn an_account_without_a_credential_keeps_the_plain_card() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = logged_in(dir.path(), Bureau::new(false, true));
    assert_eq!(
        app.refresh_credential().expect("refused is not an error"),
        None
    );
    let report = app.sync_now().expect("sync");
    assert!(report.errors.is_empty(), "{report:?}");
    assert_eq!(app.credential_card().expect("card").token, None);
}
