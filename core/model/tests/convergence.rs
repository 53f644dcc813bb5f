//! Property tests: random concurrent edits from 2–3 replicas converge, and a
//! merge never alters sealed content unnoticed.

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::json;
use zhifa_core::case::{CaseKind, PartyKind};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::template::SignerRole;
use zhifa_core::CoreError;

#[derive(Debug, Clone)]
enum Op {
    Text {
        record: usize,
        key: usize,
        value: u8,
    },
    Flag {
        record: usize,
        value: bool,
    },
    Media {
        record: usize,
        n: u8,
    },
    Seal {
        record: usize,
    },
    Sign {
        record: usize,
    },
    Sync {
        to: usize,
    },
}

const RECORDS: [&str; 2] = ["r1", "r2"];
const TEXT_KEYS: [&str; 3] = ["place", "findings", "problems"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..2usize, 0..3usize, any::<u8>()).prop_map(|(record, key, value)| Op::Text { record, key, value }),
        1 => (0..2usize, any::<bool>()).prop_map(|(record, value)| Op::Flag { record, value }),
        1 => (0..2usize, 0..4u8).prop_map(|(record, n)| Op::Media { record, n }),
        1 => (0..2usize).prop_map(|record| Op::Seal { record }),
        1 => (0..2usize).prop_map(|record| Op::Sign { record }),
        1 => (0..3usize).prop_map(|to| Op::Sync { to }),
    ]
}

const ACTORS: [&[u8]; 3] = [A1, A2, A3];
const USERS: [&str; 3] = ["zhangwei", "lina", "wangqiang"];

fn base() -> CaseDoc {
    let mut doc = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
    let tpl = template("inspection_record");
    for id in RECORDS {
        doc.create_record(id, &tpl, &who_a()).unwrap();
        fill_required(&mut doc, id, "inspection_record");
    }
    doc
}

/// What became of one op on its replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// The edit (or sync) was applied.
    Applied,
    /// The model refused it for a reason the op allows (see [`allowed_refusal`]).
    Refused,
}

/// The only refusals an op may meet: an edit or a seal of a record that is
/// already sealed in this replica; a signature under a record that is not
/// (or no longer validly) sealed. Anything else is a bug the test reports.
fn allowed_refusal(op: &Op, err: &CoreError) -> bool {
    match op {
        Op::Text { .. } | Op::Flag { .. } | Op::Media { .. } | Op::Seal { .. } => {
            matches!(err, CoreError::RecordSealed(_))
        }
        Op::Sign { .. } => matches!(
            err,
            CoreError::RecordNotSealed(_) | CoreError::SealBroken(_)
        ),
        Op::Sync { .. } => false,
    }
}

/// Turns an op's result into its [`Outcome`], failing on a refusal the op
/// does not allow.
fn outcome<T>(op: &Op, result: Result<T, CoreError>) -> Result<Outcome, TestCaseError> {
    match result {
        Ok(_) => Ok(Outcome::Applied),
        Err(e) if allowed_refusal(op, &e) => Ok(Outcome::Refused),
        Err(e) => Err(TestCaseError::fail(format!(
            "{op:?} refused unexpectedly: {e}"
        ))),
    }
}

/// Applies one op on replica `i`. Commands refused by the model (editing a
/// sealed record, sealing twice, signing an unsealed record) are counted as
/// refused; any other error fails the case.
fn apply(
    replicas: &mut [CaseDoc],
    i: usize,
    op: &Op,
    sealed: &mut Vec<(String, String)>,
) -> Result<Outcome, TestCaseError> {
    let who = Actor {
        user: USERS[i],
        device: USERS[i],
        at: AT,
    };
    let key = common::key(i as u8 + 1);
    match op {
        Op::Text {
            record,
            key: k,
            value,
        } => {
            let r = replicas[i].set_field_json(
                RECORDS[*record],
                TEXT_KEYS[*k],
                &json!(format!("{} {value}", USERS[i])),
                &who,
            );
            outcome(op, r)
        }
        Op::Flag { record, value } => {
            let r = replicas[i].set_field_json(
                RECORDS[*record],
                "credentials_shown",
                &json!(value),
                &who,
            );
            outcome(op, r)
        }
        Op::Media { record, n } => {
            let r = replicas[i].attach_media(
                &media(RECORDS[*record], "image/jpeg", &format!("photo-{n}")),
                &who,
            );
            outcome(op, r)
        }
        Op::Seal { record } => {
            let r = replicas[i].seal_record(RECORDS[*record], &who, &key);
            if let Ok(seal) = &r {
                sealed.push((RECORDS[*record].to_string(), seal.content.clone()));
            }
            outcome(op, r)
        }
        Op::Sign { record } => {
            let r = replicas[i].sign_record(
                RECORDS[*record],
                SignerRole::Officer,
                USERS[i],
                USERS[i],
                None,
                &who,
                &key,
            );
            outcome(op, r)
        }
        Op::Sync { to } => {
            let to = *to % replicas.len();
            if to != i {
                let (a, b) = if i < to {
                    let (l, r) = replicas.split_at_mut(to);
                    (&mut l[i], &mut r[0])
                } else {
                    let (l, r) = replicas.split_at_mut(i);
                    (&mut r[0], &mut l[to])
                };
                // One-way sync through the real sync protocol.
                sync_one_way(a, b);
            }
            Ok(Outcome::Applied)
        }
    }
}

