//! A long video over a bad phone network: a real device engine uploads
//! through a TCP proxy on 127.0.0.1 that limits bandwidth, stalls, and cuts
//! every connection at intervals, to a real server. The upload completes
//! without a final error, progress rises to the total, no retry meets a held
//! upload lock (409 `upload_busy`), and the server's file hashes right.
//!
//! Size: `ZHIFA_LOSSY_UPLOAD_MB` (default 64; the 300 MB run and its time are
//! in server/README.md).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use zhifa_core::case::{CaseKind, CaseSource};
use zhifa_device::sync::http::{HttpTransport, DEFAULT_CHUNK_BYTES};
use zhifa_device::testdata::fake_mp4;
use zhifa_device::{App, NewCase};
use zhifa_e2e::TestServer;

/// How the link misbehaves.
#[derive(Clone, Copy)]
struct Link {
    /// Bytes per second, each direction, per connection.
    rate: u64,
    /// Every this often, a connection stops forwarding for `stall`.
    stall_every: Duration,
    stall: Duration,
    /// Every this often, every open connection is cut.
    cut_every: Duration,
}

/// What the proxy saw.
#[derive(Default)]
struct Seen {
    cuts: AtomicUsize,
    connections: AtomicUsize,
    up_bytes: AtomicU64,
    /// Status codes of the server's answers.
    statuses: Mutex<Vec<u16>>,
}

/// Finds `HTTP/1.1 NNN` status lines in a stream of answers; `carry` holds
/// the tail of the previous read (a line may span two reads).
fn scan_statuses(carry: &mut Vec<u8>, bytes: &[u8], out: &Mutex<Vec<u16>>) {
    carry.extend_from_slice(bytes);
    const TAG: &[u8] = b"HTTP/1.1 ";
    let mut i = 0;
    while i + TAG.len() + 3 <= carry.len() {
        if &carry[i..i + TAG.len()] == TAG {
            let code = std::str::from_utf8(&carry[i + TAG.len()..i + TAG.len() + 3])
                .ok()
                .and_then(|s| s.parse().ok());
            if let Some(c) = code {
                out.lock().unwrap_or_else(|p| p.into_inner()).push(c);
            }
            i += TAG.len();
        } else {
            i += 1;
        }
    }
    let keep = carry.len().min(TAG.len() + 2);
    carry.drain(..carry.len() - keep);
}

/// Forwards `from` to `to` at `link.rate`, stalling at intervals.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    link: Link,
    seen: Arc<Seen>,
    answers: bool,
) {
    let mut buf = vec![0u8; 16 * 1024];
    let mut carry = Vec::new();
    let mut next_stall = Instant::now() + link.stall_every;
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if answers {
            scan_statuses(&mut carry, &buf[..n], &seen.statuses);
        } else {
            seen.up_bytes.fetch_add(n as u64, Ordering::Relaxed);
        }
        if Instant::now() >= next_stall {
            tokio::time::sleep(link.stall).await;
            next_stall = Instant::now() + link.stall_every;
        }
        tokio::time::sleep(Duration::from_secs_f64(n as f64 / link.rate as f64)).await;
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

/// Starts the proxy to `upstream` on its own runtime; its address.
fn start_proxy(upstream: std::net::SocketAddr, link: Link, seen: Arc<Seen>) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("proxy runtime");
        rt.block_on(async move {
            let l = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
            tx.send(l.local_addr().expect("addr")).expect("send");
            // The cut: every connection open at that moment is dropped.
            let (cut_tx, _) = tokio::sync::broadcast::channel::<()>(4);
            let cutter = cut_tx.clone();
            let s = seen.clone();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(link.cut_every).await;
                    if cutter.receiver_count() > 0 {
                        s.cuts.fetch_add(1, Ordering::Relaxed);
                        let _ = cutter.send(());
                    }
                }
            });
            loop {
                let Ok((client, _)) = l.accept().await else {
                    break;
                };
                let Ok(server) = TcpStream::connect(upstream).await else {
                    continue;
                };
                seen.connections.fetch_add(1, Ordering::Relaxed);
                let (cr, cw) = client.into_split();
                let (sr, sw) = server.into_split();
                let mut cut = cut_tx.subscribe();
                let s = seen.clone();
                tokio::spawn(async move {
                    let up = pump(cr, sw, link, s.clone(), false);
                    let down = pump(sr, cw, link, s, true);
                    // Both directions end together: at the end of either, or
                    // at a cut (dropping the halves closes both sockets).
                    tokio::select! {
                        _ = async { tokio::join!(up, down) } => {}
                        _ = cut.recv() => {}
                    }
                });
            }
        });
    });
    let addr = rx.recv().expect("proxy address");
    format!("http://{addr}")
}

