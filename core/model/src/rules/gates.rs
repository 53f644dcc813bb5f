//! The gates: each checks one rule of the three systems against a case and
//! returns the unmet conditions, in Chinese, with the article enforced.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::case::{CaseKind, PartyKind, Procedure};
use crate::doc::Case;
use crate::record::{FieldValue, Record};
use crate::template::{SignerRole, Template};

use super::profile::RuleProfile;
use super::read::{current, flag, list, name_of, template_of, text};

/// The rules a case is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// ≥ 2 qualified officers present with credentials shown.
    OfficersPresent,
    /// Every required signature given, or a witnessed refusal.
    Signatures,
    /// Rights notified before a penalty decision.
    RightsNotified,
    /// Audio/video attached where the template requires it.
    AvRecorded,
    /// 简易程序 only within the art.51 ceilings.
    SimpleProcedureLimit,
    /// A major decision is issued only after a passing legal review.
    MajorDecisionReviewed,
    /// The legal-review package is complete.
    ReviewPackageComplete,
    /// The review opinion covers the seven points and states a valid outcome.
    ReviewChecklist,
    /// Every record sealed and intact, every media file present.
    ArchiveReady,
}

impl Gate {
    /// All gates.
    pub const ALL: [Gate; 9] = [
        Gate::OfficersPresent,
        Gate::Signatures,
        Gate::RightsNotified,
        Gate::AvRecorded,
        Gate::SimpleProcedureLimit,
        Gate::MajorDecisionReviewed,
        Gate::ReviewPackageComplete,
        Gate::ReviewChecklist,
        Gate::ArchiveReady,
    ];

    /// The articles the gate enforces.
    pub fn article(self) -> &'static str {
        match self {
            Gate::OfficersPresent => "执法全过程记录制度 第十条; 行政处罚法 第四十二条、第五十五条",
            Gate::Signatures => "执法全过程记录制度 第十二条",
            Gate::RightsNotified => "执法全过程记录制度 第十一条; 行政处罚法 第四十四条",
            Gate::AvRecorded => "执法全过程记录制度 第十三条",
            Gate::SimpleProcedureLimit => "执法全过程记录制度 第七条; 行政处罚法 第五十一条",
            Gate::MajorDecisionReviewed => "重大执法决定法制审核制度 第四条、第十一条、第十二条",
            Gate::ReviewPackageComplete => "重大执法决定法制审核制度 第五条、第六条、第七条",
            Gate::ReviewChecklist => "重大执法决定法制审核制度 第八条、第十一条",
            Gate::ArchiveReady => "执法全过程记录制度 第二十二条",
        }
    }

    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Gate::OfficersPresent => "两名以上执法人员在场并出示证件",
            Gate::Signatures => "文书签字",
            Gate::RightsNotified => "权利告知",
            Gate::AvRecorded => "音像记录",
            Gate::SimpleProcedureLimit => "简易程序适用范围",
            Gate::MajorDecisionReviewed => "重大执法决定法制审核",
            Gate::ReviewPackageComplete => "法制审核送审材料",
            Gate::ReviewChecklist => "法制审核内容与意见",
            Gate::ArchiveReady => "归档条件",
        }
    }
}

/// One unmet condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmet {
    /// The gate.
    pub gate: Gate,
    /// The article it enforces.
    pub article: &'static str,
    /// What is missing, in Chinese.
    pub message: String,
}

impl Unmet {
    pub(super) fn new(gate: Gate, message: impl Into<String>) -> Unmet {
        Unmet {
            gate,
            article: gate.article(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Unmet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.article)
    }
}

/// What a gate looks at: the case, the profile and, for archiving, the media
/// files actually present (the caller's blob store; core does no I/O).
#[derive(Debug, Clone, Copy)]
pub struct GateInput<'a> {
    /// The case as read from its document.
    pub case: &'a Case,
    /// Provincial configuration.
    pub profile: &'a RuleProfile,
    /// SHA-256 of media files present locally; `None` when unknown.
    pub present_media: Option<&'a BTreeSet<String>>,
}

