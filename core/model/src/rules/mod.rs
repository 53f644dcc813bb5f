//! Rules as checkable gates. Each gate names the article it enforces and
//! returns the unmet conditions in Chinese; [`blocking`] says which gates stand
//! between a case and its next stage.

pub mod credentials;
mod facts;
mod gates;
mod incoming;
mod profile;
mod read;
mod review;
mod review_state;

pub use facts::{check_fact, decided_on, CaseFact};
pub use gates::{major_reasons, missing_signatures, Gate, GateInput, Unmet};
pub use incoming::{check_incoming, Incoming, IncomingRefusal};
pub use profile::RuleProfile;
pub use review::{RECTIFICATION_TEMPLATE, REVIEW_CHECKS};
pub use review_state::{review_state, OpinionState, ReviewState};

use std::collections::BTreeSet;

use crate::case::{CaseKind, Stage};
use crate::doc::{Actor, Case, CaseDoc};
use crate::error::{CoreError, Result};

/// The rights a party can be told of (权利告知, (二) 第十一条; 行政处罚法
/// art.44–45, 63–64: 陈述、申辩、听证; art.43: 回避; art.7: 复议/诉讼), by the
/// names the notification records.
pub const RIGHTS: [&str; 5] = [
    "陈述",
    "申辩",
    "申请回避",
    "听证",
    "申请行政复议或提起行政诉讼",
];

/// Checks one gate; empty means met.
pub fn check(gate: Gate, input: &GateInput<'_>) -> Vec<Unmet> {
    match gate {
        Gate::OfficersPresent => gates::officers_present(input),
        Gate::Signatures => gates::signatures(input),
        Gate::RightsNotified => gates::rights_notified(input),
        Gate::AvRecorded => gates::av_recorded(input),
        Gate::SimpleProcedureLimit => gates::simple_procedure_limit(input),
        Gate::MajorDecisionReviewed => review::major_decision_reviewed(input),
        Gate::ReviewPackageComplete => review::review_package_complete(input),
        Gate::ReviewChecklist => review::review_checklist(input),
        Gate::ArchiveReady => gates::archive_ready(input),
    }
}

/// The gates a case must pass to enter stage `to`.
///
/// - 调查取证 → 审查决定: officers present, AV where mandatory, signatures.
/// - 审查决定 → 送达执行 (the decision is issued): for penalties, rights
///   notified and the 简易程序 ceiling; for a major decision, the review package,
///   the checklist and a passing review.
/// - 送达执行 → 归档管理 and 归档: the archive conditions.
pub fn gates_for(case: &Case, to: Stage, profile: &RuleProfile) -> Vec<Gate> {
    let mut out = Vec::new();
    let penalty = case.header.kind == CaseKind::Penalty;
    match to {
        Stage::Initiation | Stage::Investigation => {}
        Stage::Decision => {
            out.extend([Gate::OfficersPresent, Gate::AvRecorded, Gate::Signatures]);
        }
        Stage::ServiceExecution => {
            out.extend([Gate::OfficersPresent, Gate::AvRecorded]);
            if penalty {
                out.extend([Gate::RightsNotified, Gate::SimpleProcedureLimit]);
            }
            if !major_reasons(case, profile).is_empty() {
                out.extend([
                    Gate::ReviewPackageComplete,
                    Gate::ReviewChecklist,
                    Gate::MajorDecisionReviewed,
                ]);
            }
        }
        Stage::Archiving | Stage::Archived => {
            out.extend([Gate::Signatures, Gate::ArchiveReady]);
        }
    }
    out
}

/// Every unmet condition that blocks moving the case to `to`; empty means the
/// move is allowed.
pub fn blocking(input: &GateInput<'_>, to: Stage) -> Vec<Unmet> {
    gates_for(input.case, to, input.profile)
        .into_iter()
        .flat_map(|g| check(g, input))
        .collect()
}

/// Moves the case in `doc` to its next stage when no gate blocks it: the one
/// way every client (phone, console) advances a case, up to 归档管理; filing
/// (已归档) is the archivist's [`file_case`]. `Ok(Err(unmet))` lists
/// what blocks the move; nothing is written then.
pub fn advance(
    doc: &mut CaseDoc,
    profile: &RuleProfile,
    present_media: Option<&BTreeSet<String>>,
    who: &Actor<'_>,
) -> Result<std::result::Result<Stage, Vec<Unmet>>> {
    let case = doc.case()?;
    let next = case
        .header
        .stage
        .next()
        .ok_or_else(|| CoreError::InvalidInput("案件已归档, 没有下一阶段".into()))?;
    if next == Stage::Archived {
        return Err(CoreError::InvalidInput(
            "案卷须由档案管理员归档 (执法全过程记录制度 第二十二条、第二十三条)".into(),
        ));
    }
    let input = GateInput {
        case: &case,
        profile,
        present_media,
    };
    let unmet = blocking(&input, next);
    if !unmet.is_empty() {
        return Ok(Err(unmet));
    }
    doc.set_stage(next, who)?;
    Ok(Ok(next))
}

/// Files the case (归档, 执法全过程记录制度 第二十二条): only from 归档管理, and
/// only when the archive gates pass (every record sealed and signed, every
/// file present); moves it to 已归档 and records the filing in the history,
/// which meets the 30-day archiving clock. `Ok(Err(unmet))` lists what
/// blocks it; nothing is written then.
pub fn file_case(
    doc: &mut CaseDoc,
    profile: &RuleProfile,
    present_media: &BTreeSet<String>,
    who: &Actor<'_>,
) -> Result<std::result::Result<(), Vec<Unmet>>> {
    let case = doc.case()?;
    match case.header.stage {
        Stage::Archiving => {}
        Stage::Archived => return Err(CoreError::InvalidInput("案件已归档".into())),
        other => {
            return Err(CoreError::InvalidInput(format!(
                "案件处于“{}”阶段, 须先进入“归档管理”阶段才能归档 (执法全过程记录制度 第二十二条)",
                other.label()
            )))
        }
    }
    let input = GateInput {
        case: &case,
        profile,
        present_media: Some(present_media),
    };
    let unmet = blocking(&input, Stage::Archived);
    if !unmet.is_empty() {
        return Ok(Err(unmet));
    }
    doc.set_stage(Stage::Archived, who)?;
    doc.log_event(
        crate::case::EventKind::Archived,
        who,
        None,
        "案卷归档 (执法全过程记录制度 第二十二条、第二十三条)",
    )?;
    Ok(Ok(()))
}
