//! Sync: co-editing offline and converging, access between units, forged
//! actors, receipts, missing media, office endpoints.

use automerge::sync::SyncDoc;
use reqwest::StatusCode;
use serde_json::Value;
use zhifa_core::case::{Party, PartyKind, Stage};
use zhifa_core::media::MediaRef;
use zhifa_core::record::FieldValue;
use zhifa_core::sync::{CheckRequest, CheckResponse, SnapshotRequest};
use zhifa_core::template::TemplateRegistry;

use crate::client::{Device, AT};
use crate::common::{expect_error, expect_refused, random32, TestServer};
use crate::media::{bytes, sha_hex, upload};

async fn server_key(srv: &TestServer) -> String {
    let v: Value = srv
        .http
        .get(srv.url("/api/v1/server-key"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["public_key"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn two_officers_co_edit_offline_and_converge_with_verified_receipts() {
    let srv = TestServer::start().await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let mut li = Device::new(srv.login("lina").await);
    let case = zhang.create_case("某档案馆档案安全随机抽查");
    let li_officer = li.officer();
    let me = zhang.officer();
    let who_dev = zhang.session.login.device_id.clone();
    let who_user = zhang.officer_id();
    let who = zhifa_core::doc::Actor {
        user: &who_user,
        device: &who_dev,
        at: AT,
    };
    zhang.doc(&case).add_officer(&me, &who).unwrap();
    zhang.doc(&case).add_officer(&li_officer, &who).unwrap();

    let r = zhang.sync(&srv).await.expect("upload new case");
    assert_eq!(r.check.unknown, vec![case.clone()]);
    assert!(r.accepted > 0);
    let key = server_key(&srv).await;
    let receipt = zhang.receipts.get(&case).expect("receipt").clone();
    assert!(receipt.verify(&key).is_ok());
    assert_eq!(receipt.heads, zhang.heads(&case));
    assert_eq!(receipt.device_id, zhang.session.login.device_id);

    // Li's new device gets the case from its snapshot.
    let r = li.sync(&srv).await.expect("li first sync");
    assert_eq!(r.fetched, 1);
    assert_eq!(li.heads(&case), zhang.heads(&case));
    assert!(li.receipts[&case].verify(&key).is_ok());

    // Both edit offline.
    let tpl = TemplateRegistry::builtin()
        .get("inspection_record", 1)
        .unwrap();
    {
        let (u, d) = (zhang.officer_id(), zhang.session.login.device_id.clone());
        let who = zhifa_core::doc::Actor {
            user: &u,
            device: &d,
            at: AT,
        };
        let doc = zhang.doc(&case);
        doc.create_record("rec-zhang-1", tpl, &who).unwrap();
        doc.set_field(
            "rec-zhang-1",
            "place",
            FieldValue::Text("县档案馆二楼库房".into()),
            &who,
        )
        .unwrap();
    }
    {
        let (u, d) = (li.officer_id(), li.session.login.device_id.clone());
        let who = zhifa_core::doc::Actor {
            user: &u,
            device: &d,
            at: AT,
        };
        let party = Party {
            id: "p1".into(),
            kind: PartyKind::LegalPerson,
            name: "康保县某建设有限公司".into(),
            id_number: "91130723MA0A1B2C3A".into(),
            representative: Some("赵国华".into()),
            address: Some("康保县康保镇建设路 18 号".into()),
            phone: None,
        };
        li.doc(&case).add_party(&party, &who).unwrap();
    }
    assert_ne!(li.heads(&case), zhang.heads(&case));
    zhang.sync(&srv).await.expect("zhang sync");
    li.sync(&srv).await.expect("li sync");
    zhang.sync(&srv).await.expect("zhang sync again");
    assert_eq!(li.heads(&case), zhang.heads(&case));
    let a = zhang.doc(&case).case().unwrap();
    let b = li.doc(&case).case().unwrap();
    assert_eq!(a, b);
    assert_eq!(a.parties.len(), 1);
    assert!(a.record("rec-zhang-1").is_some());
    assert_eq!(a.header.stage, Stage::Investigation);
    // The server agrees, and an idle check now says nothing.
    let heads = zhang.heads(&case);
    let res = srv
        .post_json(
            &zhang.session,
            "/api/v1/sync/check",
            &CheckRequest::from_hex_heads([(case.clone(), heads.clone())]),
        )
        .await;
    let check: CheckResponse = res.json().await.unwrap();
    assert!(
        check.changed.is_empty() && check.unknown.is_empty() && check.forbidden.is_empty(),
        "{check:?}"
    );
    let last = &li.receipts[&case];
    assert_eq!(last.heads, heads);
    assert!(last.verify(&key).is_ok());
    // A receipt whose time or heads are altered no longer verifies.
    let mut forged = last.clone();
    forged.server_time = "2020-01-01T00:00:00.000Z".into();
    assert!(forged.verify(&key).is_err());

    // Office: the leader lists and reads it; the columns follow the document.
    let leader = srv.login("sunjianguo").await;
    let list: Value = srv
        .get(&leader, "/api/v1/cases")
        .await
        .json()
        .await
        .unwrap();
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == case.as_str())
        .expect("listed")
        .clone();
    assert_eq!(row["stage"], "investigation");
    assert_eq!(row["unit_id"], "u-jiandu");
    assert_eq!(row["title"], "某档案馆档案安全随机抽查");
    let detail: Value = srv
        .get(&leader, &format!("/api/v1/cases/{case}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["case"]["parties"][0]["name"], "康保县某建设有限公司");
    assert_eq!(detail["heads"], serde_json::json!(heads));
}

#[tokio::test]
async fn an_officer_of_another_unit_can_neither_read_nor_write() {
    let srv = TestServer::start().await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("档案移交检查");
    zhang.sync(&srv).await.expect("upload");
    let mut liu = Device::new(srv.login("liuyang").await);

    // Not offered, and forbidden when asked for.
    let r = liu.sync(&srv).await.expect("liu sync");
    assert_eq!(r.fetched, 0);
    let res = srv
        .post_json(
            &liu.session,
            "/api/v1/sync/snapshots",
            &SnapshotRequest {
                case_ids: vec![case.clone()],
            },
        )
        .await;
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(
        srv.get(&liu.session, &format!("/api/v1/cases/{case}"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let list: Value = srv
        .get(&liu.session, "/api/v1/cases")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().map(|a| a.len()), Some(0));

    // With a leaked copy, his edits are refused and nothing is stored.
    let leaked = zhang.doc(&case).save();
    let doc = zhifa_core::doc::CaseDoc::load(&leaked, &liu.session.actor).unwrap();
    liu.docs.insert(case.clone(), doc);
    {
        let (u, d) = (liu.officer_id(), liu.session.login.device_id.clone());
        let who = zhifa_core::doc::Actor {
            user: &u,
            device: &d,
            at: AT,
        };
        liu.doc(&case).set_stage(Stage::Archived, &who).unwrap();
    }
    // Neither a plain round (read) nor one carrying changes (write) is accepted.
    let hello = liu
        .doc(&case)
        .automerge()
        .sync()
        .generate_sync_message(&mut automerge::sync::State::new())
        .expect("first message")
        .encode();
    let res = liu.exchange_raw(&srv, &case, hello).await;
    expect_refused(res, "forbidden").await;
    let msg = liu.message_with_changes(&case, &leaked);
    let res = liu.exchange_raw(&srv, &case, msg).await;
    expect_refused(res, "forbidden").await;
    let liu_heads = liu.heads(&case);
    let check: CheckResponse = srv
        .post_json(
            &liu.session,
            "/api/v1/sync/check",
            &CheckRequest::from_hex_heads([(case.clone(), liu_heads)]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(check.forbidden, vec![case.clone()]);
    let r = zhang.sync(&srv).await.expect("zhang");
    assert!(r.check.changed.is_empty(), "server unchanged");

    // The unit head of zhang's unit may read it; the head of another unit may not.
    let head = srv.login("wangqiang").await;
    assert_eq!(
        srv.get(&head, &format!("/api/v1/cases/{case}"))
            .await
            .status(),
        StatusCode::OK
    );
    let mut head_dev = Device::new(head);
    assert_eq!(head_dev.sync(&srv).await.expect("head").fetched, 1);

    // Creating a case in another unit is refused.
    let mut liu2 = Device::new(srv.login("liuyang").await);
    let id = liu2.create_case("冒名立案");
    {
        let u = liu2.officer_id();
        let d = liu2.session.login.device_id.clone();
        let who = zhifa_core::doc::Actor {
            user: &u,
            device: &d,
            at: AT,
        };
        let mut h = liu2.doc(&id).header().unwrap();
        h.unit = "u-jiandu".into();
        // Rewrite the header through a fresh document.
        let doc = zhifa_core::doc::CaseDoc::create(&h, &liu2.session.actor, &who).unwrap();
        liu2.docs.insert(id.clone(), doc);
    }
    let r = liu2.sync(&srv).await.expect("the round answers");
    assert_eq!(r.refused.len(), 1, "{:?}", r.refused);
    assert_eq!(r.refused[0].0, id);
    assert_eq!(r.refused[0].1.code, "forbidden");
}

#[tokio::test]
async fn a_forged_actor_is_refused_and_nothing_is_stored() {
    let srv = TestServer::start().await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("库房安全检查");
    zhang.sync(&srv).await.expect("upload");
    let before = zhang.heads(&case);

    // A second device of the same officer edits with an actor it did not register.
    let mut rogue = Device::new(srv.login("zhangwei").await);
    rogue.sync(&srv).await.expect("fetch");
    rogue.session.actor = random32()[..16].to_vec();
    let saved = rogue.doc(&case).save();
    let doc = zhifa_core::doc::CaseDoc::load(&saved, &rogue.session.actor).unwrap();
    rogue.docs.insert(case.clone(), doc);
    {
        let (u, d) = (rogue.officer_id(), rogue.session.login.device_id.clone());
        let who = zhifa_core::doc::Actor {
            user: &u,
            device: &d,
            at: AT,
        };
        rogue.doc(&case).set_stage(Stage::Archived, &who).unwrap();
    }
    let r = rogue.sync(&srv).await.expect("the round answers");
    assert_eq!(r.refused.len(), 1);
    assert_eq!(r.refused[0].1.code, "foreign_actor");
    let r = zhang.sync(&srv).await.expect("zhang");
    assert!(r.check.changed.is_empty());
    assert_eq!(zhang.heads(&case), before);

    // A new case made on another device (another actor) and uploaded from this one is refused too.
    let mut other = Device::new(srv.login("lina").await);
    let id = other.create_case("伪造的案件");
    let saved = other.doc(&id).save();
    other.docs.insert(
        id.clone(),
        zhifa_core::doc::CaseDoc::load(&saved, &other.session.actor).unwrap(),
    );
    let mut lina = Device::new(srv.login("lina").await);
    lina.docs.insert(
        id.clone(),
        zhifa_core::doc::CaseDoc::load(&saved, &lina.session.actor).unwrap(),
    );
    let r = lina.sync(&srv).await.expect("the round answers");
    assert_eq!(r.refused.len(), 1);
    assert_eq!(r.refused[0].1.code, "foreign_actor");
    let list: Value = srv
        .get(&lina.session, "/api/v1/cases")
        .await
        .json()
        .await
        .unwrap();
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"] != id.as_str()));
}

#[tokio::test]
async fn missing_media_is_listed_until_uploaded() {
    let srv = TestServer::start().await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("现场检查录像");
    let video = bytes(42, 200_000);
    let sha = sha_hex(&video);
    {
        let (u, d) = (zhang.officer_id(), zhang.session.login.device_id.clone());
        let who = zhifa_core::doc::Actor {
            user: &u,
            device: &d,
            at: AT,
        };
        let tpl = TemplateRegistry::builtin()
            .get("inspection_record", 1)
            .unwrap();
        zhang.doc(&case).create_record("rec-1", tpl, &who).unwrap();
        let m = MediaRef {
            sha256: sha.clone(),
            mime: "video/mp4".into(),
            size: video.len() as u64,
            captured_at: AT.into(),
            gps: None,
            device: d.clone(),
            officer: u.clone(),
            record_id: "rec-1".into(),
        };
        zhang.doc(&case).attach_media(&m, &who).unwrap();
    }
    zhang.sync(&srv).await.expect("sync");
    let missing: Value = srv
        .get(
            &zhang.session,
            &format!("/api/v1/cases/{case}/media/missing"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(missing["expected"], 1);
    assert_eq!(missing["missing"][0]["sha256"], sha.as_str());
    assert_eq!(missing["missing"][0]["mime"], "video/mp4");
    upload(&srv, &zhang.session, &video).await;
    let missing: Value = srv
        .get(
            &zhang.session,
            &format!("/api/v1/cases/{case}/media/missing"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(missing["missing"].as_array().map(|a| a.len()), Some(0));
    // A reader of the case may download it, with the MIME type from the case.
    let leader = srv.login("sunjianguo").await;
    let res = srv.get(&leader, &format!("/api/v1/media/{sha}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "video/mp4");
    assert_eq!(res.bytes().await.unwrap().len(), video.len());
    let liu = srv.login("liuyang").await;
    expect_error(
        srv.get(&liu, &format!("/api/v1/cases/{case}/media/missing"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        srv.get(&liu, &format!("/api/v1/media/{sha}")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_change_sent_without_its_dependency_is_not_stored_and_asked_for_again() {
    use automerge::sync::{ChunkList, Message, MessageFlags, MessageVersion};
    use zhifa_core::case::EventKind;
    use zhifa_core::sync::SyncResponse;

    let srv = TestServer::start().await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("依赖缺失的修改");
    zhang.sync(&srv).await.expect("upload");
    let before = zhang.heads(&case);
    zhang
        .edit(&case, |d, who| {
            d.log_event(EventKind::CredentialShown, who, None, "出示执法证件")
        })
        .unwrap();
    zhang
        .edit(&case, |d, who| {
            d.log_event(EventKind::RightsNotified, who, None, "告知陈述申辩权")
        })
        .unwrap();
    let heads = zhang.doc(&case).heads();
    let y = heads[0];
    let y_bytes = zhang
        .doc(&case)
        .automerge()
        .get_change_by_hash(&y)
        .expect("change")
        .raw_bytes()
        .to_vec();
    // Only the second change travels (as when a Bloom filter false positive
    // made the device skip the first one).
    let msg = Message {
        heads,
        need: Vec::new(),
        have: Vec::new(),
        changes: ChunkList::from(vec![y_bytes]),
        flags: None,
        version: MessageVersion::V1,
    };
    let res = zhang.exchange_raw(&srv, &case, msg.encode()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let answer: SyncResponse = res.json().await.unwrap();
    let c = &answer.cases[0];
    assert_eq!(c.accepted_changes, 0);
    assert_eq!(c.heads, before, "nothing stored");
    let reply = Message::decode(c.message.as_deref().expect("reply")).unwrap();
    assert!(
        reply
            .flags
            .is_some_and(|f| f.contains(MessageFlags::SYNC_RESET)),
        "the device is asked to forget what it sent"
    );
    // A normal session then brings both changes.
    let r = zhang.sync(&srv).await.expect("sync");
    assert_eq!(r.accepted, 2);
    let r = zhang.sync(&srv).await.expect("idle");
    assert!(r.check.changed.is_empty());
}
