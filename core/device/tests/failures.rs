//! Failures give a clear (Chinese) error and leave stored data intact: a full
//! disk (database full during an edit and during an attach; ENOSPC while a
//! media file is written), a truncated photo, video or recording, a blob
//! damaged after ingest, a wrong password, a corrupted database page.

mod common;

use std::io::{Seek, SeekFrom, Write};
use std::sync::Arc;

use serde_json::json;
use sha2::{Digest, Sha256};
use zhifa_core::case::{CaseKind, CaseSource};
use zhifa_device::testdata::{fake_m4a, fake_mp4, jpeg_with_exif};
use zhifa_device::{App, DeviceError, ListFilter, NewCase};

fn new_case(app: &App, title: &str) -> (String, String) {
    let c = app.new_case(&NewCase::inspection(title)).expect("case");
    (c.case_id, c.record_id.expect("rec"))
}

#[test]
fn disk_full_fails_cleanly_and_keeps_every_earlier_edit() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = common::app(dir.path(), "zhangwei");
    let (case, rec) = new_case(&app, "磁盘已满");
    app.limit_db_growth(2).expect("cap");
    let big = "很长的检查情况。".repeat(1200);
    let mut last_ok = None;
    let mut err = None;
    for i in 0..200 {
        let v = json!(format!("{i}:{big}"));
        match app.set_field(&case, &rec, "findings", &v) {
            Ok(()) => last_ok = Some(v),
            Err(e) => {
                err = Some(e);
                break;
            }
        }
    }
    let err = err.expect("the database filled up");
    assert!(matches!(err, DeviceError::DiskFull), "{err:?}");
    assert!(err.to_string().contains("存储空间已满"), "{err}");
    // The app keeps working for reads, and what was acknowledged is there.
    assert_eq!(common::findings(&app, &case, &rec), last_ok);
    drop(app);
    let app = App::open(dir.path()).expect("reopen");
    app.check_integrity().expect("intact");
    assert_eq!(common::findings(&app, &case, &rec), last_ok);
    app.set_field(&case, &rec, "place", &json!("清理空间后继续"))
        .expect("writes again once space is free");
}

/// Fills the capped database: big edits until one fails, then small ones
/// until even those fail. Returns the last value that was acknowledged.
fn fill_database(app: &App, case: &str, rec: &str) -> Option<serde_json::Value> {
    let mut last_ok = None;
    for chunk in ["很长的检查情况。".repeat(1200), "短".to_string()] {
        let mut full = false;
        for i in 0..2000 {
            let v = json!(format!("{i}:{chunk}"));
            match app.set_field(case, rec, "findings", &v) {
                Ok(()) => last_ok = Some(v),
                Err(e) => {
                    assert!(matches!(e, DeviceError::DiskFull), "{e:?}");
                    full = true;
                    break;
                }
            }
        }
        assert!(full, "the database filled up");
    }
    last_ok
}

#[test]
fn disk_full_during_attach_stores_no_media_row_and_leaves_the_document_as_it_was() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = common::app(&dir.path().join("home"), "zhangwei");
    let (case, rec) = new_case(&app, "附件时磁盘已满");
    app.limit_db_growth(2).expect("cap");
    let last_ok = fill_database(&app, &case, &rec);
    let before = app.export_case(&case).expect("document");
    let p = dir.path().join("photo.jpg");
    std::fs::write(&p, jpeg_with_exif(320, 240, 77, 85)).expect("write");
    // The blob is written (the file system has room), the commit is not.
    let e = app
        .attach(&case, &rec, &p, None)
        .expect_err("database full");
    assert!(matches!(e, DeviceError::DiskFull), "{e:?}");
    assert!(e.to_string().contains("存储空间已满"), "{e}");
    assert!(app.media(&case).expect("rows").is_empty(), "no media row");
    assert!(app.case_view(&case).expect("view").media.is_empty());
    assert_eq!(app.export_case(&case).expect("document"), before);
    assert_eq!(app.sync_status().expect("status").pending_uploads, 0);
    drop(app);
    // After a restart (space freed) nothing of the failed attach is there,
    // every acknowledged edit is, and the same photo attaches.
    let app = App::open(&dir.path().join("home")).expect("reopen");
    app.check_integrity().expect("intact");
    assert!(app.media(&case).expect("rows").is_empty());
    assert_eq!(common::findings(&app, &case, &rec), last_ok);
    let m = app
        .attach(&case, &rec, &p, None)
        .expect("attach once space is free");
    assert_eq!(app.media(&case).expect("rows").len(), 1);
    assert!(app.blob_path(&m.sha256).is_some());
}

