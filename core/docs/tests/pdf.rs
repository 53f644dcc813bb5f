//! Every template prints as a form poppler reads back: text, page count,
//! an embedded subset CJK font, and a QR code that decodes to the seal
//! digest and stops verifying once the record changes.

mod common;

use common::*;
use zhifa_core::template::TemplateRegistry;
use zhifa_docs::{check, render_case_file, render_record, DocRef, Privacy, Verdict};

#[test]
fn every_template_prints_as_its_form() {
    if !have("pdftotext") || !have("pdftoppm") {
        return;
    }
    let font = font();
    let png_dir = target_dir().join("docs");
    std::fs::create_dir_all(&png_dir).expect("target/docs");
    let dir = scratch();
    for tpl in TemplateRegistry::builtin().latest_all(None) {
        let (doc, files) = sealed_case(&tpl.id, 120, false);
        let case = doc.case().expect("case");
        let media = |h: &str| files.get(h).cloned();
        let pdf = render_record(&ctx(&case, &media, Privacy::Full), &font, "rec-1")
            .unwrap_or_else(|e| panic!("{}: {e}", tpl.id));
        let path = write(dir.path(), &format!("{}.pdf", tpl.id), &pdf);
        let text = text_of(&path);
        let n = pages_of(&path);
        let flat: String = text.split_whitespace().collect();
        let layout = zhifa_docs::layout::Layouts::builtin()
            .get(&tpl.id)
            .expect("layout");
        for needle in [
            BUREAU,
            layout.title.as_str(),
            "张伟",
            "13000100001",
            "13070219900101123X",
        ] {
            assert!(
                flat.contains(&needle.replace(' ', "")),
                "{}: {needle} missing in\n{text}",
                tpl.id
            );
        }
        for s in &layout.sections {
            for k in &s.fields {
                // A long label wraps in its cell: its first characters are on one line.
                let label: String = tpl
                    .field(k)
                    .expect("field")
                    .label
                    .replace(' ', "")
                    .chars()
                    .take(6)
                    .collect();
                assert!(flat.contains(&label), "{}: label {label} missing", tpl.id);
            }
        }
        for f in tpl
            .fields
            .iter()
            .filter(|f| f.ty == zhifa_core::template::FieldType::Text)
        {
            assert!(
                flat.contains(&format!("{}值", f.key)),
                "{}: value of {} missing",
                tpl.id,
                f.key
            );
        }
        for i in 1..=n {
            assert!(
                flat.contains(&format!("第{i}页共{n}页")),
                "{}: 第 {i} 页 共 {n} 页 missing",
                tpl.id
            );
        }
        let fonts = run("pdffonts", &[&path.to_string_lossy()]);
        let row = fonts
            .lines()
            .find(|l| l.contains("NotoSansCJK"))
            .unwrap_or_else(|| panic!("no CJK font:\n{fonts}"));
        let cells: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni object ID: emb and sub are "yes".
        let yes = cells.iter().filter(|c| **c == "yes").count();
        assert!(yes >= 2, "{}: font not embedded and subset: {row}", tpl.id);
        assert!(
            row.to_lowercase().contains("cjksc"),
            "{}: not the SC face: {row}",
            tpl.id
        );
        let prefix = png_dir.join(&tpl.id);
        run(
            "pdftoppm",
            &[
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                &path.to_string_lossy(),
                &prefix.to_string_lossy(),
            ],
        );
    }
}

/// Decodes the QR code of a PDF's first page at print resolution.
fn qr_text(pdf: &std::path::Path) -> String {
    let prefix = pdf.with_extension("");
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "300",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            &pdf.to_string_lossy(),
            &prefix.to_string_lossy(),
        ],
    );
    run(
        "zbarimg",
        &[
            "-q",
            "--raw",
            &prefix.with_extension("png").to_string_lossy(),
        ],
    )
    .trim()
    .to_string()
}

