//! One seeded scenario: three devices (two of officer 张伟, one of 李娜) each
//! behind its own faulty link to one server node, doing officers' edits
//! (record fields, new records, seals with signatures, photos) and syncs
//! while the runner drops/delays/duplicates/cuts requests, partitions a
//! device, kills the server or a device's app mid-work, and fills a
//! device's disk (a page cap on its SQLite store: an injected write failure
//! at the store boundary). Everything is drawn from the one seed.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use zhifa_core::template::SignerRole;
use zhifa_device::app::officer;
use zhifa_device::sync::http::HttpTransport;
use zhifa_device::testdata::{jpeg_with_exif, sample_strokes};
use zhifa_device::{App, NewCase};

use crate::disk::Tmpfs;
use crate::node::Node;
use crate::office::{Office, OfficeStats};
use crate::proxy::{Counts, Link};
use crate::rng::Rng;

/// Accounts of the three devices.
const USERS: [&str; 3] = ["zhangwei", "lina", "zhangwei"];

/// One device: its home, app (None while "killed"), link and own record.
pub struct Dev {
    pub home: PathBuf,
    pub app: Option<App>,
    pub link: Link,
    pub record: Option<String>,
    /// Steps left cut off / with a full disk.
    pub partitioned: u32,
    pub disk_full: u32,
    /// Receipts (case heads) the server acknowledged to this device.
    pub acked: Vec<Vec<String>>,
}

impl Dev {
    /// The app, reopened from its store if it was killed.
    pub fn app(&mut self) -> &App {
        if self.app.is_none() {
            self.app = Some(open_app(&self.home, &self.link.url));
        }
        self.app.as_ref().expect("app")
    }
}

/// A device app talking through `url` with short timeouts and few retries:
/// a cut or silent link fails in about a second rather than the 120 s a
/// phone waits on a slow mobile network; a new connection per request, so
/// the link's faults (drawn per connection) meet every request.
fn open_app(home: &std::path::Path, url: &str) -> App {
    let app = App::open(home).expect("open device store");
    let t = HttpTransport::new(url)
        .and_then(|t| t.with_timeouts(Duration::from_millis(500), Duration::from_secs(3)))
        .and_then(|t| t.with_fresh_connections())
        .expect("transport")
        .with_retries(2);
    app.set_transport(Arc::new(t));
    app
}

/// A scenario's world. Fields drop in this order: the node and the
/// server's tmpfs go before the temporary folder that holds them.
pub struct World {
    pub node: Option<Node>,
    /// The server's own small disk (None: not root, an ordinary folder).
    pub disk: Option<Tmpfs>,
    /// Steps left with the server's disk full.
    pub server_disk_full: u32,
    pub office: Office,
    pub devs: Vec<Dev>,
    pub case: String,
    /// Ids of the two officers of the case (张伟, 李娜).
    pub officers: Vec<String>,
    pub stats: Stats,
    pub dir: tempfile::TempDir,
}

/// What happened in a scenario.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub edits: u32,
    pub refused_edits: u32,
    pub syncs_ok: u32,
    pub syncs_failed: u32,
    pub server_kills: u32,
    pub app_kills: u32,
    pub partitions: u32,
    pub disk_full: u32,
    pub seals: u32,
    pub photos: u32,
    pub server_disk_full: u32,
    /// Server restarts refused on a full disk (it started once freed).
    pub starts_refused: u32,
    pub office: OfficeStats,
    pub links: Counts,
}

impl Stats {
    /// Adds `o` to these stats.
    pub fn add(&mut self, o: &Stats) {
        self.edits += o.edits;
        self.refused_edits += o.refused_edits;
        self.syncs_ok += o.syncs_ok;
        self.syncs_failed += o.syncs_failed;
        self.server_kills += o.server_kills;
        self.app_kills += o.app_kills;
        self.partitions += o.partitions;
        self.disk_full += o.disk_full;
        self.seals += o.seals;
        self.photos += o.photos;
        self.server_disk_full += o.server_disk_full;
        self.starts_refused += o.starts_refused;
        self.office.writes_ok += o.office.writes_ok;
        self.office.writes_failed += o.office.writes_failed;
        self.office.logins += o.office.logins;
        self.links.add(&o.links);
    }
}

