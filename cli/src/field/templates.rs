//! `zhifa templates [--kind K]` and `zhifa templates show T`: the record
//! templates (the same data the phones' pickers get through the FFI), so an
//! officer finds a template id, its fields and who signs without the source.

use serde_json::{json, Value};
use zhifa_core::case::CaseKind;
use zhifa_core::template::{Template, TemplateRegistry};
use zhifa_core::wire_name;
use zhifa_device::DeviceError;

use super::print::Out;

/// Who signs, in words: `执法人员 2 人、当事人 1 人 (可见证拒签)`.
fn signers_text(t: &Template) -> String {
    let v: Vec<String> = t
        .signers
        .iter()
        .filter(|s| s.min > 0)
        .map(|s| {
            let refusable = if s.refusable {
                " (可见证拒签)"
            } else {
                ""
            };
            format!("{} {} 人{refusable}", s.role.label(), s.min)
        })
        .collect();
    if v.is_empty() {
        "无需签字".into()
    } else {
        v.join("、")
    }
}

fn kinds_text(t: &Template) -> String {
    t.kinds
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join("、")
}

/// The template list, optionally for one case kind.
pub fn list(kind: Option<&str>) -> Result<Out, DeviceError> {
    let kind: Option<CaseKind> = match kind {
        Some(k) => Some(super::parse_enum(k, "案件类型", "inspection, penalty")?),
        None => None,
    };
    let all = TemplateRegistry::builtin().latest_all(kind);
    let rows: Vec<Value> = all
        .iter()
        .map(|t| {
            json!({
                "id": t.id,
                "name": t.name,
                "kinds": t.kinds.iter().map(wire_name).collect::<Vec<_>>(),
                "kinds_label": kinds_text(t),
                "stage": t.stage.label(),
                "signers": t.signers.iter().map(|s| json!({
                    "role": wire_name(&s.role), "label": s.role.label(),
                    "min": s.min, "refusable": s.refusable,
                })).collect::<Vec<_>>(),
                "signers_label": signers_text(t),
            })
        })
        .collect();
    let text = all
        .iter()
        .map(|t| {
            format!(
                "{}  {}  {}  签字: {}",
                t.id,
                t.name,
                kinds_text(t),
                signers_text(t)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Out::Json(Value::Array(rows), text))
}

/// One template: its fields and signers.
pub fn show(id: &str) -> Result<Out, DeviceError> {
    let t = TemplateRegistry::builtin().latest(id).map_err(|_| {
        let ids: Vec<String> = TemplateRegistry::builtin()
            .latest_all(None)
            .iter()
            .map(|t| format!("{} ({})", t.id, t.name))
            .collect();
        DeviceError::Invalid(format!("没有文书模板“{id}”; 可用: {}", ids.join("、")))
    })?;
    let fields: Vec<Value> = t
        .fields
        .iter()
        .map(|f| {
            json!({
                "key": f.key, "label": f.label, "type": wire_name(&f.ty),
                "type_label": f.ty.label(), "required": f.required,
                "options": f.options, "max_chars": f.max_chars(), "hint": f.input_hint(),
            })
        })
        .collect();
    let mut text = vec![
        format!("{} {} (版本 {})", t.id, t.name, t.version),
        format!(
            "适用: {}  阶段: {}  依据: {}",
            kinds_text(t),
            t.stage.label(),
            t.article
        ),
        format!("签字: {}", signers_text(t)),
    ];
    if t.av_required {
        text.push("须附录音或录像 (执法全过程记录制度 第十三条)".into());
    }
    for f in &t.fields {
        let req = if f.required { "必填" } else { "选填" };
        let hint = f.input_hint().map(|h| format!("  {h}")).unwrap_or_default();
        let max = if matches!(
            f.ty,
            zhifa_core::template::FieldType::Text | zhifa_core::template::FieldType::LongText
        ) {
            format!(" 最多 {} 字", f.max_chars())
        } else {
            String::new()
        };
        text.push(format!(
            "  {} {} [{}] {req}{max}{hint}",
            f.key,
            f.label,
            f.ty.label()
        ));
    }
    let v = json!({
        "id": t.id, "version": t.version, "name": t.name,
        "kinds": t.kinds.iter().map(wire_name).collect::<Vec<_>>(),
        "stage": t.stage.label(), "article": t.article, "av_required": t.av_required,
        "fields": fields,
        "signers": t.signers.iter().map(|s| json!({
            "role": wire_name(&s.role), "label": s.role.label(),
            "min": s.min, "refusable": s.refusable,
        })).collect::<Vec<_>>(),
    });
    Ok(Out::Json(v, text.join("\n")))
}