#[test]
fn enospc_while_a_media_file_is_written_fails_cleanly() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path().join("home");
    let app = common::app(&home, "zhangwei");
    let (case, rec) = new_case(&app, "写入文件时磁盘已满");
    app.set_field(&case, &rec, "findings", &json!("已保存"))
        .expect("edit");
    let before = app.export_case(&case).expect("document");
    let photo = jpeg_with_exif(640, 480, 78, 90);
    let p = dir.path().join("photo.jpg");
    std::fs::write(&p, &photo).expect("write");
    app.limit_blob_space(Some(photo.len() as u64 / 2));
    let e = app.attach(&case, &rec, &p, None).expect_err("no space");
    assert!(matches!(e, DeviceError::DiskFull), "{e:?}");
    assert!(e.to_string().contains("存储空间已满"), "{e}");
    let sha = hex::encode(Sha256::digest(&photo));
    assert!(
        app.blob_path(&sha).is_none(),
        "no partial blob under its hash"
    );
    let tmp: Vec<_> = std::fs::read_dir(home.join("blobs/tmp"))
        .expect("tmp dir")
        .collect();
    assert!(tmp.is_empty(), "the partial file is removed");
    assert!(app.media(&case).expect("rows").is_empty());
    assert_eq!(app.export_case(&case).expect("document"), before);
    assert_eq!(common::findings(&app, &case, &rec), Some(json!("已保存")));
    app.limit_blob_space(None);
    let m = app.attach(&case, &rec, &p, None).expect("space again");
    assert_eq!(m.sha256, sha);
}

#[test]
fn truncated_videos_and_recordings_are_refused_and_nothing_is_attached() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = common::app(&dir.path().join("home"), "zhangwei");
    let (case, rec) = new_case(&app, "截断的录像");
    let video = fake_mp4(100_000, 5);
    let audio = fake_m4a(20_000, 6);
    let mut wav = b"RIFF".to_vec();
    wav.extend_from_slice(&(36u32 + 8_000).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.resize(8_044, 1);
    let cases = [
        ("cut.mp4", &video[..video.len() / 2]),
        ("cut.mov", &video[..video.len() - 1]),
        ("cut.m4a", &audio[..audio.len() - 40]),
        ("cut.wav", &wav[..4_000]),
    ];
    for (name, bytes) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        let e = app.attach(&case, &rec, &p, None).expect_err(name);
        assert!(matches!(e, DeviceError::MediaCorrupt(_)), "{name}: {e:?}");
        assert!(e.to_string().contains("不完整"), "{name}: {e}");
        let sha = hex::encode(Sha256::digest(bytes));
        assert!(app.blob_path(&sha).is_none(), "{name}: no blob kept");
    }
    assert!(app.media(&case).expect("rows").is_empty());
    assert!(app.case_view(&case).expect("view").media.is_empty());
    // The whole files attach.
    for (name, bytes) in [("a.mp4", &video[..]), ("a.m4a", &audio), ("a.wav", &wav)] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        app.attach(&case, &rec, &p, None).expect(name);
    }
    assert_eq!(app.media(&case).expect("rows").len(), 3);
}

#[test]
fn a_truncated_photo_is_refused_and_nothing_is_attached() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = common::app(&dir.path().join("home"), "zhangwei");
    let (case, rec) = new_case(&app, "截断的照片");
    let full = jpeg_with_exif(640, 480, 5, 90);
    let p = dir.path().join("cut.jpg");
    std::fs::write(&p, &full[..full.len() / 2]).expect("write");
    let e = app.attach(&case, &rec, &p, None).expect_err("truncated");
    assert!(matches!(e, DeviceError::MediaCorrupt(_)), "{e:?}");
    assert!(e.to_string().contains("不完整"), "{e}");
    assert!(app.case_view(&case).expect("view").media.is_empty());
    assert!(app.media(&case).expect("rows").is_empty());
    let sha = hex::encode(Sha256::digest(&full[..full.len() / 2]));
    assert!(app.blob_path(&sha).is_none(), "no blob kept");
    // The whole photo still attaches.
    std::fs::write(&p, &full).expect("write");
    app.attach(&case, &rec, &p, None).expect("whole photo");
}

