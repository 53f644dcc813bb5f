//! The case page's view model: everything the template shows, in words
//! (labels, names, masked personal data), read from the case document.

use std::collections::{BTreeSet, HashMap};

use zhifa_core::case::{CaseKind, PartyKind, Stage};
use zhifa_core::deadlines::DeadlineEngine;
use zhifa_core::doc::{Case, ConflictResolution, SealConflict};
use zhifa_core::mask;
use zhifa_core::record::Record;
use zhifa_core::rules::{self, GateInput, RuleProfile};
use zhifa_core::template::{SignerRole, TemplateRegistry};

use super::labels;
use crate::store::{Account, MediaAccess, ReceiptRow};

/// One stage in the stage bar.
pub struct StageView {
    /// Chinese name.
    pub label: &'static str,
    /// `done`, `current` or `todo`.
    pub state: &'static str,
}

/// A party, personal data masked.
pub struct PartyView {
    /// Name.
    pub name: String,
    /// 自然人 / 法人 / 其他组织.
    pub kind: &'static str,
    /// Identity number, masked.
    pub id_number: String,
    /// Representative, if any.
    pub representative: String,
    /// Address (masked for natural persons).
    pub address: String,
    /// Phone, masked.
    pub phone: String,
}

/// An assigned officer.
pub struct OfficerView {
    /// Name.
    pub name: String,
    /// Post.
    pub post: String,
    /// 执法证号.
    pub credential_no: String,
    /// 有效 / 已暂停.
    pub status: &'static str,
    /// Whether the status is suspended (shown as a warning).
    pub suspended: bool,
    /// When a credential was shown on this case (亮证), if it was.
    pub shown_at: String,
}

/// One field of a record, by its template label.
pub struct FieldView {
    /// Label.
    pub label: String,
    /// Display value (sensitive values masked).
    pub value: String,
}

/// A signature or refusal on a sealed record.
pub struct SignatureView {
    /// As what.
    pub role: &'static str,
    /// Who.
    pub name: String,
    /// When.
    pub at: String,
    /// Refusal note (with witness), empty for a signature.
    pub refusal: String,
    /// SHA-256 of the signature as drawn (PNG), when the server holds it.
    pub image: String,
}

/// A media file.
pub struct MediaView {
    /// SHA-256.
    pub sha256: String,
    /// The first 12 characters of the hash.
    pub short: String,
    /// `image`, `video`, `audio` or `other`.
    pub class: &'static str,
    /// MIME type.
    pub mime: String,
    /// Size, readable.
    pub size: String,
    /// Capture time.
    pub captured_at: String,
    /// Capturing officer's name.
    pub officer: String,
    /// Whether the server holds the file (verified on upload).
    pub present: bool,
}

