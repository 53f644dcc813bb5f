//! The Automerge schema of a case: one document per case.
//!
//! ```text
//! ROOT { schema: 1,
//!        header:   { CaseHeader }             (autosurgeon)
//!        parties:  [ Party ]                  officers: [ Officer ]
//!        records:  { <record id>: { template, template_version, revision, amends,
//!                     amend_reason, superseded_by, created_by, created_at,
//!                     fields: { key: scalar | [str] | [{q,a}] },
//!                     media: [sha256], seal: "<Seal JSON>",
//!                     signatures: ["<SignatureEntry JSON>"], refusals: ["<Refusal JSON>"] } }
//!        media:    { <sha256>: MediaRef }
//!        events:   [ Event ] }
//! ```
//!
//! The root containers are created once, in the *template change*: a
//! deterministic change (fixed actor, time 0) that every device produces
//! byte-for-byte identically, so two devices never create the same container
//! twice. A record's containers are created in the change that creates the
//! record, by one device, under a fresh record id.
//!
//! Sealed content is protected twice: edits to a sealed record are refused
//! here, and a merge that changes sealed content (an offline edit that crossed
//! a seal) is reported by [`CaseDoc::seal_conflicts`], naming both versions.

use std::collections::BTreeMap;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{
    ActorId, AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue, ScalarValueRef, Value,
    ValueRef, ROOT,
};
use autosurgeon::{hydrate_prop, reconcile_prop};
use serde::Serialize;

use crate::case::{CaseHeader, Event, EventKind, Officer, Party, Stage};
use crate::error::{CoreError, Result};
use crate::limits::{self, check_len};
use crate::media::MediaRef;
use crate::record::{FieldValue, QaPair, Record};
use crate::seal::{Refusal, Seal, SignatureEntry};
use crate::template::{FieldType, Template, TemplateRegistry};

mod guard;
mod masking;
mod measures;
mod records;
mod resolve;
mod seals;
pub use guard::StageMove;
pub use resolve::{
    ConflictChoice, ConflictField, ConflictResolution, ResolutionKind, RESOLUTION_ARTICLE,
};

/// Schema version written in the template change.
pub const SCHEMA_VERSION: i64 = 1;
/// The fixed actor of the template change.
const TEMPLATE_ACTOR: [u8; 16] = *b"zhifa-template-1";

/// True for the actor of the shared template change, which no device or
/// person may use as its own: changes under it would pass as part of every
/// case's skeleton.
pub fn is_template_actor(actor: &[u8]) -> bool {
    actor == TEMPLATE_ACTOR
}

/// The whole case as read from its document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// The header.
    pub header: CaseHeader,
    /// Parties.
    pub parties: Vec<Party>,
    /// Officers assigned.
    pub officers: Vec<Officer>,
    /// Records, by creation time then id.
    pub records: Vec<Record>,
    /// Media references by hash.
    pub media: BTreeMap<String, MediaRef>,
    /// History.
    pub events: Vec<Event>,
}

impl Case {
    /// A record by id.
    pub fn record(&self, id: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.id == id)
    }

    /// The current (not superseded) records made from a template.
    pub fn current_records<'a>(
        &'a self,
        template: &'a str,
    ) -> impl Iterator<Item = &'a Record> + 'a {
        self.records
            .iter()
            .filter(move |r| r.template == template && !self.is_superseded(r))
    }

    /// True when `r` was really superseded: its `superseded_by` names an
    /// existing record whose `amends` is `r`. A `superseded_by` set by a peer
    /// without such an amendment does not hide the record from the gates.
    pub fn is_superseded(&self, r: &Record) -> bool {
        self.supersession_problem(r).is_none() && r.superseded_by.is_some()
    }

    /// Why the `superseded_by` of `r` is not a real amendment (Chinese), or
    /// `None` when it is unset or valid.
    pub fn supersession_problem(&self, r: &Record) -> Option<String> {
        let by = r.superseded_by.as_deref()?;
        match self.record(by) {
            None => Some(format!(
                "文书 {} 标记为已被 {by} 修订, 但案件中没有该文书",
                r.id
            )),
            Some(n) if n.amends.as_deref() != Some(r.id.as_str()) => Some(format!(
                "文书 {} 标记为已被 {by} 修订, 但 {by} 并非其修订版",
                r.id
            )),
            Some(_) => None,
        }
    }

    /// Officer by account id.
    pub fn officer(&self, id: &str) -> Option<&Officer> {
        self.officers.iter().find(|o| o.id == id)
    }
}

