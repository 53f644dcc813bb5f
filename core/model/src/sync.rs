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
//! 2. Idle check, `POST /api/v1/sync/check` with [`CheckRequest`]: a short
//!    digest of the heads of every case on the device ([`heads_digest`]). The
//!    server compares them with the digests of its stored heads
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
//! 5. Holiday calendar: every [`CheckResponse`] names the version of the
//!    server's calendar ([`CheckResponse::calendar`]). A device whose own
//!    version differs fetches `GET /api/v1/calendar` ([`CalendarPackage`]),
//!    checks the data against the version and keeps it, so a newly published
//!    year (e.g. 2027) reaches every device with its next sync.
//! 6. The device keeps the last [`Receipt`] per case: the server's Ed25519
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseHeads {
    /// Case id (UUID).
    pub case_id: String,
    /// Heads as hex change hashes (any order).
    pub heads: Vec<String>,
}

/// Puts the device's own changes made after `acked` (the heads of its last
/// receipt for the case: the server holds everything up to them) into a
/// first-round sync message that carries none, so that a day's edits reach
/// the server in one round; Automerge's first message carries no changes.
/// Heads the document does not hold are ignored; with none left, every
/// change is sent.
pub fn add_own_changes(
    doc: &mut crate::doc::CaseDoc,
    acked: &[ChangeHash],
    m: &mut automerge::sync::Message,
) {
    if !m.changes.is_empty() {
        return;
    }
    let am = doc.automerge();
    let since: Vec<ChangeHash> = acked
        .iter()
        .copied()
        .filter(|h| am.get_change_by_hash(h).is_some())
        .collect();
    let mine: Vec<u8> = am
        .get_changes(&since)
        .iter()
        .flat_map(|c| c.raw_bytes().to_vec())
        .collect();
    if !mine.is_empty() {
        m.changes = automerge::sync::ChunkList::from(vec![mine]);
    }
}

/// One case's message for the next exchange round, or `None` when this side
/// has nothing to say. On a session's first round pass `own_since` (the heads
/// of the last receipt): the device's own later changes ride along
/// ([`add_own_changes`]); later rounds pass `None`.
pub fn case_message(
    case_id: &str,
    doc: &mut crate::doc::CaseDoc,
    state: &mut automerge::sync::State,
    own_since: Option<&[ChangeHash]>,
) -> Option<CaseMessage> {
    use automerge::sync::SyncDoc;
    let mut m = doc.automerge().sync().generate_sync_message(state)?;
    if let Some(since) = own_since {
        add_own_changes(doc, since, &mut m);
    }
    Some(CaseMessage {
        case_id: case_id.to_string(),
        message: Some(m.encode()),
    })
}

/// Most cases in one idle check; a longer [`CheckRequest`] does not parse.
pub const MAX_CHECK_CASES: usize = 10_000;

/// Domain-separation prefix of heads digests.
const HEADS_DOMAIN: &str = "zhifa-heads-v1|";

/// Bytes of SHA-256 kept in a heads digest (72 bits).
pub const HEADS_DIGEST_BYTES: usize = 9;

/// Characters of a heads digest on the wire (base64url of 9 bytes, no padding).
pub const HEADS_DIGEST_CHARS: usize = 12;

/// The digest of a set of heads as sent in an idle check: the first
/// [`HEADS_DIGEST_BYTES`] bytes of SHA-256 over `zhifa-heads-v1|` followed by
/// the heads as sorted lowercase hex joined with `,`, in base64url without
/// padding (12 characters). Equal head sets give equal digests.
pub fn heads_digest(heads: &[ChangeHash]) -> String {
    heads_digest_of_key(&heads_to_hex(heads).join(","))
}

/// [`heads_digest`] of hex heads (any order).
pub fn heads_digest_hex(heads: &[String]) -> String {
    let mut v: Vec<&str> = heads.iter().map(String::as_str).collect();
    v.sort_unstable();
    heads_digest_of_key(&v.join(","))
}

/// [`heads_digest`] of heads already sorted and joined with `,` (the
/// server's stored column form).
pub fn heads_digest_of_key(sorted_joined: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(HEADS_DOMAIN.as_bytes());
    h.update(sorted_joined.as_bytes());
    let d = h.finalize();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&d[..HEADS_DIGEST_BYTES])
}

/// Whether a string has the form of a heads digest.
pub fn is_heads_digest(s: &str) -> bool {
    s.len() == HEADS_DIGEST_CHARS
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// One case of an idle check: its id and the digest of the device's heads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseDigest {
    /// Case id (UUID).
    pub case_id: String,
    /// [`heads_digest`] of the device's heads.
    pub digest: String,
}

