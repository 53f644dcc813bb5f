//! The `/metrics` route and the middlewares that count traffic into the
//! registry of [`crate::metrics`].

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::metrics::route_of;
use crate::state::AppState;

/// `GET /metrics`: the Prometheus text format; 404 when metrics are off.
pub async fn metrics(State(state): State<AppState>) -> Response {
    if !state.config().metrics {
        return crate::error::AppError::NotFound("没有这个接口".into()).into_response();
    }
    let throttle = state.login_throttle();
    let partial = state.config().media_path().join("partial");
    match state
        .metrics()
        .render((throttle.failures(), throttle.lockouts()), &partial)
    {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(e) => crate::error::AppError::internal(e).into_response(),
    }
}

fn header_u64(h: &HeaderMap, name: &str) -> Option<u64> {
    h.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// Counts every request by route template, method and status, with its
/// latency; counts the media bytes a tus `PATCH` moved the offset by.
pub async fn track(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    req.extensions_mut().insert(state.clone());
    let start = std::time::Instant::now();
    let route = route_of(&req);
    let method = req.method().clone();
    let patch_from = (method == Method::PATCH)
        .then(|| header_u64(req.headers(), zhifa_core::sync::UPLOAD_OFFSET))
        .flatten();
    let res = next.run(req).await;
    let m = state.metrics();
    m.observe_request(&route, &method, res.status(), start.elapsed().as_secs_f64());
    if let (Some(from), true) = (patch_from, res.status() == StatusCode::NO_CONTENT) {
        if let Some(to) = header_u64(res.headers(), zhifa_core::sync::UPLOAD_OFFSET) {
            m.media_uploaded(to.saturating_sub(from));
        }
    }
    res
}

/// Counts the bytes of the sync endpoints: the request as received
/// (`Content-Length`) and the answer before compression.
/// (The state comes from the request's extensions, put there by [`track`].)
pub async fn sync_bytes(req: Request, next: Next) -> Response {
    let received = header_u64(req.headers(), header::CONTENT_LENGTH.as_str()).unwrap_or(0);
    let state = req.extensions().get::<AppState>().cloned();
    let res = next.run(req).await;
    let sent = axum::body::HttpBody::size_hint(res.body())
        .exact()
        .unwrap_or(0);
    if let Some(state) = state {
        state.metrics().sync_bytes(received, sent);
    }
    res
}
