//! Builders and poppler/zbar helpers shared by the zhifa-docs tests.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;
use sha2::{Digest, Sha256};
use zhifa_core::case::{
    CaseHeader, CaseKind, CaseSource, Officer, OfficerStatus, Party, PartyKind, Procedure, Stage,
};
use zhifa_core::doc::{Actor, Case, CaseDoc};
use zhifa_core::media::MediaRef;
use zhifa_core::seal::DeviceKey;
use zhifa_core::template::{FieldType, SignerRole, Template, TemplateRegistry};
use zhifa_docs::{DocContext, DocFont, Privacy};

pub const AT: &str = "2026-03-02T09:30:00+08:00";
pub const FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
pub const BUREAU: &str = "康保县档案局";
pub const CHECK_URL: &str = "https://zhifa.example.gov.cn/gs/doc";

pub fn who() -> Actor<'static> {
    Actor {
        user: "zhangwei",
        device: "dev-a",
        at: AT,
    }
}

pub fn key() -> DeviceKey {
    DeviceKey::from_secret([7; 32])
}

/// The test font (Debian fonts-noto-cjk), loaded once per test.
pub fn font() -> DocFont {
    let bytes = std::fs::read(FONT)
        .unwrap_or_else(|e| panic!("{FONT}: {e} (apt-get install fonts-noto-cjk)"));
    DocFont::from_bytes(bytes).expect("Noto Sans CJK loads")
}

fn officer(id: &str, name: &str, credential: &str) -> Officer {
    Officer {
        id: id.into(),
        name: name.into(),
        post: "科员".into(),
        credential_no: credential.into(),
        unit: BUREAU.into(),
        status: OfficerStatus::Active,
    }
}

/// A case with two officers and a natural-person party.
pub fn new_case() -> CaseDoc {
    let header = CaseHeader {
        id: "case-0001".into(),
        kind: CaseKind::Penalty,
        procedure: Some(Procedure::General),
        title: "某档案馆档案安全检查".into(),
        source: CaseSource::RandomInspection,
        stage: Stage::Investigation,
        unit: "执法监督科".into(),
        created_at: AT.into(),
        created_by: "zhangwei".into(),
        source_ref: None,
        fine_fen: None,
        measures: Vec::new(),
    };
    let w = who();
    let mut doc = CaseDoc::create(&header, b"device-a-actor01", &w).expect("create");
    doc.add_officer(&officer("zhangwei", "张伟", "13000100001"), &w)
        .expect("officer");
    doc.add_officer(&officer("lina", "李娜", "13000100002"), &w)
        .expect("officer");
    doc.add_party(
        &Party {
            id: "p1".into(),
            kind: PartyKind::NaturalPerson,
            name: "王五".into(),
            id_number: "13070219900101123X".into(),
            representative: None,
            address: Some("河北省张家口市康保县人民路1号".into()),
            phone: Some("13912345678".into()),
        },
        &w,
    )
    .expect("party");
    doc
}

pub fn template(id: &str) -> Template {
    TemplateRegistry::builtin()
        .latest(id)
        .expect("template")
        .clone()
}

/// A value for a field that reads back in the text (`<label>值`), or the
/// field's first choice.
pub fn sample(
    key: &str,
    ty: FieldType,
    options: &[String],
    long_chars: usize,
) -> serde_json::Value {
    if key == "officers_present" {
        return json!(["zhangwei", "lina"]);
    }
    if key == "outcome" {
        return json!("同意");
    }
    match ty {
        FieldType::Text => json!(format!("{key}值")),
        FieldType::LongText => {
            let unit = "经现场检查发现档案库房温湿度记录不全, 消防设施过期未检。";
            let mut s = format!("{key}值。");
            while s.chars().count() < long_chars {
                s.push_str(unit);
            }
            json!(s)
        }
        FieldType::Integer | FieldType::Money => json!(150000),
        FieldType::Bool => json!(true),
        FieldType::Date => json!("2026-03-02"),
        FieldType::DateTime => json!(AT),
        FieldType::Choice => json!(options.first().cloned().unwrap_or_default()),
        FieldType::MultiChoice => json!([options.first().cloned().unwrap_or_default()]),
        FieldType::List => json!(["一", "二"]),
        FieldType::QaList => {
            json!([{"q": "你的姓名?", "a": "王五"}, {"q": "你是否知道检查事由?", "a": "知道"}])
        }
    }
}

