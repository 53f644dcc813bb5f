//! Resolving a seal conflict (an offline edit concurrent with the seal of
//! the same record): the officer keeps the sealed version, or carries the
//! concurrent edit into an amendment (更正/补正 record) with a reason. Either
//! way the sealed record gets its sealed content back, so its seal verifies
//! again, and the decision is written into the record: every replica that
//! merges the change sees the conflict resolved (执法全过程记录制度 第三条、
//! 第十二条: sealed records are never rewritten; a correction is a new record).

use automerge::transaction::Transactable;
use automerge::{ObjId, ReadDoc, ROOT};
use serde::{Deserialize, Serialize};

use super::{validate_actor, Actor, CaseDoc, SealConflict};
use crate::case::EventKind;
use crate::error::{CoreError, Result};
use crate::limits::{self, check_len};
use crate::record::{FieldValue, Record};
use crate::template::TemplateRegistry;

/// The article a resolution follows.
pub const RESOLUTION_ARTICLE: &str = "执法全过程记录制度 第三条、第十二条";

/// The record-map key holding a resolution (JSON of [`ConflictResolution`]).
const RESOLUTION_KEY: &str = "conflict_resolution";

/// How a seal conflict was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResolutionKind {
    /// The sealed version stands; the concurrent edit is set aside (it stays
    /// in the history).
    KeepSealed,
    /// The concurrent edit was carried into an amendment with a reason.
    Amended,
}

impl ResolutionKind {
    /// Chinese name, as pages and terminals show it.
    pub fn label(self) -> &'static str {
        match self {
            ResolutionKind::KeepSealed => "保留封存版本",
            ResolutionKind::Amended => "以更正文书载入并发修改",
        }
    }
}

/// What the officer decides for one conflicted record.
#[derive(Debug, Clone, Copy)]
pub enum ConflictChoice<'a> {
    /// Keep the sealed version.
    KeepSealed,
    /// Carry the concurrent edit into a new amendment `new_id` for `reason`.
    Amend {
        /// Fresh record id of the amendment.
        new_id: &'a str,
        /// Why (更正/补正 理由).
        reason: &'a str,
    },
}

/// A resolution as stored on the sealed record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictResolution {
    /// Record id of the sealed record.
    pub record_id: String,
    /// How.
    pub kind: ResolutionKind,
    /// Account id of who decided.
    pub by: String,
    /// Device it was decided on.
    pub device: String,
    /// When (RFC 3339).
    pub at: String,
    /// The amendment carrying the concurrent edit ([`ResolutionKind::Amended`]).
    pub amendment: Option<String>,
    /// The amendment's reason.
    pub reason: Option<String>,
    /// Digest of the seal that stands.
    pub seal_digest: String,
    /// Keys of the fields the concurrent edit had changed (never values).
    pub fields: Vec<String>,
}

impl ConflictResolution {
    /// One Chinese sentence: how, and what follows.
    pub fn describe(&self) -> String {
        let mut s = format!("封存冲突已处理: {}", self.kind.label());
        if let Some(a) = &self.amendment {
            s.push_str(&format!(" (更正文书 {a}"));
            if let Some(r) = &self.reason {
                s.push_str(&format!(", 理由: {r}"));
            }
            s.push(')');
        }
        if !self.fields.is_empty() {
            s.push_str(&format!("; 涉及字段: {}", self.fields.join("、")));
        }
        s.push_str(&format!(" ({RESOLUTION_ARTICLE})"));
        s
    }
}

/// One field of a conflicted record, both versions side by side, displayed
/// as the record shows them (identity and mobile numbers masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConflictField {
    /// Field key.
    pub key: String,
    /// The template's label.
    pub label: String,
    /// The value under the seal ("" when empty).
    pub sealed: String,
    /// The value after the concurrent edit ("" when empty).
    pub edited: String,
    /// True when the two differ.
    pub differs: bool,
}

impl SealConflict {
    /// True when this conflict can be resolved here: one seal, and an edit
    /// that crossed it (not two concurrent seals, not a forged amendment link).
    pub fn resolvable(&self) -> bool {
        self.concurrent_seals.len() <= 1 && self.sealed_version != self.merged_version
    }

