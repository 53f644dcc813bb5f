//! Inputs the shells pass in. Where zhifa-device has the same record it
//! crosses the FFI as a uniffi remote record (no copy, no `From`); the few
//! records left here differ from the engine's on purpose (fewer fields, or
//! enums where the engine takes codes).

use zhifa_core::wire_name;
use zhifa_device::{ListFilter, NewCase};

use super::choices::{CaseKind, CaseSource, PartyKind, Procedure, Stage};

/// A party entered on the new-case screen.
pub type PartyEntry = zhifa_device::PartyInput;

/// A party entered on the new-case screen.
#[uniffi::remote(Record)]
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
            kind: n.kind,
            procedure: n.procedure,
            title: n.title,
            source: n.source,
            source_ref: n.source_ref,
            party: n.party,
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
    /// Only this stage.
    pub stage: Option<Stage>,
    /// Only this kind.
    pub kind: Option<CaseKind>,
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
            stage: f.stage.as_ref().map(wire_name),
            kind: f.kind.as_ref().map(wire_name),
            text: f.text,
            due_by: f.due_by,
            unsynced: f.unsynced,
        }
    }
}

/// One sample of the signature pad.
pub type PadPoint = zhifa_device::Point;

/// One sample of the signature pad.
#[uniffi::remote(Record)]
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
pub type SignaturePad = zhifa_device::Strokes;

/// A handwritten signature as captured on the pad.
#[uniffi::remote(Record)]
pub struct SignaturePad {
    /// Canvas width in pixels.
    pub width: u32,
    /// Canvas height in pixels.
    pub height: u32,
    /// Pen-down … pen-up strokes in order.
    pub strokes: Vec<Vec<PadPoint>>,
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
