//! Recordings in the console (全过程记录 调阅): a video served with `Range`,
//! each opening logged with who and when, a copy for the party only with the
//! head's approval ((二) 第二十四条), a reader of another unit refused.

use reqwest::StatusCode;
use zhifa_core::media::MediaRef;

use crate::client::{Device, AT};
use crate::common::TestServer;
use crate::console::{filed_case_on, Browser};
use crate::media::{bytes, upload};

#[tokio::test]
async fn a_video_plays_with_range_and_every_opening_is_logged() {
    let srv = TestServer::start().await;
    let mut dev = Device::new(srv.login("zhangwei").await);
    let (case, rec) = filed_case_on(&srv, &mut dev).await;
    let video = bytes(7, 300_000);
    let sha = upload(&srv, &dev.session, &video).await;
    dev.edit(&case, |doc, who| {
        doc.add_party(
            &zhifa_core::case::Party {
                id: "p1".into(),
                kind: zhifa_core::case::PartyKind::LegalPerson,
                name: "康保县某档案馆".into(),
                id_number: "12130723MB0000001J".into(),
                representative: None,
                address: None,
                phone: None,
            },
            who,
        )
        .expect("party");
        doc.attach_media(
            &MediaRef {
                sha256: sha.clone(),
                mime: "video/mp4".into(),
                size: video.len() as u64,
                captured_at: AT.into(),
                gps: None,
                device: who.device.into(),
                officer: who.user.into(),
                record_id: rec.clone(),
            },
            who,
        )
        .expect("attach");
    });
    dev.sync(&srv).await.expect("sync");
    let head = Browser::login(&srv, "wangqiang").await;
    let html = head.get(&format!("/cases/{case}")).await.2;
    assert!(html.contains(&format!(
        "<video controls preload=\"none\" src=\"/cases/{case}/media/{sha}\""
    )));
    // A player's requests: from byte 0 (logged), then a later range (not logged again).
    let url = format!("http://{}/cases/{case}/media/{sha}", srv.addr);
    let res = head
        .http
        .get(&url)
        .header("range", "bytes=0-1023")
        .send()
        .await
        .expect("range");
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(res.headers()["content-type"], "video/mp4");
    let body = res.bytes().await.expect("body");
    assert_eq!(&body[..], &video[..1024]);
    let res = head
        .http
        .get(&url)
        .header("range", "bytes=200000-")
        .send()
        .await
        .expect("range");
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(res.bytes().await.expect("body").len(), 100_000);
    let res = head
        .http
        .get(format!("{url}?download=1"))
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap_or_default()
        .contains("attachment"));
    assert_eq!(res.bytes().await.expect("body"), video);
    let html = head.get(&format!("/cases/{case}")).await.2;
    let log = &html[html.find("音像资料调阅记录").expect("log")..];
    assert_eq!(
        log.matches("<td>王强</td><td>查看</td>").count(),
        1,
        "one view logged"
    );
    assert_eq!(
        log.matches("<td>王强</td><td>下载</td>").count(),
        1,
        "one download logged"
    );
    // Another unit's officer gets nothing.
    let other = Browser::login(&srv, "liuyang").await;
    let (status, _, body) = other.get(&format!("/cases/{case}/media/{sha}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.len() < video.len());
    // A copy for the party: the officer may not approve it, the head may.
    let officer = Browser::login(&srv, "zhangwei").await;
    let t = officer.csrf().await;
    let (_, location, _) = officer
        .post(
            &format!("/cases/{case}/media/{sha}/party-copy"),
            &[("party", "p1"), ("csrf", &t)],
        )
        .await;
    assert!(location.contains("?err="), "{location}");
    let t = head.csrf().await;
    let (_, location, _) = head
        .post(
            &format!("/cases/{case}/media/{sha}/party-copy"),
            &[("party", "p1"), ("csrf", &t)],
        )
        .await;
    assert!(location.contains("?ok="), "{location}");
    let html = head.get(&format!("/cases/{case}")).await.2;
    assert!(
        html.contains("批准当事人 康保县某档案馆 复制音像资料"),
        "history"
    );
    let log = &html[html.find("音像资料调阅记录").expect("log")..];
    assert!(
        log.contains("<td>王强</td><td>批准当事人复制</td>"),
        "access log: {}",
        &log[..log.len().min(1500)]
    );
    // The officer's device receives the approval in its history.
    dev.sync(&srv).await.expect("sync");
    let events = dev.doc(&case).case().expect("case").events;
    assert!(events.iter().any(|e| e.detail.contains("第二十四条")));
}

#[tokio::test]
async fn photos_show_as_small_thumbnails_and_open_at_full_size() {
    let srv = TestServer::start().await;
    let mut dev = Device::new(srv.login("zhangwei").await);
    let (case, rec) = filed_case_on(&srv, &mut dev).await;
    let mut png = Vec::new();
    image::RgbImage::from_pixel(1600, 1200, image::Rgb([20, 120, 40]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    let sha = upload(&srv, &dev.session, &png).await;
    dev.edit(&case, |doc, who| {
        doc.attach_media(
            &MediaRef {
                sha256: sha.clone(),
                mime: "image/png".into(),
                size: png.len() as u64,
                captured_at: AT.into(),
                gps: None,
                device: who.device.into(),
                officer: who.user.into(),
                record_id: rec.clone(),
            },
            who,
        )
        .expect("attach");
    });
    dev.sync(&srv).await.expect("sync");
    let head = Browser::login(&srv, "wangqiang").await;
    let html = head.get(&format!("/cases/{case}")).await.2;
    assert!(html.contains(&format!("src=\"/cases/{case}/media/{sha}?thumb=1\"")));
    let res = head
        .http
        .get(format!(
            "http://{}/cases/{case}/media/{sha}?thumb=1",
            srv.addr
        ))
        .send()
        .await
        .expect("thumb");
    assert_eq!(res.status(), StatusCode::OK);
    let thumb = res.bytes().await.expect("body");
    let img = image::load_from_memory(&thumb).expect("decodes");
    assert_eq!((img.width(), img.height()), (480, 360));
    assert!(thumb.len() < png.len());
    // Previews are not logged; opening the photo is.
    let html = head.get(&format!("/cases/{case}")).await.2;
    assert!(html.contains("尚无调阅"));
    let full = head.get(&format!("/cases/{case}/media/{sha}")).await;
    assert_eq!(full.0, StatusCode::OK);
    let html = head.get(&format!("/cases/{case}")).await.2;
    assert!(html.contains("<td>王强</td><td>查看</td>"));
}
