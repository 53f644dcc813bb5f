//! Input records and choices the shells pass in, converted to zhifa-device's
//! inputs.

use zhifa_core::case as c;
use zhifa_core::template as t;
use zhifa_device::{ListFilter, NewCase, PartyInput, Point, Strokes};

/// 行政检查 or 行政处罚.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CaseKind {
    /// 行政检查.
    Inspection,
    /// 行政处罚.
    Penalty,
}

/// 简易程序 or 一般程序 (penalty cases).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Procedure {
    /// 简易程序 (行政处罚法 art.51).
    Simple,
    /// 一般程序.
    General,
}

/// Where a case came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PartyKind {
    /// 自然人.
    NaturalPerson,
    /// 法人.
    LegalPerson,
    /// 其他组织.
    OtherOrganisation,
}

/// Who signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
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

impl From<CaseKind> for c::CaseKind {
    fn from(k: CaseKind) -> Self {
        match k {
            CaseKind::Inspection => c::CaseKind::Inspection,
            CaseKind::Penalty => c::CaseKind::Penalty,
        }
    }
}

impl From<Procedure> for c::Procedure {
    fn from(p: Procedure) -> Self {
        match p {
            Procedure::Simple => c::Procedure::Simple,
            Procedure::General => c::Procedure::General,
        }
    }
}

impl From<CaseSource> for c::CaseSource {
    fn from(s: CaseSource) -> Self {
        match s {
            CaseSource::ExOfficio => c::CaseSource::ExOfficio,
            CaseSource::Complaint => c::CaseSource::Complaint,
            CaseSource::RandomInspection => c::CaseSource::RandomInspection,
            CaseSource::Transfer => c::CaseSource::Transfer,
        }
    }
}

impl From<PartyKind> for c::PartyKind {
    fn from(k: PartyKind) -> Self {
        match k {
            PartyKind::NaturalPerson => c::PartyKind::NaturalPerson,
            PartyKind::LegalPerson => c::PartyKind::LegalPerson,
            PartyKind::OtherOrganisation => c::PartyKind::OtherOrganisation,
        }
    }
}

impl From<SignerRole> for t::SignerRole {
    fn from(r: SignerRole) -> Self {
        match r {
            SignerRole::Officer => t::SignerRole::Officer,
            SignerRole::Party => t::SignerRole::Party,
            SignerRole::Witness => t::SignerRole::Witness,
            SignerRole::Reviewer => t::SignerRole::Reviewer,
            SignerRole::Leader => t::SignerRole::Leader,
        }
    }
}

/// A party entered on the new-case screen.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PartyEntry {
    /// Kind.
    pub kind: PartyKind,
    /// Name.
    pub name: String,
    /// Identity number (ID card or unified social credit code).
    pub id_number: String,
    /// Legal representative or responsible person.
    pub representative: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
}

impl From<PartyEntry> for PartyInput {
    fn from(p: PartyEntry) -> Self {
        PartyInput {
            kind: p.kind.into(),
            name: p.name,
            id_number: p.id_number,
            representative: p.representative,
            address: p.address,
            phone: p.phone,
        }
    }
}

/// The partner officer (the second of the pair, (二) 第十条).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PartnerEntry {
    /// Account id.
    pub id: String,
    /// Name.
    pub name: String,
    /// 执法证号.
    pub credential_no: String,
    /// Unit id.
    pub unit_id: String,
}

/// A signer as stored: the account or party id and the name.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SignerEntry {
    /// Account id (officer) or party id.
    pub id: String,
    /// Name as signed.
    pub name: String,
}

/// A new case.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NewCaseInput {
    /// Kind.
    pub kind: CaseKind,
    /// Procedure of a penalty case.
    pub procedure: Option<Procedure>,
    /// Title.
    pub title: String,
    /// Source.
    pub source: CaseSource,
    /// Source reference (complaint number, 双随机 task id, ...).
    pub source_ref: Option<String>,
    /// The party, if known.
    pub party: Option<PartyEntry>,
    /// Partner officers.
    pub partners: Vec<PartnerEntry>,
    /// Template id of the first record to open, if any.
    pub first_record: Option<String>,
}

