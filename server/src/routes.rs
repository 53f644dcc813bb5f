//! The HTTP routes.

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::routing::get;
use axum::Router;
use tower_http::compression::predicate::SizeAbove;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::openapi::{self, API_PREFIX};
use crate::error::AppError;
use crate::state::AppState;
use crate::{
    accounts, calendar, cases, credential, docs, media, observe, ops, receipts, sync, traffic,
};

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
fn sync_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sync::check))
        .routes(routes!(sync::exchange::exchange))
        .routes(routes!(sync::snapshots))
        .routes(routes!(calendar::get))
        .layer(middleware::from_fn(server_timing))
        .layer(middleware::from_fn(traffic::sync_bytes))
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Fastest)
                .compress_when(SizeAbove::new(COMPRESS_ABOVE)),
        )
}

/// Every `/api/v1` route (paths relative to the prefix), each registered
/// with `routes!` from its handler's `#[utoipa::path]`: the router and its
/// OpenAPI paths (published to `crate::api::openapi`) are one value, so a
/// route cannot be added without its documentation.
pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(openapi::openapi_json))
        .routes(routes!(receipts::server_key))
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::logout))
        .routes(routes!(accounts::me))
        .routes(routes!(accounts::my_devices))
        .routes(routes!(accounts::revoke_device))
        .routes(routes!(accounts::units))
        .routes(routes!(credential::issue))
        .routes(routes!(credential::verify))
        .routes(routes!(accounts::colleagues))
        .routes(routes!(calendar::put))
        .routes(routes!(
            accounts::admin_accounts,
            accounts::admin_create_account
        ))
        .routes(routes!(cases::list))
        .routes(routes!(cases::detail))
        .routes(routes!(crate::archive::download::api_download))
        .routes(routes!(docs::record_pdf))
        .routes(routes!(media::missing))
        .routes(routes!(media::tus::create, media::tus::options))
        .routes(routes!(media::tus::head, media::tus::patch))
        .routes(routes!(media::download))
        .merge(sync_routes())
}

/// The router with every endpoint.
pub fn router(state: AppState) -> Router {
    let json_limit = state.config().max_json_bytes;
    let (api, paths) = api_routes().split_for_parts();
    if let Err(e) = openapi::publish(paths) {
        tracing::error!(error = ?e, "OpenAPI document not built");
    }
    // The last layer added runs first: a request id is cleaned or made,
    // then the access log span opens, then it is counted.
    let ops_layers = tower::ServiceBuilder::new()
        .layer(middleware::from_fn(observe::sanitize_request_id))
        .layer(observe::set_request_id())
        .layer(observe::propagate_request_id())
        .layer(observe::access_log())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            traffic::track,
        ));
    Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(traffic::metrics))
        .nest(API_PREFIX, api)
        .merge(crate::console::routes())
        .merge(crate::portal::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(json_limit))
        .layer(ops_layers)
        .with_state(state)
}