/// 行政处罚法 art.42/55, (二) 第十条: the case has enough qualified officers and
/// every record made with the party lists ≥ 2 of them, with credentials shown.
pub(super) fn officers_present(input: &GateInput<'_>) -> Vec<Unmet> {
    let case = input.case;
    let min = input.profile.min_officers;
    let mut out = Vec::new();
    let qualified = |id: &str| {
        case.officer(id)
            .map(|o| {
                o.status == crate::case::OfficerStatus::Active && !o.credential_no.trim().is_empty()
            })
            .unwrap_or(false)
    };
    let assigned = case.officers.iter().filter(|o| qualified(&o.id)).count();
    if assigned < min {
        out.push(Unmet::new(
            Gate::OfficersPresent,
            format!("案件仅指派了 {assigned} 名持有效执法证件的执法人员, 至少需要 {min} 名"),
        ));
    }
    for r in current(case) {
        let Some(tpl) = template_of(r) else { continue };
        if !tpl.officers_present {
            continue;
        }
        let present: BTreeSet<&str> = list(r, "officers_present")
            .iter()
            .map(String::as_str)
            .collect();
        for id in &present {
            match case.officer(id) {
                None => out.push(Unmet::new(
                    Gate::OfficersPresent,
                    format!("{}: 在场人员 {id} 不是本案指派的执法人员", name_of(r)),
                )),
                Some(o) if !qualified(id) => out.push(Unmet::new(
                    Gate::OfficersPresent,
                    format!("{}: 执法人员 {} 的执法证件无效或已暂停", name_of(r), o.name),
                )),
                Some(_) => {}
            }
        }
        let ok = present.iter().filter(|id| qualified(id)).count();
        if ok < min {
            out.push(Unmet::new(
                Gate::OfficersPresent,
                format!(
                    "{}: 在场的合格执法人员 {ok} 名, 不得少于 {min} 名",
                    name_of(r)
                ),
            ));
        }
        // 亮证 events on the case count unless the record says 否.
        let shown = match flag(r, super::credentials::CREDENTIALS_FIELD) {
            Some(b) => b,
            None => super::credentials::covered_by_events(case, r, min),
        };
        if !shown {
            let by_events = super::credentials::shown_officers(case);
            let not_yet: Vec<&str> = case
                .officers
                .iter()
                .filter(|o| present.contains(o.id.as_str()) && !by_events.contains(&o.id))
                .map(|o| o.name.as_str())
                .collect();
            let hint = if not_yet.is_empty() {
                String::new()
            } else {
                format!(" (尚未亮证: {})", not_yet.join("、"))
            };
            out.push(Unmet::new(
                Gate::OfficersPresent,
                format!("{}: 未记录出示执法证件{hint}", name_of(r)),
            ));
        }
    }
    out
}

/// The signatures a record still lacks, in Chinese ((二) 第十二条): for each
/// signer rule, how many distinct signers are missing; a witnessed refusal
/// satisfies a refusable rule. Unsealed records cannot be signed yet.
pub fn missing_signatures(record: &Record, template: &Template) -> Vec<String> {
    let mut out = Vec::new();
    let Some(seal) = &record.seal else {
        let need: Vec<String> = template
            .signers
            .iter()
            .filter(|s| s.min > 0)
            .map(|s| format!("{} {} 人", s.role.label(), s.min))
            .collect();
        if !need.is_empty() {
            out.push(format!("文书尚未封存, 封存后需签字: {}", need.join("、")));
        }
        return out;
    };
    for rule in &template.signers {
        let signers: BTreeSet<&str> = seal
            .signatures
            .iter()
            .filter(|s| s.role == rule.role)
            .map(|s| s.signer_id.as_str())
            .collect();
        let have = signers.len() as u32;
        if have >= rule.min {
            continue;
        }
        let refused = rule.refusable && seal.refusals.iter().any(|r| r.role == rule.role);
        if refused {
            continue;
        }
        out.push(format!(
            "缺少{}签字 {} 人 (需 {} 人, 已有 {} 人)",
            rule.role.label(),
            rule.min - have,
            rule.min,
            have
        ));
    }
    out
}

