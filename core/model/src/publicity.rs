//! 行政执法公示 ((一) 第八条、第九条、第十二条): the public entry of a
//! decided penalty or a finished inspection, drafted from the case's sealed
//! records with personal data masked, published by the office liaison as a
//! sealed 公示信息 record (`publicity_entry`) and taken down by a sealed
//! 撤下公示说明 (`publicity_withdrawal`). A decision revoked, confirmed
//! illegal or redone is a sealed 行政执法决定变更记录 (`decision_change`):
//! the entry must then come down within 3 working days (行政处罚法 第四十八条);
//! the deadline engine counts both clocks from these records.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::case::PartyKind;
use crate::doc::Case;
use crate::mask;
use crate::record::{FieldValue, Record};

/// Template of a published entry.
pub const ENTRY_TEMPLATE: &str = "publicity_entry";
/// Template of a take-down with its public explanation.
pub const WITHDRAWAL_TEMPLATE: &str = "publicity_withdrawal";
/// Template of a decision changed, revoked or confirmed illegal.
pub const CHANGE_TEMPLATE: &str = "decision_change";

fn text<'r>(r: &'r Record, key: &str) -> Option<&'r str> {
    match r.fields.get(key) {
        Some(FieldValue::Text(s)) => Some(s.as_str()).filter(|s| !s.trim().is_empty()),
        _ => None,
    }
}

