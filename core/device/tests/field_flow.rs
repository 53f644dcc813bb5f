//! The whole field flow of an inspection through the facade: two officers,
//! credentials, record, three photos, a video, rights notified, the party
//! signs, sealed; listeners; everything survives a reopen.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::json;
use zhifa_core::case::{CaseKind, CaseSource, PartyKind};
use zhifa_core::template::SignerRole;
use zhifa_device::app::officer;
use zhifa_device::app::views::{CaseListItem, DeadlineState, ListUpdate, SyncState, UploadState};
use zhifa_device::app::COMPACT_AFTER;
use zhifa_device::store::Store;
use zhifa_device::testdata::{fake_m4a, fake_mp4, jpeg_with_exif, sample_strokes};
use zhifa_device::{App, DeviceError, ListFilter, NewCase, PartyInput, Strokes};

fn strokes(seed: f32) -> Strokes {
    sample_strokes(seed)
}

pub fn run_inspection(app: &App, dir: &std::path::Path) -> (String, String) {
    let me = app.whoami().expect("whoami");
    let lina = officer("acc-lina", "李娜", "冀执0723-2023-0102", "u-jiandu");
    let created = app
        .new_case(&NewCase {
            kind: CaseKind::Inspection,
            procedure: None,
            title: "某档案馆档案安全随机抽查".into(),
            source: CaseSource::RandomInspection,
            source_ref: Some("双随机-2026-03".into()),
            party: Some(PartyInput {
                kind: PartyKind::LegalPerson,
                name: "康保县某档案馆".into(),
                id_number: "12130723MB0000001J".into(),
                representative: Some("赵六".into()),
                address: None,
                phone: None,
            }),
            partners: vec![lina.clone()],
            first_record: Some("inspection_record".into()),
        })
        .expect("new case");
    let case = created.case_id.clone();
    let rec = created.record_id.clone().expect("record");
    app.show_credentials(&case, "康保县某档案馆档案库房", Some((38.04, 114.5)))
        .expect("亮证");
    let fields = [
        ("inspected_at", json!("2026-03-02T09:30:00+08:00")),
        ("place", json!("康保县某档案馆档案库房")),
        ("inspected_unit", json!("康保县某档案馆")),
        ("officers_present", json!([me.id, lina.id])),
        ("credentials_shown", json!(true)),
        ("basis", json!("《中华人民共和国档案法》第四十二条")),
        ("items", json!(["档案安全", "档案保管条件"])),
        ("method", json!("双随机抽查")),
        ("findings", json!("库房温湿度记录完整, 消防设施有效。")),
    ];
    for (k, v) in fields {
        app.set_field(&case, &rec, k, &v).expect(k);
    }
    for i in 0..3 {
        let p = dir.join(format!("photo{i}.jpg"));
        std::fs::write(&p, jpeg_with_exif(320, 240, i + 1, 85)).expect("write photo");
        let m = app.attach(&case, &rec, &p, None).expect("attach photo");
        assert_eq!(m.mime, "image/jpeg");
        assert_eq!(m.captured_at, "2026-03-02T09:31:00+08:00", "EXIF time");
        let (lat, lon) = m.gps.expect("EXIF GPS");
        assert!((lat - 38.04).abs() < 1e-9 && (lon - 114.5).abs() < 1e-9);
        assert!(m.thumb.is_some());
    }
    let v = dir.join("video.mp4");
    std::fs::write(&v, fake_mp4(200_000, 7)).expect("write video");
    let m = app
        .attach(&case, &rec, &v, Some((38.0, 114.0)))
        .expect("video");
    assert_eq!(m.mime, "video/mp4");
    // The conversation is recorded too.
    let a = dir.join("talk.m4a");
    std::fs::write(&a, fake_m4a(60_000, 11)).expect("write audio");
    let m = app.attach(&case, &rec, &a, None).expect("audio");
    assert_eq!((m.mime.as_str(), m.size), ("audio/mp4", 60_024));
    assert!(m.thumb.is_none() && m.present && m.upload == UploadState::Pending);
    app.notify_rights(
        &case,
        &["陈述".into(), "申辩".into()],
        "当场告知",
        Some(&rec),
    )
    .expect("rights");
    let digest = app.seal_record(&case, &rec).expect("seal");
    assert_eq!(digest.len(), 64);
    let editor = app.record_editor(&case, &rec).expect("editor");
    assert!(editor.sealed);
    assert!(!editor.missing_signatures.is_empty());
    app.sign(
        &case,
        &rec,
        SignerRole::Officer,
        &me.id,
        &me.name,
        &strokes(0.0),
    )
    .expect("officer 1");
    app.sign(
        &case,
        &rec,
        SignerRole::Officer,
        &lina.id,
        &lina.name,
        &strokes(1.0),
    )
    .expect("officer 2");
    app.sign(&case, &rec, SignerRole::Party, "p1", "赵六", &strokes(2.0))
        .expect("party");
    (case, rec)
}

