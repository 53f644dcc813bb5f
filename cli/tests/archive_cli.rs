//! `zhifa archive verify FILE.zip` on packages made here the way the server
//! makes them: a whole package passes (exit 0, naming the key that signed);
//! a byte changed in a media file or in the manifest, a file added, another
//! key, or no key at all fail with exit 1 and a Chinese line naming the file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde_json::Value;
use zhifa_core::archive::{
    Archivist, FileKind, Manifest, ManifestFile, Retention, CASE_FILE_NAME, DOCUMENT_NAME,
    MANIFEST_NAME,
};
use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, Stage};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::seal::DeviceKey;

mod common;
use common::zhifa;

const PHOTO: &str = "media/photo.jpg";
const VIDEO: &str = "media/video.mp4";

fn key() -> DeviceKey {
    DeviceKey::from_secret([5; 32])
}

fn document() -> Vec<u8> {
    let header = CaseHeader {
        id: "case-1".into(),
        kind: CaseKind::Inspection,
        procedure: None,
        title: "某档案馆档案安全检查".into(),
        source: CaseSource::RandomInspection,
        stage: Stage::Archived,
        unit: "u1".into(),
        created_at: "2026-12-01T09:00:00+08:00".into(),
        created_by: "zhangwei".into(),
        source_ref: None,
        fine_fen: None,
        measures: Vec::new(),
    };
    let who = Actor {
        user: "zhangwei",
        device: "d1",
        at: "2026-12-01T09:00:00+08:00",
    };
    CaseDoc::create(&header, b"actor-1", &who)
        .expect("case")
        .save()
}

/// The package's files, the manifest signed by [`key`].
fn package() -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert(CASE_FILE_NAME.to_string(), b"%PDF-1.4 case file".to_vec());
    files.insert(DOCUMENT_NAME.to_string(), document());
    files.insert(PHOTO.to_string(), vec![0xFF, 0xD8, 0xFF, 7, 7, 7]);
    files.insert(VIDEO.to_string(), (0..4096u32).map(|i| i as u8).collect());
    let entries = files
        .iter()
        .map(|(n, b)| {
            let kind = match n.as_str() {
                CASE_FILE_NAME => FileKind::CaseFile,
                DOCUMENT_NAME => FileKind::Document,
                _ => FileKind::Media,
            };
            ManifestFile::of(n, kind, b)
        })
        .collect();
    let mut m = Manifest {
        format: "zhifa-archive/1".into(),
        case_id: "case-1".into(),
        case_number: "case-1".into(),
        case_title: "某档案馆档案安全检查".into(),
        case_kind: "inspection".into(),
        archived_at: "2026-12-04T10:00:00+08:00".into(),
        archivist: Archivist {
            account_id: "wufang".into(),
            name: "吴芳".into(),
        },
        retention: Retention { years: Some(10) }
            .note(chrono::NaiveDate::from_ymd_opt(2026, 12, 4).expect("date")),
        files: entries,
        key_id: String::new(),
        signature: String::new(),
    };
    m.sign(&key());
    files.insert(MANIFEST_NAME.to_string(), m.to_json());
    files
}

fn write_zip(path: &Path, files: &BTreeMap<String, Vec<u8>>) {
    let f = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(f);
    for (name, b) in files {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .expect("start");
        zip.write_all(b).expect("write");
    }
    zip.finish().expect("finish");
}

/// Verifies `files` written as a ZIP; returns (exit code, stdout, stderr).
fn verify(files: &BTreeMap<String, Vec<u8>>, extra: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("dir");
    let zip = dir.path().join("归档包.zip");
    write_zip(&zip, files);
    let mut args = vec!["archive", "verify", zip.to_str().expect("path")];
    args.extend_from_slice(extra);
    let out = zhifa(&dir.path().join("home"), &args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_whole_package_verifies_and_names_the_key_that_signed() {
    let hex = key().public_hex();
    let (code, out, err) = verify(&package(), &["--key", &hex]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("归档包完整"), "{out}");
    assert!(out.contains(&hex), "names the key: {out}");
    assert!(out.contains("吴芳") && out.contains("10年"), "{out}");

    let (code, out, _) = verify(&package(), &["--key", &hex, "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["valid"], true);
    assert_eq!(v["files"], 4);
    assert_eq!(v["key_id"], hex);
}

#[test]
fn a_changed_media_byte_is_refused_naming_the_file() {
    let mut files = package();
    files.get_mut(VIDEO).expect("video")[1000] ^= 0x01;
    let (code, _, err) = verify(&files, &["--key", &key().public_hex()]);
    assert_eq!(code, 1);
    assert!(err.contains(VIDEO) && err.contains("SHA-256"), "{err}");
}

#[test]
fn a_changed_manifest_byte_is_refused() {
    let mut files = package();
    let m = files.get_mut(MANIFEST_NAME).expect("manifest");
    let i = m
        .windows(2)
        .position(|w| w == b"10")
        .expect("a digit to change");
    m[i] = b'2';
    let (code, out, err) = verify(&files, &["--key", &key().public_hex(), "--json"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("manifest.json") && err.contains("签名无效"),
        "{err}"
    );
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["code"], "signature_invalid");
    assert_eq!(v["file"], "manifest.json");
}

#[test]
fn an_added_file_another_key_or_no_key_is_refused() {
    let mut files = package();
    files.insert("media/extra.jpg".into(), vec![1, 2, 3]);
    let (code, _, err) = verify(&files, &["--key", &key().public_hex()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("media/extra.jpg") && err.contains("不在清单中"),
        "{err}"
    );

    let other = DeviceKey::from_secret([6; 32]).public_hex();
    let (code, _, err) = verify(&package(), &["--key", &other]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&key().public_hex()) && err.contains("不是所信任的"),
        "{err}"
    );

    // A device that never logged in has no server key: say which key signed.
    let (code, _, err) = verify(&package(), &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--key") && err.contains(&key().public_hex()),
        "{err}"
    );
}

#[test]
fn a_file_that_is_no_zip_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let p = dir.path().join("x.zip");
    std::fs::write(&p, b"not a zip").expect("write");
    let out = zhifa(
        dir.path(),
        &["archive", "verify", p.to_str().expect("path")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是有效的 ZIP"));
}
