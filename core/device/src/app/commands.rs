//! The commands and views of the facade.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use zhifa_core::case::{
    CaseHeader, CaseKind, CaseSource, EventKind, Officer, OfficerStatus, Party, PartyKind,
    Procedure, Stage,
};
use zhifa_core::doc::{Case, CaseDoc};
use zhifa_core::media::{GeoPoint, MediaRef};
use zhifa_core::record::Record;
use zhifa_core::rules::{self, GateInput, RuleProfile};
use zhifa_core::seal::{Refusal, SignatureEntry};
use zhifa_core::template::{SignerRole, Template, TemplateRegistry};

use super::summary::{self, code};
use super::views::*;
use super::{now, App, Change, Inner, Subscription};
use crate::blobs::{exif, sniff_mime, thumb};
use crate::error::{DeviceError, Result};
use crate::signature::Strokes;
use crate::store::cases::ListFilter;
use crate::store::media::MediaRow;

/// A party as the officer enters it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyInput {
    /// Natural person, legal person or other organisation.
    pub kind: PartyKind,
    /// Name.
    pub name: String,
    /// ID card number or credit code.
    pub id_number: String,
    /// Legal representative.
    #[serde(default)]
    pub representative: Option<String>,
    /// Address.
    #[serde(default)]
    pub address: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
}

/// A new case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCase {
    /// Inspection or penalty.
    pub kind: CaseKind,
    /// Procedure for penalty cases.
    #[serde(default)]
    pub procedure: Option<Procedure>,
    /// Title.
    pub title: String,
    /// 双随机 task, complaint, own initiative, transfer.
    pub source: CaseSource,
    /// Task or complaint number.
    #[serde(default)]
    pub source_ref: Option<String>,
    /// The party, if known.
    #[serde(default)]
    pub party: Option<PartyInput>,
    /// The other officers working the case (the creator is added).
    #[serde(default)]
    pub partners: Vec<Officer>,
    /// Create a first record from this template (e.g. `inspection_record`).
    #[serde(default)]
    pub first_record: Option<String>,
}

impl NewCase {
    /// An inspection on the officer's own initiative (依职权) with a first
    /// 现场检查笔录 and no party yet; adjust the fields for other starts.
    pub fn inspection(title: &str) -> NewCase {
        NewCase {
            kind: CaseKind::Inspection,
            procedure: None,
            title: title.into(),
            source: CaseSource::ExOfficio,
            source_ref: None,
            party: None,
            partners: Vec::new(),
            first_record: Some("inspection_record".into()),
        }
    }
}

/// What [`App::new_case`] created.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Created {
    /// Case id.
    pub case_id: String,
    /// The first record, if asked for.
    pub record_id: Option<String>,
}

fn template(id: &str) -> Result<&'static Template> {
    Ok(TemplateRegistry::builtin().latest(id)?)
}

fn present_media(inner: &Inner, case: &Case) -> BTreeSet<String> {
    case.media
        .keys()
        .filter(|h| inner.blobs.has(h))
        .cloned()
        .collect()
}

