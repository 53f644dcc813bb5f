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
