//! 双随机、一公开 in the office: the liaison draws targets from the registry
//! and officer pairs from the unit's active, credentialed officers with a
//! published seed (`zhifa_core::random_draw`, reproducible by anyone); each
//! drawn target becomes an inspection case assigned to its pair, created by
//! the liaison through zhifa-core and stored like any case, so it reaches
//! the officers' phones at their next sync.

use zhifa_core::authority::{authorize_publicity, PublicityDuty};
use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, Officer, Stage};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::random_draw;

use super::actions::refused;
use super::identity::identity;
use crate::accounts::now;
use crate::casedoc;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::publicity::{DrawnTarget, RandomTask};
use crate::store::{Account, CaseWrite, DocWrite};

/// What the liaison asks for.
#[derive(Debug, Clone)]
pub struct TaskInput {
    /// Title.
    pub title: String,
    /// The matter (随机抽查事项).
    pub matter: String,
    /// Legal basis.
    pub basis: String,
    /// The inspecting unit.
    pub unit_id: String,
    /// How many targets.
    pub count: usize,
    /// The seed to publish.
    pub seed: String,
}

/// Draws a task and creates its inspection cases; returns the stored task.
pub async fn draw(state: &AppState, account: &Account, input: TaskInput) -> AppResult<RandomTask> {
    authorize_publicity(PublicityDuty::DrawRandomInspection, &account.roles).map_err(refused)?;
    for (field, v, max) in [
        ("任务名称", &input.title, 100),
        ("抽查事项", &input.matter, 200),
        ("检查依据", &input.basis, 500),
    ] {
        if v.trim().is_empty() {
            return Err(AppError::BadRequest(format!("请填写{field}")));
        }
        zhifa_core::limits::check_len(field, v, max)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
    }
    let who = identity(state, account).await?;
    let store = state.store();
    let calendar = state.calendar();
    let account = account.clone();
    tokio::task::spawn_blocking(move || {
        let units = store.units()?;
        let unit = units
            .iter()
            .find(|u| u.id == input.unit_id)
            .ok_or_else(|| AppError::BadRequest("检查科室不存在".into()))?
            .clone();
        let targets: Vec<_> = store
            .targets()?
            .into_iter()
            .filter(|t| t.unit_id == unit.id)
            .collect();
        let officers: Vec<Account> = store
            .accounts()?
            .into_iter()
            .filter(|a| {
                a.active
                    && a.unit_id == unit.id
                    && !a.credential_no.is_empty()
                    && a.status == zhifa_core::case::OfficerStatus::Active
                    && a.roles.contains(&zhifa_core::sync::Role::Officer)
            })
            .collect();
        let target_ids: Vec<String> = targets.iter().map(|t| t.id.clone()).collect();
        let officer_ids: Vec<String> = officers.iter().map(|a| a.id.clone()).collect();
        let assignments = random_draw::draw(&input.seed, &target_ids, &officer_ids, input.count)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        let at = now();
        let task_id = uuid::Uuid::new_v4().to_string();
        let mut drawn = Vec::new();
        let mut writes = Vec::new();
        for a in &assignments {
            let target = targets
                .iter()
                .find(|t| t.id == a.target)
                .ok_or_else(|| AppError::internal("drawn target missing"))?;
            let pair: Vec<&Account> = a
                .officers
                .iter()
                .filter_map(|id| officers.iter().find(|o| &o.id == id))
                .collect();
            let case_id = uuid::Uuid::new_v4().to_string();
            let header = CaseHeader {
                id: case_id.clone(),
                kind: CaseKind::Inspection,
                procedure: None,
                title: format!("{} · {}", input.title.trim(), target.name),
                source: CaseSource::RandomInspection,
                stage: Stage::Investigation,
                unit: unit.id.clone(),
                created_at: at.clone(),
                created_by: account.id.clone(),
                source_ref: Some(format!("双随机 {task_id}")),
                fine_fen: None,
                measures: Vec::new(),
            };
            let actor = Actor {
                user: &who.account.id,
                device: &who.device_id,
                at: &at,
            };
            let mut doc = CaseDoc::create(&header, &who.actor, &actor)
                .map_err(|e| AppError::internal(e.to_string()))?;
            for o in &pair {
                doc.add_officer(
                    &Officer {
                        id: o.id.clone(),
                        name: o.name.clone(),
                        post: o.post.clone(),
                        credential_no: o.credential_no.clone(),
                        unit: unit.name.clone(),
                        status: o.status,
                    },
                    &actor,
                )
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            }
            let bytes = doc.save();
            let (mut meta, media) = casedoc::columns(&mut doc, &at, &at)?;
            meta.unit_id = unit.id.clone();
            let case = doc.case().map_err(AppError::internal)?;
            let index = casedoc::index_of(&case, calendar.engine.as_deref(), casedoc::today_cn());
            writes.push(CaseWrite {
                meta,
                doc: DocWrite::Replace(bytes),
                media,
                index,
            });
            drawn.push(DrawnTarget {
                target: target.id.clone(),
                target_name: target.name.clone(),
                officers: a.officers.clone(),
                officer_names: [
                    pair.first().map(|o| o.name.clone()).unwrap_or_default(),
                    pair.get(1).map(|o| o.name.clone()).unwrap_or_default(),
                ],
                case_id,
            });
        }
        store.commit_sync(&writes, &[], &[])?;
        let task = RandomTask {
            id: task_id,
            title: input.title.trim().to_string(),
            matter: input.matter.trim().to_string(),
            basis: input.basis.trim().to_string(),
            unit_id: unit.id.clone(),
            seed: input.seed.clone(),
            candidates: target_ids,
            officers: officer_ids,
            drawn,
            drawn_at: at,
            drawn_by: account.id.clone(),
        };
        store.add_random_task(&task)?;
        tracing::info!(task = %task.id, cases = task.drawn.len(), "random inspection drawn");
        Ok(task)
    })
    .await?
}
