//! The inbox (case list with filters, sorted by the next statutory
//! deadline, from the index only) and the case page (from the document).

use std::collections::{BTreeSet, HashMap};

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use zhifa_core::authority::OfficeAction;
use zhifa_core::case::Stage;
use zhifa_core::rules::CaseFact;
use zhifa_core::sync::Role;
use zhifa_core::template::SignerRole;

use super::case_view::{self, CaseView, ViewInput};
use super::labels;
use super::page::{render, Nav, PageError};
use super::session::ConsoleUser;
use crate::access::{can_read, listing_scope, office_principal};
use crate::casedoc;
use crate::extract::Path;
use crate::office::actions::permitted;
use crate::state::AppState;
use crate::store::{Account, CaseFilter};

/// Rows per page of the case list.
pub const PAGE_SIZE: u64 = 50;

/// Query of the case list.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    officer: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    party: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    due_by: String,
    #[serde(default)]
    page: Option<u64>,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.chars().take(100).collect())
}

/// One row of the list as shown.
pub struct RowView {
    id: String,
    title: String,
    kind: String,
    stage: String,
    unit: String,
    source: String,
    parties: String,
    officers: String,
    due: String,
    due_label: String,
    due_class: &'static str,
}

/// A choice in a filter's select.
pub struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(askama::Template)]
#[template(path = "console/inbox.html")]
struct InboxPage {
    nav: Nav,
    rows: Vec<RowView>,
    total: u64,
    page: u64,
    pages: u64,
    units: Vec<Choice>,
    stages: Vec<Choice>,
    sources: Vec<Choice>,
    officers: Vec<Choice>,
    party: String,
    q: String,
    due_by: String,
    prev_link: String,
    next_link: String,
}

fn choices(items: Vec<(String, String)>, selected: &str) -> Vec<Choice> {
    items
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

fn due_class(due: Option<&str>, today: chrono::NaiveDate, soon_days: i64) -> &'static str {
    match due.and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
        Some(d) if d < today => "overdue",
        Some(d) if (d - today).num_days() <= soon_days => "soon",
        Some(_) => "ok",
        None => "",
    }
}

/// `GET /`: the inbox.
pub async fn inbox(
    State(state): State<AppState>,
    user: ConsoleUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let date_ok = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok();
    if !q.due_by.trim().is_empty() && !date_ok(q.due_by.trim()) {
        return Err(PageError::bad_request("“期限截至”须为日期, 如 2026-12-31"));
    }
    let filter = CaseFilter {
        unit: opt(&q.unit),
        stage: opt(&q.stage),
        officer: opt(&q.officer),
        source: opt(&q.source),
        party: opt(&q.party),
        text: opt(&q.q),
        due_by: opt(&q.due_by),
    };
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let scope = listing_scope(&office_principal(&user.account));
    let (result, units, accounts) = state
        .db(move |s| {
            let r = s.case_page(&scope, &filter, (page - 1) * PAGE_SIZE, PAGE_SIZE)?;
            Ok((r, s.units()?, s.accounts()?))
        })
        .await?;
    let unit_names: HashMap<String, String> = units
        .iter()
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect();
    let today = casedoc::today_cn();
    let rows = result
        .rows
        .into_iter()
        .map(|r| RowView {
            due_class: due_class(r.index.next_due.as_deref(), today, 3),
            kind: labels::kind(&r.kind),
            stage: labels::stage(&r.stage),
            unit: unit_names.get(&r.unit_id).cloned().unwrap_or(r.unit_id),
            source: labels::source(&r.index.source),
            parties: r.index.parties,
            officers: r.index.officer_names,
            due: r.index.next_due.unwrap_or_default(),
            due_label: r.index.next_due_label.unwrap_or_default(),
            id: r.id,
            title: r.title,
        })
        .collect();
    let pages = result.total.div_ceil(PAGE_SIZE).max(1);
    let link = |p: u64| {
        let mut params = vec![("page", p.to_string())];
        for (k, v) in [
            ("unit", &q.unit),
            ("stage", &q.stage),
            ("officer", &q.officer),
            ("source", &q.source),
            ("party", &q.party),
            ("q", &q.q),
            ("due_by", &q.due_by),
        ] {
            if !v.is_empty() {
                params.push((k, v.clone()));
            }
        }
        format!(
            "/?{}",
            serde_urlencoded::to_string(params).unwrap_or_default()
        )
    };
    let officer_choices = accounts
        .iter()
        .filter(|a| a.roles.contains(&Role::Officer))
        .map(|a| (a.id.clone(), format!("{} ({})", a.name, a.unit_name)))
        .collect();
    let inbox = InboxPage {
        nav: Nav::of(&user, "cases"),
        rows,
        total: result.total,
        page,
        pages,
        units: choices(
            units
                .iter()
                .map(|u| (u.id.clone(), u.name.clone()))
                .collect(),
            &q.unit,
        ),
        stages: choices(
            Stage::ALL
                .iter()
                .map(|s| (labels::wire(s), s.label().to_string()))
                .collect(),
            &q.stage,
        ),
        sources: choices(
            labels::SOURCES
                .iter()
                .map(|s| (labels::wire(s), s.label().to_string()))
                .collect(),
            &q.source,
        ),
        officers: choices(officer_choices, &q.officer),
        party: q.party.clone(),
        q: q.q.clone(),
        due_by: q.due_by.clone(),
        prev_link: if page > 1 {
            link(page - 1)
        } else {
            String::new()
        },
        next_link: if page < pages {
            link(page + 1)
        } else {
            String::new()
        },
    };
    render(&inbox)
}

