//! The terminal field device: `zhifa --home DIR login|case|record|attach|sign|…`.
//! Every subcommand calls the same facade the phone shells call
//! ([`zhifa_device::App`]); `--json` prints the view model as JSON.

mod args;
mod conflicts;
mod print;
mod progress;
mod refs;
mod templates;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;
use zhifa_core::case::{CaseKind, CaseSource, OfficerStatus, PartyKind, Procedure};
use zhifa_core::template::SignerRole;
use zhifa_device::{App, DeviceError, ListFilter, NewCase, PartyInput, Strokes};

pub use args::{CaseCmd, FieldCmd, RecordCmd, TemplateCmd};

use crate::EXIT_ERROR;

/// Runs one field subcommand; `ca_bundle` (else `$ZHIFA_CA_BUNDLE`) is a
/// PEM file of CA certificates trusted for HTTPS beside the web roots.
pub fn run(
    home: Option<PathBuf>,
    ca_bundle: Option<PathBuf>,
    json: bool,
    cmd: FieldCmd,
) -> ExitCode {
    let home = home
        .or_else(|| std::env::var_os("ZHIFA_HOME").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".zhifa")))
        .unwrap_or_else(|| PathBuf::from(".zhifa"));
    let ca_bundle = ca_bundle.or_else(|| {
        std::env::var_os("ZHIFA_CA_BUNDLE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    // Secrets (device key, login token) stay out of the database: in an
    // owner-only file beside it, moved there from an older database.
    let vault = std::sync::Arc::new(zhifa_device::FileVault::beside(&home.join("zhifa.db")));
    let opened = App::open_with_vault(&home, vault).and_then(|app| {
        if let Some(file) = &ca_bundle {
            let pem = std::fs::read(file).map_err(|e| {
                DeviceError::Invalid(format!("无法读取 CA 证书文件 {}: {e}", file.display()))
            })?;
            app.set_ca_bundle(&pem)?;
        }
        Ok(app)
    });
    match opened.and_then(|app| dispatch(&app, cmd)) {
        Ok(v) => {
            print::emit(&v, json);
            if v.failed() {
                ExitCode::from(EXIT_ERROR)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            if json {
                println!("{}", serde_json::json!({ "error": e.to_string() }));
            }
            eprintln!("错误: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn to_json<T: serde::Serialize>(v: T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn parse_enum<T: serde::de::DeserializeOwned>(
    s: &str,
    what: &str,
    options: &str,
) -> Result<T, DeviceError> {
    serde_json::from_value(Value::String(s.to_string()))
        .map_err(|_| DeviceError::Invalid(format!("{what}“{s}”无效, 可选: {options}")))
}

fn parse_gps(s: Option<&str>) -> Result<Option<(f64, f64)>, DeviceError> {
    let Some(s) = s else { return Ok(None) };
    let bad = || DeviceError::Invalid(format!("坐标“{s}”无效, 格式: 纬度,经度"));
    let (a, b) = s.split_once(',').ok_or_else(bad)?;
    Ok(Some((
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    )))
}

/// An officer as typed: a user name or name (`lina`, 李娜) known to the
/// device ([`App::find_colleague`]), or `账号:姓名:执法证号[:科室]`.
fn parse_officer(
    app: &App,
    s: &str,
    default_unit: &str,
) -> Result<zhifa_core::case::Officer, DeviceError> {
    if !s.contains(':') {
        return app.find_colleague(s);
    }
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() < 3 || parts.iter().take(3).any(|p| p.trim().is_empty()) {
        return Err(DeviceError::Invalid(format!(
            "执法人员“{s}”格式应为 账号:姓名:执法证号"
        )));
    }
    Ok(zhifa_core::case::Officer {
        id: parts[0].trim().into(),
        name: parts[1].trim().into(),
        post: "科员".into(),
        credential_no: parts[2].trim().into(),
        unit: parts
            .get(3)
            .map(|u| u.trim())
            .unwrap_or(default_unit)
            .into(),
        status: OfficerStatus::Active,
    })
}

/// A field value from the command line as typed: JSON for a list typed as
/// `[…]` and for questions and answers, else the text itself. zhifa-core
/// reads it ([`zhifa_core::input::field_value`]: 是/否, lists split at commas,
/// local times, officers by user name or name), as it does for the phones.
fn field_value(ty: &str, raw: &str) -> Result<Value, DeviceError> {
    let json_list = matches!(ty, "list" | "multi_choice") && raw.trim_start().starts_with('[');
    Ok(if ty == "qa_list" || json_list {
        serde_json::from_str(raw)
            .map_err(|e| DeviceError::Invalid(format!("“{raw}”不是有效的 JSON: {e}")))?
    } else {
        Value::String(raw.to_string())
    })
}

fn read_strokes(path: &Path) -> Result<Strokes, DeviceError> {
    let text = if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| DeviceError::Io(format!("无法读取笔迹文件 {}: {e}", path.display())))?
    };
    serde_json::from_str(&text).map_err(|e| DeviceError::Invalid(format!("笔迹 JSON 无效: {e}")))
}

fn dispatch(app: &App, cmd: FieldCmd) -> Result<print::Out, DeviceError> {
    use print::Out;
    Ok(match cmd {
        FieldCmd::Login {
            server,
            user,
            password,
            device_name,
        } => {
            let password = match password {
                Some(p) => p,
                None => std::env::var("ZHIFA_PASSWORD").map_err(|_| {
                    DeviceError::Invalid(
                        "请用 --password 或环境变量 ZHIFA_PASSWORD 提供密码".into(),
                    )
                })?,
            };
            let name = device_name.unwrap_or_else(|| format!("终端 ({user})"));
            Out::Officer(app.login(&server, &user, &password, &name)?)
        }
        FieldCmd::Whoami => Out::Officer(app.whoami()?),
        FieldCmd::Logout { force } => {
            app.logout(force)?;
            Out::Json(
                serde_json::json!({ "logged_out": true }),
                "已退出登录".into(),
            )
        }
        FieldCmd::Case { cmd } => case(app, cmd)?,
        FieldCmd::Record { cmd } => record(app, cmd)?,
        FieldCmd::Attach {
            case,
            record,
            files,
            gps,
        } => {
            let case = refs::case_id(app, &case)?;
            let record = refs::record_id(app, &case, &record)?;
            let gps = parse_gps(gps.as_deref())?;
            let mut out = Vec::new();
            for f in files {
                out.push(app.attach(&case, &record, &f, gps)?);
            }
            Out::Media(out)
        }
        FieldCmd::Sign {
            case,
            record,
            role,
            signer_id,
            name,
            strokes,
        } => {
            let case = refs::case_id(app, &case)?;
            let record = refs::record_id(app, &case, &record)?;
            let role: SignerRole = parse_enum(
                &role,
                "签名角色",
                "officer, party, witness, reviewer, leader",
            )?;
            let s = read_strokes(&strokes)?;
            let (signer_id, name) = app.resolve_signer(
                &case,
                role,
                signer_id.as_deref().unwrap_or(""),
                name.as_deref().unwrap_or(""),
            )?;
            let e = app.sign(&case, &record, role, &signer_id, &name, &s)?;
            Out::Json(to_json(e), format!("已签名: {} {}", role.label(), name))
        }
        FieldCmd::Refuse {
            case,
            record,
            role,
            person,
            reason,
            witness,
        } => {
            let case = refs::case_id(app, &case)?;
            let record = refs::record_id(app, &case, &record)?;
            let role: SignerRole = parse_enum(&role, "签名角色", "officer, party, witness")?;
            let r = app.refuse(&case, &record, role, &person, &reason, &witness)?;
            Out::Json(
                to_json(r),
                format!("已记录拒签: {person}, 见证人 {witness}"),
            )
        }
        FieldCmd::Credentials { case, place, gps } => {
            let case = refs::case_id(app, &case)?;
            let d = app.show_credentials(&case, &place, parse_gps(gps.as_deref())?)?;
            Out::Json(
                serde_json::json!({ "detail": d }),
                format!("已记录亮证: {d}"),
            )
        }
        FieldCmd::NotifyRights {
            case,
            rights,
            method,
            record,
        } => {
            let case = refs::case_id(app, &case)?;
            let record = match record {
                Some(r) => Some(refs::record_id(app, &case, &r)?),
                None => None,
            };
            let rights: Vec<String> = rights
                .split([',', '、'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            let d = app.notify_rights(&case, &rights, &method, record.as_deref())?;
            Out::Json(
                serde_json::json!({ "detail": d }),
                format!("已记录权利告知: {d}"),
            )
        }
        FieldCmd::Obligations { case } => {
            let case = match case {
                Some(c) => Some(refs::case_id(app, &c)?),
                None => None,
            };
            Out::Obligations(app.obligations(case.as_deref())?)
        }
        FieldCmd::Sync => {
            let _progress = progress::show(app);
            Out::Sync(app.sync_now()?)
        }
        FieldCmd::Fetch { case } => {
            let case = refs::case_id(app, &case)?;
            let n = app.fetch_media(&case)?;
            Out::Json(
                serde_json::json!({ "fetched": n }),
                format!("已下载 {n} 个文件"),
            )
        }
        FieldCmd::Status => Out::Status(app.sync_status()?),
        FieldCmd::Colleagues => {
            let list = app.colleagues(true)?;
            let text = list
                .iter()
                .map(|o| {
                    format!(
                        "{}  {}  {}  执法证号 {}",
                        o.username, o.name, o.unit_name, o.credential_no
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            Out::Json(to_json(&list), text)
        }
        FieldCmd::Templates { kind, cmd } => match cmd {
            None => templates::list(kind.as_deref())?,
            Some(TemplateCmd::Show { template }) => templates::show(&template)?,
        },
    })
}

fn case(app: &App, cmd: CaseCmd) -> Result<print::Out, DeviceError> {
    use print::Out;
    Ok(match cmd {
        CaseCmd::New {
            kind,
            procedure,
            title,
            source,
            source_ref,
            party,
            party_kind,
            party_id,
            party_rep,
            partner,
            record,
        } => {
            let me = app.whoami()?;
            let kind: CaseKind = parse_enum(&kind, "案件类型", "inspection, penalty")?;
            let procedure: Option<Procedure> = match procedure {
                Some(p) => Some(parse_enum(&p, "程序", "simple, general")?),
                None => None,
            };
            let source: CaseSource = parse_enum(
                &source,
                "案件来源",
                "random_inspection (双随机), complaint (投诉举报), ex_officio (依职权), transfer (移送)",
            )?;
            let party = match party {
                Some(name) => Some(PartyInput {
                    kind: parse_enum::<PartyKind>(
                        &party_kind,
                        "当事人类型",
                        "natural_person, legal_person, other_organisation",
                    )?,
                    name,
                    id_number: party_id.unwrap_or_default(),
                    representative: party_rep,
                    address: None,
                    phone: None,
                }),
                None => None,
            };
            let partners = partner
                .iter()
                .map(|p| parse_officer(app, p, &me.unit_id))
                .collect::<Result<Vec<_>, _>>()?;
            let c = app.new_case(&NewCase {
                kind,
                procedure,
                title,
                source,
                source_ref,
                party,
                partners,
                first_record: record,
            })?;
            let text = match &c.record_id {
                Some(r) => format!("已创建案件 {}\n文书 {}", c.case_id, r),
                None => format!("已创建案件 {}", c.case_id),
            };
            Out::Json(to_json(&c), text)
        }
        CaseCmd::List {
            stage,
            kind,
            text,
            due_by,
            unsynced,
        } => Out::List(app.list_cases(&ListFilter {
            stage,
            kind,
            text,
            due_by,
            unsynced,
        })?),
        CaseCmd::Show { case } => {
            let case = refs::case_id(app, &case)?;
            Out::Case(Box::new(app.case_view(&case)?))
        }
        CaseCmd::Advance { case } => {
            let case = refs::case_id(app, &case)?;
            let s = app.advance_stage(&case)?;
            Out::Json(
                serde_json::json!({ "stage": s }),
                format!("案件已进入“{s}”阶段"),
            )
        }
        CaseCmd::Officer { case, officer } => {
            let case = refs::case_id(app, &case)?;
            let me = app.whoami()?;
            let o = parse_officer(app, &officer, &me.unit_id)?;
            app.add_officer(&case, &o)?;
            Out::Json(to_json(&o), format!("已加入执法人员 {}", o.name))
        }
        CaseCmd::Export { case, out } => {
            let case = refs::case_id(app, &case)?;
            let bytes = app.export_case(&case)?;
            std::fs::write(&out, &bytes)?;
            Out::Json(
                serde_json::json!({ "file": out, "bytes": bytes.len() }),
                format!("已导出到 {}", out.display()),
            )
        }
        CaseCmd::Import { file } => {
            let bytes = std::fs::read(&file)?;
            let id = app.import_case(&bytes)?;
            Out::Json(
                serde_json::json!({ "case_id": id }),
                format!("已导入案件 {id}"),
            )
        }
        CaseCmd::DropUnsynced { case } => {
            let case = refs::case_id(app, &case)?;
            let refusal = app.sync_refusal(&case)?;
            let dropped = app.drop_unsynced(&case)?;
            let removed = dropped == zhifa_device::app::Dropped::Removed;
            let text = if removed {
                format!("案件 {case} 从未被服务器接收, 已从本机删除")
            } else {
                format!("已撤销案件 {case} 未被服务器接收的修改, 回到最后回执的版本")
            };
            Out::Json(
                serde_json::json!({ "case_id": case, "removed": removed, "refusal": refusal }),
                text,
            )
        }
        CaseCmd::Verify { case } if zhifa_docs::DocRef::parse(&case).is_some() => {
            let verdict = app.check_printed(&case)?;
            match verdict {
                zhifa_docs::Verdict::Consistent { name, sealed_at } => Out::Json(
                    serde_json::json!({ "result": "一致", "document": name, "sealed_at": sealed_at }),
                    format!("一致: 《{name}》, 封存于 {sealed_at}"),
                ),
                zhifa_docs::Verdict::Inconsistent { reason } => Out::Failed(
                    serde_json::json!({ "result": "不一致", "reason": reason }),
                    format!("不一致: {reason}"),
                ),
            }
        }
        CaseCmd::Verify { case } => {
            let case = refs::case_id(app, &case)?;
            let problems = app.verify_seals(&case)?;
            let json = serde_json::json!({ "problems": problems });
            if problems.is_empty() {
                Out::Json(json, "所有封存文书校验通过".to_string())
            } else {
                let mut text = format!("{} 份文书封存校验未通过:\n", problems.len());
                text.push_str(
                    &problems
                        .iter()
                        .map(|(r, p)| format!("文书 {r}: {}", p.join("; ")))
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
                Out::Failed(json, text)
            }
        }
    })
}

fn record(app: &App, cmd: RecordCmd) -> Result<print::Out, DeviceError> {
    use print::Out;
    Ok(match cmd {
        RecordCmd::New { case, template } => {
            let case = refs::case_id(app, &case)?;
            let id = app.new_record(&case, &template)?;
            Out::Json(
                serde_json::json!({ "record_id": id }),
                format!("已创建文书 {id}"),
            )
        }
        RecordCmd::Pdf {
            case,
            record,
            out,
            font,
        } => {
            let case = refs::case_id(app, &case)?;
            let record = refs::record_id(app, &case, &record)?;
            let font = match font {
                Some(p) => std::fs::read(&p).map_err(|e| {
                    DeviceError::Invalid(format!("无法读取字体文件 {}: {e}", p.display()))
                })?,
                None => zhifa_device::app::pdf::system_font()?,
            };
            let pdf = app.record_pdf(&case, &record, font)?;
            std::fs::write(&out, &pdf)
                .map_err(|e| DeviceError::Invalid(format!("无法写入 {}: {e}", out.display())))?;
            Out::Json(
                serde_json::json!({ "case_id": case, "record_id": record, "file": out, "bytes": pdf.len() }),
                format!("已生成 {} ({} KB)", out.display(), pdf.len().div_ceil(1024)),
            )
        }
        RecordCmd::Show { case, record } => {
            let case = refs::case_id(app, &case)?;
            let record = refs::record_id(app, &case, &record)?;
            Out::Editor(Box::new(app.record_editor(&case, &record)?))
        }
        RecordCmd::Set {
            case,
            record,
            values,
        } => {
            let case = refs::case_id(app, &case)?;
            let record = refs::record_id(app, &case, &record)?;
            let editor = app.record_editor(&case, &record)?;
            for kv in &values {
                let (k, raw) = kv
                    .split_once('=')
                    .ok_or_else(|| DeviceError::Invalid(format!("“{kv}”格式应为 字段=值")))?;
                let ty = editor
                    .fields
                    .iter()
                    .find(|f| f.key == k)
                    .map(|f| zhifa_core::wire_name(&f.ty))
                    .ok_or_else(|| {
                        DeviceError::Invalid(format!("文书“{}”没有字段“{k}”", editor.name))
                    })?;
                app.set_field(&case, &record, k, &field_value(&ty, raw)?)?;
            }
            Out::Editor(Box::new(app.record_editor(&case, &record)?))
        }
        RecordCmd::Clear { case, record, key } => {
            let case = refs::case_id(app, &case)?;
            let record = refs::record_id(app, &case, &record)?;
            app.clear_field(&case, &record, &key)?;
            Out::Editor(Box::new(app.record_editor(&case, &record)?))
        }
        RecordCmd::Amend {
            case,
            record,
            reason,
        } => {
            let case = refs::case_id(app, &case)?;
            let record = refs::record_id(app, &case, &record)?;
            let id = app.amend_record(&case, &record, &reason)?;
            Out::Json(
                serde_json::json!({ "record_id": id }),
                format!("已生成修订版文书 {id}"),
            )
        }
        RecordCmd::Conflicts { case } => {
            let case = refs::case_id(app, &case)?;
            conflicts::show(app, &case)?
        }
        RecordCmd::Resolve {
            case,
            record,
            keep_sealed: _,
            amend,
            reason,
        } => {
            let case = refs::case_id(app, &case)?;
            let record = refs::record_id(app, &case, &record)?;
            conflicts::resolve(app, &case, &record, amend, reason)?
        }
        RecordCmd::Seal { case, record } => {
            let case = refs::case_id(app, &case)?;
            let record = refs::record_id(app, &case, &record)?;
            let d = app.seal_record(&case, &record)?;
            Out::Json(
                serde_json::json!({ "digest": d }),
                format!("文书已封存, 摘要 {d}"),
            )
        }
    })
}
