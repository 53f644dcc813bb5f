//! The one error type of the server's HTTP layer: every failure becomes a JSON
//! body `{"error": "<中文>", "code": "<machine code>"}` with the right status.
//! Internal details are logged, never returned.

use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use zhifa_core::sync::ErrorBody;

/// An error an HTTP handler returns.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed (bad JSON, bad field, bad header).
    #[error("{0}")]
    BadRequest(String),
    /// Missing, unknown or revoked token, or wrong password.
    #[error("{message}")]
    Unauthorized {
        /// Machine code (`bad_token`, `wrong_password`, ...).
        code: &'static str,
        /// Chinese message.
        message: String,
    },
    /// Authenticated but not allowed.
    #[error("{message}")]
    Forbidden {
        /// Machine code (`forbidden`, `foreign_actor`, ...).
        code: &'static str,
        /// Chinese message.
        message: String,
    },
    /// No such thing.
    #[error("{0}")]
    NotFound(String),
    /// The state does not allow this (upload offset mismatch, upload busy, ...).
    #[error("{message}")]
    Conflict {
        /// Machine code.
        code: &'static str,
        /// Chinese message.
        message: String,
    },
    /// Body or upload larger than allowed.
    #[error("{0}")]
    TooLarge(String),
    /// The account's quota of unfinished uploads is used up (507).
    #[error("{0}")]
    QuotaExceeded(String),
    /// Too many failed attempts; try again later.
    #[error("{0}")]
    TooManyRequests(String),
    /// Wrong `Content-Type`.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Well-formed but unacceptable content (hash mismatch, malformed document).
    #[error("{message}")]
    Unprocessable {
        /// Machine code.
        code: &'static str,
        /// Chinese message.
        message: String,
    },
    /// Something failed inside the server; the detail is logged only.
    #[error("internal: {0}")]
    Internal(String),
}

/// Result alias for handlers.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// An internal error from anything displayable (logged, not returned).
    pub fn internal(e: impl std::fmt::Display) -> Self {
        AppError::Internal(e.to_string())
    }

    /// 403 with code `forbidden`.
    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden {
            code: "forbidden",
            message: message.into(),
        }
    }

    /// 401 with code `bad_token`.
    pub fn bad_token() -> Self {
        AppError::Unauthorized {
            code: "bad_token",
            message: "登录凭证无效或已被注销, 请重新登录".into(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::QuotaExceeded(_) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized { code, .. }
            | AppError::Forbidden { code, .. }
            | AppError::Conflict { code, .. }
            | AppError::Unprocessable { code, .. } => code,
            AppError::NotFound(_) => "not_found",
            AppError::TooLarge(_) => "too_large",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::QuotaExceeded(_) => "upload_quota",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            AppError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "服务器内部错误, 请稍后重试".to_string()
            }
            AppError::Forbidden { code, message } => {
                // The message can name a case or a party: only the code is
                // logged; the span adds route, account and request id.
                tracing::warn!(code = *code, "request refused: forbidden");
                message.clone()
            }
            other => {
                tracing::debug!(code = other.code(), "request refused");
                other.to_string()
            }
        };
        let body = ErrorBody {
            error: message,
            code: self.code().to_string(),
        };
        (status, axum::Json(body)).into_response()
    }
}

impl From<JsonRejection> for AppError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::MissingJsonContentType(_) => {
                AppError::UnsupportedMediaType("请求内容类型必须是 application/json".into())
            }
            JsonRejection::BytesRejection(b) => AppError::from(b),
            JsonRejection::JsonSyntaxError(e) => {
                AppError::BadRequest(format!("JSON 格式错误: {}", e.body_text()))
            }
            JsonRejection::JsonDataError(e) => {
                AppError::BadRequest(format!("JSON 内容不符合要求: {}", e.body_text()))
            }
            other => AppError::BadRequest(format!("请求无效: {}", other.body_text())),
        }
    }
}

impl From<BytesRejection> for AppError {
    fn from(r: BytesRejection) -> Self {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge("请求内容过大".into())
        } else {
            AppError::BadRequest(format!("读取请求内容失败: {}", r.body_text()))
        }
    }
}

impl From<PathRejection> for AppError {
    fn from(r: PathRejection) -> Self {
        AppError::BadRequest(format!("路径参数无效: {}", r.body_text()))
    }
}

impl From<QueryRejection> for AppError {
    fn from(r: QueryRejection) -> Self {
        AppError::BadRequest(format!("查询参数无效: {}", r.body_text()))
    }
}

impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::Internal(format!("blocking task failed: {e}"))
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        AppError::Internal(format!("io: {e}"))
    }
}