/// A sealed record whose content no longer matches its seal after a merge,
/// or that was sealed concurrently with different content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SealConflict {
    /// Record id.
    pub record_id: String,
    /// The canonical content as sealed.
    pub sealed_version: String,
    /// The canonical content now in the document.
    pub merged_version: String,
    /// `field: sealed → merged` lines.
    pub changes: Vec<String>,
    /// Digests of all seals when two devices sealed concurrently.
    pub concurrent_seals: Vec<String>,
}

impl SealConflict {
    /// A one-paragraph Chinese description for users.
    pub fn message(&self) -> String {
        let mut s = format!("文书 {} 的封存内容在同步合并后出现冲突", self.record_id);
        if self.concurrent_seals.len() > 1 {
            s.push_str(&format!(
                "; 存在 {} 个并发封存版本",
                self.concurrent_seals.len()
            ));
        }
        for c in &self.changes {
            s.push_str("; ");
            s.push_str(c);
        }
        if self.resolvable() {
            s.push_str(
                "。处理办法: 比对两个版本后选择“保留封存版本”, 或“以更正文书载入”并发修改并说明理由 \
                 (执法全过程记录制度 第十二条)",
            );
        }
        s
    }
}

/// Who is acting, from which device, when: stamped on every change.
#[derive(Debug, Clone)]
pub struct Actor<'a> {
    /// Account id of the officer (or office user).
    pub user: &'a str,
    /// Device id.
    pub device: &'a str,
    /// Time, RFC 3339.
    pub at: &'a str,
}

/// One case document.
#[derive(Debug)]
pub struct CaseDoc {
    doc: AutoCommit,
    /// The edit event this replica wrote last (see [`EditBurst`]).
    burst: Option<EditBurst>,
}

/// A run of field edits by one actor on one device on one record, within
/// [`EDIT_BURST_SECS`] of its first edit and with no other change to the
/// document in between: it is one `RecordEdited` event listing the keys
/// edited, so the history stays small (typing does not add an event per call).
#[derive(Debug, Clone)]
struct EditBurst {
    /// Document heads right after the burst's last commit.
    heads: Vec<ChangeHash>,
    /// The event's map in the `events` list.
    event: ObjId,
    actor: String,
    device: String,
    target: String,
    start: chrono::DateTime<chrono::FixedOffset>,
    keys: Vec<String>,
}

/// The properties of a record map, read in one pass.
#[derive(Default)]
struct RecordProps {
    template: Option<String>,
    template_version: Option<i64>,
    revision: Option<i64>,
    amends: Option<String>,
    amend_reason: Option<String>,
    superseded_by: Option<String>,
    created_by: Option<String>,
    created_at: Option<String>,
    seal: Option<String>,
    fields: Option<ObjId>,
    media: Option<ObjId>,
    signatures: Option<ObjId>,
    refusals: Option<ObjId>,
}

/// How long after its first edit a burst of edits may still be extended.
const EDIT_BURST_SECS: i64 = 600;
/// The most keys one edit event lists before a new one starts.
const EDIT_BURST_KEYS: usize = 32;

impl CaseDoc {
    /// The template change alone: the empty skeleton every case starts from.
    fn template() -> Result<AutoCommit> {
        let mut doc = AutoCommit::new().with_actor(ActorId::from(TEMPLATE_ACTOR));
        doc.put(ROOT, "schema", SCHEMA_VERSION)?;
        doc.put_object(ROOT, "header", ObjType::Map)?;
        doc.put_object(ROOT, "parties", ObjType::List)?;
        doc.put_object(ROOT, "officers", ObjType::List)?;
        doc.put_object(ROOT, "records", ObjType::Map)?;
        doc.put_object(ROOT, "media", ObjType::Map)?;
        doc.put_object(ROOT, "events", ObjType::List)?;
        doc.commit_with(
            CommitOptions::default()
                .with_message("zhifa template v1")
                .with_time(0),
        );
        Ok(doc)
    }

