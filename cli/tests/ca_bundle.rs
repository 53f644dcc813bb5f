//! `--ca-bundle FILE` / `$ZHIFA_CA_BUNDLE`: extra CA certificates for HTTPS.
//! (The TLS handshake itself is tested in `core/device/tests/tls.rs`.)

use std::path::Path;
use std::process::{Command, Output};

use zhifa_e2e::TestServer;

fn zhifa(home: &Path, env: Option<&Path>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zhifa"));
    c.arg("--home").arg(home).args(args);
    match env {
        Some(f) => c.env("ZHIFA_CA_BUNDLE", f),
        None => c.env_remove("ZHIFA_CA_BUNDLE"),
    };
    c.output().expect("run zhifa")
}

fn ca_pem() -> String {
    let key = rcgen::KeyPair::generate().expect("key");
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    p.self_signed(&key).expect("ca").pem()
}

#[test]
fn a_missing_or_invalid_bundle_is_one_chinese_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("h");
    let missing = dir.path().join("no-such.pem");
    let out = zhifa(
        &home,
        None,
        &["--ca-bundle", &missing.display().to_string(), "status"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("无法读取 CA 证书文件"), "{err}");
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "不是证书").expect("write");
    let out = zhifa(&home, Some(&garbage), &["status"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("CA 证书文件"), "{err}");
}

#[test]
fn a_valid_bundle_is_taken_from_the_flag_or_the_environment() {
    let srv = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let pem = dir.path().join("ca.pem");
    std::fs::write(&pem, ca_pem()).expect("write");
    let home = dir.path().join("flag");
    let pem_arg = pem.display().to_string();
    let login = [
        "login",
        "--server",
        &srv.url,
        "--user",
        "zhangwei",
        "--password",
        "demo1234",
    ];
    let mut args = vec!["--ca-bundle", pem_arg.as_str()];
    args.extend(login);
    let out = zhifa(&home, None, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = zhifa(&dir.path().join("env"), Some(&pem), &login);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