impl CaseDigest {
    /// The digest entry of a case with its heads.
    pub fn new(case_id: impl Into<String>, heads: &[ChangeHash]) -> CaseDigest {
        CaseDigest {
            case_id: case_id.into(),
            digest: heads_digest(heads),
        }
    }
}

impl From<CaseHeads> for CaseDigest {
    fn from(c: CaseHeads) -> CaseDigest {
        CaseDigest {
            digest: heads_digest_hex(&c.heads),
            case_id: c.case_id,
        }
    }
}

/// The cases of an idle check, in the order given. On the wire a JSON object
/// `{"<case_id>": "<digest>", ...}`. Collect it from [`CaseDigest`]s or from
/// [`CaseHeads`] (digested on the way).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckCases(pub Vec<CaseDigest>);

impl std::ops::Deref for CheckCases {
    type Target = Vec<CaseDigest>;
    fn deref(&self) -> &Vec<CaseDigest> {
        &self.0
    }
}

impl std::ops::DerefMut for CheckCases {
    fn deref_mut(&mut self) -> &mut Vec<CaseDigest> {
        &mut self.0
    }
}

impl FromIterator<CaseDigest> for CheckCases {
    fn from_iter<I: IntoIterator<Item = CaseDigest>>(iter: I) -> CheckCases {
        CheckCases(iter.into_iter().collect())
    }
}

impl FromIterator<CaseHeads> for CheckCases {
    fn from_iter<I: IntoIterator<Item = CaseHeads>>(iter: I) -> CheckCases {
        CheckCases(iter.into_iter().map(CaseDigest::from).collect())
    }
}

impl IntoIterator for CheckCases {
    type Item = CaseDigest;
    type IntoIter = std::vec::IntoIter<CaseDigest>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Serialize for CheckCases {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for c in &self.0 {
            m.serialize_entry(&c.case_id, &c.digest)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for CheckCases {
    /// The object form `{"<case_id>": "<digest>"}`; also the first
    /// protocol's array `[{"case_id", "heads": [hex]}]`, digested here.
    /// Duplicate case ids, malformed digests and malformed heads are errors.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = CheckCases;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of case ids to heads digests")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<CheckCases, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
                let mut seen = std::collections::HashSet::new();
                while let Some((case_id, digest)) = map.next_entry::<String, String>()? {
                    if out.len() == MAX_CHECK_CASES {
                        return Err(serde::de::Error::custom(format!(
                            "一次最多检查 {MAX_CHECK_CASES} 个案件"
                        )));
                    }
                    if !is_heads_digest(&digest) {
                        return Err(serde::de::Error::custom(format!(
                            "案件 {case_id} 的状态摘要格式错误"
                        )));
                    }
                    if !seen.insert(case_id.clone()) {
                        return Err(serde::de::Error::custom(format!("案件 {case_id} 重复")));
                    }
                    out.push(CaseDigest { case_id, digest });
                }
                Ok(CheckCases(out))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<CheckCases, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                let mut seen = std::collections::HashSet::new();
                while let Some(c) = seq.next_element::<CaseHeads>()? {
                    if out.len() == MAX_CHECK_CASES {
                        return Err(serde::de::Error::custom(format!(
                            "一次最多检查 {MAX_CHECK_CASES} 个案件"
                        )));
                    }
                    if c.heads.iter().any(|h| !crate::media::is_sha256_hex(h)) {
                        return Err(serde::de::Error::custom("变更哈希必须是 64 位小写十六进制"));
                    }
                    if !seen.insert(c.case_id.clone()) {
                        return Err(serde::de::Error::custom(format!("案件 {} 重复", c.case_id)));
                    }
                    out.push(CaseDigest::from(c));
                }
                Ok(CheckCases(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// `POST /api/v1/sync/check`: the idle check. On the wire:
/// `{"cases": {"<case_id>": "<heads digest>", ...}}`, about 54 bytes per case.
///
/// Build it with [`CheckRequest::from_heads`] (or [`CheckRequest::from_hex_heads`]);
/// `CheckRequest { cases: iter_of_case_heads.collect() }` works too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckRequest {
    /// Every case on the device with the digest of its current heads:
    /// `{"<case_id>": "<heads digest>"}` (12 characters of base64url each).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = std::collections::BTreeMap<String, String>)
    )]
    pub cases: CheckCases,
}

impl CheckRequest {
    /// The idle check of cases with their heads.
    pub fn from_heads(cases: impl IntoIterator<Item = (String, Vec<ChangeHash>)>) -> CheckRequest {
        CheckRequest {
            cases: cases
                .into_iter()
                .map(|(id, heads)| CaseDigest::new(id, &heads))
                .collect(),
        }
    }

    /// The idle check of cases with their heads as hex (any order).
    pub fn from_hex_heads(cases: impl IntoIterator<Item = (String, Vec<String>)>) -> CheckRequest {
        CheckRequest {
            cases: cases
                .into_iter()
                .map(|(case_id, heads)| CaseHeads { case_id, heads })
                .collect(),
        }
    }
}

/// Answer to an idle check. A case the device sent that appears in no list is
/// identical on both sides: nothing to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Version of the server's holiday calendar
    /// ([`crate::deadlines::Calendar::version`]); a device with another
    /// version fetches `GET /api/v1/calendar`. Absent from older servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
}

/// `GET /api/v1/calendar`: the server's whole holiday calendar (the embedded
/// years plus any the office loaded), in the `cn_calendar.json` schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarPackage {
    /// [`crate::deadlines::Calendar::version`] of `calendar`.
    pub version: String,
    /// The years covered, ascending.
    pub years: Vec<i32>,
    /// When the office last loaded calendar data (RFC 3339), if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loaded_at: Option<String>,
    /// The data: `{"2027": {"holidays": [...], "workdays": [...], ...}, ...}`.
    pub calendar: serde_json::Value,
}

impl CalendarPackage {
    /// Packs a calendar for the wire.
    pub fn new(calendar: &crate::deadlines::Calendar, loaded_at: Option<String>) -> Self {
        CalendarPackage {
            version: calendar.version().to_string(),
            years: calendar.covered_years(),
            loaded_at,
            calendar: calendar.to_value(),
        }
    }

