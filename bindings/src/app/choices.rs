//! The enums that cross the FFI: zhifa-core's and zhifa-device's own types
//! exposed as uniffi remote enums. Each mirror lists the real type's
//! variants; uniffi matches on them, so a variant added or renamed in the
//! engine fails to compile here, and a shell switching on a variant the
//! engine does not have fails to compile in Kotlin and Swift.

/// 行政检查 or 行政处罚.
pub type CaseKind = zhifa_core::case::CaseKind;

/// 行政检查 or 行政处罚.
#[uniffi::remote(Enum)]
pub enum CaseKind {
    /// 行政检查.
    Inspection,
    /// 行政处罚.
    Penalty,
}

/// 简易程序 or 一般程序 (penalty cases).
pub type Procedure = zhifa_core::case::Procedure;

/// 简易程序 or 一般程序 (penalty cases).
#[uniffi::remote(Enum)]
pub enum Procedure {
    /// 简易程序 (行政处罚法 art.51).
    Simple,
    /// 一般程序.
    General,
}

/// Where a case came from.
pub type CaseSource = zhifa_core::case::CaseSource;

/// Where a case came from.
#[uniffi::remote(Enum)]
pub enum CaseSource {
    /// 依职权.
    ExOfficio,
    /// 投诉举报.
    Complaint,
    /// 随机抽查 (双随机).
    RandomInspection,
    /// 移送.
    Transfer,
}

/// The kind of party.
pub type PartyKind = zhifa_core::case::PartyKind;

/// The kind of party.
#[uniffi::remote(Enum)]
pub enum PartyKind {
    /// 自然人.
    NaturalPerson,
    /// 法人.
    LegalPerson,
    /// 其他组织.
    OtherOrganisation,
}

/// Who signs.
pub type SignerRole = zhifa_core::template::SignerRole;

/// Who signs.
#[uniffi::remote(Enum)]
pub enum SignerRole {
    /// 执法人员.
    Officer,
    /// 当事人.
    Party,
    /// 见证人.
    Witness,
    /// 审核人员.
    Reviewer,
    /// 负责人.
    Leader,
}

/// The stage of a case, in order.
pub type Stage = zhifa_core::case::Stage;

/// The stage of a case, in order.
#[uniffi::remote(Enum)]
pub enum Stage {
    /// 程序启动.
    Initiation,
    /// 调查取证.
    Investigation,
    /// 审查决定.
    Decision,
    /// 送达执行.
    ServiceExecution,
    /// 归档管理.
    Archiving,
    /// 已归档 (closed).
    Archived,
}

/// How near a case list row's next deadline is (the badge colour).
pub type DeadlineState = zhifa_device::app::views::DeadlineState;

/// How near a case list row's next deadline is (the badge colour).
#[uniffi::remote(Enum)]
pub enum DeadlineState {
    /// 未到期.
    OnTime,
    /// 即将到期 (within the profile's days, not today).
    DueSoon,
    /// 今日到期.
    DueToday,
    /// 逾期.
    Overdue,
}

/// The state of a statutory obligation.
pub type ObligationState = zhifa_core::deadlines::ObligationState;

/// The state of a statutory obligation.
#[uniffi::remote(Enum)]
pub enum ObligationState {
    /// 未到期.
    OnTime,
    /// 即将到期.
    DueSoon,
    /// 逾期.
    Overdue,
    /// 已完成.
    Met,
    /// 暂停 (the clock does not run during 复议/诉讼).
    Paused,
}

/// A role an account holds.
pub type Role = zhifa_core::sync::Role;

/// A role an account holds.
#[uniffi::remote(Enum)]
pub enum Role {
    /// 执法人员.
    Officer,
    /// 科室负责人.
    UnitHead,
    /// 局领导.
    Leader,
    /// 法制审核人员.
    LegalReviewer,
    /// 办公室联络员.
    OfficeLiaison,
    /// 档案管理员.
    Archivist,
    /// 系统管理员.
    Admin,
}

/// Where a case stands with the server.
pub type SyncState = zhifa_device::app::views::SyncState;

/// Where a case stands with the server.
#[uniffi::remote(Enum)]
pub enum SyncState {
    /// 仅在本机 (never synced).
    Local,
    /// 有未同步的修改.
    Dirty,
    /// 已同步.
    Synced,
    /// 无权同步.
    Forbidden,
    /// 服务器拒收了修改 (fix or drop the refused changes).
    Refused,
}

/// The type of a record field: what editor to show.
pub type FieldType = zhifa_core::template::FieldType;

/// The type of a record field: what editor to show.
#[uniffi::remote(Enum)]
pub enum FieldType {
    /// One line of text.
    Text,
    /// Several paragraphs (笔录 content).
    LongText,
    /// A whole number.
    Integer,
    /// Money in 分, never negative.
    Money,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A date and time, RFC 3339.
    DateTime,
    /// Yes or no.
    Bool,
    /// One of the options.
    Choice,
    /// Several of the options.
    MultiChoice,
    /// A list of short texts.
    List,
    /// Questions and answers (询问笔录).
    QaList,
}

/// Where a media file stands with the server.
pub type UploadState = zhifa_device::app::views::UploadState;

/// Where a media file stands with the server.
#[uniffi::remote(Enum)]
pub enum UploadState {
    /// 待上传.
    Pending,
    /// 已上传.
    Done,
    /// 文件已损坏 (not uploaded).
    Corrupt,
    /// 仅在服务器 (not on this device).
    Remote,
}
