//! Seals on the case document: sealing a record, signatures and refusals
//! under a seal, amendments, and after a merge the seal conflicts and the
//! verification of every seal.

use automerge::transaction::Transactable;
use automerge::{ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::{validate_actor, Actor, CaseDoc, SealConflict};
use crate::case::EventKind;
use crate::error::{CoreError, Result};
use crate::limits::{self, check_len};
use crate::record::Record;
use crate::seal::{diff_content, DeviceKey, Refusal, Seal, SignatureEntry};
use crate::template::{SignerRole, TemplateRegistry};

impl CaseDoc {
    /// The canonical content of a record as it is now.
    pub fn current_content(&self, record: &Record) -> String {
        record.content()
    }

    /// Seals a record: its canonical content is hashed and signed by the
    /// device. Required fields must be filled first. The record is read-only
    /// from then on.
    pub fn seal_record(
        &mut self,
        record_id: &str,
        who: &Actor<'_>,
        key: &DeviceKey,
    ) -> Result<Seal> {
        validate_actor(who)?;
        let (rec, tpl) = self.writable_record(record_id)?;
        let record = self.record(record_id)?;
        let missing = record.missing_required(tpl);
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|f| f.label.as_str()).collect();
            return Err(CoreError::InvalidInput(format!(
                "必填项未填写: {}",
                names.join("、")
            )));
        }
        let seal = Seal::create(
            self.current_content(&record),
            who.at,
            who.user,
            who.device,
            key,
        );
        let json = serde_json::to_string(&seal).map_err(|e| CoreError::Malformed(e.to_string()))?;
        self.doc.put(&rec, "seal", json)?;
        self.push_event(EventKind::RecordSealed, who, Some(record_id), &seal.digest)?;
        self.commit(who, "seal");
        Ok(seal)
    }

    /// Adds a signature to a sealed record.
    #[allow(clippy::too_many_arguments)]
    pub fn sign_record(
        &mut self,
        record_id: &str,
        role: SignerRole,
        signer_id: &str,
        signer_name: &str,
        strokes: Option<String>,
        who: &Actor<'_>,
        key: &DeviceKey,
    ) -> Result<SignatureEntry> {
        validate_actor(who)?;
        if signer_name.trim().is_empty() {
            return Err(CoreError::InvalidInput("签名人姓名不能为空".into()));
        }
        check_len("签名人编号", signer_id, limits::ID_MAX)?;
        check_len("签名人姓名", signer_name, limits::NAME_MAX)?;
        if let Some(h) = &strokes {
            if !crate::media::is_sha256_hex(h) {
                return Err(CoreError::InvalidMedia(
                    "签名笔迹文件的 SHA-256 应为 64 位小写十六进制".into(),
                ));
            }
        }
        let (rec, digest) = self.sealed_record(record_id)?;
        let entry = SignatureEntry::create(
            &digest,
            role,
            signer_id,
            signer_name,
            who.at,
            who.device,
            strokes,
            key,
        );
        self.append_json(&rec, "signatures", &entry)?;
        self.push_event(
            EventKind::Signed,
            who,
            Some(record_id),
            &format!("{} {}", role.label(), signer_name),
        )?;
        self.commit(who, "sign");
        Ok(entry)
    }

    /// Records a refusal to sign, with a witness ((二) 第十二条).
    #[allow(clippy::too_many_arguments)]
    pub fn refuse_signature(
        &mut self,
        record_id: &str,
        role: SignerRole,
        person_name: &str,
        reason: &str,
        witness_name: &str,
        who: &Actor<'_>,
        key: &DeviceKey,
    ) -> Result<Refusal> {
        validate_actor(who)?;
        if witness_name.trim().is_empty() {
            return Err(CoreError::InvalidInput(
                "拒绝签字须有见证人在场并记录见证人姓名 ((二) 第十二条)".into(),
            ));
        }
        check_len("拒签人姓名", person_name, limits::NAME_MAX)?;
        check_len("见证人姓名", witness_name, limits::NAME_MAX)?;
        check_len("拒签理由", reason, limits::REASON_MAX)?;
        let (rec, digest) = self.sealed_record(record_id)?;
        let entry = Refusal::create(
            &digest,
            role,
            person_name,
            reason,
            witness_name,
            who.at,
            who.user,
            who.device,
            key,
        );
        self.append_json(&rec, "refusals", &entry)?;
        self.push_event(
            EventKind::SignatureRefused,
            who,
            Some(record_id),
            &format!("{person_name} 拒绝签字, 见证人 {witness_name}"),
        )?;
        self.commit(who, "refuse");
        Ok(entry)
    }

    /// Amends a sealed record: a new revision with the same fields, unsealed,
    /// pointing to the old one; the old record is marked superseded. Returns
    /// nothing; the new record has id `new_id`.
    pub fn amend_record(
        &mut self,
        record_id: &str,
        new_id: &str,
        reason: &str,
        who: &Actor<'_>,
    ) -> Result<()> {
        validate_actor(who)?;
        if reason.trim().is_empty() {
            return Err(CoreError::InvalidInput("修订须说明理由".into()));
        }
        check_len("修订理由", reason, limits::REASON_MAX)?;
        let old = self.record(record_id)?;
        if old.seal.is_none() {
            return Err(CoreError::RecordNotSealed(record_id.into()));
        }
        if let Some(s) = &old.superseded_by {
            // A forged `superseded_by` (no amendment behind it) does not block.
            if self
                .supersession_problem(record_id, old.superseded_by.as_deref())?
                .is_none()
            {
                return Err(CoreError::InvalidInput(format!(
                    "文书 {record_id} 已被 {s} 修订, 请修订最新版本"
                )));
            }
        }
        let tpl = TemplateRegistry::builtin()
            .get(&old.template, old.template_version)?
            .clone();
        let rec = self.create_record_inner(
            new_id,
            &tpl,
            old.revision + 1,
            Some(record_id),
            Some(reason),
            who,
        )?;
        let fields = self.obj(&rec, "fields")?;
        for (k, v) in &old.fields {
            self.write_field(&fields, k, v)?;
        }
        let media = self.obj(&rec, "media")?;
        for (i, h) in old.media.iter().enumerate() {
            self.doc.insert(&media, i, h.as_str())?;
        }
        let old_obj = self.obj(&self.obj(&ROOT, "records")?, record_id)?;
        self.doc.put(&old_obj, "superseded_by", new_id)?;
        self.push_event(EventKind::RecordAmended, who, Some(new_id), reason)?;
        self.commit(who, "amend");
        Ok(())
    }

    // ----- seals after merge ---------------------------------------------

    /// Every sealed record whose content no longer matches its seal, or that
    /// was sealed concurrently with different content.
    pub fn seal_conflicts(&self) -> Result<Vec<SealConflict>> {
        let records = self.obj(&ROOT, "records")?;
        let mut out = Vec::new();
        for id in self.doc.keys(&records).collect::<Vec<_>>() {
            let rec = self.obj(&records, &id)?;
            let seals: Vec<String> = self
                .doc
                .get_all(&rec, "seal")?
                .into_iter()
                .filter_map(|(v, _)| match v {
                    Value::Scalar(s) => match s.as_ref() {
                        ScalarValue::Str(t) => Some(t.to_string()),
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            if seals.is_empty() {
                continue;
            }
            let record = self.read_record(&records, &id)?;
            let current = self.current_content(&record);
            let mut digests = Vec::new();
            let mut sealed_version = String::new();
            let mut conflict = false;
            for json in &seals {
                let seal: Seal =
                    serde_json::from_str(json).map_err(|e| CoreError::Malformed(e.to_string()))?;
                if seal.content != current {
                    conflict = true;
                    sealed_version = seal.content.clone();
                }
                if sealed_version.is_empty() {
                    sealed_version = seal.content.clone();
                }
                digests.push(seal.digest);
            }
            digests.sort();
            digests.dedup();
            // A peer that marks a sealed record superseded without a real
            // amendment would hide it from the gates: report it.
            let forged = self.supersession_problem(&id, record.superseded_by.as_deref())?;
            if conflict || digests.len() > 1 || forged.is_some() {
                let mut changes = diff_content(&sealed_version, &current);
                changes.extend(forged);
                out.push(SealConflict {
                    record_id: id.clone(),
                    changes,
                    sealed_version,
                    merged_version: current,
                    concurrent_seals: if digests.len() > 1 {
                        digests
                    } else {
                        Vec::new()
                    },
                });
            }
        }
        Ok(out)
    }

    /// Verifies every seal (content, digests, signatures) and every
    /// `superseded_by` link (it must name a real amendment): a list of
    /// `(record id, problems)` for each record that fails.
    pub fn verify_seals(&self) -> Result<Vec<(String, Vec<String>)>> {
        // Record by record, without hydrating the rest of the case.
        let records = self.obj(&ROOT, "records")?;
        let mut out = Vec::new();
        for id in self.doc.keys(&records).collect::<Vec<_>>() {
            let rec = self.obj(&records, &id)?;
            let mut problems = if self.doc.get(&rec, "seal")?.is_some() {
                let r = self.read_record(&records, &id)?;
                match &r.seal {
                    Some(seal) => seal.verify(&r.content()),
                    None => Vec::new(),
                }
            } else {
                Vec::new()
            };
            let by = self.str_at(&rec, "superseded_by")?;
            problems.extend(self.supersession_problem(&id, by.as_deref())?);
            if !problems.is_empty() {
                out.push((id, problems));
            }
        }
        Ok(out)
    }

    /// Why the `superseded_by` of `record` is not backed by an amendment
    /// (see [`Case::supersession_problem`]), read straight from the document.
    fn supersession_problem(&self, record_id: &str, by: Option<&str>) -> Result<Option<String>> {
        let Some(by) = by else {
            return Ok(None);
        };
        let records = self.obj(&ROOT, "records")?;
        let amends = match self.doc.get(&records, by)? {
            Some((Value::Object(ObjType::Map), obj)) => self.str_at(&obj, "amends")?,
            _ => {
                return Ok(Some(format!(
                    "文书 {record_id} 标记为已被 {by} 修订, 但案件中没有该文书"
                )))
            }
        };
        if amends.as_deref() == Some(record_id) {
            Ok(None)
        } else {
            Ok(Some(format!(
                "文书 {record_id} 标记为已被 {by} 修订, 但 {by} 并非其修订版"
            )))
        }
    }
}
