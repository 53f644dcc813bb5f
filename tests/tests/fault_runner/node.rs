//! A server node: the real zhifa-server on 127.0.0.1 over one data folder,
//! killable at any moment and restarted on the same files. A kill drops the
//! node's runtime at once (`shutdown_background`): requests in flight are
//! abandoned mid-way, as a killed process would leave them; the next node
//! opens the same SQLite database (two server instances in turn on one DB).

use std::net::SocketAddr;
use std::path::Path;

/// One running server instance on `dir`.
pub struct Node {
    /// Its address.
    pub addr: SocketAddr,
    kill: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Node {
    /// Starts a demo server (accounts only) on the data folder `dir`; the
    /// start-up error when it cannot start (e.g. on a full disk).
    pub fn start(dir: &Path) -> Result<Node, String> {
        let mut config = zhifa_server::Config::for_data_dir(dir);
        config.demo = true;
        config.demo_cases = false;
        config.db_readers = 2;
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (kill, kill_rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.spawn(async move {
                let state = match zhifa_server::build_state(config).await {
                    Ok(s) => s,
                    Err(e) => {
                        let _ = addr_tx.send(Err(format!("server start: {e}")));
                        return;
                    }
                };
                let l = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                let _ = addr_tx.send(l.local_addr().map_err(|e| e.to_string()));
                let _ = zhifa_server::serve(l, state, std::future::pending()).await;
            });
            let _ = kill_rx.recv();
            rt.shutdown_background();
        });
        let mut node = Node {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            kill: Some(kill),
            thread: Some(thread),
        };
        match addr_rx.recv() {
            Ok(Ok(addr)) => {
                node.addr = addr;
                Ok(node)
            }
            Ok(Err(e)) => Err(e),
            Err(_) => Err("server start: the node's runtime stopped".into()),
        }
    }
}

impl Drop for Node {
    /// Kills the node (no graceful shutdown).
    fn drop(&mut self) {
        if let Some(k) = self.kill.take() {
            let _ = k.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
