//! The server's Ed25519 receipt key and signed receipts.

use std::path::Path;

use axum::extract::State;
use zhifa_core::seal::DeviceKey;
use zhifa_core::sync::{Receipt, ServerKey, PROTOCOL_VERSION};

use crate::extract::Json;
use crate::state::AppState;
use crate::store::ReceiptRow;

/// Loads the server key from `path` (64 hex characters of secret), creating
/// it with fresh OS randomness on first run.
pub fn load_or_create_key(path: &Path) -> std::io::Result<DeviceKey> {
    if path.exists() {
        let text = std::fs::read_to_string(path)?;
        let secret: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "server key file is not 64 hex characters",
                )
            })?;
        return Ok(DeviceKey::from_secret(secret));
    }
    let mut secret = [0u8; 32];
    getrandom::getrandom(&mut secret).map_err(std::io::Error::other)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension("tmp");
    write_private(&tmp, hex::encode(secret).as_bytes())?;
    std::fs::rename(&tmp, path)?;
    let key = DeviceKey::from_secret(secret);
    tracing::info!(public_key = %key.public_hex(), "server receipt key created");
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// Signs a receipt for a device: the case, the server's heads, the time.
pub fn sign(
    key: &DeviceKey,
    case_id: &str,
    heads: &[String],
    server_time: &str,
    device_id: &str,
) -> Receipt {
    let mut heads = heads.to_vec();
    heads.sort_unstable();
    let signature = key.sign_hex(&Receipt::message(case_id, &heads, server_time, device_id));
    Receipt {
        case_id: case_id.into(),
        heads,
        server_time: server_time.into(),
        device_id: device_id.into(),
        signature,
    }
}

/// The row the server keeps of a receipt it issued.
pub fn row(r: &Receipt) -> ReceiptRow {
    ReceiptRow {
        case_id: r.case_id.clone(),
        device_id: r.device_id.clone(),
        heads: r.heads.join(","),
        server_time: r.server_time.clone(),
        signature: r.signature.clone(),
    }
}

/// `GET /api/v1/server-key`.
#[utoipa::path(
    get,
    path = "/server-key",
    operation_id = "get_server_key",
    tag = "auth",
    summary = "The server's receipt key (public)",
    responses((status = 200, description = "The Ed25519 public key receipts are signed with", body = ServerKey))
)]
pub async fn server_key(State(state): State<AppState>) -> Json<ServerKey> {
    Json(ServerKey {
        algorithm: "ed25519".into(),
        public_key: state.key().public_hex(),
        protocol: PROTOCOL_VERSION,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_persists_and_receipts_verify() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.hex");
        let k1 = load_or_create_key(&p).unwrap();
        let k2 = load_or_create_key(&p).unwrap();
        assert_eq!(k1.public_hex(), k2.public_hex());
        let r = sign(
            &k1,
            "c",
            &["b".repeat(64), "a".repeat(64)],
            "2026-01-01T00:00:00Z",
            "d",
        );
        assert!(r.verify(&k2.public_hex()).is_ok());
    }
}
