//! Checking a paper against the case: does the digest its QR code carries
//! belong to the seal of a current, intact sealed record?

use zhifa_core::doc::Case;
use zhifa_core::history::local_time;
use zhifa_core::template::TemplateRegistry;

use crate::qr::DocRef;

/// The answer of a check, without personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The paper matches the current sealed record.
    Consistent {
        /// The document's name (its template's).
        name: String,
        /// When it was sealed, local time.
        sealed_at: String,
    },
    /// The paper does not match: unknown record, another digest, a broken
    /// seal, or a record since amended.
    Inconsistent {
        /// Why, in Chinese, for the checker (no personal data).
        reason: String,
    },
}

impl Verdict {
    /// 一致 or 不一致.
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Consistent { .. } => "一致",
            Verdict::Inconsistent { .. } => "不一致",
        }
    }
}

/// Checks `r` (read from a QR code) against `case`: consistent only when
/// the record exists, is sealed with exactly that digest, its seal is
/// intact (content, digest and the device's signature verify) and no
/// amendment superseded it.
pub fn check(case: &Case, r: &DocRef) -> Verdict {
    let no = |reason: &str| Verdict::Inconsistent {
        reason: reason.to_string(),
    };
    if case.header.id != r.case_id {
        return no("案件编号不符");
    }
    let Some(rec) = case.record(&r.record_id) else {
        return no("案件中没有该文书");
    };
    let Some(seal) = rec.seal.as_ref() else {
        return no("该文书尚未封存");
    };
    if seal.digest != r.digest {
        return no("数字摘要与封存记录不符, 纸质文书可能被改动或并非最新打印");
    }
    if rec.seal_broken() || !seal.verify(&rec.content()).is_empty() {
        return no("封存记录已破坏");
    }
    if case.is_superseded(rec) {
        return no("该文书已被修订, 以修订版为准");
    }
    let name = TemplateRegistry::builtin()
        .get(&rec.template, rec.template_version)
        .map(|t| t.name.clone())
        .unwrap_or_else(|_| rec.template.clone());
    Verdict::Consistent {
        name,
        sealed_at: local_time(&seal.sealed_at),
    }
}
