//! The sync protocol's wire types, shared by the server and the devices.
//!
//! Everything travels as JSON over HTTPS with a bearer token
//! (`Authorization: Bearer <token>`). Change hashes (Automerge heads) are
//! 64 lowercase hex characters; binary payloads (Automerge sync messages and
//! saved documents) are standard base64 with padding.
//!
//! Message flow (see `server/README.md` for the endpoints):
//!
//! 1. `POST /api/v1/auth/login` with [`LoginRequest`]: registers the device's
//!    Ed25519 public key and Automerge actor id, returns a [`LoginResponse`]
//!    with the device token (shown once; the server keeps only its SHA-256).
//! 2. Idle check, `POST /api/v1/sync/check` with [`CheckRequest`]: the heads of
//!    every case on the device. The server compares them with its stored heads
//!    (no document is loaded) and answers [`CheckResponse`]: which cases
//!    differ, which it does not know yet (upload them), which the device may
//!    not sync, and which of the officer's cases the device does not have.
//! 3. Cases the device lacks: `POST /api/v1/sync/snapshots` with
//!    [`SnapshotRequest`], answered by whole saved documents ([`CaseSnapshot`]).
//! 4. Changed or new cases: rounds of `POST /api/v1/sync/exchange` with
//!    [`SyncRequest`] (one Automerge sync message per case, all cases in one
//!    request) answered by [`SyncResponse`] (the server's next message per case,
//!    its heads and a signed [`Receipt`]). The device repeats with the cases for
//!    which either side still has a message, until none is left.
//!    A change whose actor is not the device's registered actor is refused with
//!    403 and nothing of the request is stored.
//! 5. The device keeps the last [`Receipt`] per case: the server's Ed25519
//!    signature (key at `GET /api/v1/server-key`, [`ServerKey`]) over the case,
//!    its heads and the server time proves when evidence reached the office.

use automerge::ChangeHash;
use serde::{Deserialize, Serialize};

use crate::case::OfficerStatus;
use crate::error::{CoreError, Result};
use crate::seal::verify_hex;

/// Version of this protocol; sent in [`LoginResponse`] and [`ServerKey`].
pub const PROTOCOL_VERSION: u32 = 1;

/// Domain-separation prefix of receipt signatures.
const RECEIPT_DOMAIN: &str = "zhifa-receipt-v1";

/// Header carrying the upload offset (tus 1.0).
pub const UPLOAD_OFFSET: &str = "upload-offset";
/// Header carrying the upload's total length (tus 1.0).
pub const UPLOAD_LENGTH: &str = "upload-length";
/// Header naming the tus protocol version.
pub const TUS_RESUMABLE: &str = "tus-resumable";
/// The tus protocol version the server speaks.
pub const TUS_VERSION: &str = "1.0.0";
/// Content type of a tus PATCH body.
pub const OFFSET_OCTET_STREAM: &str = "application/offset+octet-stream";

/// Roles an account may hold (one account may hold several).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 执法人员: works cases assigned to them.
    Officer,
    /// 科室负责人: reads and approves the cases of their unit.
    UnitHead,
    /// 局领导: reads and approves every case.
    Leader,
    /// 法制审核人员: reviews major decisions, reads every case.
    LegalReviewer,
    /// 办公室联络员: publicity and the officer roster.
    OfficeLiaison,
    /// 档案管理员: files closed cases.
    Archivist,
    /// 系统管理员: accounts and devices.
    Admin,
}

impl Role {
    /// All roles.
    pub const ALL: [Role; 7] = [
        Role::Officer,
        Role::UnitHead,
        Role::Leader,
        Role::LegalReviewer,
        Role::OfficeLiaison,
        Role::Archivist,
        Role::Admin,
    ];

    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Role::Officer => "执法人员",
            Role::UnitHead => "科室负责人",
            Role::Leader => "局领导",
            Role::LegalReviewer => "法制审核人员",
            Role::OfficeLiaison => "办公室联络员",
            Role::Archivist => "档案管理员",
            Role::Admin => "系统管理员",
        }
    }

    /// The snake_case name used on the wire and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::UnitHead => "unit_head",
            Role::Leader => "leader",
            Role::LegalReviewer => "legal_reviewer",
            Role::OfficeLiaison => "office_liaison",
            Role::Archivist => "archivist",
            Role::Admin => "admin",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The device a login registers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRegistration {
    /// A human name for the device, e.g. `华为 Mate 60 (张伟)`.
    pub name: String,
    /// The device's Ed25519 public key, 64 hex characters
    /// ([`crate::seal::DeviceKey::public_hex`]).
    pub public_key: String,
    /// The device's Automerge actor id, hex (16 bytes = 32 hex characters is usual).
    pub actor_id: String,
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    /// Account name, e.g. `zhangwei`.
    pub username: String,
    /// Password.
    pub password: String,
    /// The device to register and bind the token to.
    pub device: DeviceRegistration,
}

