//! The one error type of zhifa-device. `Display` is Simplified Chinese, for
//! users; the variants are precise for code (the shells map them to actions).
//! SQLite and OS errors are mapped to Chinese text by their code or kind;
//! the original (English) error stays available to developers through
//! [`DeviceError::detail`] and `Debug`.

use thiserror::Error;
use zhifa_core::CoreError;

/// Everything that can go wrong on the device.
#[derive(Debug, Error)]
pub enum DeviceError {
    /// A rule of the case model (validation, sealed record, ...).
    #[error("{0}")]
    Core(#[from] CoreError),
    /// The storage device is full; nothing of the command was stored.
    #[error("存储空间已满, 本次操作未保存 (已保存的数据不受影响), 请清理空间后重试")]
    DiskFull,
    /// The database file is damaged.
    #[error("本地数据库已损坏 ({0}), 已保存的数据未被改动; 请联系管理员恢复或重新同步")]
    Corrupt(String),
    /// The database was written by a newer version of the app.
    #[error("本地数据库来自更新版本的应用 (数据格式版本 {found}, 本应用只支持到 {known}), 为保护数据未作任何改动; 请升级应用后再打开")]
    SchemaTooNew {
        /// The database's `user_version`.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// Another database error.
    #[error("{user}")]
    Db {
        /// Chinese text for the user (what happened, what to do).
        user: String,
        /// The underlying error, for developers and logs.
        detail: String,
    },
    /// A file could not be read or written (Chinese text; OS errors carry
    /// their original text in parentheses).
    #[error("文件读写失败: {0}")]
    Io(String),
    /// A media file is incomplete, damaged or does not match its hash.
    #[error("音像/照片文件损坏或不完整: {0}")]
    MediaCorrupt(String),
    /// No officer is logged in on this device.
    #[error("尚未登录, 请先登录")]
    NotLoggedIn,
    /// Username or password wrong.
    #[error("用户名或密码错误")]
    WrongPassword,
    /// The server refused the device's token (revoked device or new login elsewhere).
    #[error("本设备的登录已失效或设备已被注销, 请重新登录")]
    Unauthorized,
    /// The server refused access to a case.
    #[error("无权访问该案件: {0}")]
    Forbidden(String),
    /// The server answered with another error.
    #[error("服务器拒绝了请求 ({status} {code}): {message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// Machine code from the server's JSON error.
        code: String,
        /// The server's Chinese message.
        message: String,
    },
    /// The server could not be reached.
    #[error("无法连接服务器, 数据已保存在本机, 有网络时将自动同步: {0}")]
    Network(String),
    /// No such case on this device.
    #[error("本机没有编号为 {0} 的案件")]
    CaseNotFound(String),
    /// A period could not be counted (bad rule or date, or a year whose
    /// holiday calendar is not loaded: PERIODS.md R10).
    #[error("{0}")]
    Deadline(#[from] zhifa_core::deadlines::DeadlineError),
    /// Invalid input of another kind.
    #[error("输入无效: {0}")]
    Invalid(String),
}

/// Result alias of the device.
pub type Result<T, E = DeviceError> = std::result::Result<T, E>;

impl From<rusqlite::Error> for DeviceError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        let code = match &e {
            rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
            _ => None,
        };
        let user = match code {
            Some(C::DiskFull) => return DeviceError::DiskFull,
            Some(C::DatabaseCorrupt | C::NotADatabase) => {
                return DeviceError::Corrupt(e.to_string())
            }
            Some(C::DatabaseBusy | C::DatabaseLocked) => {
                "本地数据库正被另一操作占用, 本次操作未保存, 请稍后重试"
            }
            Some(C::ReadOnly) => "存储为只读, 本次操作未保存; 请检查存储权限或剩余空间",
            Some(C::CannotOpen) => "无法打开本地数据库文件, 请检查应用的存储权限",
            Some(C::PermissionDenied) => "没有访问本地数据库的权限, 请检查应用的存储权限",
            Some(C::SystemIoFailure) => "读写本地数据库时存储出错, 本次操作未保存, 请重试",
            Some(C::TooBig) => "数据过大, 无法保存",
            Some(C::OutOfMemory) => "内存不足, 本次操作未保存, 请关闭其他应用后重试",
            Some(C::ConstraintViolation) => "数据与已保存的内容冲突, 本次操作未保存",
            _ => "本地数据库出错, 本次操作未保存",
        };
        DeviceError::Db {
            user: user.into(),
            detail: e.to_string(),
        }
    }
}

