//! Template data: a template registry from JSON
//! (zhifa_core::template::TemplateRegistry) and field values as typed on a
//! device (zhifa_core::input::field_value) or read from a document
//! (FieldValue::from_json). A JSON object is read as field key → value and
//! offered to every field of every built-in (and of a parsed) template.
#![no_main]

use chrono::{FixedOffset, TimeZone};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use zhifa_core::input::{field_value, InputContext, OfficerName};
use zhifa_core::template::{Template, TemplateRegistry};
use zhifa_core::value::FieldValue;

fn offer(tpl: &Template, values: &serde_json::Map<String, Value>, ctx: &InputContext) {
    for def in &tpl.fields {
        if let Some(v) = values.get(&def.key) {
            let _ = field_value(def, v, ctx);
            let _ = FieldValue::from_json(def, v);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(tz) = FixedOffset::east_opt(8 * 3600) else {
        return;
    };
    let Some(now) = tz.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single() else {
        return;
    };
    let mut ctx = InputContext::at(now);
    ctx.officers = vec![
        OfficerName {
            id: "acc-zhangwei".into(),
            name: "张伟".into(),
            username: Some("zhangwei".into()),
        },
        OfficerName {
            id: "acc-lina".into(),
            name: "李娜".into(),
            username: None,
        },
    ];
    let parsed = TemplateRegistry::from_json(text).ok();
    if let Ok(Value::Object(values)) = serde_json::from_str::<Value>(text) {
        for tpl in TemplateRegistry::builtin().all() {
            offer(tpl, &values, &ctx);
        }
        if let Some(reg) = &parsed {
            for tpl in reg.all() {
                offer(tpl, &values, &ctx);
            }
        }
    }
});
