//! Where a case stands in 重大执法决定法制审核 ((三) 第五条至第十一条): submitted
//! or not, extension asked or granted, the opinion and its approval, the
//! unit's rectification. Read from the document only; the console and the
//! office actions both ask this, so no page or handler works it out itself.

use crate::case::EventKind;
use crate::doc::Case;
use crate::record::{FieldValue, Record};
use crate::template::SignerRole;

use super::profile::RuleProfile;
use super::review::RECTIFICATION_TEMPLATE;

/// The review opinion as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionState {
    /// Record id.
    pub record_id: String,
    /// The outcome chosen ((三) 第十一条).
    pub outcome: String,
    /// Sealed.
    pub sealed: bool,
    /// Account ids that signed it as 审核人员.
    pub reviewers: Vec<String>,
    /// Approved (signed) by the leader in charge.
    pub approved: bool,
}

/// The state of a case's legal review.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewState {
    /// The current 申报表, if any.
    pub application: Option<String>,
    /// Whether the 申报表 is sealed.
    pub application_sealed: bool,
    /// The submission date (申报日期 of the sealed 申报表), once submitted.
    pub submitted_on: Option<String>,
    /// The reviewer asked for an extension that is not yet decided.
    pub extension_pending: bool,
    /// The leader approved the 5-working-day extension ((三) 第十条).
    pub extended: bool,
    /// The current opinion, if any.
    pub opinion: Option<OpinionState>,
    /// The opinion asks the unit to rectify and report in writing.
    pub needs_rectification: bool,
    /// The current rectification report, if any: (record id, approved by the leader).
    pub rectification: Option<(String, bool)>,
}

fn signers(r: &Record, role: SignerRole) -> Vec<String> {
    r.seal
        .as_ref()
        .map(|s| {
            s.signatures
                .iter()
                .filter(|e| e.role == role)
                .map(|e| e.signer_id.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Reads the review state of `case`.
pub fn review_state(case: &Case, profile: &RuleProfile) -> ReviewState {
    let mut st = ReviewState::default();
    if let Some(app) = case.current_records("review_application").next() {
        st.application = Some(app.id.clone());
        st.application_sealed = app.seal.is_some();
        if app.seal.is_some() {
            st.submitted_on = app
                .fields
                .get("submitted_on")
                .and_then(FieldValue::as_text)
                .map(str::to_string);
        }
    }
    let mut requested = false;
    for e in &case.events {
        match e.kind {
            EventKind::ReviewExtensionRequested => requested = true,
            EventKind::ReviewExtended => {
                requested = false;
                st.extended = true;
            }
            _ => {}
        }
    }
    st.extension_pending = requested && !st.extended;
    if let Some(op) = case.current_records("review_opinion").next() {
        let outcome = op
            .fields
            .get("outcome")
            .and_then(FieldValue::as_text)
            .unwrap_or_default()
            .to_string();
        if matches!(op.fields.get("extended"), Some(FieldValue::Bool(true))) {
            st.extended = true;
        }
        let approved = !signers(op, SignerRole::Leader).is_empty();
        st.needs_rectification = op.seal.is_some()
            && approved
            && !outcome.is_empty()
            && outcome != profile.review_pass_outcome
            && !profile.review_stop_outcomes.contains(&outcome);
        st.opinion = Some(OpinionState {
            record_id: op.id.clone(),
            sealed: op.seal.is_some(),
            reviewers: signers(op, SignerRole::Reviewer),
            approved,
            outcome,
        });
    }
    if let Some(r) = case.current_records(RECTIFICATION_TEMPLATE).next() {
        st.rectification = Some((r.id.clone(), !signers(r, SignerRole::Leader).is_empty()));
    }
    st
}