/// A record with its template labels.
pub struct RecordView {
    /// Record id (for forms).
    pub id: String,
    /// Template name.
    pub name: String,
    /// Revision.
    pub revision: u32,
    /// Sealed.
    pub sealed: bool,
    /// Superseded by an amendment.
    pub superseded: bool,
    /// Seal problems (digest, signatures), empty when intact.
    pub seal_problems: Vec<String>,
    /// Seal digest (first 16).
    pub digest: String,
    /// Filled fields.
    pub fields: Vec<FieldView>,
    /// Labels of required fields still empty.
    pub missing_fields: Vec<String>,
    /// Signatures still missing.
    pub missing_signatures: Vec<String>,
    /// Signatures and refusals.
    pub signatures: Vec<SignatureView>,
    /// Attached media.
    pub media: Vec<MediaView>,
    /// Office roles this user may sign in and that the record still needs.
    pub sign_as: Vec<(String, &'static str)>,
}

/// One open statutory obligation.
pub struct ObligationView {
    /// Title.
    pub title: String,
    /// Due date (暂定 when provisional).
    pub due: String,
    /// Article.
    pub citation: String,
    /// 即将到期 / 逾期 / …
    pub state: &'static str,
    /// `overdue`, `soon` or `ok` (styling).
    pub class: &'static str,
}

/// One history line in words.
pub struct EventView {
    /// When.
    pub at: String,
    /// Who (name).
    pub actor: String,
    /// What (label).
    pub what: &'static str,
    /// Detail (record name or text).
    pub detail: String,
}

/// A receipt the server signed.
pub struct ReceiptView {
    /// Server time.
    pub at: String,
    /// Device (name of its account's owner).
    pub device: String,
    /// Heads, shortened.
    pub heads: String,
}

/// A media access log line.
pub struct AccessView {
    /// When.
    pub at: String,
    /// Who.
    pub who: String,
    /// 查看 / 下载.
    pub action: &'static str,
    /// File hash, shortened.
    pub file: String,
}

/// The whole case page.
pub struct CaseView {
    /// Case id.
    pub id: String,
    /// Title.
    pub title: String,
    /// e.g. `行政处罚 · 一般程序`.
    pub kind: String,
    /// Source and reference.
    pub source: String,
    /// Stage label.
    pub stage: &'static str,
    /// Handling unit name.
    pub unit: String,
    /// Created at, by.
    pub created: String,
    /// Fine, yuan, if any.
    pub fine: String,
    /// Reasons this is a major decision ((三) 第四条), if any.
    pub major: Vec<String>,
    /// Stage bar.
    pub stages: Vec<StageView>,
    /// Parties.
    pub parties: Vec<PartyView>,
    /// Officers.
    pub officers: Vec<OfficerView>,
    /// Records.
    pub records: Vec<RecordView>,
    /// Seal conflicts.
    pub conflicts: Vec<String>,
    /// Seal conflicts resolved on a device: by whom, when, how.
    pub resolved_conflicts: Vec<String>,
    /// What blocks the next stage (with articles).
    pub blocking: Vec<String>,
    /// The next stage's name, if any.
    pub next_stage: String,
    /// Open obligations.
    pub obligations: Vec<ObligationView>,
    /// History, newest first.
    pub events: Vec<EventView>,
    /// Receipts, newest first.
    pub receipts: Vec<ReceiptView>,
    /// Media access log.
    pub accesses: Vec<AccessView>,
}

/// Everything the view is built from besides the case.
pub struct ViewInput<'a> {
    /// Every account, by id (names of actors and signers).
    pub accounts: &'a HashMap<String, Account>,
    /// Unit names by id.
    pub unit_names: &'a HashMap<String, String>,
    /// Device id → account id.
    pub device_owner: &'a HashMap<String, String>,
    /// Seal problems by record id.
    pub seal_problems: &'a HashMap<String, Vec<String>>,
    /// Seal conflicts.
    pub conflicts: &'a [SealConflict],
    /// Seal conflicts already resolved.
    pub resolutions: &'a [ConflictResolution],
    /// Files the server holds.
    pub present_media: &'a BTreeSet<String>,
    /// Deadline engine, if available.
    pub engine: Option<&'a DeadlineEngine>,
    /// Today (Asia/Shanghai).
    pub today: chrono::NaiveDate,
    /// Receipts.
    pub receipts: &'a [ReceiptRow],
    /// Media accesses.
    pub accesses: &'a [MediaAccess],
    /// Office roles the viewer may sign in.
    pub sign_roles: &'a [SignerRole],
}

fn name_of(input: &ViewInput<'_>, case: &Case, id: &str) -> String {
    if let Some(a) = input.accounts.get(id) {
        return a.name.clone();
    }
    if let Some(o) = case.officer(id) {
        return o.name.clone();
    }
    if let Some(p) = case.parties.iter().find(|p| p.id == id) {
        return p.name.clone();
    }
    "未知人员".into()
}

/// A resolved seal conflict in words: which record, who, when, how.
fn resolution_line(case: &Case, r: &ConflictResolution, input: &ViewInput<'_>) -> String {
    let name = record_title(case, &r.record_id);
    let mut s = format!(
        "{name}的封存冲突已由 {} 于 {} 处理: {}",
        name_of(input, case, &r.by),
        short_time(&r.at),
        r.kind.label()
    );
    if let Some(a) = &r.amendment {
        s.push_str(&format!("; 更正文书 {}", record_title(case, a)));
        if let Some(reason) = &r.reason {
            s.push_str(&format!(", 理由: {}", zhifa_core::mask::mask_text(reason)));
        }
    }
    s.push_str(&format!(" ({})", zhifa_core::doc::RESOLUTION_ARTICLE));
    s
}