    /// Every field of the record's template that either version fills,
    /// sealed value beside the edited one, in the template's order.
    pub fn fields(&self) -> Vec<ConflictField> {
        let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).ok();
        let (Some(a), Some(b)) = (parse(&self.sealed_version), parse(&self.merged_version)) else {
            return Vec::new();
        };
        let template = a.get("template").and_then(|t| t.as_str()).unwrap_or("");
        let version = a.get("version").and_then(|v| v.as_u64()).unwrap_or(1) as u32;
        let Ok(tpl) = TemplateRegistry::builtin().get(template, version) else {
            return Vec::new();
        };
        let shown = |doc: &serde_json::Value, key: &str, def| {
            doc.get("fields")
                .and_then(|f| f.get(key))
                .and_then(|v| serde_json::from_value::<FieldValue>(v.clone()).ok())
                .map(|v| v.display_for(def))
                .unwrap_or_default()
        };
        let raw = |doc: &serde_json::Value, key: &str| {
            doc.get("fields").and_then(|f| f.get(key)).cloned()
        };
        let mut out: Vec<ConflictField> = tpl
            .fields
            .iter()
            .filter(|d| raw(&a, &d.key).is_some() || raw(&b, &d.key).is_some())
            .map(|d| ConflictField {
                key: d.key.clone(),
                label: d.label.clone(),
                sealed: shown(&a, &d.key, d),
                edited: shown(&b, &d.key, d),
                differs: raw(&a, &d.key) != raw(&b, &d.key),
            })
            .collect();
        let media = |doc: &serde_json::Value| {
            let n = doc
                .get("media")
                .and_then(|m| m.as_array())
                .map_or(0, |m| m.len());
            format!("{n} 个")
        };
        if a.get("media") != b.get("media") {
            out.push(ConflictField {
                key: "media".into(),
                label: "音像资料".into(),
                sealed: media(&a),
                edited: media(&b),
                differs: true,
            });
        }
        out
    }
}

impl CaseDoc {
    /// Resolves the seal conflict of `record_id` as `choice` says, in one
    /// change: the sealed record gets its sealed fields and media back (its
    /// seal verifies again), an amendment carries the concurrent edit when
    /// asked, and the decision is stored on the record and in the history.
    pub fn resolve_seal_conflict(
        &mut self,
        record_id: &str,
        choice: ConflictChoice<'_>,
        who: &Actor<'_>,
    ) -> Result<ConflictResolution> {
        validate_actor(who)?;
        let conflict = self
            .seal_conflicts()?
            .into_iter()
            .find(|c| c.record_id == record_id)
            .ok_or_else(|| {
                CoreError::InvalidInput(format!("文书 {record_id} 没有封存冲突, 无需处理"))
            })?;
        if !conflict.resolvable() {
            return Err(CoreError::InvalidInput(format!(
                "文书 {record_id} 的冲突不是封存后的并发修改 (并发封存或修订关系异常), \
                 不能在设备上处理, 请交法制机构核查 ({RESOLUTION_ARTICLE})"
            )));
        }
        let merged = self.record(record_id)?;
        let sealed = self.sealed_version_of(record_id)?;
        let seal_digest = sealed
            .seal
            .as_ref()
            .map(|s| s.digest.clone())
            .ok_or_else(|| CoreError::RecordNotSealed(record_id.into()))?;
        if (&merged.template, merged.template_version, merged.revision)
            != (&sealed.template, sealed.template_version, sealed.revision)
            || (&merged.amends, &merged.amend_reason) != (&sealed.amends, &sealed.amend_reason)
        {
            return Err(CoreError::InvalidInput(format!(
                "文书 {record_id} 的模板或修订关系被改动, 不能在设备上处理, 请交法制机构核查 \
                 ({RESOLUTION_ARTICLE})"
            )));
        }
        let fields: Vec<String> = conflict
            .fields()
            .into_iter()
            .filter(|f| f.differs)
            .map(|f| f.key)
            .collect();
        let (kind, amendment, reason) = match choice {
            ConflictChoice::KeepSealed => (ResolutionKind::KeepSealed, None, None),
            ConflictChoice::Amend { new_id, reason } => {
                if reason.trim().is_empty() {
                    return Err(CoreError::InvalidInput(
                        "以更正文书处理封存冲突须说明理由".into(),
                    ));
                }
                check_len("更正理由", reason, limits::REASON_MAX)?;
                if let Some(by) = &merged.superseded_by {
                    return Err(CoreError::InvalidInput(format!(
                        "文书 {record_id} 已被 {by} 修订, 请保留封存版本后在 {by} 中更正"
                    )));
                }
                (
                    ResolutionKind::Amended,
                    Some(new_id.to_string()),
                    Some(reason.trim().to_string()),
                )
            }
        };
        let resolution = ConflictResolution {
            record_id: record_id.into(),
            kind,
            by: who.user.into(),
            device: who.device.into(),
            at: who.at.into(),
            amendment: amendment.clone(),
            reason: reason.clone(),
            seal_digest,
            fields,
        };
        let json =
            serde_json::to_string(&resolution).map_err(|e| CoreError::Malformed(e.to_string()))?;
        // Every check is done: the writes below cannot be refused halfway.
        if let (Some(new_id), Some(reason)) = (&amendment, &reason) {
            self.amendment_from(&merged, new_id, reason, who)?;
        }
        let records = self.obj(&ROOT, "records")?;
        let rec = self.obj(&records, record_id)?;
        self.restore(&rec, &merged, &sealed)?;
        if let Some(new_id) = &amendment {
            self.doc.put(&rec, "superseded_by", new_id.as_str())?;
        }
        self.doc.put(&rec, RESOLUTION_KEY, json)?;
        self.push_event(
            EventKind::Other,
            who,
            Some(record_id),
            &resolution.describe(),
        )?;
        self.commit(who, "resolve seal conflict");
        Ok(resolution)
    }

