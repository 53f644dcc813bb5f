//! A minimal Rust sync client for the tests: holds `CaseDoc`s and sync
//! states like a device would, and runs the protocol of `zhifa_core::sync`.

use std::collections::BTreeMap;

use automerge::sync::{Message, State as SyncState, SyncDoc};
use reqwest::StatusCode;
use serde_json::Value;
use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, Officer, OfficerStatus, Stage};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::sync::{
    case_message, heads_to_hex, CaseMessage, CheckRequest, CheckResponse, Receipt, SnapshotRequest,
    SnapshotResponse, SyncRequest, SyncResponse,
};

use crate::common::{Session, TestServer};
use crate::faults::{lost, Faults};

/// What one sync session did.
#[derive(Debug, Default)]
pub struct Report {
    pub rounds: usize,
    pub fetched: usize,
    pub accepted: u32,
    pub check: CheckResponse,
    /// Cases whose changes the server refused: id, code and message.
    pub refused: Vec<(String, zhifa_core::sync::ErrorBody)>,
    /// JSON body bytes sent / received.
    pub wire_up: usize,
    pub wire_down: usize,
}

/// A device: its session, its documents, sync states and receipts.
pub struct Device {
    pub session: Session,
    pub docs: BTreeMap<String, CaseDoc>,
    pub states: BTreeMap<String, SyncState>,
    pub receipts: BTreeMap<String, Receipt>,
    /// Every receipt ever received (what the server acknowledged).
    pub acked: Vec<Receipt>,
}

pub const AT: &str = "2026-03-02T09:30:00+08:00";

impl Device {
    pub fn new(session: Session) -> Device {
        Device {
            session,
            docs: BTreeMap::new(),
            states: BTreeMap::new(),
            receipts: BTreeMap::new(),
            acked: Vec::new(),
        }
    }

    /// The officer of this device as a case lists them.
    pub fn officer(&self) -> Officer {
        let o = &self.session.login.officer;
        Officer {
            id: o.id.clone(),
            name: o.name.clone(),
            post: o.post.clone(),
            credential_no: o.credential_no.clone(),
            unit: o.unit_id.clone(),
            status: OfficerStatus::Active,
        }
    }

    pub fn officer_id(&self) -> String {
        self.session.login.officer.id.clone()
    }

