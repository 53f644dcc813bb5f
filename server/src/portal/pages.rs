//! The portal's pages: the list of published entries with search, one
//! entry at its stable URL (a taken-down entry shows why, not its content),
//! and the officer roster.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use zhifa_core::case::OfficerStatus;
use zhifa_core::publicity::PublicEntry;

use super::{render, PortalError};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::publicity::{Feedback, PublicQuery};

/// Entries per page.
pub const PAGE_SIZE: u64 = 20;
/// Longest search text accepted.
const MAX_QUERY_CHARS: usize = 100;

/// The list's query string.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// Search words.
    #[serde(default)]
    pub q: String,
    /// `行政处罚` / `行政检查` / empty.
    #[serde(default)]
    pub kind: String,
    /// Page, from 1.
    #[serde(default)]
    pub page: Option<u64>,
}

#[derive(askama::Template)]
#[template(path = "portal/index.html")]
struct IndexPage {
    bureau: String,
    q: String,
    kind: String,
    entries: Vec<PublicEntry>,
    total: u64,
    page: u64,
    pages: u64,
    prev: Option<String>,
    next: Option<String>,
}

fn page_link(q: &str, kind: &str, page: u64) -> String {
    let params = [("q", q), ("kind", kind)]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .chain(std::iter::once(("page".to_string(), page.to_string())))
        .collect::<Vec<_>>();
    format!(
        "/gs/?{}",
        serde_urlencoded::to_string(params).unwrap_or_default()
    )
}

/// `GET /gs/`: the published entries, newest first, 20 a page.
pub async fn index(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Response, PortalError> {
    let q: String = query.q.trim().chars().take(MAX_QUERY_CHARS).collect();
    let kind = match query.kind.as_str() {
        "行政处罚" | "行政检查" => query.kind.clone(),
        _ => String::new(),
    };
    let page = query.page.unwrap_or(1).clamp(1, 100_000);
    let pq = PublicQuery {
        text: Some(q.clone()),
        kind: Some(kind.clone()),
        year: None,
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    };
    let (entries, total) = state.db(move |s| s.public_page(&pq)).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    render(&IndexPage {
        bureau: state.config().bureau_name.clone(),
        prev: (page > 1).then(|| page_link(&q, &kind, page - 1)),
        next: (page < pages).then(|| page_link(&q, &kind, page + 1)),
        q,
        kind,
        entries,
        total,
        page,
        pages,
    })
}

#[derive(askama::Template)]
#[template(path = "portal/entry.html")]
struct EntryPage {
    bureau: String,
    e: PublicEntry,
    feedback: Vec<Feedback>,
    sent: bool,
    display_years: u32,
}

/// The query of an entry page (`sent=1` after feedback).
#[derive(Debug, Default, Deserialize)]
pub struct EntryQuery {
    #[serde(default)]
    sent: Option<u8>,
}

/// `GET /gs/e/{id}`: one entry; a taken-down one shows its explanation only.
pub async fn entry(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<EntryQuery>,
) -> Result<Response, PortalError> {
    if id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(PortalError(AppError::NotFound("没有这条公示信息".into())));
    }
    let lookup = id.clone();
    let (e, feedback) = state
        .db(move |s| Ok((s.public_entry(&lookup)?, s.entry_feedback(&lookup)?)))
        .await?;
    let e = e.ok_or_else(|| PortalError(AppError::NotFound("没有这条公示信息".into())))?;
    let feedback = feedback
        .into_iter()
        .map(|f| Feedback {
            answered_at: f.answered_at.get(..10).unwrap_or_default().to_string(),
            ..f
        })
        .collect();
    render(&EntryPage {
        bureau: state.config().bureau_name.clone(),
        display_years: if e.natural_person { 2 } else { 5 },
        e,
        feedback,
        sent: query.sent.is_some(),
    })
}

/// One officer of the roster.
pub struct RosterRow {
    name: String,
    post: String,
    credential_no: String,
    unit: String,
    scope: String,
    valid_until: String,
    active: bool,
}

#[derive(askama::Template)]
#[template(path = "portal/roster.html")]
struct RosterPage {
    bureau: String,
    rows: Vec<RosterRow>,
}

