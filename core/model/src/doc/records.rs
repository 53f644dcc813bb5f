//! Records on the case document: creating one from its template, setting
//! and clearing fields (validated against the template), attaching media.

use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ReadDoc, ROOT};
use autosurgeon::reconcile_prop;

use super::{validate_actor, Actor, CaseDoc};
use crate::case::EventKind;
use crate::error::{CoreError, Result};
use crate::media::MediaRef;
use crate::record::FieldValue;
use crate::template::Template;

impl CaseDoc {
    /// Creates a record from a template; `record_id` is a fresh UUID chosen
    /// by the caller. All of the record's containers are created here.
    pub fn create_record(
        &mut self,
        record_id: &str,
        template: &Template,
        who: &Actor<'_>,
    ) -> Result<()> {
        validate_actor(who)?;
        self.create_record_inner(record_id, template, 1, None, None, who)?;
        self.push_event(
            EventKind::RecordCreated,
            who,
            Some(record_id),
            &template.name,
        )?;
        self.commit(who, "create record");
        Ok(())
    }

    pub(super) fn create_record_inner(
        &mut self,
        record_id: &str,
        template: &Template,
        revision: u32,
        amends: Option<&str>,
        reason: Option<&str>,
        who: &Actor<'_>,
    ) -> Result<ObjId> {
        if record_id.is_empty() || record_id.len() > 64 {
            return Err(CoreError::InvalidInput("文书编号无效".into()));
        }
        let records = self.obj(&ROOT, "records")?;
        if self.doc.get(&records, record_id)?.is_some() {
            return Err(CoreError::InvalidInput(format!("文书 {record_id} 已存在")));
        }
        let rec = self.doc.put_object(&records, record_id, ObjType::Map)?;
        self.doc.put(&rec, "template", template.id.as_str())?;
        self.doc
            .put(&rec, "template_version", template.version as i64)?;
        self.doc.put(&rec, "revision", revision as i64)?;
        if let Some(a) = amends {
            self.doc.put(&rec, "amends", a)?;
        }
        if let Some(r) = reason {
            self.doc.put(&rec, "amend_reason", r)?;
        }
        self.doc.put(&rec, "created_by", who.user)?;
        self.doc.put(&rec, "created_at", who.at)?;
        self.doc.put_object(&rec, "fields", ObjType::Map)?;
        self.doc.put_object(&rec, "media", ObjType::List)?;
        self.doc.put_object(&rec, "signatures", ObjType::List)?;
        self.doc.put_object(&rec, "refusals", ObjType::List)?;
        Ok(rec)
    }

    /// Sets one field of an unsealed record, validated against its template.
    pub fn set_field(
        &mut self,
        record_id: &str,
        key: &str,
        value: FieldValue,
        who: &Actor<'_>,
    ) -> Result<()> {
        validate_actor(who)?;
        let (rec, tpl) = self.writable_record(record_id)?;
        let def = tpl.field(key)?;
        let value = value.validated(def)?;
        // The history first: reading the heads closes no pending change yet.
        self.record_edit(who, record_id, key)?;
        let fields = self.obj(&rec, "fields")?;
        self.write_field(&fields, key, &value)?;
        self.commit(who, "edit");
        self.end_edit();
        Ok(())
    }

    /// Sets a field from JSON (shells, CLI), validated against the template.
    pub fn set_field_json(
        &mut self,
        record_id: &str,
        key: &str,
        value: &serde_json::Value,
        who: &Actor<'_>,
    ) -> Result<()> {
        validate_actor(who)?;
        let (rec, tpl) = self.writable_record(record_id)?;
        let def = tpl.field(key)?;
        let value = FieldValue::from_json(def, value)?;
        // The history first: reading the heads closes no pending change yet.
        self.record_edit(who, record_id, key)?;
        let fields = self.obj(&rec, "fields")?;
        self.write_field(&fields, key, &value)?;
        self.commit(who, "edit");
        self.end_edit();
        Ok(())
    }

    /// Clears one field of an unsealed record.
    pub fn clear_field(&mut self, record_id: &str, key: &str, who: &Actor<'_>) -> Result<()> {
        validate_actor(who)?;
        let (rec, tpl) = self.writable_record(record_id)?;
        tpl.field(key)?;
        self.record_edit(who, record_id, key)?;
        let fields = self.obj(&rec, "fields")?;
        self.doc.delete(&fields, key)?;
        self.commit(who, "clear");
        self.end_edit();
        Ok(())
    }

    pub(super) fn write_field(
        &mut self,
        fields: &ObjId,
        key: &str,
        value: &FieldValue,
    ) -> Result<()> {
        match value {
            FieldValue::Text(s) => self.doc.put(fields, key, s.as_str())?,
            FieldValue::Int(n) => self.doc.put(fields, key, *n)?,
            FieldValue::Bool(b) => self.doc.put(fields, key, *b)?,
            FieldValue::List(items) => {
                let list = self.doc.put_object(fields, key, ObjType::List)?;
                for (i, it) in items.iter().enumerate() {
                    self.doc.insert(&list, i, it.as_str())?;
                }
            }
            FieldValue::Qa(pairs) => {
                let list = self.doc.put_object(fields, key, ObjType::List)?;
                for (i, p) in pairs.iter().enumerate() {
                    let m = self.doc.insert_object(&list, i, ObjType::Map)?;
                    self.doc.put(&m, "q", p.q.as_str())?;
                    self.doc.put(&m, "a", p.a.as_str())?;
                }
            }
        }
        Ok(())
    }

    /// Attaches a media file (by reference) to an unsealed record.
    pub fn attach_media(&mut self, media: &MediaRef, who: &Actor<'_>) -> Result<()> {
        media.validate()?;
        validate_actor(who)?;
        let (rec, _) = self.writable_record(&media.record_id)?;
        let list = self.obj(&rec, "media")?;
        if !self.strings(&list)?.contains(&media.sha256) {
            let n = self.doc.length(&list);
            self.doc.insert(&list, n, media.sha256.as_str())?;
        }
        let media_obj = self.obj(&ROOT, "media")?;
        reconcile_prop(&mut self.doc, &media_obj, media.sha256.as_str(), media)?;
        self.push_event(
            EventKind::MediaAttached,
            who,
            Some(&media.record_id),
            &media.mime,
        )?;
        self.commit(who, "attach media");
        Ok(())
    }
}
