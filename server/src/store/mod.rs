//! Storage behind a trait: accounts, devices, cases (columns + snapshot +
//! incremental changes), per-(device, case) sync states, media records and
//! receipts. [`sqlite::SqliteStore`] is the embedded default; a PostgreSQL
//! implementation can follow the same trait.
//!
//! The trait is blocking: handlers call it through [`crate::state::AppState::db`],
//! which runs it on tokio's blocking pool.

pub mod archive;
pub mod disclosure;
pub mod office;
pub mod publicity;
pub mod sqlite;

pub use office::{
    AccountEdit, CaseFilter, CaseIndex, CasePage, CaseRow, CredentialInfo, IndexedObligation,
    MediaAccess, ObligationRow, OfficeKeyRow, OfficeStore, WebSession,
};

use zhifa_core::case::OfficerStatus;
use zhifa_core::sync::Role;

/// A storage failure (internal: logged, never shown to users).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed.
    #[error("database: {0}")]
    Db(String),
    /// A uniqueness rule was violated (e.g. a username taken).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A migration failed or the schema is newer than this build.
    #[error("migration: {0}")]
    Migration(String),
}

/// Result alias for the store.
pub type StoreResult<T> = Result<T, StoreError>;

/// An agency (执法主体), e.g. 某县档案局.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A unit of an agency (科室).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Unit {
    /// Id (a case header's `unit`).
    pub id: String,
    /// Agency id.
    pub agency_id: String,
    /// Name.
    pub name: String,
}

/// An account: officer or office staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Name.
    pub name: String,
    /// Post (职务).
    pub post: String,
    /// Credential number (执法证号).
    pub credential_no: String,
    /// Unit id.
    pub unit_id: String,
    /// Unit name (filled when read).
    pub unit_name: String,
    /// Credential status.
    pub status: OfficerStatus,
    /// Roles.
    pub roles: Vec<Role>,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Disabled accounts cannot log in or sync.
    pub active: bool,
}

/// A registered device.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Device {
    /// Id.
    pub id: String,
    /// Owning account.
    pub account_id: String,
    /// Human name.
    pub name: String,
    /// Ed25519 public key, hex.
    pub public_key: String,
    /// Automerge actor id, hex.
    pub actor_id: String,
    /// Registration time.
    pub created_at: String,
    /// Revocation time, if revoked.
    pub revoked_at: Option<String>,
}

/// Who is calling: an account on one of its devices (from the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Account id.
    pub account_id: String,
    /// Account's unit.
    pub unit_id: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Device id.
    pub device_id: String,
    /// The device's registered Automerge actor, hex.
    pub actor_id: String,
}

/// What authorization needs to know about a case (all from columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseAccess {
    /// Case id.
    pub id: String,
    /// Handling unit id.
    pub unit_id: String,
    /// Assigned account ids (creator included).
    pub officers: Vec<String>,
    /// Sorted heads joined with `,`.
    pub heads: String,
}

/// A case's columns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct CaseMeta {
    /// Case id.
    pub id: String,
    /// Handling unit id.
    pub unit_id: String,
    /// Title.
    pub title: String,
    /// Stage (snake_case, e.g. `investigation`).
    pub stage: String,
    /// Kind (`inspection` / `penalty`).
    pub kind: String,
    /// Creating account.
    pub created_by: String,
    /// Assigned account ids (creator included).
    pub officers: Vec<String>,
    /// Sorted hex heads.
    pub heads: Vec<String>,
    /// First stored (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl CaseMeta {
    /// The access facts of the case (who may read or write it).
    pub fn access(&self) -> CaseAccess {
        CaseAccess {
            id: self.id.clone(),
            unit_id: self.unit_id.clone(),
            officers: self.officers.clone(),
            heads: String::new(),
        }
    }
}

/// A case's stored document: a snapshot and the incremental chunks after it.
#[derive(Debug, Clone)]
pub struct StoredCase {
    /// Columns.
    pub meta: CaseMeta,
    /// `save()` bytes.
    pub snapshot: Vec<u8>,
    /// Incremental chunks in order.
    pub chunks: Vec<Vec<u8>>,
}

/// How a round changes a case's stored document.
#[derive(Debug, Clone)]
pub enum DocWrite {
    /// Append one incremental chunk.
    Append(Vec<u8>),
    /// Replace snapshot and chunks (compaction, or a new case).
    Replace(Vec<u8>),
}

/// A media file a case refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseMedia {
    /// SHA-256 hex.
    pub sha256: String,
    /// MIME type.
    pub mime: String,
    /// Size.
    pub size: u64,
    /// Record id.
    pub record_id: String,
}

/// One case written by a sync round.
#[derive(Debug, Clone)]
pub struct CaseWrite {
    /// New columns.
    pub meta: CaseMeta,
    /// Document bytes.
    pub doc: DocWrite,
    /// Every media file the case now refers to.
    pub media: Vec<CaseMedia>,
    /// What the console lists and filters the case by.
    pub index: CaseIndex,
}

/// A sync state to keep.
#[derive(Debug, Clone)]
pub struct SyncStateWrite {
    /// Device id.
    pub device_id: String,
    /// Case id.
    pub case_id: String,
    /// `automerge::sync::State::encode()`.
    pub state: Vec<u8>,
}

