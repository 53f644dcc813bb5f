//! Prometheus metrics, served as text at `GET /metrics` when
//! `metrics` is enabled in the configuration.
//!
//! Every series is labelled only with route templates (never raw paths),
//! methods and statuses, so no case id, hash or name reaches a label.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

/// The route label of requests no route matched.
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// The server's metrics, one registry per server (tests run several).
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    sync_rounds: IntCounter,
    sync_changes: IntCounter,
    sync_checks: IntCounter,
    snapshots: IntCounter,
    sync_bytes_in: IntCounter,
    sync_bytes_out: IntCounter,
    media_bytes: IntCounter,
    partial_uploads: IntGauge,
    login_failures: IntCounter,
    login_lockouts: IntCounter,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

fn counter(registry: &Registry, name: &str, help: &str) -> IntCounter {
    let c = IntCounter::new(name, help).unwrap_or_else(|e| panic!("metric {name}: {e}"));
    if let Err(e) = registry.register(Box::new(c.clone())) {
        panic!("metric {name}: {e}");
    }
    c
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// A fresh registry with every series at zero. Panics only on a
    /// programming error in the fixed metric definitions below.
    pub fn new() -> Metrics {
        let registry = Registry::new_custom(Some("zhifa".into()), None)
            .unwrap_or_else(|e| panic!("metrics registry: {e}"));
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )
        .unwrap_or_else(|e| panic!("http_requests_total: {e}"));
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time from request to answer headers, by route and method",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["route", "method"],
        )
        .unwrap_or_else(|e| panic!("http_request_duration_seconds: {e}"));
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
        ] {
            if let Err(e) = registry.register(c) {
                panic!("metrics: {e}");
            }
        }
        let partial_uploads = IntGauge::new(
            "media_partial_uploads",
            "Unfinished media uploads (partial files on disk)",
        )
        .unwrap_or_else(|e| panic!("media_partial_uploads: {e}"));
        if let Err(e) = registry.register(Box::new(partial_uploads.clone())) {
            panic!("media_partial_uploads: {e}");
        }
        let r = &registry;
        Metrics {
            requests,
            latency,
            sync_rounds: counter(r, "sync_rounds_total", "Exchange rounds answered"),
            sync_changes: counter(
                r,
                "sync_changes_accepted_total",
                "Automerge changes accepted in exchange rounds",
            ),
            sync_checks: counter(r, "sync_checks_total", "Idle checks answered"),
            snapshots: counter(r, "sync_snapshots_total", "Case snapshots served"),
            sync_bytes_in: counter(
                r,
                "sync_received_bytes_total",
                "Request bytes of the sync endpoints as received (gzip bodies counted compressed)",
            ),
            sync_bytes_out: counter(
                r,
                "sync_sent_bytes_total",
                "Answer bytes of the sync endpoints before gzip compression",
            ),
            media_bytes: counter(
                r,
                "media_uploaded_bytes_total",
                "Media bytes accepted by upload PATCH requests",
            ),
            partial_uploads,
            login_failures: counter(r, "login_failures_total", "Failed logins (API and console)"),
            login_lockouts: counter(
                r,
                "login_lockouts_total",
                "Logins locked after repeated failures (per account or address)",
            ),
            registry,
        }
    }

    /// Counts one answered request.
    pub fn observe_request(&self, route: &str, method: &Method, status: StatusCode, secs: f64) {
        let status = status.as_u16().to_string();
        self.requests
            .with_label_values(&[route, method.as_str(), &status])
            .inc();
        self.latency
            .with_label_values(&[route, method.as_str()])
            .observe(secs);
    }

    /// Counts one exchange round and the changes it accepted.
    pub fn sync_round(&self, accepted_changes: u64) {
        self.sync_rounds.inc();
        self.sync_changes.inc_by(accepted_changes);
    }

    /// Counts one idle check.
    pub fn sync_check(&self) {
        self.sync_checks.inc();
    }

    /// Counts snapshots served.
    pub fn snapshots_served(&self, n: u64) {
        self.snapshots.inc_by(n);
    }

    /// Counts sync traffic.
    pub fn sync_bytes(&self, received: u64, sent: u64) {
        self.sync_bytes_in.inc_by(received);
        self.sync_bytes_out.inc_by(sent);
    }

    /// Counts accepted media bytes.
    pub fn media_uploaded(&self, bytes: u64) {
        self.media_bytes.inc_by(bytes);
    }

    /// Renders every series in the Prometheus text format, after reading
    /// the values kept elsewhere (login counts, partial uploads on disk).
    /// `login` is (failures, lockouts) so far; `partial` the folder of
    /// unfinished uploads.
    pub fn render(&self, login: (u64, u64), partial: &std::path::Path) -> Result<String, String> {
        catch_up(&self.login_failures, login.0);
        catch_up(&self.login_lockouts, login.1);
        // Unfinished uploads sit in one folder per uploading account.
        let parts = |dir: &std::path::Path| {
            std::fs::read_dir(dir).map_or(0, |d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
                    .count()
            })
        };
        let open = parts(partial)
            + std::fs::read_dir(partial).map_or(0, |d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.path().is_dir())
                    .map(|e| parts(&e.path()))
                    .sum()
            });
        self.partial_uploads
            .set(i64::try_from(open).unwrap_or(i64::MAX));
        let mut out = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .map_err(|e| e.to_string())?;
        String::from_utf8(out).map_err(|e| e.to_string())
    }
}

/// Moves a counter up to a total counted elsewhere.
fn catch_up(c: &IntCounter, total: u64) {
    let now = c.get();
    if total > now {
        c.inc_by(total - now);
    }
}

/// A counter other modules bump without knowing about Prometheus.
#[derive(Debug, Default)]
pub struct Tally(AtomicU64);

impl Tally {
    /// Adds one.
    pub fn add(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// The total so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// The route template of a request, or [`UNMATCHED_ROUTE`].
pub fn route_of(req: &Request) -> String {
    req.extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| UNMATCHED_ROUTE.to_string())
}
