//! Sync under faults: a lossy, duplicating, reordering, truncating link in
//! many seeded runs; a server killed (SIGKILL) and restarted on the same
//! SQLite file in the middle of syncs and uploads. Devices always converge
//! with the server and nothing the server acknowledged (a receipt) is lost.
//!
//! `FAULT_SEED=<n>` replays one base seed, `FAULT_RUNS=<n>` sets the number of runs.

use std::time::{Duration, Instant};

use automerge::ChangeHash;
use reqwest::StatusCode;
use zhifa_core::case::{EventKind, Officer};
use zhifa_core::record::FieldValue;
use zhifa_core::sync::Receipt;
use zhifa_core::template::TemplateRegistry;

use crate::client::Device;
use crate::common::{random32, TestServer};
use crate::faults::{FaultCounts, Faults};
use crate::media::{bytes, create, head_offset, patch, sha_hex};

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|s| s.parse().ok())
}

/// A case created by `creator` with the other devices' officers assigned.
fn new_case(devices: &mut [Device], creator: usize, title: &str) -> String {
    let officers: Vec<Officer> = devices.iter().map(Device::officer).collect();
    let d = &mut devices[creator];
    let id = d.create_case(title);
    d.edit(&id, |doc, who| {
        for o in &officers {
            doc.add_officer(o, who).expect("officer");
        }
    });
    id
}

/// One random edit of a case: an event, or a field of this device's own record.
fn random_edit(d: &mut Device, case: &str, idx: usize, rng: &mut fastrand::Rng, n: u32) {
    let text: String = (0..rng.usize(5..40))
        .map(|_| char::from_u32(0x4e00 + rng.u32(0..2000)).unwrap_or('检'))
        .collect();
    let record = format!("rec-dev{idx}");
    let kind = rng.u8(0..3);
    d.edit(case, |doc, who| {
        if kind == 0 {
            doc.log_event(
                EventKind::CredentialShown,
                who,
                None,
                &format!("{n} {text}"),
            )
            .expect("event");
            return;
        }
        if doc.record(&record).is_err() {
            let tpl = TemplateRegistry::builtin()
                .get("inspection_record", 1)
                .expect("template");
            doc.create_record(&record, tpl, who).expect("record");
        }
        let field = if kind == 1 { "findings" } else { "place" };
        doc.set_field(&record, field, FieldValue::Text(text), who)
            .expect("field");
    });
}

fn has_all(d: &mut Device, case: &str, heads: &[String]) -> bool {
    heads.iter().all(|h| {
        let h: ChangeHash = h.parse().expect("hash");
        d.doc(case).automerge().get_change_by_hash(&h).is_some()
    })
}

/// Clean syncs of every device until one whole pass changes nothing; panics
/// when that takes more than `passes`.
async fn heal(srv: &TestServer, devices: &mut [Device], passes: usize, what: &str) {
    for _ in 0..passes {
        let mut quiet = true;
        for d in devices.iter_mut() {
            let r = d
                .sync(srv)
                .await
                .unwrap_or_else(|e| panic!("{what}: {e:?}"));
            if r.rounds > 0
                || r.fetched > 0
                || !r.check.changed.is_empty()
                || !r.check.unknown.is_empty()
            {
                quiet = false;
            }
        }
        if quiet {
            return;
        }
    }
    panic!("{what}: no convergence after {passes} clean passes");
}