/// An account as the server describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficerInfo {
    /// Account id (used as `created_by`, officer ids and actors in case documents).
    pub id: String,
    /// Login name.
    pub username: String,
    /// Name (姓名).
    pub name: String,
    /// Post (职务).
    pub post: String,
    /// Credential number (执法证号); empty for staff without one.
    pub credential_no: String,
    /// Unit id; a case header's `unit` is this id.
    pub unit_id: String,
    /// Unit name (科室名称).
    pub unit_name: String,
    /// Credential status.
    pub status: OfficerStatus,
    /// Roles.
    pub roles: Vec<Role>,
}

/// Answer to a login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    /// The device token: 32 random bytes, hex. Shown once; send it as
    /// `Authorization: Bearer <token>`.
    pub token: String,
    /// The registered device's id.
    pub device_id: String,
    /// The account.
    pub officer: OfficerInfo,
    /// The server's receipt key (hex Ed25519 public key).
    pub server_public_key: String,
    /// [`PROTOCOL_VERSION`].
    pub protocol: u32,
}

/// `GET /api/v1/server-key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerKey {
    /// Always `ed25519`.
    pub algorithm: String,
    /// Public key, 64 hex characters.
    pub public_key: String,
    /// [`PROTOCOL_VERSION`].
    pub protocol: u32,
}

/// A case id and the heads a side has of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseHeads {
    /// Case id (UUID).
    pub case_id: String,
    /// Heads as hex change hashes (any order).
    pub heads: Vec<String>,
}

/// `POST /api/v1/sync/check`: the idle check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CheckRequest {
    /// Every case on the device with its current heads.
    pub cases: Vec<CaseHeads>,
}

/// Answer to an idle check. A case the device sent that appears in no list is
/// identical on both sides: nothing to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CheckResponse {
    /// Server time (RFC 3339).
    pub server_time: String,
    /// Cases whose heads differ: run exchange rounds for them.
    pub changed: Vec<String>,
    /// Cases the server does not have: upload them with exchange rounds.
    pub unknown: Vec<String>,
    /// Cases this account may not sync (another unit's case, ...).
    pub forbidden: Vec<String>,
    /// The account's cases the device did not list, with the server's heads:
    /// fetch them with `POST /api/v1/sync/snapshots`.
    pub available: Vec<CaseHeads>,
}

/// One case's Automerge sync message in an exchange round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMessage {
    /// Case id (UUID).
    pub case_id: String,
    /// `automerge::sync::Message::encode()`, base64; `null` when the device
    /// has nothing to say but wants the server's next message.
    #[serde(with = "b64_opt", default)]
    pub message: Option<Vec<u8>>,
}

/// `POST /api/v1/sync/exchange`: one round for several cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SyncRequest {
    /// One message per case (each case at most once).
    pub messages: Vec<CaseMessage>,
}

/// The server's side of one case in an exchange round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSyncResult {
    /// Case id.
    pub case_id: String,
    /// The server's next sync message, base64; `null` when it has nothing to send.
    #[serde(with = "b64_opt", default)]
    pub message: Option<Vec<u8>>,
    /// The server's heads after this round (empty while a new case has not
    /// been uploaded yet).
    pub heads: Vec<String>,
    /// How many of the device's changes this round stored.
    pub accepted_changes: u32,
    /// Signed proof of the server's heads at `server_time`; absent while the
    /// server has no document for the case yet.
    pub receipt: Option<Receipt>,
}

/// Answer to an exchange round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SyncResponse {
    /// Server time (RFC 3339).
    pub server_time: String,
    /// One result per case of the request, in the same order.
    pub cases: Vec<CaseSyncResult>,
}

/// `POST /api/v1/sync/snapshots`: whole documents for cases the device lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SnapshotRequest {
    /// Case ids (from [`CheckResponse::available`]).
    pub case_ids: Vec<String>,
}

/// One saved case document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSnapshot {
    /// Case id.
    pub case_id: String,
    /// Heads of the document.
    pub heads: Vec<String>,
    /// `Automerge::save()` bytes, base64 (load with `CaseDoc::load`).
    #[serde(with = "b64")]
    pub document: Vec<u8>,
    /// Signed receipt of these heads.
    pub receipt: Receipt,
}

/// Answer to a snapshot request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SnapshotResponse {
    /// The documents.
    pub snapshots: Vec<CaseSnapshot>,
}

/// The server's signed statement that it held a case at given heads at a
/// given time, for a given device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// Case id.
    pub case_id: String,
    /// The server's heads, sorted hex.
    pub heads: Vec<String>,
    /// Server time (RFC 3339, UTC).
    pub server_time: String,
    /// The device the receipt was issued to.
    pub device_id: String,
    /// Ed25519 signature (hex) of [`Receipt::message`] by the server key.
    pub signature: String,
}

