//! [`Transport`] over HTTPS (reqwest, rustls), with retry and exponential
//! backoff (backon) for transient failures: no connection, 5xx, 429.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::Path;
use std::time::Duration;

use backon::{BlockingRetryable, ExponentialBuilder};
use base64::Engine;
use reqwest::blocking::{Body, Client, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use zhifa_core::sync::{
    CalendarPackage, CheckRequest, CheckResponse, ErrorBody, LoginRequest, LoginResponse,
    SnapshotRequest, SnapshotResponse, SyncRequest, SyncResponse, OFFSET_OCTET_STREAM,
    TUS_RESUMABLE, TUS_VERSION, UPLOAD_LENGTH, UPLOAD_OFFSET,
};

use super::Transport;
use crate::error::{DeviceError, Result};

/// The HTTP transport.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    base: String,
    client: Client,
    retries: usize,
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
        let mut builder = Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120));
        for cert in pem.map(ca_certificates).transpose()?.unwrap_or_default() {
            builder = builder.add_root_certificate(cert);
        }
        let client = builder
            .build()
            .map_err(|e| DeviceError::Network(e.to_string()))?;
        Ok(HttpTransport {
            base: base.trim_end_matches('/').to_string(),
            client,
            retries: 4,
        })
    }

    /// Sets the number of retries after a transient failure.
    pub fn with_retries(mut self, retries: usize) -> HttpTransport {
        self.retries = retries;
        self
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    fn retry<T>(&self, f: impl FnMut() -> Result<T>) -> Result<T> {
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

    fn offset(&self, token: &str, sha256: &str) -> Result<u64> {
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

    fn upload_once(&self, token: &str, sha256: &str, path: &Path, size: u64) -> Result<()> {
        let meta = format!(
            "sha256 {}",
            base64::engine::general_purpose::STANDARD.encode(sha256)
        );
        let res = self
            .client
            .post(self.url("/media/uploads"))
            .bearer_auth(token)
            .header(TUS_RESUMABLE, TUS_VERSION)
            .header(UPLOAD_LENGTH, size.to_string())
            .header("upload-metadata", meta)
            .send()
            .map_err(net)?;
        let res = ok_or_error(res)?;
        if res.status() == reqwest::StatusCode::OK {
            return Ok(()); // the server already has the whole file
        }
        let offset = self.offset(token, sha256)?;
        if offset >= size {
            return Ok(());
        }
        let mut f = File::open(path)?;
        f.seek(SeekFrom::Start(offset))?;
        let res = self
            .client
            .patch(self.url(&format!("/media/uploads/{sha256}")))
            .bearer_auth(token)
            .header(TUS_RESUMABLE, TUS_VERSION)
            .header(UPLOAD_OFFSET, offset.to_string())
            .header(reqwest::header::CONTENT_TYPE, OFFSET_OCTET_STREAM)
            .body(Body::sized(f, size - offset))
            .send()
            .map_err(net)?;
        ok_or_error(res)?;
        Ok(())
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

fn net(e: reqwest::Error) -> DeviceError {
    DeviceError::Network(e.to_string())
}

fn header_u64(res: &Response, name: &str) -> Option<u64> {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

/// Maps an error answer to a [`DeviceError`]; passes a success through.
fn ok_or_error(res: Response) -> Result<Response> {
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

    fn upload(&self, token: &str, sha256: &str, path: &Path, size: u64) -> Result<()> {
        self.retry(|| self.upload_once(token, sha256, path, size))
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