    /// Parses and validates the data, and checks it is the version announced
    /// (a truncated or altered package is refused, never half-applied).
    pub fn calendar(&self) -> Result<crate::deadlines::Calendar> {
        let cal = crate::deadlines::Calendar::from_json(&self.calendar.to_string())
            .map_err(|e| CoreError::InvalidInput(format!("节假日日历无效: {e}")))?;
        if cal.version() != self.version {
            return Err(CoreError::InvalidInput(format!(
                "节假日日历版本不符: 声明 {}, 实际 {}",
                self.version,
                cal.version()
            )));
        }
        Ok(cal)
    }
}

/// One case's Automerge sync message in an exchange round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseMessage {
    /// Case id (UUID).
    pub case_id: String,
    /// `automerge::sync::Message::encode()`, base64; `null` when the device
    /// has nothing to say but wants the server's next message.
    #[serde(with = "b64_opt", default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Byte))]
    pub message: Option<Vec<u8>>,
}

/// `POST /api/v1/sync/exchange`: one round for several cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncRequest {
    /// One message per case (each case at most once).
    pub messages: Vec<CaseMessage>,
}

/// The server's side of one case in an exchange round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSyncResult {
    /// Case id.
    pub case_id: String,
    /// The server's next sync message, base64; `null` when it has nothing to send.
    #[serde(with = "b64_opt", default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Byte))]
    pub message: Option<Vec<u8>>,
    /// The server's heads after this round (empty while a new case has not
    /// been uploaded yet).
    pub heads: Vec<String>,
    /// How many of the device's changes this round stored.
    pub accepted_changes: u32,
    /// Signed proof of the server's heads at `server_time`; absent while the
    /// server has no document for the case yet.
    pub receipt: Option<Receipt>,
    /// Set when the server refused this case's changes: nothing of them was
    /// stored, the device's other cases are not affected. The code names the
    /// rule (`stage_gate`, `seal_rewrite`, `foreign_actor`, `forbidden` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<ErrorBody>,
}

/// Answer to an exchange round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncResponse {
    /// Server time (RFC 3339).
    pub server_time: String,
    /// One result per case of the request, in the same order.
    pub cases: Vec<CaseSyncResult>,
}

/// `POST /api/v1/sync/snapshots`: whole documents for cases the device lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotRequest {
    /// Case ids (from [`CheckResponse::available`]).
    pub case_ids: Vec<String>,
}

/// One saved case document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSnapshot {
    /// Case id.
    pub case_id: String,
    /// Heads of the document.
    pub heads: Vec<String>,
    /// `Automerge::save()` bytes, base64 (load with `CaseDoc::load`).
    #[serde(with = "b64")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Byte))]
    pub document: Vec<u8>,
    /// Signed receipt of these heads.
    pub receipt: Receipt,
}

/// Answer to a snapshot request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotResponse {
    /// The documents.
    pub snapshots: Vec<CaseSnapshot>,
}

/// The server's signed statement that it held a case at given heads at a
/// given time, for a given device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
mod tests;
