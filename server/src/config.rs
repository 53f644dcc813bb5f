//! Configuration: defaults, then a TOML file (`--config`), then `ZHIFA_*`
//! environment variables, then command-line flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// Default media size limit: 2 GiB.
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Default quota of one account's unfinished uploads: 2 GiB declared.
pub const DEFAULT_UPLOAD_QUOTA_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Server configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Address to listen on (`ZHIFA_BIND`).
    pub bind: SocketAddr,
    /// Data folder: database, media, server key (`ZHIFA_DATA`).
    pub data: PathBuf,
    /// SQLite file; default `<data>/zhifa.db` (`ZHIFA_DATABASE`).
    pub database: Option<PathBuf>,
    /// Media folder; default `<data>/media` (`ZHIFA_MEDIA_DIR`).
    pub media_dir: Option<PathBuf>,
    /// Largest media file accepted, bytes (`ZHIFA_MAX_UPLOAD_BYTES`).
    pub max_upload_bytes: u64,
    /// Largest JSON body accepted (sync rounds), bytes (`ZHIFA_MAX_JSON_BYTES`).
    pub max_json_bytes: usize,
    /// Password of the first-run admin; random and logged once when absent
    /// (`ZHIFA_ADMIN_PASSWORD`).
    pub admin_password: Option<String>,
    /// Load the demo agency (县档案局) on an empty database (`ZHIFA_DEMO`).
    pub demo: bool,
    /// With `demo`, also load the demo cases and their media
    /// (`ZHIFA_DEMO_CASES`, default on; off for an accounts-only demo).
    pub demo_cases: bool,
    /// Reader connections of the SQLite pool (`ZHIFA_DB_READERS`).
    pub db_readers: usize,
    /// Compact a case's stored changes into a new snapshot after this many
    /// incremental chunks (`ZHIFA_COMPACT_AFTER`).
    pub compact_after: u32,
    /// tracing filter, e.g. `info,zhifa_server=debug` (`ZHIFA_LOG`).
    pub log: String,
    /// A holiday calendar file (`cn_calendar.json` schema) loaded at start-up
    /// over the calendar in force, e.g. the newly published 2027 arrangement
    /// (`ZHIFA_CALENDAR`). Devices receive it with their next sync.
    pub calendar: Option<PathBuf>,
    /// Minutes without a request after which a console session ends
    /// (`ZHIFA_CONSOLE_IDLE_MINUTES`).
    pub console_idle_minutes: u32,
    /// Mark console cookies `Secure` (behind HTTPS) (`ZHIFA_SECURE_COOKIES`).
    pub secure_cookies: bool,
    /// The enforcement agency's name on the public portal
    /// (`ZHIFA_BUREAU_NAME`; the seed's bureau by default).
    pub bureau_name: String,
    /// Days an electronic enforcement credential (电子执法证) is valid from
    /// its issue (`ZHIFA_CREDENTIAL_VALID_DAYS`).
    pub credential_valid_days: u32,
    /// Serve Prometheus metrics at `GET /metrics` on the same listener,
    /// without authentication (`ZHIFA_METRICS`); off by default.
    pub metrics: bool,
    /// Log format: `text` (default) or `json`, one JSON object per line
    /// (`ZHIFA_LOG_FORMAT`).
    pub log_format: String,
    /// Declared bytes of one account's unfinished uploads, at most
    /// (`ZHIFA_UPLOAD_QUOTA_BYTES`); a new upload over it is refused (507).
    pub upload_quota_bytes: u64,
    /// Unfinished uploads of one account, at most (`ZHIFA_UPLOAD_QUOTA_FILES`).
    pub upload_quota_files: u32,
    /// Seconds since its last write after which an unfinished upload is
    /// deleted (`ZHIFA_UPLOAD_EXPIRY_SECS`).
    pub upload_expiry_secs: u64,
    /// Seconds without a byte after which an upload request body ends; the
    /// bytes received are kept (`ZHIFA_UPLOAD_IDLE_SECS`).
    pub upload_idle_secs: u64,
    /// Seconds a request waits for an upload another request is writing
    /// before it is answered 409 `upload_busy` (`ZHIFA_UPLOAD_BUSY_WAIT_SECS`).
    pub upload_busy_wait_secs: u64,
    /// Folder of the archive packages (案卷归档); default `<data>/archive`
    /// (`ZHIFA_ARCHIVE_DIR`).
    pub archive_dir: Option<PathBuf>,
    /// Years to keep each kind of filed case (保管期限; `[retention]` in
    /// the TOML file); the defaults follow 国家档案局令第8号 第九条 (see
    /// `zhifa_core::archive::retention`).
    pub retention: zhifa_core::archive::RetentionPolicy,
    /// A CJK font file (TTF/OTF/TTC) printed documents are set in
    /// (`ZHIFA_FONT`); default: the first of the usual system paths that
    /// exists (Noto Sans CJK, WenQuanYi; `zhifa_docs::font::SYSTEM_FONT_CANDIDATES`).
    pub font: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data: PathBuf::from("./zhifa-data"),
            database: None,
            media_dir: None,
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            max_json_bytes: 64 * 1024 * 1024,
            admin_password: None,
            demo: false,
            demo_cases: true,
            db_readers: 4,
            compact_after: 16,
            log: "info".into(),
            calendar: None,
            console_idle_minutes: 30,
            secure_cookies: false,
            bureau_name: "康保县档案局".into(),
            credential_valid_days: 365,
            metrics: false,
            log_format: "text".into(),
            upload_quota_bytes: DEFAULT_UPLOAD_QUOTA_BYTES,
            upload_quota_files: 20,
            upload_expiry_secs: 24 * 3600,
            upload_idle_secs: 30,
            upload_busy_wait_secs: 10,
            archive_dir: None,
            retention: zhifa_core::archive::RetentionPolicy::default(),
            font: None,
        }
    }
}

