//! Case commands and views: new cases, the list (incremental), the case
//! view, stages, obligations, sync status.

use serde::{Deserialize, Serialize};
use zhifa_core::case::{
    CaseHeader, CaseKind, CaseSource, Officer, OfficerStatus, Party, PartyKind, Procedure, Stage,
};
use zhifa_core::doc::CaseDoc;

use super::gates::*;
use super::summary;
use super::views::*;
use super::{now, App, Change, Subscription};
use crate::error::{DeviceError, Result};
use crate::store::cases::ListFilter;

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
            let s = summary::new_summary(&g.engine, &case, &mut doc, "local", &ctx.at);
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
            let s = summary::new_summary(&g.engine, &case, &mut doc, "local", &at);
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
        self.list_cases_on(filter, now().date_naive())
    }

    /// [`App::list_cases`] with the deadline badges as of `today` (a shell
    /// planning another day; tests of overdue and due-soon badges).
    pub fn list_cases_on(
        &self,
        filter: &ListFilter,
        today: chrono::NaiveDate,
    ) -> Result<Vec<CaseListItem>> {
        let (rows, soon) = {
            let g = self.lock();
            (g.store.list(filter)?, g.engine.profile().due_soon_days)
        };
        Ok(rows
            .into_iter()
            .map(|s| list_item(s, today, soon))
            .collect())
    }

    /// One row of the list, if the case matches `filter`.
    pub fn list_item(&self, filter: &ListFilter, case_id: &str) -> Result<Option<CaseListItem>> {
        let (row, soon) = {
            let g = self.lock();
            (
                g.store.list_one(filter, case_id)?,
                g.engine.profile().due_soon_days,
            )
        };
        Ok(row.map(|s| list_item(s, now().date_naive(), soon)))
    }

    /// The case view.
    pub fn case_view(&self, case_id: &str) -> Result<CaseView> {
        self.read(case_id, |doc, inner| {
            let case = doc.case()?;
            let conflicts = doc.seal_conflicts()?;
            let sync_state = SyncState::of_code(&inner.store.summary(case_id)?.sync_state);
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
                            .map_or(UploadState::Remote, |r| UploadState::of_code(&r.upload)),
                    }
                })
                .collect();
            Ok(CaseView {
                id: case.header.id.clone(),
                title: case.header.title.clone(),
                kind: case.header.kind.label().into(),
                stage: case.header.stage.label().into(),
                stage_code: case.header.stage,
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
                records: case.records.iter().map(|r| record_item(&case, r)).collect(),
                media,
                events: {
                    let me = inner.login.as_ref().map(|l| &l.response.officer);
                    let listed: Vec<zhifa_core::sync::OfficerInfo> = inner
                        .store
                        .meta(super::colleagues::META_KEY)?
                        .and_then(|b| serde_json::from_slice(&b).ok())
                        .unwrap_or_default();
                    let known = |id: &str| {
                        me.filter(|o| o.id == id)
                            .or_else(|| listed.iter().find(|o| o.id == id))
                            .map(|o| o.name.clone())
                    };
                    case.events
                        .iter()
                        .map(|e| EventView::of(&case, e, &known))
                        .collect()
                },
                seal_conflicts: conflicts.iter().map(|c| c.message()).collect(),
                sync_state,
                receipt,
                sync_refusal: inner
                    .store
                    .meta(&format!("refused:{case_id}"))?
                    .and_then(|b| serde_json::from_slice(&b).ok()),
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
                Change::Upload(_) => {}
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
        let engine = self.lock().engine.clone();
        let mut out = Vec::new();
        for id in ids {
            let case = self.read(&id, |doc, _| Ok(doc.case()?))?;
            for o in summary::open_obligations(&engine, &case, today) {
                out.push(ObligationView {
                    case_id: id.clone(),
                    case_title: case.header.title.clone(),
                    title: o.rule.title.clone(),
                    citation: o.rule.citation.clone(),
                    due: o.due.to_string(),
                    state: o.state,
                    summary: o.summary_zh(),
                });
            }
        }
        out.sort_by(|a, b| a.due.cmp(&b.due));
        Ok(out)
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
            pending_cases: count(cases.iter().filter(|c| c.sync_state != "forbidden").count()),
            pending_uploads: count(media.iter().filter(|m| m.upload == "pending").count()),
            corrupt_uploads: count(media.iter().filter(|m| m.upload == "corrupt").count()),
            last_sync: g
                .store
                .meta("last_sync")?
                .and_then(|b| String::from_utf8(b).ok()),
        })
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
        id_number: zhifa_core::identity::normalize_id_number(&p.id_number),
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

/// The stage of a stage code (`investigation`), if it is one.
pub fn stage_of(code: &str) -> Option<Stage> {
    Stage::ALL
        .into_iter()
        .find(|s| super::summary::code(s) == code)
}

/// Chinese label of a stage code.
pub fn stage_label(code: &str) -> String {
    stage_of(code).map(|s| s.label()).unwrap_or("").to_string()
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

/// A list row from a summary row, with its deadline badge as of `today`
/// ("due soon" within the profile's `due_soon_days`).
fn list_item(
    s: crate::store::cases::Summary,
    today: chrono::NaiveDate,
    due_soon_days: i64,
) -> CaseListItem {
    let badge = s.next_due.as_ref().and_then(|due| {
        let d = chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").ok()?;
        let days = (d - today).num_days();
        let (state, text) = if days < 0 {
            (DeadlineState::Overdue, format!("逾期 {} 天", -days))
        } else if days == 0 {
            (DeadlineState::DueToday, "今日到期".to_string())
        } else if days <= due_soon_days {
            (DeadlineState::DueSoon, format!("{days} 天后到期"))
        } else {
            (DeadlineState::OnTime, format!("{due} 到期"))
        };
        Some(DeadlineBadge {
            due: due.clone(),
            what: s.next_due_label.clone().unwrap_or_default(),
            state,
            text,
        })
    });
    CaseListItem {
        kind: kind_label(&s.kind),
        stage: stage_label(&s.stage),
        stage_code: stage_of(&s.stage),
        sync_label: sync_label(&s.sync_state),
        sync_state: SyncState::of_code(&s.sync_state),
        id: s.id,
        title: s.title,
        party: s.party,
        badge,
        updated_at: s.updated_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_code_reads_back_as_its_stage_and_an_unknown_one_as_none() {
        for s in Stage::ALL {
            assert_eq!(stage_of(&summary::code(&s)), Some(s));
            assert_eq!(stage_label(&summary::code(&s)), s.label());
        }
        assert_eq!(stage_of("unknown_stage"), None);
        assert_eq!(stage_label("unknown_stage"), "");
    }
}
