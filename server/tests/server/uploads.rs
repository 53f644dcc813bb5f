//! Uploads on bad networks and uploads that belong to their account:
//! ownership, quota, expiry, idle bodies, busy uploads.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::AsyncWriteExt;

use crate::common::{expect_error, TestServer};
use crate::media::{bytes, create, head_offset, partial_files, patch, patch_head, sha_hex};

#[tokio::test]
async fn uploads_belong_to_their_account_and_a_wrong_claim_does_not_block_the_real_file() {
    let srv = TestServer::start().await;
    let claimer = srv.login("zhangwei").await;
    let real = srv.login("liuyang").await;
    let data = bytes(21, 200_000);
    let sha = sha_hex(&data);
    // The first claim, with a wrong length and some wrong bytes.
    assert_eq!(
        create(&srv, &claimer, &sha, 999).await.status(),
        StatusCode::CREATED
    );
    let res = patch(&srv, &claimer, &sha, 0, vec![0u8; 500]).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    // Another account sees nothing of it and cannot write to it.
    assert_eq!(head_offset(&srv, &real, &sha).await, None);
    expect_error(
        patch(&srv, &real, &sha, 500, vec![1u8; 10]).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Its own claim, with the right length, is independent and completes.
    let res = create(&srv, &real, &sha, data.len() as u64).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["upload-offset"], "0");
    let res = patch(&srv, &real, &sha, 0, data.clone()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        head_offset(&srv, &real, &sha).await,
        Some(data.len() as u64)
    );
    let got = srv.get(&real, &format!("/api/v1/media/{sha}")).await;
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.bytes().await.unwrap().as_ref(), &data[..]);
    // The claimer (no case uses the file) still sees only its own upload.
    assert_eq!(head_offset(&srv, &claimer, &sha).await, Some(500));
    expect_error(
        srv.get(&claimer, &format!("/api/v1/media/{sha}")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn unfinished_uploads_have_a_per_account_quota() {
    let srv = TestServer::start_with(|c| {
        c.upload_quota_bytes = 1000;
        c.upload_quota_files = 2;
    })
    .await;
    let s = srv.login("zhangwei").await;
    let a = bytes(31, 600);
    assert_eq!(
        create(&srv, &s, &sha_hex(&a), 600).await.status(),
        StatusCode::CREATED
    );
    let body = expect_error(
        create(&srv, &s, &sha_hex(&bytes(32, 500)), 500).await,
        StatusCode::INSUFFICIENT_STORAGE,
        "upload_quota",
    )
    .await;
    assert!(body["error"].as_str().unwrap_or_default().contains("上限"));
    assert_eq!(
        create(&srv, &s, &sha_hex(&bytes(33, 300)), 300)
            .await
            .status(),
        StatusCode::CREATED
    );
    expect_error(
        create(&srv, &s, &sha_hex(&bytes(34, 50)), 50).await,
        StatusCode::INSUFFICIENT_STORAGE,
        "upload_quota",
    )
    .await;
    // Re-creating an open upload is not a new one.
    assert_eq!(
        create(&srv, &s, &sha_hex(&a), 600).await.status(),
        StatusCode::CREATED
    );
    // Another account has its own quota.
    let other = srv.login("lina").await;
    assert_eq!(
        create(&srv, &other, &sha_hex(&bytes(35, 900)), 900)
            .await
            .status(),
        StatusCode::CREATED
    );
    // Finishing an upload frees its share.
    let res = patch(&srv, &s, &sha_hex(&a), 0, a.clone()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        create(&srv, &s, &sha_hex(&bytes(34, 50)), 50)
            .await
            .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn unfinished_uploads_expire_after_their_last_write() {
    let srv = TestServer::start_with(|c| c.upload_expiry_secs = 1).await;
    let s = srv.login("zhangwei").await;
    let data = bytes(41, 5000);
    let sha = sha_hex(&data);
    assert_eq!(
        create(&srv, &s, &sha, 5000).await.status(),
        StatusCode::CREATED
    );
    let res = patch(&srv, &s, &sha, 0, data[..1000].to_vec()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(partial_files(&srv), 2);
    tokio::time::sleep(Duration::from_millis(2200)).await;
    // Any create sweeps.
    let fresh = bytes(42, 10);
    assert_eq!(
        create(&srv, &s, &sha_hex(&fresh), 10).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(head_offset(&srv, &s, &sha).await, None, "expired");
    assert_eq!(partial_files(&srv), 1, "only the new upload's length file");
    // The device starts again from 0.
    let res = create(&srv, &s, &sha, 5000).await;
    assert_eq!(res.headers()["upload-offset"], "0");
}

#[tokio::test]
async fn an_idle_body_ends_keeps_its_bytes_and_releases_the_lock_and_busy_says_retry_after() {
    let srv = TestServer::start_with(|c| {
        c.upload_idle_secs = 1;
        c.upload_busy_wait_secs = 0;
    })
    .await;
    let s = srv.login("zhangwei").await;
    let data = bytes(51, 50_000);
    let sha = sha_hex(&data);
    assert_eq!(
        create(&srv, &s, &sha, data.len() as u64).await.status(),
        StatusCode::CREATED
    );
    // A phone that sends 1000 bytes, then nothing, with the connection open.
    let mut stalled = tokio::net::TcpStream::connect(srv.addr).await.unwrap();
    let head = patch_head(&srv, &s, &sha, 0, data.len());
    stalled.write_all(head.as_bytes()).await.unwrap();
    stalled.write_all(&data[..1000]).await.unwrap();
    stalled.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Meanwhile the upload is busy: 409 with Retry-After.
    let res = patch(&srv, &s, &sha, 0, data[..10].to_vec()).await;
    assert!(res.headers().contains_key("retry-after"), "{res:?}");
    expect_error(res, StatusCode::CONFLICT, "upload_busy").await;
    // After the idle time the body ends, the bytes are kept, the lock is free.
    let started = Instant::now();
    let mut offset = None;
    while started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let res = patch(&srv, &s, &sha, 1000, data[1000..].to_vec()).await;
        if res.status() == StatusCode::NO_CONTENT {
            offset = head_offset(&srv, &s, &sha).await;
            break;
        }
    }
    assert_eq!(
        offset,
        Some(data.len() as u64),
        "resumed after the idle body"
    );
    drop(stalled);
    let got = srv.get(&s, &format!("/api/v1/media/{sha}")).await;
    assert_eq!(got.bytes().await.unwrap().as_ref(), &data[..]);
}

#[tokio::test]
async fn a_connection_dying_mid_body_releases_the_upload_at_once() {
    let srv = TestServer::start_with(|c| c.upload_busy_wait_secs = 0).await;
    let s = srv.login("zhangwei").await;
    let data = bytes(61, 2_000_000);
    let sha = sha_hex(&data);
    assert_eq!(
        create(&srv, &s, &sha, data.len() as u64).await.status(),
        StatusCode::CREATED
    );
    for cut in [300_000usize, 900_000, 1_500_000] {
        let offset = head_offset(&srv, &s, &sha).await.expect("upload") as usize;
        let mut tcp = tokio::net::TcpStream::connect(srv.addr).await.unwrap();
        let head = patch_head(&srv, &s, &sha, offset, data.len() - offset);
        tcp.write_all(head.as_bytes()).await.unwrap();
        tcp.write_all(&data[offset..cut]).await.unwrap();
        tcp.flush().await.unwrap();
        drop(tcp);
        // Well within a second (the idle timeout is 30 s) the next request
        // gets the lock and finds what arrived.
        let started = Instant::now();
        loop {
            let now = head_offset(&srv, &s, &sha).await.expect("upload") as usize;
            let res = patch(&srv, &s, &sha, now as u64, Vec::new()).await;
            if res.status() == StatusCode::NO_CONTENT && now == cut {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(3),
                "lock not released after the cut at {cut}: {}",
                res.status()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let offset = head_offset(&srv, &s, &sha).await.expect("upload");
    let res = patch(&srv, &s, &sha, offset, data[offset as usize..].to_vec()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let got = srv.get(&s, &format!("/api/v1/media/{sha}")).await;
    assert_eq!(got.bytes().await.unwrap().as_ref(), &data[..]);
}