#[test]
fn inspection_field_flow_through_the_facade() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path().join("home");
    let app = common::app(&home, "zhangwei");
    let list_calls = Arc::new(AtomicUsize::new(0));
    let rows = Arc::new(std::sync::Mutex::new(Vec::<CaseListItem>::new()));
    let (calls, r) = (list_calls.clone(), rows.clone());
    let sub = app
        .watch_case_list(ListFilter::default(), move |u| {
            calls.fetch_add(1, Ordering::SeqCst);
            let mut rows = r.lock().expect("rows");
            match u {
                ListUpdate::Reset(all) => *rows = all,
                ListUpdate::Upsert(item) => match rows.iter_mut().find(|x| x.id == item.id) {
                    Some(x) => *x = *item,
                    None => rows.push(*item),
                },
                ListUpdate::Remove(id) => rows.retain(|x| x.id != id),
            }
        })
        .expect("watch");
    let (case, rec) = run_inspection(&app, dir.path());
    assert!(list_calls.load(Ordering::SeqCst) > 10, "list listener ran");
    // The incrementally maintained list equals a fresh one.
    assert_eq!(
        *rows.lock().expect("rows"),
        app.list_cases(&ListFilter::default()).expect("list")
    );

    let editor = app.record_editor(&case, &rec).expect("editor");
    assert!(
        editor.missing_fields.is_empty(),
        "{:?}",
        editor.missing_fields
    );
    assert!(
        editor.missing_signatures.is_empty(),
        "{:?}",
        editor.missing_signatures
    );
    assert_eq!(editor.signatures.len(), 3);
    for sig in &editor.signatures {
        let png = app
            .blob_path(sig.image.as_deref().expect("image"))
            .expect("png on device");
        assert!(std::fs::read(png).expect("read").starts_with(b"\x89PNG"));
    }
    assert_eq!(editor.media.len(), 5);
    assert!(app.verify_seals(&case).expect("verify").is_empty());
    let view = app.case_view(&case).expect("view");
    assert_eq!(view.officers.len(), 2);
    assert_eq!(view.media.len(), 5);
    assert_eq!(
        view.media.iter().filter(|m| m.mime == "audio/mp4").count(),
        1
    );
    assert!(view
        .media
        .iter()
        .all(|m| m.present && m.upload == UploadState::Pending));
    assert!(view.blocking.is_empty(), "{:?}", view.blocking);
    assert!(view.parties[0].id_number.contains('*'), "masked id");
    assert!(view
        .events
        .iter()
        .any(|e| e.detail.contains("出示执法证件") && e.detail.contains("38.04")));

    // A sealed record refuses edits, in Chinese.
    let err = app
        .set_field(&case, &rec, "place", &json!("别处"))
        .expect_err("sealed");
    assert!(err.to_string().contains("已签章封存"), "{err}");

    // Cancelling the listener stops it.
    drop(sub);
    let before = list_calls.load(Ordering::SeqCst);
    app.show_credentials(&case, "库房门口", None)
        .expect("event");
    assert_eq!(list_calls.load(Ordering::SeqCst), before);

    // The case watcher sees only its case.
    let seen = Arc::new(AtomicUsize::new(0));
    let s2 = seen.clone();
    let sub = app
        .watch_case(&case, move |_| {
            s2.fetch_add(1, Ordering::SeqCst);
        })
        .expect("watch case");
    let removed = Arc::new(std::sync::Mutex::new(Vec::new()));
    let rm = removed.clone();
    let investigating = app
        .watch_case_list(
            ListFilter {
                stage: Some("investigation".into()),
                ..Default::default()
            },
            move |u| {
                if let ListUpdate::Remove(id) = u {
                    rm.lock().expect("rm").push(id);
                }
            },
        )
        .expect("watch filtered");
    app.advance_stage(&case).expect("advance to 审查决定");
    assert_eq!(seen.load(Ordering::SeqCst), 2);
    assert_eq!(
        *removed.lock().expect("rm"),
        vec![case.clone()],
        "left the filter"
    );
    drop(investigating);
    sub.cancel();

    // Everything survives closing the app.
    drop(app);
    let app = App::open(&home).expect("reopen");
    let list = app.list_cases(&ListFilter::default()).expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].stage, "审查决定");
    assert_eq!(list[0].party, "康保县某档案馆");
    assert_eq!(list[0].sync_state, SyncState::Local);
    let editor = app.record_editor(&case, &rec).expect("editor");
    assert_eq!(editor.signatures.len(), 3);
    assert!(app.verify_seals(&case).expect("verify").is_empty());
    // 3 photos, the video, the recording and 3 signatures.
    assert_eq!(app.sync_status().expect("status").pending_uploads, 8);
}

