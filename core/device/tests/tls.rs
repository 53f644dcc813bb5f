//! HTTPS with the bureau's own CA: a TLS server on 127.0.0.1 whose
//! certificate is signed by a CA made in the test. The device refuses it
//! with only the bundled web roots, and logs in once the CA bundle is set.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use zhifa_core::case::OfficerStatus;
use zhifa_core::seal::DeviceKey;
use zhifa_core::sync::{LoginResponse, OfficerInfo, Role, PROTOCOL_VERSION};
use zhifa_device::sync::http::HttpTransport;
use zhifa_device::sync::Transport;
use zhifa_device::{App, DeviceError};

/// A CA (PEM) and a server certificate for 127.0.0.1 signed by it.
fn pki() -> (String, rustls::ServerConfig) {
    let ca_key = KeyPair::generate().expect("ca key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "康保县档案局 测试 CA");
    let ca_cert = ca.self_signed(&ca_key).expect("ca cert");
    let key = KeyPair::generate().expect("server key");
    let mut leaf = CertificateParams::new(vec!["localhost".to_string()]).expect("leaf params");
    leaf.subject_alt_names
        .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    let cert = leaf.signed_by(&key, &ca_cert, &ca_key).expect("leaf cert");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .expect("server config");
    (ca_cert.pem(), config)
}

fn login_answer() -> String {
    let body = serde_json::to_string(&LoginResponse {
        token: "ab".repeat(32),
        device_id: "dev-1".into(),
        officer: OfficerInfo {
            id: "acc-zhangwei".into(),
            username: "zhangwei".into(),
            name: "张伟".into(),
            post: "科员".into(),
            credential_no: "冀执0723-2023-0101".into(),
            unit_id: "u-jiandu".into(),
            unit_name: "执法监督科".into(),
            status: OfficerStatus::Active,
            roles: vec![Role::Officer],
        },
        server_public_key: DeviceKey::from_secret([9u8; 32]).public_hex(),
        protocol: PROTOCOL_VERSION,
    })
    .expect("json");
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// An HTTPS server answering every request with a login answer; returns
/// its URL and the CA's PEM.
fn serve() -> (String, String) {
    let (ca_pem, config) = pki();
    let config = Arc::new(config);
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("https://{}", l.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in l.incoming() {
            let Ok(mut tcp) = stream else { break };
            let Ok(mut conn) = rustls::ServerConnection::new(config.clone()) else {
                continue;
            };
            let mut tls = rustls::Stream::new(&mut conn, &mut tcp);
            let mut req = Vec::new();
            let mut buf = [0u8; 4096];
            // A refused handshake ends here with an error: next connection.
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match tls.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let head = String::from_utf8_lossy(&req).to_lowercase();
            if let Some(len) = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
            {
                let have = req.len() - head.find("\r\n\r\n").map_or(req.len(), |i| i + 4);
                let mut rest = vec![0u8; len.saturating_sub(have)];
                let _ = tls.read_exact(&mut rest);
            }
            if req.is_empty() {
                continue;
            }
            let _ = tls.write_all(login_answer().as_bytes());
            let _ = tls.flush();
            conn.send_close_notify();
            let _ = conn.complete_io(&mut tcp);
        }
    });
    (url, ca_pem)
}

#[test]
fn the_device_refuses_an_unknown_ca_and_connects_with_the_bundle() {
    let (url, ca_pem) = serve();
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::open(dir.path()).expect("app");
    let refused = app.login(&url, "zhangwei", "demo1234", "测试手机");
    assert!(
        matches!(refused, Err(DeviceError::Network(_))),
        "{refused:?}"
    );
    assert!(app.set_ca_bundle(b"not a certificate").is_err());
    app.set_ca_bundle(ca_pem.as_bytes()).expect("bundle");
    let officer = app
        .login(&url, "zhangwei", "demo1234", "测试手机")
        .expect("login over HTTPS with the bureau's CA");
    assert_eq!(officer.name, "张伟");
}

#[test]
fn the_transport_takes_a_ca_bundle_beside_the_web_roots() {
    let (url, ca_pem) = serve();
    let req = zhifa_core::sync::LoginRequest {
        username: "zhangwei".into(),
        password: "demo1234".into(),
        device: zhifa_core::sync::DeviceRegistration {
            name: "测试手机".into(),
            public_key: DeviceKey::from_secret([1u8; 32]).public_hex(),
            actor_id: "0102".into(),
        },
    };
    let plain = HttpTransport::new(&url).expect("transport").with_retries(0);
    let err = plain.login(&req).expect_err("unknown CA");
    assert!(matches!(err, DeviceError::Network(_)), "{err:?}");
    let trusted = HttpTransport::with_ca_bundle(&url, Some(ca_pem.as_bytes()))
        .expect("transport")
        .with_retries(0);
    let res = trusted.login(&req).expect("login");
    assert_eq!(res.officer.username, "zhangwei");
    let empty = HttpTransport::with_ca_bundle(&url, Some(b"".as_slice()));
    assert!(matches!(empty, Err(DeviceError::Invalid(_))), "{empty:?}");
}
