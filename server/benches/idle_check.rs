//! Idle-check benchmark: `cargo bench -p zhifa-server`.
//!
//! Starts the real `zhifa-server` binary (release) on loopback with a fresh
//! SQLite database holding 50 cases of one officer, then measures
//! 1. one idle check of 50 cases: request/response bytes and the server's
//!    CPU time per request (from /proc/<pid>/stat over many sequential checks);
//! 2. sustained idle checks per second from 200 concurrent clients (each its
//!    own keep-alive connection), with latency percentiles.
//!
//! Environment: `BENCH_SECONDS` (default 10), `BENCH_CLIENTS` (default 200).

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use hdrhistogram::Histogram;
use zhifa_bench::line::Target::{self, AtLeast, AtMost};
use zhifa_core::seal::DeviceKey;
use zhifa_core::sync::{
    heads_to_hex, CaseHeads, CheckRequest, CheckResponse, DeviceRegistration, LoginRequest,
    LoginResponse,
};
use zhifa_server::store::{CaseMeta, CaseWrite, DocWrite};
use zhifa_server::{build_state, Config};

const CASES: usize = 50;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// utime + stime of a process, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which is in parentheses).
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    ticks / 100.0
}

fn random32() -> [u8; 32] {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).expect("os rng");
    b
}

async fn prepare(dir: &std::path::Path) -> Vec<CaseHeads> {
    let mut config = Config::for_data_dir(dir);
    config.demo = true;
    config.demo_cases = false;
    let state = build_state(config).await.expect("state");
    let officer = state
        .db(|s| s.account_by_username("zhangwei"))
        .await
        .expect("db")
        .expect("demo officer");
    let mut writes = Vec::new();
    let mut heads = Vec::new();
    for i in 0..CASES {
        let id = uuid::Uuid::new_v4().to_string();
        let mut doc = automerge::AutoCommit::new();
        doc.put(automerge::ROOT, "title", format!("档案安全检查 {i}"))
            .expect("put");
        doc.commit();
        let h = heads_to_hex(&doc.get_heads());
        let now = "2026-03-02T02:00:00.000Z".to_string();
        writes.push(CaseWrite {
            meta: CaseMeta {
                id: id.clone(),
                unit_id: officer.unit_id.clone(),
                title: format!("档案安全检查 {i}"),
                stage: "investigation".into(),
                kind: "inspection".into(),
                created_by: officer.id.clone(),
                officers: vec![officer.id.clone()],
                heads: h.clone(),
                created_at: now.clone(),
                updated_at: now,
            },
            doc: DocWrite::Replace(doc.save()),
            media: Vec::new(),
            index: Default::default(),
        });
        heads.push(CaseHeads {
            case_id: id,
            heads: h,
        });
    }
    state
        .db(move |s| s.commit_sync(&writes, &[], &[]))
        .await
        .expect("commit");
    heads
}

async fn login(http: &reqwest::Client, base: &str) -> String {
    let key = DeviceKey::from_secret(random32());
    let req = LoginRequest {
        username: "zhangwei".into(),
        password: "demo1234".into(),
        device: DeviceRegistration {
            name: "bench".into(),
            public_key: key.public_hex(),
            actor_id: hex::encode(&random32()[..16]),
        },
    };
    let res: LoginResponse = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&req)
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login json");
    res.token
}

async fn check(http: &reqwest::Client, url: &str, token: &str, body: &bytes::Bytes) -> usize {
    let res = http
        .post(url)
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .expect("check");
    assert!(res.status().is_success(), "{}", res.status());
    res.bytes().await.expect("body").len()
}

/// The `BENCH` line of one figure (zhifa-bench collects them).
fn fig(figure: &str, value: f64, unit: &str, target: Target, full: bool) {
    zhifa_bench::line::emit("idle_check", figure, value, unit, target, full);
}

/// Prints a load run; returns its throughput in checks per second.
/// Bytes of the status line and headers of one check's answer, as received.
async fn answer_header_bytes(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    body: &bytes::Bytes,
) -> usize {
    let res = http
        .post(url)
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .expect("check");
    let headers: usize = res
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + 2 + v.as_bytes().len() + 2)
        .sum();
    let _ = res.bytes().await;
    "HTTP/1.1 200 OK\r\n".len() + headers + 2
}

