//! The legal-review gates of (三) 重大执法决定法制审核: the package, the
//! seven-point opinion, and the decision only after a passing review or a
//! rectification the leader approved.

use crate::case::CaseKind;
use crate::doc::Case;
use crate::record::Record;
use crate::template::SignerRole;

use super::gates::{decisions, major_reasons, signed_as, when, Gate, GateInput, Unmet};
use super::profile::RuleProfile;
use super::read::{flag, list, name_of, template_of, text};

/// (三) 第十一条: a passing opinion is sealed, says 同意, is signed by the
/// legal reviewer and approved (signed) by the leader in charge of legal
/// affairs (分管负责人).
fn passing_opinion<'c>(case: &'c Case, profile: &RuleProfile) -> Option<&'c Record> {
    case.current_records("review_opinion").find(|r| {
        r.seal.is_some()
            && text(r, "outcome") == Some(profile.review_pass_outcome.as_str())
            && signed_as(r, SignerRole::Reviewer)
            && signed_as(r, SignerRole::Leader)
    })
}

/// The template of the unit's written rectification after a review opinion.
pub const RECTIFICATION_TEMPLATE: &str = "review_rectification";
const RECTIFICATION_NAME: &str = "法制审核整改情况报告";

/// (三) 第十一条: an opinion asking for a correction (not 同意, not one that
/// forbids the decision), sealed, signed by the reviewer and approved by the
/// leader, followed by the unit's written rectification report, sealed and
/// approved (signed) by the leader. Returns the opinion and the report.
fn rectified_opinion<'c>(
    case: &'c Case,
    profile: &RuleProfile,
) -> Option<(&'c Record, &'c Record)> {
    let opinion = case.current_records("review_opinion").find(|r| {
        r.seal.is_some()
            && text(r, "outcome").is_some_and(|o| {
                o != profile.review_pass_outcome
                    && !profile.review_stop_outcomes.iter().any(|x| x == o)
            })
            && signed_as(r, SignerRole::Reviewer)
            && signed_as(r, SignerRole::Leader)
    })?;
    let report = case
        .current_records(RECTIFICATION_TEMPLATE)
        .find(|r| r.seal.is_some() && signed_as(r, SignerRole::Leader))?;
    Some((opinion, report))
}

/// (三) 第四条、第十一条、第十二条: a major decision is not issued before the
/// legal review passed (a sealed opinion of 同意 signed by the reviewer and
/// approved by the leader in charge), and is not dated before the review was
/// completed.
pub(super) fn major_decision_reviewed(input: &GateInput<'_>) -> Vec<Unmet> {
    let case = input.case;
    let reasons = major_reasons(case, input.profile);
    if reasons.is_empty() {
        return Vec::new();
    }
    let basis = match (
        passing_opinion(case, input.profile),
        rectified_opinion(case, input.profile),
    ) {
        (Some(o), _) => Some((o, when(o, "completed_on"), "法制审核完成日期")),
        (None, Some((_, report))) => Some((report, when(report, "reported_on"), "整改报告日期")),
        (None, None) => None,
    };
    if let Some((basis, done, what)) = basis {
        let Some(done) = done else {
            return Vec::new();
        };
        return decisions(case)
            .into_iter()
            .filter(|(_, made)| !done.not_after(*made))
            .map(|(d, made)| {
                Unmet::new(
                    Gate::MajorDecisionReviewed,
                    format!(
                        "{}: 作出决定日期 {} 早于{what} {} ({}), 重大执法决定须先经法制审核 ((三) 第十二条)",
                        name_of(d),
                        made.show(),
                        done.show(),
                        name_of(basis)
                    ),
                )
            })
            .collect();
    }
    let why = reasons.join("; ");
    let opinions: Vec<&Record> = case.current_records("review_opinion").collect();
    if opinions.is_empty() {
        return vec![Unmet::new(
            Gate::MajorDecisionReviewed,
            format!("属于重大执法决定 ({why}), 未经法制审核不得作出决定"),
        )];
    }
    opinions
        .iter()
        .map(|r| {
            let msg = match (r.seal.is_some(), text(r, "outcome")) {
                (false, _) => format!("{}: 审核意见尚未封存", name_of(r)),
                (true, Some(o)) if input.profile.review_stop_outcomes.iter().any(|x| x == o) => {
                    format!("{}: 法制审核意见为「{o}」, 不得作出该决定", name_of(r))
                }
                _ if !signed_as(r, SignerRole::Reviewer) => {
                    format!("{}: 审核意见缺少法制审核人员签字", name_of(r))
                }
                _ if !signed_as(r, SignerRole::Leader) => format!(
                    "{}: 审核意见未经分管负责人审批签字 ((三) 第十一条)",
                    name_of(r)
                ),
                (true, Some(o)) if o != input.profile.review_pass_outcome => format!(
                    "{}: 法制审核意见为「{o}」, 须由承办科室按意见整改并书面报告 (《{RECTIFICATION_NAME}》封存), 经负责人审批签字后方可作出决定 ((三) 第十一条)",
                    name_of(r)
                ),
                _ => format!("{}: 审核意见尚未生效", name_of(r)),
            };
            Unmet::new(
                Gate::MajorDecisionReviewed,
                format!("属于重大执法决定 ({why}); {msg}"),
            )
        })
        .collect()
}

