//! `zhifa`: the Zhifa command line. Each top-level subcommand lives in its own
//! module; `main` only parses and dispatches (add a variant to [`Command`] and
//! a module to add a subcommand).

mod archive;
mod credential;
mod deadline;
mod field;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Zhifa 执法 — 行政执法现场系统命令行工具。
#[derive(Debug, Parser)]
#[command(name = "zhifa", version)]
struct Cli {
    /// 本设备的数据目录 (默认 $ZHIFA_HOME 或 ~/.zhifa)。
    #[arg(long, value_name = "DIR")]
    home: Option<std::path::PathBuf>,
    /// 额外信任的 CA 证书文件 (PEM), 用于自建 CA 签发的 HTTPS 服务器证书
    /// (默认 $ZHIFA_CA_BUNDLE; 与内置的公共根证书一并使用)。
    #[arg(long, value_name = "FILE")]
    ca_bundle: Option<std::path::PathBuf>,
    /// 以 JSON 输出 (现场设备子命令; 可放在命令行任意位置)。
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

/// Top-level subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// 法定期限计算（工作日、日、月、年；加处罚款；法定期限表）。
    Deadline(deadline::DeadlineArgs),
    /// 电子执法证: show | refresh | verify (离线核验证件码)。
    Credential(credential::CredentialArgs),
    /// 归档包: verify (离线核验归档包的签名、文件与封存)。
    Archive(archive::ArchiveArgs),
    #[command(flatten)]
    Field(field::FieldCmd),
}

/// Exit code for a usage error (unknown option, missing argument).
pub const EXIT_USAGE: u8 = 2;
/// Exit code for an input or computation error (bad date, n ≤ 0, R10…).
pub const EXIT_ERROR: u8 = 1;

fn main() -> ExitCode {
    // `--json` may stand anywhere for the field subcommands; `deadline`
    // subcommands keep their own `--json` flags.
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let is_deadline = subcommand(&args) == Some("deadline");
    let mut json = false;
    if !is_deadline {
        let before = args.len();
        args.retain(|a| a != "--json");
        json = args.len() != before;
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match cli.command {
        Command::Deadline(args) => deadline::run(args),
        Command::Credential(args) => credential::run(cli.home, json || cli.json, args),
        Command::Archive(args) => archive::run(cli.home, json || cli.json, args),
        Command::Field(cmd) => field::run(cli.home, cli.ca_bundle, json || cli.json, cmd),
    }
}

/// The first positional argument (the subcommand), skipping `--home DIR`
/// and `--ca-bundle FILE`.
fn subcommand(args: &[std::ffi::OsString]) -> Option<&str> {
    let mut it = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        if a == "--home" || a == "--ca-bundle" {
            it.next();
        } else if !a.starts_with('-') {
            return Some(a);
        }
    }
    None
}

/// Help and version go to stdout with exit 0; every other parse error is one
/// Chinese line on stderr with exit 2.
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let msg = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print!("{e}");
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            "缺少子命令".to_string()
        }
        ErrorKind::MissingRequiredArgument => {
            format!("缺少必需参数: {}", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::UnknownArgument => format!("未知参数: {}", ctx(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => {
            format!("未知子命令: {}", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::ArgumentConflict => format!("参数重复或冲突: {}", ctx(ContextKind::InvalidArg)),
        _ => {
            // Fallback: clap's own text, folded onto one line.
            let text = e.to_string();
            let detail: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| {
                    !l.is_empty()
                        && !l.starts_with("Usage:")
                        && !l.starts_with("For more information")
                })
                .map(|l| l.strip_prefix("error: ").unwrap_or(l))
                .collect();
            format!("参数无效: {}", detail.join(" "))
        }
    };
    eprintln!("错误: {msg}（用 --help 查看用法）");
    ExitCode::from(EXIT_USAGE)
}