fn report(total: u64, hist: &Histogram<u64>, cpu: f64, seconds: u64) -> f64 {
    let measured = seconds.saturating_sub(1).max(1) as f64;
    println!("throughput        {:.0} checks/s", total as f64 / measured);
    println!(
        "latency           p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        hist.value_at_quantile(0.50) as f64 / 1000.0,
        hist.value_at_quantile(0.99) as f64 / 1000.0,
        hist.max() as f64 / 1000.0
    );
    println!("server CPU        {:.2} cores busy on average (the load generator shares the same 2 cores)", cpu / seconds as f64);
    total as f64 / measured
}

/// Runs `clients` concurrent clients for `seconds`; with `rate`, each client
/// paces itself so that all together send `rate` checks per second.
async fn load(
    pid: u32,
    url: &str,
    body: &bytes::Bytes,
    tokens: &Arc<Vec<String>>,
    clients: usize,
    seconds: u64,
    rate: Option<u64>,
) -> (u64, Histogram<u64>, f64) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let warmup_end = Instant::now() + Duration::from_secs(1);
    let cpu0 = cpu_seconds(pid);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let url = url.to_string();
        let body = body.clone();
        let tokens = tokens.clone();
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .build()
                .expect("client");
            let token = &tokens[c % tokens.len()];
            let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram");
            let mut count = 0u64;
            let mut tick = rate.map(|r| {
                let period = Duration::from_secs_f64(clients as f64 / r as f64);
                let start = tokio::time::Instant::now() + period.mul_f64(c as f64 / clients as f64);
                let mut i = tokio::time::interval_at(start, period);
                i.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                i
            });
            while Instant::now() < deadline {
                if let Some(i) = tick.as_mut() {
                    i.tick().await;
                }
                let t = Instant::now();
                check(&http, &url, token, &body).await;
                if t >= warmup_end {
                    hist.record(t.elapsed().as_micros() as u64).ok();
                    count += 1;
                }
            }
            (hist, count)
        }));
    }
    let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram");
    let mut total = 0;
    for t in tasks {
        let (h, c) = t.await.expect("client task");
        hist.add(h).expect("merge");
        total += c;
    }
    (total, hist, cpu_seconds(pid) - cpu0)
}

