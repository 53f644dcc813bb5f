//! `zhifa credential show|refresh|verify`: the electronic enforcement
//! credential (电子执法证) of the logged-in officer, and its offline check.
//!
//! 行政处罚法 第五十五条: 执法人员应当主动出示执法证件; the seed's (一) 第六条
//! (亮证). `verify` checks a token or check URL with the bureau's public key
//! alone (no network): the signature and the validity window. Whether the
//! officer was suspended since is known only to the server
//! (`GET /api/v1/credentials/verify`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::{json, Value};
use zhifa_core::credential::{display_time, verify, CredentialClaims, CredentialError};
use zhifa_device::{App, DeviceError};

use crate::EXIT_ERROR;

/// `zhifa credential …`.
#[derive(Debug, Args)]
pub struct CredentialArgs {
    #[command(subcommand)]
    cmd: CredentialCmd,
}

#[derive(Debug, Subcommand)]
enum CredentialCmd {
    /// 显示本设备保存的电子执法证 (证件码与核验链接, 离线可用)。
    Show {
        /// 将二维码保存为 PNG 文件
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
    },
    /// 立即从服务器重新获取电子执法证。
    Refresh,
    /// 离线核验证件码或核验链接 (伪造、他人签发、过期的证件以非零状态退出)。
    Verify {
        /// 证件码 (ZF1.…) 或核验链接 (…/gs/credential?t=…)
        token: String,
        /// 签发机关公钥 (64 位十六进制; 默认为登录时服务器提供的公钥)
        #[arg(long, value_name = "HEX")]
        key: Option<String>,
    },
}

/// A failure of a credential command: what to print, and the machine code.
struct Failure {
    message: String,
    code: &'static str,
}

impl From<DeviceError> for Failure {
    fn from(e: DeviceError) -> Self {
        Failure {
            message: e.to_string(),
            code: "device",
        }
    }
}

impl From<CredentialError> for Failure {
    fn from(e: CredentialError) -> Self {
        Failure {
            message: e.to_string(),
            code: e.code(),
        }
    }
}

/// The device folder: `--home`, else `$ZHIFA_HOME`, else `~/.zhifa`.
pub fn home_dir(home: Option<PathBuf>) -> PathBuf {
    home.or_else(|| std::env::var_os("ZHIFA_HOME").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".zhifa")))
        .unwrap_or_else(|| PathBuf::from(".zhifa"))
}

/// Runs one credential subcommand.
pub fn run(home: Option<PathBuf>, as_json: bool, args: CredentialArgs) -> ExitCode {
    let home = home_dir(home);
    match dispatch(&home, args.cmd) {
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
                println!("{}", json!({ "error": f.message, "code": f.code }));
            }
            eprintln!("错误: {}", f.message);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn dispatch(home: &std::path::Path, cmd: CredentialCmd) -> Result<(Value, String), Failure> {
    match cmd {
        CredentialCmd::Show { png } => {
            let app = App::open(home)?;
            let card = app.credential_card()?;
            if let Some(path) = png {
                std::fs::write(&path, &card.qr_png).map_err(|e| {
                    DeviceError::Io(format!("无法写入二维码文件 {}: {e}", path.display()))
                })?;
            }
            let mut text = format!(
                "电子执法证\n姓名: {}\n执法证号: {}\n执法单位: {}\n",
                card.name, card.credential_no, card.unit_name
            );
            match (&card.token, &card.validity) {
                (Some(token), validity) => {
                    text.push_str(&format!(
                        "有效期: {}{}\n核验链接: {}\n证件码: {token}",
                        validity.as_deref().unwrap_or("未知"),
                        if card.expired {
                            " (已过期, 下次同步时更新)"
                        } else {
                            ""
                        },
                        card.qr_text
                    ));
                }
                (None, _) => text.push_str(
                    "本设备尚无电子执法证 (登录或同步时从服务器获取; 没有执法证号的账号不签发)",
                ),
            }
            let value = json!({
                "name": card.name,
                "credential_no": card.credential_no,
                "unit_name": card.unit_name,
                "roles": card.roles,
                "token": card.token,
                "validity": card.validity,
                "valid_until": card.valid_until,
                "expired": card.expired,
                "qr_text": card.qr_text,
            });
            Ok((value, text))
        }
        CredentialCmd::Refresh => {
            let app = App::open(home)?;
            match app.refresh_credential()? {
                Some(c) => Ok((
                    json!({ "token": c.token, "claims": c.claims }),
                    format!("已更新电子执法证, 有效期 {}", c.claims.validity_text()),
                )),
                None => Err(Failure {
                    message: "服务器未签发电子执法证: 该账号没有执法证号或证件已暂停".into(),
                    code: "no_credential",
                }),
            }
        }
        CredentialCmd::Verify { token, key } => {
            let key = match key {
                Some(k) => k,
                None => App::open(home)?.server_public_key().map_err(|_| Failure {
                    message: "未登录, 无法取得签发机关公钥: 请先登录, 或用 --key 指定公钥".into(),
                    code: "no_key",
                })?,
            };
            let claims = verify(&token, &key, chrono::Utc::now())?;
            Ok((verified_json(&claims), verified_text(&claims)))
        }
    }
}

fn verified_json(c: &CredentialClaims) -> Value {
    json!({
        "valid": true,
        "claims": c,
        "validity": c.validity_text(),
    })
}

fn verified_text(c: &CredentialClaims) -> String {
    format!(
        "电子执法证核验通过: 由签发机关签发, 内容未被改动, 在有效期内\n\
         姓名: {}\n执法证号: {}\n执法单位: {} ({})\n执法范围: {}\n有效期: {}\n签发时间: {}\n\
         (离线核验不能得知证件签发后是否被暂停; 联网时可在签发机关核验页面查询)",
        c.name,
        c.credential_no,
        c.unit_name,
        c.unit_id,
        c.scope.join("、"),
        c.validity_text(),
        display_time(&c.issued_at),
    )
}
