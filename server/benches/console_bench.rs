//! Office console benchmark: `cargo bench -p zhifa-server --bench console_bench`.
//!
//! A server on loopback (in-process, SQLite in a temporary folder, the demo
//! bureau) holding 20,000 cases made through `CaseDoc` and stored like synced
//! cases, then, measured as the browser sees them (request sent → answer
//! read, loopback, keep-alive):
//! 1. the case list page (inbox), paged and filtered, as the unit head and
//!    as the leader (all cases): target p95 ≤ 50 ms;
//! 2. the case page of a case with 500 edits: target p95 ≤ 30 ms;
//! 3. an office action round trip (the reviewer's request for materials:
//!    CSRF form → change through zhifa-core → stored → redirect): target
//!    p95 ≤ 20 ms.
//!
//! Without `--bench` (as `cargo test --all-targets` runs it) a smoke run
//! with 300 cases checks that it works; its figures mean nothing.

use std::time::Instant;
use zhifa_bench::line::Target;

use hdrhistogram::Histogram;
use reqwest::{redirect, Client};
use serde_json::json;
use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, Party, PartyKind, Procedure, Stage};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::template::TemplateRegistry;
use zhifa_server::casedoc;
use zhifa_server::store::{CaseWrite, DocWrite};
use zhifa_server::{build_state, serve, AppState, Config};

const STAGES: [Stage; 4] = [
    Stage::Initiation,
    Stage::Investigation,
    Stage::Decision,
    Stage::ServiceExecution,
];

fn at(i: usize) -> String {
    format!(
        "2026-{:02}-{:02}T09:{:02}:00+08:00",
        1 + i % 11,
        1 + i % 28,
        i % 60
    )
}

/// One case as an officer's device would make it.
fn case(i: usize, unit: &str, officer: &str, edits: usize) -> (CaseDoc, String) {
    let id = uuid::Uuid::new_v4().to_string();
    let header = CaseHeader {
        id: id.clone(),
        kind: if i.is_multiple_of(3) {
            CaseKind::Inspection
        } else {
            CaseKind::Penalty
        },
        procedure: (!i.is_multiple_of(3)).then_some(Procedure::General),
        title: format!("康保县某档案馆档案安全检查 第{i}号"),
        source: if i.is_multiple_of(2) {
            CaseSource::RandomInspection
        } else {
            CaseSource::Complaint
        },
        stage: STAGES[i % STAGES.len()],
        unit: unit.into(),
        created_at: at(i),
        created_by: officer.into(),
        source_ref: None,
        fine_fen: None,
        measures: Vec::new(),
    };
    let time = at(i);
    let who = Actor {
        user: officer,
        device: "bench-device",
        at: &time,
    };
    let mut doc = CaseDoc::create(&header, b"bench-actor-0001", &who).expect("create");
    doc.add_party(
        &Party {
            id: "p1".into(),
            kind: PartyKind::LegalPerson,
            name: format!("康保县第{}档案馆", i % 97),
            id_number: "12130723MB0000001J".into(),
            representative: None,
            address: None,
            phone: None,
        },
        &who,
    )
    .expect("party");
    if edits > 0 {
        let tpl = TemplateRegistry::builtin()
            .latest("inspection_record")
            .expect("template");
        doc.create_record("r1", tpl, &who).expect("record");
        for e in 0..edits {
            // Edits by different minutes so each is its own history entry.
            let t = format!("2026-03-02T{:02}:{:02}:00+08:00", 8 + e / 60 % 10, e % 60);
            let w = Actor {
                user: officer,
                device: "bench-device",
                at: &t,
            };
            let key = ["findings", "problems", "place", "rectification"][e % 4];
            doc.set_field_json("r1", key, &json!(format!("第{e}次修改的内容")), &w)
                .expect("edit");
        }
    }
    (doc, id)
}

async fn store_cases(state: &AppState, unit: &str, officer: &str, n: usize) {
    let engine = state.calendar().engine.clone();
    let today = casedoc::today_cn();
    let mut batch = Vec::new();
    for i in 0..n {
        let (mut doc, _) = case(i, unit, officer, 0);
        let (meta, media) = casedoc::columns(&mut doc, &at(i), &at(i)).expect("columns");
        let c = doc.case().expect("case");
        let index = casedoc::index_of(&c, engine.as_deref(), today);
        batch.push(CaseWrite {
            meta,
            doc: DocWrite::Replace(doc.save()),
            media,
            index,
        });
        if batch.len() == 500 || i + 1 == n {
            let b = std::mem::take(&mut batch);
            state
                .db(move |s| s.commit_sync(&b, &[], &[]))
                .await
                .expect("store");
        }
    }
}

async fn store_one(state: &AppState, doc: &mut CaseDoc) {
    let (meta, media) = casedoc::columns(doc, &at(0), &at(0)).expect("columns");
    let c = doc.case().expect("case");
    let index = casedoc::index_of(&c, state.calendar().engine.as_deref(), casedoc::today_cn());
    let w = CaseWrite {
        meta,
        doc: DocWrite::Replace(doc.save()),
        media,
        index,
    };
    state
        .db(move |s| s.commit_sync(&[w], &[], &[]))
        .await
        .expect("store");
}

