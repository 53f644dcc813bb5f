//! zhifa-server: syncs enforcement cases between officers' devices and the
//! office, keeps media, and serves read-only case data to office tools.
//!
//! - [`config`]: defaults, TOML file, `ZHIFA_*` environment.
//! - [`error`]: the one JSON error type.
//! - [`store`]: the storage trait and its SQLite implementation.
//! - [`auth`], [`accounts`], [`access`]: passwords, device tokens, who may do what.
//! - [`sync`]: idle check, snapshots, Automerge exchange rounds.
//! - [`receipts`]: the server key and signed receipts.
//! - [`media`]: resumable, verified media uploads and downloads.
//! - [`cases`]: read-only case endpoints for office tools.
//! - [`demo`]: first-run administrator and demo data.
//! - [`console`]: the office console (HTML).
//! - [`office`]: acting as an office user (keys, changes through zhifa-core).
//! - [`observe`], [`metrics`], [`ops`]: access log with request ids,
//!   Prometheus metrics, liveness and readiness.
//! - [`fsperm`]: owner-only files and folders.
//! - [`routes`]: the router.
//! - [`api`]: the OpenAPI document of `/api/v1`, generated from the handlers.

#![warn(missing_docs)]

pub mod access;
pub mod accounts;
pub mod api;
pub mod archive;
pub mod auth;
pub mod calendar;
pub mod casedoc;
pub mod cases;
pub mod config;
pub mod console;
pub mod credential;
pub mod demo;
pub mod docs;
pub mod error;
pub mod extract;
pub mod fsperm;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod media;
pub mod metrics;
pub mod observe;
pub mod office;
pub mod ops;
pub mod portal;
pub mod receipts;
pub mod routes;
pub mod served_calendar;
pub mod state;
pub mod store;
pub mod sync;
pub mod throttle;
pub mod traffic;

use std::future::Future;
use std::sync::Arc;

pub use config::Config;
pub use routes::router;
pub use state::AppState;

use store::sqlite::SqliteStore;

/// A failure to start the server.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// The database could not be opened or migrated.
    #[error("数据库无法打开: {0}")]
    Store(#[from] store::StoreError),
    /// A file (key, folders) could not be read or written.
    #[error("文件错误: {0}")]
    Io(#[from] std::io::Error),
    /// First-run or demo data could not be created.
    #[error("初始化失败: {0}")]
    Init(String),
}

/// Opens the store and key under the configuration's data folder, creates
/// the first administrator or the demo data on an empty database.
pub async fn build_state(config: Config) -> Result<AppState, LaunchError> {
    fsperm::private_dir(&config.data)?;
    fsperm::private_dir(&config.media_path())?;
    fsperm::private_dir(&config.media_path().join("partial"))?;
    let db_path = config.database_path();
    let readers = config.db_readers;
    let store = tokio::task::spawn_blocking(move || SqliteStore::open(&db_path, readers))
        .await
        .map_err(|e| LaunchError::Init(e.to_string()))??;
    let key = receipts::load_or_create_key(&config.key_path())?;
    fsperm::private_file(&config.key_path())?;
    let demo = config.demo;
    let state = AppState::new(Arc::new(store), config, key);
    let empty = state
        .db(|s| s.account_count())
        .await
        .map_err(|e| LaunchError::Init(e.to_string()))?
        == 0;
    if empty {
        if demo {
            demo::load_demo(&state)
                .await
                .map_err(|e| LaunchError::Init(e.to_string()))?;
        } else {
            demo::first_run_admin(&state)
                .await
                .map_err(|e| LaunchError::Init(e.to_string()))?;
        }
    } else if demo {
        demo::print_demo_logins();
    }
    calendar::restore(&state)
        .await
        .map_err(|e| LaunchError::Init(e.to_string()))?;
    office::reindex::run(&state)
        .await
        .map_err(|e| LaunchError::Init(e.to_string()))?;
    if let Some(file) = state.config().calendar.clone() {
        let p = calendar::load_file(&state, &file)
            .await
            .map_err(|e| LaunchError::Init(e.to_string()))?;
        tracing::info!(file = %file.display(), version = %p.version, "calendar file loaded");
    }
    Ok(state)
}

/// Serves on a bound listener until `shutdown` completes (in-flight requests finish).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "zhifa-server listening");
    // Dead phones on half-open connections are found by TCP keepalive.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = keepalive(tcp) {
            tracing::debug!(error = %e, "cannot set TCP keepalive");
        }
    });
    let sweeper =
        media::partial::spawn_sweeper(state.clone(), std::time::Duration::from_secs(SWEEP_EVERY));
    let served = axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    sweeper.abort();
    served
}

/// Seconds between sweeps of expired unfinished uploads.
const SWEEP_EVERY: u64 = 600;

/// TCP keepalive on an accepted connection: first probe after 30 s idle,
/// then every 10 s.
fn keepalive(tcp: &tokio::net::TcpStream) -> std::io::Result<()> {
    let ka = socket2::TcpKeepalive::new()
        .with_time(std::time::Duration::from_secs(30))
        .with_interval(std::time::Duration::from_secs(10));
    socket2::SockRef::from(tcp).set_tcp_keepalive(&ka)
}

/// Serves on a bound listener until SIGINT or SIGTERM.
pub async fn launch_with_listener(
    listener: tokio::net::TcpListener,
    state: AppState,
) -> std::io::Result<()> {
    serve(listener, state, shutdown_signal()).await
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
