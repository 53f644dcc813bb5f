//! What a receiving replica (the server) checks in the history of a case
//! before it accepts changes from a peer: whether sealed content was
//! rewritten by a change made *after* the seal (a crafted or forbidden edit,
//! as opposed to an offline edit concurrent with the seal, which is a
//! [`SealConflict`](super::SealConflict) to resolve), and which stage moves
//! the changes made.

use std::collections::{BTreeSet, HashSet};

use automerge::{ChangeHash, ReadDoc, ScalarValue, Value};

use super::{am_variant, Case, CaseDoc};
use crate::case::Stage;
use crate::error::Result;
use crate::seal::Seal;

/// One move of a case's stage by a change the receiver did not have.
#[derive(Debug, Clone)]
pub struct StageMove {
    /// The stage before the move.
    pub from: Stage,
    /// The stage moved to.
    pub to: Stage,
    /// The case right before the move (what the gates are checked on).
    pub case: Case,
}

/// The seals of one record as stored: digest and the change that wrote it.
pub(super) struct StoredSeal {
    pub(super) digest: String,
    pub(super) content: String,
    pub(super) change: Option<ChangeHash>,
}

impl CaseDoc {
    /// A copy of this document as it was at `heads` (read only; its actor
    /// is this document's).
    pub fn at(&mut self, heads: &[ChangeHash]) -> Result<CaseDoc> {
        let doc = self.doc.fork_at(heads)?;
        Ok(CaseDoc { doc, burst: None })
    }

    /// The moves of the header's stage made by changes beyond `before`
    /// (heads of what the receiver had), oldest first, each with the case
    /// as it was right before the move: the state the mover's gates were
    /// checked on. A case created beyond 程序启动 counts as a move from
    /// 程序启动 with the case as created.
    pub fn stage_moves(&mut self, before: &[ChangeHash]) -> Result<Vec<StageMove>> {
        let new: HashSet<ChangeHash> = self
            .doc
            .get_changes(before)
            .iter()
            .map(|c| c.hash())
            .collect();
        let mut moves = Vec::new();
        let mut view: Option<CaseDoc> = None;
        // Each step goes back past one stage change; a document has few.
        for _ in 0..64 {
            let d = view.as_ref().unwrap_or(self);
            let Ok(header) = d.obj(&automerge::ROOT, "header") else {
                break;
            };
            let Some((Value::Scalar(s), id)) = d.doc.get(&header, "stage")? else {
                break;
            };
            let ScalarValue::Str(t) = s.as_ref() else {
                break;
            };
            let Some(to) = Stage::ALL
                .iter()
                .copied()
                .find(|st| am_variant(st) == t.as_str())
            else {
                break;
            };
            let Some(change) = d.doc.hash_for_opid(&id) else {
                break;
            };
            if !new.contains(&change) {
                break;
            }
            let deps = match self.doc.get_change_by_hash(&change) {
                Some(c) => c.deps().to_vec(),
                None => break,
            };
            let prev = self.at(&deps)?;
            match prev.header() {
                Ok(h) => {
                    moves.push(StageMove {
                        from: h.stage,
                        to,
                        case: prev.case()?,
                    });
                    view = Some(prev);
                }
                Err(_) => {
                    // The creating change: the case as created.
                    let created = self.at(&[change])?;
                    moves.push(StageMove {
                        from: Stage::Initiation,
                        to,
                        case: created.case()?,
                    });
                    break;
                }
            }
        }
        moves.reverse();
        Ok(moves)
    }

    pub(super) fn stored_seals(&self, record_id: &str) -> Result<Vec<StoredSeal>> {
        let records = self.obj(&automerge::ROOT, "records")?;
        let Some((_, rec)) = self.doc.get(&records, record_id)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (v, id) in self.doc.get_all(&rec, "seal")? {
            let Value::Scalar(s) = v else { continue };
            let ScalarValue::Str(json) = s.as_ref() else {
                continue;
            };
            // A seal that does not parse covers nothing: it counts as a
            // seal of its own (so replacing a seal by garbage is a rewrite).
            let (digest, content) = match serde_json::from_str::<Seal>(json) {
                Ok(seal) => (seal.digest, seal.content),
                Err(_) => (format!("malformed:{json}"), String::new()),
            };
            out.push(StoredSeal {
                digest,
                content,
                change: self.doc.hash_for_opid(&id),
            });
        }
        Ok(out)
    }