/// An officer who may still be assigned.
pub struct Assignable {
    id: String,
    label: String,
}

#[derive(askama::Template)]
#[template(path = "console/case.html")]
struct CasePage {
    nav: Nav,
    c: CaseView,
    ok: String,
    err: String,
    assignable: Vec<Assignable>,
    can_assign: bool,
    filing_unit_opinion: bool,
    filing_leader: bool,
    can_advance: bool,
    can_party_copy: bool,
    can_edit: bool,
    measures: Vec<(String, bool)>,
    templates: Vec<(String, String)>,
    parties: Vec<(String, String)>,
    review: Option<super::review_view::ReviewView>,
    publicity: super::publicity::PublicityView,
    /// The facts this user may record (wire name, label), empty when none
    /// may be (no decision yet, or not permitted).
    facts: Vec<(&'static str, &'static str)>,
    /// Today, for the facts form's default date.
    today: String,
    can_file: bool,
    package: Option<super::archive::PackageView>,
}

/// Loads a case the user may read (404 / 403 otherwise).
pub async fn readable_case(
    state: &AppState,
    user: &ConsoleUser,
    id: &str,
) -> Result<crate::store::StoredCase, PageError> {
    crate::sync::check_case_id(id).map_err(PageError)?;
    let lookup = id.to_string();
    let stored = state
        .db(move |s| s.load_case(&lookup))
        .await?
        .ok_or_else(|| PageError::not_found("案件不存在"))?;
    let access = stored.meta.access();
    if !can_read(&office_principal(&user.account), &access) {
        tracing::warn!(account = %user.account.username, case = %id, "console case refused");
        return Err(PageError::not_found("案件不存在或无权查看"));
    }
    Ok(stored)
}

