//! Sync benchmark: `cargo bench -p zhifa-server --bench sync_bench`.
//!
//! Runs the real router in-process on loopback (SQLite in a temporary folder)
//! with devices that hold `CaseDoc`s and run the protocol of `server/README.md`:
//! 1. an officer's day: 300 edits on 8 cases offline while the office makes
//!    50 edits on the same cases; then the officer's evening sync: round
//!    trips, wire bytes against the raw edit content, time;
//! 2. a new device of the same officer fetching 50 cases: server time of the
//!    snapshot request;
//! 3. the idle check of those 50 cases: request bytes and time (the
//!    throughput figures come from `--bench idle_check`).
//!
//! Without `--bench` (as `cargo test --all-targets` runs it, in debug) a
//! small smoke run checks that everything works; its figures mean nothing.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use automerge::sync::{Message, State as SyncState, SyncDoc};
use automerge::ChangeHash;
use zhifa_bench::line::Target::{self, AtMost};
use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, EventKind, Officer, Stage};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::record::FieldValue;
use zhifa_core::seal::DeviceKey;
use zhifa_core::sync::{
    case_message, heads_from_hex, CheckRequest, CheckResponse, DeviceRegistration, LoginRequest,
    LoginResponse, SnapshotRequest, SnapshotResponse, SyncRequest, SyncResponse,
};
use zhifa_core::template::TemplateRegistry;
use zhifa_server::{build_state, serve, Config};

const AT: &str = "2026-03-02T09:30:00+08:00";

/// Phrases the generated texts are made of (what officers type).
const PHRASES: &[&str] = &[
    "档案库房温湿度记录不完整",
    "现场查看了档案柜和消防设施",
    "当事人对检查结果无异议",
    "要求十五日内完成整改并书面报告",
    "库房内未发现明显安全隐患",
    "电子档案备份未按规定异地保存",
    "已向当事人出示执法证件并说明来意",
    "检查人员二名，记录人一名",
    "部分案卷目录与实物不符",
    "档案移交清单签字手续不全",
];

/// Bytes moved over HTTP by one phase.
#[derive(Debug, Default, Clone, Copy)]
struct Wire {
    requests: usize,
    body_up: usize,
    body_down: usize,
    headers_up: usize,
    headers_down: usize,
    /// Sum of the server's `Server-Timing` durations, ms.
    server_ms: f64,
}

impl Wire {
    fn bodies(&self) -> usize {
        self.body_up + self.body_down
    }
    fn total(&self) -> usize {
        self.bodies() + self.headers_up + self.headers_down
    }
}

struct Dev {
    http: reqwest::Client,
    base: String,
    login: LoginResponse,
    actor: Vec<u8>,
    docs: BTreeMap<String, CaseDoc>,
    states: BTreeMap<String, SyncState>,
    /// Heads of the last receipt per case: what the server is known to hold.
    acked: BTreeMap<String, Vec<ChangeHash>>,
    /// Send bodies gzip-compressed and accept gzip answers.
    gzip: bool,
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::getrandom(&mut b).expect("os rng");
    b
}

