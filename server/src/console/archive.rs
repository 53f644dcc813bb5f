//! The archive in the console (案卷归档, 执法全过程记录制度 第二十二条、第二十三条):
//! the archivist's 归档 form on the case page, the package download for the
//! archivist, leaders and legal office, and the retention list (`/archive`):
//! packages whose retention period ends within a year, for appraisal and
//! disposal by people (档案法 第二十八条; nothing is deleted here).

use axum::extract::{Request, State};
use axum::response::Response;
use chrono::{Days, NaiveDate};
use zhifa_core::authority::authorize_archive_use;

use super::actions::back;
use super::page::{render, Nav, PageError};
use super::session::{ConsoleUser, CsrfForm};
use crate::access::office_principal;
use crate::casedoc::{local_time, today_cn};
use crate::extract::Path;
use crate::state::AppState;

/// Most rows of the retention list.
const MAX_ROWS: u64 = 1000;

/// `POST /cases/{id}/archive`: the archivist files the case and its package is written.
pub async fn file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<std::collections::HashMap<String, String>>,
) -> Response {
    let r = crate::archive::file(&state, &user.account, &id).await;
    back(&id, r)
}

/// `GET /cases/{id}/archive.zip`: the filed case's package.
pub async fn download(
    State(state): State<AppState>,
    user: ConsoleUser,
    Path(id): Path<String>,
    req: Request,
) -> Result<Response, PageError> {
    let who = office_principal(&user.account);
    let pkg = crate::archive::download::permitted_package(&state, &who, &id).await?;
    tracing::info!(case = %id, account = %user.account.username, "archive package downloaded");
    Ok(crate::archive::download::serve(&state, &pkg, req).await?)
}

/// A filed case's package on its case page.
pub struct PackageView {
    pub(super) sha256: String,
    pub(super) size: u64,
    pub(super) archived_at: String,
    pub(super) archivist: String,
    pub(super) retention: String,
    pub(super) dispose_from: String,
    pub(super) server_key: String,
}

/// The case page's view of `package`, for those who may download it;
/// `server_key` is the public key its manifest is signed with.
pub fn package_view(
    package: Option<crate::store::archive::ArchivePackage>,
    account: &crate::store::Account,
    server_key: String,
) -> Option<PackageView> {
    authorize_archive_use(&account.roles).ok()?;
    let p = package?;
    Some(PackageView {
        sha256: p.sha256,
        size: p.size,
        archived_at: local_time(&p.archived_at),
        archivist: p.archivist_name,
        retention: p.retention,
        dispose_from: p.dispose_from.unwrap_or_else(|| "永久保管".into()),
        server_key,
    })
}

/// One package of the retention list.
pub struct DueRow {
    case_id: String,
    title: String,
    number: String,
    archived_at: String,
    archivist: String,
    retention: String,
    dispose_from: String,
    state: &'static str,
    class: &'static str,
}

#[derive(askama::Template)]
#[template(path = "console/archive.html")]
struct ArchivePage {
    nav: Nav,
    today: String,
    total: u64,
    rows: Vec<DueRow>,
    basis: &'static str,
    server_key: String,
}

/// Whether a package whose retention ends on `dispose_from` is due on `today`.
fn state_of(dispose_from: &str, today: NaiveDate) -> (&'static str, &'static str) {
    match NaiveDate::parse_from_str(dispose_from, "%Y-%m-%d") {
        Ok(d) if d <= today => ("已到期, 待鉴定处置", "overdue"),
        _ => ("一年内到期", "soon"),
    }
}

/// `GET /archive`: packages whose retention ends within a year.
pub async fn retention(
    State(state): State<AppState>,
    user: ConsoleUser,
) -> Result<Response, PageError> {
    authorize_archive_use(&user.account.roles).map_err(|r| PageError::forbidden(r.to_string()))?;
    let today = today_cn();
    let horizon = today
        .checked_add_days(Days::new(365))
        .unwrap_or(today)
        .to_string();
    let (total, due) = state
        .db(move |s| {
            Ok((
                s.archive_package_count()?,
                s.packages_due_for_disposal(&horizon, MAX_ROWS)?,
            ))
        })
        .await?;
    let rows = due
        .into_iter()
        .map(|p| {
            let dispose_from = p.dispose_from.unwrap_or_default();
            let (state, class) = state_of(&dispose_from, today);
            DueRow {
                case_id: p.case_id,
                title: p.case_title,
                number: p.case_number,
                archived_at: local_time(&p.archived_at),
                archivist: p.archivist_name,
                retention: p.retention,
                dispose_from,
                state,
                class,
            }
        })
        .collect();
    render(&ArchivePage {
        nav: Nav::of(&user, "archive"),
        today: today.to_string(),
        total,
        rows,
        basis: zhifa_core::archive::retention::BASIS,
        server_key: state.key().public_hex(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_past_its_retention_is_due_and_a_later_one_is_upcoming() {
        let today = NaiveDate::from_ymd_opt(2036, 12, 4).unwrap();
        assert_eq!(state_of("2036-12-04", today).1, "overdue");
        assert_eq!(state_of("2030-01-01", today).1, "overdue");
        assert_eq!(state_of("2037-06-01", today).1, "soon");
    }
}
