//! zhifa-e2e: end-to-end tests (in `tests/`) of real device stores
//! (`zhifa_device::App`) against a real zhifa-server on 127.0.0.1:0.
//! This library holds the harness: the server on its own thread and a raw
//! HTTP client for the office side of the checks.

use std::path::Path;

use reqwest::blocking::Client;
use serde_json::Value;
use zhifa_core::seal::DeviceKey;
use zhifa_core::sync::{DeviceRegistration, LoginRequest, LoginResponse};
use zhifa_device::App;

/// A demo server on its own thread and tokio runtime; stops when dropped.
pub struct TestServer {
    /// Base URL, `http://127.0.0.1:PORT`.
    pub url: String,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server with the demo bureau (password `demo1234`).
    pub fn start() -> TestServer {
        TestServer::start_with(|_| {})
    }

    /// Starts a demo server; `tweak` adjusts the configuration.
    pub fn start_with(tweak: impl FnOnce(&mut zhifa_server::Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("tmp");
        let mut config = zhifa_server::Config::for_data_dir(dir.path());
        config.demo = true;
        // The accounts only: the tests count their own cases.
        config.demo_cases = false;
        config.db_readers = 2;
        tweak(&mut config);
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let state = zhifa_server::build_state(config).await.expect("state");
                let l = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                addr_tx.send(l.local_addr().expect("addr")).expect("send");
                let _ = zhifa_server::serve(l, state, async move {
                    let _ = stop_rx.await;
                })
                .await;
            });
        });
        let addr = addr_rx.recv().expect("server address");
        TestServer {
            url: format!("http://{addr}"),
            _dir: dir,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The server's data folder (database, media, `server-key.hex`).
    pub fn data_dir(&self) -> &Path {
        self._dir.path()
    }

    /// A device: an app in `home`, logged in as `user`.
    pub fn device(&self, home: &Path, user: &str) -> App {
        let app = App::open(home).expect("open device");
        app.login(&self.url, user, "demo1234", &format!("测试手机 ({user})"))
            .expect("login");
        app
    }

    /// A raw office login (its own key and actor) for direct API checks.
    pub fn office_login(&self, user: &str) -> LoginResponse {
        let mut secret = [0u8; 32];
        getrandom::getrandom(&mut secret).expect("rng");
        let key = DeviceKey::from_secret(secret);
        let req = LoginRequest {
            username: user.into(),
            password: "demo1234".into(),
            device: DeviceRegistration {
                name: format!("办公电脑 ({user})"),
                public_key: key.public_hex(),
                actor_id: hex::encode(&secret[..16]),
            },
        };
        Client::new()
            .post(format!("{}/api/v1/auth/login", self.url))
            .json(&req)
            .send()
            .expect("login")
            .json()
            .expect("login json")
    }

    /// GET with a token: status and JSON body.
    pub fn get(&self, token: &str, path: &str) -> (u16, Value) {
        let res = Client::new()
            .get(format!("{}/api/v1{path}", self.url))
            .bearer_auth(token)
            .send()
            .expect("get");
        let status = res.status().as_u16();
        (status, res.json().unwrap_or(Value::Null))
    }

    /// PUT of a JSON text with a token: status and JSON body.
    pub fn put_json(&self, token: &str, path: &str, json: &str) -> (u16, Value) {
        let res = Client::new()
            .put(format!("{}/api/v1{path}", self.url))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(json.to_string())
            .send()
            .expect("put");
        let status = res.status().as_u16();
        (status, res.json().unwrap_or(Value::Null))
    }

    /// DELETE with a token: the status.
    pub fn delete(&self, token: &str, path: &str) -> u16 {
        Client::new()
            .delete(format!("{}/api/v1{path}", self.url))
            .bearer_auth(token)
            .send()
            .expect("delete")
            .status()
            .as_u16()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
