//! 双随机 in the console (`/publicity/random`): the registry of inspection
//! targets, the tasks drawn with their published seeds, and for the office
//! liaison the forms that add a target and draw a task (which creates the
//! inspection cases on the drawn officers' phones).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zhifa_core::authority::{authorize_publicity, PublicityDuty};

use super::page::{flash_query, render, Flash, Nav, PageError};
use super::session::{ConsoleUser, CsrfForm};
use crate::office::random::{self, TaskInput};
use crate::state::AppState;
use crate::store::publicity::{RandomTask, Target};
use crate::store::Unit;

#[derive(askama::Template)]
#[template(path = "console/random.html")]
struct RandomPage {
    nav: Nav,
    ok: String,
    err: String,
    can_draw: bool,
    units: Vec<Unit>,
    targets: Vec<(Target, String)>,
    tasks: Vec<(RandomTask, String)>,
    seed: String,
}

fn unit_name(units: &[Unit], id: &str) -> String {
    units
        .iter()
        .find(|u| u.id == id)
        .map(|u| u.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// `GET /publicity/random`.
pub async fn page(
    State(state): State<AppState>,
    user: ConsoleUser,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    if let Err(r) = authorize_publicity(PublicityDuty::View, &user.account.roles) {
        return Err(PageError::forbidden(r.to_string()));
    }
    let (units, targets, tasks) = state
        .db(|s| Ok((s.units()?, s.targets()?, s.random_tasks()?)))
        .await?;
    let (ok, err) = flash.messages();
    render(&RandomPage {
        nav: Nav::of(&user, "publicity"),
        ok,
        err,
        can_draw: authorize_publicity(PublicityDuty::DrawRandomInspection, &user.account.roles)
            .is_ok(),
        targets: targets
            .into_iter()
            .map(|t| {
                let u = unit_name(&units, &t.unit_id);
                (t, u)
            })
            .collect(),
        tasks: tasks
            .into_iter()
            .map(|t| RandomTask {
                drawn_at: crate::casedoc::local_time(&t.drawn_at),
                ..t
            })
            .map(|t| {
                let u = unit_name(&units, &t.unit_id);
                (t, u)
            })
            .collect(),
        units,
        seed: hex::encode(uuid::Uuid::new_v4().as_bytes())[..16].to_string(),
    })
}

fn back(kind: &'static str, msg: &str) -> Response {
    Redirect::to(&format!("/publicity/random?{}", flash_query(kind, msg))).into_response()
}

/// The add-target form.
#[derive(Debug, Deserialize)]
pub struct TargetForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    unit_id: String,
}

/// `POST /publicity/random/targets`.
pub async fn add_target(
    State(state): State<AppState>,
    CsrfForm { user, form }: CsrfForm<TargetForm>,
) -> Result<Response, PageError> {
    if let Err(r) = authorize_publicity(PublicityDuty::DrawRandomInspection, &user.account.roles) {
        return Ok(back("err", &r.to_string()));
    }
    let t = Target {
        id: uuid::Uuid::new_v4().to_string(),
        name: form.name.trim().to_string(),
        kind: form.kind.trim().to_string(),
        address: form.address.trim().to_string(),
        unit_id: form.unit_id.trim().to_string(),
    };
    if t.name.is_empty() || t.unit_id.is_empty() {
        return Ok(back("err", "请填写检查对象名称并选择检查科室"));
    }
    for (field, v) in [("名称", &t.name), ("类别", &t.kind), ("地址", &t.address)] {
        if let Err(e) = zhifa_core::limits::check_len(field, v, 200) {
            return Ok(back("err", &e.to_string()));
        }
    }
    state.db(move |s| s.add_target(&t)).await?;
    Ok(back("ok", "已加入检查对象名录"))
}

/// The draw form.
#[derive(Debug, Deserialize)]
pub struct DrawForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    matter: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    count: String,
    #[serde(default)]
    seed: String,
}

/// `POST /publicity/random`: draw a task.
pub async fn draw(
    State(state): State<AppState>,
    CsrfForm { user, form }: CsrfForm<DrawForm>,
) -> Response {
    let Ok(count) = form.count.trim().parse::<usize>() else {
        return back("err", "抽取数量须为正整数");
    };
    let input = TaskInput {
        title: form.title,
        matter: form.matter,
        basis: form.basis,
        unit_id: form.unit_id,
        count: count.min(500),
        seed: form.seed.trim().to_string(),
    };
    match random::draw(&state, &user.account, input).await {
        Ok(t) => back(
            "ok",
            &format!(
                "已抽取 {} 个检查对象并建立检查案件, 随机种子 {}",
                t.drawn.len(),
                t.seed
            ),
        ),
        Err(e) => back("err", &e.to_string()),
    }
}
