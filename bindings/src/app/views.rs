//! View records the shells render (labels are already Chinese; nothing is
//! decided here). zhifa-device's view models cross the FFI as uniffi remote
//! records: the mirror below names each field, uniffi reads and builds the
//! real struct, so a field added, removed or retyped in the engine fails to
//! compile here instead of drifting. The records converted by hand add
//! something the engine does not have (file paths, labels of core types,
//! JSON values as text).

use zhifa_device::app::views as v;

use super::choices::{
    DeadlineState, FieldType, ObligationState, Role, SignerRole, Stage, SyncState, UploadState,
};
use zhifa_core::wire_name;

/// A point on the map (WGS-84).
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct GeoPoint {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
}

impl From<(f64, f64)> for GeoPoint {
    fn from((lat, lon): (f64, f64)) -> Self {
        GeoPoint { lat, lon }
    }
}

impl From<GeoPoint> for (f64, f64) {
    fn from(g: GeoPoint) -> Self {
        (g.lat, g.lon)
    }
}

/// The logged-in officer.
pub type OfficerInfo = v::OfficerView;

/// The logged-in officer.
#[uniffi::remote(Record)]
pub struct OfficerInfo {
    /// Account id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Name.
    pub name: String,
    /// Unit id.
    pub unit_id: String,
    /// Unit name.
    pub unit_name: String,
    /// 执法证号.
    pub credential_no: String,
    /// This device's id on the server.
    pub device_id: String,
    /// Roles in Chinese.
    pub roles: Vec<String>,
    /// The same roles as values.
    pub role_codes: Vec<Role>,
}

/// 亮证: the credential card with its QR code.
pub type CredentialInfo = zhifa_device::app::CredentialCard;

/// 亮证: the credential card with its QR code.
#[uniffi::remote(Record)]
pub struct CredentialInfo {
    /// Name.
    pub name: String,
    /// Unit.
    pub unit_name: String,
    /// 执法证号.
    pub credential_no: String,
    /// Roles in Chinese.
    pub roles: Vec<String>,
    /// When shown (RFC 3339).
    pub shown_at: String,
    /// Text inside the QR code: the check URL of the electronic credential
    /// (`<server>/gs/credential?t=<token>`) when the device holds one.
    pub qr_text: String,
    /// The QR code as PNG bytes.
    pub qr_png: Vec<u8>,
    /// The electronic credential (电子执法证) token, when the device holds one.
    pub token: Option<String>,
    /// Its validity in Chinese (`2026-12-05 04:00 至 2027-12-05 04:00`).
    pub validity: Option<String>,
    /// Its end (RFC 3339).
    pub valid_until: Option<String>,
    /// The kept token is past its validity (refreshed at the next sync).
    pub expired: bool,
}

/// A deadline badge on a case row.
pub type DeadlineBadge = v::DeadlineBadge;

/// A deadline badge on a case row.
#[uniffi::remote(Record)]
pub struct DeadlineBadge {
    /// Due day `YYYY-MM-DD`.
    pub due: String,
    /// What is due (Chinese).
    pub what: String,
    /// How near it is (colour the badge by it).
    pub state: DeadlineState,
    /// The badge text (Chinese).
    pub text: String,
}

/// One row of the case list.
pub type CaseRow = v::CaseListItem;

/// One row of the case list.
#[uniffi::remote(Record)]
pub struct CaseRow {
    /// Case id.
    pub id: String,
    /// Title.
    pub title: String,
    /// First party's name.
    pub party: String,
    /// Kind label.
    pub kind: String,
    /// Stage label.
    pub stage: String,
    /// The stage (`null` only for a stage this version does not know).
    pub stage_code: Option<Stage>,
    /// Next deadline, if any.
    pub badge: Option<DeadlineBadge>,
    /// Sync state.
    pub sync_state: SyncState,
    /// Sync state label.
    pub sync_label: String,
    /// Last change (RFC 3339).
    pub updated_at: String,
}

/// An incremental change to a watched case list.
#[allow(clippy::large_enum_variant)] // crosses the FFI by value; boxing buys nothing
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum CaseListUpdate {
    /// The whole list.
    Reset {
        /// Rows in display order.
        rows: Vec<CaseRow>,
    },
    /// One row added or changed.
    Upsert {
        /// The row.
        row: CaseRow,
    },
    /// One row no longer matches.
    Remove {
        /// Case id.
        case_id: String,
    },
}