#[test]
fn the_qr_code_carries_the_seal_digest_and_a_changed_record_no_longer_verifies() {
    if !have("pdftoppm") || !have("zbarimg") {
        return;
    }
    let font = font();
    let dir = scratch();
    let (mut doc, files) = sealed_case("inspection_record", 80, true);
    let case = doc.case().expect("case");
    let media = |h: &str| files.get(h).cloned();
    let pdf = render_record(&ctx(&case, &media, Privacy::Full), &font, "rec-1").expect("pdf");
    let text = qr_text(&write(dir.path(), "r.pdf", &pdf));
    let digest = case
        .record("rec-1")
        .and_then(|r| r.seal.as_ref())
        .map(|s| s.digest.clone())
        .expect("seal");
    assert_eq!(text, format!("{CHECK_URL}?c=case-0001&r=rec-1&d={digest}"));
    let r = DocRef::parse(&text).expect("QR text parses");
    assert!(
        matches!(check(&case, &r), Verdict::Consistent { ref name, .. } if name == "现场检查笔录")
    );

    // A paper with another digest is not this record.
    let mut forged = r.clone();
    forged.digest = "0".repeat(64);
    assert_eq!(check(&case, &forged).word(), "不一致");

    // Amending the record supersedes the paper.
    doc.amend_record("rec-1", "rec-2", "检查地点记录有误", &who())
        .expect("amend");
    let after = doc.case().expect("case");
    match check(&after, &r) {
        Verdict::Inconsistent { reason } => assert!(reason.contains("已被修订"), "{reason}"),
        v => panic!("a superseded record still verifies: {v:?}"),
    }
}

#[test]
fn signatures_refusals_and_amendments_are_printed() {
    if !have("pdftotext") {
        return;
    }
    let font = font();
    let dir = scratch();
    let (mut doc, mut files) = sealed_case("inspection_record", 80, true);
    doc.amend_record("rec-1", "rec-2", "检查地点记录有误", &who())
        .expect("amend");
    doc.seal_record("rec-2", &who(), &key())
        .expect("seal amendment");
    sign(
        &mut doc,
        &mut files,
        "rec-2",
        &template("inspection_record"),
        false,
    );
    let case = doc.case().expect("case");
    let media = |h: &str| files.get(h).cloned();
    let c = ctx(&case, &media, Privacy::Full);

    let old = text_of(&write(
        dir.path(),
        "old.pdf",
        &render_record(&c, &font, "rec-1").expect("old"),
    ));
    let flat: String = old.split_whitespace().collect();
    assert!(flat.contains("拒绝签名"), "refusal missing:\n{old}");
    assert!(flat.contains("见证人:钱七"), "witness missing:\n{old}");
    assert!(
        flat.contains("【已被修订】"),
        "superseded mark missing:\n{old}"
    );

    let new = text_of(&write(
        dir.path(),
        "new.pdf",
        &render_record(&c, &font, "rec-2").expect("new"),
    ));
    let flat: String = new.split_whitespace().collect();
    assert!(
        flat.contains("【修订】本文书为第2版"),
        "amendment note missing:\n{new}"
    );
    assert!(flat.contains("检查地点记录有误"), "reason missing:\n{new}");
    assert!(
        flat.contains("张伟执法证号13000100001"),
        "officer signature caption missing:\n{new}"
    );
    assert!(
        !flat.contains("笔迹文件未到"),
        "strokes were at hand:\n{new}"
    );

    // Without the strokes files the signatures say so instead of drawing.
    let none = |_: &str| None;
    let bare = text_of(&write(
        dir.path(),
        "bare.pdf",
        &render_record(&ctx(&case, &none, Privacy::Full), &font, "rec-2").expect("bare"),
    ));
    assert!(bare
        .split_whitespace()
        .collect::<String>()
        .contains("笔迹文件未到"));
}

#[test]
fn masked_prints_hide_identity_numbers_and_phones() {
    if !have("pdftotext") {
        return;
    }
    let font = font();
    let dir = scratch();
    let (doc, files) = sealed_case("inquiry_record", 40, false);
    let case = doc.case().expect("case");
    let media = |h: &str| files.get(h).cloned();
    let pdf = render_record(&ctx(&case, &media, Privacy::Masked), &font, "rec-1").expect("pdf");
    let text: String = text_of(&write(dir.path(), "m.pdf", &pdf))
        .split_whitespace()
        .collect();
    assert!(
        !text.contains("13070219900101123X"),
        "identity number printed in full:\n{text}"
    );
    assert!(!text.contains("13912345678"), "phone printed in full");
    assert!(
        text.contains("130") && text.contains("123X"),
        "masked identity number missing:\n{text}"
    );
}