#[test]
fn a_blob_damaged_after_ingest_is_reported_and_never_uploaded() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = App::open(dir.path()).expect("open");
    let server = Arc::new(common::Recording::default());
    app.set_transport(server.clone());
    app.login("http://test", "zhangwei", "demo1234", "t")
        .expect("login");
    let (case, rec) = new_case(&app, "损坏的文件");
    let mut shas = Vec::new();
    for i in 0..2 {
        let p = dir.path().join(format!("{i}.jpg"));
        std::fs::write(&p, jpeg_with_exif(200, 150, 40 + i, 85)).expect("w");
        shas.push(app.attach(&case, &rec, &p, None).expect("attach").sha256);
    }
    // Damage the first blob on disk (flip bytes, same size).
    let path = app.blob_path(&shas[0]).expect("blob");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open");
    f.seek(SeekFrom::Start(200)).expect("seek");
    f.write_all(b"XXXX").expect("damage");
    drop(f);
    let r = app.sync_now().expect("sync");
    assert_eq!(r.corrupt, vec![shas[0].clone()]);
    assert_eq!(*server.uploads.lock().expect("l"), vec![shas[1].clone()]);
    let s = app.sync_status().expect("status");
    assert_eq!((s.pending_uploads, s.corrupt_uploads), (0, 1));
    let row = app
        .media(&case)
        .expect("rows")
        .into_iter()
        .find(|m| m.sha256 == shas[0])
        .expect("row");
    assert_eq!(row.upload, "corrupt");
    assert!(row.last_error.unwrap_or_default().contains("哈希不符"));
    // Logging out is refused while a case is not on the server.
    let e = app.logout(false).expect_err("unsynced case");
    assert!(e.to_string().contains("未同步"), "{e}");
    app.logout(true).expect("forced logout");
    assert!(matches!(app.whoami(), Err(DeviceError::NotLoggedIn)));
}

#[test]
fn wrong_password_is_clear_and_keeps_the_device_as_it_was() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = App::open(dir.path()).expect("open");
    app.set_transport(Arc::new(common::Offline));
    let e = app
        .login("http://offline", "zhangwei", "bad", "t")
        .expect_err("wrong");
    assert_eq!(e.to_string(), "用户名或密码错误");
    assert!(matches!(app.whoami(), Err(DeviceError::NotLoggedIn)));
    let e = app
        .new_case(&NewCase {
            kind: CaseKind::Inspection,
            procedure: None,
            title: "x".into(),
            source: CaseSource::ExOfficio,
            source_ref: None,
            party: None,
            partners: vec![],
            first_record: None,
        })
        .expect_err("not logged in");
    assert_eq!(e.to_string(), "尚未登录, 请先登录");
}

#[test]
fn a_corrupted_database_page_gives_a_clear_error_and_is_not_modified() {
    let dir = tempfile::tempdir().expect("tmp");
    let (case, rec) = {
        let app = common::app(dir.path(), "zhangwei");
        for i in 0..30 {
            new_case(&app, &format!("案件 {i}"));
        }
        let ids = new_case(&app, "要损坏的");
        app.set_field(&ids.0, &ids.1, "findings", &json!("已保存"))
            .expect("edit");
        ids
    };
    let db = dir.path().join("zhifa.db");
    // Find the root page of the cases table, then overwrite it.
    let (root, page_size): (i64, i64) = {
        let c = rusqlite::Connection::open(&db).expect("open");
        (
            c.query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'cases'",
                [],
                |r| r.get(0),
            )
            .expect("root"),
            c.query_row("PRAGMA page_size", [], |r| r.get(0))
                .expect("size"),
        )
    };
    {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&db)
            .expect("db");
        f.seek(SeekFrom::Start(((root - 1) * page_size) as u64))
            .expect("seek");
        f.write_all(&vec![0xA5; page_size as usize])
            .expect("garbage");
    }
    let before = std::fs::read(&db).expect("read");
    let result = App::open(dir.path()).and_then(|app| {
        app.list_cases(&ListFilter::default())?;
        app.case_view(&case)?;
        common::findings(&app, &case, &rec);
        Ok(())
    });
    let e = result.expect_err("corruption detected");
    assert!(matches!(e, DeviceError::Corrupt(_)), "{e:?}");
    assert!(e.to_string().contains("本地数据库已损坏"), "{e}");
    assert_eq!(std::fs::read(&db).expect("read"), before, "file untouched");
    // The rest of the store (keys, login) is still readable.
    let app = App::open(dir.path()).expect("opens");
    assert_eq!(app.whoami().expect("login intact").username, "zhangwei");
    assert!(matches!(
        app.check_integrity(),
        Err(DeviceError::Corrupt(_))
    ));
}