/// A receipt to keep (the server's own log of what it signed).
#[derive(Debug, Clone)]
pub struct ReceiptRow {
    /// Case id.
    pub case_id: String,
    /// Device id.
    pub device_id: String,
    /// Sorted heads joined with `,`.
    pub heads: String,
    /// Server time.
    pub server_time: String,
    /// Signature hex.
    pub signature: String,
}

/// A stored media file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRecord {
    /// SHA-256 hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Uploading account.
    pub uploaded_by: String,
    /// Completion time.
    pub uploaded_at: String,
}

/// Which cases a listing covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseScope {
    /// Every case (office roles).
    All,
    /// Cases assigned to an account, plus every case of `unit` when given (unit heads).
    Mine {
        /// Account id.
        account_id: String,
        /// Unit whose cases are included.
        unit: Option<String>,
    },
}

/// The storage of the server. Blocking; call through `spawn_blocking`.
pub trait Store:
    OfficeStore
    + publicity::PublicityStore
    + publicity::RandomStore
    + disclosure::DisclosureStore
    + archive::ArchiveStore
    + Send
    + Sync
    + 'static
{
    /// Readiness: the database answers a trivial query, and the stored
    /// database is still there and readable.
    fn ping(&self) -> StoreResult<()>;
    /// Number of accounts (0 on first run).
    fn account_count(&self) -> StoreResult<u64>;
    /// Adds an agency.
    fn create_agency(&self, agency: &Agency) -> StoreResult<()>;
    /// Adds a unit.
    fn create_unit(&self, unit: &Unit) -> StoreResult<()>;
    /// Every unit.
    fn units(&self) -> StoreResult<Vec<Unit>>;
    /// Adds an account (`Conflict` when the username is taken).
    fn create_account(&self, account: &Account) -> StoreResult<()>;
    /// An account by login name.
    fn account_by_username(&self, username: &str) -> StoreResult<Option<Account>>;
    /// An account by id.
    fn account(&self, id: &str) -> StoreResult<Option<Account>>;
    /// Every account.
    fn accounts(&self) -> StoreResult<Vec<Account>>;

    /// Registers a device with the SHA-256 of its token. Earlier devices of
    /// the same account with the same actor are revoked; an actor registered
    /// to another account is a `Conflict`.
    fn register_device(&self, device: &Device, token_hash: &[u8; 32]) -> StoreResult<()>;
    /// The caller behind a token hash (device not revoked, account active).
    fn principal(&self, token_hash: &[u8; 32]) -> StoreResult<Option<Principal>>;
    /// A device by id.
    fn device(&self, id: &str) -> StoreResult<Option<Device>>;
    /// An account's devices.
    fn devices_of(&self, account_id: &str) -> StoreResult<Vec<Device>>;
    /// Revokes a device; false when unknown or already revoked.
    fn revoke_device(&self, id: &str, at: &str) -> StoreResult<bool>;

    /// Access columns of the given cases (unknown ids are left out).
    fn case_access(&self, ids: &[String]) -> StoreResult<Vec<CaseAccess>>;
    /// Access columns of the cases in a scope.
    fn scope_access(&self, scope: &CaseScope) -> StoreResult<Vec<CaseAccess>>;
    /// Id and heads column (sorted heads joined with `,`) of the cases in a
    /// scope: what an idle check compares.
    fn scope_heads(&self, scope: &CaseScope) -> StoreResult<Vec<(String, String)>>;
    /// Case columns in a scope, newest first.
    fn list_cases(&self, scope: &CaseScope) -> StoreResult<Vec<CaseMeta>>;
    /// A case's columns.
    fn case_meta(&self, id: &str) -> StoreResult<Option<CaseMeta>>;
    /// A case's document bytes.
    fn load_case(&self, id: &str) -> StoreResult<Option<StoredCase>>;
    /// A stored sync state.
    fn sync_state(&self, device_id: &str, case_id: &str) -> StoreResult<Option<Vec<u8>>>;
    /// Stores a sync round atomically: case writes, sync states, receipts.
    fn commit_sync(
        &self,
        cases: &[CaseWrite],
        states: &[SyncStateWrite],
        receipts: &[ReceiptRow],
    ) -> StoreResult<()>;
    /// Receipts issued (newest first), for audits.
    fn receipts_of_case(&self, case_id: &str) -> StoreResult<Vec<ReceiptRow>>;

    /// The media a case refers to.
    fn case_media(&self, case_id: &str) -> StoreResult<Vec<CaseMedia>>;
    /// Access columns of the cases that refer to a media file.
    fn cases_with_media(&self, sha256: &str) -> StoreResult<Vec<CaseAccess>>;
    /// A stored media file.
    fn media(&self, sha256: &str) -> StoreResult<Option<MediaRecord>>;
    /// Records a completely uploaded, verified media file (idempotent).
    fn insert_media(&self, media: &MediaRecord) -> StoreResult<()>;

    /// The holiday calendar the office loaded last, if any.
    fn latest_calendar(&self) -> StoreResult<Option<StoredCalendar>>;
    /// Keeps a newly loaded holiday calendar (the whole calendar, not a diff).
    fn save_calendar(&self, calendar: &StoredCalendar) -> StoreResult<()>;
}

/// A holiday calendar loaded by the office (`cn_calendar.json` schema).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCalendar {
    /// `zhifa_core::deadlines::Calendar::version` of `json`.
    pub version: String,
    /// The whole calendar as JSON.
    pub json: String,
    /// When it was loaded (RFC 3339).
    pub loaded_at: String,
    /// Who loaded it (account id, or `server` for `--calendar`).
    pub loaded_by: String,
}
