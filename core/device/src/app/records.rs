//! Record commands: the template-driven editor, edits, seals and
//! amendments, 亮证, rights notification, signatures and refusals.

use zhifa_core::case::EventKind;
use zhifa_core::doc::CaseDoc;
use zhifa_core::input::{InputContext, OfficerName};
use zhifa_core::record::FieldValue;
use zhifa_core::rules::credentials::{credentials_note, records_to_fill, CREDENTIALS_FIELD};
use zhifa_core::rules::{self, RuleProfile, RIGHTS};
use zhifa_core::seal::{Refusal, SignatureEntry};
use zhifa_core::template::{SignerRole, TemplateRegistry};

use super::gates::*;
use super::views::*;
use super::{App, Ctx};
use crate::error::{DeviceError, Result};
use crate::signature::Strokes;
use crate::store::media::MediaRow;

impl App {
    /// Creates a record from a template; returns its id.
    pub fn new_record(&self, case_id: &str, template_id: &str) -> Result<String> {
        let tpl = template(template_id)?;
        let id = uuid::Uuid::new_v4().to_string();
        self.edit(case_id, true, |doc, ctx, _| {
            let case = doc.header()?;
            if !tpl.kinds.contains(&case.kind) {
                return Err(DeviceError::Invalid(format!(
                    "“{}”不适用于{}案件",
                    tpl.name,
                    case.kind.label()
                )));
            }
            doc.create_record(&id, tpl, &ctx.who())?;
            fill_credentials(doc, ctx)?;
            Ok(())
        })?;
        Ok(id)
    }

