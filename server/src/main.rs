//! The `zhifa-server` binary: parses configuration and runs the server.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use zhifa_server::{build_state, launch_with_listener, Config};

/// Zhifa sync and office server.
#[derive(Debug, Parser)]
#[command(
    name = "zhifa-server",
    version,
    about = "Zhifa (执法) sync and office server"
)]
struct Cli {
    /// TOML configuration file.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long)]
    bind: Option<SocketAddr>,
    /// Data folder (default ./zhifa-data).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Load the demo county archives bureau on an empty database.
    #[arg(long)]
    demo: bool,
    /// Load a holiday calendar file (cn_calendar.json schema, e.g. the newly
    /// published year) at start-up; devices receive it with their next sync.
    #[arg(long)]
    calendar: Option<PathBuf>,
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let mut config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if let Some(b) = cli.bind {
        config.bind = b;
    }
    if let Some(d) = cli.data {
        config.data = d;
    }
    config.demo |= cli.demo;
    if let Some(c) = cli.calendar {
        config.calendar = Some(c);
    }
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    match config.log_format.as_str() {
        "json" => tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init(),
        "text" | "" => tracing_subscriber::fmt().with_env_filter(filter).init(),
        other => {
            eprintln!("配置无效: log_format 只能是 text 或 json, 而不是 {other}");
            std::process::exit(2);
        }
    }
    let listener = match tokio::net::TcpListener::bind(config.bind).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(bind = %config.bind, error = %e, "cannot bind");
            std::process::exit(1);
        }
    };
    let state = match build_state(config).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "cannot start");
            std::process::exit(1);
        }
    };
    if let Err(e) = launch_with_listener(listener, state).await {
        tracing::error!(error = %e, "server failed");
        std::process::exit(1);
    }
}
