//! `zhifa deadline …`: statutory period counting for scripts and office staff.
//! Semantics are those of `zhifa_core::deadlines` (PERIODS.md R1–R10); see
//! `cli/DEADLINES.md`.

pub(crate) mod batch;

use std::borrow::Cow;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use zhifa_core::deadlines::{
    format_yuan, late_payment_surcharge, parse_date, parse_yuan, Calendar, DeadlineEngine,
    DeadlineError, ExcludedRange, Profile, Rule,
};

use crate::EXIT_ERROR;

/// Options shared by every `deadline` subcommand.
#[derive(Debug, Args)]
pub struct DeadlineArgs {
    /// 更新的节假日日历 JSON（与 cn_calendar.json 同格式，如新公布的 2027 年），合并到内置 2017–2026 日历之上；同一年份以文件为准。
    #[arg(long, global = true, value_name = "FILE")]
    calendar: Option<PathBuf>,
    /// 省级三项制度配置 JSON（默认为种子文本的数值），用于 `rules`。
    #[arg(long, global = true, value_name = "FILE")]
    profile: Option<PathBuf>,
    #[command(subcommand)]
    cmd: DeadlineCmd,
}

/// The `deadline` subcommands.
#[derive(Debug, Subcommand)]
enum DeadlineCmd {
    /// 计算期限届满日，输出 YYYY-MM-DD。RULE: working_days | calendar_days | calendar_days_raw | months | months_raw | years | years_raw
    Add {
        /// 计算规则。
        #[arg(long, value_name = "RULE")]
        rule: String,
        /// 起算日（不计入期间，R1），YYYY-MM-DD。
        #[arg(long, value_name = "YYYY-MM-DD")]
        start: String,
        /// 期间长度，正整数（≥1）。
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        n: String,
    },
    /// 批量计算：stdin 每行一个 JSON {"rule":..,"start":..,"n":..}，stdout 每行输出 {"due":..} 或 {"error":..}，顺序一致。
    Batch,
    /// “X 日前”（R9；行政处罚法 art.64 听证通知、行政强制法 art.51 催告）：X 之前第 N 个工作日，输出 YYYY-MM-DD。
    Before {
        /// 事件日 X（如听证日），YYYY-MM-DD。
        #[arg(long, value_name = "YYYY-MM-DD")]
        start: String,
        /// 工作日数，正整数（≥1）。
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        n: String,
    },
    /// 加处罚款（行政处罚法 art.72：每日 3%，不超过罚款数额；art.73：复议/诉讼期间不计）。
    Surcharge {
        /// 罚款数额（元，最多两位小数）。
        #[arg(long, value_name = "YUAN", allow_hyphen_values = true)]
        fine: String,
        /// 缴纳罚款期限届满日，YYYY-MM-DD。
        #[arg(long, value_name = "YYYY-MM-DD")]
        due: String,
        /// 计算日（缴款日或今日），YYYY-MM-DD。
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: String,
        /// 不计算的期间（复议/诉讼），FROM:TO，含首尾两日；可重复。
        #[arg(long, value_name = "FROM:TO")]
        exclude: Vec<String>,
        /// 以 JSON 输出（金额、天数、是否封顶等）。
        #[arg(long, conflicts_with = "explain")]
        json: bool,
        /// 输出中文说明（天数、扣除期间、条文），而不只是金额。
        #[arg(long)]
        explain: bool,
    },
    /// 列出法定期限表（含条文出处）及省级三项制度期限。
    Rules {
        /// 以 JSON 输出。
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `deadline` subcommand; prints `错误: …` and returns exit 1 on failure.
pub fn run(args: DeadlineArgs) -> ExitCode {
    match dispatch(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("错误: {msg}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn dispatch(args: DeadlineArgs) -> Result<(), String> {
    let cal = load_calendar(args.calendar.as_ref())?;
    match args.cmd {
        DeadlineCmd::Add { rule, start, n } => {
            let due = add(&cal, &rule, &start, &n)?;
            emit(&format!("{due}\n"))?;
        }
        DeadlineCmd::Before { start, n } => {
            let x = parse_date(&start).map_err(|e| e.to_string())?;
            let n = parse_n(&n)?;
            let due = cal
                .working_days_before(x, n)
                .map_err(|e| with_start(e, &start))?;
            emit(&format!("{due}\n"))?;
        }
        DeadlineCmd::Batch => batch::run(&cal)?,
        DeadlineCmd::Surcharge {
            fine,
            due,
            on,
            exclude,
            json,
            explain,
        } => surcharge(&fine, &due, &on, &exclude, json, explain)?,
        DeadlineCmd::Rules { json } => {
            let profile = match &args.profile {
                Some(path) => {
                    Profile::from_json(&read(path, "省级配置")?).map_err(|e| e.to_string())?
                }
                None => Profile::default(),
            };
            rules(cal.into_owned(), profile, json)?;
        }
    }
    Ok(())
}

/// The embedded calendar, with `--calendar FILE` merged over it.
fn load_calendar(path: Option<&PathBuf>) -> Result<Cow<'static, Calendar>, String> {
    let base = Calendar::embedded();
    match path {
        None => Ok(Cow::Borrowed(base)),
        Some(p) => {
            let json = read(p, "日历")?;
            base.merge_json(&json)
                .map(Cow::Owned)
                .map_err(|e| format!("{e}（文件 {}）", p.display()))
        }
    }
}

fn read(path: &PathBuf, what: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("无法读取{what}文件 {}: {e}", path.display()))
}

/// Parses `--n`: an integer (sign allowed; ≤ 0 is rejected by the engine).
fn parse_n(s: &str) -> Result<i64, String> {
    s.parse::<i64>()
        .map_err(|_| format!("无效的期间 n \"{s}\"（应为正整数）"))
}

/// One `add` computation (shared with `batch`). Errors are the one-line
/// Chinese messages without the `错误: ` prefix.
pub(crate) fn add(cal: &Calendar, rule: &str, start: &str, n: &str) -> Result<String, String> {
    let rule = Rule::parse(rule).map_err(|e| e.to_string())?;
    let start_date = parse_date(start).map_err(|e| e.to_string())?;
    let n = parse_n(n)?;
    cal.add(rule, start_date, n)
        .map(|d| d.to_string())
        .map_err(|e| with_start(e, start))
}

/// R10 messages name the first date whose status is unknown; when that is not
/// the date the user typed, say which start it came from.
pub(crate) fn with_start(e: DeadlineError, start: &str) -> String {
    match &e {
        DeadlineError::OutOfCalendar { date, .. } if date.to_string() != start => {
            format!("{e}，起算日 {start}")
        }
        _ => e.to_string(),
    }
}

fn surcharge(
    fine: &str,
    due: &str,
    on: &str,
    exclude: &[String],
    json: bool,
    explain: bool,
) -> Result<(), String> {
    let fine_fen = parse_yuan(fine).map_err(|e| e.to_string())?;
    let due = parse_date(due).map_err(|e| e.to_string())?;
    let on = parse_date(on).map_err(|e| e.to_string())?;
    let ranges = exclude
        .iter()
        .map(|s| ExcludedRange::parse(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let s = late_payment_surcharge(fine_fen, due, on, &ranges).map_err(|e| e.to_string())?;
    let amount = format_yuan(s.amount_fen);
    if json {
        let v = serde_json::json!({
            "amount": amount,
            "amount_fen": s.amount_fen,
            "days": s.days,
            "excluded_days": s.excluded_days,
            "capped": s.capped,
            "fine": format_yuan(fine_fen),
            "citation": "行政处罚法 art.72, art.73",
        });
        emit(&format!("{v}\n"))?;
    } else if !explain {
        // For scripts: the amount in yuan, nothing else.
        emit(&format!("{amount}\n"))?;
    } else {
        let mut extra = String::new();
        if s.excluded_days > 0 {
            extra.push_str(&format!(
                "，已扣除复议/诉讼期间 {} 日 (art.73)",
                s.excluded_days
            ));
        }
        if s.capped {
            extra.push_str("，已达上限");
        }
        emit(&format!(
            "加处罚款 {amount} 元，计 {} 日{extra}（行政处罚法 art.72：每日按罚款数额 {} 元的 3% 加处，不超过罚款数额）\n",
            s.days,
            format_yuan(fine_fen)
        ))?;
    }
    Ok(())
}

fn rules(cal: Calendar, profile: Profile, json: bool) -> Result<(), String> {
    use std::fmt::Write as _;
    let eng = DeadlineEngine::new(cal, profile).map_err(|e| e.to_string())?;
    let mut out = String::new();
    if json {
        out = serde_json::to_string_pretty(eng.rules().rules()).map_err(|e| e.to_string())?;
        out.push('\n');
    } else {
        let _ = writeln!(
            out,
            "# 法定期限表（deadline_table.md）及省级配置「{}」；节假日日历 {}（版本 {}）",
            eng.profile().name,
            eng.calendar().loaded_years_text(),
            eng.calendar().version()
        );
        let _ = writeln!(out, "# id\t阶段\t期间\t计算规则\t起算\t出处\t名称\t说明");
        for r in eng.rules().rules() {
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                r.id,
                r.stage,
                r.period_zh(),
                r.rule.as_str(),
                r.trigger_zh,
                r.citation,
                r.title,
                r.description
            );
        }
    }
    emit(&out)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn emit(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("输出失败: {e}")),
        _ => Ok(()),
    }
}