/// A record as `《现场检查笔录》(第 2 版)`, or `一份文书` when unknown.
fn record_title(case: &Case, id: &str) -> String {
    case.record(id)
        .and_then(|r| {
            TemplateRegistry::builtin()
                .get(&r.template, r.template_version)
                .ok()
                .map(|t| format!("《{}》(第 {} 版)", t.name, r.revision))
        })
        .unwrap_or_else(|| "一份文书".into())
}

/// A time as `2026-12-04 10:30` (Asia/Shanghai), or as given when unparsable.
pub fn short_time(at: &str) -> String {
    match (
        chrono::DateTime::parse_from_rfc3339(at),
        chrono::FixedOffset::east_opt(8 * 3600),
    ) {
        (Ok(t), Some(cn)) => t.with_timezone(&cn).format("%Y-%m-%d %H:%M").to_string(),
        _ => at.chars().take(16).collect(),
    }
}

fn size_text(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MB", n as f64 / (1u64 << 20) as f64)
    } else {
        format!("{:.0} KB", (n as f64 / 1024.0).max(1.0))
    }
}

fn record_view(case: &Case, r: &Record, input: &ViewInput<'_>) -> RecordView {
    let tpl = TemplateRegistry::builtin()
        .get(&r.template, r.template_version)
        .ok();
    let fields = match tpl {
        Some(t) => t
            .fields
            .iter()
            .filter_map(|d| {
                let v = r.fields.get(&d.key)?;
                let value = match (d.ty, v.as_text()) {
                    // Officers present are recorded by account: show their names.
                    (zhifa_core::template::FieldType::List, _) => v
                        .as_list()
                        .map(|items| {
                            items
                                .iter()
                                .map(|i| {
                                    case.officer(i)
                                        .map_or_else(|| i.clone(), |o| o.name.clone())
                                })
                                .collect::<Vec<_>>()
                                .join("、")
                        })
                        .unwrap_or_else(|| v.display_for(d)),
                    (zhifa_core::template::FieldType::DateTime, Some(t)) => short_time(t),
                    (zhifa_core::template::FieldType::Money, _) => v
                        .as_int()
                        .map(|f| format!("{}.{:02} 元", f / 100, f % 100))
                        .unwrap_or_else(|| v.display_for(d)),
                    _ => v.display_for(d),
                };
                Some(FieldView {
                    label: d.label.clone(),
                    value,
                })
            })
            .collect(),
        None => Vec::new(),
    };
    let missing_signatures = tpl
        .map(|t| rules::missing_signatures(r, t))
        .unwrap_or_default();
    let mut signatures = Vec::new();
    if let Some(seal) = &r.seal {
        for s in &seal.signatures {
            signatures.push(SignatureView {
                role: s.role.label(),
                name: s.signer_name.clone(),
                at: short_time(&s.at),
                refusal: String::new(),
                image: s
                    .strokes
                    .clone()
                    .filter(|h| input.present_media.contains(h))
                    .unwrap_or_default(),
            });
        }
        for f in &seal.refusals {
            signatures.push(SignatureView {
                role: f.role.label(),
                name: f.person_name.clone(),
                at: short_time(&f.at),
                refusal: format!("拒绝签字: {}; 见证人 {}", f.reason, f.witness_name),
                image: String::new(),
            });
        }
    }
    let needs: Vec<SignerRole> = tpl
        .map(|t| t.signers.iter().map(|s| s.role).collect())
        .unwrap_or_default();
    let signed_roles: Vec<SignerRole> = r
        .seal
        .as_ref()
        .map(|s| s.signatures.iter().map(|x| x.role).collect())
        .unwrap_or_default();
    let sign_as = if r.is_sealed() && !case.is_superseded(r) {
        input
            .sign_roles
            .iter()
            .filter(|role| needs.contains(role) && !signed_roles.contains(role))
            .map(|role| (labels::wire(role), role.label()))
            .collect()
    } else {
        Vec::new()
    };
    RecordView {
        id: r.id.clone(),
        name: tpl
            .map(|t| t.name.clone())
            .unwrap_or_else(|| r.template.clone()),
        revision: r.revision,
        sealed: r.is_sealed(),
        superseded: case.is_superseded(r),
        seal_problems: input.seal_problems.get(&r.id).cloned().unwrap_or_default(),
        digest: r
            .seal
            .as_ref()
            .map(|s| s.digest.chars().take(16).collect())
            .unwrap_or_default(),
        missing_fields: tpl
            .map(|t| {
                r.missing_required(t)
                    .iter()
                    .map(|f| f.label.clone())
                    .collect()
            })
            .unwrap_or_default(),
        missing_signatures,
        fields,
        signatures,
        media: r
            .media
            .iter()
            .filter_map(|h| case.media.get(h))
            .map(|m| media_view(case, m, input))
            .collect(),
        sign_as,
    }
}

