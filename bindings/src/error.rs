//! The one error type the shells see.

use zhifa_core::deadlines::DeadlineError;
use zhifa_core::CoreError;

/// What went wrong, by what the UI does about it; `reason` is Chinese and
/// can be shown as it is.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum FfiError {
    /// The user's input is invalid: show the message next to the field.
    #[error("{reason}")]
    InvalidInput {
        /// Chinese message.
        reason: String,
    },
    /// The thing asked for does not exist.
    #[error("{reason}")]
    NotFound {
        /// Chinese message.
        reason: String,
    },
    /// The record is sealed: offer an amendment instead.
    #[error("{reason}")]
    Sealed {
        /// Chinese message.
        reason: String,
    },
    /// A date outside the loaded holiday calendar: ask for a calendar update.
    #[error("{reason}")]
    CalendarOutOfRange {
        /// Chinese message.
        reason: String,
    },
    /// Stored or received data is damaged: report, do not retry.
    #[error("{reason}")]
    Corrupted {
        /// Chinese message.
        reason: String,
    },
}

impl From<CoreError> for FfiError {
    fn from(e: CoreError) -> Self {
        let reason = e.to_string();
        match e {
            CoreError::UnknownTemplate { .. } | CoreError::RecordNotFound(_) => {
                FfiError::NotFound { reason }
            }
            CoreError::RecordSealed(_) => FfiError::Sealed { reason },
            CoreError::Malformed(_) | CoreError::SealInvalid(_) | CoreError::Automerge(_) => {
                FfiError::Corrupted { reason }
            }
            _ => FfiError::InvalidInput { reason },
        }
    }
}

impl From<DeadlineError> for FfiError {
    fn from(e: DeadlineError) -> Self {
        let reason = e.to_string();
        match e {
            DeadlineError::OutOfCalendar { .. } => FfiError::CalendarOutOfRange { reason },
            _ => FfiError::InvalidInput { reason },
        }
    }
}
