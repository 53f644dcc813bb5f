//! The server enforces the law on every incoming change (issue 13 probes):
//! a crafted change that skips the gates, moves a case to another unit,
//! rewrites sealed content or breaks the limits is refused for its case
//! alone, with a code and a Chinese reason citing the rule; nothing of it is
//! stored, and the device's other cases in the same round still sync.

use automerge::transaction::Transactable;
use automerge::{ReadDoc, ROOT};
use zhifa_core::case::Stage;
use zhifa_core::template::TemplateRegistry;

use crate::client::{Device, AT};
use crate::common::TestServer;

/// Syncs `dev`, expecting exactly `case` refused with `code`; returns the message.
async fn refused_alone(dev: &mut Device, srv: &TestServer, case: &str, code: &str) -> String {
    let r = dev.sync(srv).await.expect("the round answers");
    assert_eq!(r.refused.len(), 1, "{:?}", r.refused);
    assert_eq!(r.refused[0].0, case);
    assert_eq!(r.refused[0].1.code, code, "{:?}", r.refused);
    r.refused[0].1.error.clone()
}

/// The heads the server holds for a case, as the office API shows them.
async fn server_heads(srv: &TestServer, case: &str) -> serde_json::Value {
    let leader = srv.login("sunjianguo").await;
    let detail: serde_json::Value = srv
        .get(&leader, &format!("/api/v1/cases/{case}"))
        .await
        .json()
        .await
        .expect("detail");
    detail["heads"].clone()
}

#[tokio::test]
async fn a_crafted_jump_to_archived_is_refused_and_the_other_cases_still_sync() {
    let srv = TestServer::start().await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let bad = zhang.create_case("跳过程序的案件");
    zhang.sync(&srv).await.expect("upload");
    let stored = server_heads(&srv, &bad).await;

    zhang.edit(&bad, |d, who| {
        d.set_stage(Stage::Archived, who).expect("stage")
    });
    let good = zhang.create_case("正常办理的案件");
    let msg = refused_alone(&mut zhang, &srv, &bad, "stage_gate").await;
    assert!(msg.contains("归档"), "{msg}");
    assert!(msg.contains("第"), "cites an article: {msg}");
    assert_eq!(server_heads(&srv, &bad).await, stored, "nothing stored");
    assert_eq!(
        server_heads(&srv, &good).await,
        serde_json::json!(zhang.heads(&good)),
        "the other case synced in the same round"
    );
}

#[tokio::test]
async fn a_new_case_archived_with_a_huge_title_is_refused() {
    let srv = TestServer::start().await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("将被篡改的案件");
    zhang.edit(&case, |d, who| {
        let header = match d.automerge().get(ROOT, "header").expect("get") {
            Some((_, id)) => id,
            None => panic!("header"),
        };
        d.automerge()
            .put(&header, "title", "档".repeat(10_000))
            .expect("title");
        d.set_stage(Stage::Archived, who).expect("stage");
    });
    // Every refusal is named; the first one's code is the answer's.
    let msg = refused_alone(&mut zhang, &srv, &case, "stage_gate").await;
    assert!(msg.contains("10000 字, 最多 200 字"), "{msg}");
    assert!(msg.contains("归档"), "{msg}");
    let leader = srv.login("sunjianguo").await;
    let res = srv.get(&leader, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(res.status(), reqwest::StatusCode::NOT_FOUND, "not stored");
}

#[tokio::test]
async fn an_assigned_officer_cannot_move_a_case_to_another_unit() {
    let srv = TestServer::start().await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("移交他科的案件");
    zhang.sync(&srv).await.expect("upload");
    let stored = server_heads(&srv, &case).await;
    zhang.edit(&case, |d, _| {
        let header = match d.automerge().get(ROOT, "header").expect("get") {
            Some((_, id)) => id,
            None => panic!("header"),
        };
        d.automerge()
            .put(&header, "unit", "u-zhidao")
            .expect("unit");
    });
    let msg = refused_alone(&mut zhang, &srv, &case, "unit_change").await;
    assert!(msg.contains("科室"), "{msg}");
    assert_eq!(server_heads(&srv, &case).await, stored);
}

#[tokio::test]
async fn a_rewrite_of_sealed_content_is_refused() {
    let srv = TestServer::start().await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("封存后被改写");
    let key = zhifa_core::seal::DeviceKey::from_secret([7; 32]);
    zhang.edit(&case, |d, who| {
        let tpl = TemplateRegistry::builtin()
            .latest("performance_record")
            .expect("template");
        d.create_record("r1", tpl, who).expect("record");
        d.set_field_json("r1", "performed_on", &serde_json::json!("2026-03-02"), who)
            .expect("date");
        d.set_field_json("r1", "manner", &serde_json::json!("自动履行"), who)
            .expect("manner");
        d.set_field_json("r1", "evidence", &serde_json::json!("缴款凭证"), who)
            .expect("evidence");
        d.seal_record("r1", who, &key).expect("seal");
    });
    zhang.sync(&srv).await.expect("upload sealed");
    let stored = server_heads(&srv, &case).await;
    zhang.edit(&case, |d, _| {
        let am = d.automerge();
        let (_, records) = am.get(ROOT, "records").expect("g").expect("records");
        let (_, rec) = am.get(&records, "r1").expect("g").expect("r1");
        let (_, fields) = am.get(&rec, "fields").expect("g").expect("fields");
        am.put(&fields, "evidence", "改写后的证据")
            .expect("rewrite");
    });
    let msg = refused_alone(&mut zhang, &srv, &case, "seal_rewrite").await;
    assert!(
        msg.contains("履行"),
        "names the record by its template: {msg}"
    );
    assert_eq!(server_heads(&srv, &case).await, stored);
    let _ = AT;
}

#[tokio::test]
async fn a_deflate_bomb_in_a_sync_message_is_refused_before_it_is_inflated() {
    use automerge::sync::{ChunkList, Message, MessageVersion};
    use std::io::Write;

    let srv = TestServer::start().await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("解压炸弹");
    zhang.sync(&srv).await.expect("upload");
    let stored = server_heads(&srv, &case).await;

    // A compressed change chunk (type 2) whose data inflates to 256 MiB.
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..256 {
        e.write_all(&zeros).expect("deflate");
    }
    let data = e.finish().expect("finish");
    let mut chunk = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 2];
    let mut len = data.len() as u64;
    loop {
        let b = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            chunk.push(b);
            break;
        }
        chunk.push(b | 0x80);
    }
    chunk.extend(&data);
    let msg = Message {
        heads: Vec::new(),
        need: Vec::new(),
        have: Vec::new(),
        changes: ChunkList::from(vec![chunk]),
        flags: None,
        version: MessageVersion::V1,
    };
    let res = zhang.exchange_raw(&srv, &case, msg.encode()).await;
    crate::common::expect_error(res, reqwest::StatusCode::PAYLOAD_TOO_LARGE, "too_large").await;
    assert_eq!(server_heads(&srv, &case).await, stored, "nothing stored");
}