/// The unmet gates for the case's next stage, as Chinese lines.
fn blocking(inner: &Inner, case: &Case) -> Vec<String> {
    let Some(next) = case.header.stage.next() else {
        return Vec::new();
    };
    let present = present_media(inner, case);
    let profile = RuleProfile::default();
    let input = GateInput {
        case,
        profile: &profile,
        present_media: Some(&present),
    };
    rules::blocking(&input, next)
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn record_item(r: &Record) -> RecordItem {
    let tpl = TemplateRegistry::builtin()
        .get(&r.template, r.template_version)
        .ok();
    RecordItem {
        id: r.id.clone(),
        template: r.template.clone(),
        name: tpl.map(|t| t.name.clone()).unwrap_or_default(),
        revision: r.revision,
        sealed: r.is_sealed(),
        superseded: r.superseded_by.is_some(),
        missing_fields: tpl
            .map(|t| {
                r.missing_required(t)
                    .iter()
                    .map(|f| f.label.clone())
                    .collect()
            })
            .unwrap_or_default(),
        missing_signatures: tpl
            .map(|t| rules::missing_signatures(r, t))
            .unwrap_or_default(),
        media: r.media.len(),
    }
}

impl App {
    /// Creates a case (and optionally its first record) as the logged-in
    /// officer, who is assigned to it with the partners.
    pub fn new_case(&self, n: &NewCase) -> Result<Created> {
        if n.title.trim().is_empty() {
            return Err(DeviceError::Invalid("案件标题不能为空".into()));
        }
        if let Some(t) = &n.first_record {
            template(t)?;
        }
        let case_id = uuid::Uuid::new_v4().to_string();
        let record_id = n
            .first_record
            .as_ref()
            .map(|_| uuid::Uuid::new_v4().to_string());
        {
            let mut g = self.lock();
            let ctx = g.ctx()?;
            let who = ctx.who();
            let header = CaseHeader {
                id: case_id.clone(),
                kind: n.kind,
                procedure: n.procedure,
                title: n.title.trim().into(),
                source: n.source,
                stage: if n.kind == CaseKind::Inspection {
                    Stage::Investigation
                } else {
                    Stage::Initiation
                },
                unit: ctx.officer.unit_id.clone(),
                created_at: ctx.at.clone(),
                created_by: ctx.user.clone(),
                source_ref: n.source_ref.clone(),
                fine_fen: None,
                measures: Vec::new(),
            };
            let mut doc = CaseDoc::create(&header, &g.actor, &who)?;
            let me = Officer {
                id: ctx.officer.id.clone(),
                name: ctx.officer.name.clone(),
                post: ctx.officer.post.clone(),
                credential_no: ctx.officer.credential_no.clone(),
                unit: ctx.officer.unit_id.clone(),
                status: ctx.officer.status,
            };
            doc.add_officer(&me, &who)?;
            for o in &n.partners {
                doc.add_officer(o, &who)?;
            }
            if let Some(p) = &n.party {
                doc.add_party(&party_of(p, 1)?, &who)?;
            }
            if let (Some(t), Some(rid)) = (&n.first_record, &record_id) {
                doc.create_record(rid, template(t)?, &who)?;
            }
            let snapshot = doc.save();
            let case = doc.case()?;
            let s = summary::new_summary(&case, &mut doc, "local", &ctx.at);
            g.store.insert_case(&snapshot, &s)?;
            g.docs.insert(case_id.clone(), doc);
        }
        self.notify(Change::Case(case_id.clone()));
        Ok(Created { case_id, record_id })
    }

    /// Imports a saved case document (e.g. handed over as a file).
    pub fn import_case(&self, bytes: &[u8]) -> Result<String> {
        let id = {
            let mut g = self.lock();
            let at = g.ctx().map(|c| c.at).unwrap_or_else(|_| now().to_rfc3339());
            let mut doc = CaseDoc::load(bytes, &g.actor)?;
            let case = doc.case()?;
            let snapshot = doc.save();
            let s = summary::new_summary(&case, &mut doc, "local", &at);
            g.store.insert_case(&snapshot, &s)?;
            case.header.id
        };
        self.notify(Change::Case(id.clone()));
        Ok(id)
    }

    /// The whole document of a case (`save()` bytes), e.g. to hand it over.
    pub fn export_case(&self, case_id: &str) -> Result<Vec<u8>> {
        self.read(case_id, |doc, _| Ok(doc.save()))
    }

    /// Adds a party.
    pub fn add_party(&self, case_id: &str, p: &PartyInput) -> Result<String> {
        self.edit(case_id, true, |doc, ctx, _| {
            let n = doc.case()?.parties.len() + 1;
            let party = party_of(p, n)?;
            doc.add_party(&party, &ctx.who())?;
            Ok(party.id)
        })
    }

    /// Assigns an officer.
    pub fn add_officer(&self, case_id: &str, o: &Officer) -> Result<()> {
        if o.id.trim().is_empty() || o.name.trim().is_empty() {
            return Err(DeviceError::Invalid("执法人员账号和姓名不能为空".into()));
        }
        self.edit(case_id, true, |doc, ctx, _| {
            Ok(doc.add_officer(o, &ctx.who())?)
        })
    }

    /// Case list rows matching `filter`, with deadline badges. Reads only the
    /// summary rows: no document is loaded.
    pub fn list_cases(&self, filter: &ListFilter) -> Result<Vec<CaseListItem>> {
        let rows = self.lock().store.list(filter)?;
        let today = now().date_naive();
        Ok(rows.into_iter().map(|s| list_item(s, today)).collect())
    }

    /// One row of the list, if the case matches `filter`.
    pub fn list_item(&self, filter: &ListFilter, case_id: &str) -> Result<Option<CaseListItem>> {
        let row = self.lock().store.list_one(filter, case_id)?;
        Ok(row.map(|s| list_item(s, now().date_naive())))
    }

    /// The case view.
    pub fn case_view(&self, case_id: &str) -> Result<CaseView> {
        self.read(case_id, |doc, inner| {
            let case = doc.case()?;
            let conflicts = doc.seal_conflicts()?;
            let sync_state = inner.store.summary(case_id)?.sync_state;
            let receipt = inner
                .store
                .sync_state(case_id)?
                .1
                .and_then(|r| serde_json::from_str(&r).ok());
            let rows = inner.store.media_list(Some(case_id))?;
            let media = case
                .media
                .values()
                .map(|m| {
                    let row = rows.iter().find(|r| r.sha256 == m.sha256);
                    MediaItem {
                        sha256: m.sha256.clone(),
                        mime: m.mime.clone(),
                        size: m.size,
                        record_id: m.record_id.clone(),
                        captured_at: m.captured_at.clone(),
                        gps: m.gps.map(|g| (g.lat, g.lon)),
                        thumb: row.and_then(|r| r.thumb.clone()),
                        present: inner.blobs.has(&m.sha256),
                        upload: row
                            .map(|r| r.upload.clone())
                            .unwrap_or_else(|| "remote".into()),
                    }
                })
                .collect();
            Ok(CaseView {
                id: case.header.id.clone(),
                title: case.header.title.clone(),
                kind: case.header.kind.label().into(),
                stage: case.header.stage.label().into(),
                next_stage: case.header.stage.next().map(|s| s.label().to_string()),
                blocking: blocking(inner, &case),
                source: case.header.source.label().into(),
                unit: case.header.unit.clone(),
                parties: case
                    .parties
                    .iter()
                    .map(|p| Party {
                        id_number: p.display_id_number(),
                        ..p.clone()
                    })
                    .collect(),
                officers: case.officers.clone(),
                records: case.records.iter().map(record_item).collect(),
                media,
                events: case.events.clone(),
                seal_conflicts: conflicts.iter().map(|c| c.message()).collect(),
                sync_state,
                receipt,
            })
        })
    }

    /// Watches the case list incrementally: `cb` gets the whole list now
    /// ([`ListUpdate::Reset`]), then one row per changed case (`Upsert`, or
    /// `Remove` when it no longer matches the filter); a sync session ends
    /// with a `Reset`.
    pub fn watch_case_list(
        &self,
        filter: ListFilter,
        cb: impl Fn(ListUpdate) + Send + Sync + 'static,
    ) -> Result<Subscription> {
        cb(ListUpdate::Reset(self.list_cases(&filter)?));
        let weak = std::sync::Arc::downgrade(&self.shared);
        Ok(self.subscribe(move |change| {
            let Some(shared) = weak.upgrade() else {
                return;
            };
            let app = App { shared };
            match change {
                Change::Case(id) => match app.list_item(&filter, id) {
                    Ok(Some(item)) => cb(ListUpdate::Upsert(Box::new(item))),
                    Ok(None) => cb(ListUpdate::Remove(id.clone())),
                    Err(_) => {}
                },
                Change::Sync => {
                    if let Ok(list) = app.list_cases(&filter) {
                        cb(ListUpdate::Reset(list));
                    }
                }
            }
        }))
    }

    /// Watches one case: `cb` gets the view now and after each change to it.
    pub fn watch_case(
        &self,
        case_id: &str,
        cb: impl Fn(CaseView) + Send + Sync + 'static,
    ) -> Result<Subscription> {
        cb(self.case_view(case_id)?);
        let weak = std::sync::Arc::downgrade(&self.shared);
        let id = case_id.to_string();
        Ok(self.subscribe(move |c| {
            if *c != Change::Case(id.clone()) {
                return;
            }
            if let Some(shared) = weak.upgrade() {
                if let Ok(v) = (App { shared }).case_view(&id) {
                    cb(v);
                }
            }
        }))
    }

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
                        ty: code(&f.ty),
                        required: f.required,
                        options: f.options.clone(),
                        value: value.and_then(|v| serde_json::to_value(v).ok()),
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

    /// Sets one field from JSON, validated against the template (Chinese
    /// messages on error). Durable when it returns.
    pub fn set_field(
        &self,
        case_id: &str,
        record_id: &str,
        key: &str,
        value: &serde_json::Value,
    ) -> Result<()> {
        self.edit(case_id, false, |doc, ctx, _| {
            Ok(doc.set_field_json(record_id, key, value, &ctx.who())?)
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
        const RIGHTS: [&str; 5] = [
            "陈述",
            "申辩",
            "申请回避",
            "听证",
            "申请行政复议或提起行政诉讼",
        ];
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

    /// Attaches a photo, audio or video file to an unsealed record: the file
    /// is hashed into the blob store, EXIF time/GPS read, a thumbnail made
    /// (photos; an incomplete photo is refused), and the reference, media row
    /// and upload-queue entry committed together.
    pub fn attach(
        &self,
        case_id: &str,
        record_id: &str,
        path: &Path,
        gps: Option<(f64, f64)>,
    ) -> Result<MediaItem> {
        let mut head = [0u8; 16];
        let n = std::fs::File::open(path)
            .and_then(|mut f| f.read(&mut head))
            .map_err(|e| DeviceError::Io(format!("无法读取文件 {}: {e}", path.display())))?;
        let mime = sniff_mime(path, &head[..n]);
        let blobs = self.lock().blobs.clone();
        let (thumb_bytes, meta) = if mime.starts_with("image/") {
            (Some(thumb::thumbnail(path, &mime)?), exif::read(path))
        } else {
            (None, exif::PhotoMeta::default())
        };
        let stored = blobs.put_file(path)?;
        let thumb_sha = match thumb_bytes {
            Some(b) => Some(blobs.put_bytes(&b)?.sha256),
            None => None,
        };
        let gps = meta.gps.or(gps);
        self.edit(case_id, true, |doc, ctx, media| {
            let captured_at = meta.taken_at.clone().unwrap_or_else(|| ctx.at.clone());
            let m = MediaRef {
                sha256: stored.sha256.clone(),
                mime: mime.clone(),
                size: stored.size,
                captured_at: captured_at.clone(),
                gps: gps.map(|(lat, lon)| GeoPoint { lat, lon }),
                device: ctx.device.clone(),
                officer: ctx.user.clone(),
                record_id: record_id.into(),
            };
            doc.attach_media(&m, &ctx.who())?;
            media.push((
                MediaRow {
                    sha256: m.sha256.clone(),
                    mime: m.mime.clone(),
                    size: m.size,
                    case_id: case_id.into(),
                    record_id: record_id.into(),
                    captured_at: captured_at.clone(),
                    lat: gps.map(|g| g.0),
                    lon: gps.map(|g| g.1),
                    thumb: thumb_sha.clone(),
                    upload: "pending".into(),
                    attempts: 0,
                    last_error: None,
                },
                ctx.at.clone(),
            ));
            Ok(MediaItem {
                sha256: m.sha256,
                mime: m.mime,
                size: m.size,
                record_id: record_id.into(),
                captured_at,
                gps,
                thumb: thumb_sha.clone(),
                present: true,
                upload: "pending".into(),
            })
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

    /// Moves the case to its next stage if no gate blocks it; otherwise an
    /// error listing what is missing.
    pub fn advance_stage(&self, case_id: &str) -> Result<String> {
        let blocked = self.read(case_id, |doc, inner| {
            let case = doc.case()?;
            Ok((blocking(inner, &case), case.header.stage.next()))
        })?;
        let (reasons, next) = blocked;
        let next = next.ok_or_else(|| DeviceError::Invalid("案件已归档, 没有下一阶段".into()))?;
        if !reasons.is_empty() {
            return Err(DeviceError::Invalid(format!(
                "不能进入“{}”阶段: {}",
                next.label(),
                reasons.join("; ")
            )));
        }
        self.edit(case_id, true, |doc, ctx, _| {
            doc.set_stage(next, &ctx.who())?;
            Ok(next.label().to_string())
        })
    }

    /// Open statutory obligations of one case, or of every case on the device.
    pub fn obligations(&self, case_id: Option<&str>) -> Result<Vec<ObligationView>> {
        let ids: Vec<String> = match case_id {
            Some(id) => vec![id.to_string()],
            None => self
                .lock()
                .store
                .list(&ListFilter::default())?
                .into_iter()
                .map(|s| s.id)
                .collect(),
        };
        let today = now().date_naive();
        let mut out = Vec::new();
        for id in ids {
            let case = self.read(&id, |doc, _| Ok(doc.case()?))?;
            for o in summary::open_obligations(&case, today) {
                out.push(ObligationView {
                    case_id: id.clone(),
                    case_title: case.header.title.clone(),
                    title: o.rule.title.clone(),
                    citation: o.rule.citation.clone(),
                    due: o.due.to_string(),
                    state: code(&o.state),
                    summary: o.summary_zh(),
                });
            }
        }
        out.sort_by(|a, b| a.due.cmp(&b.due));
        Ok(out)
    }

    /// Verifies every seal of a case: `(record id, problems)` per failing record.
    pub fn verify_seals(&self, case_id: &str) -> Result<Vec<(String, Vec<String>)>> {
        self.read(case_id, |doc, _| Ok(doc.verify_seals()?))
    }

    /// The device's sync status.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let g = self.lock();
        let cases = g.store.list(&ListFilter {
            unsynced: true,
            ..Default::default()
        })?;
        let media = g.store.media_list(None)?;
        Ok(SyncStatus {
            logged_in: g.login.is_some(),
            server: g.login.as_ref().map(|l| l.server.clone()),
            pending_cases: cases.iter().filter(|c| c.sync_state != "forbidden").count(),
            pending_uploads: media.iter().filter(|m| m.upload == "pending").count(),
            corrupt_uploads: media.iter().filter(|m| m.upload == "corrupt").count(),
            last_sync: g
                .store
                .meta("last_sync")?
                .and_then(|b| String::from_utf8(b).ok()),
        })
    }

    /// Media files of a case as stored on the device (with upload state).
    pub fn media(&self, case_id: &str) -> Result<Vec<MediaRow>> {
        self.lock().store.media_list(Some(case_id))
    }

    /// Downloads the media files a case refers to that this device lacks
    /// (each verified against its SHA-256); returns how many were fetched.
    pub fn fetch_media(&self, case_id: &str) -> Result<usize> {
        let (missing, login, blobs) = {
            let mut g = self.lock();
            g.open_doc(case_id)?;
            let expected = g
                .docs
                .get(case_id)
                .map(|d| d.expected_media())
                .transpose()?
                .unwrap_or_default();
            let login = g.login.clone().ok_or(DeviceError::NotLoggedIn)?;
            let missing: Vec<String> = expected.into_iter().filter(|h| !g.blobs.has(h)).collect();
            (missing, login, g.blobs.clone())
        };
        let t = self.transport_for(&login.server)?;
        let mut n = 0;
        for sha in missing {
            let r = t.download(&login.response.token, &sha)?;
            blobs.put_expected(r, &sha)?;
            n += 1;
        }
        if n > 0 {
            self.notify(Change::Case(case_id.to_string()));
        }
        Ok(n)
    }

    /// The path of a blob on this device, if present.
    pub fn blob_path(&self, sha256: &str) -> Option<std::path::PathBuf> {
        let g = self.lock();
        g.blobs.has(sha256).then(|| g.blobs.path(sha256))
    }
}

fn party_of(p: &PartyInput, n: usize) -> Result<Party> {
    if p.name.trim().is_empty() {
        return Err(DeviceError::Invalid("当事人姓名/名称不能为空".into()));
    }
    Ok(Party {
        id: format!("p{n}"),
        kind: p.kind,
        name: p.name.trim().into(),
        id_number: p.id_number.trim().into(),
        representative: p.representative.clone(),
        address: p.address.clone(),
        phone: p.phone.clone(),
    })
}

/// Chinese label of a kind code.
pub fn kind_label(code: &str) -> String {
    match code {
        "inspection" => CaseKind::Inspection.label(),
        "penalty" => CaseKind::Penalty.label(),
        _ => "",
    }
    .to_string()
}

/// Chinese label of a stage code.
pub fn stage_label(code: &str) -> String {
    Stage::ALL
        .iter()
        .find(|s| super::summary::code(*s) == code)
        .map(|s| s.label())
        .unwrap_or("")
        .to_string()
}

/// An officer as recorded in a case, from plain fields.
pub fn officer(id: &str, name: &str, credential_no: &str, unit: &str) -> Officer {
    Officer {
        id: id.into(),
        name: name.into(),
        post: "科员".into(),
        credential_no: credential_no.into(),
        unit: unit.into(),
        status: OfficerStatus::Active,
    }
}

/// A list row from a summary row, with its deadline badge as of `today`.
fn list_item(s: crate::store::cases::Summary, today: chrono::NaiveDate) -> CaseListItem {
    let badge = s.next_due.as_ref().and_then(|due| {
        let d = chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").ok()?;
        let days = (d - today).num_days();
        let (state, text) = if days < 0 {
            ("overdue", format!("逾期 {} 天", -days))
        } else if days <= 3 {
            (
                "due_soon",
                if days == 0 {
                    "今日到期".to_string()
                } else {
                    format!("{days} 天后到期")
                },
            )
        } else {
            ("on_time", format!("{due} 到期"))
        };
        Some(DeadlineBadge {
            due: due.clone(),
            what: s.next_due_label.clone().unwrap_or_default(),
            state: state.into(),
            text,
        })
    });
    CaseListItem {
        kind: kind_label(&s.kind),
        stage: stage_label(&s.stage),
        sync_label: sync_label(&s.sync_state),
        id: s.id,
        title: s.title,
        party: s.party,
        badge,
        sync_state: s.sync_state,
        updated_at: s.updated_at,
    }
}