fn media_view(case: &Case, m: &zhifa_core::media::MediaRef, input: &ViewInput<'_>) -> MediaView {
    let class = if m.mime.starts_with("image/") {
        "image"
    } else if m.mime.starts_with("video/") {
        "video"
    } else if m.mime.starts_with("audio/") {
        "audio"
    } else {
        "other"
    };
    MediaView {
        sha256: m.sha256.clone(),
        short: m.sha256.chars().take(12).collect(),
        class,
        mime: m.mime.clone(),
        size: size_text(m.size),
        captured_at: short_time(&m.captured_at),
        officer: name_of(input, case, &m.officer),
        present: input.present_media.contains(&m.sha256),
    }
}

fn obligations(case: &Case, input: &ViewInput<'_>) -> Vec<ObligationView> {
    let Some(engine) = input.engine else {
        return Vec::new();
    };
    let clock = zhifa_core::deadlines::clock_of_case(case);
    let mut open = engine.open_obligations(&clock, input.today);
    open.sort_by_key(|o| o.due);
    open.iter()
        .map(|o| {
            use zhifa_core::deadlines::ObligationState as S;
            ObligationView {
                title: o.rule.title.clone(),
                due: format!("{}{}", o.due, if o.provisional { "（暂定）" } else { "" }),
                citation: o.rule.citation.clone(),
                state: o.state.label_zh(),
                class: match o.state {
                    S::Overdue => "overdue",
                    S::DueSoon => "soon",
                    _ => "ok",
                },
            }
        })
        .collect()
}