    /// Creates a case: the template change, then the header written by the
    /// creating device's actor.
    pub fn create(header: &CaseHeader, actor_id: &[u8], who: &Actor<'_>) -> Result<CaseDoc> {
        validate_actor(who)?;
        limits::check_header(header)?;
        let mut doc = Self::template()?;
        doc.set_actor(ActorId::from(actor_id));
        let mut this = CaseDoc { doc, burst: None };
        let header_obj = this.obj(&ROOT, "header")?;
        reconcile_prop(&mut this.doc, &ROOT, "header", header)?;
        let _ = header_obj;
        this.push_event(
            EventKind::Created,
            who,
            None,
            &format!("立案/创建: {}", header.title),
        )?;
        this.commit(who, "create case");
        Ok(this)
    }

    /// Loads a saved document and sets the local actor.
    pub fn load(bytes: &[u8], actor_id: &[u8]) -> Result<CaseDoc> {
        let mut doc = AutoCommit::load(bytes)?;
        doc.set_actor(ActorId::from(actor_id));
        let this = CaseDoc { doc, burst: None };
        match this.doc.get(ROOT, "schema")? {
            Some((Value::Scalar(s), _)) if s.as_ref() == &ScalarValue::Int(SCHEMA_VERSION) => {
                Ok(this)
            }
            _ => Err(CoreError::Malformed(
                "不是 Zhifa 案件文档或版本不支持".into(),
            )),
        }
    }

    /// Saves the whole document (compacted).
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    /// The changes since the last `save`/`save_incremental`.
    pub fn save_incremental(&mut self) -> Vec<u8> {
        self.doc.save_incremental()
    }

    /// Applies saved incremental changes; returns the number of ops applied.
    pub fn load_incremental(&mut self, bytes: &[u8]) -> Result<usize> {
        Ok(self.doc.load_incremental(bytes)?)
    }

