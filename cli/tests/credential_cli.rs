//! `zhifa credential show|verify` against a real zhifa-server on
//! 127.0.0.1:0: the token the server signed at login verifies offline with
//! the key stored at login; a forged token (one character changed), an
//! expired one and one signed by another key are refused with a clear
//! message and a non-zero exit (行政处罚法 第五十五条).

use std::path::Path;

use chrono::{Duration, Utc};
use serde_json::Value;
use zhifa_core::credential::{rfc3339, verify_signature};
use zhifa_core::seal::DeviceKey;
use zhifa_e2e::TestServer;

mod common;
use common::{ok, zhifa};

/// Runs a verify that must fail; returns (stderr, json code).
fn refused(home: &Path, args: &[&str]) -> (String, String) {
    let out = zhifa(home, args);
    assert_eq!(out.status.code(), Some(1), "{args:?}");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut a = args.to_vec();
    a.push("--json");
    let out = zhifa(home, &a);
    assert_eq!(out.status.code(), Some(1), "{args:?} --json");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json error");
    (stderr, v["code"].as_str().unwrap_or_default().to_string())
}

#[test]
fn a_real_token_verifies_offline_and_forgeries_are_refused() {
    let srv = TestServer::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let zhang = tmp.path().join("zhang");
    let checker = tmp.path().join("checker");
    ok(
        &zhang,
        &[
            "login",
            "--server",
            &srv.url,
            "--user",
            "zhangwei",
            "--password",
            "demo1234",
        ],
    );

    // The card holds the token the server signed at login.
    let png = tmp.path().join("qr.png");
    let card = ok(
        &zhang,
        &["credential", "show", "--png", png.to_str().expect("path")],
    );
    let token = card["token"].as_str().expect("token").to_string();
    assert!(token.starts_with("ZF1."), "{card}");
    let url = card["qr_text"].as_str().expect("qr text").to_string();
    assert_eq!(url, format!("{}/gs/credential?t={token}", srv.url));
    assert!(std::fs::read(&png).expect("png").starts_with(b"\x89PNG"));
    let text = zhifa(&zhang, &["credential", "show"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("证件码: ZF1."));

    // Offline check with the key stored at login: token and URL.
    for t in [&token, &url] {
        let v = ok(&zhang, &["credential", "verify", t]);
        assert_eq!(v["valid"], true);
        assert_eq!(v["claims"]["name"], "张伟");
        assert_eq!(v["claims"]["credential_no"], "冀执0723-2023-0101");
    }
    let out = zhifa(&zhang, &["credential", "verify", &token]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "核验通过",
        "姓名: 张伟",
        "执法证号: 冀执0723-2023-0101",
        "执法单位: 执法监督科",
        "执法范围: 执法人员",
        "有效期: ",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }

    // A device that never logged in checks with --key.
    let server_key = {
        let text =
            std::fs::read_to_string(srv.data_dir().join("server-key.hex")).expect("key file");
        let secret: [u8; 32] = hex_secret(&text);
        DeviceKey::from_secret(secret)
    };
    let pk = server_key.public_hex();
    let v = ok(&checker, &["credential", "verify", &token, "--key", &pk]);
    assert_eq!(v["valid"], true);
    // Without a login and without --key: a clear message.
    let (stderr, code) = refused(&checker, &["credential", "verify", &token]);
    assert!(stderr.contains("--key"), "{stderr}");
    assert_eq!(code, "no_key");

    // One character of the claims changed.
    let mut bytes = token.clone().into_bytes();
    let i = 20;
    bytes[i] = if bytes[i] == b'Q' { b'R' } else { b'Q' };
    let forged = String::from_utf8(bytes).expect("ascii");
    let (stderr, code) = refused(&zhang, &["credential", "verify", &forged]);
    assert!(stderr.contains("签名无效"), "{stderr}");
    assert_eq!(code, "bad_signature");

    // Signed by another key.
    let claims = verify_signature(&token, &pk).expect("claims");
    let other = claims.sign(&DeviceKey::from_secret([5; 32])).expect("sign");
    let (stderr, code) = refused(&zhang, &["credential", "verify", &other]);
    assert!(stderr.contains("签名无效"), "{stderr}");
    assert_eq!(code, "bad_signature");

    // Genuine but expired (signed here with the server's key file).
    let mut old = claims.clone();
    old.valid_from = rfc3339(Utc::now() - Duration::days(366));
    old.valid_until = rfc3339(Utc::now() - Duration::days(1));
    let expired = old.sign(&server_key).expect("sign");
    let (stderr, code) = refused(&zhang, &["credential", "verify", &expired]);
    assert!(stderr.contains("已过期"), "{stderr}");
    assert_eq!(code, "expired");

    // Not a token at all.
    let (stderr, code) = refused(&zhang, &["credential", "verify", "hello"]);
    assert!(stderr.contains("格式错误"), "{stderr}");
    assert_eq!(code, "malformed");
}

fn hex_secret(text: &str) -> [u8; 32] {
    let t = text.trim();
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&t[2 * i..2 * i + 2], 16).expect("hex");
    }
    out
}