#[test]
fn validation_messages_are_chinese_and_nothing_is_stored() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = common::app(dir.path(), "zhangwei");
    let c = app
        .new_case(&NewCase {
            kind: CaseKind::Inspection,
            procedure: None,
            title: "投诉核查".into(),
            source: CaseSource::Complaint,
            source_ref: None,
            party: None,
            partners: vec![],
            first_record: Some("inspection_record".into()),
        })
        .expect("case");
    let rec = c.record_id.expect("rec");
    let e = app
        .set_field(&c.case_id, &rec, "method", &json!("飞行检查"))
        .expect_err("choice");
    assert!(e.to_string().contains("不在可选范围内"), "{e}");
    let e = app.seal_record(&c.case_id, &rec).expect_err("required");
    assert!(e.to_string().contains("必填项未填写"), "{e}");
    let editor = app.record_editor(&c.case_id, &rec).expect("editor");
    assert!(editor
        .fields
        .iter()
        .any(|f| f.message.as_deref() == Some("必填项")));
    let e = app
        .new_record(&c.case_id, "penalty_decision")
        .expect_err("kind");
    assert!(e.to_string().contains("不适用"), "{e}");
    let e = app.advance_stage(&c.case_id).expect_err("gates");
    assert!(e.to_string().contains("不能进入"), "{e}");
    // Wrong password through the transport.
    let e = app
        .login("http://offline", "zhangwei", "wrong", "x")
        .expect_err("password");
    assert!(matches!(e, DeviceError::WrongPassword));
    assert_eq!(e.to_string(), "用户名或密码错误");
    assert_eq!(app.whoami().expect("still logged in").username, "zhangwei");
}

#[test]
fn compaction_folds_chunks_without_losing_edits() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = common::app(dir.path(), "zhangwei");
    let c = app
        .new_case(&NewCase::inspection("压缩测试"))
        .expect("case");
    let rec = c.record_id.expect("rec");
    for i in 0..200 {
        app.set_field(
            &c.case_id,
            &rec,
            "findings",
            &json!(format!("第 {i} 次修改")),
        )
        .expect("edit");
    }
    drop(app); // joins the compactor
    let db = dir.path().join("zhifa.db");
    let chunks = |id: &str| {
        Store::open(&db)
            .expect("store")
            .chunk_count(id)
            .expect("chunks")
    };
    // 200 edits appended 200 chunks; the background compactor folded at
    // least the first 128 of them into the snapshot.
    let left = chunks(&c.case_id);
    assert!(left < COMPACT_AFTER, "{left} chunks left after compaction");
    let app = App::open(dir.path()).expect("reopen");
    assert_eq!(
        common::findings(&app, &c.case_id, &rec),
        Some(json!("第 199 次修改"))
    );
    // Five more edits add five chunks (too few to trigger compaction).
    for i in 200..205 {
        app.set_field(
            &c.case_id,
            &rec,
            "findings",
            &json!(format!("第 {i} 次修改")),
        )
        .expect("edit");
    }
    assert_eq!(chunks(&c.case_id), left + 5);
    drop(app);
    // Folding the rest leaves none, and the latest edit is still there.
    assert!(Store::open(&db)
        .expect("store")
        .compact_case(&c.case_id)
        .expect("compact"));
    assert_eq!(chunks(&c.case_id), 0);
    let app = App::open(dir.path()).expect("reopen");
    assert_eq!(
        common::findings(&app, &c.case_id, &rec),
        Some(json!("第 204 次修改"))
    );
}

