//! A fault-injecting TCP proxy on 127.0.0.1 between one device and the
//! server. Every accepted connection draws its fate from the link's seeded
//! RNG: passed, delayed, refused (request dropped), answered to nobody
//! (response dropped after the server acted), cut mid-answer, or duplicated
//! (its first bytes also sent on a second, late connection: a replayed and
//! reordered request). A partitioned link refuses everything.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crate::rng::Rng;

/// Counts of what the link did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub passed: u32,
    pub delayed: u32,
    pub refused: u32,
    pub response_dropped: u32,
    pub cut: u32,
    pub duplicated: u32,
    pub partitioned: u32,
}

impl Counts {
    /// Adds `o` to these counts.
    pub fn add(&mut self, o: &Counts) {
        self.passed += o.passed;
        self.delayed += o.delayed;
        self.refused += o.refused;
        self.response_dropped += o.response_dropped;
        self.cut += o.cut;
        self.duplicated += o.duplicated;
        self.partitioned += o.partitioned;
    }
}

/// The link's state, shared with the proxy thread.
struct State {
    rng: Rng,
    /// Probability that a connection meets a fault (0 = healthy).
    p: f64,
    partitioned: bool,
    upstream: SocketAddr,
    counts: Counts,
}

/// What happens to one connection.
enum Fate {
    Pass,
    Delay(u64),
    Refuse,
    DropResponse,
    Cut(usize),
    Duplicate(u64),
}

/// A running proxy; its thread lives as long as the test process.
#[derive(Clone)]
pub struct Link {
    /// The proxy's address, `http://127.0.0.1:PORT`.
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl Link {
    /// Starts a proxy to `upstream` whose faults follow `seed`.
    pub fn start(upstream: SocketAddr, seed: u64) -> Link {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let url = format!("http://{}", l.local_addr().expect("proxy address"));
        let state = Arc::new(Mutex::new(State {
            rng: Rng::new(seed),
            p: 0.0,
            partitioned: false,
            upstream,
            counts: Counts::default(),
        }));
        let s = state.clone();
        thread::spawn(move || {
            for c in l.incoming() {
                let Ok(c) = c else { continue };
                let (fate, up) = decide(&s);
                thread::spawn(move || serve(c, up, fate));
            }
        });
        Link { url, state }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sets the fault probability per connection (0 = healthy).
    pub fn set_faults(&self, p: f64) {
        self.lock().p = p;
    }

    /// Cuts the device off (or reconnects it).
    pub fn set_partitioned(&self, on: bool) {
        self.lock().partitioned = on;
    }

    /// Points the proxy at a (restarted) server.
    pub fn set_upstream(&self, a: SocketAddr) {
        self.lock().upstream = a;
    }

    /// What the link did so far.
    pub fn counts(&self) -> Counts {
        self.lock().counts
    }
}

fn decide(s: &Mutex<State>) -> (Fate, SocketAddr) {
    let mut g = s.lock().unwrap_or_else(|p| p.into_inner());
    let up = g.upstream;
    if g.partitioned {
        g.counts.partitioned += 1;
        return (Fate::Refuse, up);
    }
    let p = g.p;
    if !g.rng.chance(p) {
        g.counts.passed += 1;
        return (Fate::Pass, up);
    }
    let fate = match g.rng.below(5) {
        0 => {
            g.counts.delayed += 1;
            Fate::Delay(g.rng.below(200))
        }
        1 => {
            g.counts.refused += 1;
            Fate::Refuse
        }
        2 => {
            g.counts.response_dropped += 1;
            Fate::DropResponse
        }
        3 => {
            g.counts.cut += 1;
            Fate::Cut(1 + g.rng.below(400) as usize)
        }
        _ => {
            g.counts.duplicated += 1;
            Fate::Duplicate(g.rng.below(300))
        }
    };
    (fate, up)
}

/// Copies `from` to `to` until EOF, at most `limit` bytes (then cuts both).
fn pump(mut from: TcpStream, mut to: TcpStream, limit: Option<usize>, discard: bool) {
    let mut buf = [0u8; 16 * 1024];
    let mut sent = 0usize;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let n = match limit {
            Some(l) if sent + n >= l => {
                let _ = to.write_all(&buf[..l - sent]);
                break;
            }
            _ => n,
        };
        sent += n;
        if discard {
            // The server acted and began to answer: the answer is lost,
            // the device sees its connection close.
            break;
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}

fn serve(client: TcpStream, up: SocketAddr, fate: Fate) {
    let (limit, discard) = match fate {
        Fate::Refuse => {
            let _ = client.shutdown(Shutdown::Both);
            return;
        }
        Fate::Delay(ms) => {
            thread::sleep(Duration::from_millis(ms));
            (None, false)
        }
        Fate::Pass => (None, false),
        Fate::DropResponse => (None, true),
        Fate::Cut(n) => (Some(n), false),
        Fate::Duplicate(ms) => {
            duplicate_first_bytes(&client, up, ms);
            (None, false)
        }
    };
    let Ok(server) = TcpStream::connect(up) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let (Ok(c2), Ok(s2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let up_thread = thread::spawn(move || pump(client, server, None, false));
    pump(s2, c2, limit, discard);
    let _ = up_thread.join();
}

/// Peeks at the client's first bytes and sends them to the server again on
/// a second connection after `ms` (its answer is thrown away).
fn duplicate_first_bytes(client: &TcpStream, up: SocketAddr, ms: u64) {
    let mut buf = vec![0u8; 64 * 1024];
    let _ = client.set_read_timeout(Some(Duration::from_millis(500)));
    let n = client.peek(&mut buf).unwrap_or(0);
    let _ = client.set_read_timeout(None);
    if n == 0 {
        return;
    }
    buf.truncate(n);
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(ms));
        if let Ok(mut s) = TcpStream::connect(up) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let _ = s.write_all(&buf);
            let mut sink = [0u8; 4096];
            while matches!(s.read(&mut sink), Ok(n) if n > 0) {}
        }
    });
}