/// A signature as captured: a wave across the canvas, pressure rising.
pub fn strokes_json(seed: u32) -> Vec<u8> {
    let pts: Vec<serde_json::Value> = (0..40)
        .map(|i| {
            let x = 10.0 + i as f32 * 5.5;
            let y = 45.0 + ((i as f32 + seed as f32) * 0.5).sin() * 25.0;
            json!({"x": x, "y": y, "t": i * 16, "pressure": 0.2 + i as f32 / 60.0})
        })
        .collect();
    let bar: Vec<serde_json::Value> = (0..10)
        .map(|i| json!({"x": 40 + i * 15, "y": 20, "t": 700 + i * 16, "pressure": 0.8}))
        .collect();
    serde_json::to_vec(&json!({"width": 240, "height": 90, "strokes": [pts, bar]})).expect("json")
}

pub fn sha(bytes: &[u8]) -> String {
    hex_of(&Sha256::digest(bytes))
}

fn hex_of(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A case holding one record of `template`, every field filled
/// (`long_chars` characters in long texts), sealed and signed with strokes
/// by every signer role (a refusal for the party when `refuse_party`).
/// Returns the document and the strokes files by hash.
pub fn sealed_case(
    template_id: &str,
    long_chars: usize,
    refuse_party: bool,
) -> (CaseDoc, HashMap<String, Vec<u8>>) {
    let mut doc = new_case();
    let mut files = HashMap::new();
    let tpl = template(template_id);
    let w = who();
    doc.create_record("rec-1", &tpl, &w).expect("create record");
    for f in &tpl.fields {
        let v = sample(&f.key, f.ty, &f.options, long_chars);
        doc.set_field_json("rec-1", &f.key, &v, &w)
            .unwrap_or_else(|e| panic!("{template_id}.{}: {e}", f.key));
    }
    let photo = MediaRef {
        sha256: sha(b"photo-1"),
        mime: "image/jpeg".into(),
        size: 2048,
        captured_at: AT.into(),
        gps: Some(zhifa_core::media::GeoPoint {
            lat: 41.85,
            lon: 114.6,
        }),
        device: "dev-a".into(),
        officer: "zhangwei".into(),
        record_id: "rec-1".into(),
    };
    doc.attach_media(&photo, &w).expect("photo");
    doc.seal_record("rec-1", &w, &key()).expect("seal");
    sign(&mut doc, &mut files, "rec-1", &tpl, refuse_party);
    (doc, files)
}

/// Every signer role signs once (officers twice), with strokes.
pub fn sign(
    doc: &mut CaseDoc,
    files: &mut HashMap<String, Vec<u8>>,
    rid: &str,
    tpl: &Template,
    refuse_party: bool,
) {
    let w = who();
    let mut n = 0;
    for rule in &tpl.signers {
        if rule.role == SignerRole::Party && refuse_party {
            doc.refuse_signature(
                rid,
                SignerRole::Party,
                "王五",
                "不同意检查结论",
                "钱七",
                &w,
                &key(),
            )
            .expect("refusal");
            continue;
        }
        let signers: &[(&str, &str)] = match rule.role {
            SignerRole::Officer => &[("zhangwei", "张伟"), ("lina", "李娜")],
            SignerRole::Party => &[("p1", "王五")],
            SignerRole::Witness => &[("w1", "赵六")],
            SignerRole::Reviewer => &[("zhoumin", "周敏")],
            SignerRole::Leader => &[("sunjianguo", "孙建国")],
        };
        for (id, name) in signers {
            n += 1;
            let bytes = strokes_json(n);
            let h = sha(&bytes);
            files.insert(h.clone(), bytes);
            doc.sign_record(rid, rule.role, id, name, Some(h), &w, &key())
                .expect("sign");
        }
    }
}

/// A context over `case` with the strokes files at hand.
pub fn ctx<'a>(
    case: &'a Case,
    media: &'a dyn Fn(&str) -> Option<Vec<u8>>,
    privacy: Privacy,
) -> DocContext<'a> {
    DocContext {
        case,
        bureau: BUREAU,
        media,
        check_url: Some(CHECK_URL),
        privacy,
        account_name: &|_| None,
    }
}

/// True when `tool` runs; in CI (`CI=true`) a missing tool fails the test.
pub fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok();
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{tool} is missing: apt-get install poppler-utils zbar-tools"
        );
        eprintln!("skipped: {tool} is not installed (apt-get install poppler-utils zbar-tools)");
    }
    ok
}

/// Runs a tool, panicking with its stderr on failure; stdout as text.
pub fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Scratch directory for one test.
pub fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write pdf");
    p
}

/// Text of a PDF (`pdftotext -layout`).
pub fn text_of(pdf: &Path) -> String {
    run("pdftotext", &["-layout", &pdf.to_string_lossy(), "-"])
}

/// Page count from `pdfinfo`.
pub fn pages_of(pdf: &Path) -> usize {
    let info = run("pdfinfo", &[&pdf.to_string_lossy()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints Pages")
}

/// The workspace's target directory (`CARGO_TARGET_DIR` or `target/`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}
