//! The HTTP transport: transient failures (5xx, no connection) are retried
//! with exponential backoff; refusals (401, 403) are not, and map to typed
//! errors with Chinese messages.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use zhifa_core::sync::CheckRequest;
use zhifa_device::sync::http::HttpTransport;
use zhifa_device::sync::Transport;
use zhifa_device::DeviceError;

/// A tiny HTTP server answering connection `i` with `answers[i]` (the last
/// answer repeats); counts requests.
fn serve(answers: Vec<(&'static str, &'static str)>) -> (String, Arc<AtomicUsize>) {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", l.local_addr().expect("addr"));
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    std::thread::spawn(move || {
        for stream in l.incoming() {
            let Ok(mut s) = stream else { break };
            let i = c.fetch_add(1, Ordering::SeqCst);
            let mut r = BufReader::new(s.try_clone().expect("clone"));
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            let _ = r.read_exact(&mut body);
            let (status, json) = answers[i.min(answers.len() - 1)];
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
                json.len()
            );
        }
    });
    (url, count)
}

const EMPTY_CHECK: &str = r#"{"server_time":"2026-03-02T01:00:00Z","changed":[],"unknown":[],"forbidden":[],"available":[]}"#;

#[test]
fn server_errors_are_retried_with_backoff_until_success() {
    let (url, count) = serve(vec![
        (
            "503 Service Unavailable",
            r#"{"error":"忙","code":"internal"}"#,
        ),
        (
            "500 Internal Server Error",
            r#"{"error":"内部错误","code":"internal"}"#,
        ),
        ("200 OK", EMPTY_CHECK),
    ]);
    let t = HttpTransport::new(&url).expect("client").with_retries(4);
    let start = Instant::now();
    let r = t
        .check("tok", &CheckRequest::default())
        .expect("third try succeeds");
    assert!(r.changed.is_empty());
    assert_eq!(count.load(Ordering::SeqCst), 3);
    assert!(start.elapsed() >= Duration::from_millis(200), "backed off");
}

#[test]
fn refusals_are_not_retried_and_are_typed() {
    let (url, count) = serve(vec![(
        "401 Unauthorized",
        r#"{"error":"令牌无效","code":"bad_token"}"#,
    )]);
    let t = HttpTransport::new(&url).expect("client");
    let e = t.check("tok", &CheckRequest::default()).expect_err("401");
    assert!(matches!(e, DeviceError::Unauthorized), "{e:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1, "no retry");

    let (url, _) = serve(vec![(
        "403 Forbidden",
        r#"{"error":"无权访问该案件","code":"forbidden"}"#,
    )]);
    let e = HttpTransport::new(&url)
        .expect("client")
        .check("tok", &CheckRequest::default())
        .expect_err("403");
    assert!(matches!(e, DeviceError::Forbidden(_)), "{e:?}");
}

#[test]
fn no_connection_is_a_transient_network_error_after_retries() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let t = HttpTransport::new(&format!("http://127.0.0.1:{port}"))
        .expect("client")
        .with_retries(2);
    let start = Instant::now();
    let e = t
        .check("tok", &CheckRequest::default())
        .expect_err("refused");
    assert!(matches!(e, DeviceError::Network(_)), "{e:?}");
    assert!(e.is_transient());
    assert!(e.to_string().contains("数据已保存在本机"), "{e}");
    assert!(start.elapsed() >= Duration::from_millis(200), "retried");
}

#[test]
fn a_server_that_never_answers_fails_at_the_request_timeout() {
    // Accepts the connection, reads the request and never answers.
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", l.local_addr().expect("addr"));
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in l.incoming().flatten() {
            held.push(c);
        }
    });
    let t = HttpTransport::new(&url)
        .expect("client")
        .with_retries(0)
        .with_timeouts(Duration::from_millis(500), Duration::from_millis(300))
        .expect("client with timeouts");
    let start = Instant::now();
    let e = t
        .check("tok", &CheckRequest::default())
        .expect_err("no answer");
    assert!(matches!(e, DeviceError::Network(_)), "{e:?}");
    assert!(e.is_transient(), "a timeout is worth retrying: {e:?}");
    // Far below the 120 s default: the short limit applied.
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
}

/// A captured request: lower-case header lines and the body.
type Captured = (Vec<String>, Vec<u8>);

/// Serves one request, answering `EMPTY_CHECK`; returns what it received.
fn capture_one() -> (String, std::thread::JoinHandle<Captured>) {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", l.local_addr().expect("addr"));
    let h = std::thread::spawn(move || {
        let (mut s, _) = l.accept().expect("accept");
        let mut r = BufReader::new(s.try_clone().expect("clone"));
        let mut headers = Vec::new();
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            let line = line.trim().to_ascii_lowercase();
            if let Some(v) = line.strip_prefix("content-length:") {
                len = v.trim().parse().unwrap_or(0);
            }
            headers.push(line);
        }
        let mut body = vec![0; len];
        r.read_exact(&mut body).expect("body");
        let _ = write!(
            s,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{EMPTY_CHECK}",
            EMPTY_CHECK.len()
        );
        (headers, body)
    });
    (url, h)
}

/// server/README.md: devices send gzip bodies and accept gzip answers; small
/// bodies go plain (compression would not pay).
#[test]
fn large_bodies_are_sent_gzipped_and_small_ones_plain() {
    let heads = vec!["ab".repeat(32)];
    let big = CheckRequest::from_hex_heads(
        (0..50).map(|i| (format!("00000000-0000-4000-8000-{i:012}"), heads.clone())),
    );
    let (url, h) = capture_one();
    HttpTransport::new(&url)
        .expect("t")
        .check("tok", &big)
        .expect("check");
    let (headers, body) = h.join().expect("server");
    assert!(
        headers.iter().any(|l| l == "content-encoding: gzip"),
        "{headers:?}"
    );
    assert!(headers
        .iter()
        .any(|l| l.starts_with("accept-encoding:") && l.contains("gzip")));
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut json)
        .expect("a gzip body");
    assert!(body.len() < json.len());
    let back: CheckRequest = serde_json::from_slice(&json).expect("the request's JSON");
    assert_eq!(back, big);

    let small =
        CheckRequest::from_hex_heads([("00000000-0000-4000-8000-000000000001".to_string(), heads)]);
    let (url, h) = capture_one();
    HttpTransport::new(&url)
        .expect("t")
        .check("tok", &small)
        .expect("check");
    let (headers, body) = h.join().expect("server");
    assert!(
        !headers.iter().any(|l| l.starts_with("content-encoding:")),
        "{headers:?}"
    );
    let back: CheckRequest = serde_json::from_slice(&body).expect("plain JSON");
    assert_eq!(back, small);
}
