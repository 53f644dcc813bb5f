//! The case history in words: one Chinese line per [`Event`], naming
//! officers and parties by name and role (never an account id or `p1`),
//! fields by their labels (never their keys), records by template name and
//! time (never their ids). The device view, the FFI, the `zhifa` terminal
//! and the office console all word the history with [`describe`].

use serde::Serialize;

use crate::case::{Event, EventKind};
use crate::doc::Case;
use crate::input::local_offset;
use crate::record::Record;
use crate::template::TemplateRegistry;

/// One history entry in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryLine {
    /// When, local time: `2026-12-02 10:05`.
    pub at: String,
    /// Who, by name (`张伟`); `其他人员` when the account is not known here.
    pub actor: String,
    /// The actor's role in the case, if known (`执法人员`, `当事人`).
    pub role: Option<&'static str>,
    /// What happened ([`EventKind::label`]).
    pub what: &'static str,
    /// What it concerned, in words (record, fields, person, place …).
    pub detail: String,
    /// The whole line: `2026-12-02 10:05 张伟(执法人员) 填写文书: 《现场检查笔录》(…): 检查时间、检查地点`.
    pub text: String,
}

/// A time as `2026-12-04 10:30` in local time (+08:00), or its first 16
/// characters when it does not parse.
pub fn local_time(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => t
            .with_timezone(&local_offset())
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => at.chars().take(16).collect::<String>().replace('T', " "),
    }
}

/// A record as a person names it: `《现场检查笔录》(2026-12-02 10:00)`,
/// `《现场检查笔录》第 2 版` for an amendment.
pub fn record_name(r: &Record) -> String {
    let name = TemplateRegistry::builtin()
        .get(&r.template, r.template_version)
        .map(|t| t.name.clone())
        .unwrap_or_else(|_| r.template.clone());
    match r.revision {
        1 if r.created_at.is_empty() => format!("《{name}》"),
        1 => format!("《{name}》({})", local_time(&r.created_at)),
        n => format!("《{name}》第 {n} 版"),
    }
}

/// A person of the case by name and role: an officer (执法人员), a party
/// (当事人), else an account the caller knows (`account_name`), else
/// `其他人员`.
pub fn person(
    case: &Case,
    id: &str,
    account_name: &dyn Fn(&str) -> Option<String>,
) -> (String, Option<&'static str>) {
    if let Some(o) = case.officer(id) {
        return (o.name.clone(), Some("执法人员"));
    }
    if let Some(p) = case.parties.iter().find(|p| p.id == id) {
        return (p.name.clone(), Some("当事人"));
    }
    match account_name(id) {
        Some(n) => (n, None),
        None => ("其他人员".into(), None),
    }
}

/// Officers' account ids as their names, joined by 、 (an id that is not an
/// officer of the case stays as it is).
pub fn officer_names(case: &Case, ids: &[String]) -> String {
    ids.iter()
        .map(|id| {
            case.officer(id)
                .map(|o| o.name.clone())
                .unwrap_or_else(|| id.clone())
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// Account ids and party ids inside a free detail replaced by names.
fn scrub(case: &Case, detail: &str, account_name: &dyn Fn(&str) -> Option<String>) -> String {
    if let Some(p) = case.parties.iter().find(|p| p.id == detail.trim()) {
        return p.name.clone();
    }
    let mut out = detail.to_string();
    for o in &case.officers {
        if !o.id.is_empty() && out.contains(&o.id) {
            out = out.replace(&o.id, &o.name);
        }
    }
    if let Some(n) = account_name(detail.trim()) {
        return n;
    }
    out
}

fn media_kind(mime: &str) -> &'static str {
    if mime.starts_with("image/") {
        "照片"
    } else if mime.starts_with("video/") {
        "录像"
    } else if mime.starts_with("audio/") {
        "录音"
    } else {
        "文件"
    }
}

/// One event of `case` in words (see the module doc). `account_name` names
/// accounts that are not officers of the case (office staff), when the
/// caller knows them.
pub fn describe(
    case: &Case,
    e: &Event,
    account_name: &dyn Fn(&str) -> Option<String>,
) -> HistoryLine {
    let (actor, role) = person(case, &e.actor, account_name);
    let record = e.target.as_deref().and_then(|t| case.record(t));
    let tpl = record.and_then(|r| {
        TemplateRegistry::builtin()
            .get(&r.template, r.template_version)
            .ok()
    });
    let detail = match e.kind {
        EventKind::RecordEdited => e
            .detail
            .split([',', '、', ' '])
            .filter(|k| !k.is_empty())
            .map(|k| {
                tpl.and_then(|t| t.field(k).ok())
                    .map(|d| d.label.clone())
                    .unwrap_or_else(|| k.to_string())
            })
            .collect::<Vec<_>>()
            .join("、"),
        // The digest, the template name and the fine's key say nothing more.
        EventKind::RecordSealed | EventKind::RecordCreated | EventKind::FineChanged => {
            String::new()
        }
        EventKind::RecordAmended => format!("修订理由: {}", e.detail),
        EventKind::MediaAttached => media_kind(&e.detail).to_string(),
        EventKind::OfficerAssigned | EventKind::PartyAdded => {
            let (name, role) = person(case, e.detail.trim(), account_name);
            match role {
                Some(r) => format!("{name} ({r})"),
                None => name,
            }
        }
        _ => scrub(case, &e.detail, account_name),
    };
    // Who the event concerned, when it targets a person rather than a record.
    let target = match (record, e.target.as_deref()) {
        (Some(r), _) => Some(record_name(r)),
        (None, Some(t)) if case.officer(t).is_some() || case.parties.iter().any(|p| p.id == t) => {
            Some(person(case, t, account_name).0)
        }
        _ => None,
    };
    let detail = match (target, detail.is_empty()) {
        (Some(t), true) => t,
        (Some(t), false) => format!("{t}: {detail}"),
        (None, _) => detail,
    };
    let at = local_time(&e.at);
    let who = match role {
        Some(r) => format!("{actor}({r})"),
        None => actor.clone(),
    };
    // An office action's detail names what it did itself.
    let text = match (e.kind, detail.is_empty()) {
        (EventKind::Other, _) => format!("{at} {who} {detail}"),
        (_, true) => format!("{at} {who} {}", e.kind.label()),
        (_, false) => format!("{at} {who} {}: {detail}", e.kind.label()),
    };
    HistoryLine {
        at,
        actor,
        role,
        what: e.kind.label(),
        detail,
        text,
    }
}

/// The whole history of `case` in words, oldest first.
pub fn history(case: &Case, account_name: &dyn Fn(&str) -> Option<String>) -> Vec<HistoryLine> {
    case.events
        .iter()
        .map(|e| describe(case, e, account_name))
        .collect()
}
