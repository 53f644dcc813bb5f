//! [`Transport`] over HTTPS (reqwest, rustls), with retry and exponential
//! backoff (backon) for transient failures: no connection, 5xx, 429, a busy
//! upload. Media go up in bounded tus chunks (`http/upload.rs`).

use std::path::Path;
use std::time::Duration;

use backon::{BlockingRetryable, ExponentialBuilder};
use reqwest::blocking::{Client, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use zhifa_core::sync::{
    CalendarPackage, CheckRequest, CheckResponse, ErrorBody, LoginRequest, LoginResponse,
    SnapshotRequest, SnapshotResponse, SyncRequest, SyncResponse, TUS_RESUMABLE, TUS_VERSION,
    UPLOAD_OFFSET,
};

use super::{Progress, Transport};

mod upload;

use crate::error::{DeviceError, Result};
use upload::MIN_CHUNK_BYTES;

/// Default size of one tus PATCH: 8 MiB.
pub const DEFAULT_CHUNK_BYTES: u64 = 8 * 1024 * 1024;
/// Default time limit of one tus PATCH.
pub const DEFAULT_CHUNK_TIMEOUT: Duration = Duration::from_secs(60);

/// Default time to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time limit of one request (tus PATCHes have their own).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// The HTTP transport.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    base: String,
    client: Client,
    /// Extra trusted CA certificates (kept to rebuild the client).
    roots: Vec<reqwest::Certificate>,
    connecting: Connecting,
    retries: usize,
    chunk_bytes: u64,
    chunk_timeout: Duration,
}

/// How the client connects: time limits and connection reuse.
#[derive(Debug, Clone, Copy)]
struct Connecting {
    connect: Duration,
    request: Duration,
    /// Keep idle connections for the next request.
    reuse: bool,
}

impl Default for Connecting {
    fn default() -> Self {
        Connecting {
            connect: DEFAULT_CONNECT_TIMEOUT,
            request: DEFAULT_REQUEST_TIMEOUT,
            reuse: true,
        }
    }
}

/// A client trusting `roots` beside the bundled web roots.
fn client(roots: &[reqwest::Certificate], how: Connecting) -> Result<Client> {
    let mut builder = Client::builder()
        .connect_timeout(how.connect)
        .timeout(how.request)
        .tcp_keepalive(Duration::from_secs(30));
    if !how.reuse {
        builder = builder.pool_max_idle_per_host(0);
    }
    for cert in roots {
        builder = builder.add_root_certificate(cert.clone());
    }
    builder
        .build()
        .map_err(|e| DeviceError::Network(e.to_string()))
}

impl HttpTransport {
    /// A transport to `base` (e.g. `https://zhifa.example.gov.cn`), with up
    /// to 4 retries.
    pub fn new(base: &str) -> Result<HttpTransport> {
        Self::with_ca_bundle(base, None)
    }

    /// [`HttpTransport::new`], also trusting the CA certificates of a PEM
    /// bundle (see [`ca_certificates`]) beside the bundled web roots.
    pub fn with_ca_bundle(base: &str, pem: Option<&[u8]>) -> Result<HttpTransport> {
        let roots = pem.map(ca_certificates).transpose()?.unwrap_or_default();
        Ok(HttpTransport {
            base: base.trim_end_matches('/').to_string(),
            client: client(&roots, Connecting::default())?,
            roots,
            connecting: Connecting::default(),
            retries: 4,
            chunk_bytes: DEFAULT_CHUNK_BYTES,
            chunk_timeout: DEFAULT_CHUNK_TIMEOUT,
        })
    }

    /// Sets the time to connect and the time limit of one request
    /// (defaults 10 s and 120 s); e.g. short ones on a test network.
    pub fn with_timeouts(mut self, connect: Duration, request: Duration) -> Result<HttpTransport> {
        self.connecting.connect = connect;
        self.connecting.request = request;
        self.client = client(&self.roots, self.connecting)?;
        Ok(self)
    }

    /// Opens a new connection for every request instead of reusing idle
    /// ones (a network that drops idle connections; fault injection that
    /// acts per connection).
    pub fn with_fresh_connections(mut self) -> Result<HttpTransport> {
        self.connecting.reuse = false;
        self.client = client(&self.roots, self.connecting)?;
        Ok(self)
    }

    /// Sets the largest tus PATCH (at least 64 KiB; default 8 MiB).
    pub fn with_chunk_bytes(mut self, bytes: u64) -> HttpTransport {
        self.chunk_bytes = bytes.max(MIN_CHUNK_BYTES);
        self
    }

    /// Sets the time limit of one tus PATCH (default 60 s). A chunk that
    /// runs out of time keeps what the server received, and the next
    /// chunks are smaller.
    pub fn with_chunk_timeout(mut self, timeout: Duration) -> HttpTransport {
        self.chunk_timeout = timeout;
        self
    }

