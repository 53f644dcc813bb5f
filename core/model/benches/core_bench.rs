//! `cargo bench -p zhifa-core --bench core_bench`
//!
//! Prints, for issue #2's targets:
//! - median edit + commit on a case that already holds 500 edits (≤ 100 µs);
//! - save and load of that case (load ≤ 5 ms);
//! - seal + verify of a 5-page record (≤ 1 ms): `CaseDoc::seal_record` +
//!   `CaseDoc::verify_seals` of a 现场检查笔录 with 5 pages of text (2,000
//!   characters a page, as in the unit test in `seal.rs`), 4 signatures and a
//!   witnessed refusal.
//!
//! Under `cargo test --all-targets` (no `--bench` argument, debug build) it
//! runs a small smoke pass so the code stays exercised; figures are then not
//! meaningful.

use std::time::{Duration, Instant};
use zhifa_bench::line::Target::{self, AtMost};

use serde_json::json;
use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, Officer, OfficerStatus, Stage};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::seal::DeviceKey;
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

/// One page of a record: ≈ 2,000 characters (the same definition as the
/// five-page unit test in `seal.rs`: "检查情况。" × 400 per page).
const PAGE: &str = "检查情况。";
const PAGE_REPEAT: usize = 400;

/// A case whose 现场检查笔录 `r1` holds 5 pages (≈ 10,000 characters) in
/// 检查情况, every required field filled and 5 media attached; unsealed.
fn five_page_case() -> Vec<u8> {
    let mut doc = case_with_edits(0);
    let tpl = TemplateRegistry::builtin()
        .latest("inspection_record")
        .expect("tpl")
        .clone();
    for f in tpl.fields.iter().filter(|f| f.required) {
        let v = match f.key.as_str() {
            "inspected_at" => json!(AT),
            "officers_present" => json!(["zhangwei", "lina"]),
            "credentials_shown" => json!(true),
            "findings" => json!(PAGE.repeat(PAGE_REPEAT * 5)),
            _ if !f.options.is_empty() => json!(f.options[0]),
            _ => json!("某县档案馆"),
        };
        let v = if matches!(f.ty, zhifa_core::template::FieldType::MultiChoice) {
            json!([f.options[0]])
        } else {
            v
        };
        doc.set_field_json("r1", &f.key, &v, &who()).expect("fill");
    }
    for i in 0..5u8 {
        let m = zhifa_core::media::MediaRef {
            sha256: format!("{:064x}", i),
            mime: if i == 0 { "video/mp4" } else { "image/jpeg" }.into(),
            size: 1024,
            captured_at: AT.into(),
            gps: None,
            device: "dev-a".into(),
            officer: "zhangwei".into(),
            record_id: "r1".into(),
        };
        doc.attach_media(&m, &who()).expect("media");
    }
    doc.save()
}

/// Seals `r1` (timed), collects 4 signatures and a witnessed refusal (timed
/// apart), verifies every seal (timed); returns (seal, signatures, verify).
fn seal_sign_verify(doc: &mut CaseDoc, key: &DeviceKey) -> (Duration, Duration, Duration) {
    use zhifa_core::template::SignerRole as R;
    let t = Instant::now();
    doc.seal_record("r1", &who(), key).expect("seal");
    let sealed = t.elapsed();
    let t = Instant::now();
    for (role, id, name) in [
        (R::Officer, "zhangwei", "张伟"),
        (R::Officer, "lina", "李娜"),
        (R::Party, "p1", "王五"),
        (R::Witness, "w1", "赵六"),
    ] {
        doc.sign_record("r1", role, id, name, None, &who(), key)
            .expect("sign");
    }
    doc.refuse_signature(
        "r1",
        R::Party,
        "王小五",
        "不认可检查结论",
        "赵六",
        &who(),
        key,
    )
    .expect("refuse");
    let signed = t.elapsed();
    let t = Instant::now();
    let problems = doc.verify_seals().expect("verify");
    let verified = t.elapsed();
    assert!(problems.is_empty(), "{problems:?}");
    (sealed, signed, verified)
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
    let (edit_median, edit_p99) = (
        median(times.clone()).as_secs_f64() * 1e6,
        p99(times).as_secs_f64() * 1e6,
    );
    println!(
        "edit + commit on a case of {base_edits} edits: median {edit_median:.1} µs, p99 {edit_p99:.1} µs (target median ≤ 100 µs)"
    );
    fig(
        &format!("edit + commit, case of {base_edits} edits, median"),
        edit_median,
        "µs",
        AtMost(100.0),
        full,
    );
    fig(
        &format!("edit + commit, case of {base_edits} edits, p99"),
        edit_p99,
        "µs",
        Target::None,
        full,
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
    let load_ms = median(loads).as_secs_f64() * 1e3;
    println!(
        "case of {base_edits} edits, {} bytes: save median {:.2} ms; load median {load_ms:.2} ms (target ≤ 5 ms); load + read whole case {:.2} ms",
        bytes.len(),
        median(saves).as_secs_f64() * 1e3,
        median(reads).as_secs_f64() * 1e3
    );
    fig(
        &format!("load of a case of {base_edits} edits, median"),
        load_ms,
        "ms",
        AtMost(5.0),
        full,
    );

    // Seal + verify of a 5-page record, through the case document.
    let key = DeviceKey::from_secret([7; 32]);
    let saved = five_page_case();
    let rounds = if full { 300 } else { 3 };
    let (mut seals, mut signs, mut verifies, mut totals) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut chars = 0;
    for _ in 0..rounds {
        let mut doc = CaseDoc::load(&saved, b"bench-actor-0003").expect("load");
        let (s, g, v) = seal_sign_verify(&mut doc, &key);
        seals.push(s);
        signs.push(g);
        verifies.push(v);
        totals.push(s + v);
        chars = doc
            .record("r1")
            .ok()
            .and_then(|r| {
                r.fields
                    .get("findings")
                    .map(|f| f.display().chars().count())
            })
            .unwrap_or(0);
    }
    println!(
        "seal + verify of a 5-page record ({chars} characters of text, 5 media, 4 signatures + 1 refusal verified; CaseDoc::seal_record + verify_seals): median {:.1} µs (seal {:.1} µs, verify {:.1} µs), p99 {:.1} µs (target ≤ 1 ms); collecting the 4 signatures and the refusal (sign_record ×4 + refuse_signature, not in the target): median {:.1} µs",
        median(totals.clone()).as_secs_f64() * 1e6,
        median(seals).as_secs_f64() * 1e6,
        median(verifies).as_secs_f64() * 1e6,
        p99(totals.clone()).as_secs_f64() * 1e6,
        median(signs).as_secs_f64() * 1e6
    );
    fig(
        "seal + verify of a 5-page record, median",
        median(totals).as_secs_f64() * 1e3,
        "ms",
        AtMost(1.0),
        full,
    );
}

/// The `BENCH` line of one figure (zhifa-bench collects them).
fn fig(figure: &str, value: f64, unit: &str, target: Target, full: bool) {
    zhifa_bench::line::emit("core_bench", figure, value, unit, target, full);
}
