//! Tests of the SQLite store.

use super::*;

#[test]
fn migrates_once_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("z.db");
    {
        let s = SqliteStore::open(&p, 2).unwrap();
        assert_eq!(s.account_count().unwrap(), 0);
        s.create_agency(&Agency {
            id: "ag".into(),
            name: "县档案局".into(),
        })
        .unwrap();
    }
    let s = SqliteStore::open(&p, 2).unwrap();
    let v: i64 = s
        .read()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v as usize, MIGRATIONS.len());
    assert!(matches!(
        s.create_agency(&Agency {
            id: "ag".into(),
            name: "x".into()
        }),
        Err(StoreError::Conflict(_))
    ));
}

#[test]
fn keeps_the_newest_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(&dir.path().join("z.db"), 1).unwrap();
    assert_eq!(s.latest_calendar().unwrap(), None);
    let cal = |v: &str| StoredCalendar {
        version: v.into(),
        json: format!("{{\"v\":\"{v}\"}}"),
        loaded_at: "2026-11-27T10:00:00+08:00".into(),
        loaded_by: "admin".into(),
    };
    s.save_calendar(&cal("a")).unwrap();
    s.save_calendar(&cal("b")).unwrap();
    assert_eq!(s.latest_calendar().unwrap(), Some(cal("b")));
}

#[test]
fn a_disclosure_save_names_the_revision_it_read() {
    use crate::store::disclosure::{DisclosureItem, DisclosureStore};
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(&dir.path().join("z.db"), 1).unwrap();
    let mut item = DisclosureItem {
        id: "d1".into(),
        section: "救济途径".into(),
        published: None,
        draft: None,
        law_changed_on: None,
        created_at: "2026-01-01T00:00:00Z".into(),
        revision: 0,
    };
    assert!(s.save_disclosure_item(&item, None).unwrap());
    assert!(s.save_disclosure_item(&item, None).is_err(), "id taken");
    item.revision = 1;
    item.law_changed_on = Some("2026-01-05".into());
    assert!(s.save_disclosure_item(&item, Some(0)).unwrap());
    // A save that read revision 0 lost the race.
    assert!(!s.save_disclosure_item(&item, Some(0)).unwrap());
    assert_eq!(s.disclosure_item("d1").unwrap(), Some(item.clone()));
    assert_eq!(s.disclosure_items().unwrap(), vec![item]);
    assert_eq!(s.disclosure_item("none").unwrap(), None);
}

#[test]
fn archive_packages_are_indexed_and_listed_when_due_for_disposal() {
    use crate::store::archive::{ArchivePackage, ArchiveStore};
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(&dir.path().join("z.db"), 1).unwrap();
    let pkg = |id: &str, dispose: Option<&str>| ArchivePackage {
        case_id: id.into(),
        case_title: format!("案件{id}"),
        case_number: id.into(),
        file_name: format!("{id}.zip"),
        sha256: "ab".repeat(32),
        size: 1234,
        archived_at: "2026-12-04T10:00:00+08:00".into(),
        archivist_id: "wufang".into(),
        archivist_name: "吴芳".into(),
        retention: dispose.map_or("永久".into(), |_| "10年".into()),
        dispose_from: dispose.map(Into::into),
        unit_id: "u1".into(),
    };
    s.save_archive_package(&pkg("a", Some("2036-12-04")))
        .unwrap();
    s.save_archive_package(&pkg("b", Some("2030-01-01")))
        .unwrap();
    s.save_archive_package(&pkg("c", None)).unwrap();
    assert_eq!(s.archive_package_count().unwrap(), 3);
    assert_eq!(
        s.archive_package("a").unwrap(),
        Some(pkg("a", Some("2036-12-04")))
    );
    assert_eq!(s.archive_package("zz").unwrap(), None);
    let due: Vec<String> = s
        .packages_due_for_disposal("2036-12-04", 10)
        .unwrap()
        .into_iter()
        .map(|p| p.case_id)
        .collect();
    assert_eq!(due, vec!["b", "a"], "earliest first; 永久 never");
    assert!(s
        .packages_due_for_disposal("2029-12-31", 10)
        .unwrap()
        .is_empty());
    // A rebuilt package replaces the row.
    s.save_archive_package(&pkg("a", Some("2040-01-01")))
        .unwrap();
    assert_eq!(s.archive_package_count().unwrap(), 3);
}
