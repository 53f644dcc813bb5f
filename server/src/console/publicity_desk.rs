//! The 公示 desk (`/publicity`): what must be published or taken down and by
//! when ((一) 第十二条; 行政处罚法 第四十八条), the public's corrections
//! with the legal office's answer form ((一) 第十五条), and the year's
//! statistics per kind (published, on time, late, withdrawn) as a table and
//! a bar chart drawn server-side.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use zhifa_core::authority::{authorize_publicity, PublicityDuty};

use super::page::{flash_query, render, Flash, Nav, PageError};
use super::session::{ConsoleUser, CsrfForm};
use crate::access::{listing_scope, office_principal};
use crate::accounts::now;
use crate::casedoc::today_cn;
use crate::error::AppError;
use crate::extract::Path;
use crate::state::AppState;
use crate::store::publicity::{Feedback, PublicityStat};

/// Titles of the publicity obligations in the statutory table.
const PUBLICITY_TITLES: [&str; 2] = ["执法决定公示期限", "撤回公开信息期限"];

/// An obligation row.
pub struct DueRow {
    case_id: String,
    title: String,
    label: String,
    due: String,
    overdue: bool,
}

/// A bar of the chart.
pub struct Bar {
    label: String,
    value: u64,
    width: u64,
    y: u64,
}

#[derive(askama::Template)]
#[template(path = "console/publicity.html")]
struct DeskPage {
    nav: Nav,
    ok: String,
    err: String,
    due: Vec<DueRow>,
    feedback: Vec<Feedback>,
    can_answer: bool,
    year: i32,
    stats: Vec<PublicityStat>,
    units: Vec<(String, PublicityStat)>,
    bars: Vec<Bar>,
}

/// The year's statistics: per kind, published, on time (within 7 working
/// days of the decision), late, withdrawn.
pub fn stats(
    entries: &[zhifa_core::publicity::PublicEntry],
    calendar: Option<&zhifa_core::deadlines::DeadlineEngine>,
) -> Vec<PublicityStat> {
    let mut out: Vec<PublicityStat> = ["行政处罚", "行政检查"]
        .iter()
        .map(|k| PublicityStat {
            kind: k.to_string(),
            ..PublicityStat::default()
        })
        .collect();
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    for e in entries {
        let Some(row) = out.iter_mut().find(|r| r.kind == e.kind) else {
            continue;
        };
        row.published += 1;
        if e.withdrawn.is_some() {
            row.withdrawn += 1;
        }
        let late = match (date(&e.decided_on), date(&e.published_on), calendar) {
            (Some(d), Some(p), Some(engine)) => engine.calendar().working_days_between(d, p) > 7,
            (Some(d), Some(p), None) => (p - d).num_days() > 9,
            _ => false,
        };
        if late {
            row.late += 1;
        } else {
            row.on_time += 1;
        }
    }
    out
}

/// The query: `year`.
#[derive(Debug, Default, Deserialize)]
pub struct DeskQuery {
    #[serde(default)]
    year: Option<String>,
    #[serde(flatten)]
    flash: Flash,
}

