//! The Atom feed of the latest published entries (RFC 4287).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use zhifa_core::publicity::PublicEntry;

use super::PortalError;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::publicity::PublicQuery;

/// Entries in the feed.
const FEED_ENTRIES: u64 = 50;

#[derive(askama::Template)]
#[template(path = "portal/feed.xml")]
struct Feed {
    bureau: String,
    updated: String,
    entries: Vec<PublicEntry>,
}

/// `GET /gs/feed.atom`.
pub async fn atom(State(state): State<AppState>) -> Result<Response, PortalError> {
    let q = PublicQuery {
        limit: FEED_ENTRIES,
        ..PublicQuery::default()
    };
    let (entries, _) = state.db(move |s| s.public_page(&q)).await?;
    let updated = entries
        .first()
        .map(|e| e.published_on.clone())
        .unwrap_or_else(|| "2026-01-01".into());
    let feed = Feed {
        bureau: state.config().bureau_name.clone(),
        updated,
        entries,
    };
    let xml = askama::Template::render(&feed)
        .map_err(|e| PortalError(AppError::internal(format!("feed: {e}"))))?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}