#[test]
fn unsealed_records_and_unknown_ids_are_refused() {
    let font = font();
    let mut doc = new_case();
    doc.create_record("draft", &template("inspection_record"), &who())
        .expect("create");
    let case = doc.case().expect("case");
    let media = |_: &str| None;
    let c = ctx(&case, &media, Privacy::Full);
    let e = render_record(&c, &font, "draft").unwrap_err();
    assert!(e.to_string().contains("尚未封存"), "{e}");
    let e = render_record(&c, &font, "nope").unwrap_err();
    assert!(e.to_string().contains("没有文书"), "{e}");
}

#[test]
fn a_font_without_chinese_is_refused() {
    let e = zhifa_docs::DocFont::from_bytes(b"not a font".to_vec()).unwrap_err();
    assert!(e.to_string().contains("字体"), "{e}");
}

#[test]
fn the_case_file_lists_its_documents_with_the_pages_they_start_on() {
    if !have("pdftotext") {
        return;
    }
    let font = font();
    let dir = scratch();
    let (mut doc, mut files) = sealed_case("inspection_record", 3000, false);
    let w = who();
    let tpl = template("rights_notice");
    doc.create_record("rec-9", &tpl, &w).expect("create");
    for f in &tpl.fields {
        doc.set_field_json("rec-9", &f.key, &sample(&f.key, f.ty, &f.options, 50), &w)
            .expect("set");
    }
    let later = zhifa_core::doc::Actor {
        at: "2026-03-03T10:00:00+08:00",
        ..w
    };
    doc.seal_record("rec-9", &later, &key()).expect("seal");
    sign(&mut doc, &mut files, "rec-9", &tpl, false);
    let case = doc.case().expect("case");
    let media = |h: &str| files.get(h).cloned();
    let pdf = render_case_file(&ctx(&case, &media, Privacy::Full), &font).expect("case file");
    let path = write(dir.path(), "file.pdf", &pdf);
    let n = pages_of(&path);
    let png_dir = target_dir().join("docs");
    std::fs::create_dir_all(&png_dir).expect("target/docs");
    let toc_png = png_dir.join("case_file_toc");
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "80",
            "-f",
            "2",
            "-l",
            "2",
            "-singlefile",
            &path.to_string_lossy(),
            &toc_png.to_string_lossy(),
        ],
    );
    let text = text_of(&path);
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let toc: String = pages[1].split_whitespace().collect();
    assert!(
        toc.contains("卷内目录"),
        "page 2 is the 目录:\n{}",
        pages[1]
    );
    // The 目录 row of the rights notice names the page it starts on.
    let row = pages[1]
        .lines()
        .find(|l| l.contains("权利告知书"))
        .expect("toc row");
    let start: usize = row
        .split_whitespace()
        .last()
        .and_then(|p| p.split('-').next())
        .and_then(|p| p.parse().ok())
        .expect("page number");
    let page: String = pages[start - 1].split_whitespace().collect();
    assert!(
        page.contains("权利告知书") && page.contains(&format!("卷内第{start}页")),
        "page {start}:\n{page}"
    );
    let first_row = pages[1]
        .lines()
        .find(|l| l.contains("现场检查笔录"))
        .expect("toc row");
    assert!(
        first_row.trim_end().ends_with(&format!("3-{}", start - 1)),
        "{first_row}"
    );
    let history_row = pages[1]
        .lines()
        .find(|l| l.contains("案件历史记录"))
        .expect("toc row");
    let at: usize = history_row
        .split_whitespace()
        .last()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("history page: {history_row:?}"));
    assert!(
        pages[at - 1]
            .split_whitespace()
            .collect::<String>()
            .contains("案件历史记录"),
        "history not on page {at}"
    );
    let all: String = text.split_whitespace().collect();
    assert!(
        all.contains("媒体文件清单") && all.contains(&sha(b"photo-1")),
        "media list missing"
    );
    assert!(
        all.contains("案件历史记录") && all.contains("封存"),
        "history missing"
    );
    assert!(all.contains(&format!("案卷第{n}页共{n}页")));
}