impl Receipt {
    /// The bytes the server signs.
    pub fn message(case_id: &str, heads: &[String], server_time: &str, device_id: &str) -> Vec<u8> {
        let mut heads: Vec<&str> = heads.iter().map(String::as_str).collect();
        heads.sort_unstable();
        format!(
            "{RECEIPT_DOMAIN}|{case_id}|{}|{server_time}|{device_id}",
            heads.join(",")
        )
        .into_bytes()
    }

    /// Verifies the signature with the server's public key (hex).
    pub fn verify(&self, server_public_hex: &str) -> Result<()> {
        verify_hex(
            server_public_hex,
            &Receipt::message(
                &self.case_id,
                &self.heads,
                &self.server_time,
                &self.device_id,
            ),
            &self.signature,
        )
    }
}

/// One media file a case expects that the server does not have yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingMedia {
    /// SHA-256, hex.
    pub sha256: String,
    /// MIME type.
    pub mime: String,
    /// Size in bytes.
    pub size: u64,
    /// The record the file belongs to.
    pub record_id: String,
}

/// `GET /api/v1/cases/{id}/media/missing`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MissingMediaResponse {
    /// Case id.
    pub case_id: String,
    /// Number of media files the case refers to.
    pub expected: u32,
    /// The ones not (completely) uploaded.
    pub missing: Vec<MissingMedia>,
}

/// Every error response: a Chinese message and a machine code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Message for users (Simplified Chinese).
    pub error: String,
    /// Machine code, e.g. `forbidden`, `bad_token`, `foreign_actor`.
    pub code: String,
}

/// Heads as sorted hex strings.
pub fn heads_to_hex(heads: &[ChangeHash]) -> Vec<String> {
    let mut v: Vec<String> = heads.iter().map(|h| hex::encode(h.0)).collect();
    v.sort_unstable();
    v
}

/// Parses hex heads; an invalid hash is an error.
pub fn heads_from_hex(heads: &[String]) -> Result<Vec<ChangeHash>> {
    heads
        .iter()
        .map(|h| {
            if !crate::media::is_sha256_hex(h) {
                return Err(CoreError::InvalidInput(format!("变更哈希格式错误: {h}")));
            }
            h.parse::<ChangeHash>()
                .map_err(|_| CoreError::InvalidInput(format!("变更哈希格式错误: {h}")))
        })
        .collect()
}

mod b64 {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        STANDARD
            .decode(s.as_bytes())
            .map_err(serde::de::Error::custom)
    }
}

mod b64_opt {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => s.serialize_str(&STANDARD.encode(b)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        let s = <Option<std::borrow::Cow<'de, str>>>::deserialize(d)?;
        s.map(|s| {
            STANDARD
                .decode(s.as_bytes())
                .map_err(serde::de::Error::custom)
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::DeviceKey;

    #[test]
    fn receipt_signs_and_verifies() {
        let key = DeviceKey::from_secret([7; 32]);
        let heads = vec!["b".repeat(64), "a".repeat(64)];
        let t = "2026-03-02T02:00:00Z";
        let sig = key.sign_hex(&Receipt::message("c1", &heads, t, "d1"));
        let r = Receipt {
            case_id: "c1".into(),
            heads: heads.clone(),
            server_time: t.into(),
            device_id: "d1".into(),
            signature: sig,
        };
        assert!(r.verify(&key.public_hex()).is_ok());
        let forged = Receipt {
            server_time: "2026-03-01T02:00:00Z".into(),
            ..r.clone()
        };
        assert!(forged.verify(&key.public_hex()).is_err());
        assert!(r
            .verify(&DeviceKey::from_secret([8; 32]).public_hex())
            .is_err());
    }

    #[test]
    fn messages_round_trip_as_base64_json() {
        let req = SyncRequest {
            messages: vec![
                CaseMessage {
                    case_id: "c1".into(),
                    message: Some(vec![0x42, 0, 255]),
                },
                CaseMessage {
                    case_id: "c2".into(),
                    message: None,
                },
            ],
        };
        let json = serde_json::to_string(&req).unwrap();
        assert!(json.contains("\"QgD/\""), "{json}");
        assert_eq!(serde_json::from_str::<SyncRequest>(&json).unwrap(), req);
        let missing: CaseMessage = serde_json::from_str(r#"{"case_id":"c3"}"#).unwrap();
        assert_eq!(missing.message, None);
        assert!(serde_json::from_str::<CaseMessage>(r#"{"case_id":"c3","message":"!!"}"#).is_err());
    }

    #[test]
    fn heads_hex_round_trip_and_reject_bad_hashes() {
        let h = ChangeHash([3; 32]);
        let hex = heads_to_hex(&[h]);
        assert_eq!(heads_from_hex(&hex).unwrap(), vec![h]);
        assert!(heads_from_hex(&["xyz".into()]).is_err());
        assert!(heads_from_hex(&["A".repeat(64)]).is_err());
    }

    #[test]
    fn roles_parse_their_names() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.as_str())
            );
        }
        assert_eq!(Role::parse("root"), None);
    }
}