#[tokio::test]
async fn an_administrator_reads_personal_data_masked_and_takes_no_raw_document() {
    use zhifa_core::case::{Party, PartyKind};
    let srv = TestServer::start().await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("自然人当事人");
    zhang.edit(&case, |d, who| {
        d.add_party(
            &Party {
                id: "p1".into(),
                kind: PartyKind::NaturalPerson,
                name: "王五".into(),
                id_number: "11010519491231002X".into(),
                representative: None,
                address: Some("河北省张家口市康保县人民路 1 号".into()),
                phone: Some("13912345678".into()),
            },
            who,
        )
        .expect("party");
    });
    zhang.sync(&srv).await.expect("upload");
    let party = |v: &serde_json::Value| v["case"]["parties"][0].clone();
    let officer: serde_json::Value = srv
        .get(&zhang.session, &format!("/api/v1/cases/{case}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(party(&officer)["id_number"], "11010519491231002X");
    let admin = srv.login("admin").await;
    let masked: serde_json::Value = srv
        .get(&admin, &format!("/api/v1/cases/{case}"))
        .await
        .json()
        .await
        .expect("json");
    let text = masked.to_string();
    assert_eq!(party(&masked)["id_number"], "110***********002X");
    assert_eq!(party(&masked)["phone"], "139****5678");
    assert!(!text.contains("11010519491231002X") && !text.contains("13912345678"));
    assert!(!text.contains("人民路"), "address masked: {text}");
    let res = srv
        .post_json(
            &admin,
            "/api/v1/sync/snapshots",
            &zhifa_core::sync::SnapshotRequest {
                case_ids: vec![case.clone()],
            },
        )
        .await;
    crate::common::expect_error(res, reqwest::StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn a_known_file_hash_copied_into_another_case_opens_nothing() {
    use zhifa_core::media::MediaRef;
    let srv = TestServer::start().await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("现场录像");
    let video = crate::media::bytes(9, 50_000);
    let sha = crate::media::sha_hex(&video);
    let zid = zhang.officer_id();
    let m = MediaRef {
        sha256: sha.clone(),
        mime: "video/mp4".into(),
        size: video.len() as u64,
        captured_at: AT.into(),
        gps: None,
        device: zhang.session.login.device_id.clone(),
        officer: zid.clone(),
        record_id: "r1".into(),
    };
    let tpl = TemplateRegistry::builtin()
        .latest("inspection_record")
        .expect("tpl");
    zhang.edit(&case, |d, who| {
        d.create_record("r1", tpl, who).expect("record");
        d.attach_media(&m, who).expect("attach")
    });
    zhang.sync(&srv).await.expect("sync");
    crate::media::upload(&srv, &zhang.session, &video).await;
    // The partner on the case reads it; so does the leader.
    let leader = srv.login("sunjianguo").await;
    let ok = srv.get(&leader, &format!("/api/v1/media/{sha}")).await;
    assert_eq!(ok.status(), reqwest::StatusCode::OK);

    // An officer of another unit who learned the hash puts it into a case of
    // his own: honestly (as his capture) it opens nothing…
    let mut liu = Device::new(srv.login("liuyang").await);
    let own = liu.create_case("复制的哈希");
    let mut copied = m.clone();
    copied.officer = liu.officer_id();
    copied.device = liu.session.login.device_id.clone();
    liu.edit(&own, |d, who| {
        d.create_record("r1", tpl, who).expect("record");
        d.attach_media(&copied, who).expect("attach")
    });
    liu.sync(&srv).await.expect("sync");
    let res = srv.get(&liu.session, &format!("/api/v1/media/{sha}")).await;
    assert_eq!(res.status(), reqwest::StatusCode::FORBIDDEN);
    // …and claimed as the capturing officer's, his change is refused.
    let other = liu.create_case("冒充拍摄人员");
    let forged = MediaRef {
        officer: zid,
        ..m.clone()
    };
    liu.edit(&other, |d, who| {
        d.create_record("r1", tpl, who).expect("record");
        d.attach_media(&forged, who).expect("attach")
    });
    let msg = refused_alone(&mut liu, &srv, &other, "media_author").await;
    assert!(msg.contains("拍摄人员"), "{msg}");
    let res = srv.get(&liu.session, &format!("/api/v1/media/{sha}")).await;
    assert_eq!(res.status(), reqwest::StatusCode::FORBIDDEN);
}
