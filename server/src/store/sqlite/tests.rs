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
