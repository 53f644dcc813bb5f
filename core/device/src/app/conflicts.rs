//! Seal conflicts on the device: both versions side by side, field by field
//! with the template's labels, and the officer's decision (keep the sealed
//! version, or carry the concurrent edit into an amendment with a reason)
//! written as a change to the case document, which every device receives
//! at its next sync ([`zhifa_core::doc::CaseDoc::resolve_seal_conflict`]).

use serde::Serialize;
use zhifa_core::doc::{ConflictChoice, ConflictField, ConflictResolution};
use zhifa_core::template::TemplateRegistry;

use super::App;
use crate::error::{DeviceError, Result};

/// One open seal conflict, for the screen that resolves it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictView {
    /// Record id.
    pub record_id: String,
    /// The record's template name (e.g. 现场检查笔录).
    pub record_name: String,
    /// What happened and what to do (Chinese).
    pub message: String,
    /// False for conflicts a device cannot resolve (two concurrent seals, a
    /// forged amendment link): the legal office looks at those.
    pub resolvable: bool,
    /// Every filled field, sealed value beside the edited one.
    pub fields: Vec<ConflictField>,
}

/// A decided conflict, in words for the history of the case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedView {
    /// The stored decision.
    pub resolution: ConflictResolution,
    /// Who decided: the officer's name, else the account id.
    pub by_name: String,
    /// One Chinese sentence (who, when, how).
    pub text: String,
}

/// How the officer resolves a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolve {
    /// Keep the sealed version (按钮“保留封存版本”).
    KeepSealed,
    /// Carry the concurrent edit into a new amendment (按钮“以更正文书载入”).
    Amend {
        /// Why (更正/补正 理由), required.
        reason: String,
    },
}

impl App {
    /// The case's open seal conflicts, both versions side by side.
    pub fn seal_conflicts(&self, case_id: &str) -> Result<Vec<ConflictView>> {
        self.read(case_id, |doc, _| {
            let case = doc.case()?;
            Ok(doc
                .seal_conflicts()?
                .into_iter()
                .map(|c| {
                    let record_name = case
                        .record(&c.record_id)
                        .and_then(|r| {
                            TemplateRegistry::builtin()
                                .get(&r.template, r.template_version)
                                .ok()
                        })
                        .map(|t| t.name.clone())
                        .unwrap_or_else(|| c.record_id.clone());
                    ConflictView {
                        message: c.message(),
                        resolvable: c.resolvable(),
                        fields: c.fields(),
                        record_id: c.record_id,
                        record_name,
                    }
                })
                .collect())
        })
    }

    /// The conflicts of the case already resolved, with who and how.
    pub fn conflict_resolutions(&self, case_id: &str) -> Result<Vec<ResolvedView>> {
        self.read(case_id, |doc, _| {
            let case = doc.case()?;
            Ok(doc
                .conflict_resolutions()?
                .into_iter()
                .map(|r| {
                    let by_name = case
                        .officer(&r.by)
                        .map(|o| o.name.clone())
                        .unwrap_or_else(|| r.by.clone());
                    let text = format!("{by_name} 于 {} {}", r.at, r.describe());
                    ResolvedView {
                        resolution: r,
                        by_name,
                        text,
                    }
                })
                .collect())
        })
    }

    /// Resolves the seal conflict of `record_id`; returns the stored
    /// decision (with the amendment's id when one was made). The change
    /// reaches every device at their next sync, and the conflict is gone.
    pub fn resolve_seal_conflict(
        &self,
        case_id: &str,
        record_id: &str,
        how: &Resolve,
    ) -> Result<ConflictResolution> {
        let new_id = uuid::Uuid::new_v4().to_string();
        let choice = match how {
            Resolve::KeepSealed => ConflictChoice::KeepSealed,
            Resolve::Amend { reason } => {
                if reason.trim().is_empty() {
                    return Err(DeviceError::Invalid(
                        "以更正文书处理封存冲突须填写更正理由".into(),
                    ));
                }
                ConflictChoice::Amend {
                    new_id: &new_id,
                    reason,
                }
            }
        };
        self.edit(case_id, true, |doc, ctx, _| {
            Ok(doc.resolve_seal_conflict(record_id, choice, &ctx.who())?)
        })
    }
}