/// `GET /cases/{id}`: the case page.
pub async fn case_page(
    State(state): State<AppState>,
    user: ConsoleUser,
    Path(id): Path<String>,
    Query(flash): Query<super::page::Flash>,
) -> Result<Response, PageError> {
    let stored = readable_case(&state, &user, &id).await?;
    let case_id = stored.meta.id.clone();
    let unit_id = stored.meta.unit_id.clone();
    let media_dir = state.config().media_path();
    let strokes_dir = media_dir.clone();
    let calendar = state.calendar();
    let account = user.account.clone();
    let csrf = user.session.csrf.clone();
    let server_key = state.key().public_hex();
    let page = state
        .db(move |s| {
            let accounts: HashMap<String, Account> = s
                .accounts()?
                .into_iter()
                .map(|a| (a.id.clone(), a))
                .collect();
            let units = s.units()?;
            let receipts = s.receipts_of_case(&case_id)?;
            let mut owners = HashMap::new();
            for r in receipts.iter().take(20) {
                if !owners.contains_key(&r.device_id) {
                    if let Some(d) = s.device(&r.device_id)? {
                        owners.insert(r.device_id.clone(), d.account_id);
                    }
                }
            }
            let accesses = s.media_accesses(&case_id)?;
            let present: BTreeSet<String> = s
                .case_media(&case_id)?
                .into_iter()
                .filter(|m| crate::media::final_path(&media_dir, &m.sha256).exists())
                .map(|m| m.sha256)
                .collect();
            let package = s.archive_package(&case_id)?;
            Ok((
                accounts, units, receipts, owners, accesses, present, package,
            ))
        })
        .await?;
    let (accounts, units, receipts, owners, accesses, mut present, package) = page;
    let built = tokio::task::spawn_blocking(move || -> Result<_, crate::error::AppError> {
        let doc = casedoc::load(&stored)?;
        let case = doc.case().map_err(crate::error::AppError::internal)?;
        // Signatures as drawn: their PNGs are files the server holds too.
        present.extend(
            casedoc::signature_images(&case)
                .into_iter()
                .filter(|h| crate::media::final_path(&strokes_dir, h).exists()),
        );
        let problems: HashMap<String, Vec<String>> = doc
            .verify_seals()
            .map_err(crate::error::AppError::internal)?
            .into_iter()
            .collect();
        let conflicts = doc
            .seal_conflicts()
            .map_err(crate::error::AppError::internal)?;
        let resolutions = doc
            .conflict_resolutions()
            .map_err(crate::error::AppError::internal)?;
        let unit_names: HashMap<String, String> = units
            .iter()
            .map(|u| (u.id.clone(), u.name.clone()))
            .collect();
        let sign_roles: Vec<SignerRole> = [SignerRole::Reviewer, SignerRole::Leader]
            .into_iter()
            .filter(|r| zhifa_core::authority::may_sign_as(*r, &account.roles).is_ok())
            .collect();
        let view = case_view::build(
            &case,
            &ViewInput {
                accounts: &accounts,
                unit_names: &unit_names,
                device_owner: &owners,
                seal_problems: &problems,
                conflicts: &conflicts,
                resolutions: &resolutions,
                present_media: &present,
                engine: calendar.engine.as_deref(),
                today: casedoc::today_cn(),
                receipts: &receipts,
                accesses: &accesses,
                sign_roles: &sign_roles,
            },
        );
        let can_assign = permitted(&account, OfficeAction::AssignOfficers, &case, &unit_id);
        let assignable = accounts
            .values()
            .filter(|a| {
                a.active
                    && !a.credential_no.is_empty()
                    && a.roles.contains(&Role::Officer)
                    && a.unit_id == unit_id
                    && case.officer(&a.id).is_none()
                    && case.header.created_by != a.id
            })
            .map(|a| Assignable {
                id: a.id.clone(),
                label: format!("{} {} ({})", a.name, a.post, a.credential_no),
            })
            .collect();
        let filing = case
            .current_records("filing_approval")
            .find(|r| !r.is_sealed());
        let unit_opinion_empty = filing.is_some_and(|r| !r.fields.contains_key("unit_opinion"));
        Ok(CasePage {
            nav: Nav::of_account(&account, csrf, "cases"),
            c: view,
            ok: String::new(),
            err: String::new(),
            assignable,
            can_assign,
            filing_unit_opinion: filing.is_some()
                && unit_opinion_empty
                && permitted(&account, OfficeAction::FilingUnitOpinion, &case, &unit_id),
            filing_leader: filing.is_some()
                && permitted(
                    &account,
                    OfficeAction::FilingLeaderDecision,
                    &case,
                    &unit_id,
                ),
            can_advance: case.header.stage.next().is_some()
                && case.header.stage != zhifa_core::case::Stage::Archiving
                && permitted(&account, OfficeAction::AdvanceStage, &case, &unit_id),
            can_file: case.header.stage == zhifa_core::case::Stage::Archiving
                && permitted(&account, OfficeAction::FileCase, &case, &unit_id),
            package: super::archive::package_view(package, &account, server_key),
            can_edit: permitted(&account, OfficeAction::EditRecords, &case, &unit_id),
            measures: if case.header.kind == zhifa_core::case::CaseKind::Penalty
                && permitted(&account, OfficeAction::MajorMeasures, &case, &unit_id)
            {
                zhifa_core::rules::RuleProfile::default()
                    .major_measures
                    .iter()
                    .map(|m| (m.clone(), case.header.measures.contains(m)))
                    .collect()
            } else {
                Vec::new()
            },
            publicity: super::publicity::build(&case, &account, &unit_id, casedoc::today_cn()),
            facts: if zhifa_core::rules::decided_on(&case).is_some()
                && permitted(&account, OfficeAction::RecordCaseFact, &case, &unit_id)
            {
                CaseFact::ALL
                    .iter()
                    .map(|f| (f.wire(), f.label()))
                    .collect()
            } else {
                Vec::new()
            },
            today: casedoc::today_cn().to_string(),
            templates: zhifa_core::template::TemplateRegistry::builtin()
                .all()
                .filter(|t| t.kinds.contains(&case.header.kind))
                // 公示信息 are drafted from the 公示 panel; other restricted
                // forms only for whoever may make them.
                .filter(|t| {
                    !t.id.starts_with("publicity_")
                        && permitted(
                            &account,
                            zhifa_core::authority::template_action(&t.id),
                            &case,
                            &unit_id,
                        )
                })
                .map(|t| (t.id.clone(), t.name.clone()))
                .collect(),
            can_party_copy: !case.parties.is_empty()
                && permitted(&account, OfficeAction::PartyCopy, &case, &unit_id),
            parties: case
                .parties
                .iter()
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect(),
            review: super::review_view::build(
                &case,
                &account,
                &unit_id,
                calendar.engine.as_deref(),
                casedoc::today_cn(),
            ),
        })
    })
    .await??;
    let mut page = built;
    (page.ok, page.err) = flash.messages();
    render(&page)
}
