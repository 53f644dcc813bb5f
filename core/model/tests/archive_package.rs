//! An archive package verifies offline only when whole: the manifest signed by
//! the trusted server key, every listed file present with its SHA-256 and
//! size, nothing added, and every seal of the case document intact.

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::json;
use zhifa_core::archive::{
    verify_package, Archivist, FileKind, Manifest, ManifestFile, PackageError, Retention,
    CASE_FILE_NAME, DOCUMENT_NAME, MANIFEST_NAME,
};
use zhifa_core::case::{CaseKind, PartyKind, Procedure};
use zhifa_core::doc::CaseDoc;
use zhifa_core::seal::DeviceKey;

fn server_key() -> DeviceKey {
    DeviceKey::from_secret([42; 32])
}

fn package(doc_bytes: Vec<u8>) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert(DOCUMENT_NAME.to_string(), doc_bytes);
    files.insert(CASE_FILE_NAME.to_string(), b"%PDF-1.7 stand-in".to_vec());
    files.insert("media/photo1.jpg".to_string(), vec![0xFF, 0xD8, 1, 2, 3]);
    let doc = CaseDoc::load(&files[DOCUMENT_NAME], b"reader").unwrap();
    let case = doc.case().unwrap();
    let mut m = Manifest {
        format: "zhifa-archive/1".into(),
        case_id: case.header.id.clone(),
        case_number: case.header.id.clone(),
        case_title: case.header.title.clone(),
        case_kind: "penalty".into(),
        archived_at: "2026-12-04T10:00:00+08:00".into(),
        archivist: Archivist {
            account_id: "wufang".into(),
            name: "吴芳".into(),
        },
        retention: Retention { years: Some(30) }
            .note(chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()),
        files: files
            .iter()
            .map(|(n, b)| {
                let kind = match n.as_str() {
                    DOCUMENT_NAME => FileKind::Document,
                    CASE_FILE_NAME => FileKind::CaseFile,
                    _ => FileKind::Media,
                };
                ManifestFile::of(n, kind, b)
            })
            .collect(),
        key_id: String::new(),
        signature: String::new(),
    };
    m.sign(&server_key());
    files.insert(MANIFEST_NAME.to_string(), m.to_json());
    files
}

fn sealed_case() -> CaseDoc {
    let mut doc = new_case(
        CaseKind::Penalty,
        Some(Procedure::General),
        PartyKind::LegalPerson,
    );
    complete_record(&mut doc, "r1", "inspection_record");
    doc
}

fn trusted() -> Vec<String> {
    vec![server_key().public_hex()]
}

#[test]
fn a_whole_package_verifies() {
    let files = package(sealed_case().save());
    let report = verify_package(&files, &trusted()).unwrap();
    assert_eq!(report.sealed_records, 1);
    assert_eq!(report.manifest.archivist.name, "吴芳");
    assert_eq!(report.manifest.key_id, server_key().public_hex());
}

#[test]
fn a_changed_file_is_named() {
    let mut files = package(sealed_case().save());
    files.get_mut("media/photo1.jpg").unwrap()[2] ^= 1;
    let e = verify_package(&files, &trusted()).unwrap_err();
    assert_eq!(e, PackageError::DigestMismatch("media/photo1.jpg".into()));
    assert!(e.to_string().contains("media/photo1.jpg"));

    let mut files = package(sealed_case().save());
    files.get_mut(CASE_FILE_NAME).unwrap().push(0);
    let e = verify_package(&files, &trusted()).unwrap_err();
    assert_eq!(e.code(), "size_mismatch");
    assert_eq!(e.file(), Some(CASE_FILE_NAME));
}

#[test]
fn a_changed_manifest_or_a_foreign_key_is_refused() {
    let mut files = package(sealed_case().save());
    let text = String::from_utf8(files[MANIFEST_NAME].clone()).unwrap();
    files.insert(
        MANIFEST_NAME.into(),
        text.replace("吴芳", "吴方").into_bytes(),
    );
    let e = verify_package(&files, &trusted()).unwrap_err();
    assert_eq!(e.code(), "signature_invalid");
    assert!(e.to_string().contains("manifest.json"));

    let files = package(sealed_case().save());
    let other = DeviceKey::from_secret([9; 32]).public_hex();
    let e = verify_package(&files, &[other]).unwrap_err();
    assert_eq!(e.code(), "untrusted_key");
    assert!(e.to_string().contains(&server_key().public_hex()));
}

