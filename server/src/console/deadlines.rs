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

/// A case whose enforcement act ended and that is not filed yet: the 30-day
/// archiving clock ((二) 第二十二条), from the deadline engine's obligation.
pub struct ArchiveClock {
    id: String,
    title: String,
    unit: String,
    due: String,
    left: String,
    class: &'static str,
}

/// Days left until `due`, in words, and the row's class.
fn days_left(due: chrono::NaiveDate, today: chrono::NaiveDate) -> (String, &'static str) {
    let n = (due - today).num_days();
    if n < 0 {
        (format!("逾期 {} 天", -n), "overdue")
    } else if n == 0 {
        ("今日到期".into(), "soon")
    } else if n <= DUE_SOON_DAYS {
        (format!("剩余 {n} 天"), "soon")
    } else {
        (format!("剩余 {n} 天"), "ok")
    }
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
    archive: Vec<ArchiveClock>,
    archive_article: String,
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
    // The archiving period's title and article as the engine's table names them.
    let (archive_title, archive_article) = state
        .calendar()
        .engine
        .as_deref()
        .and_then(|e| e.rules().get(zhifa_core::deadlines::profile::ids::ARCHIVE))
        .map(|r| (r.title.clone(), r.citation.clone()))
        .unwrap_or_else(|| ("案卷归档期限".into(), "三项制度(二)第二十二条".into()));
    let mut archive = Vec::new();
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
            if o.title == archive_title {
                let (left, class) = days_left(d, today);
                archive.push(ArchiveClock {
                    id: r.case_id.clone(),
                    title: r.case_title.clone(),
                    unit: unit.clone(),
                    due: o.due.clone(),
                    left,
                    class,
                });
            }
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
        archive,
        archive_article,
        units: by_unit.into_values().collect(),
        officers: by_officer.into_values().collect(),
        overdue,
        soon,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn days_left_turn_red_once_overdue() {
        let today = d("2026-12-04");
        assert_eq!(
            days_left(d("2026-12-20"), today),
            ("剩余 16 天".into(), "ok")
        );
        assert_eq!(
            days_left(d("2026-12-06"), today),
            ("剩余 2 天".into(), "soon")
        );
        assert_eq!(days_left(today, today), ("今日到期".into(), "soon"));
        assert_eq!(
            days_left(d("2026-12-01"), today),
            ("逾期 3 天".into(), "overdue")
        );
    }
}
