//! The enforcement case (行政执法案件): kinds, procedures, stages, sources,
//! parties, officers and the event history of who did what when.

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

/// What kind of enforcement act the case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Hydrate, Reconcile)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// 行政检查: an inspection.
    Inspection,
    /// 行政处罚: a penalty case.
    Penalty,
}

impl CaseKind {
    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            CaseKind::Inspection => "行政检查",
            CaseKind::Penalty => "行政处罚",
        }
    }
}

/// Penalty procedure (行政处罚法 art.51 简易程序 / art.54 一般程序).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Hydrate, Reconcile)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// 简易程序: on-the-spot decision, small fines only (art.51).
    Simple,
    /// 一般程序: filing, investigation, review, decision (art.54–).
    General,
}

impl Procedure {
    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Procedure::Simple => "简易程序",
            Procedure::General => "一般程序",
        }
    }
}

/// The five stages of whole-process recording ((二) 第三条).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    Hydrate,
    Reconcile,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 程序启动
    Initiation,
    /// 调查取证
    Investigation,
    /// 审查决定
    Decision,
    /// 送达执行
    ServiceExecution,
    /// 归档管理
    Archiving,
    /// 已归档 (closed; terminal)
    Archived,
}

impl Stage {
    /// All stages in order.
    pub const ALL: [Stage; 6] = [
        Stage::Initiation,
        Stage::Investigation,
        Stage::Decision,
        Stage::ServiceExecution,
        Stage::Archiving,
        Stage::Archived,
    ];

    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Initiation => "程序启动",
            Stage::Investigation => "调查取证",
            Stage::Decision => "审查决定",
            Stage::ServiceExecution => "送达执行",
            Stage::Archiving => "归档管理",
            Stage::Archived => "已归档",
        }
    }

    /// The stage after this one, if any.
    pub fn next(self) -> Option<Stage> {
        let i = Stage::ALL.iter().position(|s| *s == self)?;
        Stage::ALL.get(i + 1).copied()
    }
}

/// How the case started (案件来源).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Hydrate, Reconcile)]
#[serde(rename_all = "snake_case")]
pub enum CaseSource {
    /// 依职权: on the agency's own initiative.
    ExOfficio,
    /// 投诉举报: a complaint or report.
    Complaint,
    /// 随机抽查: a 双随机 random inspection task.
    RandomInspection,
    /// 移送: transferred from another agency.
    Transfer,
}

impl CaseSource {
    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            CaseSource::ExOfficio => "依职权",
            CaseSource::Complaint => "投诉举报",
            CaseSource::RandomInspection => "随机抽查",
            CaseSource::Transfer => "移送",
        }
    }
}

/// The legal nature of a party (当事人).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Hydrate, Reconcile)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// 自然人
    NaturalPerson,
    /// 法人
    LegalPerson,
    /// 其他组织
    OtherOrganisation,
}

impl PartyKind {
    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            PartyKind::NaturalPerson => "自然人",
            PartyKind::LegalPerson => "法人",
            PartyKind::OtherOrganisation => "其他组织",
        }
    }
}

/// A party to the case (当事人).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Party {
    /// Stable id within the case.
    #[key]
    pub id: String,
    /// Natural person, legal person or other organisation.
    pub kind: PartyKind,
    /// Name (姓名 / 名称).
    pub name: String,
    /// ID card number or unified social credit code; never shown unmasked in
    /// any display form (see [`crate::mask`]).
    pub id_number: String,
    /// Legal representative (法定代表人 / 负责人), for organisations.
    pub representative: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
}

impl Party {
    /// The identity number as any display form shows it (masked).
    pub fn display_id_number(&self) -> String {
        crate::mask::mask_id_number(&self.id_number)
    }
}

/// An officer's status (执法证 status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Hydrate, Reconcile)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OfficerStatus {
    /// Credential valid.
    Active,
    /// Credential suspended or expired: may not enforce.
    Suspended,
}

/// An enforcement officer (执法人员) as recorded in a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Officer {
    /// Account id.
    #[key]
    pub id: String,
    /// Name.
    pub name: String,
    /// Post (职务).
    pub post: String,
    /// Credential number (执法证号).
    pub credential_no: String,
    /// Unit (执法科室 / 单位).
    pub unit: String,
    /// Credential status.
    pub status: OfficerStatus,
}