impl From<v::ListUpdate> for CaseListUpdate {
    fn from(u: v::ListUpdate) -> Self {
        match u {
            v::ListUpdate::Reset(rows) => CaseListUpdate::Reset { rows },
            v::ListUpdate::Upsert(row) => CaseListUpdate::Upsert { row: *row },
            v::ListUpdate::Remove(case_id) => CaseListUpdate::Remove { case_id },
        }
    }
}

/// A record (文书) in a case.
pub type RecordRow = v::RecordItem;

/// A record (文书) in a case.
#[uniffi::remote(Record)]
pub struct RecordRow {
    /// Record id.
    pub id: String,
    /// Template id.
    pub template: String,
    /// Chinese name.
    pub name: String,
    /// Revision (1 = original).
    pub revision: u32,
    /// Sealed.
    pub sealed: bool,
    /// Sealed, but the content no longer matches the seal (封存已破坏);
    /// signing is refused.
    pub seal_broken: bool,
    /// Replaced by an amendment.
    pub superseded: bool,
    /// Labels of required fields still empty.
    pub missing_fields: Vec<String>,
    /// Signatures still missing (Chinese).
    pub missing_signatures: Vec<String>,
    /// Media files attached.
    pub media: u32,
}

/// A photo, audio or video file of a case.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MediaInfo {
    /// SHA-256 (hex).
    pub sha256: String,
    /// MIME type.
    pub mime: String,
    /// Bytes.
    pub size: u64,
    /// Record it belongs to.
    pub record_id: String,
    /// Capture time.
    pub captured_at: String,
    /// Where it was taken.
    pub gps: Option<GeoPoint>,
    /// The file on this device, if present.
    pub path: Option<String>,
    /// The thumbnail file on this device, if any.
    pub thumb_path: Option<String>,
    /// Whether the file is on this device.
    pub present: bool,
    /// Upload state.
    pub upload: UploadState,
    /// Upload state in Chinese (待上传, 已上传, 文件已损坏, 仅在服务器).
    pub upload_label: String,
}

impl MediaInfo {
    /// The view item with file paths resolved by `path_of`.
    pub(crate) fn from_item(
        m: v::MediaItem,
        path_of: impl Fn(&str) -> Option<String>,
    ) -> MediaInfo {
        MediaInfo {
            path: if m.present { path_of(&m.sha256) } else { None },
            thumb_path: m.thumb.as_deref().and_then(&path_of),
            sha256: m.sha256,
            mime: m.mime,
            size: m.size,
            record_id: m.record_id,
            captured_at: m.captured_at,
            gps: m.gps.map(Into::into),
            present: m.present,
            upload_label: m.upload.label().to_string(),
            upload: m.upload,
        }
    }
}

/// A party (当事人) as shown: the identity number masked.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PartyInfo {
    /// Party id.
    pub id: String,
    /// Kind label (自然人, 法人, 其他组织).
    pub kind: String,
    /// Name.
    pub name: String,
    /// Masked identity number.
    pub id_number: String,
    /// Legal representative or responsible person.
    pub representative: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
}

impl From<zhifa_core::case::Party> for PartyInfo {
    fn from(p: zhifa_core::case::Party) -> Self {
        PartyInfo {
            id_number: p.display_id_number(),
            id: p.id,
            kind: p.kind.label().to_string(),
            name: p.name,
            representative: p.representative,
            address: p.address,
            phone: p.phone,
        }
    }
}

/// An officer recorded in a case.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CaseOfficer {
    /// Account id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Post.
    pub post: String,
    /// 执法证号.
    pub credential_no: String,
    /// Unit.
    pub unit: String,
    /// Whether the credential is valid.
    pub active: bool,
}

impl From<zhifa_core::case::Officer> for CaseOfficer {
    fn from(o: zhifa_core::case::Officer) -> Self {
        CaseOfficer {
            active: o.status == zhifa_core::case::OfficerStatus::Active,
            id: o.id,
            name: o.name,
            post: o.post,
            credential_no: o.credential_no,
            unit: o.unit,
        }
    }
}

/// One entry of a case's history.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EventInfo {
    /// Kind (`created`, `record_sealed`, ...).
    pub kind: String,
    /// When.
    pub at: String,
    /// Who (account id).
    pub actor: String,
    /// On which device.
    pub device: String,
    /// What it concerned (record id, ...).
    pub target: Option<String>,
    /// The stored detail.
    pub detail: String,
    /// Who, by name.
    pub actor_name: String,
    /// The entry in words (names and roles, field labels, record names;
    /// no ids), from zhifa-core.
    pub description: String,
}