pub(super) fn signatures(input: &GateInput<'_>) -> Vec<Unmet> {
    let mut out = Vec::new();
    for r in current(input.case) {
        let Some(tpl) = template_of(r) else { continue };
        for m in missing_signatures(r, tpl) {
            out.push(Unmet::new(Gate::Signatures, format!("{}: {m}", name_of(r))));
        }
    }
    out
}

fn party_signed_or_refused(r: &Record) -> bool {
    r.seal
        .as_ref()
        .map(|s| {
            s.signatures.iter().any(|e| e.role == SignerRole::Party)
                || s.refusals.iter().any(|e| e.role == SignerRole::Party)
        })
        .unwrap_or(false)
}

/// (二) 第十一条, 行政处罚法 art.44: before a penalty decision the party was told
/// the facts, reasons, basis and their rights (陈述、申辩、听证), and this is
/// recorded: a sealed 权利告知书 acknowledged by the party (or a witnessed
/// refusal); in 简易程序 at least the notification event.
pub(super) fn rights_notified(input: &GateInput<'_>) -> Vec<Unmet> {
    let out = rights_notice_recorded(input);
    if !out.is_empty() || input.case.header.kind != CaseKind::Penalty {
        return out;
    }
    rights_notified_before_decision(input.case)
}

/// (二) 第十一条, 行政处罚法 art.44: the notification precedes the decision.
/// The earliest recorded notification (a sealed notice's 告知时间, or in
/// 简易程序 the notification event) must not be later than any decision.
fn rights_notified_before_decision(case: &Case) -> Vec<Unmet> {
    let mut times: Vec<When> = case
        .current_records("rights_notice")
        .filter(|r| r.seal.is_some())
        .filter_map(|r| when(r, "notified_at"))
        .collect();
    if case.header.procedure == Some(Procedure::Simple) {
        times.extend(
            case.events
                .iter()
                .filter(|e| e.kind == crate::case::EventKind::RightsNotified)
                .filter_map(|e| When::parse(&e.at)),
        );
    }
    let Some(first) = times
        .into_iter()
        .reduce(|a, b| if b.not_after(a) { b } else { a })
    else {
        return Vec::new();
    };
    decisions(case)
        .into_iter()
        .filter(|(_, made)| !first.not_after(*made))
        .map(|(d, made)| {
            Unmet::new(
                Gate::RightsNotified,
                format!(
                    "{}: 作出决定时间 {} 早于权利告知时间 {}, 须先告知陈述、申辩等权利再作出决定 ((二) 第十一条)",
                    name_of(d),
                    made.show(),
                    first.show()
                ),
            )
        })
        .collect()
}

/// Whether the notification itself is recorded (see [`rights_notified`]).
fn rights_notice_recorded(input: &GateInput<'_>) -> Vec<Unmet> {
    let case = input.case;
    if case.header.kind != CaseKind::Penalty {
        return Vec::new();
    }
    let simple = case.header.procedure == Some(Procedure::Simple);
    let notices: Vec<&Record> = case.current_records("rights_notice").collect();
    if simple
        && (case
            .events
            .iter()
            .any(|e| e.kind == crate::case::EventKind::RightsNotified)
            || notices.iter().any(|r| r.seal.is_some()))
    {
        return Vec::new();
    }
    if notices.is_empty() {
        return vec![Unmet::new(
            Gate::RightsNotified,
            "尚未制作《权利告知书》, 不得作出处罚决定",
        )];
    }
    let mut out = Vec::new();
    let good = notices.iter().any(|r| {
        r.seal.is_some()
            && party_signed_or_refused(r)
            && ["陈述", "申辩"]
                .iter()
                .all(|x| list(r, "rights").iter().any(|v| v == x))
    });
    if !good {
        for r in notices {
            if r.seal.is_none() {
                out.push(Unmet::new(
                    Gate::RightsNotified,
                    format!("{}: 尚未封存", name_of(r)),
                ));
            } else if !party_signed_or_refused(r) {
                out.push(Unmet::new(
                    Gate::RightsNotified,
                    format!("{}: 当事人未签收, 也无见证的拒签记录", name_of(r)),
                ));
            }
            for x in ["陈述", "申辩"] {
                if !list(r, "rights").iter().any(|v| v == x) {
                    out.push(Unmet::new(
                        Gate::RightsNotified,
                        format!("{}: 未告知{x}权利", name_of(r)),
                    ));
                }
            }
        }
    }
    out
}