/// The kinds of events in a case's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Hydrate, Reconcile)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Case created.
    Created,
    /// Credentials shown (亮证).
    CredentialShown,
    /// A record was created.
    RecordCreated,
    /// A record field was set or cleared (detail: the field key, never the value).
    RecordEdited,
    /// A party was registered.
    PartyAdded,
    /// An officer was assigned to the case.
    OfficerAssigned,
    /// The proposed or decided fine was set or changed.
    FineChanged,
    /// A record was sealed.
    RecordSealed,
    /// A signature was added.
    Signed,
    /// A party refused to sign.
    SignatureRefused,
    /// A record was amended (new revision).
    RecordAmended,
    /// Media attached.
    MediaAttached,
    /// Rights notified (权利告知).
    RightsNotified,
    /// Stage advanced.
    StageAdvanced,
    /// Decision issued (决定作出).
    DecisionIssued,
    /// Decision served (送达).
    DecisionServed,
    /// Hearing requested (申请听证).
    HearingRequested,
    /// Legal review submitted (提交法制审核).
    ReviewSubmitted,
    /// The legal reviewer asked the leader in charge to extend the review (第十条).
    ReviewExtensionRequested,
    /// Legal review extended (+5 wd, 第十条).
    ReviewExtended,
    /// Legal review opinion given.
    ReviewCompleted,
    /// Fine paid.
    Paid,
    /// 行政复议 or 行政诉讼 started: the one kind of older documents, still
    /// read (the clock counts it as 行政诉讼); new entries use
    /// [`EventKind::AdministrativeReconsiderationFiled`] or
    /// [`EventKind::AdministrativeLitigationFiled`].
    LitigationStarted,
    /// 行政复议 or 行政诉讼 ended (older documents; the clock counts it as
    /// the end of 行政诉讼).
    LitigationEnded,
    /// 当事人申请行政复议 (行政复议法 第二十条): the 加处罚款 is not counted
    /// while it runs (行政处罚法 第七十三条); the 复议机关 decides within 60 days
    /// of acceptance (行政复议法 第六十二条).
    AdministrativeReconsiderationFiled,
    /// 行政复议决定作出 (行政复议法 第六十二条): the 加处罚款 counts again; a
    /// suit against it within 15 days (行政诉讼法 第四十五条).
    AdministrativeReconsiderationDecided,
    /// 当事人提起行政诉讼 (行政诉讼法 第四十六条, within 6 months): the 加处罚款
    /// is not counted while it runs (行政处罚法 第七十三条).
    AdministrativeLitigationFiled,
    /// 行政诉讼裁判作出 (判决、裁定): the 加处罚款 counts again.
    AdministrativeLitigationJudged,
    /// Published (公示).
    Published,
    /// Archived.
    Archived,
    /// Something else, described in `detail`.
    Other,
}

impl EventKind {
    /// Chinese name, as the history shows it.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Created => "创建案件",
            EventKind::CredentialShown => "出示执法证件",
            EventKind::RecordCreated => "新建文书",
            EventKind::RecordEdited => "填写文书",
            EventKind::PartyAdded => "登记当事人",
            EventKind::OfficerAssigned => "指派执法人员",
            EventKind::FineChanged => "变更罚款金额",
            EventKind::RecordSealed => "封存文书",
            EventKind::Signed => "签字",
            EventKind::SignatureRefused => "拒绝签字",
            EventKind::RecordAmended => "修订文书",
            EventKind::MediaAttached => "添加音像资料",
            EventKind::RightsNotified => "告知权利",
            EventKind::StageAdvanced => "进入阶段",
            EventKind::DecisionIssued => "作出决定",
            EventKind::DecisionServed => "送达决定",
            EventKind::HearingRequested => "申请听证",
            EventKind::ReviewSubmitted => "提交法制审核",
            EventKind::ReviewExtensionRequested => "申请延长法制审核期限",
            EventKind::ReviewExtended => "批准延长法制审核期限",
            EventKind::ReviewCompleted => "出具法制审核意见",
            EventKind::Paid => "缴纳罚款",
            EventKind::LitigationStarted => "申请复议或提起诉讼",
            EventKind::LitigationEnded => "复议或诉讼终结",
            EventKind::AdministrativeReconsiderationFiled => "申请行政复议",
            EventKind::AdministrativeReconsiderationDecided => "作出行政复议决定",
            EventKind::AdministrativeLitigationFiled => "提起行政诉讼",
            EventKind::AdministrativeLitigationJudged => "作出行政诉讼裁判",
            EventKind::Published => "公示",
            EventKind::Archived => "归档",
            EventKind::Other => "办理",
        }
    }
}

/// One entry in the case history: who did what, when, on which device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// When (RFC 3339, with offset).
    pub at: String,
    /// Who (account id).
    pub actor: String,
    /// On which device.
    pub device: String,
    /// Which record or object, if any.
    pub target: Option<String>,
    /// Free detail (Chinese), e.g. place and credential for 亮证.
    pub detail: String,
}

/// The case header: everything about a case that is not a record or history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct CaseHeader {
    /// Case id (UUID).
    pub id: String,
    /// Inspection or penalty.
    pub kind: CaseKind,
    /// Procedure, for penalty cases.
    pub procedure: Option<Procedure>,
    /// Short title.
    pub title: String,
    /// Where the case came from.
    pub source: CaseSource,
    /// Current stage.
    pub stage: Stage,
    /// Handling unit (承办科室).
    pub unit: String,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Creating officer.
    pub created_by: String,
    /// Task, complaint or transfer reference, if any.
    pub source_ref: Option<String>,
    /// Proposed or decided fine in fen (分), if any.
    pub fine_fen: Option<i64>,
    /// Other measures that make a decision major (吊销, 责令停产停业, 强制执行, ...).
    pub measures: Vec<String>,
}
