//! Rendering benchmark: `cargo bench -p zhifa-docs --bench render`.
//!
//! Measures a 5-page record with 4 signatures drawn from strokes (target
//! ≤ 300 ms) and the 案卷 of a 50-document case (target ≤ 5 s). Without
//! `--bench` (as `cargo test --all-targets` runs it) a smoke run renders
//! once with fewer documents and prints figures that mean nothing.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use common::*;
use zhifa_bench::line::{emit, Target::AtMost};
use zhifa_docs::{render_case_file, render_record, Privacy};

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    if !full {
        println!("(smoke run: not invoked by `cargo bench`, figures not meaningful)");
    }
    let font = font();

    // A 5-page 现场检查笔录: long findings, 2 officers + party + witness signing.
    let (doc, files) = sealed_case("inspection_record", 2000, false);
    let case = doc.case().expect("case");
    let media = |h: &str| files.get(h).cloned();
    let c = ctx(&case, &media, Privacy::Full);
    let runs = if full { 20 } else { 1 };
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let pdf = render_record(&c, &font, "rec-1").expect("pdf");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        size = pdf.len();
    }
    times.sort_by(f64::total_cmp);
    let signatures = case
        .record("rec-1")
        .and_then(|r| r.seal.as_ref())
        .map_or(0, |s| s.signatures.len());
    let pages = pdf_pages(&render_record(&c, &font, "rec-1").expect("pdf"));
    println!(
        "record: {pages} pages, {signatures} signatures, {} KB: median {:.1} ms, max {:.1} ms (target ≤ 300 ms: {})",
        size / 1024,
        times[times.len() / 2],
        times[times.len() - 1],
        if times[times.len() / 2] <= 300.0 { "met" } else { "MISSED" }
    );
    emit(
        "render",
        &format!("{pages}-page record with {signatures} signatures: median render"),
        times[times.len() / 2],
        "ms",
        AtMost(300.0),
        full,
    );

    // The 案卷 of a case of 50 documents.
    let n = if full { 50 } else { 5 };
    let (doc, files) = case_of(n);
    let case = doc.case().expect("case");
    let media = |h: &str| files.get(h).cloned();
    let c = ctx(&case, &media, Privacy::Full);
    let t = Instant::now();
    let pdf = render_case_file(&c, &font).expect("case file");
    let s = t.elapsed().as_secs_f64();
    println!(
        "case file: {n} documents, {} pages, {} KB: {:.2} s (target ≤ 5 s: {})",
        pdf_pages(&pdf),
        pdf.len() / 1024,
        s,
        if s <= 5.0 { "met" } else { "MISSED" }
    );
    emit(
        "render",
        &format!("案卷 of {n} documents: render"),
        s,
        "s",
        AtMost(5.0),
        full,
    );
}

/// Page count by the page objects krilla writes.
fn pdf_pages(pdf: &[u8]) -> usize {
    pdf.windows(b"/Type /Page\n".len())
        .filter(|w| *w == b"/Type /Page\n")
        .count()
        .max(
            pdf.windows(b"/Type /Page/".len())
                .filter(|w| *w == b"/Type /Page/")
                .count(),
        )
}

/// A case with `n` sealed, signed documents of rotating templates.
fn case_of(
    n: usize,
) -> (
    zhifa_core::doc::CaseDoc,
    std::collections::HashMap<String, Vec<u8>>,
) {
    let mut doc = new_case();
    let mut files = std::collections::HashMap::new();
    let w = who();
    let ids = [
        "inspection_record",
        "inquiry_record",
        "rights_notice",
        "evidence_list",
        "statement_defense",
        "service_receipt_direct",
    ];
    for i in 0..n {
        let tpl = template(ids[i % ids.len()]);
        let rid = format!("rec-{i:03}");
        doc.create_record(&rid, &tpl, &w).expect("create");
        for f in &tpl.fields {
            doc.set_field_json(&rid, &f.key, &sample(&f.key, f.ty, &f.options, 300), &w)
                .expect("set");
        }
        doc.seal_record(&rid, &w, &key()).expect("seal");
        sign(&mut doc, &mut files, &rid, &tpl, false);
    }
    (doc, files)
}