/// (二) 第十三条: records of on-site inspections and hearings carry audio/video.
pub(super) fn av_recorded(input: &GateInput<'_>) -> Vec<Unmet> {
    let case = input.case;
    let mut out = Vec::new();
    for r in current(case) {
        let Some(tpl) = template_of(r) else { continue };
        if !tpl.av_required {
            continue;
        }
        let has_av = r
            .media
            .iter()
            .any(|h| case.media.get(h).map(|m| m.is_av()).unwrap_or(false));
        if !has_av {
            out.push(Unmet::new(
                Gate::AvRecorded,
                format!("{}: 须附录音或录像", name_of(r)),
            ));
        }
    }
    out
}

/// The fine of the case: the simple decision's field, else the header's.
pub(super) fn fine_fen(case: &Case) -> Option<i64> {
    case.current_records("simple_penalty_decision")
        .chain(case.current_records("penalty_decision"))
        .find_map(|r| r.fields.get("fine_fen").and_then(FieldValue::as_int))
        .or(case.header.fine_fen)
}

pub(super) fn yuan(fen: i64) -> String {
    if fen % 100 == 0 {
        format!("{} 元", fen / 100)
    } else {
        format!("{}.{:02} 元", fen / 100, fen % 100)
    }
}

/// 行政处罚法 art.51, (二) 第七条: 简易程序 only for a warning or a fine up to
/// 200 元 (natural person) / 3000 元 (legal person, other organisation).
pub(super) fn simple_procedure_limit(input: &GateInput<'_>) -> Vec<Unmet> {
    let case = input.case;
    let p = input.profile;
    if case.header.kind != CaseKind::Penalty || case.header.procedure != Some(Procedure::Simple) {
        return Vec::new();
    }
    if case.parties.is_empty() {
        return vec![Unmet::new(
            Gate::SimpleProcedureLimit,
            "未登记当事人, 无法判断简易程序适用范围",
        )];
    }
    let Some(fine) = fine_fen(case) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for party in &case.parties {
        let (limit, who) = match party.kind {
            PartyKind::NaturalPerson => (p.simple_max_fine_person_fen, "公民"),
            PartyKind::LegalPerson | PartyKind::OtherOrganisation => {
                (p.simple_max_fine_org_fen, "法人或者其他组织")
            }
        };
        if fine > limit {
            out.push(Unmet::new(
                Gate::SimpleProcedureLimit,
                format!(
                    "对{who}罚款 {} 超过简易程序上限 {}, 应适用一般程序",
                    yuan(fine),
                    yuan(limit)
                ),
            ));
        }
    }
    out
}

/// Why a decision is major ((三) 第四条), or `None`.
pub fn major_reasons(case: &Case, profile: &RuleProfile) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(fine) = fine_fen(case) {
        let org = case
            .parties
            .iter()
            .any(|p| p.kind != PartyKind::NaturalPerson);
        let threshold = if org {
            profile.major_fine_org_fen
        } else {
            profile.major_fine_person_fen
        };
        if fine >= threshold {
            out.push(format!(
                "较大数额罚款: {} (标准 {})",
                yuan(fine),
                yuan(threshold)
            ));
        }
    }
    for m in &case.header.measures {
        if profile.major_measures.iter().any(|x| x == m) {
            out.push(m.clone());
        }
    }
    out
}