/// `GET /publicity`.
pub async fn desk(
    State(state): State<AppState>,
    user: ConsoleUser,
    Query(q): Query<DeskQuery>,
) -> Result<Response, PageError> {
    if let Err(r) = authorize_publicity(PublicityDuty::View, &user.account.roles) {
        return Err(PageError::forbidden(r.to_string()));
    }
    let today = today_cn();
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.parse::<i32>().ok())
        .unwrap_or(today.year())
        .clamp(2000, 2100);
    let scope = listing_scope(&office_principal(&user.account));
    let (open, feedback, entries) = state
        .db(move |s| {
            Ok((
                s.open_obligations(&scope, "9999-12-31", 2000)?,
                s.feedback_list(None)?,
                s.public_year(year)?,
            ))
        })
        .await?;
    let due = open
        .into_iter()
        .filter(|r| PUBLICITY_TITLES.contains(&r.obligation.title.as_str()))
        .map(|r| DueRow {
            overdue: NaiveDate::parse_from_str(&r.obligation.due, "%Y-%m-%d")
                .is_ok_and(|d| d < today),
            label: format!("{}（{}）", r.obligation.title, r.obligation.citation),
            due: r.obligation.due,
            case_id: r.case_id,
            title: r.case_title,
        })
        .collect();
    let calendar = state.calendar();
    let stats_all = stats(&entries, calendar.engine.as_deref());
    // The same per handling unit (the header names it by id or name).
    let unit_list = state.db(|s| s.units()).await?;
    let mut by_unit: std::collections::BTreeMap<String, Vec<_>> = Default::default();
    for e in &entries {
        let name = unit_list
            .iter()
            .find(|u| u.id == e.unit || u.name == e.unit)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| e.unit.clone());
        by_unit.entry(name).or_default().push(e.clone());
    }
    let units = by_unit
        .into_iter()
        .map(|(name, es)| {
            let s = stats(&es, calendar.engine.as_deref());
            let total = s
                .iter()
                .fold(PublicityStat::default(), |a, b| PublicityStat {
                    kind: String::new(),
                    published: a.published + b.published,
                    on_time: a.on_time + b.on_time,
                    late: a.late + b.late,
                    withdrawn: a.withdrawn + b.withdrawn,
                });
            (name, total)
        })
        .collect();
    let stats = stats_all;
    let max = stats
        .iter()
        .flat_map(|s| [s.published, s.on_time, s.late, s.withdrawn])
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = stats
        .iter()
        .flat_map(|s| {
            [
                (format!("{} 已公示", s.kind), s.published),
                (format!("{} 按时", s.kind), s.on_time),
                (format!("{} 逾期", s.kind), s.late),
                (format!("{} 撤下", s.kind), s.withdrawn),
            ]
        })
        .enumerate()
        .map(|(i, (label, value))| Bar {
            label,
            value,
            width: value * 400 / max,
            y: i as u64 * 26,
        })
        .collect();
    // The sender's contact is personal: masked here too; times in local words.
    let local = crate::casedoc::local_time;
    let feedback = feedback
        .into_iter()
        .map(|f| Feedback {
            contact: zhifa_core::mask::mask_text(&f.contact),
            submitted_at: local(&f.submitted_at),
            answered_at: local(&f.answered_at),
            ..f
        })
        .collect();
    let (ok, err) = q.flash.messages();
    render(&DeskPage {
        nav: Nav::of(&user, "publicity"),
        ok,
        err,
        due,
        can_answer: authorize_publicity(PublicityDuty::AnswerFeedback, &user.account.roles).is_ok(),
        feedback,
        year,
        stats,
        units,
        bars,
    })
}

/// The answer form.
#[derive(Debug, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    corrected: Option<String>,
    #[serde(default)]
    cause: String,
}

/// `POST /publicity/feedback/{id}`: the legal office's answer (法制机构 verifies).
pub async fn answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<AnswerForm>,
) -> Result<Response, PageError> {
    let back = |k: &'static str, m: &str| {
        Redirect::to(&format!("/publicity?{}", flash_query(k, m))).into_response()
    };
    if let Err(r) = authorize_publicity(PublicityDuty::AnswerFeedback, &user.account.roles) {
        return Ok(back("err", &r.to_string()));
    }
    let answer = form.answer.trim().to_string();
    let corrected = form.corrected.is_some();
    let cause = form.cause.trim().to_string();
    if answer.is_empty() {
        return Ok(back("err", "请填写答复"));
    }
    if corrected && cause.is_empty() {
        return Ok(back("err", "信息确有错误的, 须记录错误原因"));
    }
    for (field, v) in [("答复", &answer), ("错误原因", &cause)] {
        if let Err(e) = zhifa_core::limits::check_len(field, v, 2000) {
            return Ok(back("err", &e.to_string()));
        }
    }
    let f = Feedback {
        id,
        entry_id: String::new(),
        submitted_at: String::new(),
        text: String::new(),
        contact: String::new(),
        status: "answered".into(),
        answer,
        corrected,
        cause,
        answered_by: user.account.id.clone(),
        answered_at: now(),
    };
    let found = state.db(move |s| s.answer_feedback(&f)).await?;
    if !found {
        return Err(PageError(AppError::NotFound("纠错意见不存在".into())));
    }
    Ok(back("ok", "已答复, 答复在公示页面公开"))
}