#[test]
fn missing_and_added_files_are_refused() {
    let mut files = package(sealed_case().save());
    files.remove("media/photo1.jpg");
    assert_eq!(
        verify_package(&files, &trusted()).unwrap_err(),
        PackageError::Missing("media/photo1.jpg".into())
    );
    let mut files = package(sealed_case().save());
    files.insert("media/extra.jpg".into(), vec![1]);
    assert_eq!(
        verify_package(&files, &trusted()).unwrap_err(),
        PackageError::Extra("media/extra.jpg".into())
    );
}

#[test]
fn a_document_with_a_broken_seal_is_refused_even_when_listed() {
    let mut a = new_case(
        CaseKind::Penalty,
        Some(Procedure::General),
        PartyKind::LegalPerson,
    );
    filled_record(&mut a, "r1", "inspection_record");
    let mut b = CaseDoc::load(&a.save(), b"actor-b").unwrap();
    a.seal_record("r1", &who_a(), &key(1)).unwrap();
    b.set_field_json("r1", "findings", &json!("归档后改写"), &who_b())
        .unwrap();
    a.merge(&mut b).unwrap();
    let files = package(a.save());
    let e = verify_package(&files, &trusted()).unwrap_err();
    assert_eq!(e.code(), "seal_broken");
    assert!(e.to_string().contains("r1"), "{e}");
}

mod filing {
    use super::*;
    use std::collections::BTreeSet;
    use zhifa_core::case::{EventKind, Stage};
    use zhifa_core::rules::{file_case, RuleProfile};

    fn present(doc: &CaseDoc) -> BTreeSet<String> {
        let case = doc.case().unwrap();
        let mut all: BTreeSet<String> = case.media.keys().cloned().collect();
        for r in &case.records {
            all.extend(r.media.iter().cloned());
            for s in r.seal.iter().flat_map(|s| s.signatures.iter()) {
                all.extend(s.strokes.iter().cloned());
            }
        }
        all
    }

    #[test]
    fn only_a_case_in_archiving_is_filed() {
        let mut doc = sealed_case();
        let p = present(&doc);
        let e = file_case(&mut doc, &RuleProfile::default(), &p, &who_a()).unwrap_err();
        assert!(e.to_string().contains("归档管理"), "{e}");
    }

    #[test]
    fn an_unsealed_record_blocks_filing_and_nothing_is_written() {
        let mut doc = sealed_case();
        filled_record(&mut doc, "r2", "inquiry_record");
        doc.set_stage(Stage::Archiving, &who_a()).unwrap();
        let p = present(&doc);
        let heads = doc.heads();
        let unmet = file_case(&mut doc, &RuleProfile::default(), &p, &who_a())
            .unwrap()
            .unwrap_err();
        assert!(
            unmet.iter().any(|u| u.to_string().contains("尚未封存")),
            "{unmet:?}"
        );
        assert_eq!(doc.heads(), heads);
        assert_eq!(doc.case().unwrap().header.stage, Stage::Archiving);
    }

    #[test]
    fn a_missing_file_blocks_filing() {
        let mut doc = sealed_case();
        doc.set_stage(Stage::Archiving, &who_a()).unwrap();
        let unmet = file_case(
            &mut doc,
            &RuleProfile::default(),
            &BTreeSet::new(),
            &who_a(),
        )
        .unwrap()
        .unwrap_err();
        assert!(!unmet.is_empty());
    }

    #[test]
    fn a_whole_case_is_filed_and_the_history_says_so() {
        let mut doc = sealed_case();
        doc.set_stage(Stage::Archiving, &who_a()).unwrap();
        let p = present(&doc);
        file_case(&mut doc, &RuleProfile::default(), &p, &who_a())
            .unwrap()
            .unwrap();
        let case = doc.case().unwrap();
        assert_eq!(case.header.stage, Stage::Archived);
        assert!(case.events.iter().any(|e| e.kind == EventKind::Archived));
        let e = file_case(&mut doc, &RuleProfile::default(), &p, &who_a()).unwrap_err();
        assert!(e.to_string().contains("已归档"));
    }
}
