//! Test harness: a server per test, logins, small helpers.

#![allow(dead_code)]

use std::net::SocketAddr;

use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use tempfile::TempDir;
use zhifa_core::seal::DeviceKey;
use zhifa_core::sync::{DeviceRegistration, LoginRequest, LoginResponse};
use zhifa_server::{build_state, serve, Config};

/// A running server and its data folder.
pub struct TestServer {
    pub addr: SocketAddr,
    pub dir: TempDir,
    pub http: Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    /// The server process, when it runs as the real binary.
    child: std::sync::Mutex<Option<std::process::Child>>,
    /// Extra environment of the server process; its stdout is kept when set.
    env: Vec<(String, String)>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        self.kill();
    }
}

/// A logged-in device.
#[derive(Clone)]
pub struct Session {
    pub login: LoginResponse,
    pub key: DeviceKey,
    pub actor: Vec<u8>,
}

impl Session {
    pub fn token(&self) -> &str {
        &self.login.token
    }
}

/// 32 random bytes.
pub fn random32() -> [u8; 32] {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).expect("os rng");
    b
}

impl TestServer {
    /// Starts a demo server; `tweak` adjusts the configuration.
    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = Config::for_data_dir(dir.path());
        config.demo = true;
        // The demo cases only where a test asks for them (`demo.rs`).
        config.demo_cases = false;
        config.db_readers = 2;
        tweak(&mut config);
        let state = build_state(config).await.expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = serve(listener, state, async move {
                let _ = rx.await;
            })
            .await;
        });
        TestServer {
            addr,
            dir,
            http: Client::builder().no_gzip().build().expect("client"),
            stop: Some(tx),
            child: std::sync::Mutex::new(None),
            env: Vec::new(),
        }
    }

    /// Starts the real `zhifa-server` binary (demo data) in a fresh folder,
    /// so that it can be killed (SIGKILL) and restarted on the same files.
    pub async fn start_process() -> TestServer {
        Self::start_process_with(&[]).await
    }

    /// [`TestServer::start_process`] with extra environment variables; the
    /// process's stdout (its log) is then kept for
    /// [`TestServer::kill_and_take_stdout`].
    pub async fn start_process_with(env: &[(&str, &str)]) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port");
        let srv = TestServer {
            addr,
            dir,
            http: Client::builder().no_gzip().build().expect("client"),
            stop: None,
            child: std::sync::Mutex::new(None),
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        srv.restart().await;
        srv
    }

    /// Kills the server process at once (SIGKILL), as a power cut would.
    pub fn kill(&self) {
        let mut child = self.child.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(mut c) = child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Kills the server process and returns its stdout, if kept.
    pub fn kill_and_take_stdout(&self) -> Option<std::process::ChildStdout> {
        let mut child = self.child.lock().unwrap_or_else(|p| p.into_inner());
        let mut c = child.take()?;
        let _ = c.kill();
        let _ = c.wait();
        c.stdout.take()
    }

    /// (Re)starts the server process on the same data folder and port.
    pub async fn restart(&self) {
        self.kill();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_zhifa-server"))
            .args([
                "--data",
                &self.dir.path().display().to_string(),
                "--bind",
                &self.addr.to_string(),
                "--demo",
            ])
            .env("ZHIFA_LOG", "error")
            .env("ZHIFA_DEMO_CASES", "false")
            .env("ZHIFA_DB_READERS", "2")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(if self.env.is_empty() {
                std::process::Stdio::null()
            } else {
                std::process::Stdio::piped()
            })
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("server binary");
        *self.child.lock().unwrap_or_else(|p| p.into_inner()) = Some(child);
        for _ in 0..750 {
            if let Ok(r) = self.http.get(self.url("/healthz")).send().await {
                if r.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("server process did not come up");
    }

    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Logs in with a fresh device key and actor.
    pub async fn try_login(
        &self,
        username: &str,
        password: &str,
    ) -> (StatusCode, Value, Option<Session>) {
        let key = DeviceKey::from_secret(random32());
        let actor = random32()[..16].to_vec();
        let req = LoginRequest {
            username: username.into(),
            password: password.into(),
            device: DeviceRegistration {
                name: format!("测试手机 ({username})"),
                public_key: key.public_hex(),
                actor_id: hex::encode(&actor),
            },
        };
        let res = self
            .http
            .post(self.url("/api/v1/auth/login"))
            .json(&req)
            .send()
            .await
            .expect("send");
        let status = res.status();
        let body: Value = res.json().await.expect("json body");
        let session = if status.is_success() {
            Some(Session {
                login: serde_json::from_value(body.clone()).expect("login response"),
                key,
                actor,
            })
        } else {
            None
        };
        (status, body, session)
    }

    pub async fn login(&self, username: &str) -> Session {
        let (status, body, s) = self.try_login(username, "demo1234").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        s.expect("session")
    }

    pub async fn get(&self, s: &Session, path: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(s.token())
            .send()
            .await
            .expect("send")
    }

    pub async fn post_json(
        &self,
        s: &Session,
        path: &str,
        body: &impl serde::Serialize,
    ) -> Response {
        self.http
            .post(self.url(path))
            .bearer_auth(s.token())
            .json(body)
            .send()
            .await
            .expect("send")
    }
}

/// Asserts a JSON error with a status and code; returns the body.
/// Asserts an exchange answer (200) refused its one case with `code` and a
/// Chinese message, storing nothing: no receipt, no message back.
pub async fn expect_refused(res: Response, code: &str) -> Value {
    assert_eq!(res.status(), StatusCode::OK, "a refusal is per case");
    let body: Value = res.json().await.expect("answer is JSON");
    let case = &body["cases"][0];
    assert_eq!(case["refused"]["code"], code, "{body}");
    assert!(
        case["receipt"].is_null(),
        "no receipt for a refused case: {body}"
    );
    assert_eq!(case["accepted_changes"], 0, "{body}");
    let msg = case["refused"]["error"].as_str().expect("refusal message");
    assert!(
        msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "message is Chinese: {msg}"
    );
    case["refused"].clone()
}

/// Asserts an error answer with `status`, `code` and a Chinese message.
pub async fn expect_error(res: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(res.status(), status, "status");
    let body: Value = res.json().await.expect("error body is JSON");
    assert_eq!(body["code"], code, "{body}");
    let msg = body["error"].as_str().expect("error message");
    assert!(
        msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "message is Chinese: {msg}"
    );
    body
}
