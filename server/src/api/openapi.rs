//! The OpenAPI 3.1 document of `/api/v1`, served at `GET /api/v1/openapi.json`.
//!
//! The paths come from the router itself (`crate::routes::api_routes`
//! collects every handler with `utoipa_axum::routes!`, which needs the
//! handler's `#[utoipa::path]`), so a route cannot be served without being
//! described. This module adds the document's info, the bearer scheme
//! `device_token` and the shared [`ErrorBody`] schema.

use std::sync::OnceLock;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Tag};
use utoipa::{PartialSchema, ToSchema};
use zhifa_core::sync::ErrorBody;

use crate::error::{AppError, AppResult};

/// Where the API is mounted.
pub const API_PREFIX: &str = "/api/v1";

/// Name of the bearer security scheme (the device token from login).
pub const DEVICE_TOKEN: &str = "device_token";

const DESCRIPTION: &str = "\
The sync and office API of Zhifa (执法). Endpoints marked with the `device_token` \
security scheme need `Authorization: Bearer <device token>` (from `POST /api/v1/auth/login`).

Every error is JSON, `ErrorBody` `{\"error\": \"<中文说明>\", \"code\": \"<machine code>\"}`. \
Besides the statuses listed per operation, any path answers 405 `method_not_allowed` to a \
method it does not serve, and unknown paths answer 404 `not_found`.";

/// The tags of the document, in display order.
const TAGS: [(&str, &str); 7] = [
    ("auth", "Login, logout and the server's receipt key"),
    ("accounts", "The caller's account and devices; units"),
    ("admin", "Administration: accounts, holiday calendar"),
    (
        "sync",
        "Idle check, snapshots, exchange rounds, holiday calendar",
    ),
    ("cases", "Read-only case data for office tools"),
    ("media", "Resumable media uploads (tus 1.0), downloads"),
    ("meta", "This document"),
];

/// The document's frame: info, tags, security scheme and `ErrorBody`.
fn frame() -> OpenApi {
    let info = InfoBuilder::new()
        .title("Zhifa 执法 API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(DESCRIPTION))
        .build();
    let bearer = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .bearer_format("device token")
        .description(Some(
            "The device token from login: 64 hex characters, bound to one registered device",
        ))
        .build();
    let components = ComponentsBuilder::new()
        .security_scheme(DEVICE_TOKEN, SecurityScheme::Http(bearer))
        .schema(ErrorBody::name(), ErrorBody::schema())
        .build();
    let tags = TAGS
        .iter()
        .map(|(name, description)| {
            let mut tag = Tag::new(*name);
            tag.description = Some((*description).to_string());
            tag
        })
        .collect::<Vec<_>>();
    OpenApiBuilder::new()
        .info(info)
        .components(Some(components))
        .tags(Some(tags))
        .build()
}

/// The whole document: the frame and the paths of every `/api/v1` route
/// (`crate::routes::api_routes`, which hands them over when it builds the
/// router) under [`API_PREFIX`].
pub fn document(paths: OpenApi) -> OpenApi {
    frame().nest(API_PREFIX, paths)
}

/// The served document as JSON, published once by the router.
static JSON: OnceLock<String> = OnceLock::new();

/// Publishes the document built from the router's own paths; the first
/// router built wins (every router has the same routes).
pub fn publish(paths: OpenApi) -> AppResult<()> {
    if JSON.get().is_none() {
        let json = document(paths).to_json().map_err(AppError::internal)?;
        let _ = JSON.set(json);
    }
    Ok(())
}

/// The document as JSON, once the router has published it.
pub fn document_json() -> AppResult<&'static str> {
    JSON.get()
        .map(String::as_str)
        .ok_or_else(|| AppError::internal("the OpenAPI document was not published"))
}

/// `GET /api/v1/openapi.json`: this document (public).
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "get_openapi",
    tag = "meta",
    summary = "The OpenAPI document of this API (public)",
    responses(
        (status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn openapi_json() -> AppResult<Response> {
    let json = document_json()?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json,
    )
        .into_response())
}
