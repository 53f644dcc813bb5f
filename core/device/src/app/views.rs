//! View models: plain data the shells render (and the CLI prints as JSON).
//! Labels are Chinese; the shells decide nothing.

use serde::Serialize;
use zhifa_core::case::{Event, EventKind, Officer, Party, Stage};
use zhifa_core::deadlines::ObligationState;

/// The logged-in officer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficerView {
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
    /// Credential number.
    pub credential_no: String,
    /// This device's id on the server.
    pub device_id: String,
    /// Roles (Chinese).
    pub roles: Vec<String>,
    /// The same roles as values (what a shell switches on).
    pub role_codes: Vec<zhifa_core::sync::Role>,
}

/// How near a list row's next deadline is: what the shells colour the
/// badge by (an enum across the FFI, so a shell cannot expect a state the
/// engine never sends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    /// 未到期: more than the profile's `due_soon_days` away.
    OnTime,
    /// 即将到期: within `due_soon_days`, not today.
    DueSoon,
    /// 今日到期: due today.
    DueToday,
    /// 逾期: past the due day.
    Overdue,
}

/// A deadline badge on a list row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeadlineBadge {
    /// Due date `YYYY-MM-DD`.
    pub due: String,
    /// What is due (Chinese).
    pub what: String,
    /// How near it is.
    pub state: DeadlineState,
    /// Chinese badge text, e.g. `逾期 2 天` or `3 天后到期`.
    pub text: String,
}

/// One row of the case list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseListItem {
    /// Case id.
    pub id: String,
    /// Title.
    pub title: String,
    /// First party.
    pub party: String,
    /// Kind (Chinese).
    pub kind: String,
    /// Stage (Chinese).
    pub stage: String,
    /// The stage itself (for filters and icons); `None` only for a stage
    /// code this version does not know (a store written by a newer app).
    pub stage_code: Option<Stage>,
    /// Next deadline, if any.
    pub badge: Option<DeadlineBadge>,
    /// Sync state.
    pub sync_state: SyncState,
    /// Sync state (Chinese).
    pub sync_label: String,
    /// Last change.
    pub updated_at: String,
}

/// An update of a watched case list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ListUpdate {
    /// The whole list (first call, and after a sync session).
    Reset(Vec<CaseListItem>),
    /// A case was added or changed: insert or replace the row with this id.
    Upsert(Box<CaseListItem>),
    /// The case no longer matches the filter: remove the row.
    Remove(String),
}

/// A record in the case view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordItem {
    /// Record id.
    pub id: String,
    /// Template id.
    pub template: String,
    /// Template name (Chinese).
    pub name: String,
    /// Revision.
    pub revision: u32,
    /// Sealed.
    pub sealed: bool,
    /// Sealed, but the content no longer matches the seal (封存已破坏: an
    /// edit crossed it); signing is refused until it is amended.
    pub seal_broken: bool,
    /// Superseded by an amendment.
    pub superseded: bool,
    /// Labels of required fields still empty.
    pub missing_fields: Vec<String>,
    /// Signatures still missing (Chinese).
    pub missing_signatures: Vec<String>,
    /// Media attached.
    pub media: u32,
}

/// A media file in the case view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaItem {
    /// SHA-256.
    pub sha256: String,
    /// MIME type.
    pub mime: String,
    /// Size.
    pub size: u64,
    /// Record.
    pub record_id: String,
    /// Capture time.
    pub captured_at: String,
    /// GPS `lat,lon`, if known.
    pub gps: Option<(f64, f64)>,
    /// Thumbnail blob, if any.
    pub thumb: Option<String>,
    /// On this device.
    pub present: bool,
    /// Upload state.
    pub upload: UploadState,
}

/// Where a media file stands with the server (the store keeps it as a code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadState {
    /// 待上传.
    Pending,
    /// 已上传.
    Done,
    /// 文件已损坏 (its bytes no longer match its hash; not uploaded).
    Corrupt,
    /// 仅在服务器 (not on this device).
    Remote,
}

impl UploadState {
    /// The state of a stored upload code. A code this version does not know
    /// reads as `Pending`: the file is offered to the next upload.
    pub fn of_code(code: &str) -> UploadState {
        match code {
            "done" => UploadState::Done,
            "corrupt" => UploadState::Corrupt,
            "remote" => UploadState::Remote,
            _ => UploadState::Pending,
        }
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            UploadState::Pending => "待上传",
            UploadState::Done => "已上传",
            UploadState::Corrupt => "文件已损坏",
            UploadState::Remote => "仅在服务器",
        }
    }
}

