//! `zhifa record conflicts CASE` (both versions of every conflicted record,
//! field by field) and `zhifa record resolve CASE RECORD --keep-sealed |
//! --amend --reason "…"` (the officer's decision, synced to every device).

use zhifa_device::app::{ConflictView, Resolve, ResolvedView};
use zhifa_device::{App, DeviceError};

use super::print::{hint, Out};

/// The case's open and resolved seal conflicts.
pub fn show(app: &App, case: &str) -> Result<Out, DeviceError> {
    let open = app.seal_conflicts(case)?;
    let done = app.conflict_resolutions(case)?;
    let text = words(case, &open, &done);
    Ok(Out::Json(
        serde_json::json!({ "open": open, "resolved": done }),
        text,
    ))
}

fn words(case: &str, open: &[ConflictView], done: &[ResolvedView]) -> String {
    let mut lines = Vec::new();
    if open.is_empty() {
        lines.push("本案没有未处理的封存冲突".to_string());
    }
    for c in open {
        lines.push(format!("{} ({}): 封存冲突", c.record_name, c.record_id));
        for f in &c.fields {
            let mark = if f.differs { "≠" } else { "=" };
            lines.push(format!(
                "  {mark} {}: 封存版本「{}」 | 并发修改「{}」",
                f.label, f.sealed, f.edited
            ));
        }
        if c.resolvable {
            lines.push(hint(case, &c.record_id));
        } else {
            lines.push(format!("  {}", c.message));
        }
    }
    for d in done {
        lines.push(format!("已处理: {}", d.text));
    }
    lines.join("\n")
}

/// Resolves one conflict: `amend` with its reason, else keep the seal.
pub fn resolve(
    app: &App,
    case: &str,
    record: &str,
    amend: bool,
    reason: Option<String>,
) -> Result<Out, DeviceError> {
    let how = if amend {
        Resolve::Amend {
            reason: reason.unwrap_or_default(),
        }
    } else {
        Resolve::KeepSealed
    };
    let r = app.resolve_seal_conflict(case, record, &how)?;
    let mut text = r.describe();
    if let Some(a) = &r.amendment {
        text.push_str(&format!(
            "\n更正文书 {a} 已生成 (未封存): 核对后用 zhifa record seal {case} {a} 封存"
        ));
    }
    text.push_str("\n同步后其他设备上的冲突随之消除 (zhifa sync)");
    Ok(Out::Json(
        serde_json::to_value(&r).unwrap_or_default(),
        text,
    ))
}
