//! The receiving replica's check of a peer's changes (the server is the last
//! line: a phone enforces the law, but a crafted change must not get past
//! the server either). The case as it was before the changes and as it is
//! after them are compared, and every move the sender's account may not
//! make is named: a stage entered without its gates, a stage moved back, a
//! unit or assignment changed without the role, fixed header facts
//! rewritten, text over its limits, sealed content rewritten, a signature in
//! an office role by someone else.
//!
//! The check looks at the state after the changes, not at each change:
//! an officer who fixes a refused edit (shortens the text, adds the missing
//! record) makes the next attempt pass.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{blocking, GateInput, RuleProfile};
use crate::authority::{authorize, authorize_sign, template_action, ActingUser, OfficeAction};
use crate::case::Stage;
use crate::doc::{Case, StageMove};
use crate::limits;
use crate::template::{SignerRole, TemplateRegistry};

/// Articles the integrity checks enforce.
const RECORDING_ARTICLE: &str = "执法全过程记录制度 第三条";
/// Sealed records are amended by a new record, never rewritten.
const SEAL_ARTICLE: &str = "执法全过程记录制度 第三条、第十二条";

/// One change a receiving replica refuses, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncomingRefusal {
    /// Stable code: `stage_gate`, `stage_backwards`, `unit_change`,
    /// `assignment`, `fixed_header`, `limit`, `seal_rewrite`, `signer_role`,
    /// `record_role`, `media_author`.
    pub code: &'static str,
    /// What is wrong, in Chinese.
    pub message: String,
    /// The article enforced (empty for plain limits).
    pub article: &'static str,
}

impl std::fmt::Display for IncomingRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.article.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} ({})", self.message, self.article)
        }
    }
}

/// What the receiver knows about the changes it is offered.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The case as stored before the changes; `None` for a new case.
    pub before: Option<&'a Case>,
    /// The case with the changes applied.
    pub after: &'a Case,
    /// The unit id the stored case belongs to (`None` for a new case).
    pub unit_before: Option<&'a str>,
    /// The unit id the header names after the changes (resolved by the caller).
    pub unit_after: &'a str,
    /// The account that sent the changes.
    pub user: ActingUser<'a>,
    /// Provincial configuration.
    pub profile: &'a RuleProfile,
    /// The stage moves the changes made, each with the case right before
    /// it ([`crate::doc::CaseDoc::stage_moves`]).
    pub stage_moves: &'a [StageMove],
    /// Records whose sealed content the changes rewrote
    /// ([`crate::doc::CaseDoc::sealed_rewrites`]).
    pub sealed_rewrites: &'a [String],
}

fn refusal(code: &'static str, message: String, article: &'static str) -> IncomingRefusal {
    IncomingRefusal {
        code,
        message,
        article,
    }
}

/// Every refusal for the changes described by `i`; empty means accept.
pub fn check_incoming(i: &Incoming<'_>) -> Vec<IncomingRefusal> {
    let mut out = Vec::new();
    fixed_header(i, &mut out);
    stage(i, &mut out);
    unit_and_assignment(i, &mut out);
    text_limits(i, &mut out);
    signatures(i, &mut out);
    record_roles(i, &mut out);
    media_authors(i, &mut out);
    for id in i.sealed_rewrites {
        out.push(refusal(
            "seal_rewrite",
            format!(
                "{}已封存, 其内容或封存被改写 (已封存的文书只能以修订文书更正)",
                record_name(i.after, id)
            ),
            SEAL_ARTICLE,
        ));
    }
    out
}

/// A record named for people: its template's name and creation time.
fn record_name(case: &Case, id: &str) -> String {
    match case.record(id) {
        Some(r) => {
            let name = TemplateRegistry::builtin()
                .latest(&r.template)
                .map(|t| t.name.clone())
                .unwrap_or_else(|_| r.template.clone());
            format!("文书“{name}”({})", r.created_at)
        }
        None => "一份文书".into(),
    }
}

