//! The 法制审核 panel of the case page: the state read by
//! `zhifa_core::rules::review_state`, the review clock with the working days
//! left, and which forms this user may use (`zhifa_core::authority`).

use zhifa_core::authority::OfficeAction;
use zhifa_core::deadlines::profile::ids;
use zhifa_core::deadlines::DeadlineEngine;
use zhifa_core::doc::Case;
use zhifa_core::rules::{self, review_state, RuleProfile, REVIEW_CHECKS};
use zhifa_core::template::TemplateRegistry;

use crate::office::actions::permitted;
use crate::store::Account;

/// The panel.
pub struct ReviewView {
    /// Why the decision is major ((三) 第四条), empty when it is not.
    pub major: String,
    /// 申报日期, empty before submission.
    pub submitted_on: String,
    /// The clock: due date and what is left, e.g. `2026-12-15（还剩 3 个工作日）`.
    pub clock: String,
    /// `overdue`, `soon` or `ok`.
    pub clock_class: &'static str,
    /// The article of the clock.
    pub clock_article: String,
    /// 待批准 / 已批准 / empty.
    pub extension: &'static str,
    /// The opinion's outcome, empty before it is given.
    pub outcome: String,
    /// The opinion approved by the leader in charge.
    pub approved: bool,
    /// 待负责人审批 / 已审批 / empty.
    pub rectification: &'static str,
    /// The unit head may submit.
    pub can_submit: bool,
    /// The reviewer may ask for materials or an extension, and give the opinion.
    pub can_review: bool,
    /// The reviewer may ask for the extension.
    pub can_request_extension: bool,
    /// The leader may approve the pending extension.
    pub can_approve_extension: bool,
    /// The leader may approve the opinion.
    pub can_approve_opinion: bool,
    /// The unit head may report the rectification.
    pub can_rectify: bool,
    /// The reviewer may record a breach of the review system ((三) 第十三条).
    pub can_record_violation: bool,
    /// The breaches to choose from.
    pub violations: Vec<&'static str>,
    /// The seven checks: (field key, label).
    pub checks: Vec<(String, String)>,
    /// The outcomes to choose from.
    pub outcomes: Vec<String>,
}

/// The panel for `account`, or `None` when the case has nothing to review.
pub fn build(
    case: &Case,
    account: &Account,
    unit_id: &str,
    engine: Option<&DeadlineEngine>,
    today: chrono::NaiveDate,
) -> Option<ReviewView> {
    let profile = RuleProfile::default();
    let major = rules::major_reasons(case, &profile).join("; ");
    let st = review_state(case, &profile);
    if major.is_empty() && st.application.is_none() {
        return None;
    }
    let may = |a| permitted(account, a, case, unit_id);
    let (mut clock, mut clock_class, mut clock_article) = (String::new(), "ok", String::new());
    if let Some(engine) = engine {
        let obligations =
            engine.open_obligations(&zhifa_core::deadlines::clock_of_case(case), today);
        let review = obligations
            .iter()
            .find(|o| o.rule.id == ids::LEGAL_REVIEW_EXTENSION || o.rule.id == ids::LEGAL_REVIEW);
        if let Some(o) = review {
            let left = engine.calendar().working_days_between(today, o.due);
            clock = if o.due < today {
                format!("{} (已逾期)", o.due)
            } else {
                format!(
                    "{}{} (还剩 {left} 个工作日)",
                    o.due,
                    if o.provisional { "（暂定）" } else { "" }
                )
            };
            clock_class = match o.state {
                zhifa_core::deadlines::ObligationState::Overdue => "overdue",
                zhifa_core::deadlines::ObligationState::DueSoon => "soon",
                _ => "ok",
            };
            clock_article = o.rule.citation.clone();
        }
    }
    let submitted = st.submitted_on.is_some();
    let opinion_sealed = st.opinion.as_ref().is_some_and(|o| o.sealed);
    let tpl = TemplateRegistry::builtin().latest("review_opinion").ok();
    Some(ReviewView {
        major,
        submitted_on: st.submitted_on.clone().unwrap_or_default(),
        clock,
        clock_class,
        clock_article,
        extension: if st.extension_pending {
            "待分管负责人批准"
        } else if st.extended {
            "已批准延长 5 个工作日"
        } else {
            ""
        },
        outcome: st
            .opinion
            .as_ref()
            .map(|o| o.outcome.clone())
            .unwrap_or_default(),
        approved: st.opinion.as_ref().is_some_and(|o| o.approved),
        rectification: match &st.rectification {
            Some((_, true)) => "已报送, 负责人已审批",
            Some((_, false)) => "已报送, 待负责人审批签字",
            None => "",
        },
        can_submit: !submitted && st.application.is_some() && may(OfficeAction::ReviewSubmit),
        can_review: submitted && !opinion_sealed && may(OfficeAction::ReviewWork),
        can_request_extension: submitted
            && !opinion_sealed
            && !st.extended
            && !st.extension_pending
            && may(OfficeAction::ReviewWork),
        can_approve_extension: st.extension_pending && may(OfficeAction::ReviewExtensionApproval),
        can_approve_opinion: st.opinion.as_ref().is_some_and(|o| o.sealed && !o.approved)
            && may(OfficeAction::ReviewOpinionApproval),
        can_rectify: st.needs_rectification
            && st.rectification.is_none()
            && may(OfficeAction::ReviewRectification),
        can_record_violation: may(OfficeAction::ReviewWork),
        violations: crate::office::review::VIOLATIONS.to_vec(),
        checks: REVIEW_CHECKS
            .iter()
            .map(|k| {
                let label = tpl
                    .and_then(|t| t.field(k).ok())
                    .map(|f| f.label.clone())
                    .unwrap_or_else(|| k.to_string());
                (k.to_string(), label)
            })
            .collect(),
        outcomes: tpl
            .and_then(|t| t.field("outcome").ok())
            .map(|f| f.options.clone())
            .unwrap_or_default(),
    })
}