    /// True when record `record_id` has seals and every one covers the
    /// record's current content (one digest, no edit across it).
    fn seal_intact(&self, record_id: &str) -> Result<Option<bool>> {
        let seals = self.stored_seals(record_id)?;
        if seals.is_empty() {
            return Ok(None);
        }
        let records = self.obj(&automerge::ROOT, "records")?;
        let record = self.read_record(&records, record_id)?;
        let current = self.current_content(&record);
        let digests: BTreeSet<&str> = seals.iter().map(|s| s.digest.as_str()).collect();
        Ok(Some(
            digests.len() == 1 && seals.iter().all(|s| s.content == current),
        ))
    }

    /// The records whose sealed content was rewritten by changes this
    /// document holds beyond `before` (heads of what the receiver had):
    ///
    /// - a seal present at `before` was removed or replaced by another;
    /// - a record whose seal is intact without the new changes that descend
    ///   from its seal, and broken with them: someone who had the seal edited
    ///   the content after it (行政执法全过程记录 sealed records are never
    ///   rewritten; an amendment is a new record).
    ///
    /// An edit made offline concurrently with the seal does not count: it
    /// is a seal conflict, reported and resolved by amendment.
    pub fn sealed_rewrites(&mut self, before: &[ChangeHash]) -> Result<Vec<String>> {
        // A new case: nothing was sealed before.
        let old = if before.is_empty() {
            None
        } else {
            Some(self.at(before)?)
        };
        let records = self.record_ids()?;
        let mut out = Vec::new();
        let mut suspects = Vec::new();
        for id in records {
            let old_seals = match &old {
                Some(o) => o.stored_seals(&id)?,
                None => Vec::new(),
            };
            let old_intact = match &old {
                Some(o) => o.seal_intact(&id)?,
                None => None,
            };
            let new_seals = self.stored_seals(&id)?;
            let kept: HashSet<&str> = new_seals.iter().map(|s| s.digest.as_str()).collect();
            if old_seals.iter().any(|s| !kept.contains(s.digest.as_str())) {
                out.push(id);
                continue;
            }
            if self.seal_intact(&id)? == Some(false) && old_intact != Some(false) {
                let seal_changes: Vec<ChangeHash> =
                    new_seals.iter().filter_map(|s| s.change).collect();
                suspects.push((id, seal_changes));
            }
        }
        for (id, seal_changes) in suspects {
            let cut = self.heads_without_descendants(before, &seal_changes);
            let view = self.at(&cut)?;
            if view.seal_intact(&id)? != Some(false) {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// The heads of everything this document holds except the changes
    /// beyond `before` that descend from one of `roots` (a causal cut: the
    /// ancestors of a kept change are kept).
    fn heads_without_descendants(
        &mut self,
        before: &[ChangeHash],
        roots: &[ChangeHash],
    ) -> Vec<ChangeHash> {
        let roots: HashSet<ChangeHash> = roots.iter().copied().collect();
        // Changes the receiver had that descend from a root (a seal made
        // earlier, then something built on it).
        let mut descends: HashSet<ChangeHash> = HashSet::new();
        for c in self.doc.get_changes(&[]) {
            let h = c.hash();
            if roots.contains(&h) {
                continue;
            }
            if c.deps()
                .iter()
                .any(|d| roots.contains(d) || descends.contains(d))
            {
                descends.insert(h);
            }
        }
        let new: Vec<(ChangeHash, Vec<ChangeHash>)> = self
            .doc
            .get_changes(before)
            .iter()
            .map(|c| (c.hash(), c.deps().to_vec()))
            .collect();
        let kept_new: Vec<&(ChangeHash, Vec<ChangeHash>)> =
            new.iter().filter(|(h, _)| !descends.contains(h)).collect();
        let covered: HashSet<ChangeHash> = kept_new
            .iter()
            .flat_map(|(_, deps)| deps.iter().copied())
            .collect();
        let mut heads: Vec<ChangeHash> = before
            .iter()
            .copied()
            .chain(kept_new.iter().map(|(h, _)| *h))
            .filter(|h| !covered.contains(h))
            .collect();
        heads.sort();
        heads.dedup();
        heads
    }
}
