//! The one error type of zhifa-device. `Display` is Simplified Chinese, for
//! users; the variants are precise for code (the shells map them to actions).

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
    #[error("本地数据库错误: {0}")]
    Db(String),
    /// A file could not be read or written.
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
    /// Invalid input of another kind.
    #[error("输入无效: {0}")]
    Invalid(String),
}

/// Result alias of the device.
pub type Result<T, E = DeviceError> = std::result::Result<T, E>;

impl From<rusqlite::Error> for DeviceError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                C::DiskFull => return DeviceError::DiskFull,
                C::DatabaseCorrupt | C::NotADatabase => return DeviceError::Corrupt(e.to_string()),
                _ => {}
            }
        }
        DeviceError::Db(e.to_string())
    }
}

impl From<std::io::Error> for DeviceError {
    fn from(e: std::io::Error) -> Self {
        // ENOSPC (28) and EDQUOT (122) on Linux/Android.
        match e.raw_os_error() {
            Some(28) | Some(122) => DeviceError::DiskFull,
            _ => DeviceError::Io(e.to_string()),
        }
    }
}

impl DeviceError {
    /// True when retrying later may succeed (network, server 5xx).
    pub fn is_transient(&self) -> bool {
        match self {
            DeviceError::Network(_) => true,
            DeviceError::Server { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}