async fn browser(base: &str, user: &str) -> Client {
    let c = Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .build()
        .expect("client");
    let html = c
        .get(format!("{base}/login"))
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("html");
    let token = csrf(&html);
    let res = c
        .post(format!("{base}/login"))
        .form(&[
            ("username", user),
            ("password", "demo1234"),
            ("csrf", &token),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(res.status().as_u16(), 303, "login {user}");
    c
}

fn csrf(html: &str) -> String {
    let i = html.find("name=\"csrf\" value=\"").expect("csrf") + 19;
    html[i..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

fn report(name: &str, h: &Histogram<u64>, target_ms: f64) {
    let ms = |q: f64| h.value_at_quantile(q) as f64 / 1000.0;
    println!(
        "{name:<58} n={:<5} p50 {:>7.2} ms  p95 {:>7.2} ms  max {:>7.2} ms  (target p95 ≤ {target_ms} ms: {})",
        h.len(),
        ms(0.5),
        ms(0.95),
        h.max() as f64 / 1000.0,
        if ms(0.95) <= target_ms { "met" } else { "MISSED" }
    );
    fig(
        &format!("{name}, p95"),
        ms(0.95),
        "ms",
        Target::AtMost(target_ms),
    );
}

/// The `BENCH` line of one figure (zhifa-bench collects them); a run
/// without `--bench` is a smoke run.
fn fig(figure: &str, value: f64, unit: &str, target: Target) {
    let full = std::env::args().any(|a| a == "--bench");
    zhifa_bench::line::emit("console_bench", figure, value, unit, target, full);
}

async fn time_get(c: &Client, url: &str, n: usize) -> Histogram<u64> {
    let mut h = Histogram::<u64>::new(3).expect("histogram");
    for _ in 0..n {
        let t = Instant::now();
        let res = c.get(url).send().await.expect("get");
        assert_eq!(res.status().as_u16(), 200, "{url}");
        let _ = res.bytes().await.expect("body");
        h.record(t.elapsed().as_micros() as u64).expect("record");
    }
    h
}

#[tokio::main]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let cases = if full { 20_000 } else { 300 };
    let reps = if full { 200 } else { 5 };
    if !full {
        println!("(smoke run: not invoked by `cargo bench`, figures not meaningful)");
    }
    let dir = tempfile::tempdir().expect("tmp");
    let mut config = Config::for_data_dir(dir.path());
    config.demo = true;
    let state = build_state(config).await.expect("state");
    let zhang = state
        .db(|s| s.account_by_username("zhangwei"))
        .await
        .expect("db")
        .expect("demo officer");
    let t = Instant::now();
    store_cases(&state, &zhang.unit_id, &zhang.id, cases).await;
    println!("stored {cases} cases in {:.1} s", t.elapsed().as_secs_f64());
    let (mut big, big_id) = case(1, &zhang.unit_id, &zhang.id, 500);
    store_one(&state, &mut big).await;
    let (mut acted, acted_id) = case(2, &zhang.unit_id, &zhang.id, 0);
    store_one(&state, &mut acted).await;
    println!("case with 500 edits: {} bytes saved", big.save().len());

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, state.clone(), async move {
        let _ = rx.await;
    }));

    let head = browser(&base, "wangqiang").await;
    let leader = browser(&base, "sunjianguo").await;
    let reviewer = browser(&base, "zhoumin").await;
    println!("console with {} cases on loopback:", cases + 2);
    let pages = (cases / 50).max(1);
    let mut h = Histogram::<u64>::new(3).expect("histogram");
    for i in 0..reps {
        let url = format!("{base}/?page={}", 1 + (i * 37) % pages);
        h.add(time_get(&head, &url, 1).await).expect("merge");
    }
    report("case list, unit head, any page", &h, 50.0);
    let h = time_get(&leader, &format!("{base}/"), reps).await;
    report("case list, leader (all cases), first page", &h, 50.0);
    let mut h = Histogram::<u64>::new(3).expect("histogram");
    for i in 0..reps {
        let url = format!("{base}/?page={}", 1 + (i * 53) % pages);
        h.add(time_get(&leader, &url, 1).await).expect("merge");
    }
    report("case list, leader (all cases), any page", &h, 50.0);
    let h = time_get(
        &leader,
        &format!("{base}/?stage=investigation&q=%E7%AC%AC1&source=complaint"),
        reps,
    )
    .await;
    report("case list, leader, stage + text + source filter", &h, 50.0);
    let h = time_get(
        &leader,
        &format!("{base}/?due_by=2099-12-31&party=%E7%AC%AC5"),
        reps,
    )
    .await;
    report("case list, leader, due-by + party filter", &h, 50.0);
    let h = time_get(&leader, &format!("{base}/cases/{big_id}"), reps).await;
    report("case page, 500 edits", &h, 30.0);

    let token = csrf(
        &reviewer
            .get(format!("{base}/"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html"),
    );
    let mut h = Histogram::<u64>::new(3).expect("histogram");
    for i in 0..reps {
        let t = Instant::now();
        let res = reviewer
            .post(format!("{base}/cases/{acted_id}/review/materials"))
            .form(&[
                ("text", format!("请补充第{i}份证据材料")),
                ("csrf", token.clone()),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(res.status().as_u16(), 303);
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert!(location.contains("?ok="), "{location}");
        h.record(t.elapsed().as_micros() as u64).expect("record");
    }
    report("office action round trip (stored, redirect)", &h, 20.0);
    let _ = tx.send(());
    let _ = server.await;
}