impl From<zhifa_device::app::views::EventView> for EventInfo {
    fn from(e: zhifa_device::app::views::EventView) -> Self {
        EventInfo {
            kind: wire_name(&e.kind),
            at: e.at,
            actor: e.actor,
            device: e.device,
            target: e.target,
            detail: e.detail,
            actor_name: e.actor_name,
            description: e.description,
        }
    }
}

/// The server's signed receipt of the case's last sync.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReceiptInfo {
    /// The server's heads.
    pub heads: Vec<String>,
    /// Server time.
    pub server_time: String,
    /// Ed25519 signature (hex).
    pub signature: String,
}

/// A case as the case screen shows it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CaseDetail {
    /// Case id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Kind label.
    pub kind: String,
    /// Stage label.
    pub stage: String,
    /// The stage.
    pub stage_code: Stage,
    /// Next stage label, if any.
    pub next_stage: Option<String>,
    /// What blocks the next stage (Chinese, with articles).
    pub blocking: Vec<String>,
    /// Source label.
    pub source: String,
    /// Unit.
    pub unit: String,
    /// Parties.
    pub parties: Vec<PartyInfo>,
    /// Officers.
    pub officers: Vec<CaseOfficer>,
    /// Records.
    pub records: Vec<RecordRow>,
    /// Media files.
    pub media: Vec<MediaInfo>,
    /// History.
    pub events: Vec<EventInfo>,
    /// Records whose seal broke in a merge (Chinese).
    pub seal_conflicts: Vec<String>,
    /// Sync state.
    pub sync_state: SyncState,
    /// Sync state label (Chinese).
    pub sync_label: String,
    /// Last receipt, if any.
    pub receipt: Option<ReceiptInfo>,
    /// The server's standing refusal of this case's changes, if any.
    pub sync_refusal: Option<RefusedView>,
}

impl CaseDetail {
    /// The case view with media paths resolved by `path_of`.
    pub(crate) fn from_view(c: v::CaseView, path_of: impl Fn(&str) -> Option<String>) -> Self {
        CaseDetail {
            id: c.id,
            title: c.title,
            kind: c.kind,
            stage: c.stage,
            stage_code: c.stage_code,
            next_stage: c.next_stage,
            blocking: c.blocking,
            source: c.source,
            unit: c.unit,
            parties: c.parties.into_iter().map(Into::into).collect(),
            officers: c.officers.into_iter().map(Into::into).collect(),
            records: c.records,
            media: c
                .media
                .into_iter()
                .map(|m| MediaInfo::from_item(m, &path_of))
                .collect(),
            events: c.events.into_iter().map(Into::into).collect(),
            seal_conflicts: c.seal_conflicts,
            sync_label: c.sync_state.label().to_string(),
            sync_state: c.sync_state,
            receipt: c.receipt.map(|r| ReceiptInfo {
                heads: r.heads,
                server_time: r.server_time,
                signature: r.signature,
            }),
            sync_refusal: c.sync_refusal,
        }
    }
}

/// One field in the record editor.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FieldState {
    /// Key.
    pub key: String,
    /// Chinese label.
    pub label: String,
    /// Field type (the editor switches on it).
    pub field_type: FieldType,
    /// Required before sealing.
    pub required: bool,
    /// Options of a choice.
    pub options: Vec<String>,
    /// Current value as JSON, if set.
    pub value_json: Option<String>,
    /// Current value as display text (是/否, items joined by 、; identity numbers masked), empty if unset.
    pub display: String,
    /// Validation message (Chinese), if any.
    pub message: Option<String>,
}

/// A signature on a record.
pub type SignatureInfo = v::SignatureView;

/// A signature on a record.
#[uniffi::remote(Record)]
pub struct SignatureInfo {
    /// Role label.
    pub role: String,
    /// The role.
    pub role_code: SignerRole,
    /// Signer's name.
    pub name: String,
    /// When.
    pub at: String,
    /// The handwriting image (SHA-256 of the PNG), if kept.
    pub image: Option<String>,
}

/// The record editor.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RecordForm {
    /// Case id.
    pub case_id: String,
    /// Record id.
    pub record_id: String,
    /// Chinese name.
    pub name: String,
    /// The article the record implements.
    pub article: String,
    /// Sealed (read-only).
    pub sealed: bool,
    /// Sealed, but the content shown no longer matches the seal (内容与封存
    /// 不符); signing is refused.
    pub seal_broken: bool,
    /// Seal digest, once sealed.
    pub digest: Option<String>,
    /// Fields in display order.
    pub fields: Vec<FieldState>,
    /// Labels of required fields still empty.
    pub missing_fields: Vec<String>,
    /// Signatures still missing (Chinese).
    pub missing_signatures: Vec<String>,
    /// Signatures.
    pub signatures: Vec<SignatureInfo>,
    /// Refusals to sign (Chinese).
    pub refusals: Vec<String>,
    /// What blocks sealing (Chinese, with articles).
    pub blocking: Vec<String>,
    /// SHA-256 of the attached media.
    pub media: Vec<String>,
    /// Audio/video recording mandatory ((二) 第十三条).
    pub av_required: bool,
}

