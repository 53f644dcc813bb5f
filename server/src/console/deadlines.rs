//! The deadlines dashboard: every open statutory obligation of the cases in
//! the user's scope (from the case index, no document loaded), overdue and
//! due soon, per unit and officer, each with its article.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;

use super::page::{render, Nav, PageError};
use super::session::ConsoleUser;
use crate::access::{listing_scope, office_principal};
use crate::casedoc;
use crate::state::AppState;

/// Days before a due date counted as 即将到期 (the seed profile's default).
const DUE_SOON_DAYS: i64 = 3;

/// One obligation row.
pub struct DueRow {
    id: String,
    title: String,
    unit: String,
    officers: String,
    due: String,
    label: String,
    state: &'static str,
    class: &'static str,
}

/// Counts per unit or officer.
pub struct Tally {
    name: String,
    overdue: u32,
    soon: u32,
    open: u32,
}

#[derive(askama::Template)]
#[template(path = "console/deadlines.html")]
struct DeadlinesPage {
    nav: Nav,
    today: String,
    rows: Vec<DueRow>,
    units: Vec<Tally>,
    officers: Vec<Tally>,
    overdue: u32,
    soon: u32,
}

fn tally(map: &mut BTreeMap<String, Tally>, name: &str, class: &str) {
    let t = map.entry(name.to_string()).or_insert_with(|| Tally {
        name: name.to_string(),
        overdue: 0,
        soon: 0,
        open: 0,
    });
    t.open += 1;
    match class {
        "overdue" => t.overdue += 1,
        "soon" => t.soon += 1,
        _ => {}
    }
}

/// Most obligations listed (earliest first).
const MAX_ROWS: u64 = 2000;

/// `GET /deadlines`.
pub async fn deadlines(
    State(state): State<AppState>,
    user: ConsoleUser,
) -> Result<Response, PageError> {
    let scope = listing_scope(&office_principal(&user.account));
    let (open, units) = state
        .db(move |s| {
            Ok((
                s.open_obligations(&scope, "9999-12-31", MAX_ROWS)?,
                s.units()?,
            ))
        })
        .await?;
    let today = casedoc::today_cn();
    let mut by_unit = BTreeMap::new();
    let mut by_officer = BTreeMap::new();
    let (mut overdue, mut soon) = (0, 0);
    let rows = open
        .into_iter()
        .filter_map(|r| {
            let o = &r.obligation;
            let d = chrono::NaiveDate::parse_from_str(&o.due, "%Y-%m-%d").ok()?;
            let (state, class) = if d < today {
                overdue += 1;
                ("逾期", "overdue")
            } else if (d - today).num_days() <= DUE_SOON_DAYS {
                soon += 1;
                ("即将到期", "soon")
            } else {
                ("未到期", "ok")
            };
            let unit = units
                .iter()
                .find(|u| u.id == r.unit_id)
                .map(|u| u.name.clone())
                .unwrap_or_else(|| r.unit_id.clone());
            tally(&mut by_unit, &unit, class);
            for name in r.officer_names.split('、').filter(|o| !o.is_empty()) {
                tally(&mut by_officer, name, class);
            }
            Some(DueRow {
                id: r.case_id,
                title: r.case_title,
                unit,
                officers: r.officer_names,
                due: format!("{}{}", o.due, if o.provisional { "（暂定）" } else { "" }),
                label: format!("{}（{}）", o.title, o.citation),
                state,
                class,
            })
        })
        .collect();
    render(&DeadlinesPage {
        nav: Nav::of(&user, "deadlines"),
        today: today.to_string(),
        rows,
        units: by_unit.into_values().collect(),
        officers: by_officer.into_values().collect(),
        overdue,
        soon,
    })
}
