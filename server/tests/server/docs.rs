//! Printed documents from the server: `GET /api/v1/cases/{id}/records/{rid}/pdf`
//! serves a sealed record's form with the signature drawn from its strokes
//! file (uploaded like other media), masked for the administrator, and the
//! QR code's page `/gs/doc` says 一致 until the record is amended.

use reqwest::StatusCode;
use serde_json::json;
use zhifa_core::template::SignerRole;

use crate::client::Device;
use crate::common::TestServer;
use crate::console::filed_case_on;
use crate::media::upload;

fn have_pdftotext() -> bool {
    let ok = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "poppler-utils missing"
        );
        eprintln!("skipped: apt-get install poppler-utils");
    }
    ok
}

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("r.pdf");
    std::fs::write(&p, pdf).expect("write");
    let out = std::process::Command::new("pdftotext")
        .arg(&p)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect()
}

/// A public page's text, fetched without a login.
async fn public_page(srv: &TestServer, path: &str) -> String {
    srv.http
        .get(srv.url(path))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body")
}

async fn get(srv: &TestServer, token: &str, path: &str) -> (StatusCode, Vec<u8>) {
    let res = srv
        .http
        .get(srv.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("get");
    let status = res.status();
    (status, res.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn a_sealed_record_downloads_as_pdf_and_its_check_page_answers() {
    if !have_pdftotext() {
        return;
    }
    let srv = TestServer::start().await;
    let mut dev = Device::new(srv.login("zhangwei").await);
    let (case, rec) = filed_case_on(&srv, &mut dev).await;
    let officer = dev.officer();

    // Not sealed yet: 409, in Chinese.
    let (status, body) = get(
        &srv,
        dev.session.token(),
        &format!("/api/v1/cases/{case}/records/{rec}/pdf"),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert!(String::from_utf8_lossy(&body).contains("尚未封存"));

    let strokes = serde_json::to_vec(&json!({"width": 240, "height": 90, "strokes": [[
        {"x": 10, "y": 40, "t": 0, "pressure": 0.3}, {"x": 120, "y": 70, "t": 80, "pressure": 0.9},
        {"x": 230, "y": 20, "t": 150, "pressure": 0.5}]]}))
    .expect("json");
    let sha = upload(&srv, &dev.session, &strokes).await;
    let key = dev.session.key.clone();
    dev.edit(&case, |doc, who| {
        doc.add_party(
            &zhifa_core::case::Party {
                id: "p1".into(),
                kind: zhifa_core::case::PartyKind::NaturalPerson,
                name: "王五".into(),
                id_number: "13070219900101123X".into(),
                representative: None,
                address: None,
                phone: None,
            },
            who,
        )
        .expect("party");
        for (k, v) in [
            ("unit_opinion", json!("同意立案")),
            ("leader_opinion", json!("同意")),
            ("approved", json!(true)),
        ] {
            doc.set_field_json(&rec, k, &v, who).expect("field");
        }
        doc.seal_record(&rec, who, &key).expect("seal");
        doc.sign_record(
            &rec,
            SignerRole::Officer,
            &officer.id,
            &officer.name,
            Some(sha.clone()),
            who,
            &key,
        )
        .expect("sign");
    });
    dev.sync(&srv).await.expect("sync");

    let path = format!("/api/v1/cases/{case}/records/{rec}/pdf");
    let (status, pdf) = get(&srv, dev.session.token(), &path).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    assert!(pdf.starts_with(b"%PDF"));
    let text = text_of(&pdf);
    assert!(
        text.contains("立案审批表") && text.contains("康保县档案局"),
        "{text}"
    );
    assert!(
        text.contains("13070219900101123X"),
        "the officer sees the identity number: {text}"
    );
    assert!(
        !text.contains("笔迹文件未到"),
        "the strokes file reached the server and is drawn: {text}"
    );

    // The administrator reads masked data only: the PDF is masked too.
    let admin = srv.login("admin").await;
    let (status, masked) = get(&srv, admin.token(), &path).await;
    assert_eq!(status, StatusCode::OK);
    let masked = text_of(&masked);
    assert!(!masked.contains("13070219900101123X"), "{masked}");
    assert!(
        masked.contains("130") && masked.contains("123X"),
        "{masked}"
    );

    // The console: the case page links the download; a reader gets the
    // PDF (masked for the liaison), a user who may not read the case does not.
    let b = crate::console::Browser::login(&srv, "zhangwei").await;
    let (_, _, page) = b.get(&format!("/cases/{case}")).await;
    let link = format!("/cases/{case}/records/{rec}/pdf");
    assert!(
        page.contains(&link) && page.contains("下载 PDF 文书"),
        "no download link"
    );
    let (status, location, _) = crate::console::Browser::new(&srv).get(&link).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/login"),
        "anonymous"
    );
    let (status, _, _) = b.get(&link).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = crate::console::Browser::login(&srv, "liuyang")
        .await
        .get(&link)
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "liuyang may not read the case"
    );

    // The check page of the QR code: 一致, the document's name, no personal data.
    let digest = dev.edit(&case, |doc, _| {
        doc.record(&rec).expect("record").seal.expect("seal").digest
    });
    let check = format!("/gs/doc?c={case}&r={rec}&d={digest}");
    let page = public_page(&srv, &check).await;
    assert!(
        page.contains("一致") && !page.contains("不一致") && page.contains("立案审批表"),
        "{page}"
    );
    assert!(
        !page.contains("王五") && !page.contains("123X"),
        "no personal data: {page}"
    );
    let forged = format!("/gs/doc?c={case}&r={rec}&d={}", "0".repeat(64));
    let page = public_page(&srv, &forged).await;
    assert!(page.contains("不一致"), "{page}");

    // After an amendment the old paper no longer matches.
    dev.edit(&case, |doc, who| {
        doc.amend_record(&rec, "rec-2", "立案依据有误", who)
            .expect("amend");
    });
    dev.sync(&srv).await.expect("sync");
    let page = public_page(&srv, &check).await;
    assert!(
        page.contains("不一致") && page.contains("已被修订"),
        "{page}"
    );
}