/// True when the sealed record carries a signature in `role`.
pub(super) fn signed_as(r: &Record, role: SignerRole) -> bool {
    r.seal
        .as_ref()
        .map(|s| s.signatures.iter().any(|e| e.role == role))
        .unwrap_or(false)
}

/// A point in time from a date (`YYYY-MM-DD`) or date-time (RFC 3339) field.
#[derive(Debug, Clone, Copy)]
pub(super) enum When {
    Day(NaiveDate),
    At(DateTime<FixedOffset>),
}

impl When {
    pub(super) fn parse(s: &str) -> Option<When> {
        let s = s.trim();
        DateTime::parse_from_rfc3339(s)
            .map(When::At)
            .ok()
            .or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(When::Day))
    }

    pub(super) fn day(self) -> NaiveDate {
        match self {
            When::Day(d) => d,
            // The local calendar day where it happened (offset kept by RFC 3339).
            When::At(t) => t.date_naive(),
        }
    }

    /// `self` is not later than `other`. A date against anything compares by
    /// day (same day accepted: a date cannot order two acts of one day).
    pub(super) fn not_after(self, other: When) -> bool {
        match (self, other) {
            (When::At(a), When::At(b)) => a <= b,
            _ => self.day() <= other.day(),
        }
    }

    pub(super) fn show(self) -> String {
        match self {
            When::Day(d) => d.format("%Y-%m-%d").to_string(),
            When::At(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        }
    }
}

pub(super) fn when(r: &Record, key: &str) -> Option<When> {
    text(r, key).and_then(When::parse)
}

/// The current penalty decisions with the time they were made
/// (决定书 `decided_on`, 当场决定书 `decided_at`).
pub(super) fn decisions(case: &Case) -> Vec<(&Record, When)> {
    case.current_records("penalty_decision")
        .filter_map(|r| when(r, "decided_on").map(|w| (r, w)))
        .chain(
            case.current_records("simple_penalty_decision")
                .filter_map(|r| when(r, "decided_at").map(|w| (r, w))),
        )
        .collect()
}

/// (二) 第二十二条: archiving needs every current record sealed and intact,
/// every signature's strokes and every attached file present.
pub(super) fn archive_ready(input: &GateInput<'_>) -> Vec<Unmet> {
    let case = input.case;
    let mut out = Vec::new();
    let mut expected: BTreeSet<&str> = case.media.keys().map(String::as_str).collect();
    for r in current(case) {
        match &r.seal {
            None => out.push(Unmet::new(
                Gate::ArchiveReady,
                format!("{}: 尚未封存", name_of(r)),
            )),
            Some(seal) => {
                if !seal.verify(&r.content()).is_empty() {
                    out.push(Unmet::new(
                        Gate::ArchiveReady,
                        format!("{}: 封存校验未通过", name_of(r)),
                    ));
                }
                for s in &seal.signatures {
                    if let Some(h) = &s.strokes {
                        expected.insert(h.as_str());
                    }
                }
            }
        }
        for h in &r.media {
            expected.insert(h.as_str());
        }
    }
    match input.present_media {
        None => out.push(Unmet::new(
            Gate::ArchiveReady,
            "未核对音像和附件文件是否齐全",
        )),
        Some(present) => {
            let missing: Vec<&str> = expected
                .iter()
                .copied()
                .filter(|h| !present.contains(*h))
                .collect();
            if !missing.is_empty() {
                // Cut by characters: a peer may have written a non-ASCII key.
                let short: Vec<String> = missing
                    .iter()
                    .map(|h| h.chars().take(12).collect())
                    .collect();
                out.push(Unmet::new(
                    Gate::ArchiveReady,
                    format!(
                        "缺少 {} 个音像或附件文件: {}",
                        missing.len(),
                        short.join("、")
                    ),
                ));
            }
        }
    }
    out
}