fn fixed_header(i: &Incoming<'_>, out: &mut Vec<IncomingRefusal>) {
    let Some(b) = i.before else { return };
    let (old, new) = (&b.header, &i.after.header);
    let fixed = [
        ("案件编号", old.id == new.id),
        ("案件类型", old.kind == new.kind),
        ("创建人", old.created_by == new.created_by),
        ("创建时间", old.created_at == new.created_at),
    ];
    for (name, same) in fixed {
        if !same {
            out.push(refusal(
                "fixed_header",
                format!("案件的{name}创建后不能修改"),
                RECORDING_ARTICLE,
            ));
        }
    }
}

/// Each stage move is checked on the case as it was right before it (what
/// the mover saw): forward only through the gates, never back. A merge of
/// two concurrent moves is no move of its own and is not refused.
fn stage(i: &Incoming<'_>, out: &mut Vec<IncomingRefusal>) {
    let mut seen = BTreeSet::new();
    for m in i.stage_moves {
        if m.to < m.from {
            out.push(refusal(
                "stage_backwards",
                format!(
                    "案件已处于“{}”阶段, 不能退回“{}”",
                    m.from.label(),
                    m.to.label()
                ),
                OfficeAction::AdvanceStage.article(),
            ));
            continue;
        }
        if m.to == m.from {
            continue;
        }
        if i.before.is_some() {
            // Filing (已归档) is the archivist's alone ((二) 第二十三条).
            let action = if m.to == Stage::Archived {
                OfficeAction::FileCase
            } else {
                OfficeAction::AdvanceStage
            };
            if let Err(r) = authorize(action, &i.user, &m.case, i.unit_after) {
                out.push(refusal("stage_gate", r.message, r.article));
                continue;
            }
        }
        let input = GateInput {
            case: &m.case,
            profile: i.profile,
            present_media: None,
        };
        for st in Stage::ALL.iter().filter(|s| **s > m.from && **s <= m.to) {
            for u in blocking(&input, *st) {
                if seen.insert(u.message.clone()) {
                    out.push(refusal(
                        "stage_gate",
                        format!("进入“{}”阶段的条件未满足: {}", st.label(), u.message),
                        u.article,
                    ));
                }
            }
        }
    }
}

fn officer_ids(c: &Case) -> BTreeSet<&str> {
    c.officers.iter().map(|o| o.id.as_str()).collect()
}

fn unit_and_assignment(i: &Incoming<'_>, out: &mut Vec<IncomingRefusal>) {
    let (Some(b), Some(unit_before)) = (i.before, i.unit_before) else {
        return;
    };
    let article = OfficeAction::AssignOfficers.article();
    if unit_before != i.unit_after {
        // Moving a case to another unit is an assignment by the head of the
        // unit that has it, or a leader.
        if let Err(r) = authorize(OfficeAction::AssignOfficers, &i.user, b, unit_before) {
            out.push(refusal(
                "unit_change",
                format!("无权将案件移交其他科室: {}", r.message),
                article,
            ));
        }
    }
    if officer_ids(b) != officer_ids(i.after) {
        if let Err(r) = authorize(OfficeAction::AssignOfficers, &i.user, b, unit_before) {
            out.push(refusal("assignment", r.message, r.article));
        }
    }
}

fn limit(out: &mut Vec<IncomingRefusal>, r: crate::error::Result<()>) {
    if let Err(e) = r {
        out.push(refusal("limit", e.to_string(), ""));
    }
}

