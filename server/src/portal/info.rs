//! `GET /gs/info`: 事前公开 ((一) 第五条、第十一条): every section with its
//! published items only (a draft never shows), each with its basis and the
//! date it was published after the legal office's review. The items of
//! 执法程序与流程图 render as a flow chart: each non-empty line a box, arrows
//! between them, in HTML and CSS alone.

use axum::extract::State;
use axum::response::Response;

use super::{render, PortalError};
use crate::state::AppState;
use crate::store::disclosure::{FLOW_SECTION, SECTIONS};

/// A published item as the portal shows it.
pub struct InfoItem {
    title: String,
    basis: String,
    body: String,
    /// Published on (YYYY-MM-DD).
    published_on: String,
    /// The body's non-empty lines when the item is a flow chart.
    steps: Vec<String>,
}

/// A section and its published items.
pub struct InfoSection {
    name: &'static str,
    items: Vec<InfoItem>,
}

#[derive(askama::Template)]
#[template(path = "portal/info.html")]
struct InfoPage {
    bureau: String,
    sections: Vec<InfoSection>,
}

/// `GET /gs/info`.
pub async fn info(State(state): State<AppState>) -> Result<Response, PortalError> {
    let items = state.db(|s| s.disclosure_items()).await?;
    let mut sections: Vec<InfoSection> = SECTIONS
        .iter()
        .map(|name| InfoSection {
            name,
            items: Vec::new(),
        })
        .collect();
    for item in items {
        let Some(p) = item.published else { continue };
        let Some(section) = sections.iter_mut().find(|s| s.name == item.section) else {
            continue;
        };
        let steps = if item.section == FLOW_SECTION {
            p.content
                .body
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        } else {
            Vec::new()
        };
        section.items.push(InfoItem {
            title: p.content.title,
            basis: p.content.basis,
            body: p.content.body,
            published_on: p.published_at.chars().take(10).collect(),
            steps,
        });
    }
    render(&InfoPage {
        bureau: state.config().bureau_name.clone(),
        sections,
    })
}