impl Dev {
    async fn login(base: &str, username: &str) -> Dev {
        let http = reqwest::Client::builder()
            .no_gzip()
            .build()
            .expect("client");
        let actor = random_bytes::<16>().to_vec();
        let req = LoginRequest {
            username: username.into(),
            password: "demo1234".into(),
            device: DeviceRegistration {
                name: format!("bench ({username})"),
                public_key: DeviceKey::from_secret(random_bytes::<32>()).public_hex(),
                actor_id: hex::encode(&actor),
            },
        };
        let login: LoginResponse = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&req)
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("login json");
        Dev {
            http,
            base: base.into(),
            login,
            actor,
            docs: BTreeMap::new(),
            states: BTreeMap::new(),
            acked: BTreeMap::new(),
            gzip: false,
        }
    }

    fn edit<R>(&mut self, id: &str, f: impl FnOnce(&mut CaseDoc, &Actor<'_>) -> R) -> R {
        let who = Actor {
            user: &self.login.officer.id,
            device: &self.login.device_id,
            at: AT,
        };
        f(self.docs.get_mut(id).expect("case"), &who)
    }

    fn officer(&self) -> Officer {
        let o = &self.login.officer;
        Officer {
            id: o.id.clone(),
            name: o.name.clone(),
            post: o.post.clone(),
            credential_no: o.credential_no.clone(),
            unit: o.unit_id.clone(),
            status: zhifa_core::case::OfficerStatus::Active,
        }
    }

    fn create_case(&mut self, title: &str, partner: &Officer) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let header = CaseHeader {
            id: id.clone(),
            kind: CaseKind::Inspection,
            procedure: None,
            title: title.into(),
            source: CaseSource::RandomInspection,
            stage: Stage::Investigation,
            unit: self.login.officer.unit_id.clone(),
            created_at: AT.into(),
            created_by: self.login.officer.id.clone(),
            source_ref: None,
            fine_fen: None,
            measures: Vec::new(),
        };
        let who = Actor {
            user: &self.login.officer.id,
            device: &self.login.device_id,
            at: AT,
        };
        let mut doc = CaseDoc::create(&header, &self.actor, &who).expect("case");
        let me = self.officer();
        doc.add_officer(&me, &who).expect("officer");
        doc.add_officer(partner, &who).expect("officer");
        let tpl = TemplateRegistry::builtin()
            .get("inspection_record", 1)
            .expect("template");
        doc.create_record("rec-1", tpl, &who).expect("record");
        self.docs.insert(id.clone(), doc);
        id
    }

    /// One POST; returns the answer body and adds to `wire` the bytes as
    /// they travel (compressed when `gzip`).
    async fn post(&self, path: &str, body: Vec<u8>, wire: &mut Wire) -> bytes::Bytes {
        use std::io::{Read, Write};
        let url = format!("{}{path}", self.base);
        let body = if self.gzip {
            let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            z.write_all(&body).expect("gzip");
            z.finish().expect("gzip")
        } else {
            body
        };
        wire.requests += 1;
        wire.body_up += body.len();
        // Request line and headers as reqwest writes them.
        let extra = if self.gzip {
            "content-encoding: gzip\r\naccept-encoding: gzip\r\n"
        } else {
            ""
        };
        wire.headers_up += format!(
            "POST {path} HTTP/1.1\r\ncontent-type: application/json\r\n{extra}authorization: Bearer {}\r\naccept: */*\r\nhost: {}\r\ncontent-length: {}\r\n\r\n",
            self.login.token,
            self.base.trim_start_matches("http://"),
            body.len()
        )
        .len();
        let mut req = self
            .http
            .post(url)
            .bearer_auth(&self.login.token)
            .header("content-type", "application/json");
        if self.gzip {
            req = req
                .header("content-encoding", "gzip")
                .header("accept-encoding", "gzip");
        }
        let res = req.body(body).send().await.expect("send");
        assert!(res.status().is_success(), "{path}: {}", res.status());
        wire.headers_down += 17
            + res
                .headers()
                .iter()
                .map(|(k, v)| k.as_str().len() + v.len() + 4)
                .sum::<usize>()
            + 2;
        wire.server_ms += res
            .headers()
            .get("server-timing")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split("dur=").nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0);
        let gzipped = res
            .headers()
            .get("content-encoding")
            .is_some_and(|v| v == "gzip");
        let b = res.bytes().await.expect("body");
        wire.body_down += b.len();
        if gzipped {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&b[..])
                .read_to_end(&mut out)
                .expect("gunzip");
            out.into()
        } else {
            b
        }
    }

    fn check_request(&mut self) -> CheckRequest {
        CheckRequest::from_heads(
            self.docs
                .iter_mut()
                .map(|(id, d)| (id.clone(), d.heads()))
                .collect::<Vec<_>>(),
        )
    }

    /// Fetches whole cases (snapshots), 200 per request.
    async fn fetch(&mut self, ids: Vec<String>, wire: &mut Wire) {
        for ids in ids.chunks(200) {
            let req = SnapshotRequest {
                case_ids: ids.to_vec(),
            };
            let body = serde_json::to_vec(&req).expect("json");
            let res: SnapshotResponse =
                serde_json::from_slice(&self.post("/api/v1/sync/snapshots", body, wire).await)
                    .expect("snapshots json");
            for s in res.snapshots {
                let doc = CaseDoc::load(&s.document, &self.actor).expect("load");
                self.acked.insert(
                    s.case_id.clone(),
                    heads_from_hex(&s.receipt.heads).expect("heads"),
                );
                self.docs.insert(s.case_id.clone(), doc);
                self.states.insert(s.case_id, SyncState::new());
            }
        }
    }

    /// A whole sync session. Round one of each case carries the changes
    /// made since the last receipt's heads, so that a day's edits travel in
    /// the first exchange; a case is done when its heads equal the
    /// server's heads of the last answer.
    async fn sync(&mut self) -> Wire {
        let mut wire = Wire::default();
        let req = self.check_request();
        let check: CheckResponse = serde_json::from_slice(
            &self
                .post(
                    "/api/v1/sync/check",
                    serde_json::to_vec(&req).expect("json"),
                    &mut wire,
                )
                .await,
        )
        .expect("check json");
        let available: Vec<String> = check.available.iter().map(|c| c.case_id.clone()).collect();
        self.fetch(available, &mut wire).await;
        let mut todo: Vec<String> = check
            .changed
            .iter()
            .chain(&check.unknown)
            .cloned()
            .collect();
        for id in &todo {
            let st = self.states.remove(id).unwrap_or_default();
            self.states.insert(
                id.clone(),
                SyncState::decode(&st.encode()).unwrap_or_default(),
            );
        }
        let mut round = 0;
        while !todo.is_empty() {
            round += 1;
            assert!(round <= 10, "sync does not converge");
            let mut messages = Vec::new();
            for id in &todo {
                let mut st = self.states.remove(id).unwrap_or_default();
                let doc = self.docs.get_mut(id).expect("doc");
                let own_since = (round == 1).then(|| self.acked.get(id).map_or(&[][..], |h| h));
                messages.extend(case_message(id, doc, &mut st, own_since));
                self.states.insert(id.clone(), st);
            }
            if messages.is_empty() {
                break;
            }
            let body = serde_json::to_vec(&SyncRequest { messages }).expect("json");
            let answer: SyncResponse =
                serde_json::from_slice(&self.post("/api/v1/sync/exchange", body, &mut wire).await)
                    .expect("exchange json");
            let mut next = Vec::new();
            for c in answer.cases {
                let doc = self.docs.get_mut(&c.case_id).expect("doc");
                if let Some(bytes) = c.message {
                    let mut st = self.states.remove(&c.case_id).unwrap_or_default();
                    doc.automerge()
                        .sync()
                        .receive_sync_message(&mut st, Message::decode(&bytes).expect("msg"))
                        .expect("receive");
                    self.states.insert(c.case_id.clone(), st);
                }
                if let Some(r) = &c.receipt {
                    self.acked
                        .insert(c.case_id.clone(), heads_from_hex(&r.heads).expect("heads"));
                }
                let server = heads_from_hex(&c.heads).expect("heads");
                let mut mine = doc.heads();
                mine.sort();
                let mut theirs = server;
                theirs.sort();
                if mine != theirs {
                    next.push(c.case_id);
                }
            }
            todo = next;
        }
        wire
    }
}

