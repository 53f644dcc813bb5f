//! The seeded fault-injection runner for sync (issue 17 item 4).
//!
//! Each scenario comes from one u64 seed: three device stores (real
//! `zhifa_device::App`s in temp folders) sync with a real zhifa-server
//! over real HTTP on 127.0.0.1, each through a fault-injecting TCP proxy
//! (dropped, delayed, duplicated/reordered requests, lost and cut answers),
//! with partitions, server kills (the node's runtime dropped at once and a
//! new node started on the same SQLite file), device apps dropped
//! mid-work and reopened from their stores, full device disks (a page
//! cap on the device's SQLite store), a full server disk (its data folder
//! on a tmpfs of its own, filled to ENOSPC: needs root, as CI has), and the
//! office (科长 at the console through a faulty link of its own) writing a
//! record on the server. Then the invariant checker ([`check::check`])
//! runs after healing.
//!
//! - `FAULT_SEED=<n>` runs scenario seeds n, n+1, …; a failing seed is
//!   printed with the command that replays it alone.
//! - `FAULT_SCENARIOS=<n>` sets how many (default 5; a scenario takes
//!   about 6 s, mostly waiting on backoff and cut links, little CPU).
//! - `FAULT_STEPS=<n>` sets the steps per scenario (default 40).

mod check;
mod disk;
mod node;
mod office;
mod proxy;
mod rng;
mod scenario;

use std::time::Instant;

use rng::Rng;
use scenario::Stats;

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|s| s.parse().ok())
}

/// Runs the scenario of `seed`; the first broken invariant as an error.
fn scenario(seed: u64, steps: u32) -> Result<Stats, String> {
    let mut w = scenario::setup(seed);
    let mut rng = Rng::new(seed);
    scenario::run(&mut w, &mut rng, steps);
    scenario::heal(&mut w);
    check::check(&mut w)?;
    Ok(w.stats)
}

#[test]
fn seeded_fault_scenarios_converge_and_lose_nothing_acknowledged() {
    let base = env_u64("FAULT_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
    });
    let n = env_u64("FAULT_SCENARIOS").unwrap_or(5);
    let steps = env_u64("FAULT_STEPS").unwrap_or(40) as u32;
    let started = Instant::now();
    let mut total = Stats::default();
    let mut failed = Vec::new();
    for k in 0..n {
        let seed = base.wrapping_add(k);
        let t = Instant::now();
        let outcome = match std::panic::catch_unwind(|| scenario(seed, steps)) {
            Ok(Ok(s)) => {
                total.add(&s);
                "ok"
            }
            Ok(Err(e)) => {
                failed.push((seed, e));
                "FAILED"
            }
            Err(_) => {
                failed.push((seed, "panicked".into()));
                "PANICKED"
            }
        };
        eprintln!(
            "seed {seed}: {outcome} in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    for (seed, e) in &failed {
        eprintln!(
            "FAILED seed {seed}: {e}\n  rerun: FAULT_SEED={seed} FAULT_SCENARIOS=1 FAULT_STEPS={steps} \
             cargo test -p zhifa-e2e --test fault_runner -- --nocapture"
        );
    }
    eprintln!(
        "{n} scenarios (seeds {base}..{}) of {steps} steps in {:.1} s, {} failed; {total:?}",
        base.wrapping_add(n),
        started.elapsed().as_secs_f64(),
        failed.len()
    );
    assert!(failed.is_empty(), "{} scenario(s) failed", failed.len());
}

/// The checker catches a broken invariant: a media file corrupted on a
/// device after the run is reported.
#[test]
fn the_checker_reports_a_corrupted_media_file() {
    let mut w = scenario::setup(7);
    let mut rng = Rng::new(7);
    // One photo, synced over healthy links; then its bytes are damaged.
    scenario::run(&mut w, &mut Rng::new(0), 0);
    let case = w.case.clone();
    let path = w.dir.path().join("p.jpg");
    std::fs::write(
        &path,
        zhifa_device::testdata::jpeg_with_exif(160, 120, rng.next(), 80),
    )
    .expect("photo");
    let app = w.devs[0].app();
    let rec = app.new_record(&case, "inspection_record").expect("record");
    let m = app.attach(&case, &rec, &path, None).expect("attach");
    scenario::heal(&mut w);
    check::check(&mut w).expect("a healthy run passes");
    let blob = w.devs[1].app().blob_path(&m.sha256).expect("fetched blob");
    std::fs::write(&blob, b"not the photo").expect("corrupt");
    let e = check::check(&mut w).expect_err("the checker must catch it");
    assert!(e.contains("corrupt") && e.contains(&m.sha256), "{e}");
}

/// The checker catches a lost acknowledged change: a receipt naming a
/// change that no replica holds is reported.
#[test]
fn the_checker_reports_a_lost_acknowledged_change() {
    let mut w = scenario::setup(11);
    scenario::heal(&mut w);
    check::check(&mut w).expect("a healthy run passes");
    // An acknowledged head no replica has (as if the server dropped it).
    w.devs[2].acked.push(vec!["ab".repeat(32)]);
    let e = check::check(&mut w).expect_err("the checker must catch it");
    assert!(e.contains("lost"), "{e}");
}

/// The checker catches a lost office write: a findings text the console
/// confirmed that no replica holds is reported.
#[test]
fn the_checker_reports_a_lost_confirmed_office_write() {
    let mut w = scenario::setup(13);
    let case = w.case.clone();
    w.office.act(&case, "");
    w.office.act(&case, "科长审阅：库房整洁");
    assert_eq!(w.office.stats.writes_ok, 1, "{:?}", w.office.stats);
    scenario::heal(&mut w);
    check::check(&mut w).expect("a healthy run passes");
    // As if the server had confirmed a write and then dropped it.
    w.office.writes.push(("科长审阅：从未写入".into(), true));
    let e = check::check(&mut w).expect_err("the checker must catch it");
    assert!(e.contains("office's confirmed write lost"), "{e}");
}