    /// Every stored resolution, by record id.
    pub fn conflict_resolutions(&self) -> Result<Vec<ConflictResolution>> {
        let records = self.obj(&ROOT, "records")?;
        let mut out = Vec::new();
        for id in self.doc.keys(&records).collect::<Vec<_>>() {
            let rec = self.obj(&records, &id)?;
            if let Some(json) = self.str_at(&rec, RESOLUTION_KEY)? {
                let r: ConflictResolution = serde_json::from_str(&json).map_err(|e| {
                    CoreError::Malformed(format!("文书 {id} 的冲突处理记录无法读取: {e}"))
                })?;
                out.push(r);
            }
        }
        Ok(out)
    }

    /// The record as it was when its (single) seal was written.
    fn sealed_version_of(&mut self, record_id: &str) -> Result<Record> {
        let changes: Vec<_> = self
            .stored_seals(record_id)?
            .into_iter()
            .filter_map(|s| s.change)
            .collect();
        let [change] = changes.as_slice() else {
            return Err(CoreError::Malformed(format!(
                "文书 {record_id} 的封存记录不唯一"
            )));
        };
        let view = self.at(&[*change])?;
        let r = view.record(record_id)?;
        match &r.seal {
            Some(seal) if seal.content == r.content() => Ok(r),
            _ => Err(CoreError::Malformed(format!(
                "文书 {record_id} 封存时的内容无法还原"
            ))),
        }
    }

    /// Writes the sealed fields and media back over the merged ones.
    fn restore(&mut self, rec: &ObjId, merged: &Record, sealed: &Record) -> Result<()> {
        let fields = self.obj(rec, "fields")?;
        for key in merged.fields.keys() {
            if !sealed.fields.contains_key(key) {
                self.doc.delete(&fields, key.as_str())?;
            }
        }
        for (key, value) in &sealed.fields {
            if merged.fields.get(key) != Some(value) {
                self.write_field(&fields, key, value)?;
            }
        }
        if merged.media != sealed.media {
            let media = self.obj(rec, "media")?;
            for i in (0..self.doc.length(&media)).rev() {
                self.doc.delete(&media, i)?;
            }
            for (i, h) in sealed.media.iter().enumerate() {
                self.doc.insert(&media, i, h.as_str())?;
            }
        }
        Ok(())
    }

    /// A new unsealed amendment of `merged` carrying its (edited) fields and
    /// media, like [`CaseDoc::amend_record`] but inside the resolving change.
    fn amendment_from(
        &mut self,
        merged: &Record,
        new_id: &str,
        reason: &str,
        who: &Actor<'_>,
    ) -> Result<()> {
        let tpl = TemplateRegistry::builtin()
            .get(&merged.template, merged.template_version)?
            .clone();
        let rec = self.create_record_inner(
            new_id,
            &tpl,
            merged.revision + 1,
            Some(&merged.id),
            Some(reason),
            who,
        )?;
        let fields = self.obj(&rec, "fields")?;
        for (k, v) in &merged.fields {
            self.write_field(&fields, k, v)?;
        }
        let media = self.obj(&rec, "media")?;
        for (i, h) in merged.media.iter().enumerate() {
            self.doc.insert(&media, i, h.as_str())?;
        }
        self.push_event(EventKind::RecordAmended, who, Some(new_id), reason)?;
        Ok(())
    }
}
