//! `zhifa archive verify FILE.zip`: the offline check of an archive package
//! (案卷归档, 执法全过程记录制度 第二十二条): the manifest's signature by the
//! server key, every file's SHA-256 and size, no file missing or added, the
//! case document loads and every seal in it verifies
//! (`zhifa_core::archive::verify_package`).
//!
//! The trust anchor is the server public key: `--key HEX` (the hex of
//! `GET /api/v1/server-key`, as the console prints it), else the key this
//! device stored at login. The answer names the key that signed.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::{json, Value};
use zhifa_core::archive::{verify_package, Manifest, PackageError, MANIFEST_NAME};
use zhifa_device::App;

use crate::EXIT_ERROR;

/// `zhifa archive …`.
#[derive(Debug, Args)]
pub struct ArchiveArgs {
    #[command(subcommand)]
    cmd: ArchiveCmd,
}

#[derive(Debug, Subcommand)]
enum ArchiveCmd {
    /// 离线核验归档包 (清单签名、每个文件的 SHA-256 与大小、案件文档中的封存); 不完整时以非零状态退出。
    Verify {
        /// 归档包 (ZIP)
        file: PathBuf,
        /// 服务器公钥 (64 位十六进制; 默认为登录时服务器提供的公钥)
        #[arg(long, value_name = "HEX")]
        key: Option<String>,
    },
}

/// Why a check failed: the message and a machine code.
struct Failure {
    message: String,
    code: &'static str,
    file: Option<String>,
}

impl From<PackageError> for Failure {
    fn from(e: PackageError) -> Self {
        Failure {
            message: format!("归档包不完整: {e}"),
            code: e.code(),
            file: e.file().map(str::to_string),
        }
    }
}

/// Runs one archive subcommand.
pub fn run(home: Option<PathBuf>, as_json: bool, args: ArchiveArgs) -> ExitCode {
    let ArchiveCmd::Verify { file, key } = args.cmd;
    match verify_file(home, &file, key) {
        Ok((value, text)) => {
            if as_json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&value).unwrap_or_else(|_| "null".into())
                );
            } else {
                println!("{text}");
            }
            ExitCode::SUCCESS
        }
        Err(f) => {
            if as_json {
                println!(
                    "{}",
                    json!({ "error": f.message, "code": f.code, "file": f.file })
                );
            }
            eprintln!("错误: {}", f.message);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Every file of the ZIP by name.
fn read_zip(path: &Path) -> Result<BTreeMap<String, Vec<u8>>, Failure> {
    let bad = |why: String| Failure {
        message: format!("无法读取归档包 {}: {why}", path.display()),
        code: "unreadable",
        file: None,
    };
    let f = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
    let mut zip = zip::ZipArchive::new(f).map_err(|e| bad(format!("不是有效的 ZIP 文件 ({e})")))?;
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| bad(e.to_string()))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| Failure {
            message: format!("归档包中的文件 {name} 已损坏, 无法读出: {e}"),
            code: "unreadable",
            file: Some(name.clone()),
        })?;
        if files.insert(name.clone(), bytes).is_some() {
            return Err(Failure {
                message: format!("归档包中有两个同名文件 {name}"),
                code: "duplicate",
                file: Some(name),
            });
        }
    }
    Ok(files)
}

/// The key that signed, as the manifest says (for the refusal's words).
fn claimed_key(files: &BTreeMap<String, Vec<u8>>) -> Option<String> {
    let m: Manifest = serde_json::from_slice(files.get(MANIFEST_NAME)?).ok()?;
    Some(m.key_id)
}

fn verify_file(
    home: Option<PathBuf>,
    path: &Path,
    key: Option<String>,
) -> Result<(Value, String), Failure> {
    let files = read_zip(path)?;
    let trusted = match key {
        Some(k) => k.trim().to_ascii_lowercase(),
        None => {
            let home = crate::credential::home_dir(home);
            App::open(&home)
                .and_then(|app| app.server_public_key())
                .map_err(|_| Failure {
                    message: format!(
                        "无法确定所信任的服务器公钥: 本设备未登录; 请用 --key 指定 (归档包声称由公钥 {} 签名)",
                        claimed_key(&files).unwrap_or_else(|| "未知".into())
                    ),
                    code: "no_key",
                    file: None,
                })?
        }
    };
    let report = verify_package(&files, std::slice::from_ref(&trusted))?;
    let m = &report.manifest;
    let text = format!(
        "归档包完整: 清单签名有效, {} 个文件的 SHA-256 与大小均与清单一致, 无缺失或多余文件, \
         案件文档中 {} 份封存文书核验通过\n\
         案件: {} ({})\n案号: {}\n归档时间: {}\n归档人: {}\n保管期限: {}{}\n签名公钥: {} (所信任的服务器公钥)",
        m.files.len(),
        report.sealed_records,
        m.case_title,
        m.case_id,
        m.case_number,
        m.archived_at,
        m.archivist.name,
        m.retention.label,
        m.retention
            .dispose_from
            .as_deref()
            .map(|d| format!(", {d} 起可鉴定处置"))
            .unwrap_or_default(),
        m.key_id,
    );
    let value = json!({
        "valid": true,
        "case_id": m.case_id,
        "case_number": m.case_number,
        "archived_at": m.archived_at,
        "archivist": m.archivist,
        "retention": m.retention,
        "files": m.files.len(),
        "sealed_records": report.sealed_records,
        "key_id": m.key_id,
    });
    Ok((value, text))
}