impl From<v::RecordEditor> for RecordForm {
    fn from(r: v::RecordEditor) -> Self {
        RecordForm {
            case_id: r.case_id,
            record_id: r.record_id,
            name: r.name,
            article: r.article,
            sealed: r.sealed,
            seal_broken: r.seal_broken,
            digest: r.digest,
            fields: r
                .fields
                .into_iter()
                .map(|f| FieldState {
                    key: f.key,
                    label: f.label,
                    field_type: f.ty,
                    required: f.required,
                    options: f.options,
                    display: f.display,
                    value_json: f.value.map(|v| v.to_string()),
                    message: f.message,
                })
                .collect(),
            missing_fields: r.missing_fields,
            missing_signatures: r.missing_signatures,
            signatures: r.signatures,
            refusals: r.refusals,
            blocking: r.blocking,
            media: r.media,
            av_required: r.av_required,
        }
    }
}

/// A statutory obligation with its due day.
pub type ObligationInfo = v::ObligationView;

/// A statutory obligation with its due day.
#[uniffi::remote(Record)]
pub struct ObligationInfo {
    /// Case id.
    pub case_id: String,
    /// Case title.
    pub case_title: String,
    /// What is due.
    pub title: String,
    /// The article.
    pub citation: String,
    /// Due day.
    pub due: String,
    /// How near it is.
    pub state: ObligationState,
    /// Chinese one-liner.
    pub summary: String,
}

/// A case whose changes the server refused.
pub type RefusedView = v::RefusedCase;

/// A case whose changes the server refused.
#[uniffi::remote(Record)]
pub struct RefusedView {
    /// Case id.
    pub case_id: String,
    /// The server's code (`stage_gate`, `seal_rewrite`, `foreign_actor` …).
    pub code: String,
    /// Why, in Chinese, with the article.
    pub message: String,
}

/// What one sync session did.
pub type SyncSummary = v::SyncReport;

/// What one sync session did.
#[uniffi::remote(Record)]
pub struct SyncSummary {
    /// Cases checked.
    pub checked: u32,
    /// Cases fetched whole.
    pub fetched: u32,
    /// Cases exchanged.
    pub exchanged: u32,
    /// Exchange rounds.
    pub rounds: u32,
    /// Changes the server accepted.
    pub accepted: u32,
    /// Cases this account may not sync.
    pub forbidden: Vec<String>,
    /// Cases whose changes the server refused (nothing stored; fix or drop).
    pub refused: Vec<RefusedView>,
    /// Files uploaded.
    pub uploaded: u32,
    /// Files whose bytes no longer match their hash.
    pub corrupt: Vec<String>,
    /// Errors (Chinese).
    pub errors: Vec<String>,
    /// Years of a holiday calendar received in this sync (e.g. `2017–2027`).
    pub calendar: Option<String>,
}

/// The holiday calendar the device counts deadlines with.
pub type CalendarInfoView = v::CalendarInfo;

/// The holiday calendar the device counts deadlines with.
#[uniffi::remote(Record)]
pub struct CalendarInfoView {
    /// Content version (16 hex digits).
    pub version: String,
    /// Covered years, ascending.
    pub years: Vec<i32>,
    /// Covered years as text, e.g. `2017–2027`.
    pub years_text: String,
    /// Version last received from the server, if any.
    pub server_version: Option<String>,
}

/// The device's sync status.
pub type SyncStatusInfo = v::SyncStatus;

/// The device's sync status.
#[uniffi::remote(Record)]
pub struct SyncStatusInfo {
    /// Logged in.
    pub logged_in: bool,
    /// Server URL.
    pub server: Option<String>,
    /// Cases with local changes not on the server.
    pub pending_cases: u32,
    /// Files waiting for upload.
    pub pending_uploads: u32,
    /// Files that failed verification.
    pub corrupt_uploads: u32,
    /// Last successful sync.
    pub last_sync: Option<String>,
}

/// A record whose seal does not verify.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SealProblem {
    /// Record id.
    pub record_id: String,
    /// What is wrong (Chinese).
    pub problems: Vec<String>,
}