    /// The record editor view.
    pub fn record_editor(&self, case_id: &str, record_id: &str) -> Result<RecordEditor> {
        self.read(case_id, |doc, inner| {
            let case = doc.case()?;
            let r = case
                .record(record_id)
                .ok_or_else(|| zhifa_core::CoreError::RecordNotFound(record_id.into()))?;
            let tpl = TemplateRegistry::builtin().get(&r.template, r.template_version)?;
            let fields = tpl
                .fields
                .iter()
                .map(|f| {
                    let value = r.fields.get(&f.key);
                    let filled = value.map(|v| v.is_filled()).unwrap_or(false);
                    FieldView {
                        key: f.key.clone(),
                        label: f.label.clone(),
                        ty: f.ty,
                        required: f.required,
                        options: f.options.clone(),
                        value: value.and_then(|v| serde_json::to_value(v).ok()),
                        display: match (value, f.key == CREDENTIALS_FIELD) {
                            (Some(FieldValue::Bool(true)), true) => credentials_note(&case)
                                .map(|n| format!("是 ({n})"))
                                .unwrap_or_else(|| "是".into()),
                            (Some(FieldValue::List(ids)), _) if f.holds_officers() => {
                                zhifa_core::history::officer_names(&case, ids)
                            }
                            (Some(v), _) => v.display_for(f),
                            (None, _) => String::new(),
                        },
                        message: (f.required && !filled).then(|| "必填项".to_string()),
                    }
                })
                .collect();
            let seal = r.seal.as_ref();
            Ok(RecordEditor {
                case_id: case_id.into(),
                record_id: record_id.into(),
                name: tpl.name.clone(),
                article: tpl.article.clone(),
                sealed: r.is_sealed(),
                seal_broken: r.seal_broken(),
                digest: seal.map(|s| s.digest.clone()),
                fields,
                missing_fields: r
                    .missing_required(tpl)
                    .iter()
                    .map(|f| f.label.clone())
                    .collect(),
                missing_signatures: rules::missing_signatures(r, tpl),
                signatures: seal
                    .map(|s| {
                        s.signatures
                            .iter()
                            .map(|x| SignatureView {
                                role: x.role.label().into(),
                                role_code: x.role,
                                name: x.signer_name.clone(),
                                at: x.at.clone(),
                                image: x.strokes.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                refusals: seal
                    .map(|s| {
                        s.refusals
                            .iter()
                            .map(|x| {
                                format!(
                                    "{} {} 拒绝签字 (见证人 {})",
                                    x.role.label(),
                                    x.person_name,
                                    x.witness_name
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                blocking: blocking(inner, &case),
                media: r.media.clone(),
                av_required: tpl.av_required,
            })
        })
    }

    /// Sets one field from what the officer typed (JSON), converted and
    /// validated by [`zhifa_core::input::field_value`]: local date-times
    /// (`2026-12-02 10:00`, `10:00` for today), dates (`2026/12/2`,
    /// `2026年12月2日`), officers by user name, name or account id (stored as
    /// ids); refusals in Chinese name what would be accepted. Durable when it
    /// returns.
    pub fn set_field(
        &self,
        case_id: &str,
        record_id: &str,
        key: &str,
        value: &serde_json::Value,
    ) -> Result<()> {
        let usernames = self.known_usernames()?;
        self.edit(case_id, false, |doc, ctx, _| {
            let value = typed_value(doc, ctx, &usernames, record_id, key, value)?;
            Ok(doc.set_field_json(record_id, key, &value, &ctx.who())?)
        })
    }

    /// Clears one field.
    pub fn clear_field(&self, case_id: &str, record_id: &str, key: &str) -> Result<()> {
        self.edit(case_id, false, |doc, ctx, _| {
            Ok(doc.clear_field(record_id, key, &ctx.who())?)
        })
    }

    /// Seals a record (required fields first); returns the digest.
    pub fn seal_record(&self, case_id: &str, record_id: &str) -> Result<String> {
        self.edit(case_id, true, |doc, ctx, _| {
            Ok(doc.seal_record(record_id, &ctx.who(), &ctx.key)?.digest)
        })
    }

    /// Amends a sealed record: a new unsealed revision with the same content,
    /// to be corrected, sealed and signed again. Returns the new record id.
    pub fn amend_record(&self, case_id: &str, record_id: &str, reason: &str) -> Result<String> {
        let id = uuid::Uuid::new_v4().to_string();
        self.edit(case_id, true, |doc, ctx, _| {
            Ok(doc.amend_record(record_id, &id, reason, &ctx.who())?)
        })?;
        Ok(id)
    }

    /// Records that credentials were shown (亮证): who, where, when.
    pub fn show_credentials(
        &self,
        case_id: &str,
        place: &str,
        gps: Option<(f64, f64)>,
    ) -> Result<String> {
        if place.trim().is_empty() {
            return Err(DeviceError::Invalid("请填写亮证地点".into()));
        }
        self.edit(case_id, true, |doc, ctx, _| {
            let case = doc.case()?;
            let who: Vec<String> = case
                .officers
                .iter()
                .map(|o| format!("{}(执法证号 {})", o.name, o.credential_no))
                .collect();
            let mut detail = format!(
                "执法人员 {} 出示执法证件; 地点: {}",
                who.join("、"),
                place.trim()
            );
            if let Some((lat, lon)) = gps {
                detail.push_str(&format!("; 坐标: {lat:.6},{lon:.6}"));
            }
            doc.log_event(EventKind::CredentialShown, &ctx.who(), None, &detail)?;
            fill_credentials(doc, ctx)?;
            Ok(detail)
        })
    }

    /// Records that the party was told of their rights (权利告知).
    pub fn notify_rights(
        &self,
        case_id: &str,
        rights: &[String],
        method: &str,
        record_id: Option<&str>,
    ) -> Result<String> {
        if rights.is_empty() {
            return Err(DeviceError::Invalid("请选择告知的权利".into()));
        }
        for r in rights {
            if !RIGHTS.contains(&r.as_str()) {
                return Err(DeviceError::Invalid(format!(
                    "未知的权利“{r}”, 可选: {}",
                    RIGHTS.join("、")
                )));
            }
        }
        if method.trim().is_empty() {
            return Err(DeviceError::Invalid("请填写告知方式".into()));
        }
        self.edit(case_id, true, |doc, ctx, _| {
            let detail = format!(
                "告知方式: {}; 告知权利: {}",
                method.trim(),
                rights.join("、")
            );
            doc.log_event(EventKind::RightsNotified, &ctx.who(), record_id, &detail)?;
            Ok(detail)
        })
    }

    /// A signature drawn on the screen: the strokes are rendered to PNG,
    /// stored as a blob (queued for upload) and the signature entry, naming
    /// the PNG's SHA-256, is signed by the device over the seal's digest.
    #[allow(clippy::too_many_arguments)]
    pub fn sign(
        &self,
        case_id: &str,
        record_id: &str,
        role: SignerRole,
        signer_id: &str,
        signer_name: &str,
        strokes: &Strokes,
    ) -> Result<SignatureEntry> {
        if zhifa_core::authority::roles_for_signer(role).is_some() {
            // An office role's signature counts only from the logged-in
            // account holding that role, signing as itself.
            let g = self.lock();
            let me = g.login.as_ref().map(|l| &l.response.officer);
            let roles = me.map(|o| o.roles.clone()).unwrap_or_default();
            zhifa_core::authority::may_sign_as(role, &roles)
                .map_err(|r| DeviceError::Invalid(r.to_string()))?;
            if me.is_none_or(|o| o.id != signer_id) {
                return Err(DeviceError::Invalid(format!(
                    "以“{}”身份签字须由该账号本人登录后签署",
                    role.label()
                )));
            }
        }
        self.refuse_broken_seal(case_id, record_id)?;
        let png = strokes.render_png()?;
        let blobs = self.lock().blobs.clone();
        let stored = blobs.put_bytes(&png)?;
        self.edit(case_id, true, |doc, ctx, media| {
            let entry = doc.sign_record(
                record_id,
                role,
                signer_id,
                signer_name,
                Some(stored.sha256.clone()),
                &ctx.who(),
                &ctx.key,
            )?;
            media.push((
                MediaRow {
                    sha256: stored.sha256.clone(),
                    mime: "image/png".into(),
                    size: stored.size,
                    case_id: case_id.into(),
                    record_id: record_id.into(),
                    captured_at: ctx.at.clone(),
                    lat: None,
                    lon: None,
                    thumb: None,
                    upload: "pending".into(),
                    attempts: 0,
                    last_error: None,
                },
                ctx.at.clone(),
            ));
            Ok(entry)
        })
    }

    /// Records a refusal to sign, with a witness ((二) 第十二条).
    pub fn refuse(
        &self,
        case_id: &str,
        record_id: &str,
        role: SignerRole,
        person: &str,
        reason: &str,
        witness: &str,
    ) -> Result<Refusal> {
        self.refuse_broken_seal(case_id, record_id)?;
        self.edit(case_id, true, |doc, ctx, _| {
            Ok(doc.refuse_signature(
                record_id,
                role,
                person,
                reason,
                witness,
                &ctx.who(),
                &ctx.key,
            )?)
        })
    }

    /// Verifies every seal of a case: `(record id, problems)` per failing record.
    pub fn verify_seals(&self, case_id: &str) -> Result<Vec<(String, Vec<String>)>> {
        self.read(case_id, |doc, _| Ok(doc.verify_seals()?))
    }

    /// Refuses, naming the record by its template and id, to sign or record
    /// a refusal under a seal its content no longer matches (zhifa-core
    /// refuses too; this check runs before any strokes are stored).
    fn refuse_broken_seal(&self, case_id: &str, record_id: &str) -> Result<()> {
        self.read(case_id, |doc, _| {
            let r = doc.record(record_id)?;
            if !r.seal_broken() {
                return Ok(());
            }
            let name = TemplateRegistry::builtin()
                .get(&r.template, r.template_version)
                .map(|t| format!("“{}” {record_id}", t.name))
                .unwrap_or_else(|_| record_id.to_string());
            Err(zhifa_core::CoreError::SealBroken(name).into())
        })
    }
}

/// What the officer typed for `key`, as the value to store
/// ([`zhifa_core::input::field_value`]; today and the officers of the case
/// come from here, with the user names this device knows).
fn typed_value(
    doc: &CaseDoc,
    ctx: &Ctx,
    usernames: &std::collections::BTreeMap<String, String>,
    record_id: &str,
    key: &str,
    value: &serde_json::Value,
) -> Result<serde_json::Value> {
    let r = doc.record(record_id)?;
    let tpl = TemplateRegistry::builtin().get(&r.template, r.template_version)?;
    let def = tpl.field(key)?;
    let now = chrono::DateTime::parse_from_rfc3339(&ctx.at).unwrap_or_else(|_| super::now());
    let mut input = InputContext::at(now);
    if def.holds_officers() {
        input.officers = doc
            .case()?
            .officers
            .iter()
            .map(|o| OfficerName {
                id: o.id.clone(),
                name: o.name.clone(),
                username: if o.id == ctx.officer.id {
                    Some(ctx.officer.username.clone())
                } else {
                    usernames.get(&o.id).cloned()
                },
            })
            .collect();
    }
    let v = zhifa_core::input::field_value(def, value, &input)?;
    serde_json::to_value(v).map_err(|e| DeviceError::Invalid(format!("字段值无法保存: {e}")))
}

/// Writes 是 into the credential field of the open records that the 亮证
/// recorded on the case covers ([`records_to_fill`] decides which).
fn fill_credentials(doc: &mut CaseDoc, ctx: &Ctx) -> Result<()> {
    let case = doc.case()?;
    for id in records_to_fill(&case, RuleProfile::default().min_officers) {
        doc.set_field_json(
            &id,
            CREDENTIALS_FIELD,
            &serde_json::Value::Bool(true),
            &ctx.who(),
        )?;
    }
    Ok(())
}
