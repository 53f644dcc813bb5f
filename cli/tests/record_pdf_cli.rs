//! `zhifa record pdf` prints a sealed record with its signatures; the QR
//! code on the paper verifies with `zhifa case verify <QR text>` until the
//! record is amended.

use std::process::Command;

use serde_json::Value;
use zhifa_device::testdata::fake_mp4;
use zhifa_e2e::TestServer;

mod common;
use common::{ok, zhifa};

const FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// True when poppler and zbar are installed; in CI their absence fails.
fn have_tools() -> bool {
    let ok = ["pdftotext", "pdftoppm", "zbarimg"]
        .iter()
        .all(|t| Command::new(t).arg("-v").output().is_ok());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "poppler-utils / zbar-tools missing"
        );
        eprintln!("skipped: apt-get install poppler-utils zbar-tools");
    }
    ok
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().expect("tool runs");
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_sealed_record_prints_and_its_qr_code_verifies_until_amended() {
    if !have_tools() {
        return;
    }
    let srv = TestServer::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("zhang");
    let me = ok(
        &home,
        &[
            "login",
            "--server",
            &srv.url,
            "--user",
            "zhangwei",
            "--password",
            "demo1234",
        ],
    );
    let me_id = me["id"].as_str().expect("id").to_string();
    let created = ok(
        &home,
        &[
            "case",
            "new",
            "--kind",
            "inspection",
            "--title",
            "某档案馆档案安全检查",
            "--party",
            "康保县某档案馆",
            "--party-id",
            "12130723MB0000001J",
            "--partner",
            "lina",
            "--record",
            "inspection_record",
        ],
    );
    let case = created["case_id"].as_str().expect("case").to_string();
    let rec = created["record_id"].as_str().expect("record").to_string();
    ok(
        &home,
        &[
            "record",
            "set",
            &case,
            &rec,
            "inspected_at=2026-03-02 09:30",
            "place=档案库房",
            "inspected_unit=康保县某档案馆",
            "officers_present=zhangwei,lina",
            "credentials_shown=是",
            "basis=《中华人民共和国档案法》第四十二条",
            "items=档案安全",
            "method=现场检查",
            "findings=库房温湿度记录完整。",
        ],
    );
    let v = tmp.path().join("v.mp4");
    std::fs::write(&v, fake_mp4(100_000, 2)).expect("video");
    ok(&home, &["attach", &case, &rec, &v.to_string_lossy()]);

    // Not sealed yet: refused in Chinese.
    let pdf = tmp.path().join("r.pdf");
    let out = zhifa(
        &home,
        &["record", "pdf", &case, &rec, "-o", &pdf.to_string_lossy()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("尚未封存"));

    ok(&home, &["record", "seal", &case, &rec]);
    let strokes = tmp.path().join("s.json");
    std::fs::write(
        &strokes,
        r#"{"width":240,"height":90,"strokes":[[{"x":10,"y":40,"t":0,"pressure":0.3},{"x":120,"y":60,"t":90,"pressure":0.9},{"x":220,"y":30,"t":160,"pressure":0.6}]]}"#,
    )
    .expect("strokes");
    ok(
        &home,
        &[
            "sign",
            &case,
            &rec,
            "--role",
            "officer",
            "--signer-id",
            &me_id,
            "--name",
            "张伟",
            "--strokes",
            &strokes.to_string_lossy(),
        ],
    );

    // A font that is not one: a clear error.
    let bad = tmp.path().join("bad.ttf");
    std::fs::write(&bad, b"nope").expect("bad font");
    let out = zhifa(
        &home,
        &[
            "record",
            "pdf",
            &case,
            &rec,
            "-o",
            &pdf.to_string_lossy(),
            "--font",
            &bad.to_string_lossy(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("字体"));

    let made = ok(
        &home,
        &[
            "record",
            "pdf",
            &case,
            &rec,
            "-o",
            &pdf.to_string_lossy(),
            "--font",
            FONT,
        ],
    );
    assert!(made["bytes"].as_u64().unwrap_or(0) > 1000, "{made}");
    let text: String = run("pdftotext", &[&pdf.to_string_lossy(), "-"])
        .split_whitespace()
        .collect();
    assert!(
        text.contains("现场检查笔录") && text.contains("第1页共"),
        "{text}"
    );
    assert!(
        text.contains("张伟执法证号"),
        "signature caption missing: {text}"
    );
    assert!(
        !text.contains("笔迹文件未到"),
        "the strokes inside the signature PNG are drawn: {text}"
    );

    let png = tmp.path().join("r");
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "300",
            "-singlefile",
            &pdf.to_string_lossy(),
            &png.to_string_lossy(),
        ],
    );
    let qr = run(
        "zbarimg",
        &["-q", "--raw", &png.with_extension("png").to_string_lossy()],
    )
    .trim()
    .to_string();
    assert!(
        qr.starts_with(&format!("{}/gs/doc?c={case}&r={rec}&d=", srv.url)),
        "{qr}"
    );
    let checked = ok(&home, &["case", "verify", &qr]);
    assert_eq!(checked["result"], "一致", "{checked}");
    assert_eq!(checked["document"], "现场检查笔录");

    // After an amendment the old paper no longer verifies.
    ok(
        &home,
        &["record", "amend", &case, &rec, "--reason", "检查地点有误"],
    );
    let out = zhifa(&home, &["case", "verify", &qr, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["result"], "不一致", "{v}");
}
