//! The HTTP routes.

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::routing::{delete, get, head, post, put};
use axum::Router;
use tower_http::compression::predicate::SizeAbove;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::state::AppState;
use crate::{accounts, calendar, cases, media, receipts, sync};

async fn healthz() -> &'static str {
    "ok"
}

async fn not_found() -> AppError {
    AppError::NotFound("没有这个接口".into())
}

async fn method_not_allowed() -> axum::response::Response {
    use axum::response::IntoResponse;
    let body = zhifa_core::sync::ErrorBody {
        error: "该接口不支持此请求方法".into(),
        code: "method_not_allowed".into(),
    };
    (axum::http::StatusCode::METHOD_NOT_ALLOWED, axum::Json(body)).into_response()
}

/// Answers larger than this are gzip-compressed for clients that accept it.
const COMPRESS_ABOVE: u16 = 1024;

/// Adds `Server-Timing: app;dur=<ms>`: the time from the request's arrival
/// to its answer being ready (body read, handled, serialized; compression
/// and sending excluded).
async fn server_timing(req: Request, next: Next) -> axum::response::Response {
    let start = std::time::Instant::now();
    let mut res = next.run(req).await;
    let ms = start.elapsed().as_secs_f64() * 1e3;
    if let Ok(v) = HeaderValue::from_str(&format!("app;dur={ms:.3}")) {
        res.headers_mut().insert("server-timing", v);
    }
    res
}

/// The sync endpoints: request bodies may be gzip-compressed
/// (`Content-Encoding: gzip`, see [`crate::extract::Json`]); answers above
/// 1 KiB are compressed for clients sending `Accept-Encoding: gzip`; every
/// answer carries `Server-Timing`.
fn sync_routes() -> Router<AppState> {
    Router::new()
        .route("/sync/check", post(sync::check))
        .route("/sync/exchange", post(sync::exchange::exchange))
        .route("/sync/snapshots", post(sync::snapshots))
        .route("/calendar", get(calendar::get))
        .layer(middleware::from_fn(server_timing))
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Fastest)
                .compress_when(SizeAbove::new(COMPRESS_ABOVE)),
        )
}

/// The router with every endpoint.
pub fn router(state: AppState) -> Router {
    let json_limit = state.config().max_json_bytes;
    let api = Router::new()
        .route("/server-key", get(receipts::server_key))
        .route("/auth/login", post(accounts::login))
        .route("/auth/logout", post(accounts::logout))
        .route("/me", get(accounts::me))
        .route("/devices", get(accounts::my_devices))
        .route("/devices/{id}", delete(accounts::revoke_device))
        .route("/units", get(accounts::units))
        .route("/admin/calendar", put(calendar::put))
        .route(
            "/admin/accounts",
            get(accounts::admin_accounts).post(accounts::admin_create_account),
        )
        .route("/cases", get(cases::list))
        .route("/cases/{id}", get(cases::detail))
        .route("/cases/{id}/media/missing", get(media::missing))
        .route(
            "/media/uploads",
            post(media::create).options(media::options),
        )
        .route(
            "/media/uploads/{sha256}",
            head(media::head).patch(media::patch),
        )
        .route("/media/{sha256}", get(media::download))
        .merge(sync_routes());
    Router::new()
        .route("/healthz", get(healthz))
        .nest("/api/v1", api)
        .merge(crate::console::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(json_limit))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
