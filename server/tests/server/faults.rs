//! A fault-injecting link between the test client and the real server:
//! requests dropped before they leave, answers lost after the server applied
//! the request, duplicated requests (sent twice at once), older requests
//! replayed later, request bodies cut short, answers cut short.

use bytes::Bytes;
use reqwest::StatusCode;
use serde_json::Value;

use crate::common::TestServer;

/// The error a device sees when a request or its answer is lost.
pub fn lost() -> (StatusCode, Value) {
    (
        StatusCode::GATEWAY_TIMEOUT,
        serde_json::json!({"code": "network_lost"}),
    )
}

/// How often each fault happened.
#[derive(Debug, Default, Clone, Copy)]
pub struct FaultCounts {
    pub clean: u32,
    pub drop_request: u32,
    pub drop_response: u32,
    pub duplicate: u32,
    pub replay: u32,
    pub truncate_request: u32,
    pub truncate_response: u32,
}

impl FaultCounts {
    pub fn add(&mut self, o: &FaultCounts) {
        self.clean += o.clean;
        self.drop_request += o.drop_request;
        self.drop_response += o.drop_response;
        self.duplicate += o.duplicate;
        self.replay += o.replay;
        self.truncate_request += o.truncate_request;
        self.truncate_response += o.truncate_response;
    }
}

/// The link of one device: a seeded generator, the probability that a
/// request meets a fault, and the requests sent so far (for replays).
pub struct Faults {
    rng: fastrand::Rng,
    /// Probability that a request meets one of the faults.
    pub p: f64,
    history: Vec<(String, Vec<u8>)>,
    pub counts: FaultCounts,
    /// Body bytes of the last request and answer (0 when lost).
    pub last_up: usize,
    pub last_down: usize,
}

impl Faults {
    /// A perfect link.
    pub fn none() -> Faults {
        Faults::seeded(0, 0.0)
    }

    pub fn seeded(seed: u64, p: f64) -> Faults {
        Faults {
            rng: fastrand::Rng::with_seed(seed),
            p,
            history: Vec::new(),
            counts: FaultCounts::default(),
            last_up: 0,
            last_down: 0,
        }
    }

    async fn send(
        srv: &TestServer,
        token: &str,
        path: &str,
        body: Vec<u8>,
    ) -> Option<(StatusCode, Bytes)> {
        let res = srv
            .http
            .post(srv.url(path))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .ok()?;
        let status = res.status();
        Some((status, res.bytes().await.ok()?))
    }

    /// Posts a JSON body; `None` when the request or its answer was lost.
    pub async fn post(
        &mut self,
        srv: &TestServer,
        token: &str,
        path: &str,
        body: Vec<u8>,
    ) -> Option<(StatusCode, Bytes)> {
        self.last_up = 0;
        self.last_down = 0;
        let fault = (self.p > 0.0 && self.rng.f64() < self.p).then(|| self.rng.u8(0..6));
        if fault != Some(0) {
            self.history.push((path.to_string(), body.clone()));
        }
        let out = match fault {
            None => {
                self.counts.clean += 1;
                self.last_up = body.len();
                let r = Self::send(srv, token, path, body).await;
                self.last_down = r.as_ref().map(|(_, b)| b.len()).unwrap_or(0);
                r
            }
            // Dropped before it left: the server never sees it.
            Some(0) => {
                self.counts.drop_request += 1;
                None
            }
            // Applied by the server, answer lost.
            Some(1) => {
                self.counts.drop_response += 1;
                Self::send(srv, token, path, body).await;
                None
            }
            // Sent twice at once; either answer may be the one that arrives.
            Some(2) => {
                self.counts.duplicate += 1;
                let (a, b) = tokio::join!(
                    Self::send(srv, token, path, body.clone()),
                    Self::send(srv, token, path, body)
                );
                if self.rng.bool() {
                    a
                } else {
                    b
                }
            }
            // An older request arrives late (its answer goes nowhere), then this one.
            Some(3) => {
                self.counts.replay += 1;
                let i = self.rng.usize(0..self.history.len());
                let (old_path, old_body) = self.history[i].clone();
                Self::send(srv, token, &old_path, old_body).await;
                Self::send(srv, token, path, body).await
            }
            // The body is cut short: the server must refuse it (4xx) and
            // store nothing; the device sees a broken request.
            Some(4) => {
                self.counts.truncate_request += 1;
                let cut = self.rng.usize(0..body.len());
                let r = Self::send(srv, token, path, body[..cut].to_vec()).await;
                if let Some((status, b)) = &r {
                    assert!(
                        status.is_client_error(),
                        "a truncated body is refused: {status} {}",
                        String::from_utf8_lossy(b)
                    );
                }
                None
            }
            // The answer is cut short: the device cannot read it.
            _ => {
                self.counts.truncate_response += 1;
                let (status, b) = Self::send(srv, token, path, body).await?;
                let cut = self.rng.usize(0..b.len().max(1));
                Some((status, b.slice(..cut.min(b.len()))))
            }
        };
        out
    }
}