    pub fn who(&self) -> Actor<'_> {
        Actor {
            user: &self.session.login.officer.id,
            device: &self.session.login.device_id,
            at: AT,
        }
    }

    /// Creates a case in the officer's unit.
    pub fn create_case(&mut self, title: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let header = CaseHeader {
            id: id.clone(),
            kind: CaseKind::Inspection,
            procedure: None,
            title: title.into(),
            source: CaseSource::RandomInspection,
            stage: Stage::Investigation,
            unit: self.session.login.officer.unit_id.clone(),
            created_at: AT.into(),
            created_by: self.officer_id(),
            source_ref: Some("双随机-2026-03".into()),
            fine_fen: None,
            measures: Vec::new(),
        };
        let doc = CaseDoc::create(&header, &self.session.actor, &self.who()).expect("create case");
        self.docs.insert(id.clone(), doc);
        id
    }

    /// Runs an edit on a case as this device's officer.
    pub fn edit<R>(&mut self, id: &str, f: impl FnOnce(&mut CaseDoc, &Actor<'_>) -> R) -> R {
        let user = self.officer_id();
        let device = self.session.login.device_id.clone();
        let who = Actor {
            user: &user,
            device: &device,
            at: AT,
        };
        f(self.docs.get_mut(id).expect("case on device"), &who)
    }

    pub fn doc(&mut self, id: &str) -> &mut CaseDoc {
        self.docs.get_mut(id).expect("case on device")
    }

    pub fn heads(&mut self, id: &str) -> Vec<String> {
        heads_to_hex(&self.doc(id).heads())
    }

    /// A sync message carrying this device's changes to a peer that holds
    /// `base` (a saved document): what an exchange round would send.
    pub fn message_with_changes(&mut self, id: &str, base: &[u8]) -> Vec<u8> {
        let mut peer = automerge::AutoCommit::load(base).expect("base");
        let (mut mine, mut theirs) = (SyncState::new(), SyncState::new());
        for _ in 0..10 {
            let m = self
                .doc(id)
                .automerge()
                .sync()
                .generate_sync_message(&mut mine)
                .expect("message");
            if !m.changes.is_empty() {
                return m.encode();
            }
            peer.sync()
                .receive_sync_message(&mut theirs, m)
                .expect("peer receive");
            if let Some(r) = peer.sync().generate_sync_message(&mut theirs) {
                self.doc(id)
                    .automerge()
                    .sync()
                    .receive_sync_message(&mut mine, r)
                    .expect("receive");
            }
        }
        panic!("no changes to send");
    }

    /// Posts one exchange round with a raw message for one case.
    pub async fn exchange_raw(
        &self,
        srv: &TestServer,
        id: &str,
        message: Vec<u8>,
    ) -> reqwest::Response {
        let req = SyncRequest {
            messages: vec![CaseMessage {
                case_id: id.into(),
                message: Some(message),
            }],
        };
        srv.post_json(&self.session, "/api/v1/sync/exchange", &req)
            .await
    }

    /// Runs a whole sync session; an error is the server's status and JSON body.
    pub async fn sync(&mut self, srv: &TestServer) -> Result<Report, (StatusCode, Value)> {
        self.sync_via(srv, &mut Faults::none()).await
    }

    /// Posts JSON through the fault layer and parses the answer; a lost
    /// request or an unreadable answer is [`lost`].
    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        srv: &TestServer,
        link: &mut Faults,
        path: &str,
        body: &impl serde::Serialize,
    ) -> Result<T, (StatusCode, Value)> {
        let body = serde_json::to_vec(body).expect("json");
        let (status, bytes) = link
            .post(srv, self.session.token(), path, body)
            .await
            .ok_or_else(lost)?;
        if !status.is_success() {
            return Err((status, serde_json::from_slice(&bytes).unwrap_or_default()));
        }
        serde_json::from_slice(&bytes).map_err(|_| lost())
    }

    /// Runs a whole sync session through a fault-injecting link; an error is
    /// the server's status and JSON body, or [`lost`].
    pub async fn sync_via(
        &mut self,
        srv: &TestServer,
        link: &mut Faults,
    ) -> Result<Report, (StatusCode, Value)> {
        let mut report = Report::default();
        let req = CheckRequest::from_heads(
            self.docs
                .iter_mut()
                .map(|(id, d)| (id.clone(), d.heads()))
                .collect::<Vec<_>>(),
        );
        let check: CheckResponse = self.call(srv, link, "/api/v1/sync/check", &req).await?;
        report.wire_up += link.last_up;
        report.wire_down += link.last_down;
        if !check.available.is_empty() {
            let req = SnapshotRequest {
                case_ids: check.available.iter().map(|c| c.case_id.clone()).collect(),
            };
            let snaps: SnapshotResponse =
                self.call(srv, link, "/api/v1/sync/snapshots", &req).await?;
            report.wire_up += link.last_up;
            report.wire_down += link.last_down;
            for s in snaps.snapshots {
                let doc = CaseDoc::load(&s.document, &self.session.actor).expect("load snapshot");
                self.docs.insert(s.case_id.clone(), doc);
                self.states.insert(s.case_id.clone(), SyncState::new());
                self.acked.push(s.receipt.clone());
                self.receipts.insert(s.case_id.clone(), s.receipt);
                report.fetched += 1;
            }
        }
        let mut todo: Vec<String> = check
            .changed
            .iter()
            .chain(check.unknown.iter())
            .cloned()
            .collect();
        // A new session: forget in-flight state, keep what is known to be shared.
        for id in &todo {
            let st = self.states.remove(id).unwrap_or_default();
            self.states.insert(
                id.clone(),
                SyncState::decode(&st.encode()).unwrap_or_default(),
            );
        }
        while !todo.is_empty() {
            let mut messages = Vec::new();
            for id in &todo {
                let mut st = self.states.remove(id).unwrap_or_default();
                messages.extend(case_message(id, self.doc(id), &mut st, None));
                self.states.insert(id.clone(), st);
            }
            if messages.is_empty() {
                break;
            }
            report.rounds += 1;
            if report.rounds > 20 {
                return Err((
                    StatusCode::LOOP_DETECTED,
                    serde_json::json!({"code": "no_convergence", "cases": todo}),
                ));
            }
            let answer: SyncResponse = self
                .call(
                    srv,
                    link,
                    "/api/v1/sync/exchange",
                    &SyncRequest { messages },
                )
                .await?;
            report.wire_up += link.last_up;
            report.wire_down += link.last_down;
            let mut next = Vec::new();
            for c in answer.cases {
                report.accepted += c.accepted_changes;
                if let Some(r) = c.refused {
                    // Nothing of it was stored: forget what was sent.
                    self.states.insert(c.case_id.clone(), SyncState::new());
                    report.refused.push((c.case_id, r));
                    continue;
                }
                if let Some(r) = c.receipt {
                    self.acked.push(r.clone());
                    self.receipts.insert(c.case_id.clone(), r);
                }
                if let Some(bytes) = c.message {
                    let msg = Message::decode(&bytes).expect("server message");
                    let mut st = self.states.remove(&c.case_id).unwrap_or_default();
                    self.doc(&c.case_id)
                        .automerge()
                        .sync()
                        .receive_sync_message(&mut st, msg)
                        .expect("receive");
                    self.states.insert(c.case_id.clone(), st);
                }
                next.push(c.case_id);
            }
            todo = next;
        }
        report.check = check;
        Ok(report)
    }
}
