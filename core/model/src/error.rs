//! The one error type of zhifa-core: typed for code, with a Chinese message for users.

use thiserror::Error;

/// Everything that can go wrong inside the core. `Display` is Simplified Chinese
/// (shown to users); the variant and its fields are precise for developers.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum CoreError {
    /// No template with this id (and version) is known to this build.
    #[error("未知的文书模板: {id} (版本 {version})")]
    UnknownTemplate {
        /// Template id asked for.
        id: String,
        /// Version asked for (0: any).
        version: u32,
    },
    /// The template has no field with this key.
    #[error("文书“{template}”没有字段“{field}”")]
    UnknownField {
        /// Template id.
        template: String,
        /// Field key asked for.
        field: String,
    },
    /// A value of the wrong kind for the field.
    #[error("字段“{field}”应为{expected}")]
    WrongFieldType {
        /// Field label.
        field: String,
        /// Chinese name of the expected kind.
        expected: String,
    },
    /// A date that does not parse or does not exist.
    #[error(
        "字段“{field}”的日期“{value}”无效, 可写作: {}",
        crate::dates::DATE_FORMS
    )]
    InvalidDate {
        /// Field label.
        field: String,
        /// The value given.
        value: String,
    },
    /// A date-time that does not parse or does not exist.
    #[error(
        "字段“{field}”的日期时间“{value}”无效, 可写作: {}",
        crate::dates::DATE_TIME_FORMS
    )]
    InvalidDateTime {
        /// Field label.
        field: String,
        /// The value given.
        value: String,
    },
    /// Only a date for a field that needs the time too.
    #[error(
        "字段“{field}”需要日期和时间, “{value}”只有日期; 可写作: {}",
        crate::dates::DATE_TIME_FORMS
    )]
    DateWithoutTime {
        /// Field label.
        field: String,
        /// The value given.
        value: String,
    },
    /// An officer field names someone who is not an officer of the case.
    #[error("字段“{field}”中的“{value}”不是本案的执法人员; 本案执法人员: {officers} (可填姓名、用户名或账号)")]
    UnknownOfficer {
        /// Field label.
        field: String,
        /// The value given.
        value: String,
        /// The case's officers, as a list in Chinese.
        officers: String,
    },
    /// Text longer than the field allows (characters, not bytes).
    #[error("字段“{field}”过长: {len} 字, 最多 {max} 字")]
    TextTooLong {
        /// Field label.
        field: String,
        /// Length given, in characters.
        len: usize,
        /// Maximum allowed, in characters.
        max: usize,
    },
    /// A choice that is not among the template's options.
    #[error("字段“{field}”的取值“{value}”不在可选范围内, 可选: {options}")]
    InvalidChoice {
        /// Field label.
        field: String,
        /// The value given.
        value: String,
        /// The template's options, joined by 、.
        options: String,
    },
    /// A value that is out of range (negative money, ...).
    #[error("字段“{field}”的取值无效: {reason}")]
    InvalidValue {
        /// Field label.
        field: String,
        /// Why, in Chinese.
        reason: String,
    },
    /// No record with this id in the case.
    #[error("案件中没有编号为 {0} 的文书")]
    RecordNotFound(String),
    /// The record is sealed: it is read-only; amend it instead.
    #[error("文书 {0} 已签章封存, 不能修改; 如需更正请提出修订")]
    RecordSealed(String),
    /// The record is not sealed yet, so it cannot be signed.
    #[error("文书 {0} 尚未封存, 不能签名")]
    RecordNotSealed(String),
    /// The record's content no longer matches its seal (an edit crossed the
    /// seal, e.g. offline on another device): nobody may sign it or record a
    /// refusal until the conflict is resolved by an amendment.
    #[error(
        "文书 {0} 的内容与封存不符 (封存已破坏), 不能签字或记录拒签; 请核对封存冲突后提出修订"
    )]
    SealBroken(String),
    /// The case document is malformed or of an unknown schema.
    #[error("案件数据格式错误: {0}")]
    Malformed(String),
    /// A seal or signature does not verify.
    #[error("签章校验失败: {0}")]
    SealInvalid(String),
    /// A media reference with bad data (hash, size, MIME type).
    #[error("音像/照片文件信息无效: {0}")]
    InvalidMedia(String),
    /// An error from the CRDT library.
    #[error("同步数据错误: {0}")]
    Automerge(String),
    /// Invalid input of another kind.
    #[error("输入无效: {0}")]
    InvalidInput(String),
}

impl From<automerge::AutomergeError> for CoreError {
    fn from(e: automerge::AutomergeError) -> Self {
        CoreError::Automerge(e.to_string())
    }
}

impl From<autosurgeon::HydrateError> for CoreError {
    fn from(e: autosurgeon::HydrateError) -> Self {
        CoreError::Malformed(e.to_string())
    }
}

impl From<autosurgeon::ReconcileError> for CoreError {
    fn from(e: autosurgeon::ReconcileError) -> Self {
        CoreError::Automerge(e.to_string())
    }
}

/// Result alias for the core.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