#[test]
fn a_long_video_uploads_through_a_slow_lossy_link_to_completion() {
    let mb: usize = std::env::var("ZHIFA_LOSSY_UPLOAD_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let size = mb * 1024 * 1024;
    // Generous for a 2-core CI box; the link below is the bottleneck.
    let link = Link {
        rate: 16 * 1024 * 1024,
        stall_every: Duration::from_millis(2500),
        stall: Duration::from_millis(800),
        cut_every: Duration::from_millis(3000),
    };
    let srv = TestServer::start();
    let upstream: std::net::SocketAddr = srv
        .url
        .trim_start_matches("http://")
        .parse()
        .expect("server address");
    let seen = Arc::new(Seen::default());
    let proxy = start_proxy(upstream, link, seen.clone());

    let tmp = tempfile::tempdir().expect("tmp");
    let app = App::open(&tmp.path().join("phone")).expect("open");
    let transport = HttpTransport::new(&proxy)
        .expect("client")
        .with_chunk_bytes(DEFAULT_CHUNK_BYTES);
    app.set_transport(Arc::new(transport));
    // Login and the case's first sync also cross the bad link (and retry).
    let mut login = None;
    for _ in 0..10 {
        match app.login(&proxy, "zhangwei", "demo1234", "测试手机 (弱网)") {
            Ok(o) => {
                login = Some(o);
                break;
            }
            Err(e) if e.is_transient() => continue,
            Err(e) => panic!("login: {e}"),
        }
    }
    assert!(login.is_some(), "login through the proxy");
    let c = app
        .new_case(&NewCase {
            kind: CaseKind::Inspection,
            procedure: None,
            title: "弱网环境下上传执法记录仪视频".into(),
            source: CaseSource::RandomInspection,
            source_ref: None,
            party: None,
            partners: vec![],
            first_record: Some("inspection_record".into()),
        })
        .expect("case");
    let (case, rec) = (c.case_id, c.record_id.expect("record"));
    let video = tmp.path().join("执法记录仪.mp4");
    std::fs::write(&video, fake_mp4(size - 24, 77)).expect("write video");
    let sha = hex::encode(Sha256::digest(std::fs::read(&video).expect("read")));
    let item = app.attach(&case, &rec, &video, None).expect("attach video");
    assert_eq!(item.sha256, sha);

    let progress: Arc<Mutex<Vec<(String, u64, u64)>>> = Arc::default();
    let p = progress.clone();
    let _watch = app.watch_uploads(move |u| {
        p.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((u.sha256.clone(), u.bytes_sent, u.total));
    });
    let started = Instant::now();
    // Sync sessions whose JSON rounds lose every retry to cuts are run
    // again, as a phone would; the upload itself must never end in error.
    let mut report = None;
    for _ in 0..5 {
        match app.sync_now() {
            Ok(r) => {
                report = Some(r);
                break;
            }
            Err(e) if e.is_transient() => continue,
            Err(e) => panic!("sync: {e}"),
        }
    }
    let took = started.elapsed();
    let report = report.expect("a sync session completed");
    assert!(report.errors.is_empty(), "no upload error: {report:?}");
    assert_eq!(report.uploaded, 1, "{report:?}");

    // Progress of this file: never down, ending at the total.
    let events: Vec<(u64, u64)> = progress
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .filter(|(s, _, _)| *s == sha)
        .map(|(_, sent, total)| (*sent, *total))
        .collect();
    assert!(events.len() > 2, "progress reported: {events:?}");
    assert!(
        events.windows(2).all(|w| w[0].0 < w[1].0),
        "progress increases"
    );
    assert!(events.iter().all(|(_, t)| *t == size as u64));
    assert_eq!(events.last().map(|e| e.0), Some(size as u64));

    // The link really was bad, and no retry met a held lock.
    let cuts = seen.cuts.load(Ordering::Relaxed);
    let statuses = seen
        .statuses
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let busy = statuses.iter().filter(|s| **s == 409).count();
    eprintln!(
        "lossy upload: {mb} MiB in {:.1} s, chunk {} MiB, {cuts} cuts, {} connections, {} bytes up, statuses {:?}",
        took.as_secs_f64(),
        DEFAULT_CHUNK_BYTES / (1024 * 1024),
        seen.connections.load(Ordering::Relaxed),
        seen.up_bytes.load(Ordering::Relaxed),
        {
            let mut c = std::collections::BTreeMap::new();
            for s in &statuses {
                *c.entry(*s).or_insert(0) += 1;
            }
            c
        }
    );
    assert!(cuts >= 2, "the proxy cut connections ({cuts})");
    assert_eq!(busy, 0, "a retry was refused as busy: {statuses:?}");

    // The server's file hashes right.
    let stored = srv.data_dir().join("media").join(&sha[..2]).join(&sha);
    let bytes = std::fs::read(&stored).expect("stored file");
    assert_eq!(bytes.len(), size);
    assert_eq!(hex::encode(Sha256::digest(&bytes)), sha);
    // Nothing left half-uploaded.
    let partial = srv.data_dir().join("media").join("partial");
    let left: usize = std::fs::read_dir(&partial)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| std::fs::read_dir(e.path()).map_or(1, |d| d.count()))
                .sum()
        })
        .unwrap_or(0);
    assert_eq!(left, 0, "no partial file left");
}
