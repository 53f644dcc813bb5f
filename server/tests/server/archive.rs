//! 案卷归档 end to end ((二) 第二十二条、第二十三条): a demo inspection with a
//! photo, a video and signatures goes to 归档管理 (the 30-day clock
//! appears on the dashboard), only the archivist files it, the package
//! downloads for the archivist, leaders and legal office (console and API)
//! and verifies offline with the server key; a byte changed in a media file
//! or in the manifest is refused; an unsealed record blocks filing.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use reqwest::StatusCode;
use zhifa_core::archive::{verify_package, FileKind, Manifest, MANIFEST_NAME};
use zhifa_core::sync::ServerKey;
use zhifa_server::store::sqlite::SqliteStore;
use zhifa_server::store::{CaseScope, Store};

use crate::common::TestServer;
use crate::console::Browser;

const INSPECTION: &str = "康保县某中学档案室档案管理检查";
const PAID: &str = "王建军擅自复制并公布馆藏档案案";

/// Roles that may not file (every demo account but the archivist).
const NOT_ARCHIVISTS: [&str; 5] = ["zhangwei", "lina", "wangqiang", "sunjianguo", "zhoumin"];

fn case_id(srv: &TestServer, title: &str) -> String {
    let s = SqliteStore::open(&srv.dir.path().join("zhifa.db"), 1).expect("store");
    s.list_cases(&CaseScope::All)
        .expect("list")
        .into_iter()
        .find(|m| m.title == title)
        .map(|m| m.id)
        .expect("demo case")
}

