//! The server's use of `zhifa_core::doc::CaseDoc`: loading stored documents
//! and reading the columns kept per case.

use crate::error::{AppError, AppResult};
use crate::store::StoredCase;

/// The whole case as JSON, hydrated from the stored document.
pub fn case_json(_stored: &StoredCase) -> AppResult<serde_json::Value> {
    Err(AppError::internal("CaseDoc not available yet"))
}