/// (三) 第五条、第六条、第七条: the application, agreed by the unit head,
/// lists the required materials, explains the seven points, and the case holds
/// the draft decision and the investigation report.
pub(super) fn review_package_complete(input: &GateInput<'_>) -> Vec<Unmet> {
    let case = input.case;
    let p = input.profile;
    let mut out = Vec::new();
    let apps: Vec<&Record> = case.current_records("review_application").collect();
    let Some(app) = apps.iter().find(|r| r.seal.is_some()).or(apps.first()) else {
        return vec![Unmet::new(
            Gate::ReviewPackageComplete,
            "尚未填写《重大执法决定法制审核申报表》",
        )];
    };
    if app.seal.is_none() {
        out.push(Unmet::new(
            Gate::ReviewPackageComplete,
            format!("{}: 尚未封存", name_of(app)),
        ));
    }
    if flag(app, "unit_head_agreed") != Some(true) {
        out.push(Unmet::new(
            Gate::ReviewPackageComplete,
            format!("{}: 须经承办科室负责人同意后送审", name_of(app)),
        ));
    }
    let listed = list(app, "materials");
    for m in &p.review_materials {
        if !listed.iter().any(|x| x == m) {
            out.push(Unmet::new(
                Gate::ReviewPackageComplete,
                format!("{}: 缺少送审材料「{m}」", name_of(app)),
            ));
        }
    }
    for (key, label) in [
        ("recommendation", "处理建议"),
        ("facts", "案件事实"),
        ("laws", "适用的法律依据"),
        ("discretion", "自由裁量基准适用情况"),
        ("officer_qualifications", "执法人员资格情况"),
        ("investigation_and_hearing", "调查取证、听证情况"),
    ] {
        if text(app, key).is_none() {
            out.push(Unmet::new(
                Gate::ReviewPackageComplete,
                format!("{}: 情况说明缺少「{label}」", name_of(app)),
            ));
        }
    }
    if case.current_records("penalty_decision").next().is_none()
        && case.header.kind == CaseKind::Penalty
    {
        out.push(Unmet::new(
            Gate::ReviewPackageComplete,
            "案件中没有行政处罚决定书代拟稿",
        ));
    }
    if case
        .current_records("investigation_report")
        .next()
        .is_none()
    {
        out.push(Unmet::new(
            Gate::ReviewPackageComplete,
            "案件中没有调查终结报告",
        ));
    }
    out
}

/// The seven review points of (三) 第八条, by field key.
pub const REVIEW_CHECKS: [&str; 7] = [
    "check_subject",
    "check_facts",
    "check_law",
    "check_procedure",
    "check_discretion",
    "check_documents",
    "check_other",
];

/// (三) 第八条、第十一条: the opinion answers all seven points; its outcome is
/// one of the six kinds (or 同意); 同意 only when every point passed; any
/// other outcome carries a written opinion.
pub(super) fn review_checklist(input: &GateInput<'_>) -> Vec<Unmet> {
    let case = input.case;
    let mut out = Vec::new();
    let opinions: Vec<&Record> = case.current_records("review_opinion").collect();
    if opinions.is_empty() {
        return vec![Unmet::new(Gate::ReviewChecklist, "尚无《法制审核意见书》")];
    }
    for r in opinions {
        let Some(tpl) = template_of(r) else { continue };
        let mut failed = Vec::new();
        for key in REVIEW_CHECKS {
            let label = tpl.field(key).map(|f| f.label.as_str()).unwrap_or(key);
            match flag(r, key) {
                None => out.push(Unmet::new(
                    Gate::ReviewChecklist,
                    format!("{}: 未审核「{label}」", name_of(r)),
                )),
                Some(false) => failed.push(label),
                Some(true) => {}
            }
        }
        let options = tpl
            .field("outcome")
            .ok()
            .map(|f| f.options.clone())
            .unwrap_or_default();
        match text(r, "outcome") {
            None => out.push(Unmet::new(
                Gate::ReviewChecklist,
                format!("{}: 未选择审核意见", name_of(r)),
            )),
            Some(o) if !options.iter().any(|x| x == o) => out.push(Unmet::new(
                Gate::ReviewChecklist,
                format!("{}: 审核意见「{o}」不是规定的意见类型", name_of(r)),
            )),
            Some(o) if o == input.profile.review_pass_outcome && !failed.is_empty() => {
                out.push(Unmet::new(
                    Gate::ReviewChecklist,
                    format!(
                        "{}: 以下审核项未通过, 不能出具同意意见: {}",
                        name_of(r),
                        failed.join("、")
                    ),
                ))
            }
            Some(_) => {}
        }
        if text(r, "opinion").is_none() {
            out.push(Unmet::new(
                Gate::ReviewChecklist,
                format!("{}: 缺少书面审核意见", name_of(r)),
            ));
        }
    }
    out
}
