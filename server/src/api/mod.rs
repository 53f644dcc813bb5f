//! The API's description: the OpenAPI document of every `/api/v1` route,
//! generated from the handlers' `#[utoipa::path]` annotations and the wire
//! types ([`openapi`]).

pub mod openapi;
