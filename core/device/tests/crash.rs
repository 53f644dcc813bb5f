//! Crash safety: a worker process edits a case and ingests photos, printing
//! an acknowledgement after each command returns; the test kills it with
//! SIGKILL at random moments (≥ 200 times). After every kill the store must
//! reopen, pass SQLite's integrity check, and hold every acknowledged command.
//!
//! The worker is this test binary itself, re-executed with
//! `ZHIFA_CRASH_WORKER=<home>` to run [`worker`].

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use sha2::{Digest, Sha256};
use zhifa_device::testdata::jpeg_with_exif;
use zhifa_device::{App, NewCase};

const KILLS: usize = 200;

fn photo(i: u64) -> Vec<u8> {
    jpeg_with_exif(400, 300, 10_000 + i, 90)
}

/// What command `i` does: 0 = set a field, 1 = log an event, 2 = attach a photo.
fn op(i: u64) -> u64 {
    i % 3
}

/// The worker: runs commands from `start` on until killed.
#[test]
fn worker() {
    let Ok(home) = std::env::var("ZHIFA_CRASH_WORKER") else {
        return;
    };
    let start: u64 = std::env::var("ZHIFA_CRASH_START")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let home = Path::new(&home);
    let app = App::open(home).expect("worker open");
    let ids = std::fs::read_to_string(home.join("ids")).expect("ids");
    let (case, rec) = ids.split_once(' ').expect("ids");
    let out = std::io::stdout();
    for i in start.. {
        {
            let mut o = out.lock();
            writeln!(o, "BEGIN {i}").expect("begin");
            o.flush().expect("flush");
        }
        match op(i) {
            0 => app
                .set_field(case, rec, "findings", &json!(format!("edit-{i}")))
                .map(|_| ()),
            1 => app
                .show_credentials(case, &format!("ack-{i}"), None)
                .map(|_| ()),
            _ => {
                let p = home.join(format!("in-{i}.jpg"));
                std::fs::write(&p, photo(i)).expect("photo");
                app.attach(case, rec, &p, None).map(|_| ())
            }
        }
        .expect("command");
        let mut o = out.lock();
        writeln!(o, "ACK {i}").expect("ack");
        o.flush().expect("flush");
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn sigkill_at_random_points_loses_no_acknowledged_command() {
    if std::env::var("ZHIFA_CRASH_WORKER").is_ok() {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path().join("home");
    let (case, rec) = {
        let app = common::app(&home, "zhangwei");
        let c = app
            .new_case(&NewCase::inspection("崩溃测试"))
            .expect("case");
        (c.case_id, c.record_id.expect("rec"))
    };
    std::fs::write(home.join("ids"), format!("{case} {rec}")).expect("ids");
    let exe = std::env::current_exe().expect("exe");
    let seed = Instant::now().elapsed().as_nanos() as u64 ^ std::process::id() as u64;
    let mut rng = Rng(seed | 1);
    let mut acked: Vec<u64> = Vec::new();
    let mut next = 0u64;
    let mut shas = std::collections::HashMap::new();
    // Kills that landed inside a command: [field edit, event, photo ingest].
    let mut mid_command = [0usize; 3];
    let started = Instant::now();
    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args(["--exact", "worker", "--nocapture", "--test-threads=1"])
            .env("ZHIFA_CRASH_WORKER", &home)
            .env("ZHIFA_CRASH_START", next.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn worker");
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            let mut got = Vec::new();
            let mut in_flight = None;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(n) = line
                    .strip_prefix("ACK ")
                    .and_then(|n| n.parse::<u64>().ok())
                {
                    got.push(n);
                    in_flight = None;
                } else if let Some(n) = line.strip_prefix("BEGIN ").and_then(|n| n.parse().ok()) {
                    in_flight = Some(n);
                }
            }
            (got, in_flight)
        });
        // Process start-up takes a few ms; kill anywhere from before the
        // first command to well into the run.
        std::thread::sleep(Duration::from_micros(5_000 + rng.next() % 240_000));
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        let (got, in_flight) = reader.join().expect("reader");
        if let Some(i) = in_flight {
            mid_command[op(i) as usize] += 1;
        }
        if let Some(&last) = got.last() {
            next = last + 1;
        }
        acked.extend(got);

        // Reopen and check every acknowledged command.
        let app = App::open(&home).unwrap_or_else(|e| panic!("round {round}: reopen failed: {e}"));
        let view = app.case_view(&case).expect("case view");
        let places: BTreeSet<String> = view.events.iter().map(|e| e.detail.clone()).collect();
        let media: BTreeSet<&str> = view.media.iter().map(|m| m.sha256.as_str()).collect();
        for &i in &acked {
            match op(i) {
                1 => assert!(
                    places
                        .iter()
                        .any(|d| d.ends_with(&format!("地点: ack-{i}"))),
                    "round {round}: event {i} lost"
                ),
                2 => {
                    let sha = shas
                        .entry(i)
                        .or_insert_with(|| hex::encode(Sha256::digest(photo(i))));
                    assert!(
                        media.contains(sha.as_str()),
                        "round {round}: photo {i} lost"
                    );
                    assert!(app.blob_path(sha).is_some(), "round {round}: blob {i} lost");
                }
                _ => {}
            }
        }
        if let Some(&last_edit) = acked.iter().filter(|&&i| op(i) == 0).max() {
            let e = app.record_editor(&case, &rec).expect("editor");
            let v = e
                .fields
                .iter()
                .find(|f| f.key == "findings")
                .and_then(|f| f.value.clone());
            let n: u64 = v
                .as_ref()
                .and_then(|v| v.as_str())
                .and_then(|s| s.strip_prefix("edit-"))
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            assert!(
                n >= last_edit,
                "round {round}: edit {last_edit} lost (have {v:?})"
            );
        }
        drop(app);
        let store = zhifa_device::store::Store::open(&home.join("zhifa.db")).expect("store");
        assert!(
            store.quick_check().expect("check").is_empty(),
            "round {round}: integrity"
        );
    }
    eprintln!(
        "{KILLS} kills, {} acknowledged commands, {:.1} s (seed {seed}); killed inside a command: \
         {} field edits, {} events, {} photo ingests",
        acked.len(),
        started.elapsed().as_secs_f64(),
        mid_command[0],
        mid_command[1],
        mid_command[2]
    );
    assert!(acked.len() > KILLS / 2, "the worker made progress");
}