/// Every device holds every case at the same heads (the server's: the last
/// pass of `heal` found every digest equal), and every receipt the devices
/// received names heads that are in that history.
fn assert_converged(devices: &mut [Device], cases: &[String], acked: &[Receipt], what: &str) {
    for c in cases {
        let heads = devices[0].heads(c);
        for d in devices.iter_mut() {
            assert!(d.docs.contains_key(c), "{what}: device lacks case {c}");
            assert_eq!(d.heads(c), heads, "{what}: heads of {c}");
        }
    }
    for r in acked {
        if cases.contains(&r.case_id) {
            assert!(
                has_all(&mut devices[0], &r.case_id, &r.heads),
                "{what}: acknowledged heads lost: {r:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_converge_through_a_faulty_link_and_lose_nothing_acknowledged() {
    let base = env_u64("FAULT_SEED")
        .unwrap_or_else(|| u64::from_le_bytes(random32()[..8].try_into().expect("8 bytes")));
    let runs = env_u64("FAULT_RUNS").unwrap_or(100);
    let started = Instant::now();
    let srv = TestServer::start().await;
    // Three devices for the whole test; each run works on new cases, so the
    // devices also carry the earlier runs' (idle) cases in every check.
    let mut devices = [
        Device::new(srv.login("zhangwei").await),
        Device::new(srv.login("lina").await),
        Device::new(srv.login("wangqiang").await),
    ];
    let mut total = FaultCounts::default();
    let mut edits = 0u32;
    let mut receipts = 0usize;
    for run in 0..runs {
        let seed = base.wrapping_add(run);
        let what = format!("FAULT_SEED={base} run {run}");
        let mut rng = fastrand::Rng::with_seed(seed);
        let n = 2 + rng.usize(0..2);
        let p = 0.3 + rng.f64() * 0.3;
        let mut links: Vec<Faults> = (0..n)
            .map(|i| Faults::seeded(seed.wrapping_mul(31).wrapping_add(i as u64), p))
            .collect();
        let mut cases = Vec::new();
        for k in 0..1 + rng.usize(0..2) {
            let creator = rng.usize(0..2);
            cases.push(new_case(
                &mut devices[..n],
                creator,
                &format!("故障同步 {run}-{k}"),
            ));
        }
        for d in devices.iter_mut() {
            d.acked.clear();
        }
        for _step in 0..8 {
            let i = rng.usize(0..n);
            for _ in 0..rng.usize(0..4) {
                let held: Vec<String> = cases
                    .iter()
                    .filter(|c| devices[i].docs.contains_key(*c))
                    .cloned()
                    .collect();
                if held.is_empty() {
                    break;
                }
                let c = &held[rng.usize(0..held.len())];
                edits += 1;
                random_edit(&mut devices[i], c, i, &mut rng, edits);
            }
            if let Err((status, body)) = devices[i].sync_via(&srv, &mut links[i]).await {
                assert_eq!(
                    status,
                    StatusCode::GATEWAY_TIMEOUT,
                    "{what}: only the link fails: {body}"
                );
            }
        }
        for l in &links {
            total.add(&l.counts);
        }
        heal(&srv, &mut devices[..n], 6, &what).await;
        let acked: Vec<Receipt> = devices[..n]
            .iter()
            .flat_map(|d| d.acked.iter().cloned())
            .collect();
        receipts += acked.len();
        assert_converged(&mut devices[..n], &cases, &acked, &what);
    }
    eprintln!(
        "{runs} faulty runs (base seed {base}) in {:.1} s: {edits} edits, {receipts} receipts checked, faults {total:?}",
        started.elapsed().as_secs_f64()
    );
    assert!(total.drop_request > 0 && total.drop_response > 0 && total.duplicate > 0);
    assert!(total.replay > 0 && total.truncate_request > 0 && total.truncate_response > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_sync_restarts_and_keeps_every_acknowledged_change() {
    let seed = env_u64("FAULT_SEED")
        .unwrap_or_else(|| u64::from_le_bytes(random32()[..8].try_into().expect("8 bytes")));
    let mut rng = fastrand::Rng::with_seed(seed);
    let srv = TestServer::start_process().await;
    let mut devices = vec![
        Device::new(srv.login("zhangwei").await),
        Device::new(srv.login("lina").await),
    ];
    let mut cases = Vec::new();
    for k in 0..12 {
        cases.push(new_case(&mut devices, k % 2, &format!("断电同步 {k}")));
    }
    let mut edits = 0;
    let mut kills_mid_sync = 0;
    let mut acked: Vec<Receipt> = Vec::new();
    let mut cut_after_answers = 0;
    let mut rounds = 0;
    // Six kills, or up to twelve until one cut a sync after it got answers.
    for round in 0..12 {
        if round >= 6 && cut_after_answers > 0 {
            break;
        }
        rounds += 1;
        let what = format!("FAULT_SEED={seed} round {round}");
        for (i, d) in devices.iter_mut().enumerate() {
            for _ in 0..10 {
                let held: Vec<String> = cases
                    .iter()
                    .filter(|c| d.docs.contains_key(*c))
                    .cloned()
                    .collect();
                let c = &held[rng.usize(0..held.len())];
                edits += 1;
                random_edit(d, c, i, &mut rng, edits);
            }
        }
        // Both devices sync while the server is killed after a random delay.
        let delay = Duration::from_millis(rng.u64(0..60));
        let (a, b) = devices.split_at_mut(1);
        let (mut la, mut lb) = (Faults::none(), Faults::none());
        let (ra, rb, ()) = tokio::join!(
            a[0].sync_via(&srv, &mut la),
            b[0].sync_via(&srv, &mut lb),
            async {
                tokio::time::sleep(delay).await;
                srv.kill();
            }
        );
        if ra.is_err() || rb.is_err() {
            kills_mid_sync += 1;
            if (ra.is_err() && !devices[0].acked.is_empty())
                || (rb.is_err() && !devices[1].acked.is_empty())
            {
                cut_after_answers += 1;
            }
        }
        for d in devices.iter_mut() {
            acked.append(&mut d.acked);
        }
        srv.restart().await;
        heal(&srv, &mut devices, 6, &what).await;
        for d in devices.iter_mut() {
            acked.append(&mut d.acked);
        }
        assert_converged(&mut devices, &cases, &acked, &what);
    }
    eprintln!(
        "kill/restart (seed {seed}): {rounds} kills, {kills_mid_sync} cut a sync ({cut_after_answers} after it got answers), {} receipts checked",
        acked.len()
    );
    assert!(kills_mid_sync > 0, "seed {seed}: no kill hit a sync");

    // An upload cut by a kill resumes from the server's offset after the restart.
    let data = bytes(seed, 2 * 1024 * 1024 + 17);
    let sha = sha_hex(&data);
    let s = devices[0].session.clone();
    assert_eq!(
        create(&srv, &s, &sha, data.len() as u64).await.status(),
        StatusCode::CREATED
    );
    let mut sent = 0usize;
    let mut offset = 0usize;
    for cut in 0..3 {
        let budget = 64 * 1024 * (1 + rng.usize(0..6));
        let written = slow_patch_then_kill(&srv, &s, &sha, &data, offset, budget).await;
        sent += written;
        srv.restart().await;
        let now = head_offset(&srv, &s, &sha).await.expect("upload known") as usize;
        assert!(
            now >= offset && now <= offset + written,
            "seed {seed} cut {cut}: the server keeps only what arrived ({offset} + {written} vs {now})"
        );
        offset = now;
    }
    let res = patch(&srv, &s, &sha, offset as u64, data[offset..].to_vec()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT, "seed {seed}");
    sent += data.len() - offset;
    let res = srv.get(&s, &format!("/api/v1/media/{sha}")).await;
    assert_eq!(res.bytes().await.expect("download").as_ref(), &data[..]);
    eprintln!(
        "upload of {} bytes cut by 3 kills: {sent} bytes sent ({} resent: in flight at the kill, never stored)",
        data.len(),
        sent - data.len()
    );
}

/// Streams `budget` bytes of a PATCH from `offset` in small pieces, then
/// kills the server while the connection is still open; returns the bytes written.
async fn slow_patch_then_kill(
    srv: &TestServer,
    s: &crate::common::Session,
    sha: &str,
    data: &[u8],
    offset: usize,
    budget: usize,
) -> usize {
    use tokio::io::AsyncWriteExt;
    let mut tcp = tokio::net::TcpStream::connect(srv.addr)
        .await
        .expect("connect");
    let head = crate::media::patch_head(srv, s, sha, offset, data.len() - offset);
    tcp.write_all(head.as_bytes()).await.expect("head");
    let end = (offset + budget).min(data.len() - 1);
    let mut written = 0;
    for piece in data[offset..end].chunks(16 * 1024) {
        if tcp.write_all(piece).await.is_err() {
            break;
        }
        written += piece.len();
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    tcp.flush().await.ok();
    // Give the server a moment to write what it read, then pull the plug.
    tokio::time::sleep(Duration::from_millis(50)).await;
    srv.kill();
    written
}