/// Sets up the server, the links and the devices, and a shared case that
/// every device holds (synced over healthy links).
pub fn setup(seed: u64) -> World {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("server");
    let disk = Tmpfs::mount(&data);
    std::fs::create_dir_all(&data).expect("server dir");
    let node = Node::start(&data).expect("server");
    let mut devs = Vec::new();
    for (i, user) in USERS.iter().enumerate() {
        let link = Link::start(node.addr, seed ^ (0x5eed_0000 + i as u64));
        let home = dir.path().join(format!("dev{i}"));
        let app = open_app(&home, &link.url);
        app.login(&link.url, user, "demo1234", &format!("故障测试手机 {i}"))
            .expect("login");
        devs.push(Dev {
            home,
            app: Some(app),
            link,
            record: None,
            partitioned: 0,
            disk_full: 0,
            acked: Vec::new(),
        });
    }
    let li = devs[1].app().whoami().expect("whoami");
    let zhang = devs[0].app().whoami().expect("whoami").id;
    let mut n = NewCase::inspection(&format!("故障注入场景 {seed}"));
    n.partners = vec![officer(&li.id, &li.name, &li.credential_no, &li.unit_id)];
    n.first_record = None;
    let case = devs[0].app().new_case(&n).expect("case").case_id;
    for d in devs.iter_mut() {
        d.app().sync_now().expect("first sync");
    }
    let office = Office::new(Link::start(node.addr, seed ^ 0x0ff1_ce00));
    World {
        dir,
        node: Some(node),
        disk,
        server_disk_full: 0,
        office,
        devs,
        case,
        officers: vec![zhang, li.id.clone()],
        stats: Stats::default(),
    }
}

/// The server's data folder.
pub fn data_dir(w: &World) -> PathBuf {
    w.dir.path().join("server")
}

/// Runs `steps` random steps of the scenario.
pub fn run(w: &mut World, rng: &mut Rng, steps: u32) {
    let p = 0.2 + rng.below(40) as f64 / 100.0;
    for d in &w.devs {
        d.link.set_faults(p);
    }
    w.office.link.set_faults(p);
    for _ in 0..steps {
        let i = rng.below(w.devs.len() as u64) as usize;
        match rng.below(23) {
            20 | 21 => {
                let text = chinese(rng, 20);
                let case = w.case.clone();
                w.office.act(&case, &format!("科长审阅：{text}"));
            }
            22 => {
                // The server's disk fills up (SQLite and media writes
                // fail with ENOSPC) for a few steps.
                if let Some(disk) = &w.disk {
                    disk.fill();
                    w.server_disk_full = 1 + rng.below(4) as u32;
                    w.stats.server_disk_full += 1;
                }
            }
            0..=5 => edit_field(w, i, rng),
            6 => photo(w, i, rng),
            7 => seal_and_sign(w, i),
            8..=13 => sync(w, i),
            14 => {
                // The device's app dies (mid-work or between syncs).
                w.devs[i].app = None;
                w.stats.app_kills += 1;
            }
            15 => {
                kill_server(w);
            }
            16 => {
                w.devs[i].partitioned = 1 + rng.below(6) as u32;
                w.devs[i].link.set_partitioned(true);
                w.stats.partitions += 1;
            }
            17 => {
                let extra = rng.below(3) as i64;
                if w.devs[i].app().limit_db_growth(extra).is_ok() {
                    w.devs[i].disk_full = 1 + rng.below(5) as u32;
                    w.stats.disk_full += 1;
                }
            }
            _ => {
                // A sync racing with an app kill: the app is dropped right
                // after (the session's work is whatever got committed).
                sync(w, i);
                w.devs[i].app = None;
                w.stats.app_kills += 1;
            }
        }
        tick(w);
    }
}

/// Up to `max` random CJK characters (at least one).
fn chinese(rng: &mut Rng, max: u64) -> String {
    (0..1 + rng.below(max))
        .map(|_| char::from_u32(0x4e00 + rng.below(2000) as u32).unwrap_or('检'))
        .collect()
}

/// Counts partitions and full disks down; lifts them when over.
fn tick(w: &mut World) {
    if w.server_disk_full > 0 {
        w.server_disk_full -= 1;
        if w.server_disk_full == 0 {
            if let Some(d) = &w.disk {
                d.free();
            }
        }
    }
    for d in w.devs.iter_mut() {
        if d.partitioned > 0 {
            d.partitioned -= 1;
            if d.partitioned == 0 {
                d.link.set_partitioned(false);
            }
        }
        if d.disk_full > 0 {
            d.disk_full -= 1;
            if d.disk_full == 0 {
                let _ = d.app().limit_db_growth(1 << 30);
            }
        }
    }
}

