//! `cargo bench -p zhifa-cli --bench deadline_bench`
//!
//! 1. `zhifa deadline batch` throughput: pipes 1,000,000 generated JSON lines
//!    through the real binary (built with the bench profile = release) and
//!    measures wall time from spawn to exit. Target ≥ 200,000 lines/s.
//! 2. Recomputing the obligations of 20,000 cases (≈ 13 events each) with
//!    `DeadlineEngine::obligations`. Target ≤ 200 ms.
//!
//! Sizes can be overridden with ZHIFA_BENCH_LINES / ZHIFA_BENCH_CASES.

use std::hint::black_box;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use zhifa_bench::line::Target;

use chrono::{Days, NaiveDate};
use zhifa_core::deadlines::{CaseClock, DeadlineEngine, EventKind as K};

/// Small deterministic PRNG (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn batch_input(lines: usize) -> Vec<u8> {
    const RULES: [&str; 7] = [
        "working_days",
        "calendar_days",
        "calendar_days_raw",
        "months",
        "months_raw",
        "years",
        "years_raw",
    ];
    let base = NaiveDate::from_ymd_opt(2017, 1, 1).unwrap_or_default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::with_capacity(lines * 56);
    for i in 0..lines {
        let k = rng.below(7) as usize;
        let start = base + Days::new(rng.below(365 * 9));
        let n = match k {
            0..=2 => 1 + rng.below(90),
            3 | 4 => 1 + rng.below(12),
            _ => 1 + rng.below(3),
        };
        // One line in 1,000 is malformed, as real input sometimes is.
        if i % 1000 == 999 {
            out.extend_from_slice(
                b"{\"rule\":\"working_days\",\"start\":\"2024-13-01\",\"n\":5}\n",
            );
        } else {
            writeln!(
                out,
                "{{\"rule\":\"{}\",\"start\":\"{start}\",\"n\":{n}}}",
                RULES[k]
            )
            .ok();
        }
    }
    out
}

/// Runs the binary once over `input`; returns (elapsed, output lines).
fn run_batch(input: &[u8]) -> (Duration, usize) {
    let t0 = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhifa"))
        .args(["deadline", "batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn zhifa");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = child.stdout.take().expect("stdout");
    let lines = std::thread::scope(|s| {
        s.spawn(move || {
            stdin.write_all(input).expect("write batch input");
        });
        let mut buf = vec![0u8; 1 << 16];
        let mut count = 0usize;
        loop {
            match stdout.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => count += buf[..n].iter().filter(|&&b| b == b'\n').count(),
                Err(e) => panic!("read: {e}"),
            }
        }
        count
    });
    let status = child.wait().expect("wait zhifa");
    assert!(status.success(), "zhifa deadline batch failed: {status}");
    (t0.elapsed(), lines)
}

fn clocks(cases: usize) -> Vec<CaseClock> {
    let base = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap_or_default();
    let mut rng = Rng(42);
    (0..cases)
        .map(|i| {
            let day =
                |rng: &mut Rng, from: NaiveDate, max: u64| from + Days::new(1 + rng.below(max));
            let filed = base + Days::new(rng.below(900));
            let mut c = CaseClock::new(format!("BENCH-{i:05}"));
            c.fine_fen = Some(10_000 * (1 + rng.below(500) as i64));
            c.natural_person = rng.below(2) == 0;
            c.push(filed, K::CaseFiled);
            let preserved = day(&mut rng, filed, 10);
            c.push(preserved, K::EvidencePreserved);
            c.push(day(&mut rng, preserved, 12), K::EvidenceDisposed);
            let notice = day(&mut rng, filed, 40);
            c.push(
                notice,
                K::RightsNoticeServed {
                    hearing_right: rng.below(3) == 0,
                },
            );
            let review = day(&mut rng, notice, 15);
            c.push(review, K::LegalReviewSubmitted);
            if rng.below(4) == 0 {
                c.push(day(&mut rng, review, 6), K::LegalReviewExtended);
            }
            c.push(day(&mut rng, review, 12), K::LegalReviewCompleted);
            let decided = day(&mut rng, review, 20);
            c.push(decided, K::DecisionMade);
            let served = day(&mut rng, decided, 10);
            c.push(served, K::DecisionServed);
            c.push(day(&mut rng, decided, 12), K::Published);
            if rng.below(2) == 0 {
                c.push(day(&mut rng, served, 40), K::Paid);
            }
            if rng.below(10) == 0 {
                let start = day(&mut rng, served, 50);
                c.push(start, K::ReviewStarted);
                c.push(day(&mut rng, start, 60), K::ReviewEnded);
            }
            c.push(day(&mut rng, decided, 60), K::ActEnded);
            c
        })
        .collect()
}

fn main() {
    // `cargo bench` passes `--bench`. Without it (`cargo test --all-targets`
    // runs bench targets too, in a debug build) do a small smoke run only.
    let full = std::env::args().any(|a| a == "--bench");
    let lines = env_usize("ZHIFA_BENCH_LINES", if full { 1_000_000 } else { 20_000 });
    let cases = env_usize("ZHIFA_BENCH_CASES", if full { 20_000 } else { 2_000 });
    if !full {
        println!("(smoke run: not invoked by `cargo bench`, targets not meaningful)");
    }

    println!("== zhifa deadline batch ({lines} lines, release binary) ==");
    let input = batch_input(lines);
    let _ = run_batch(&input[..input.len().min(1 << 20)]); // warm-up (page cache, binary)
    let mut rates = Vec::new();
    for run in 1..=3 {
        let (t, out_lines) = run_batch(&input);
        assert_eq!(out_lines, lines, "one output line per input line");
        let rate = lines as f64 / t.as_secs_f64();
        println!(
            "run {run}: {:>8.1} ms  {:>12.0} lines/s",
            t.as_secs_f64() * 1e3,
            rate
        );
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    println!(
        "batch throughput (median of 3): {median:.0} lines/s — target ≥ 200000: {}",
        if median >= 200_000.0 {
            "MET"
        } else {
            "NOT MET"
        }
    );
    let fig = |figure: &str, value: f64, unit: &str, target: Target| {
        zhifa_bench::line::emit("deadline_bench", figure, value, unit, target, full);
    };
    fig(
        &format!("zhifa deadline batch, {lines} lines, median of 3"),
        median,
        "lines/s",
        Target::AtLeast(200_000.0),
    );

    println!("== obligations recompute ({cases} cases) ==");
    let engine = DeadlineEngine::embedded().expect("engine");
    let clocks = clocks(cases);
    let events: usize = clocks.iter().map(|c| c.events.len()).sum();
    let today = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default();
    let mut times = Vec::new();
    let mut obligations = 0usize;
    for _ in 0..7 {
        let t0 = Instant::now();
        obligations = 0;
        for c in &clocks {
            obligations += black_box(engine.obligations(black_box(c), today)).len();
        }
        times.push(t0.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{cases} cases, {events} events, {obligations} obligations: median {:.1} ms, best {:.1} ms — target ≤ 200 ms: {}",
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        if median <= Duration::from_millis(200) { "MET" } else { "NOT MET" }
    );
    fig(
        &format!("obligations recompute, {cases} cases, median"),
        median.as_secs_f64() * 1e3,
        "ms",
        Target::AtMost(200.0),
    );
}