/// `GET /gs/roster`: every account holding a 执法证号, with its state now.
pub async fn roster(State(state): State<AppState>) -> Result<Response, PortalError> {
    let (accounts, units, infos) = state
        .db(|s| Ok((s.accounts()?, s.units()?, s.credential_infos()?)))
        .await?;
    let mut rows: Vec<RosterRow> = accounts
        .into_iter()
        .filter(|a| !a.credential_no.trim().is_empty())
        .map(|a| {
            let info = infos.iter().find(|(id, _)| *id == a.id).map(|(_, i)| i);
            RosterRow {
                unit: units
                    .iter()
                    .find(|u| u.id == a.unit_id)
                    .map(|u| u.name.clone())
                    .unwrap_or(a.unit_name.clone()),
                scope: info.map(|i| i.scope.clone()).unwrap_or_default(),
                valid_until: info.map(|i| i.valid_until.clone()).unwrap_or_default(),
                active: a.active && a.status == OfficerStatus::Active,
                name: a.name,
                post: a.post,
                credential_no: a.credential_no,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.unit.cmp(&b.unit).then(a.name.cmp(&b.name)));
    render(&RosterPage {
        bureau: state.config().bureau_name.clone(),
        rows,
    })
}

/// One published task: the task, its unit, the candidates (id, name) and
/// the officers (id, name) the draw was made from.
pub struct PublicTask {
    task: crate::store::publicity::RandomTask,
    unit: String,
    candidates: Vec<(String, String)>,
    officers: Vec<(String, String)>,
}

#[derive(askama::Template)]
#[template(path = "portal/random.html")]
struct RandomPage {
    bureau: String,
    tasks: Vec<PublicTask>,
}

/// `GET /gs/random`: every 双随机 task with its seed and everything needed
/// to redo the draw.
pub async fn random(State(state): State<AppState>) -> Result<Response, PortalError> {
    let (tasks, targets, accounts, units) = state
        .db(|s| Ok((s.random_tasks()?, s.targets()?, s.accounts()?, s.units()?)))
        .await?;
    let tasks = tasks
        .into_iter()
        .map(|t| PublicTask {
            unit: units
                .iter()
                .find(|u| u.id == t.unit_id)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            candidates: t
                .candidates
                .iter()
                .map(|id| {
                    let name = targets
                        .iter()
                        .find(|x| &x.id == id)
                        .map(|x| x.name.clone())
                        .unwrap_or_default();
                    (id.clone(), name)
                })
                .collect(),
            officers: t
                .officers
                .iter()
                .map(|id| {
                    let name = accounts
                        .iter()
                        .find(|a| &a.id == id)
                        .map(|a| a.name.clone())
                        .unwrap_or_default();
                    (id.clone(), name)
                })
                .collect(),
            task: crate::store::publicity::RandomTask {
                drawn_at: crate::casedoc::local_time(&t.drawn_at),
                ..t
            },
        })
        .collect();
    render(&RandomPage {
        bureau: state.config().bureau_name.clone(),
        tasks,
    })
}

/// The credential check's query: `t` is the token from the officer's QR.
#[derive(Debug, Default, Deserialize)]
pub struct CredentialQuery {
    #[serde(default)]
    t: String,
}

#[derive(askama::Template)]
#[template(path = "portal/credential.html")]
struct CredentialPage {
    bureau: String,
    asked: bool,
    status: &'static str,
    class: &'static str,
    message: String,
    claims: Option<zhifa_core::credential::CredentialClaims>,
}

/// `GET /gs/credential?t=…`: is the person at the door a real officer, in
/// service now ((一) 第六条; 行政处罚法 第五十五条)? The signature is checked
/// with the bureau's key; the officer's state is read now.
pub async fn credential(
    State(state): State<AppState>,
    Query(q): Query<CredentialQuery>,
) -> Result<Response, PortalError> {
    let token: String = q.t.trim().chars().take(2000).collect();
    if token.is_empty() {
        return render(&CredentialPage {
            bureau: state.config().bureau_name.clone(),
            asked: false,
            status: "",
            class: "",
            message: String::new(),
            claims: None,
        });
    }
    let c = crate::credential::check(&state, &token).await?;
    use crate::credential::CheckStatus as S;
    let (status, class) = match c.status {
        S::Active => ("有效: 在岗执法人员", "good"),
        S::Suspended => ("已暂停: 该人员现不得从事执法", "bad"),
        S::Expired => ("已过期", "bad"),
        _ => ("无效: 不是本机关签发的执法证件", "bad"),
    };
    render(&CredentialPage {
        bureau: state.config().bureau_name.clone(),
        asked: true,
        status,
        class,
        message: c.message,
        claims: c.claims,
    })
}
