//! The one error type the shells see: `CoreError` (Kotlin `CoreException`,
//! Swift `CoreError`, Python `CoreError`). Variants are what the UI does
//! about it; `reason` is Chinese and can be shown as it is.

use zhifa_core::deadlines::DeadlineError;
use zhifa_core::CoreError as ModelError;
use zhifa_device::DeviceError;

/// What went wrong, by what the UI does about it.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum CoreError {
    /// The user's input is invalid (or a gate blocks the step): show the
    /// message next to the field or above the button.
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
    /// The phone's storage is full: nothing was saved, ask to free space.
    #[error("{reason}")]
    DiskFull {
        /// Chinese message.
        reason: String,
    },
    /// A local file or database operation failed.
    #[error("{reason}")]
    Storage {
        /// Chinese message.
        reason: String,
    },
    /// Not logged in, or the login expired or the device was revoked: show
    /// the login screen.
    #[error("{reason}")]
    LoginRequired {
        /// Chinese message.
        reason: String,
    },
    /// Wrong user name or password.
    #[error("{reason}")]
    WrongPassword {
        /// Chinese message.
        reason: String,
    },
    /// The account may not do this.
    #[error("{reason}")]
    Forbidden {
        /// Chinese message.
        reason: String,
    },
    /// The server cannot be reached: the work is saved, sync later.
    #[error("{reason}")]
    Offline {
        /// Chinese message.
        reason: String,
    },
    /// The server refused the request for another reason.
    #[error("{reason}")]
    Server {
        /// HTTP status.
        status: u16,
        /// Chinese message.
        reason: String,
    },
}

impl From<ModelError> for CoreError {
    fn from(e: ModelError) -> Self {
        let reason = e.to_string();
        match e {
            ModelError::UnknownTemplate { .. } | ModelError::RecordNotFound(_) => {
                CoreError::NotFound { reason }
            }
            ModelError::RecordSealed(_) => CoreError::Sealed { reason },
            ModelError::Malformed(_) | ModelError::SealInvalid(_) | ModelError::Automerge(_) => {
                CoreError::Corrupted { reason }
            }
            // Listed one by one: a new variant must be placed here, not
            // fall silently into `InvalidInput`.
            ModelError::UnknownField { .. }
            | ModelError::WrongFieldType { .. }
            | ModelError::InvalidDate { .. }
            | ModelError::InvalidDateTime { .. }
            | ModelError::DateWithoutTime { .. }
            | ModelError::UnknownOfficer { .. }
            | ModelError::TextTooLong { .. }
            | ModelError::InvalidChoice { .. }
            | ModelError::InvalidValue { .. }
            | ModelError::RecordNotSealed(_)
            | ModelError::SealBroken(_)
            | ModelError::InvalidMedia(_)
            | ModelError::InvalidInput(_) => CoreError::InvalidInput { reason },
        }
    }
}

impl From<DeadlineError> for CoreError {
    fn from(e: DeadlineError) -> Self {
        let reason = e.to_string();
        match e {
            DeadlineError::OutOfCalendar { .. } => CoreError::CalendarOutOfRange { reason },
            DeadlineError::NonPositivePeriod(_)
            | DeadlineError::DateOverflow
            | DeadlineError::InvalidDate(_)
            | DeadlineError::UnknownRule(_)
            | DeadlineError::InvalidAmount(_)
            | DeadlineError::InvalidRange(_)
            | DeadlineError::InvalidCalendar(_)
            | DeadlineError::InvalidRuleData(_) => CoreError::InvalidInput { reason },
        }
    }
}

impl From<DeviceError> for CoreError {
    fn from(e: DeviceError) -> Self {
        let reason = e.to_string();
        match e {
            DeviceError::Core(c) => c.into(),
            DeviceError::Deadline(d) => d.into(),
            DeviceError::DiskFull => CoreError::DiskFull { reason },
            DeviceError::Corrupt(_) | DeviceError::MediaCorrupt(_) => {
                CoreError::Corrupted { reason }
            }
            DeviceError::Db { .. } | DeviceError::Io(_) | DeviceError::SchemaTooNew { .. } => {
                CoreError::Storage { reason }
            }
            DeviceError::NotLoggedIn | DeviceError::Unauthorized => {
                CoreError::LoginRequired { reason }
            }
            DeviceError::WrongPassword => CoreError::WrongPassword { reason },
            DeviceError::Forbidden(_) => CoreError::Forbidden { reason },
            DeviceError::Network(_) => CoreError::Offline { reason },
            DeviceError::Server { status, .. } => CoreError::Server { status, reason },
            DeviceError::CaseNotFound(_) => CoreError::NotFound { reason },
            DeviceError::Invalid(_) => CoreError::InvalidInput { reason },
        }
    }
}