fn list(r: &Record, key: &str) -> Option<String> {
    match r.fields.get(key) {
        Some(FieldValue::List(v)) if !v.is_empty() => Some(v.join("、")),
        Some(FieldValue::Text(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// The date part of a date or RFC 3339 time.
fn date_of(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn sealed<'c>(case: &'c Case, template: &'c str) -> impl Iterator<Item = &'c Record> + 'c {
    case.current_records(template).filter(|r| r.seal.is_some())
}

/// Replaces the full names of the case's natural persons (parties and
/// their witnesses are not known here; parties are) by surname only.
fn hide_names(case: &Case, text: &str) -> String {
    let mut out = text.to_string();
    for p in &case.parties {
        if p.kind == PartyKind::NaturalPerson && p.name.chars().count() > 1 {
            out = out.replace(&p.name, &mask::mask_name(&p.name));
        }
    }
    out
}

/// The party as published: a natural person by surname only (王*), an
/// organisation by name.
fn public_party(case: &Case) -> Option<String> {
    let p = case.parties.first()?;
    Some(match p.kind {
        PartyKind::NaturalPerson => mask::mask_name(&p.name),
        _ => p.name.clone(),
    })
}

fn natural_person(case: &Case) -> bool {
    case.parties
        .first()
        .is_some_and(|p| p.kind == PartyKind::NaturalPerson)
}

/// The values of a new 公示信息 drafted from the case's latest sealed
/// decision (处罚决定书, 当场处罚决定书) or inspection record (现场检查笔录),
/// as `(field key, JSON value)` in the template's order; `None` when nothing
/// is decided yet. Free text is passed through [`mask::mask_text`]; a natural person
/// is named by surname only. The liaison checks it before sealing.
pub fn draft(case: &Case, today: NaiveDate) -> Option<Vec<(String, Value)>> {
    let scrub = |t: &str| hide_names(case, &mask::mask_text(t));
    let s = |v: Option<&str>| v.map(scrub).unwrap_or_default();
    let published = today.format("%Y-%m-%d").to_string();
    let decision = sealed(case, "penalty_decision")
        .chain(sealed(case, "simple_penalty_decision"))
        .last();
    if let Some(r) = decision {
        let decided = text(r, "decided_on")
            .or_else(|| text(r, "decided_at"))
            .and_then(date_of)?;
        let no = text(r, "decision_no").unwrap_or_default();
        let party = public_party(case).unwrap_or_else(|| s(text(r, "party")));
        let party = if natural_person(case) {
            party
        } else {
            mask::mask_text(&party)
        };
        let result = text(r, "penalty")
            .map(scrub)
            .or_else(|| match r.fields.get("fine_fen") {
                Some(FieldValue::Int(f)) => Some(format!("罚款 {:.2} 元", *f as f64 / 100.0)),
                _ => None,
            })
            .unwrap_or_default();
        return Some(vec![
            ("entry_kind".into(), json!("行政处罚")),
            (
                "title".into(),
                json!(format!("行政处罚决定 {no}").trim().to_string()),
            ),
            ("party".into(), json!(party)),
            ("decision_no".into(), json!(no)),
            ("facts".into(), json!(s(text(r, "facts")))),
            ("basis".into(), json!(s(text(r, "basis")))),
            ("result".into(), json!(result)),
            (
                "decided_on".into(),
                json!(decided.format("%Y-%m-%d").to_string()),
            ),
            ("published_on".into(), json!(published)),
        ]);
    }
    let r = sealed(case, "inspection_record").last()?;
    let inspected = text(r, "inspected_at").and_then(date_of)?;
    let party = if natural_person(case) {
        public_party(case).unwrap_or_default()
    } else {
        s(text(r, "inspected_unit"))
    };
    let problems = s(text(r, "problems"));
    let rectification = sealed(case, "rectification_review")
        .last()
        .and_then(|rv| text(rv, "conclusion"))
        .map(|c| format!("整改复查: {c}"))
        .or_else(|| text(r, "rectification").map(scrub))
        .unwrap_or_default();
    let result = if problems.is_empty() {
        "未发现问题".to_string()
    } else if rectification.is_empty() {
        "发现问题, 责令整改".to_string()
    } else {
        rectification.clone()
    };
    Some(vec![
        ("entry_kind".into(), json!("行政检查")),
        (
            "title".into(),
            json!(format!("行政检查结果 {}", inspected.format("%Y-%m-%d"))),
        ),
        ("party".into(), json!(party)),
        ("facts".into(), json!(s(text(r, "findings")))),
        ("basis".into(), json!(s(text(r, "basis")))),
        ("method".into(), json!(s(text(r, "method")))),
        ("items".into(), json!(list(r, "items").unwrap_or_default())),
        ("problems".into(), json!(problems)),
        ("rectification".into(), json!(rectification)),
        ("result".into(), json!(result)),
        (
            "decided_on".into(),
            json!(inspected.format("%Y-%m-%d").to_string()),
        ),
        ("published_on".into(), json!(published)),
    ])
}

/// A take-down of a published entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    /// 撤下原因.
    pub reason: String,
    /// The public explanation.
    pub explanation: String,
    /// 撤下日期 (`YYYY-MM-DD`).
    pub on: String,
}

/// A published entry as the portal shows it (every value already public).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicEntry {
    /// The entry's record id: its stable public id.
    pub id: String,
    /// The case id.
    pub case_id: String,
    /// 行政处罚 or 行政检查.
    pub kind: String,
    /// Title.
    pub title: String,
    /// 当事人 / 检查对象 (a natural person by surname only).
    pub party: String,
    /// 决定书文号 (penalties).
    pub decision_no: String,
    /// Facts / findings.
    pub facts: String,
    /// Legal basis.
    pub basis: String,
    /// 检查方式.
    pub method: String,
    /// 检查事项.
    pub items: String,
    /// 发现的问题.
    pub problems: String,
    /// 整改情况.
    pub rectification: String,
    /// 处理结果.
    pub result: String,
    /// Decided or inspected on (`YYYY-MM-DD`).
    pub decided_on: String,
    /// Published on (`YYYY-MM-DD`).
    pub published_on: String,
    /// Whether the party is a natural person (display period 2 years, else 5).
    pub natural_person: bool,
    /// The handling unit as the case header names it (id or name).
    #[serde(default)]
    pub unit: String,
    /// The take-down, if any.
    pub withdrawn: Option<Withdrawal>,
}

/// Every sealed 公示信息 of the case, with its take-down if one is sealed.
pub fn entries(case: &Case) -> Vec<PublicEntry> {
    let get = |r: &Record, k: &str| text(r, k).map(mask::mask_text).unwrap_or_default();
    sealed(case, ENTRY_TEMPLATE)
        .map(|r| {
            let withdrawn = sealed(case, WITHDRAWAL_TEMPLATE)
                .find(|w| text(w, "entry") == Some(r.id.as_str()))
                .map(|w| Withdrawal {
                    reason: get(w, "reason"),
                    explanation: get(w, "explanation"),
                    on: get(w, "withdrawn_on"),
                });
            PublicEntry {
                id: r.id.clone(),
                case_id: case.header.id.clone(),
                kind: get(r, "entry_kind"),
                title: get(r, "title"),
                party: get(r, "party"),
                decision_no: get(r, "decision_no"),
                facts: get(r, "facts"),
                basis: get(r, "basis"),
                method: get(r, "method"),
                items: get(r, "items"),
                problems: get(r, "problems"),
                rectification: get(r, "rectification"),
                result: get(r, "result"),
                decided_on: get(r, "decided_on"),
                published_on: get(r, "published_on"),
                natural_person: natural_person(case),
                unit: case.header.unit.clone(),
                withdrawn,
            }
        })
        .collect()
}

/// The published entries still up whose decision has been changed since
/// they were published (a sealed 行政执法决定变更记录): they must come down
/// within 3 working days, with an explanation (行政处罚法 第四十八条).
pub fn to_withdraw(case: &Case) -> Vec<PublicEntry> {
    let changed = sealed(case, CHANGE_TEMPLATE)
        .filter_map(|r| text(r, "changed_on").and_then(date_of))
        .max();
    let Some(changed) = changed else {
        return Vec::new();
    };
    entries(case)
        .into_iter()
        .filter(|e| e.withdrawn.is_none())
        .filter(|e| date_of(&e.published_on).is_some_and(|p| p <= changed))
        .collect()
}

/// The draft of a take-down of `entry` after a decision change: the
/// change's explanation made public.
pub fn withdrawal_draft(case: &Case, entry: &str, today: NaiveDate) -> Vec<(String, Value)> {
    let change = sealed(case, CHANGE_TEMPLATE).last();
    let reason = match change.and_then(|r| text(r, "change")) {
        Some("撤销") => "决定被撤销",
        Some("确认违法") | Some("确认无效") => "决定被确认违法或无效",
        Some(_) => "决定被变更或重新作出",
        None => "公示期满",
    };
    let explanation = change
        .and_then(|r| text(r, "explanation"))
        .map(mask::mask_text)
        .unwrap_or_default();
    vec![
        ("entry".into(), json!(entry)),
        ("reason".into(), json!(reason)),
        ("explanation".into(), json!(explanation)),
        (
            "withdrawn_on".into(),
            json!(today.format("%Y-%m-%d").to_string()),
        ),
    ]
}