/// Runs Automerge sync messages from `from` to `to` until quiet.
fn sync_one_way(from: &mut CaseDoc, to: &mut CaseDoc) {
    use automerge::sync::{State, SyncDoc};
    let (mut s1, mut s2) = (State::new(), State::new());
    for _ in 0..20 {
        let m1 = from.automerge().sync().generate_sync_message(&mut s1);
        if let Some(m) = m1.clone() {
            to.automerge()
                .sync()
                .receive_sync_message(&mut s2, m)
                .unwrap();
        }
        let m2 = to.automerge().sync().generate_sync_message(&mut s2);
        if let Some(m) = m2.clone() {
            from.automerge()
                .sync()
                .receive_sync_message(&mut s1, m)
                .unwrap();
        }
        if m1.is_none() && m2.is_none() {
            break;
        }
    }
}

/// Ops applied and refused over a whole run, by kind: the property is only
/// worth something when most edits really happened.
#[derive(Debug, Default)]
struct Tally {
    /// Field edits and media attached that were applied.
    edits_applied: usize,
    /// Field edits and media refused (the record was sealed).
    edits_refused: usize,
    /// Seals applied.
    seals: usize,
    /// Signatures applied.
    signatures: usize,
    /// Cases whose merge reported a seal conflict.
    cases_with_conflicts: usize,
}

/// One generated case: `n` replicas apply `ops`, meet, and must agree.
fn check_case(n: usize, ops: &[(usize, Op)], tally: &mut Tally) -> Result<(), TestCaseError> {
    let mut origin = base();
    let bytes = origin.save();
    let mut replicas: Vec<CaseDoc> = (0..n)
        .map(|i| CaseDoc::load(&bytes, ACTORS[i]).unwrap())
        .collect();
    let mut sealed = Vec::new();
    for (i, op) in ops {
        let done = apply(&mut replicas, i % n, op, &mut sealed)?;
        match (op, done) {
            (Op::Text { .. } | Op::Flag { .. } | Op::Media { .. }, Outcome::Applied) => {
                tally.edits_applied += 1
            }
            (Op::Text { .. } | Op::Flag { .. } | Op::Media { .. }, Outcome::Refused) => {
                tally.edits_refused += 1
            }
            (Op::Seal { .. }, Outcome::Applied) => tally.seals += 1,
            (Op::Sign { .. }, Outcome::Applied) => tally.signatures += 1,
            _ => {}
        }
    }
    // Everyone meets everyone.
    for i in 0..n {
        for j in 0..n {
            if i != j {
                let (a, b) = if i < j {
                    let (l, r) = replicas.split_at_mut(j);
                    (&mut l[i], &mut r[0])
                } else {
                    let (l, r) = replicas.split_at_mut(i);
                    (&mut r[0], &mut l[j])
                };
                a.merge(b).unwrap();
            }
        }
    }
    let first = replicas[0].case().unwrap();
    let heads = replicas[0].heads();
    for r in replicas.iter_mut().skip(1) {
        prop_assert_eq!(&r.case().unwrap(), &first);
        prop_assert_eq!(r.heads(), heads.clone());
    }
    // Every content that was ever sealed either is the record's content
    // now, or the record is reported as a conflict.
    let conflicts = replicas[0].seal_conflicts().unwrap();
    let failing = replicas[0].verify_seals().unwrap();
    if !conflicts.is_empty() {
        tally.cases_with_conflicts += 1;
    }
    for (id, content) in &sealed {
        let record = first.record(id).unwrap();
        let now = replicas[0].current_content(record);
        if &now != content {
            prop_assert!(
                conflicts.iter().any(|c| &c.record_id == id),
                "sealed {id} changed unnoticed"
            );
        }
    }
    for c in &conflicts {
        if c.concurrent_seals.is_empty() {
            prop_assert!(failing.iter().any(|(id, _)| id == &c.record_id));
        }
    }
    Ok(())
}

#[test]
fn replicas_converge_and_seals_are_never_silently_altered() {
    use proptest::test_runner::{Config, TestRunner};
    use std::cell::RefCell;
    let strategy = (2..=3usize, prop::collection::vec((0..3usize, op()), 1..40));
    let tally = RefCell::new(Tally::default());
    let mut runner = TestRunner::new(Config {
        cases: 96,
        ..Config::default()
    });
    let result = runner.run(&strategy, |(n, ops)| {
        check_case(n, &ops, &mut tally.borrow_mut())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let t = tally.into_inner();
    eprintln!("convergence: {t:?}");
    // Shrinking reruns cases, so the tally covers at least the 96 cases;
    // with ~40 % of ops being edits and 1..40 ops per case, hundreds apply.
    assert!(
        t.edits_applied >= 200,
        "only {} edits applied ({} refused): the property barely ran",
        t.edits_applied,
        t.edits_refused
    );
    assert!(
        t.edits_applied > t.edits_refused,
        "more edits refused ({}) than applied ({})",
        t.edits_refused,
        t.edits_applied
    );
    assert!(t.seals > 0, "no record was ever sealed: {t:?}");
    assert!(t.signatures > 0, "no record was ever signed: {t:?}");
    assert!(
        t.cases_with_conflicts > 0,
        "no merge ever met a seal conflict: {t:?}"
    );
}