/// The case view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseView {
    /// Case id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Kind (Chinese).
    pub kind: String,
    /// Stage (Chinese).
    pub stage: String,
    /// The stage itself.
    pub stage_code: Stage,
    /// Next stage (Chinese), if any.
    pub next_stage: Option<String>,
    /// What blocks the next stage (Chinese, each with its article).
    pub blocking: Vec<String>,
    /// Source (Chinese).
    pub source: String,
    /// Unit.
    pub unit: String,
    /// Parties (identity numbers masked).
    pub parties: Vec<Party>,
    /// Officers.
    pub officers: Vec<Officer>,
    /// Records.
    pub records: Vec<RecordItem>,
    /// Media.
    pub media: Vec<MediaItem>,
    /// History, oldest first, each entry with its line in words.
    pub events: Vec<EventView>,
    /// Seal conflicts after merges (Chinese).
    pub seal_conflicts: Vec<String>,
    /// Sync state.
    pub sync_state: SyncState,
    /// The server's last signed receipt for this case: proof of when the
    /// evidence reached the office (verified against the server key at sync).
    pub receipt: Option<zhifa_core::sync::Receipt>,
    /// The server's standing refusal of this case's changes, if any.
    pub sync_refusal: Option<RefusedCase>,
}

/// One entry of the case history: the stored event and its line in words
/// ([`zhifa_core::history::describe`]: names and roles, field labels,
/// record names, never ids). The words are device-local in one respect: an
/// account that is not an officer of the case (office staff) is named when
/// this device knows it (logged in, or in the officers list), else reads
/// 其他人员.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventView {
    /// What happened.
    pub kind: EventKind,
    /// When (RFC 3339).
    pub at: String,
    /// Who (account id).
    pub actor: String,
    /// On which device.
    pub device: String,
    /// Which record or object, if any.
    pub target: Option<String>,
    /// The stored detail.
    pub detail: String,
    /// Who, by name (`张伟`).
    pub actor_name: String,
    /// The line in words: `2026-12-02 10:05 张伟(执法人员) 填写文书: 《现场检查笔录》(…): 检查时间`.
    pub description: String,
}

impl EventView {
    /// The event of `case` with its line in words; `account_name` names
    /// accounts this device knows that are not officers of the case.
    pub fn of(
        case: &zhifa_core::doc::Case,
        e: &Event,
        account_name: &dyn Fn(&str) -> Option<String>,
    ) -> EventView {
        let line = zhifa_core::history::describe(case, e, account_name);
        EventView {
            kind: e.kind,
            at: e.at.clone(),
            actor: e.actor.clone(),
            device: e.device.clone(),
            target: e.target.clone(),
            detail: e.detail.clone(),
            actor_name: line.actor,
            description: line.text,
        }
    }
}

/// One field in the record editor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldView {
    /// Key.
    pub key: String,
    /// Label (Chinese).
    pub label: String,
    /// Type (serialized snake_case, e.g. `date_time`).
    pub ty: zhifa_core::template::FieldType,
    /// Required.
    pub required: bool,
    /// Options for choices.
    pub options: Vec<String>,
    /// Current value (JSON), if set.
    pub value: Option<serde_json::Value>,
    /// Current value as a read-only form shows it, identity numbers masked (empty if unset).
    pub display: String,
    /// Validation message (Chinese), e.g. `必填项`.
    pub message: Option<String>,
}

/// The record editor, driven by the template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordEditor {
    /// Case id.
    pub case_id: String,
    /// Record id.
    pub record_id: String,
    /// Template name.
    pub name: String,
    /// The article requiring this record.
    pub article: String,
    /// Sealed (read-only).
    pub sealed: bool,
    /// Sealed, but the content shown no longer matches the seal (内容与封存
    /// 不符): show it as broken; signing is refused.
    pub seal_broken: bool,
    /// Seal digest, once sealed.
    pub digest: Option<String>,
    /// Fields in document order.
    pub fields: Vec<FieldView>,
    /// Labels of required fields still empty.
    pub missing_fields: Vec<String>,
    /// Signatures still missing.
    pub missing_signatures: Vec<String>,
    /// Signatures collected.
    pub signatures: Vec<SignatureView>,
    /// Refusals recorded.
    pub refusals: Vec<String>,
    /// What blocks the case's next stage.
    pub blocking: Vec<String>,
    /// Media attached to this record.
    pub media: Vec<String>,
    /// AV recording mandatory for this record.
    pub av_required: bool,
}

/// One signature on a sealed record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignatureView {
    /// Role (Chinese).
    pub role: String,
    /// The role as a value.
    pub role_code: zhifa_core::template::SignerRole,
    /// Name as signed.
    pub name: String,
    /// When.
    pub at: String,
    /// SHA-256 of the handwriting PNG (see `App::blob_path`), if captured.
    pub image: Option<String>,
}

/// An open statutory obligation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObligationView {
    /// Case id.
    pub case_id: String,
    /// Case title.
    pub case_title: String,
    /// Rule title (Chinese).
    pub title: String,
    /// Legal citation.
    pub citation: String,
    /// Due date.
    pub due: String,
    /// How near it is (`Met` obligations are not listed as open).
    pub state: ObligationState,
    /// One-line Chinese summary.
    pub summary: String,
}

/// A case whose changes the server refused (zhifa_core::rules::check_incoming).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RefusedCase {
    /// Case id.
    pub case_id: String,
    /// The server's code (`stage_gate`, `seal_rewrite`, `foreign_actor` …).
    pub code: String,
    /// Why, in Chinese, with the article.
    pub message: String,
}

