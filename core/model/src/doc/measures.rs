//! The measures of a case that make its decision major ((三) 第四条:
//! 行政强制执行, 重大档案违法案件 …), set by the office after creation.

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT};

use super::{validate_actor, Actor, CaseDoc};
use crate::case::EventKind;
use crate::error::Result;
use crate::limits::{check_len, NAME_MAX};

/// Most measures one case lists.
const MAX_MEASURES: usize = 16;

impl CaseDoc {
    /// Replaces the case's measures (`CaseHeader::measures`); a history line
    /// names them. Each is a short text; at most 16.
    pub fn set_measures(&mut self, measures: &[String], who: &Actor<'_>) -> Result<()> {
        validate_actor(who)?;
        if measures.len() > MAX_MEASURES {
            return Err(crate::error::CoreError::InvalidInput(format!(
                "重大执法决定情形最多 {MAX_MEASURES} 项"
            )));
        }
        for m in measures {
            check_len("重大执法决定情形", m, NAME_MAX)?;
        }
        let header = self.obj(&ROOT, "header")?;
        let list = self.doc.put_object(&header, "measures", ObjType::List)?;
        for (i, m) in measures.iter().enumerate() {
            self.doc.insert(&list, i, m.as_str())?;
        }
        let detail = if measures.is_empty() {
            "重大执法决定情形: 无".to_string()
        } else {
            format!("重大执法决定情形: {}", measures.join("、"))
        };
        self.push_event(EventKind::Other, who, None, &detail)?;
        self.commit(who, "set measures");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::case::{CaseHeader, CaseKind, CaseSource, Procedure, Stage};
    use crate::doc::{Actor, CaseDoc};
    use crate::rules::{major_reasons, RuleProfile};

    #[test]
    fn a_measure_of_the_profile_makes_the_decision_major() {
        let header = CaseHeader {
            id: "c1".into(),
            kind: CaseKind::Penalty,
            procedure: Some(Procedure::General),
            title: "t".into(),
            source: CaseSource::ExOfficio,
            stage: Stage::Investigation,
            unit: "u1".into(),
            created_at: "2026-12-01T09:00:00+08:00".into(),
            created_by: "o1".into(),
            source_ref: None,
            fine_fen: Some(10_000),
            measures: Vec::new(),
        };
        let who = Actor {
            user: "h1",
            device: "d1",
            at: "2026-12-01T10:00:00+08:00",
        };
        let mut doc = CaseDoc::create(&header, b"actor-1", &who).expect("create");
        let profile = RuleProfile::default();
        assert!(major_reasons(&doc.case().expect("case"), &profile).is_empty());
        doc.set_measures(&["重大档案违法案件".into()], &who)
            .expect("set");
        let case = doc.case().expect("case");
        assert_eq!(case.header.measures, vec!["重大档案违法案件".to_string()]);
        assert_eq!(
            major_reasons(&case, &profile),
            vec!["重大档案违法案件".to_string()]
        );
        assert!(case
            .events
            .iter()
            .any(|e| e.detail.contains("重大档案违法案件")));
        doc.set_measures(&[], &who).expect("clear");
        assert!(major_reasons(&doc.case().expect("case"), &profile).is_empty());
        assert!(doc.set_measures(&vec!["x".to_string(); 17], &who).is_err());
    }
}
