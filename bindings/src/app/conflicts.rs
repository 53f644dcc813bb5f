//! Seal conflicts for the shells: both versions side by side, and the two
//! buttons (保留封存版本 / 以更正文书载入). Thin: zhifa-device decides,
//! this file only converts.

use zhifa_device::app::{ConflictView, Resolve, ResolvedView};

use super::{Res, ZhifaApp};

/// One field of a conflicted record: sealed value beside the edited one.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ConflictFieldView {
    /// Field key.
    pub key: String,
    /// The template's label.
    pub label: String,
    /// The value under the seal, as displayed ("" when empty).
    pub sealed: String,
    /// The value after the concurrent edit, as displayed.
    pub edited: String,
    /// True when the two differ (highlight it).
    pub differs: bool,
}

/// One open seal conflict.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SealConflictView {
    /// Record id.
    pub record_id: String,
    /// The record's template name.
    pub record_name: String,
    /// What happened and what to do (Chinese).
    pub message: String,
    /// False: the buttons are hidden, the legal office looks at it.
    pub resolvable: bool,
    /// Both versions, field by field.
    pub fields: Vec<ConflictFieldView>,
}

/// A resolved conflict: who decided, when, how.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ConflictResolutionView {
    /// The sealed record.
    pub record_id: String,
    /// `keep_sealed` or `amended`.
    pub kind: String,
    /// Account id of who decided.
    pub by: String,
    /// Their name.
    pub by_name: String,
    /// When (RFC 3339).
    pub at: String,
    /// The amendment's record id (`amended`).
    pub amendment: Option<String>,
    /// The amendment's reason.
    pub reason: Option<String>,
    /// One Chinese sentence for the history.
    pub text: String,
}

impl From<ConflictView> for SealConflictView {
    fn from(c: ConflictView) -> Self {
        SealConflictView {
            record_id: c.record_id,
            record_name: c.record_name,
            message: c.message,
            resolvable: c.resolvable,
            fields: c
                .fields
                .into_iter()
                .map(|f| ConflictFieldView {
                    key: f.key,
                    label: f.label,
                    sealed: f.sealed,
                    edited: f.edited,
                    differs: f.differs,
                })
                .collect(),
        }
    }
}

impl From<ResolvedView> for ConflictResolutionView {
    fn from(v: ResolvedView) -> Self {
        let r = v.resolution;
        ConflictResolutionView {
            record_id: r.record_id,
            kind: zhifa_core::wire_name(&r.kind),
            by: r.by,
            by_name: v.by_name,
            at: r.at,
            amendment: r.amendment,
            reason: r.reason,
            text: v.text,
        }
    }
}

#[uniffi::export]
impl ZhifaApp {
    /// The case's open seal conflicts, both versions side by side.
    pub fn seal_conflicts(&self, case_id: String) -> Res<Vec<SealConflictView>> {
        Ok(self
            .app
            .seal_conflicts(&case_id)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The case's resolved seal conflicts.
    pub fn conflict_resolutions(&self, case_id: String) -> Res<Vec<ConflictResolutionView>> {
        Ok(self
            .app
            .conflict_resolutions(&case_id)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Button 保留封存版本: the sealed version stands.
    pub fn keep_sealed_version(
        &self,
        case_id: String,
        record_id: String,
    ) -> Res<ConflictResolutionView> {
        self.resolve(&case_id, &record_id, Resolve::KeepSealed)
    }

    /// Button 以更正文书载入: the concurrent edit goes into a new amendment
    /// (returned in `amendment`), for `reason`.
    pub fn amend_seal_conflict(
        &self,
        case_id: String,
        record_id: String,
        reason: String,
    ) -> Res<ConflictResolutionView> {
        self.resolve(&case_id, &record_id, Resolve::Amend { reason })
    }
}

impl ZhifaApp {
    fn resolve(&self, case_id: &str, record_id: &str, how: Resolve) -> Res<ConflictResolutionView> {
        self.app.resolve_seal_conflict(case_id, record_id, &how)?;
        let done = self.app.conflict_resolutions(case_id)?;
        done.into_iter()
            .find(|d| d.resolution.record_id == record_id)
            .map(Into::into)
            .ok_or_else(|| crate::error::CoreError::Storage {
                reason: format!("文书 {record_id} 的冲突处理记录未找到"),
            })
    }
}