/// Kills the server node and starts a new one on the same data folder; on
/// a full disk a refused start is counted and the disk freed first (an
/// operator making room), then the start must succeed.
pub fn kill_server(w: &mut World) {
    w.node = None;
    let node = match Node::start(&data_dir(w)) {
        Ok(n) => n,
        Err(e) => {
            let disk = w.disk.as_ref().filter(|_| w.server_disk_full > 0);
            let Some(disk) = disk else {
                panic!("the server did not restart with room on its disk: {e}");
            };
            w.stats.starts_refused += 1;
            disk.free();
            w.server_disk_full = 0;
            Node::start(&data_dir(w)).expect("the server restarts once its disk is freed")
        }
    };
    for d in &w.devs {
        d.link.set_upstream(node.addr);
    }
    w.office.link.set_upstream(node.addr);
    w.node = Some(node);
    w.stats.server_kills += 1;
}

/// The device's own open record (a new 现场检查笔录 when it has none).
fn record(w: &mut World, i: usize) -> Option<String> {
    if w.devs[i].record.is_none() {
        let case = w.case.clone();
        let present = json!(w.officers);
        let d = &mut w.devs[i];
        let rec = d.app().new_record(&case, "inspection_record").ok()?;
        let app = d.app();
        // Every required field (行政处罚法 第五十五条: two officers present,
        // credentials shown), so the record can be sealed.
        for (k, v) in [
            ("inspected_at", json!("2026-03-02T09:30:00+08:00")),
            ("place", json!("康保县某档案馆档案库房")),
            ("inspected_unit", json!("康保县某档案馆")),
            ("officers_present", present),
            ("credentials_shown", json!(true)),
            ("basis", json!("《中华人民共和国档案法》第四十二条")),
            ("items", json!(["档案安全"])),
            ("method", json!("现场检查")),
            ("findings", json!("库房温湿度记录完整。")),
        ] {
            app.set_field(&case, &rec, k, &v).ok()?;
        }
        d.record = Some(rec);
    }
    w.devs[i].record.clone()
}

fn edit_field(w: &mut World, i: usize, rng: &mut Rng) {
    let Some(rec) = record(w, i) else {
        w.stats.refused_edits += 1;
        return;
    };
    let text = chinese(rng, 30);
    let key = if rng.chance(0.5) { "place" } else { "findings" };
    let case = w.case.clone();
    match w.devs[i].app().set_field(&case, &rec, key, &json!(text)) {
        Ok(()) => w.stats.edits += 1,
        Err(_) => w.stats.refused_edits += 1,
    }
}

fn photo(w: &mut World, i: usize, rng: &mut Rng) {
    let Some(rec) = record(w, i) else { return };
    let path = w.dir.path().join(format!("p{i}-{}.jpg", rng.next()));
    if std::fs::write(&path, jpeg_with_exif(160, 120, rng.next(), 80)).is_err() {
        return;
    }
    let case = w.case.clone();
    match w.devs[i].app().attach(&case, &rec, &path, None) {
        Ok(_) => w.stats.photos += 1,
        Err(_) => w.stats.refused_edits += 1,
    }
}

fn seal_and_sign(w: &mut World, i: usize) {
    let Some(rec) = record(w, i) else { return };
    let case = w.case.clone();
    let app = w.devs[i].app();
    let Ok(me) = app.whoami() else { return };
    if app.seal_record(&case, &rec).is_err() {
        w.stats.refused_edits += 1;
        return;
    }
    let _ = app.sign(
        &case,
        &rec,
        SignerRole::Officer,
        &me.id,
        &me.name,
        &sample_strokes(i as f32),
    );
    w.devs[i].record = None;
    w.stats.seals += 1;
}

/// A sync through the device's link; a receipt is remembered as acknowledged.
fn sync(w: &mut World, i: usize) {
    let case = w.case.clone();
    let d = &mut w.devs[i];
    match d.app().sync_now() {
        Ok(r) if r.errors.is_empty() => {
            w.stats.syncs_ok += 1;
            if let Ok(v) = d.app().case_view(&case) {
                if let Some(rc) = v.receipt {
                    d.acked.push(rc.heads);
                }
            }
        }
        _ => w.stats.syncs_failed += 1,
    }
}

/// Ends every fault: healthy links, no partition, disks freed, apps open.
pub fn heal(w: &mut World) {
    if let Some(d) = &w.disk {
        d.free();
    }
    w.server_disk_full = 0;
    w.office.link.set_faults(0.0);
    w.stats.office = w.office.stats;
    for d in w.devs.iter_mut() {
        d.link.set_faults(0.0);
        d.link.set_partitioned(false);
        d.partitioned = 0;
        d.disk_full = 0;
        let _ = d.app().limit_db_growth(1 << 30);
    }
    for d in &w.devs {
        w.stats.links.add(&d.link.counts());
    }
}
