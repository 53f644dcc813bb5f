//! Media: resumable uploads cut at random points, hash checks, size limits.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::common::{expect_error, random32, Session, TestServer};

/// Deterministic pseudo-random bytes (xorshift64*).
pub fn bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545F4914F6CDD1D) >> 56) as u8
        })
        .collect()
}

pub fn sha_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

pub async fn create(srv: &TestServer, s: &Session, sha: &str, len: u64) -> reqwest::Response {
    srv.http
        .post(srv.url("/api/v1/media/uploads"))
        .bearer_auth(s.token())
        .header("tus-resumable", "1.0.0")
        .header("upload-length", len.to_string())
        .header(
            "upload-metadata",
            format!("sha256 {},filename dmlkZW8ubXA0", STANDARD.encode(sha)),
        )
        .send()
        .await
        .unwrap()
}

pub async fn head_offset(srv: &TestServer, s: &Session, sha: &str) -> Option<u64> {
    let res = srv
        .http
        .head(srv.url(&format!("/api/v1/media/uploads/{sha}")))
        .bearer_auth(s.token())
        .send()
        .await
        .unwrap();
    if res.status() == StatusCode::NOT_FOUND {
        return None;
    }
    assert_eq!(res.status(), StatusCode::OK);
    res.headers()
        .get("upload-offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

pub async fn patch(
    srv: &TestServer,
    s: &Session,
    sha: &str,
    offset: u64,
    body: Vec<u8>,
) -> reqwest::Response {
    srv.http
        .patch(srv.url(&format!("/api/v1/media/uploads/{sha}")))
        .bearer_auth(s.token())
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", offset.to_string())
        .header("content-type", "application/offset+octet-stream")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Uploads a whole file in one PATCH.
#[allow(dead_code)]
pub async fn upload(srv: &TestServer, s: &Session, data: &[u8]) -> String {
    let sha = sha_hex(data);
    assert!(create(srv, s, &sha, data.len() as u64)
        .await
        .status()
        .is_success());
    let res = patch(srv, s, &sha, 0, data.to_vec()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    sha
}

/// Files under `media/partial` (every account's folder).
pub fn partial_files(srv: &TestServer) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |rd| {
            rd.filter_map(Result::ok)
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        count(&p)
                    } else {
                        1
                    }
                })
                .sum()
        })
    }
    count(&srv.dir.path().join("media").join("partial"))
}

/// The request line and headers of a raw PATCH of `len` bytes at `offset`.
pub fn patch_head(srv: &TestServer, s: &Session, sha: &str, offset: usize, len: usize) -> String {
    format!(
        "PATCH /api/v1/media/uploads/{sha} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nTus-Resumable: 1.0.0\r\n\
         Upload-Offset: {offset}\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: {len}\r\n\r\n",
        srv.addr,
        s.token(),
    )
}

/// Sends a PATCH announcing the whole rest, writes only `data[offset..cut]`
/// and drops the connection, as a phone losing its signal would.
pub async fn cut_patch(
    srv: &TestServer,
    s: &Session,
    sha: &str,
    data: &[u8],
    offset: usize,
    cut: usize,
) {
    let mut tcp = tokio::net::TcpStream::connect(srv.addr).await.unwrap();
    let head = patch_head(srv, s, sha, offset, data.len() - offset);
    tcp.write_all(head.as_bytes()).await.unwrap();
    for piece in data[offset..cut].chunks(64 * 1024) {
        tcp.write_all(piece).await.unwrap();
    }
    tcp.flush().await.unwrap();
    tcp.shutdown().await.unwrap();
    drop(tcp);
}