/// Posts a case form as `b`; returns the flash (decoded) and whether it is ok.
async fn act(b: &Browser, path: &str) -> (bool, String) {
    let token = b.csrf().await;
    let (status, location, _) = b.post(path, &[("csrf", &token)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
    let q = location.split('?').nth(1).unwrap_or_default();
    let msg = serde_urlencoded::from_str::<Vec<(String, String)>>(q)
        .map(|v| v.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    (location.contains("?ok="), msg)
}

fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let mut b = Vec::new();
        f.read_to_end(&mut b).expect("read");
        out.insert(f.name().to_string(), b);
    }
    out
}

fn rezip(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, b) in files {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .expect("start");
        zip.write_all(b).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

async fn server_key(srv: &TestServer) -> String {
    let k: ServerKey = srv
        .http
        .get(srv.url("/api/v1/server-key"))
        .send()
        .await
        .expect("key")
        .json()
        .await
        .expect("json");
    k.public_key
}

#[tokio::test]
async fn the_archivist_files_a_case_and_its_package_verifies_offline() {
    let srv = TestServer::start_with(|c| c.demo_cases = true).await;
    let id = case_id(&srv, INSPECTION);
    let officer = Browser::login(&srv, "zhangwei").await;
    // 调查取证 → 审查决定 → 送达执行 → 归档管理, each past its gates.
    for _ in 0..3 {
        let (ok, msg) = act(&officer, &format!("/cases/{id}/advance")).await;
        assert!(ok, "advance: {msg}");
    }
    // Nobody but the archivist moves it on to 已归档, not even by "advance".
    let (ok, msg) = act(&officer, &format!("/cases/{id}/advance")).await;
    assert!(!ok && msg.contains("档案管理员"), "{msg}");

    // The 30-day clock is on the dashboard, from today.
    let head = Browser::login(&srv, "wangqiang").await;
    let (_, _, html) = head.get("/deadlines").await;
    let clock = html
        .split("id=\"archive-clock\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("archive clock section");
    assert!(clock.contains(INSPECTION), "{clock}");
    assert!(
        clock.contains("剩余 30 天") || clock.contains("剩余 3"),
        "{clock}"
    );

    for user in NOT_ARCHIVISTS {
        let b = Browser::login(&srv, user).await;
        let (ok, msg) = act(&b, &format!("/cases/{id}/archive")).await;
        assert!(!ok, "{user} filed the case");
        assert!(
            msg.contains("只有档案管理员可以将案卷归档"),
            "{user}: {msg}"
        );
    }
    // The administrator may not write cases at all.
    let admin = Browser::login(&srv, "admin").await;
    let (ok, msg) = act(&admin, &format!("/cases/{id}/archive")).await;
    assert!(!ok && msg.contains("无权"), "{msg}");
    let archivist = Browser::login(&srv, "wufang").await;
    let (_, _, page) = archivist.get(&format!("/cases/{id}")).await;
    assert!(page.contains("归档并生成归档包"));
    let started = std::time::Instant::now();
    let (ok, msg) = act(&archivist, &format!("/cases/{id}/archive")).await;
    let filing = started.elapsed();
    assert!(ok, "{msg}");
    assert!(
        msg.contains("归档包已生成") && msg.contains("保管期限 10年"),
        "{msg}"
    );
    let (ok, msg) = act(&archivist, &format!("/cases/{id}/archive")).await;
    assert!(!ok && msg.contains("已归档"), "filed once: {msg}");

    // Filed: the clock is met, the case page links the package.
    let (_, _, html) = head.get("/deadlines").await;
    let clock = html
        .split("id=\"archive-clock\"")
        .nth(1)
        .unwrap_or_default();
    assert!(!clock
        .split("</section>")
        .next()
        .unwrap_or_default()
        .contains(INSPECTION));
    let (_, _, page) = archivist.get(&format!("/cases/{id}")).await;
    assert!(
        page.contains("下载归档包") && page.contains("已归档"),
        "case page"
    );
    // The trust anchor is printed beside it.
    let key = server_key(&srv).await;
    assert!(
        page.contains(&format!("--key {key}")),
        "server key on the case page"
    );

    // Download: console (archivist, leader, legal office) and API; others 403.
    let url = srv.url(&format!("/cases/{id}/archive.zip"));
    let res = archivist.http.get(&url).send().await.expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/zip");
    let bytes = res.bytes().await.expect("zip").to_vec();
    println!(
        "filing (gates, signed change, 案卷 PDF, ZIP, index): {} ms; package {} bytes",
        filing.as_millis(),
        bytes.len()
    );
    for user in ["sunjianguo", "zhoumin"] {
        let b = Browser::login(&srv, user).await;
        let res = b.http.get(&url).send().await.expect("download");
        assert_eq!(res.status(), StatusCode::OK, "{user}");
    }
    for user in ["zhangwei", "wangqiang", "admin"] {
        let b = Browser::login(&srv, user).await;
        let res = b.http.get(&url).send().await.expect("download");
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{user}");
    }
    let leader = srv.login("sunjianguo").await;
    let res = srv
        .get(&leader, &format!("/api/v1/cases/{id}/archive"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.bytes().await.expect("zip").to_vec(),
        bytes,
        "same package"
    );
    let officer_api = srv.login("zhangwei").await;
    let res = srv
        .get(&officer_api, &format!("/api/v1/cases/{id}/archive"))
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Offline: whole, with the 案卷, the document, the photo, the video and signatures.
    let files = unzip(&bytes);
    let started = std::time::Instant::now();
    let report = verify_package(&files, std::slice::from_ref(&key)).expect("whole package");
    println!("offline verification: {} ms", started.elapsed().as_millis());
    let m = &report.manifest;
    assert_eq!(m.case_id, id);
    assert_eq!(m.archivist.name, "吴芳");
    assert_eq!(m.key_id, key);
    assert_eq!(m.retention.label, "10年");
    assert!(report.sealed_records >= 1);
    let media: Vec<&str> = m
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Media)
        .map(|f| f.name.as_str())
        .collect();
    assert!(media.iter().any(|n| n.ends_with(".jpg")), "{media:?}");
    assert!(media.iter().any(|n| n.ends_with(".mp4")), "{media:?}");
    let pdf = &files["case-file.pdf"];
    assert!(pdf.starts_with(b"%PDF"));
    if std::path::Path::new("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc").exists() {
        // zhifa-docs set the 案卷 (not the font-less stand-in).
        let stand_in = b"Zhifa archived case file";
        assert!(!pdf.windows(stand_in.len()).any(|w| w == stand_in));
        assert!(pdf.len() > 10_000, "{} bytes", pdf.len());
        // Read back with poppler when it is installed (.ci/test installs it).
        let tmp = srv.dir.path().join("case-file.pdf");
        std::fs::write(&tmp, pdf).expect("write pdf");
        if let Ok(out) = std::process::Command::new("pdftotext")
            .arg(&tmp)
            .arg("-")
            .output()
        {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("卷内目录"), "{text}");
            assert!(text.contains("现场检查笔录"), "{text}");
        }
    }
    for f in &m.files {
        assert_eq!(files[&f.name].len() as u64, f.size, "{}", f.name);
    }

    // One byte of the video changed inside the ZIP: refused, naming the file.
    let video = media
        .iter()
        .find(|n| n.ends_with(".mp4"))
        .unwrap()
        .to_string();
    let mut bad = files.clone();
    bad.get_mut(&video).unwrap()[100] ^= 0x01;
    let e = verify_package(&unzip(&rezip(&bad)), std::slice::from_ref(&key)).unwrap_err();
    assert_eq!(e.code(), "digest_mismatch");
    assert!(e.to_string().contains(&video), "{e}");
    // One byte of the manifest changed: the signature no longer holds.
    let mut bad = files.clone();
    let text = String::from_utf8(bad[MANIFEST_NAME].clone()).unwrap();
    let changed = text.replacen("\"size\": ", "\"size\": 1", 1);
    assert_ne!(changed, text);
    bad.insert(MANIFEST_NAME.into(), changed.into_bytes());
    let e = verify_package(&unzip(&rezip(&bad)), std::slice::from_ref(&key)).unwrap_err();
    assert_eq!(e.code(), "signature_invalid", "{e}");
    assert!(e.to_string().contains("manifest.json"));
    // The untouched manifest parses back to what the server signed.
    let parsed: Manifest = serde_json::from_slice(&files[MANIFEST_NAME]).unwrap();
    assert!(parsed.signature_valid());

    // The package is kept under the data folder and listed by the index.
    assert!(srv
        .dir
        .path()
        .join("archive")
        .join(format!("{id}.zip"))
        .exists());
}

#[tokio::test]
async fn an_unsealed_record_blocks_filing() {
    let srv = TestServer::start_with(|c| c.demo_cases = true).await;
    let id = case_id(&srv, PAID);
    // Entered 归档管理 30 days ago: due about now, its row marked by the days left.
    let head = Browser::login(&srv, "wangqiang").await;
    let (_, _, html) = head.get("/deadlines").await;
    let clock = html
        .split("id=\"archive-clock\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or_default()
        .to_string();
    let row = clock
        .split("<tr class=\"archive-clock\">")
        .find(|r| r.contains(PAID))
        .unwrap_or_else(|| panic!("{PAID} on the archive clock: {clock}"));
    assert!(
        row.contains("due overdue") || row.contains("due soon"),
        "due within days of entering 归档管理 30 days ago: {row}"
    );
    // The unit head adds a record in the office and leaves it unsealed.
    let token = head.csrf().await;
    let (_, location, _) = head
        .post(
            &format!("/cases/{id}/records"),
            &[("csrf", &token), ("template", "collective_discussion")],
        )
        .await;
    assert!(location.contains("/records/"), "{location}");
    let archivist = Browser::login(&srv, "wufang").await;
    let (ok, msg) = act(&archivist, &format!("/cases/{id}/archive")).await;
    assert!(!ok, "{msg}");
    assert!(msg.contains("尚未封存"), "{msg}");
    assert!(msg.contains("第二十二条"), "cites the article: {msg}");
    // Nothing was filed: no package.
    let (status, _, _) = archivist.get(&format!("/cases/{id}/archive.zip")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_retention_list_is_for_the_archive_roles() {
    let srv = TestServer::start().await;
    for (user, status) in [
        ("wufang", StatusCode::OK),
        ("sunjianguo", StatusCode::OK),
        ("zhoumin", StatusCode::OK),
        ("zhangwei", StatusCode::FORBIDDEN),
        ("wangqiang", StatusCode::FORBIDDEN),
        ("admin", StatusCode::FORBIDDEN),
    ] {
        let b = Browser::login(&srv, user).await;
        let (s, _, html) = b.get("/archive").await;
        assert_eq!(s, status, "{user}");
        if s == StatusCode::OK {
            assert!(html.contains("国家档案局令第8号"), "cites the rule");
            assert!(html.contains("不会自动删除"));
        }
    }
}