    /// Sets the number of retries after a transient failure.
    pub fn with_retries(mut self, retries: usize) -> HttpTransport {
        self.retries = retries;
        self
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    pub(crate) fn retry<T>(&self, f: impl FnMut() -> Result<T>) -> Result<T> {
        f.retry(
            ExponentialBuilder::default()
                .with_min_delay(Duration::from_millis(200))
                .with_max_delay(Duration::from_secs(5))
                .with_max_times(self.retries)
                .with_jitter(),
        )
        .sleep(std::thread::sleep)
        .when(DeviceError::is_transient)
        .call()
    }

    fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        token: Option<&str>,
        path: &str,
        body: &B,
    ) -> Result<T> {
        let json = serde_json::to_vec(body)
            .map_err(|e| DeviceError::Network(format!("请求无法编码: {e}")))?;
        // Sync bodies are mostly base64 change bytes and repeated ids: gzip
        // shrinks an officer's day about fivefold (server/README.md).
        let (bytes, gzipped) = if json.len() > GZIP_ABOVE {
            (gzip(&json)?, true)
        } else {
            (json, false)
        };
        self.retry(|| {
            let mut req = self
                .client
                .post(self.url(path))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes.clone());
            if gzipped {
                req = req.header(reqwest::header::CONTENT_ENCODING, "gzip");
            }
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let res = req.send().map_err(net)?;
            let res = ok_or_error(res)?;
            res.json::<T>()
                .map_err(|e| DeviceError::Network(format!("服务器应答格式错误: {e}")))
        })
    }

    pub(crate) fn offset(&self, token: &str, sha256: &str) -> Result<u64> {
        let res = self
            .client
            .head(self.url(&format!("/media/uploads/{sha256}")))
            .bearer_auth(token)
            .header(TUS_RESUMABLE, TUS_VERSION)
            .send()
            .map_err(net)?;
        let res = ok_or_error(res)?;
        Ok(header_u64(&res, UPLOAD_OFFSET).unwrap_or(0))
    }
}
/// Request bodies larger than this are sent gzip-compressed.
const GZIP_ABOVE: usize = 1024;

/// Gzip at the fastest level (most of the gain, least CPU on a phone).
fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::fast(),
    );
    enc.write_all(bytes)?;
    Ok(enc.finish()?)
}

pub(crate) fn net(e: reqwest::Error) -> DeviceError {
    DeviceError::Network(e.to_string())
}

pub(crate) fn header_u64(res: &Response, name: &str) -> Option<u64> {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

/// Maps an error answer to a [`DeviceError`]; passes a success through.
pub(crate) fn ok_or_error(res: Response) -> Result<Response> {
    let status = res.status();
    if status.is_success() {
        return Ok(res);
    }
    let body: ErrorBody = res.json().unwrap_or(ErrorBody {
        error: status.canonical_reason().unwrap_or("").to_string(),
        code: String::new(),
    });
    Err(match (status.as_u16(), body.code.as_str()) {
        (401, "wrong_password") => DeviceError::WrongPassword,
        (401, _) => DeviceError::Unauthorized,
        (403, _) => DeviceError::Forbidden(body.error),
        (s, _) => DeviceError::Server {
            status: s,
            code: body.code,
            message: body.error,
        },
    })
}

/// The certificates of a PEM bundle; refused when it holds none or one
/// does not parse.
pub fn ca_certificates(pem: &[u8]) -> Result<Vec<reqwest::Certificate>> {
    let certs = reqwest::Certificate::from_pem_bundle(pem)
        .map_err(|e| DeviceError::Invalid(format!("CA 证书文件无法解析: {e}")))?;
    if certs.is_empty() {
        return Err(DeviceError::Invalid(
            "CA 证书文件中没有 PEM 格式的证书".into(),
        ));
    }
    Ok(certs)
}

impl Transport for HttpTransport {
    fn login(&self, req: &LoginRequest) -> Result<LoginResponse> {
        self.post(None, "/auth/login", req)
    }

    fn logout(&self, token: &str) -> Result<()> {
        self.retry(|| {
            let res = self
                .client
                .post(self.url("/auth/logout"))
                .bearer_auth(token)
                .send()
                .map_err(net)?;
            ok_or_error(res).map(|_| ())
        })
    }

    fn check(&self, token: &str, req: &CheckRequest) -> Result<CheckResponse> {
        self.post(Some(token), "/sync/check", req)
    }

    fn snapshots(&self, token: &str, req: &SnapshotRequest) -> Result<SnapshotResponse> {
        self.post(Some(token), "/sync/snapshots", req)
    }

    fn exchange(&self, token: &str, req: &SyncRequest) -> Result<SyncResponse> {
        self.post(Some(token), "/sync/exchange", req)
    }

    fn upload(
        &self,
        token: &str,
        sha256: &str,
        path: &Path,
        size: u64,
        progress: &Progress<'_>,
    ) -> Result<()> {
        self.upload_chunked(token, sha256, path, size, progress)
    }

    fn download(&self, token: &str, sha256: &str) -> Result<Box<dyn std::io::Read + Send>> {
        self.retry(|| {
            let res = self
                .client
                .get(self.url(&format!("/media/{sha256}")))
                .bearer_auth(token)
                .send()
                .map_err(net)?;
            Ok(Box::new(ok_or_error(res)?) as Box<dyn std::io::Read + Send>)
        })
    }

    fn calendar(&self, token: &str) -> Result<CalendarPackage> {
        self.retry(|| {
            let res = self
                .client
                .get(self.url("/calendar"))
                .bearer_auth(token)
                .send()
                .map_err(net)?;
            ok_or_error(res)?
                .json::<CalendarPackage>()
                .map_err(|e| DeviceError::Network(format!("服务器应答格式错误: {e}")))
        })
    }

    fn credential(&self, token: &str) -> Result<zhifa_core::credential::IssuedCredential> {
        self.retry(|| {
            let res = self
                .client
                .get(self.url("/me/credential"))
                .bearer_auth(token)
                .send()
                .map_err(net)?;
            ok_or_error(res)?
                .json()
                .map_err(|e| DeviceError::Network(format!("服务器应答格式错误: {e}")))
        })
    }

    fn colleagues(&self, token: &str) -> Result<Vec<zhifa_core::sync::OfficerInfo>> {
        self.retry(|| {
            let res = self
                .client
                .get(self.url("/colleagues"))
                .bearer_auth(token)
                .send()
                .map_err(net)?;
            ok_or_error(res)?
                .json::<Vec<zhifa_core::sync::OfficerInfo>>()
                .map_err(|e| DeviceError::Network(format!("服务器应答格式错误: {e}")))
        })
    }
}
