//! Request ids and the access log.
//!
//! Every request gets an `x-request-id` (the client's, if it is a short
//! token of letters, digits, `-`, `_`, `.`; else a new UUID), returned in
//! the answer. Every request is logged once at INFO, when its answer is
//! ready: method, route template (never the raw path, which can hold case
//! ids or media hashes), status, latency, request id and, once the caller
//! is authenticated, the account id. Query strings, bodies, tokens and
//! cookies are never logged. Log lines written while the request runs
//! (errors, refusals) carry the same request id through the span.

use std::time::Duration;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Response};
use axum::middleware::Next;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnRequest, TraceLayer};
use tracing::Span;

/// The request id header.
pub const REQUEST_ID: &str = "x-request-id";

/// Longest client-supplied request id kept.
const MAX_REQUEST_ID: usize = 64;

/// Whether a client-supplied request id is kept as it is.
pub fn acceptable_request_id(v: &HeaderValue) -> bool {
    let b = v.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_REQUEST_ID
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// Drops a client's request id that is too long or holds other characters,
/// so that [`SetRequestIdLayer`] replaces it with a UUID.
pub async fn sanitize_request_id(mut req: Request, next: Next) -> axum::response::Response {
    let name = HeaderName::from_static(REQUEST_ID);
    if req
        .headers()
        .get(&name)
        .is_some_and(|v| !acceptable_request_id(v))
    {
        req.headers_mut().remove(&name);
    }
    next.run(req).await
}

/// Sets a request id where none is given.
pub fn set_request_id() -> SetRequestIdLayer<MakeRequestUuid> {
    SetRequestIdLayer::new(HeaderName::from_static(REQUEST_ID), MakeRequestUuid)
}

/// Copies the request id to the answer.
pub fn propagate_request_id() -> PropagateRequestIdLayer {
    PropagateRequestIdLayer::new(HeaderName::from_static(REQUEST_ID))
}

/// The span of one request: method, route template, request id, and the
/// account id filled in by the authentication extractors.
pub fn request_span(req: &Request) -> Span {
    let request_id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %req.method(),
        route = %crate::metrics::route_of(req),
        request_id = %request_id,
        account = tracing::field::Empty,
    )
}

/// Logs the access line of a finished request (inside its span).
pub fn log_response<B>(res: &Response<B>, latency: Duration, _span: &Span) {
    tracing::info!(
        status = res.status().as_u16(),
        latency_ms = latency.as_micros() as f64 / 1e3,
        "access"
    );
}

type MakeSpan = fn(&Request) -> Span;
type OnResponse = fn(&Response<axum::body::Body>, Duration, &Span);
type Classifier =
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>;
/// The access log layer's type.
pub type AccessLog = TraceLayer<Classifier, MakeSpan, DefaultOnRequest, OnResponse, (), (), ()>;

/// The access log layer: a span per request, one INFO line per answer.
pub fn access_log() -> AccessLog {
    TraceLayer::new_for_http()
        .make_span_with(request_span as MakeSpan)
        .on_request(DefaultOnRequest::new().level(tracing::Level::DEBUG))
        .on_response(log_response::<axum::body::Body> as OnResponse)
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}

/// Names the authenticated account in the current request's log span.
pub fn record_account(account_id: &str) {
    Span::current().record("account", account_id);
}