/// What a sync session did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncReport {
    /// Cases checked.
    pub checked: u32,
    /// Cases fetched whole from the server.
    pub fetched: u32,
    /// Cases exchanged.
    pub exchanged: u32,
    /// Exchange rounds.
    pub rounds: u32,
    /// Changes the server accepted.
    pub accepted: u32,
    /// Cases the account may not sync.
    pub forbidden: Vec<String>,
    /// Cases whose changes the server refused (nothing of them stored; the
    /// other cases synced): fix the case or drop the refused changes
    /// ([`crate::App::drop_unsynced`]).
    pub refused: Vec<RefusedCase>,
    /// Media files uploaded.
    pub uploaded: u32,
    /// Media files whose local bytes no longer match their hash (not uploaded).
    pub corrupt: Vec<String>,
    /// Errors that stopped part of the session (Chinese).
    pub errors: Vec<String>,
    /// The years of a holiday calendar received in this session (e.g.
    /// `2017–2027`), if the server had a newer one.
    pub calendar: Option<String>,
}

/// The holiday calendar deadlines are counted with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarInfo {
    /// Content version (16 hex digits).
    pub version: String,
    /// Covered years, ascending.
    pub years: Vec<i32>,
    /// Covered years as text, e.g. `2017–2027`.
    pub years_text: String,
    /// Version of the calendar last received from the server, if any.
    pub server_version: Option<String>,
}

/// The device's sync status.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncStatus {
    /// Logged in.
    pub logged_in: bool,
    /// Server URL.
    pub server: Option<String>,
    /// Cases with local changes not yet on the server.
    pub pending_cases: u32,
    /// Files waiting for upload.
    pub pending_uploads: u32,
    /// Files that failed verification.
    pub corrupt_uploads: u32,
    /// Last successful sync (RFC 3339).
    pub last_sync: Option<String>,
}

/// A count as view models carry it (`u32`, what the FFI supports),
/// saturating rather than wrapping.
pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Where a case stands with the server (the store keeps it as a code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// 仅在本机: never synced.
    Local,
    /// 有未同步的修改.
    Dirty,
    /// 已同步.
    Synced,
    /// 无权同步: the account may not sync this case.
    Forbidden,
    /// 服务器拒收了修改: fix the case or drop the refused changes.
    Refused,
}

impl SyncState {
    /// The state of a stored code. A code this version does not know (a
    /// store written by a newer app) reads as `Dirty`: the case is offered
    /// to the next sync rather than shown as done.
    pub fn of_code(code: &str) -> SyncState {
        match code {
            "local" => SyncState::Local,
            "synced" => SyncState::Synced,
            "forbidden" => SyncState::Forbidden,
            "refused" => SyncState::Refused,
            _ => SyncState::Dirty,
        }
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            SyncState::Local => "仅在本机 (未同步)",
            SyncState::Dirty => "有未同步的修改",
            SyncState::Synced => "已同步",
            SyncState::Forbidden => "无权同步",
            SyncState::Refused => "服务器拒收了修改 (请修正或撤销)",
        }
    }
}

/// Chinese label of a stored sync state code.
pub fn sync_label(code: &str) -> String {
    SyncState::of_code(code).label().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_saturate_instead_of_wrapping() {
        assert_eq!(count(7), 7);
        assert_eq!(count(u32::MAX as usize), u32::MAX);
        #[cfg(target_pointer_width = "64")]
        assert_eq!(count(u32::MAX as usize + 1), u32::MAX);
    }

    #[test]
    fn badge_states_serialize_as_snake_case_codes() {
        let codes: Vec<String> = [
            DeadlineState::OnTime,
            DeadlineState::DueSoon,
            DeadlineState::DueToday,
            DeadlineState::Overdue,
        ]
        .iter()
        .map(zhifa_core::wire_name)
        .collect();
        assert_eq!(codes, ["on_time", "due_soon", "due_today", "overdue"]);
    }

    #[test]
    fn sync_state_codes_read_back_and_an_unknown_one_is_offered_to_sync() {
        for s in [
            SyncState::Local,
            SyncState::Dirty,
            SyncState::Synced,
            SyncState::Forbidden,
            SyncState::Refused,
        ] {
            assert_eq!(SyncState::of_code(&zhifa_core::wire_name(&s)), s);
        }
        assert_eq!(SyncState::of_code("from_a_newer_app"), SyncState::Dirty);
        assert_eq!(sync_label("synced"), "已同步");
    }

    #[test]
    fn upload_codes_read_back_and_an_unknown_one_is_offered_to_upload() {
        for s in [
            UploadState::Pending,
            UploadState::Done,
            UploadState::Corrupt,
            UploadState::Remote,
        ] {
            assert_eq!(UploadState::of_code(&zhifa_core::wire_name(&s)), s);
        }
        assert_eq!(
            UploadState::of_code("from_a_newer_app"),
            UploadState::Pending
        );
        assert_eq!(UploadState::Corrupt.label(), "文件已损坏");
    }
}