impl Config {
    /// Defaults, overridden by the TOML file (if any), then by `ZHIFA_*`.
    pub fn load(file: Option<&Path>) -> Result<Config, String> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        if let Some(f) = file {
            if !f.exists() {
                return Err(format!("配置文件不存在: {}", f.display()));
            }
            fig = fig.merge(Toml::file(f));
        }
        fig.merge(Env::prefixed("ZHIFA_"))
            .extract()
            .map_err(|e| format!("配置无效: {e}"))
    }

    /// A configuration for tests: everything under `data`.
    pub fn for_data_dir(data: impl Into<PathBuf>) -> Config {
        Config {
            data: data.into(),
            ..Config::default()
        }
    }

    /// The SQLite file.
    pub fn database_path(&self) -> PathBuf {
        self.database
            .clone()
            .unwrap_or_else(|| self.data.join("zhifa.db"))
    }

    /// The media folder.
    pub fn media_path(&self) -> PathBuf {
        self.media_dir
            .clone()
            .unwrap_or_else(|| self.data.join("media"))
    }

    /// The folder of archive packages.
    pub fn archive_path(&self) -> PathBuf {
        self.archive_dir
            .clone()
            .unwrap_or_else(|| self.data.join("archive"))
    }

    /// The server key file.
    pub fn key_path(&self) -> PathBuf {
        self.data.join("server-key.hex")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::result_large_err)]
    fn file_then_env_override_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "z.toml",
                "bind = \"0.0.0.0:9000\"\nmax_upload_bytes = 1000\ndemo = true\n",
            )?;
            jail.set_env("ZHIFA_MAX_UPLOAD_BYTES", "2000");
            let c = Config::load(Some(Path::new("z.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(c.bind.port(), 9000);
            assert_eq!(c.max_upload_bytes, 2000);
            assert!(c.demo);
            assert_eq!(c.database_path(), PathBuf::from("./zhifa-data/zhifa.db"));
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)]
    fn retention_periods_and_the_archive_folder_are_configurable() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "z.toml",
                "archive_dir = \"/srv/archive\"\n[retention]\ninspection_years = 5\n",
            )?;
            let c = Config::load(Some(Path::new("z.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(c.archive_path(), PathBuf::from("/srv/archive"));
            assert_eq!(c.retention.inspection_years, Some(5));
            // The rest keep their defaults (国家档案局令第8号 第九条 classes).
            assert_eq!(c.retention.penalty_general_years, Some(30));
            assert_eq!(c.retention.major_years, None);
            assert_eq!(
                Config::default().archive_path(),
                PathBuf::from("./zhifa-data/archive")
            );
            Ok(())
        });
    }
}