fn main() {
    // `cargo bench` passes `--bench`; without it (`cargo test --all-targets`
    // runs bench targets too, in debug) a short smoke run only.
    let full = std::env::args().any(|a| a == "--bench");
    if !full {
        println!("(smoke run: not invoked by `cargo bench`, figures not meaningful)");
    }
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if full { 10 } else { 2 });
    let clients: usize = std::env::var("BENCH_CLIENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if full { 200 } else { 10 });
    let rate: u64 = std::env::var("BENCH_RATE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2500);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let dir = tempfile::tempdir().expect("tempdir");
        let cases = prepare(dir.path()).await;
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
        let child = Command::new(env!("CARGO_BIN_EXE_zhifa-server"))
            .args(["--data", &dir.path().display().to_string(), "--bind", &format!("127.0.0.1:{port}")])
            .env("ZHIFA_LOG", "warn")
            .env("ZHIFA_DB_READERS", "4")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("server binary");
        let server = Server(child);
        let pid = server.0.id();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder().no_gzip().build().expect("client");
        for _ in 0..100 {
            if http.get(format!("{base}/healthz")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let url = format!("{base}/api/v1/sync/check");
        let req = CheckRequest::from_hex_heads(cases.iter().map(|c| (c.case_id.clone(), c.heads.clone())));
        let body = bytes::Bytes::from(serde_json::to_vec(&req).expect("json"));
        let token = login(&http, &base).await;

        // 1. One idle check of 50 cases.
        let res: CheckResponse = http
            .post(&url)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .expect("check")
            .json()
            .await
            .expect("json");
        assert!(res.changed.is_empty() && res.unknown.is_empty() && res.available.is_empty(), "{res:?}");
        let header_bytes = format!(
            "POST /api/v1/sync/check HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nauthorization: Bearer {token}\r\ncontent-type: application/json\r\ncontent-length: {}\r\naccept: */*\r\n\r\n",
            body.len()
        )
        .len();
        let n = if full { 3000 } else { 100 };
        for _ in 0..n / 15 {
            check(&http, &url, &token, &body).await;
        }
        let cpu0 = cpu_seconds(pid);
        let t0 = Instant::now();
        let mut resp_bytes = 0;
        for _ in 0..n {
            resp_bytes = check(&http, &url, &token, &body).await;
        }
        let wall = t0.elapsed();
        let cpu = cpu_seconds(pid) - cpu0;
        println!("== idle check of {CASES} cases (one client, sequential, {n} requests) ==");
        println!("request body      {} bytes (+ ~{} bytes of HTTP/1.1 headers)", body.len(), header_bytes);
        println!("response body     {resp_bytes} bytes");
        println!("server CPU        {:.1} µs per request (utime+stime of the server process)", cpu * 1e6 / n as f64);
        println!("round trip        {:.1} µs mean", wall.as_secs_f64() * 1e6 / n as f64);
        fig(&format!("server CPU per idle check of {CASES} cases"), cpu * 1e6 / n as f64, "µs", AtMost(40.0), full);
        fig(
            &format!("idle check of {CASES} cases, one client, round trip (mean)"),
            wall.as_secs_f64() * 1e6 / n as f64,
            "µs",
            Target::None,
            full,
        );
        fig(&format!("idle check of {CASES} cases, request body"), body.len() as f64, "bytes", Target::None, full);
        // Bytes at the socket of one check: request line + headers + body,
        // status line + headers + body (the answer's headers as received).
        let answer_headers = answer_header_bytes(&http, &url, &token, &body).await;
        fig(
            &format!("idle check of {CASES} cases, wire bytes per check"),
            (header_bytes + body.len() + answer_headers + resp_bytes) as f64,
            "bytes",
            Target::None,
            full,
        );

        // 1b. The same with a gzip-compressed body.
        let zipped = {
            use std::io::Write;
            let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            z.write_all(&body).expect("gzip");
            bytes::Bytes::from(z.finish().expect("gzip"))
        };
        let cpu0 = cpu_seconds(pid);
        for _ in 0..n {
            let res = http
                .post(&url)
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .header("content-encoding", "gzip")
                .body(zipped.clone())
                .send()
                .await
                .expect("check");
            assert!(res.status().is_success(), "{}", res.status());
            res.bytes().await.expect("body");
        }
        let cpu = cpu_seconds(pid) - cpu0;
        println!(
            "gzip body         {} bytes, server CPU {:.1} µs per request",
            zipped.len(),
            cpu * 1e6 / n as f64
        );
        // As a device sends it (bodies over 1 KiB gzipped): the same check's
        // bytes at the socket with the gzip body and its header.
        let gz_headers = format!(
            "POST /api/v1/sync/check HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nauthorization: Bearer {token}\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\naccept: */*\r\n\r\n",
            zipped.len()
        )
        .len();
        fig(
            &format!("idle check of {CASES} cases, wire bytes per check (gzip body, as devices send)"),
            (gz_headers + zipped.len() + answer_headers + resp_bytes) as f64,
            "bytes",
            Target::None,
            full,
        );

        // 2. Sustained load: closed loop (as fast as possible), then paced.
        let mut tokens = Vec::new();
        for _ in 0..clients.min(50) {
            tokens.push(login(&http, &base).await);
        }
        let tokens = Arc::new(tokens);
        let (total, hist, cpu) = load(pid, &url, &body, &tokens, clients, seconds, None).await;
        println!("== sustained idle checks, closed loop: {clients} concurrent clients, {seconds} s (first second excluded) ==");
        let closed = report(total, &hist, cpu, seconds);
        fig(
            &format!("idle checks/s, closed loop, {clients} clients, 2 cores"),
            closed,
            "/s",
            AtLeast(15_000.0),
            full,
        );
        fig(
            &format!("idle check of {CASES} cases, wall time per check (closed loop)"),
            1e6 / closed.max(1.0),
            "µs",
            Target::None,
            full,
        );
        let rate = if full { rate } else { 100 };
        let (total, hist, cpu) = load(pid, &url, &body, &tokens, clients, seconds, Some(rate)).await;
        println!("== sustained idle checks, paced at {rate}/s: {clients} concurrent clients, {seconds} s (first second excluded) ==");
        report(total, &hist, cpu, seconds);
        fig(
            &format!("idle check p99 latency, paced at {rate}/s"),
            hist.value_at_quantile(0.99) as f64 / 1000.0,
            "ms",
            Target::None,
            full,
        );
        drop(server);
    });
}