/// Another connection compacts the case in a loop while the app edits it
/// and reloads it from the store after every edit: the reloaded document
/// always holds the latest edit (snapshot and chunks are read in one
/// transaction, so a compaction cannot fall between them).
#[test]
fn reopening_a_case_while_it_is_compacted_never_loses_the_latest_edit() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = common::app(dir.path(), "zhangwei");
    let c = app
        .new_case(&NewCase::inspection("并发压缩"))
        .expect("case");
    let rec = c.record_id.expect("rec");
    let stop = Arc::new(AtomicBool::new(false));
    let compactor = {
        let (db, id, stop) = (dir.path().join("zhifa.db"), c.case_id.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut store = Store::open(&db).expect("second connection");
            let mut folded = 0usize;
            while !stop.load(Ordering::SeqCst) {
                if store.compact_case(&id).expect("compact") {
                    folded += 1;
                } else {
                    std::thread::sleep(std::time::Duration::from_micros(200));
                }
            }
            folded
        })
    };
    for i in 0..120 {
        let v = json!(format!("第 {i} 版"));
        app.set_field(&c.case_id, &rec, "findings", &v)
            .expect("edit");
        for _ in 0..3 {
            app.close_documents();
            assert_eq!(
                common::findings(&app, &c.case_id, &rec),
                Some(v.clone()),
                "edit {i} lost on reload"
            );
        }
    }
    stop.store(true, Ordering::SeqCst);
    let folded = compactor.join().expect("compactor thread");
    assert!(folded >= 10, "only {folded} compactions ran concurrently");
    drop(app);
    let app = App::open(dir.path()).expect("reopen");
    assert_eq!(
        common::findings(&app, &c.case_id, &rec),
        Some(json!("第 119 版"))
    );
}

#[test]
fn penalty_case_shows_its_statutory_deadline_badge() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = common::app(dir.path(), "zhangwei");
    let c = app
        .new_case(&NewCase {
            kind: CaseKind::Penalty,
            procedure: Some(zhifa_core::case::Procedure::General),
            title: "某单位未按规定移交档案".into(),
            source: CaseSource::Complaint,
            source_ref: Some("投诉-2026-015".into()),
            party: None,
            partners: vec![],
            first_record: None,
        })
        .expect("penalty case");
    let obligations = app.obligations(Some(&c.case_id)).expect("obligations");
    assert!(!obligations.is_empty(), "filing starts the decision limit");
    let list = app.list_cases(&ListFilter::default()).expect("list");
    assert_eq!(
        (list[0].stage_code, list[0].stage.as_str()),
        (Some(zhifa_core::case::Stage::Initiation), "程序启动")
    );

    let badge = list[0].badge.as_ref().expect("badge");
    assert_eq!(badge.due, obligations[0].due);
    assert_eq!(badge.state, DeadlineState::OnTime);
    // The same row on later days: due soon, due today, overdue.
    let due = chrono::NaiveDate::parse_from_str(&badge.due, "%Y-%m-%d").expect("due date");
    let badge_on = |days_before: i64| {
        let day = due - chrono::Duration::days(days_before);
        app.list_cases_on(&ListFilter::default(), day)
            .expect("list")[0]
            .badge
            .clone()
            .expect("badge")
    };
    let b = badge_on(4);
    assert_eq!(
        (b.state, b.text),
        (DeadlineState::OnTime, format!("{} 到期", badge.due))
    );
    let b = badge_on(2);
    assert_eq!(
        (b.state, b.text.as_str()),
        (DeadlineState::DueSoon, "2 天后到期")
    );
    let b = badge_on(0);
    assert_eq!(
        (b.state, b.text.as_str()),
        (DeadlineState::DueToday, "今日到期")
    );
    let b = badge_on(-3);
    assert_eq!(
        (b.state, b.text.as_str()),
        (DeadlineState::Overdue, "逾期 3 天")
    );
    assert_eq!(b.what, badge.what);
    assert!(!b.what.is_empty(), "says what is due");
    let due_soon = app
        .list_cases(&ListFilter {
            due_by: Some("2000-01-01".into()),
            ..Default::default()
        })
        .expect("filter");
    assert!(due_soon.is_empty());
}