#[tokio::test]
async fn upload_cut_at_random_points_resumes_without_resending() {
    let srv = TestServer::start().await;
    let s = srv.login("zhangwei").await;
    let seed = u64::from_le_bytes(random32()[..8].try_into().unwrap());
    let data = bytes(seed, 3 * 1024 * 1024 + 123);
    let sha = sha_hex(&data);
    let res = create(&srv, &s, &sha, data.len() as u64).await;
    assert_eq!(res.status(), StatusCode::CREATED, "seed {seed}");
    assert_eq!(
        res.headers()["location"],
        format!("/api/v1/media/uploads/{sha}").as_str()
    );
    assert_eq!(head_offset(&srv, &s, &sha).await, Some(0));

    let mut offset = 0usize;
    let mut sent = 0usize;
    let mut rng = seed;
    for round in 0..4 {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let span = data.len() - offset;
        let cut = offset + 1 + (rng >> 33) as usize % (span / 2);
        cut_patch(&srv, &s, &sha, &data, offset, cut).await;
        sent += cut - offset;
        // The server keeps exactly what arrived.
        let mut got = None;
        for _ in 0..200 {
            got = head_offset(&srv, &s, &sha).await;
            if got == Some(cut as u64) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(
            got,
            Some(cut as u64),
            "seed {seed} round {round}: server has what arrived"
        );
        offset = cut;
    }
    // A wrong offset is refused; the right one completes the upload.
    let res = patch(&srv, &s, &sha, 0, data[..10].to_vec()).await;
    expect_error(res, StatusCode::CONFLICT, "offset_mismatch").await;
    let res = patch(&srv, &s, &sha, offset as u64, data[offset..].to_vec()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT, "seed {seed}");
    sent += data.len() - offset;
    assert_eq!(sent, data.len(), "nothing was sent twice");
    assert_eq!(head_offset(&srv, &s, &sha).await, Some(data.len() as u64));

    // The uploader can download it (and ranges work).
    let res = srv.get(&s, &format!("/api/v1/media/{sha}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.bytes().await.unwrap().as_ref(), &data[..]);
    let res = srv
        .http
        .get(srv.url(&format!("/api/v1/media/{sha}")))
        .bearer_auth(s.token())
        .header("range", "bytes=10-19")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(res.bytes().await.unwrap().as_ref(), &data[10..20]);
    // An officer of another unit with no case referring to it cannot.
    let other = srv.login("liuyang").await;
    expect_error(
        srv.get(&other, &format!("/api/v1/media/{sha}")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // The uploader creating it again finds it complete.
    let res = create(&srv, &s, &sha, data.len() as u64).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["upload-offset"],
        data.len().to_string().as_str()
    );
    // The other account learns nothing: its HEAD is 404 and its create
    // starts its own upload at 0.
    assert_eq!(head_offset(&srv, &other, &sha).await, None);
    let res = create(&srv, &other, &sha, data.len() as u64).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["upload-offset"], "0");
}

#[tokio::test]
async fn hash_mismatch_is_rejected_and_discarded() {
    let srv = TestServer::start().await;
    let s = srv.login("zhangwei").await;
    let data = bytes(7, 100_000);
    let claimed = sha_hex(b"something else");
    assert_eq!(
        create(&srv, &s, &claimed, data.len() as u64).await.status(),
        StatusCode::CREATED
    );
    let res = patch(&srv, &s, &claimed, 0, data[..50_000].to_vec()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = patch(&srv, &s, &claimed, 50_000, data[50_000..].to_vec()).await;
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "hash_mismatch").await;
    assert_eq!(head_offset(&srv, &s, &claimed).await, None);
    assert_eq!(partial_files(&srv), 0, "partial file discarded");
    expect_error(
        srv.get(&s, &format!("/api/v1/media/{claimed}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn oversize_uploads_are_refused_with_413_and_nothing_is_stored() {
    let srv = TestServer::start_with(|c| c.max_upload_bytes = 1024 * 1024).await;
    let s = srv.login("zhangwei").await;
    let data = bytes(9, 1024 * 1024 + 1);
    let sha = sha_hex(&data);
    let body = expect_error(
        create(&srv, &s, &sha, data.len() as u64).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
    )
    .await;
    assert!(
        body["error"].as_str().unwrap_or_default().contains("上限"),
        "{body}"
    );
    assert_eq!(head_offset(&srv, &s, &sha).await, None);
    assert_eq!(partial_files(&srv), 0);

    // A PATCH carrying more than the declared length is refused and leaves the offset.
    let small = bytes(10, 1000);
    let sha = sha_hex(&small);
    assert_eq!(
        create(&srv, &s, &sha, small.len() as u64).await.status(),
        StatusCode::CREATED
    );
    let res = patch(&srv, &s, &sha, 0, small[..400].to_vec()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let mut too_much = small[400..].to_vec();
    too_much.extend_from_slice(b"extra bytes");
    expect_error(
        patch(&srv, &s, &sha, 400, too_much).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
    )
    .await;
    assert_eq!(head_offset(&srv, &s, &sha).await, Some(400));
    // Wrong content type.
    let res = srv
        .http
        .patch(srv.url(&format!("/api/v1/media/uploads/{sha}")))
        .bearer_auth(s.token())
        .header("upload-offset", "400")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    assert_eq!(head_offset(&srv, &s, &sha).await, Some(400));
    // No token, no upload.
    let res = srv
        .http
        .post(srv.url("/api/v1/media/uploads"))
        .header("upload-length", "10")
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "missing_token").await;
}

#[tokio::test]
async fn uploads_cut_at_random_points_in_many_seeded_runs_resume_from_the_server_offset() {
    let srv = TestServer::start().await;
    let s = srv.login("zhangwei").await;
    let base = u64::from_le_bytes(random32()[..8].try_into().unwrap());
    let mut total_sent = 0usize;
    let mut total_len = 0usize;
    for run in 0..20u64 {
        let seed = base.wrapping_add(run);
        let mut rng = fastrand::Rng::with_seed(seed);
        let data = bytes(seed, rng.usize(1..600_000));
        let sha = sha_hex(&data);
        assert_eq!(
            create(&srv, &s, &sha, data.len() as u64).await.status(),
            StatusCode::CREATED,
            "seed {seed}"
        );
        let mut sent = 0usize;
        for _ in 0..rng.usize(1..6) {
            // Like a device after a broken connection: ask, then resume from there.
            let offset = head_offset(&srv, &s, &sha).await.expect("upload") as usize;
            if offset == data.len() {
                break;
            }
            let cut = rng.usize(offset..data.len());
            cut_patch(&srv, &s, &sha, &data, offset, cut).await;
            sent += cut - offset;
            let mut got = None;
            for _ in 0..200 {
                got = head_offset(&srv, &s, &sha).await;
                if got == Some(cut as u64) {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            assert_eq!(
                got,
                Some(cut as u64),
                "seed {seed}: the server keeps what arrived"
            );
        }
        let offset = head_offset(&srv, &s, &sha).await.expect("upload") as usize;
        let res = patch(&srv, &s, &sha, offset as u64, data[offset..].to_vec()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "seed {seed}");
        sent += data.len() - offset;
        assert_eq!(sent, data.len(), "seed {seed}: no byte was sent twice");
        let res = srv.get(&s, &format!("/api/v1/media/{sha}")).await;
        assert_eq!(
            res.bytes().await.unwrap().as_ref(),
            &data[..],
            "seed {seed}"
        );
        total_sent += sent;
        total_len += data.len();
    }
    assert_eq!(total_sent, total_len);
}