/// Builds the case page's view.
pub fn build(case: &Case, input: &ViewInput<'_>) -> CaseView {
    let h = &case.header;
    let profile = RuleProfile::default();
    let stage_pos = Stage::ALL.iter().position(|s| *s == h.stage).unwrap_or(0);
    let stages = Stage::ALL[..5]
        .iter()
        .enumerate()
        .map(|(i, s)| StageView {
            label: s.label(),
            state: if i < stage_pos {
                "done"
            } else if i == stage_pos {
                "current"
            } else {
                "todo"
            },
        })
        .collect();
    let shown: HashMap<&str, &str> = case
        .events
        .iter()
        .filter(|e| e.kind == zhifa_core::case::EventKind::CredentialShown)
        .map(|e| (e.actor.as_str(), e.at.as_str()))
        .collect();
    let blocking = match h.stage.next() {
        Some(next) => rules::blocking(
            &GateInput {
                case,
                profile: &profile,
                present_media: Some(input.present_media),
            },
            next,
        )
        .iter()
        .map(ToString::to_string)
        .collect(),
        None => Vec::new(),
    };
    let mut events: Vec<EventView> = case
        .events
        .iter()
        .map(|e| {
            // One wording of the history for console, devices and FFI.
            let line = zhifa_core::history::describe(case, e, &|id| {
                input.accounts.get(id).map(|a| a.name.clone())
            });
            EventView {
                at: line.at,
                actor: line.actor,
                what: line.what,
                detail: line.detail,
            }
        })
        .collect();
    events.reverse();
    let kind = match (h.kind, h.procedure) {
        (CaseKind::Penalty, Some(p)) => format!("{} · {}", h.kind.label(), p.label()),
        _ => h.kind.label().to_string(),
    };
    CaseView {
        id: h.id.clone(),
        title: h.title.clone(),
        kind,
        source: match &h.source_ref {
            Some(r) if !r.is_empty() => format!("{} ({r})", h.source.label()),
            _ => h.source.label().to_string(),
        },
        stage: h.stage.label(),
        unit: input
            .unit_names
            .get(&h.unit)
            .cloned()
            .unwrap_or_else(|| h.unit.clone()),
        created: format!(
            "{} {}",
            short_time(&h.created_at),
            name_of(input, case, &h.created_by)
        ),
        fine: h
            .fine_fen
            .map(|f| format!("{}.{:02} 元", f / 100, f % 100))
            .unwrap_or_default(),
        major: rules::major_reasons(case, &profile),
        stages,
        parties: case
            .parties
            .iter()
            .map(|p| {
                let natural = p.kind == PartyKind::NaturalPerson;
                PartyView {
                    name: p.name.clone(),
                    kind: p.kind.label(),
                    id_number: p.display_id_number(),
                    representative: p.representative.clone().unwrap_or_default(),
                    address: match &p.address {
                        Some(a) if natural => mask::mask_address(a),
                        Some(a) => a.clone(),
                        None => String::new(),
                    },
                    phone: p.phone.as_deref().map(mask::mask_phone).unwrap_or_default(),
                }
            })
            .collect(),
        officers: case
            .officers
            .iter()
            .map(|o| {
                let suspended = o.status == zhifa_core::case::OfficerStatus::Suspended
                    || input
                        .accounts
                        .get(&o.id)
                        .is_some_and(|a| a.status == zhifa_core::case::OfficerStatus::Suspended);
                OfficerView {
                    name: o.name.clone(),
                    post: o.post.clone(),
                    credential_no: o.credential_no.clone(),
                    status: if suspended { "已暂停" } else { "有效" },
                    suspended,
                    shown_at: shown
                        .get(o.id.as_str())
                        .map(|t| short_time(t))
                        .unwrap_or_default(),
                }
            })
            .collect(),
        records: case
            .records
            .iter()
            .map(|r| record_view(case, r, input))
            .collect(),
        conflicts: input
            .conflicts
            .iter()
            .map(|c| {
                let name = case
                    .record(&c.record_id)
                    .and_then(|r| {
                        TemplateRegistry::builtin()
                            .get(&r.template, r.template_version)
                            .ok()
                    })
                    .map(|t| format!("《{}》", t.name))
                    .unwrap_or_else(|| "一份文书".into());
                zhifa_core::mask::mask_text(&c.message().replacen(
                    &format!("文书 {}", c.record_id),
                    &name,
                    1,
                ))
            })
            .collect(),
        resolved_conflicts: input
            .resolutions
            .iter()
            .map(|r| resolution_line(case, r, input))
            .collect(),
        blocking,
        next_stage: h
            .stage
            .next()
            .map(|s| s.label().to_string())
            .unwrap_or_default(),
        obligations: obligations(case, input),
        events,
        receipts: input
            .receipts
            .iter()
            .take(20)
            .map(|r| ReceiptView {
                at: short_time(&r.server_time),
                device: input
                    .device_owner
                    .get(&r.device_id)
                    .map(|a| name_of(input, case, a))
                    .unwrap_or_else(|| "未知设备".into()),
                heads: r
                    .heads
                    .split(',')
                    .map(|h| h.chars().take(8).collect::<String>())
                    .collect::<Vec<_>>()
                    .join(" "),
            })
            .collect(),
        accesses: input
            .accesses
            .iter()
            .map(|a| AccessView {
                at: short_time(&a.at),
                who: name_of(input, case, &a.account_id),
                action: match a.action.as_str() {
                    "download" => "下载",
                    "party_copy" => "批准当事人复制",
                    _ => "查看",
                },
                file: a.sha256.chars().take(12).collect(),
            })
            .collect(),
    }
}