#[test]
fn rights_notification_flow_of_a_penalty_case() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = common::app(dir.path(), "zhangwei");
    let lina = officer("acc-lina", "李娜", "冀执0723-2023-0102", "u-jiandu");
    let c = app
        .new_case(&NewCase {
            kind: CaseKind::Penalty,
            procedure: Some(zhifa_core::case::Procedure::General),
            title: "某单位未按规定移交档案".into(),
            source: CaseSource::Complaint,
            source_ref: Some("投诉-2026-015".into()),
            party: Some(PartyInput {
                kind: PartyKind::LegalPerson,
                name: "某单位".into(),
                id_number: "12130723MB0000002M".into(),
                representative: Some("孙八".into()),
                address: None,
                phone: None,
            }),
            partners: vec![lina],
            first_record: None,
        })
        .expect("case");
    let case = c.case_id;
    assert_eq!(
        app.advance_stage(&case).expect("立案 → 调查取证"),
        "调查取证"
    );
    assert_eq!(app.advance_stage(&case).expect("→ 审查决定"), "审查决定");
    let view = app.case_view(&case).expect("view");
    assert!(
        view.blocking.iter().any(|b| b.contains("权利告知书")),
        "{:?}",
        view.blocking
    );
    let rec = app.new_record(&case, "rights_notice").expect("告知书");
    for (k, v) in [
        ("notice_no", json!("平档罚告〔2026〕1号")),
        ("facts", json!("未按规定向档案馆移交档案。")),
        ("basis", json!("《中华人民共和国档案法》第四十八条")),
        ("proposed_penalty", json!("警告, 罚款人民币伍仟元")),
        ("proposed_fine_fen", json!(500000)),
        ("rights", json!(["陈述", "申辩", "听证"])),
        ("method", json!("当场告知")),
        ("notified_at", json!("2026-03-05T10:00:00+08:00")),
    ] {
        app.set_field(&case, &rec, k, &v).expect(k);
    }
    app.seal_record(&case, &rec).expect("seal");
    app.refuse(&case, &rec, SignerRole::Party, "孙八", "拒绝签收", "钱七")
        .expect("refusal with witness");
    let rights = ["陈述".to_string(), "申辩".to_string(), "听证".to_string()];
    app.notify_rights(&case, &rights, "当场告知", Some(&rec))
        .expect("rights notified");
    let view = app.case_view(&case).expect("view");
    assert!(
        !view.blocking.iter().any(|b| b.contains("权利告知")),
        "{:?}",
        view.blocking
    );
    // Serving the notice with a hearing right opens the hearing-request window.
    let obligations = app.obligations(Some(&case)).expect("obligations");
    assert!(
        obligations.iter().any(|o| o.title.contains("听证")),
        "{obligations:?}"
    );
    let e = app
        .notify_rights(&case, &["沉默".to_string()], "当场告知", None)
        .expect_err("unknown right");
    assert!(e.to_string().contains("未知的权利"), "{e}");
}

#[test]
fn an_officer_cannot_sign_as_leader_or_reviewer_on_the_phone() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = common::app(&dir.path().join("home"), "zhangwei");
    let (case, rec) = run_inspection(&app, dir.path());
    let me = app.whoami().expect("whoami");
    // A typed name cannot sign as 负责人 (nor can the officer himself).
    for (id, name) in [("acc-sun", "孙建国"), (me.id.as_str(), me.name.as_str())] {
        let e = app
            .sign(&case, &rec, SignerRole::Leader, id, name, &strokes(3.0))
            .expect_err("leader signature refused");
        assert!(e.to_string().contains("负责人"), "{e}");
    }
    let e = app
        .sign(
            &case,
            &rec,
            SignerRole::Reviewer,
            &me.id,
            &me.name,
            &strokes(4.0),
        )
        .expect_err("reviewer signature refused");
    assert!(e.to_string().contains("审核人员"), "{e}");
    // Nothing was added.
    let editor = app.record_editor(&case, &rec).expect("editor");
    assert!(editor
        .signatures
        .iter()
        .all(|s| s.role != "leader" && s.role != "reviewer"));
}