fn text_limits(i: &Incoming<'_>, out: &mut Vec<IncomingRefusal>) {
    let a = i.after;
    let b = i.before;
    if b.is_none_or(|b| b.header != a.header) {
        limit(out, limits::check_header(&a.header));
        if let Some(f) = a.header.fine_fen {
            limit(out, limits::check_fine(f));
        }
    }
    for p in &a.parties {
        if b.is_none_or(|b| !b.parties.contains(p)) {
            limit(out, limits::check_party(p));
        }
    }
    for o in &a.officers {
        if b.is_none_or(|b| !b.officers.contains(o)) {
            limit(out, limits::check_officer(o));
        }
    }
    for e in &a.events {
        if b.is_none_or(|b| !b.events.contains(e)) {
            limit(
                out,
                limits::check_len("历史记录", &e.detail, limits::EVENT_DETAIL_MAX),
            );
        }
    }
    let registry = TemplateRegistry::builtin();
    for r in &a.records {
        if b.and_then(|b| b.record(&r.id)) == Some(r) {
            continue;
        }
        let tpl = match registry.get(&r.template, r.template_version) {
            Ok(t) => t,
            Err(e) => {
                limit(out, Err(e));
                continue;
            }
        };
        for (key, value) in &r.fields {
            match tpl.field(key) {
                Ok(def) => limit(out, value.clone().validated(def).map(|_| ())),
                Err(e) => limit(out, Err(e)),
            }
        }
    }
}

/// A media reference names the officer who captured the file: the sender.
/// (The server lets a file be read through a case only when the case's
/// reference was made by the account that captured and uploaded it.)
fn media_authors(i: &Incoming<'_>, out: &mut Vec<IncomingRefusal>) {
    for (sha, m) in &i.after.media {
        if i.before.and_then(|b| b.media.get(sha)) == Some(m) {
            continue;
        }
        if m.officer != i.user.account_id {
            out.push(refusal(
                "media_author",
                format!(
                    "附件 {}… 标注的拍摄人员不是提交该修改的账号",
                    sha.get(..12).unwrap_or(sha)
                ),
                RECORDING_ARTICLE,
            ));
        }
    }
}

/// Records only some roles make (公示信息 and take-downs: the liaison;
/// decision changes: a leader or the legal office), created or changed by
/// the sender.
fn record_roles(i: &Incoming<'_>, out: &mut Vec<IncomingRefusal>) {
    for r in &i.after.records {
        let action = template_action(&r.template);
        if action == OfficeAction::EditRecords || i.before.and_then(|b| b.record(&r.id)) == Some(r)
        {
            continue;
        }
        if let Err(e) = authorize(action, &i.user, i.after, i.unit_after) {
            out.push(refusal(
                "record_role",
                format!("{}: {}", record_name(i.after, &r.id), e.message),
                e.article,
            ));
        }
    }
}

fn signatures(i: &Incoming<'_>, out: &mut Vec<IncomingRefusal>) {
    let unit = i.unit_after;
    for r in &i.after.records {
        let Some(seal) = &r.seal else { continue };
        let old = i
            .before
            .and_then(|b| b.record(&r.id))
            .and_then(|r| r.seal.as_ref());
        for s in &seal.signatures {
            if old.is_some_and(|o| o.signatures.contains(s)) {
                continue;
            }
            let office_role = matches!(s.role, SignerRole::Reviewer | SignerRole::Leader);
            if office_role {
                let res = if s.signer_id != i.user.account_id {
                    Err(format!(
                        "以{}身份签名的只能是签名人本人的账号",
                        s.role.label()
                    ))
                } else {
                    authorize_sign(&i.user, i.after, unit, &r.template, s.role)
                        .map_err(|e| e.message)
                };
                if let Err(m) = res {
                    out.push(refusal(
                        "signer_role",
                        format!("{}的签名被拒绝: {m}", record_name(i.after, &r.id)),
                        RECORDING_ARTICLE,
                    ));
                }
            } else if s.role == SignerRole::Officer
                && i.after.officer(&s.signer_id).is_none()
                && i.after.header.created_by != s.signer_id
            {
                out.push(refusal(
                    "signer_role",
                    format!(
                        "{}的执法人员签名人不是本案的执法人员",
                        record_name(i.after, &r.id)
                    ),
                    RECORDING_ARTICLE,
                ));
            }
        }
    }
}