impl From<std::io::Error> for DeviceError {
    fn from(e: std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        // ENOSPC (28) and EDQUOT (122) on Linux/Android.
        if let Some(28) | Some(122) = e.raw_os_error() {
            return DeviceError::DiskFull;
        }
        let what = match e.kind() {
            K::NotFound => "文件或文件夹不存在",
            K::PermissionDenied => "没有访问权限, 请检查应用的存储权限",
            K::AlreadyExists => "文件已存在",
            K::ReadOnlyFilesystem => "存储为只读",
            K::UnexpectedEof => "文件不完整 (提前结束)",
            K::InvalidData => "文件内容无效",
            K::OutOfMemory => "内存不足",
            K::Interrupted | K::WouldBlock | K::TimedOut => "操作被中断, 请重试",
            K::StorageFull => return DeviceError::DiskFull,
            _ => "存储出错",
        };
        DeviceError::Io(format!("{what} ({e})"))
    }
}

impl DeviceError {
    /// The underlying error for developers and logs, when the user text
    /// leaves it out.
    pub fn detail(&self) -> Option<&str> {
        match self {
            DeviceError::Db { detail, .. } => Some(detail),
            _ => None,
        }
    }

    /// True when retrying later may succeed (network, server 5xx).
    pub fn is_transient(&self) -> bool {
        match self {
            DeviceError::Network(_) => true,
            // 507: the account's upload quota, not a passing state.
            DeviceError::Server { status: 507, .. } => false,
            // A busy upload: the server is still finishing another request.
            DeviceError::Server {
                status: 409, code, ..
            } => code == "upload_busy",
            DeviceError::Server { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: std::os::raw::c_int) -> DeviceError {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None).into()
    }

    #[test]
    fn sqlite_and_os_errors_read_as_chinese_and_keep_the_detail() {
        let busy = sqlite(rusqlite::ffi::SQLITE_BUSY);
        assert!(busy.to_string().contains("请稍后重试"), "{busy}");
        assert!(busy.detail().is_some_and(|d| !d.is_empty()), "{busy:?}");
        let ro = sqlite(rusqlite::ffi::SQLITE_READONLY);
        assert!(ro.to_string().contains("只读"), "{ro}");
        assert!(matches!(
            sqlite(rusqlite::ffi::SQLITE_FULL),
            DeviceError::DiskFull
        ));
        assert!(matches!(
            sqlite(rusqlite::ffi::SQLITE_CORRUPT),
            DeviceError::Corrupt(_)
        ));
        let other: DeviceError = rusqlite::Error::QueryReturnedNoRows.into();
        assert_eq!(other.to_string(), "本地数据库出错, 本次操作未保存");
        assert!(
            other.detail().is_some_and(|d| d.contains("no rows")),
            "{other:?}"
        );

        let denied: DeviceError = std::io::Error::from_raw_os_error(13).into();
        let text = denied.to_string();
        assert!(text.starts_with("文件读写失败: 没有访问权限"), "{text}");
        assert!(
            text.contains("os error 13"),
            "developer detail kept: {text}"
        );
        let full: DeviceError = std::io::Error::from_raw_os_error(28).into();
        assert!(matches!(full, DeviceError::DiskFull));
    }

    fn server(status: u16, code: &str) -> DeviceError {
        DeviceError::Server {
            status,
            code: code.into(),
            message: "拒绝".into(),
        }
    }

    #[test]
    fn a_busy_upload_is_retried_and_a_full_quota_is_not() {
        assert!(server(409, "upload_busy").is_transient());
        assert!(!server(409, "offset_mismatch").is_transient());
        assert!(!server(507, "upload_quota").is_transient());
        assert!(server(503, "internal").is_transient());
        assert!(server(429, "too_many_requests").is_transient());
    }
}