impl From<NewCaseInput> for NewCase {
    fn from(n: NewCaseInput) -> Self {
        NewCase {
            kind: n.kind.into(),
            procedure: n.procedure.map(Into::into),
            title: n.title,
            source: n.source.into(),
            source_ref: n.source_ref,
            party: n.party.map(Into::into),
            partners: n
                .partners
                .into_iter()
                .map(|p| zhifa_device::app::officer(&p.id, &p.name, &p.credential_no, &p.unit_id))
                .collect(),
            first_record: n.first_record,
        }
    }
}

/// The created case and its first record.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CreatedCase {
    /// Case id.
    pub case_id: String,
    /// First record id, if one was opened.
    pub record_id: Option<String>,
}

/// What the case list shows.
#[derive(Debug, Clone, Default, PartialEq, uniffi::Record)]
pub struct CaseFilter {
    /// Only this stage (snake_case, e.g. `investigation`).
    pub stage: Option<String>,
    /// Only this kind (`inspection`, `penalty`).
    pub kind: Option<String>,
    /// Title or party contains this text.
    pub text: Option<String>,
    /// Only cases due on or before this day (`YYYY-MM-DD`).
    pub due_by: Option<String>,
    /// Only cases not yet synced.
    pub unsynced: bool,
}

impl From<CaseFilter> for ListFilter {
    fn from(f: CaseFilter) -> Self {
        ListFilter {
            stage: f.stage,
            kind: f.kind,
            text: f.text,
            due_by: f.due_by,
            unsynced: f.unsynced,
        }
    }
}

/// One sample of the signature pad.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct PadPoint {
    /// X in canvas pixels.
    pub x: f32,
    /// Y in canvas pixels.
    pub y: f32,
    /// Milliseconds since the signature started.
    pub t: u32,
    /// Pressure 0.0–1.0 (1.0 when the screen does not report it).
    pub pressure: f32,
}

/// A handwritten signature as captured on the pad.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SignaturePad {
    /// Canvas width in pixels.
    pub width: u32,
    /// Canvas height in pixels.
    pub height: u32,
    /// Pen-down … pen-up strokes in order.
    pub strokes: Vec<Vec<PadPoint>>,
}

impl From<SignaturePad> for Strokes {
    fn from(s: SignaturePad) -> Self {
        Strokes {
            width: s.width,
            height: s.height,
            strokes: s
                .strokes
                .into_iter()
                .map(|st| {
                    st.into_iter()
                        .map(|p| Point {
                            x: p.x,
                            y: p.y,
                            t: p.t,
                            pressure: p.pressure,
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// A value for a record field, by the field's type.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum FieldValue {
    /// `text`, `long_text`, `date`, `date_time` (ISO 8601) and `choice`.
    Text {
        /// The text.
        value: String,
    },
    /// `integer` and `money` (in 分).
    Integer {
        /// The number.
        value: i64,
    },
    /// `bool`.
    Flag {
        /// Yes or no.
        value: bool,
    },
    /// `multi_choice` and `list`.
    Choices {
        /// The items.
        values: Vec<String>,
    },
    /// Any value as JSON (e.g. a `qa_list`).
    Json {
        /// JSON text.
        json: String,
    },
}

impl FieldValue {
    /// The JSON value, or a Chinese message when `Json` does not parse.
    pub(crate) fn into_json(self, key: &str) -> Result<serde_json::Value, String> {
        Ok(match self {
            FieldValue::Text { value } => value.into(),
            FieldValue::Integer { value } => value.into(),
            FieldValue::Flag { value } => value.into(),
            FieldValue::Choices { values } => values.into(),
            FieldValue::Json { json } => serde_json::from_str(&json)
                .map_err(|e| format!("字段“{key}”的值不是有效的 JSON: {e}"))?,
        })
    }
}
