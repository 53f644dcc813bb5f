//! `cargo bench -p zhifa-core --bench core_bench`
//!
//! Prints, for issue #2's targets:
//! - median edit + commit on a case that already holds 500 edits (≤ 100 µs);
//! - save and load of that case (load ≤ 5 ms);
//! - seal + verify of a 5-page record (≤ 1 ms).
//!
//! Under `cargo test --all-targets` (no `--bench` argument, debug build) it
//! runs a small smoke pass so the code stays exercised; figures are then not
//! meaningful.

use std::time::{Duration, Instant};

use serde_json::json;
use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, Officer, OfficerStatus, Stage};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::record::{FieldValue, QaPair};
use zhifa_core::seal::{canonical_content, DeviceKey, Seal};
use zhifa_core::template::TemplateRegistry;

const AT: &str = "2026-03-02T09:30:00+08:00";

fn who() -> Actor<'static> {
    Actor {
        user: "zhangwei",
        device: "dev-a",
        at: AT,
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn p99(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[(v.len() * 99 / 100).min(v.len() - 1)]
}

fn case_with_edits(edits: usize) -> CaseDoc {
    let header = CaseHeader {
        id: "bench-case".into(),
        kind: CaseKind::Inspection,
        procedure: None,
        title: "基准测试案件".into(),
        source: CaseSource::RandomInspection,
        stage: Stage::Investigation,
        unit: "执法监督科".into(),
        created_at: AT.into(),
        created_by: "zhangwei".into(),
        source_ref: None,
        fine_fen: None,
        measures: Vec::new(),
    };
    let mut doc = CaseDoc::create(&header, b"bench-actor-0001", &who()).expect("create");
    for (id, name) in [("zhangwei", "张伟"), ("lina", "李娜")] {
        let o = Officer {
            id: id.into(),
            name: name.into(),
            post: "科员".into(),
            credential_no: "13000100001".into(),
            unit: "执法监督科".into(),
            status: OfficerStatus::Active,
        };
        doc.add_officer(&o, &who()).expect("officer");
    }
    let tpl = TemplateRegistry::builtin()
        .latest("inspection_record")
        .expect("tpl")
        .clone();
    doc.create_record("r1", &tpl, &who()).expect("record");
    for i in 0..edits {
        edit(&mut doc, i);
    }
    doc
}

fn edit(doc: &mut CaseDoc, i: usize) {
    let key = ["place", "findings", "problems", "rectification"][i % 4];
    doc.set_field_json(
        "r1",
        key,
        &json!(format!("第 {i} 次编辑: 库房温湿度记录不全, 消防设施过期")),
        &who(),
    )
    .expect("edit");
}

/// A 5-page 询问笔录: ~40 Q&A pairs, ≈ 5 × 800 characters.
fn five_page_fields() -> std::collections::BTreeMap<String, FieldValue> {
    let mut fields = std::collections::BTreeMap::new();
    let qa = (0..40)
        .map(|i| QaPair {
            q: format!("问: 第 {i} 个问题, 请说明档案库房的管理情况以及相关制度的执行情况?"),
            a: format!("答: 第 {i} 个回答, 我单位按照规定设置了库房, 配备了温湿度计和灭火器, 每周检查一次并做记录。"),
        })
        .collect();
    fields.insert("qa".into(), FieldValue::Qa(qa));
    fields.insert("place".into(), FieldValue::Text("某县档案馆会议室".into()));
    fields.insert("interviewee".into(), FieldValue::Text("王五".into()));
    fields.insert(
        "officers_present".into(),
        FieldValue::List(vec!["zhangwei".into(), "lina".into()]),
    );
    fields.insert("credentials_shown".into(), FieldValue::Bool(true));
    fields
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (base_edits, samples) = if full { (500, 2000) } else { (20, 20) };
    if !full {
        println!("(smoke run: not invoked by `cargo bench`, targets not meaningful)");
    }

    // Edit + commit on a case of 500 edits.
    let mut doc = case_with_edits(base_edits);
    let mut times = Vec::with_capacity(samples);
    for i in 0..samples {
        let t = Instant::now();
        edit(&mut doc, base_edits + i);
        times.push(t.elapsed());
    }
    println!(
        "edit + commit on a case of {base_edits} edits: median {:.1} µs, p99 {:.1} µs (target median ≤ 100 µs)",
        median(times.clone()).as_secs_f64() * 1e6,
        p99(times).as_secs_f64() * 1e6
    );

    // Save and load of a case of 500 edits.
    let mut doc = case_with_edits(base_edits);
    let rounds = if full { 50 } else { 3 };
    let mut saves = Vec::new();
    let mut bytes = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        bytes = doc.save();
        saves.push(t.elapsed());
    }
    let mut loads = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let loaded = CaseDoc::load(&bytes, b"bench-actor-0002").expect("load");
        loads.push(t.elapsed());
        std::hint::black_box(loaded);
    }
    let mut reads = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let loaded = CaseDoc::load(&bytes, b"bench-actor-0002").expect("load");
        std::hint::black_box(loaded.case().expect("case"));
        reads.push(t.elapsed());
    }
    println!(
        "case of {base_edits} edits, {} bytes: save median {:.2} ms; load median {:.2} ms (target ≤ 5 ms); load + read whole case {:.2} ms",
        bytes.len(),
        median(saves).as_secs_f64() * 1e3,
        median(loads).as_secs_f64() * 1e3,
        median(reads).as_secs_f64() * 1e3
    );

    // Seal + verify of a 5-page record.
    let key = DeviceKey::from_secret([7; 32]);
    let fields = five_page_fields();
    let media: Vec<String> = (0..5).map(|i| format!("{:064x}", i)).collect();
    let rounds = if full { 2000 } else { 10 };
    let mut times = Vec::new();
    let mut chars = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let content = canonical_content("r1", 1, "inquiry_record", 1, &fields, &media, None);
        let seal = Seal::create(content.clone(), AT, "zhangwei", "dev-a", &key);
        let problems = seal.verify(&content);
        times.push(t.elapsed());
        assert!(problems.is_empty());
        chars = content.chars().count();
    }
    println!(
        "seal + verify of a 5-page record ({chars} characters, 5 media): median {:.1} µs, p99 {:.1} µs (target ≤ 1 ms)",
        median(times.clone()).as_secs_f64() * 1e6,
        p99(times).as_secs_f64() * 1e6
    );
}