    /// The current heads.
    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// The underlying Automerge document, for the sync protocol.
    pub fn automerge(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    /// Merges another replica into this one and returns the seal conflicts
    /// the merge produced (empty when every sealed record is intact).
    pub fn merge(&mut self, other: &mut CaseDoc) -> Result<Vec<SealConflict>> {
        self.doc.merge(&mut other.doc)?;
        self.seal_conflicts()
    }

    // ----- reading -------------------------------------------------------

    /// The case header.
    pub fn header(&self) -> Result<CaseHeader> {
        Ok(hydrate_prop(&self.doc, &ROOT, "header")?)
    }

    /// The whole case.
    pub fn case(&self) -> Result<Case> {
        let header: CaseHeader = hydrate_prop(&self.doc, &ROOT, "header")?;
        let parties: Vec<Party> = hydrate_prop(&self.doc, &ROOT, "parties")?;
        let officers: Vec<Officer> = hydrate_prop(&self.doc, &ROOT, "officers")?;
        let media: BTreeMap<String, MediaRef> = hydrate_prop(&self.doc, &ROOT, "media")?;
        let events: Vec<Event> = hydrate_prop(&self.doc, &ROOT, "events")?;
        let records_obj = self.obj(&ROOT, "records")?;
        let mut records = Vec::new();
        for id in self.doc.keys(&records_obj) {
            records.push(self.read_record(&records_obj, &id)?);
        }
        records.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
        Ok(Case {
            header,
            parties,
            officers,
            records,
            media,
            events,
        })
    }

    /// One record.
    pub fn record(&self, record_id: &str) -> Result<Record> {
        let records_obj = self.obj(&ROOT, "records")?;
        self.read_record(&records_obj, record_id)
    }

    /// The ids of every record.
    pub fn record_ids(&self) -> Result<Vec<String>> {
        let records_obj = self.obj(&ROOT, "records")?;
        Ok(self.doc.keys(&records_obj).collect())
    }

    /// The SHA-256 of every media file the case refers to.
    pub fn expected_media(&self) -> Result<Vec<String>> {
        let media = self.obj(&ROOT, "media")?;
        Ok(self.doc.keys(&media).collect())
    }

    /// Reads one record. Each map is walked once (`map_range`) instead of
    /// one lookup per property: reading is on the sealing and verifying path.
    fn read_record(&self, records_obj: &ObjId, id: &str) -> Result<Record> {
        let rec = self
            .obj(records_obj, id)
            .map_err(|_| CoreError::RecordNotFound(id.to_string()))?;
        let mut p = RecordProps::default();
        for item in self.doc.map_range(&rec, ..) {
            match &item.value {
                ValueRef::Scalar(v) => {
                    let text = || match v {
                        ScalarValueRef::Str(t) => Some(t.to_string()),
                        _ => None,
                    };
                    let int = || match v {
                        ScalarValueRef::Int(n) => Some(*n),
                        ScalarValueRef::Uint(n) => i64::try_from(*n).ok(),
                        _ => None,
                    };
                    match item.key.as_ref() {
                        "template" => p.template = text(),
                        "template_version" => p.template_version = int(),
                        "revision" => p.revision = int(),
                        "amends" => p.amends = text(),
                        "amend_reason" => p.amend_reason = text(),
                        "superseded_by" => p.superseded_by = text(),
                        "created_by" => p.created_by = text(),
                        "created_at" => p.created_at = text(),
                        "seal" => p.seal = text(),
                        _ => {}
                    }
                }
                ValueRef::Object(_) => match item.key.as_ref() {
                    "fields" => p.fields = Some(item.id()),
                    "media" => p.media = Some(item.id()),
                    "signatures" => p.signatures = Some(item.id()),
                    "refusals" => p.refusals = Some(item.id()),
                    _ => {}
                },
            }
        }
        let missing = |what: &str| CoreError::Malformed(format!("缺少容器: {what}"));
        let template = p.template.unwrap_or_default();
        let template_version = p.template_version.unwrap_or(1) as u32;
        let tpl = TemplateRegistry::builtin().get(&template, template_version)?;
        let fields_obj = p.fields.ok_or_else(|| missing("fields"))?;
        let mut fields = BTreeMap::new();
        for item in self.doc.map_range(&fields_obj, ..) {
            let key = item.key.as_ref();
            let value = match &item.value {
                ValueRef::Scalar(v) => match v {
                    ScalarValueRef::Str(t) => Some(FieldValue::Text(t.to_string())),
                    ScalarValueRef::Int(n) => Some(FieldValue::Int(*n)),
                    ScalarValueRef::Uint(n) => {
                        Some(FieldValue::Int(i64::try_from(*n).unwrap_or(i64::MAX)))
                    }
                    ScalarValueRef::Boolean(b) => Some(FieldValue::Bool(*b)),
                    ScalarValueRef::Null => None,
                    other => {
                        return Err(CoreError::Malformed(format!(
                            "字段 {key} 的值类型未知: {other:?}"
                        )))
                    }
                },
                ValueRef::Object(_) => {
                    let ty = tpl.field(key).map(|f| f.ty).unwrap_or(FieldType::Text);
                    self.read_field(&fields_obj, key, ty)?
                }
            };
            if let Some(v) = value {
                fields.insert(key.to_string(), v);
            }
        }
        let media = self.strings(&p.media.ok_or_else(|| missing("media"))?)?;
        let seal = match p.seal {
            Some(json) => {
                let mut seal: Seal = serde_json::from_str(&json)
                    .map_err(|e| CoreError::Malformed(format!("封存数据: {e}")))?;
                let sigs = p.signatures.ok_or_else(|| missing("signatures"))?;
                for s in self.strings(&sigs)? {
                    let entry: SignatureEntry = serde_json::from_str(&s)
                        .map_err(|e| CoreError::Malformed(format!("签名数据: {e}")))?;
                    seal.signatures.push(entry);
                }
                let refs = p.refusals.ok_or_else(|| missing("refusals"))?;
                for s in self.strings(&refs)? {
                    let entry: Refusal = serde_json::from_str(&s)
                        .map_err(|e| CoreError::Malformed(format!("拒签数据: {e}")))?;
                    seal.refusals.push(entry);
                }
                Some(seal)
            }
            None => None,
        };
        Ok(Record {
            id: id.to_string(),
            template,
            template_version,
            revision: p.revision.unwrap_or(1) as u32,
            amends: p.amends,
            amend_reason: p.amend_reason,
            superseded_by: p.superseded_by,
            created_by: p.created_by.unwrap_or_default(),
            created_at: p.created_at.unwrap_or_default(),
            fields,
            media,
            seal,
        })
    }

    fn read_field(&self, obj: &ObjId, key: &str, ty: FieldType) -> Result<Option<FieldValue>> {
        Ok(match self.doc.get(obj, key)? {
            None => None,
            Some((Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Str(t) => Some(FieldValue::Text(t.to_string())),
                ScalarValue::Int(n) => Some(FieldValue::Int(*n)),
                ScalarValue::Uint(n) => {
                    Some(FieldValue::Int(i64::try_from(*n).unwrap_or(i64::MAX)))
                }
                ScalarValue::Boolean(b) => Some(FieldValue::Bool(*b)),
                ScalarValue::Null => None,
                other => {
                    return Err(CoreError::Malformed(format!(
                        "字段 {key} 的值类型未知: {other:?}"
                    )))
                }
            },
            Some((Value::Object(ObjType::List), list)) => {
                if ty == FieldType::QaList {
                    let mut pairs = Vec::new();
                    for i in 0..self.doc.length(&list) {
                        if let Some((Value::Object(ObjType::Map), m)) = self.doc.get(&list, i)? {
                            pairs.push(QaPair {
                                q: self.str_at(&m, "q")?.unwrap_or_default(),
                                a: self.str_at(&m, "a")?.unwrap_or_default(),
                            });
                        }
                    }
                    Some(FieldValue::Qa(pairs))
                } else {
                    Some(FieldValue::List(self.strings(&list)?))
                }
            }
            Some(_) => return Err(CoreError::Malformed(format!("字段 {key} 的结构未知"))),
        })
    }

    // ----- writing -------------------------------------------------------

    /// Adds a party.
    pub fn add_party(&mut self, party: &Party, who: &Actor<'_>) -> Result<()> {
        validate_actor(who)?;
        limits::check_party(party)?;
        let mut parties: Vec<Party> = hydrate_prop(&self.doc, &ROOT, "parties")?;
        if parties.iter().any(|p| p.id == party.id) {
            return Err(CoreError::InvalidInput(format!(
                "当事人 {} 已存在",
                party.id
            )));
        }
        parties.push(party.clone());
        reconcile_prop(&mut self.doc, &ROOT, "parties", &parties)?;
        // The party id, not the name: the history carries no personal data.
        self.push_event(EventKind::PartyAdded, who, None, &party.id)?;
        self.commit(who, "add party");
        Ok(())
    }

    /// Assigns an officer to the case.
    pub fn add_officer(&mut self, officer: &Officer, who: &Actor<'_>) -> Result<()> {
        validate_actor(who)?;
        limits::check_officer(officer)?;
        let mut officers: Vec<Officer> = hydrate_prop(&self.doc, &ROOT, "officers")?;
        if officers.iter().any(|o| o.id == officer.id) {
            return Ok(());
        }
        officers.push(officer.clone());
        reconcile_prop(&mut self.doc, &ROOT, "officers", &officers)?;
        self.push_event(EventKind::OfficerAssigned, who, None, &officer.id)?;
        self.commit(who, "assign officer");
        Ok(())
    }

    /// Records an event in the history (亮证, 权利告知, 送达, ...).
    pub fn log_event(
        &mut self,
        kind: EventKind,
        who: &Actor<'_>,
        target: Option<&str>,
        detail: &str,
    ) -> Result<()> {
        validate_actor(who)?;
        check_len("事件说明", detail, limits::EVENT_DETAIL_MAX)?;
        if let Some(t) = target {
            check_len("事件对象", t, limits::ID_MAX)?;
        }
        self.push_event(kind, who, target, detail)?;
        self.commit(who, "event");
        Ok(())
    }

    /// Moves the case to another stage (the caller checks the gates first,
    /// see [`crate::rules::blocking`]).
    pub fn set_stage(&mut self, stage: Stage, who: &Actor<'_>) -> Result<()> {
        validate_actor(who)?;
        let header = self.obj(&ROOT, "header")?;
        self.doc.put(&header, "stage", am_variant(&stage))?;
        self.push_event(EventKind::StageAdvanced, who, None, stage.label())?;
        self.commit(who, "set stage");
        Ok(())
    }

    /// Sets the proposed/decided fine in fen (used by the major-decision rule).
    pub fn set_fine(&mut self, fine_fen: Option<i64>, who: &Actor<'_>) -> Result<()> {
        validate_actor(who)?;
        if let Some(n) = fine_fen {
            limits::check_fine(n)?;
        }
        let header = self.obj(&ROOT, "header")?;
        match fine_fen {
            Some(n) => self.doc.put(&header, "fine_fen", n)?,
            None => self.doc.put(&header, "fine_fen", ScalarValue::Null)?,
        }
        self.push_event(EventKind::FineChanged, who, None, "fine_fen")?;
        self.commit(who, "set fine");
        Ok(())
    }

    // ----- helpers -------------------------------------------------------

    fn writable_record(&self, record_id: &str) -> Result<(ObjId, &'static Template)> {
        let records = self.obj(&ROOT, "records")?;
        let rec = self
            .obj(&records, record_id)
            .map_err(|_| CoreError::RecordNotFound(record_id.into()))?;
        if self.doc.get(&rec, "seal")?.is_some() {
            return Err(CoreError::RecordSealed(record_id.into()));
        }
        let template = self.str_at(&rec, "template")?.unwrap_or_default();
        let version = self.int_at(&rec, "template_version")?.unwrap_or(1) as u32;
        let tpl = TemplateRegistry::builtin().get(&template, version)?;
        Ok((rec, tpl))
    }

    /// A sealed record's object and its seal digest, refused with
    /// [`CoreError::SealBroken`] when the record's content no longer matches
    /// its seal ([`Record::seal_broken`]): nothing may be signed under it.
    fn sealed_record(&self, record_id: &str) -> Result<(ObjId, String)> {
        let records = self.obj(&ROOT, "records")?;
        let rec = self
            .obj(&records, record_id)
            .map_err(|_| CoreError::RecordNotFound(record_id.into()))?;
        let record = self.read_record(&records, record_id)?;
        if record.seal_broken() {
            return Err(CoreError::SealBroken(record_id.into()));
        }
        let seal = record
            .seal
            .ok_or_else(|| CoreError::RecordNotSealed(record_id.into()))?;
        Ok((rec, seal.digest))
    }

    /// Appends `entry` as a JSON string to the list `key` of a record.
    fn append_json<T: Serialize>(&mut self, rec: &ObjId, key: &str, entry: &T) -> Result<()> {
        let json = serde_json::to_string(entry).map_err(|e| CoreError::Malformed(e.to_string()))?;
        let list = self.obj(rec, key)?;
        let n = self.doc.length(&list);
        self.doc.insert(&list, n, json)?;
        Ok(())
    }

    /// Notes in the history that `who` edited field `key` of `record_id`:
    /// extends the current [`EditBurst`] when it is still open, else starts
    /// a new `RecordEdited` event. The value is never written to the history.
    fn record_edit(&mut self, who: &Actor<'_>, record_id: &str, key: &str) -> Result<()> {
        let at =
            chrono::DateTime::parse_from_rfc3339(who.at).map_err(|_| CoreError::InvalidDate {
                field: "时间".into(),
                value: who.at.into(),
            })?;
        let heads = self.doc.get_heads();
        if let Some(b) = self.burst.as_mut() {
            let secs = (at - b.start).num_seconds();
            if b.heads == heads
                && b.actor == who.user
                && b.device == who.device
                && b.target == record_id
                && (0..=EDIT_BURST_SECS).contains(&secs)
                && (b.keys.iter().any(|k| k == key) || b.keys.len() < EDIT_BURST_KEYS)
            {
                if !b.keys.iter().any(|k| k == key) {
                    b.keys.push(key.to_string());
                    let detail = b.keys.join("、");
                    let event = b.event.clone();
                    self.doc.put(&event, "detail", detail)?;
                }
                return Ok(());
            }
        }
        let event = self.push_event(EventKind::RecordEdited, who, Some(record_id), key)?;
        self.burst = Some(EditBurst {
            heads: Vec::new(),
            event,
            actor: who.user.to_string(),
            device: who.device.to_string(),
            target: record_id.to_string(),
            start: at,
            keys: vec![key.to_string()],
        });
        Ok(())
    }

    /// After an edit's commit: the burst may continue from these heads.
    fn end_edit(&mut self) {
        let heads = self.doc.get_heads();
        if let Some(b) = self.burst.as_mut() {
            b.heads = heads;
        }
    }

    fn push_event(
        &mut self,
        kind: EventKind,
        who: &Actor<'_>,
        target: Option<&str>,
        detail: &str,
    ) -> Result<ObjId> {
        let events = self.obj(&ROOT, "events")?;
        let n = self.doc.length(&events);
        let ev = Event {
            kind,
            at: who.at.into(),
            actor: who.user.into(),
            device: who.device.into(),
            target: target.map(str::to_string),
            detail: detail.into(),
        };
        let obj = self.doc.insert_object(&events, n, ObjType::Map)?;
        // Plain puts in autosurgeon's encoding (a unit variant is its Rust
        // name, `None` is null): `reconcile_prop` would read the heads, which
        // closes the pending change and splits one event into three changes.
        self.doc.put(&obj, "kind", am_variant(&ev.kind))?;
        self.doc.put(&obj, "at", ev.at.as_str())?;
        self.doc.put(&obj, "actor", ev.actor.as_str())?;
        self.doc.put(&obj, "device", ev.device.as_str())?;
        match &ev.target {
            Some(t) => self.doc.put(&obj, "target", t.as_str())?,
            None => self.doc.put(&obj, "target", ScalarValue::Null)?,
        }
        self.doc.put(&obj, "detail", ev.detail.as_str())?;
        Ok(obj)
    }

    fn commit(&mut self, who: &Actor<'_>, what: &str) {
        let time = chrono::DateTime::parse_from_rfc3339(who.at)
            .map(|t| t.timestamp())
            .unwrap_or(0);
        self.doc.commit_with(
            CommitOptions::default()
                .with_message(format!("{what} by {} on {}", who.user, who.device))
                .with_time(time),
        );
    }

    fn obj(&self, parent: &ObjId, key: &str) -> Result<ObjId> {
        match self.doc.get(parent, key)? {
            Some((Value::Object(_), id)) => Ok(id),
            _ => Err(CoreError::Malformed(format!("缺少容器: {key}"))),
        }
    }

    fn str_at(&self, obj: &ObjId, key: &str) -> Result<Option<String>> {
        Ok(match self.doc.get(obj, key)? {
            Some((Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Str(t) => Some(t.to_string()),
                _ => None,
            },
            _ => None,
        })
    }

    fn int_at(&self, obj: &ObjId, key: &str) -> Result<Option<i64>> {
        Ok(match self.doc.get(obj, key)? {
            Some((Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Int(n) => Some(*n),
                ScalarValue::Uint(n) => i64::try_from(*n).ok(),
                _ => None,
            },
            _ => None,
        })
    }

    fn strings(&self, list: &ObjId) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for i in 0..self.doc.length(list) {
            if let Some((Value::Scalar(s), _)) = self.doc.get(list, i)? {
                if let ScalarValue::Str(t) = s.as_ref() {
                    out.push(t.to_string());
                }
            }
        }
        Ok(out)
    }
}

/// How autosurgeon writes a unit enum variant: its Rust name (`Debug`).
fn am_variant<T: std::fmt::Debug>(v: &T) -> String {
    format!("{v:?}")
}

/// The actor's time parses and its account and device ids are not oversized.
fn validate_actor(who: &Actor<'_>) -> Result<()> {
    check_len("操作人", who.user, limits::ID_MAX)?;
    check_len("设备", who.device, limits::ID_MAX)?;
    validate_time(who.at)
}

fn validate_time(at: &str) -> Result<()> {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|_| ())
        .map_err(|_| CoreError::InvalidDate {
            field: "时间".into(),
            value: at.into(),
        })
}