fn sentence(rng: &mut fastrand::Rng, parts: usize) -> String {
    (0..parts)
        .map(|_| PHRASES[rng.usize(0..PHRASES.len())])
        .collect::<Vec<_>>()
        .join("，")
}

/// One edit by a device; returns the bytes of text it wrote.
fn officer_edit(d: &mut Dev, case: &str, rng: &mut fastrand::Rng) -> usize {
    let kind = rng.usize(0..10);
    let text = match kind {
        0..=2 => sentence(rng, 1),
        _ => {
            let parts = 2 + rng.usize(0..3);
            sentence(rng, parts)
        }
    };
    let n = text.len();
    d.edit(case, |doc, who| match kind {
        0 => doc.set_field("rec-1", "place", FieldValue::Text(text), who),
        1 => doc.set_field("rec-1", "present_person", FieldValue::Text(text), who),
        2 | 3 => doc.log_event(EventKind::CredentialShown, who, None, &text),
        4 | 5 => doc.set_field("rec-1", "problems", FieldValue::Text(text), who),
        6 => doc.set_field("rec-1", "rectification", FieldValue::Text(text), who),
        _ => doc.set_field("rec-1", "findings", FieldValue::Text(text), who),
    })
    .expect("edit");
    n
}

fn pct(sorted: &[Duration], q: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

/// An officer's day: `edits` edits on `cases` cases offline while the
/// office makes `office_edits` edits, then the officer's evening sync.
async fn officer_day(
    base: &str,
    gzip: bool,
    full: bool,
    (cases, edits, office_edits): (usize, usize, usize),
    rng: &mut fastrand::Rng,
) {
    let mut zhang = Dev::login(base, "zhangwei").await;
    let mut office = Dev::login(base, "sunjianguo").await;
    zhang.gzip = gzip;
    office.gzip = gzip;
    let partner = Dev::login(base, "lina").await.officer();
    let mut day_cases = Vec::new();
    for i in 0..cases {
        day_cases.push(zhang.create_case(&format!("档案安全检查 {i}"), &partner));
    }
    zhang.sync().await;
    // The leader sees every case in the office listing and opens these.
    office.fetch(day_cases.clone(), &mut Wire::default()).await;
    let mut raw_officer = 0;
    for i in 0..edits {
        let c = day_cases[i % day_cases.len()].clone();
        raw_officer += officer_edit(&mut zhang, &c, rng);
    }
    let mut raw_office = 0;
    for i in 0..office_edits {
        let c = day_cases[(i * 3) % day_cases.len()].clone();
        let text = format!("审核意见：{}", sentence(rng, 2));
        raw_office += text.len();
        office
            .edit(&c, |doc, who| {
                doc.log_event(EventKind::ReviewSubmitted, who, None, &text)
            })
            .expect("office edit");
    }
    // Automerge bytes of the day's changes (what the CRDT stores).
    let change_bytes = |d: &mut Dev| -> usize {
        let mut n = 0;
        for c in &day_cases {
            let since = d.acked.get(c).cloned().unwrap_or_default();
            let doc = d.docs.get_mut(c).expect("doc").automerge();
            n += doc
                .get_changes(&since)
                .iter()
                .map(|c| c.raw_bytes().len())
                .sum::<usize>();
        }
        n
    };
    let am_officer = change_bytes(&mut zhang);
    let am_office = change_bytes(&mut office);
    let office_wire = office.sync().await;
    let t = Instant::now();
    let evening = zhang.sync().await;
    let evening_time = t.elapsed();
    office.sync().await;
    for c in &day_cases {
        let mut a = zhang.docs.get_mut(c).expect("doc").heads();
        let mut b = office.docs.get_mut(c).expect("doc").heads();
        a.sort();
        b.sort();
        assert_eq!(a, b, "officer and office converge");
    }
    let raw = raw_officer + raw_office;
    let am = am_officer + am_office;
    let mode = if gzip { "gzip bodies" } else { "plain JSON" };
    println!("== an officer's day ({mode}): {edits} edits on {cases} cases offline, {office_edits} office edits ==");
    println!("raw edit content  {raw} bytes of typed text (UTF-8; officer {raw_officer}, office {raw_office})");
    println!(
        "automerge changes {am} bytes for {} changes (officer {am_officer}, office {am_office})",
        edits + office_edits
    );
    println!(
        "evening sync      {} round trips (1 idle check + {} exchange), {:.1} ms ({:.1} ms in the server)",
        evening.requests,
        evening.requests - 1,
        evening_time.as_secs_f64() * 1e3,
        evening.server_ms
    );
    println!(
        "wire bytes        bodies {} (up {}, down {}), with HTTP headers {}",
        evening.bodies(),
        evening.body_up,
        evening.body_down,
        evening.total()
    );
    println!(
        "wire / raw        {:.2}× typed text ({:.2}× with headers); {:.2}× the Automerge change bytes",
        evening.bodies() as f64 / raw as f64,
        evening.total() as f64 / raw as f64,
        evening.bodies() as f64 / am as f64
    );
    println!(
        "office upload     {} round trips, bodies {} bytes for {office_edits} edits",
        office_wire.requests,
        office_wire.bodies()
    );
    // Devices gzip bodies by default (zhifa-device sync/http.rs): the
    // targets of issue 17 hold for that mode.
    let target = |t: Target| if gzip { t } else { Target::None };
    fig(
        &format!("officer's day ({mode}): exchange round trips after the idle check"),
        (evening.requests - 1) as f64,
        "round trips",
        target(AtMost(1.0)),
        full,
    );
    fig(
        &format!("officer's day ({mode}): wire bodies / typed text"),
        evening.bodies() as f64 / raw as f64,
        "×",
        target(AtMost(1.0)),
        full,
    );
    fig(
        &format!("officer's day ({mode}): wire bytes with headers"),
        evening.total() as f64,
        "bytes",
        Target::None,
        full,
    );
    fig(
        &format!("officer's day ({mode}): evening sync server time"),
        evening.server_ms,
        "ms",
        Target::None,
        full,
    );
    fig(
        &format!("officer's day ({mode}): evening sync wall time"),
        evening_time.as_secs_f64() * 1e3,
        "ms",
        Target::None,
        full,
    );
}

/// The `BENCH` line of one figure (zhifa-bench collects them).
fn fig(figure: &str, value: f64, unit: &str, target: Target, full: bool) {
    zhifa_bench::line::emit("sync_bench", figure, value, unit, target, full);
}

/// An officer with `total` cases (a snapshot plus change chunks each, as in
/// real use) gets a new device that fetches them all; then the idle check
/// of those cases.
async fn new_device(base: &str, total: usize, repeats: usize, full: bool, rng: &mut fastrand::Rng) {
    let partner = Dev::login(base, "lina").await.officer();
    let mut zhang = Dev::login(base, "zhangwei").await;
    zhang.sync().await;
    for i in zhang.docs.len()..total {
        let id = zhang.create_case(&format!("随机抽查 {i}"), &partner);
        for _ in 0..30 {
            officer_edit(&mut zhang, &id, rng);
        }
    }
    zhang.sync().await;
    for _ in 0..3 {
        let ids: Vec<String> = zhang.docs.keys().cloned().collect();
        for id in &ids {
            officer_edit(&mut zhang, id, rng);
        }
        zhang.sync().await;
    }
    // The peer of zhifa-bench (bench/peer) serves these very documents.
    if let Some(dir) = std::env::var_os("ZHIFA_BENCH_EXPORT") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("export folder");
        for (id, doc) in zhang.docs.iter_mut() {
            std::fs::write(dir.join(format!("{id}.automerge")), doc.save()).expect("export");
        }
        println!(
            "exported {} case documents to {}",
            zhang.docs.len(),
            dir.display()
        );
    }
    for gzip in [false, true] {
        let mut fresh = Dev::login(base, "zhangwei").await;
        fresh.gzip = gzip;
        let t = Instant::now();
        let first = fresh.sync().await;
        let first_time = t.elapsed();
        assert_eq!(fresh.docs.len(), total, "new device has every case");
        let ids: Vec<String> = fresh.docs.keys().cloned().collect();
        let body = serde_json::to_vec(&SnapshotRequest { case_ids: ids }).expect("json");
        let mut times = Vec::new();
        let mut server = Vec::new();
        let mut w = Wire::default();
        for _ in 0..repeats {
            w = Wire::default();
            let t = Instant::now();
            fresh
                .post("/api/v1/sync/snapshots", body.clone(), &mut w)
                .await;
            times.push(t.elapsed());
            server.push(Duration::from_secs_f64(w.server_ms / 1e3));
        }
        times.sort();
        server.sort();
        let mode = if gzip { "gzip answers" } else { "plain JSON" };
        println!("== a new device fetching {total} cases ({mode}) ==");
        println!(
            "first sync        {} round trips, {} bytes down, {:.1} ms including loading the documents",
            first.requests,
            first.body_down,
            first_time.as_secs_f64() * 1e3
        );
        println!(
            "snapshots request {} bytes down; server time median {:.2} ms, p90 {:.2} ms, max {:.2} ms; request → last byte median {:.2} ms, p90 {:.2} ms ({repeats} runs)",
            w.body_down,
            pct(&server, 0.5),
            pct(&server, 0.9),
            pct(&server, 1.0),
            pct(&times, 0.5),
            pct(&times, 0.9)
        );
        fig(
            &format!("new device, {total} cases ({mode}): first sync wall time"),
            first_time.as_secs_f64() * 1e3,
            "ms",
            Target::None,
            full,
        );
        fig(
            &format!("new device, {total} cases ({mode}): first sync server time"),
            first.server_ms,
            "ms",
            Target::None,
            full,
        );
        fig(
            &format!("new device, {total} cases ({mode}): wire bytes with headers"),
            first.total() as f64,
            "bytes",
            Target::None,
            full,
        );
        fig(
            &format!("new device, {total} cases ({mode}): bytes down"),
            first.body_down as f64,
            "bytes",
            Target::None,
            full,
        );

        // The idle check of those cases.
        let req = fresh.check_request();
        let body = serde_json::to_vec(&req).expect("json");
        let mut times = Vec::new();
        let mut server = Vec::new();
        for _ in 0..repeats * 20 {
            w = Wire::default();
            let t = Instant::now();
            fresh.post("/api/v1/sync/check", body.clone(), &mut w).await;
            times.push(t.elapsed());
            server.push(Duration::from_secs_f64(w.server_ms / 1e3));
        }
        times.sort();
        server.sort();
        println!(
            "idle check        {} cases: request body {} bytes{}, answer {} bytes; server time median {:.3} ms; round trip median {:.2} ms, p99 {:.2} ms",
            req.cases.len(),
            w.body_up,
            if gzip { " (gzip)" } else { "" },
            w.body_down,
            pct(&server, 0.5),
            pct(&times, 0.5),
            pct(&times, 0.99)
        );
    }
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    if !full {
        println!("(smoke run: not invoked by `cargo bench`, figures not meaningful)");
    }
    let (day, total, repeats) = if full {
        ((8, 300, 50), 50, 30)
    } else {
        ((3, 30, 5), 8, 2)
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = Config::for_data_dir(dir.path());
        config.demo = true;
        config.demo_cases = false;
        config.log = "warn".into();
        let state = build_state(config).await.expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(serve(listener, state, async move {
            let _ = stopped.await;
        }));
        let mut rng = fastrand::Rng::with_seed(20260302);
        officer_day(&base, false, full, day, &mut rng).await;
        officer_day(&base, true, full, day, &mut rng).await;
        new_device(&base, total, repeats, full, &mut rng).await;
    });
}
