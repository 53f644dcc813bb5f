//! The office half of the store: the case index the console lists and
//! filters without loading documents, browser sessions, the office users'
//! signing keys, and the media access log (全过程记录 调阅).

use super::{CaseScope, StoreResult};

/// What the console lists and filters a case by, written with every case
/// write (sync round or office action); read from the document once then.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseIndex {
    /// Source (snake_case `CaseSource`).
    pub source: String,
    /// Procedure (snake_case), empty for inspections.
    pub procedure: String,
    /// Party names, joined with `、` (names only: no identity numbers).
    pub parties: String,
    /// Names of the assigned officers, joined with `、`.
    pub officer_names: String,
    /// Due date (YYYY-MM-DD) of the earliest open statutory obligation.
    pub next_due: Option<String>,
    /// Its title and article, e.g. `缴纳罚款期限（行政处罚法 art.67）`.
    pub next_due_label: Option<String>,
    /// Every open statutory obligation of the case (the deadlines dashboard).
    pub obligations: Vec<IndexedObligation>,
    /// The case's sealed 公示信息 (the portal's index).
    pub publications: Vec<zhifa_core::publicity::PublicEntry>,
}

/// One open statutory obligation as the index keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexedObligation {
    /// Title, e.g. `缴纳罚款期限`.
    pub title: String,
    /// Article, e.g. `行政处罚法 art.67`.
    pub citation: String,
    /// Due date (YYYY-MM-DD).
    pub due: String,
    /// The date rests on a year whose calendar is not loaded (暂定).
    pub provisional: bool,
}

/// An open obligation with its case, for the deadlines dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationRow {
    /// Case id.
    pub case_id: String,
    /// Case title.
    pub case_title: String,
    /// Handling unit id.
    pub unit_id: String,
    /// Assigned officers' names, joined with `、`.
    pub officer_names: String,
    /// The obligation.
    pub obligation: IndexedObligation,
}

/// Filters of the console's case list (all optional, combined with AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Handling unit id.
    pub unit: Option<String>,
    /// Stage (snake_case).
    pub stage: Option<String>,
    /// Assigned account id.
    pub officer: Option<String>,
    /// Source (snake_case).
    pub source: Option<String>,
    /// Part of a party's name.
    pub party: Option<String>,
    /// Part of the title or a party's name.
    pub text: Option<String>,
    /// Next statutory deadline on or before this date (YYYY-MM-DD).
    pub due_by: Option<String>,
}

/// One row of the console's case list: columns and index, no document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    /// Case id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Handling unit id.
    pub unit_id: String,
    /// Stage (snake_case).
    pub stage: String,
    /// Kind (snake_case).
    pub kind: String,
    /// The index columns.
    pub index: CaseIndex,
    /// Last change (RFC 3339).
    pub updated_at: String,
}

/// A page of the case list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePage {
    /// The rows of this page, by next deadline, then most recently changed.
    pub rows: Vec<CaseRow>,
    /// How many cases match the filter in all.
    pub total: u64,
}

/// A browser session of the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    /// SHA-256 of the cookie value.
    pub token_hash: [u8; 32],
    /// Account id.
    pub account_id: String,
    /// The session's CSRF token (hex), sent back with every form.
    pub csrf: String,
    /// Unix seconds of creation.
    pub created_at: i64,
    /// Unix seconds of the last request.
    pub last_seen: i64,
}

/// An office user's signing key and Automerge actor, registered like a
/// device; the secret is encrypted at rest with the server's vault key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeKeyRow {
    /// Account id.
    pub account_id: String,
    /// The device row registered for it.
    pub device_id: String,
    /// Automerge actor id, hex.
    pub actor_id: String,
    /// Ed25519 public key, hex.
    pub public_key: String,
    /// Nonce (12 bytes) followed by the ChaCha20-Poly1305 ciphertext of the secret.
    pub secret_sealed: Vec<u8>,
}

/// One access to a recording or photo (全过程记录 调阅).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaAccess {
    /// Case id.
    pub case_id: String,
    /// File SHA-256.
    pub sha256: String,
    /// Account id.
    pub account_id: String,
    /// `view` (opened in the console) or `download`.
    pub action: String,
    /// When (RFC 3339).
    pub at: String,
}

/// An officer's credential details kept beside the account (执法证 scope and
/// validity, for the roster and the credential check).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CredentialInfo {
    /// Enforcement scope (执法范围 / 执法类别), e.g. `档案行政执法`.
    pub scope: String,
    /// Valid until (YYYY-MM-DD), empty when open-ended.
    pub valid_until: String,
}

/// What the administrator edits of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountEdit {
    /// Name.
    pub name: String,
    /// Post.
    pub post: String,
    /// 执法证号 (empty for staff without one).
    pub credential_no: String,
    /// Unit id.
    pub unit_id: String,
    /// Roles.
    pub roles: Vec<zhifa_core::sync::Role>,
    /// Scope and validity of the credential.
    pub credential: CredentialInfo,
}

/// Storage of the office half; part of every [`super::Store`].
pub trait OfficeStore {
    /// A page of the cases in `scope` matching `filter`, earliest next
    /// deadline first (cases without one last), then most recently changed.
    fn case_page(
        &self,
        scope: &CaseScope,
        filter: &CaseFilter,
        offset: u64,
        limit: u64,
    ) -> StoreResult<CasePage>;

    /// Open obligations of the cases in `scope` due on or before `due_by`,
    /// earliest first, at most `limit`.
    fn open_obligations(
        &self,
        scope: &CaseScope,
        due_by: &str,
        limit: u64,
    ) -> StoreResult<Vec<ObligationRow>>;

    /// Ids of the cases that have no index row (stored before the console existed).
    fn unindexed_cases(&self) -> StoreResult<Vec<String>>;
    /// Writes the index row of a stored case.
    fn put_index(&self, meta: &super::CaseMeta, index: &CaseIndex) -> StoreResult<()>;

    /// Creates a browser session.
    fn create_web_session(&self, s: &WebSession) -> StoreResult<()>;
    /// A session by the hash of its cookie value.
    fn web_session(&self, token_hash: &[u8; 32]) -> StoreResult<Option<WebSession>>;
    /// Marks a session used now.
    fn touch_web_session(&self, token_hash: &[u8; 32], at: i64) -> StoreResult<()>;
    /// Ends a session (logout, expiry).
    fn delete_web_session(&self, token_hash: &[u8; 32]) -> StoreResult<()>;

    /// The office key of an account, if made.
    fn office_key(&self, account_id: &str) -> StoreResult<Option<OfficeKeyRow>>;
    /// Keeps a new office key (`Conflict` when the account has one).
    fn insert_office_key(&self, k: &OfficeKeyRow) -> StoreResult<()>;

    /// Changes an account's details (`Conflict` for an unknown unit).
    fn update_account(&self, id: &str, edit: &AccountEdit) -> StoreResult<bool>;
    /// Suspends (`active = false`, credential suspended) or reactivates an
    /// account; a suspended account cannot log in, sync or use the console.
    fn set_account_active(&self, id: &str, active: bool) -> StoreResult<bool>;
    /// Credential scope and validity of every account that has them.
    fn credential_infos(&self) -> StoreResult<Vec<(String, CredentialInfo)>>;

    /// Logs one media access.
    fn log_media_access(&self, a: &MediaAccess) -> StoreResult<()>;
    /// The media accesses of a case, newest first.
    fn media_accesses(&self, case_id: &str) -> StoreResult<Vec<MediaAccess>>;
}
