//! Batched Automerge exchange rounds (needs `zhifa_core::doc::CaseDoc`).

use axum::extract::State;
use zhifa_core::sync::{SyncRequest, SyncResponse};

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::state::AppState;

/// `POST /api/v1/sync/exchange`: one round for several cases.
pub async fn exchange(
    State(_state): State<AppState>,
    Auth(_p): Auth,
    Json(_req): Json<SyncRequest>,
) -> AppResult<Json<SyncResponse>> {
    Err(AppError::internal("not yet"))
}
