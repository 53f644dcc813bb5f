//! The office console: server-rendered HTML (askama templates under
//! `server/templates/console/`, compile-checked), in Simplified Chinese,
//! with its stylesheet inside the binary and no script.
//!
//! - [`session`]: login, logout, sessions, CSRF, throttling.
//! - [`cases`]: the inbox and the case page; [`case_view`] builds the page's words.
//! - [`actions`]: the case page's forms (office actions); [`review`] and
//!   [`review_view`]: the 法制审核 panel.
//! - [`media`]: photos, video and audio with `Range`, access logged.
//! - [`deadlines`]: the bureau's open statutory obligations.
//! - [`archive`]: 归档, the package download and the retention list.
//! - [`admin`]: accounts over their life (administrator).

pub mod actions;
pub mod admin;
pub mod archive;
pub mod case_view;
pub mod cases;
pub mod deadlines;
pub mod disclosure;
pub mod labels;
pub mod media;
pub mod page;
pub mod pdf;
pub mod publicity;
pub mod publicity_desk;
pub mod random;
pub mod records;
pub mod review;
pub mod review_view;
pub mod session;
pub mod thumbs;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;

/// The console's stylesheet, inside the binary.
const CONSOLE_CSS: &str = include_str!("../../assets/console.css");

/// The policy of every console page: only this origin's styles and media,
/// no script, no framing, forms post only here.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; media-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CONSOLE_CSS,
    )
        .into_response()
}

/// The console's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(cases::inbox))
        .route("/login", get(session::login_form).post(session::login))
        .route("/logout", post(session::logout))
        .route("/cases/{id}", get(cases::case_page))
        .route("/cases/{id}/assign", post(actions::assign))
        .route("/cases/{id}/filing/opinion", post(actions::filing_opinion))
        .route(
            "/cases/{id}/filing/decision",
            post(actions::filing_decision),
        )
        .route("/cases/{id}/sign", post(actions::sign))
        .route("/cases/{id}/advance", post(actions::advance))
        .route("/cases/{id}/measures", post(actions::measures))
        .route("/cases/{id}/facts", post(actions::fact))
        .route("/cases/{id}/archive", post(archive::file))
        .route("/cases/{id}/archive.zip", get(archive::download))
        .route("/archive", get(archive::retention))
        .route("/cases/{id}/records", post(records::create))
        .route(
            "/cases/{id}/records/{rid}",
            get(records::form).post(records::save),
        )
        .route("/cases/{id}/publicity/draft", post(publicity::draft))
        .route(
            "/cases/{id}/publicity/{entry}/withdraw",
            post(publicity::withdraw),
        )
        .route("/cases/{id}/review/submit", post(review::submit))
        .route("/cases/{id}/review/materials", post(review::materials))
        .route("/cases/{id}/review/extension", post(review::extension))
        .route(
            "/cases/{id}/review/extension/approve",
            post(review::approve_extension),
        )
        .route("/cases/{id}/review/opinion", post(review::opinion))
        .route(
            "/cases/{id}/review/opinion/approve",
            post(review::approve_opinion),
        )
        .route("/cases/{id}/review/rectify", post(review::rectify))
        .route("/cases/{id}/review/violation", post(review::violation))
        .route("/cases/{id}/media/{sha256}", get(media::media))
        .route("/cases/{id}/records/{rid}/pdf", get(pdf::record_pdf))
        .route(
            "/cases/{id}/media/{sha256}/party-copy",
            post(actions::party_copy),
        )
        .route("/deadlines", get(deadlines::deadlines))
        .route("/publicity", get(publicity_desk::desk))
        .route(
            "/publicity/disclosures",
            get(disclosure::page).post(disclosure::create),
        )
        .route(
            "/publicity/disclosures/roster",
            post(disclosure::roster_draft),
        )
        .route("/publicity/disclosures/{id}/draft", post(disclosure::edit))
        .route(
            "/publicity/disclosures/{id}/submit",
            post(disclosure::submit),
        )
        .route(
            "/publicity/disclosures/{id}/law-change",
            post(disclosure::law_change),
        )
        .route(
            "/publicity/disclosures/{id}/approve",
            post(disclosure::approve),
        )
        .route(
            "/publicity/disclosures/{id}/return",
            post(disclosure::return_draft),
        )
        .route("/publicity/random", get(random::page).post(random::draw))
        .route("/publicity/random/targets", post(random::add_target))
        .route("/publicity/feedback/{id}", post(publicity_desk::answer))
        .route("/admin/accounts", get(admin::list).post(admin::create))
        .route(
            "/admin/accounts/{id}",
            get(admin::edit_form).post(admin::update),
        )
        .route("/admin/accounts/{id}/suspend", post(admin::suspend))
        .route("/admin/accounts/{id}/reactivate", post(admin::reactivate))
        .route("/assets/console.css", get(stylesheet))
        .layer(middleware::from_fn(security_headers))
}
