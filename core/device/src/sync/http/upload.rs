//! tus uploads in bounded chunks: create (or find) the upload, then PATCH at
//! most `chunk_bytes` at a time, each under its own time limit; after any
//! failure ask the server's `Upload-Offset` (HEAD) and resume from there. A
//! busy upload (409 `upload_busy`, the server still finishing a request of a
//! broken connection) is retried. The upload gives up only after several
//! attempts in a row in which the server received nothing.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use reqwest::blocking::Body;
use zhifa_core::sync::{
    OFFSET_OCTET_STREAM, TUS_RESUMABLE, TUS_VERSION, UPLOAD_LENGTH, UPLOAD_OFFSET,
};

use super::{header_u64, net, ok_or_error, HttpTransport};
use crate::error::{DeviceError, Result};
use crate::sync::Progress;

/// The smallest chunk (after timeouts halve it).
pub(crate) const MIN_CHUNK_BYTES: u64 = 64 * 1024;
/// How often progress is reported while a chunk is being sent.
const TICK: Duration = Duration::from_millis(200);
/// Longest pause between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Marks a chunk that ran out of time (its successors are smaller).
const CHUNK_TIMEOUT: &str = "上传分段超时";

/// A file reader that counts the bytes handed to the network.
struct Counting {
    inner: std::io::Take<File>,
    read: Arc<AtomicU64>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// What to do after a failed step.
fn fatal(e: &DeviceError) -> bool {
    match e {
        DeviceError::Network(_) => false,
        // 409: busy or offset mismatch; 404: expired upload (created again);
        // 400: the server saw an interrupted body; 408: request timeout.
        DeviceError::Server { status, .. } => {
            !matches!(status, 400 | 404 | 408 | 409 | 429) && !e.is_transient()
        }
        _ => true,
    }
}

fn backoff(failures: u32) -> Duration {
    let ms = 200u64.saturating_mul(1 << failures.min(8).saturating_sub(1));
    Duration::from_millis(ms).min(MAX_BACKOFF)
}

impl HttpTransport {
    /// `POST /media/uploads`: the server's offset, `None` when it already
    /// has the whole file.
    fn create(&self, token: &str, sha256: &str, size: u64) -> Result<Option<u64>> {
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
            return Ok(None);
        }
        Ok(Some(header_u64(&res, UPLOAD_OFFSET).unwrap_or(0)))
    }

    /// One PATCH of `len` bytes at `offset`; the server's new offset.
    fn patch_chunk(
        &self,
        token: &str,
        sha256: &str,
        path: &std::path::Path,
        offset: u64,
        len: u64,
        progress: &Progress<'_>,
    ) -> Result<u64> {
        let mut f = File::open(path)?;
        f.seek(SeekFrom::Start(offset))?;
        let read = Arc::new(AtomicU64::new(0));
        let body = Counting {
            inner: f.take(len),
            read: read.clone(),
        };
        let req = self
            .client
            .patch(self.url(&format!("/media/uploads/{sha256}")))
            .bearer_auth(token)
            .timeout(self.chunk_timeout)
            .header(TUS_RESUMABLE, TUS_VERSION)
            .header(UPLOAD_OFFSET, offset.to_string())
            .header(reqwest::header::CONTENT_TYPE, OFFSET_OCTET_STREAM)
            .body(Body::sized(body, len));
        // Progress while the chunk is on its way, from a scoped thread that
        // wakes at once when the request ends.
        let (done, ticks) = std::sync::mpsc::channel::<()>();
        let sent = std::thread::scope(|scope| {
            let read = &read;
            scope.spawn(move || {
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = ticks.recv_timeout(TICK)
                {
                    progress(offset + read.load(Ordering::Relaxed).min(len));
                }
            });
            let r = req.send();
            drop(done);
            r
        });
        let res = sent.map_err(|e| {
            if e.is_timeout() {
                DeviceError::Network(format!("{CHUNK_TIMEOUT}: {e}"))
            } else {
                net(e)
            }
        })?;
        let res = ok_or_error(res)?;
        Ok(header_u64(&res, UPLOAD_OFFSET).unwrap_or(offset + len))
    }

    /// The server's offset of this upload, creating it again if it expired.
    fn resume_offset(&self, token: &str, sha256: &str, size: u64) -> Result<Option<u64>> {
        match self.offset(token, sha256) {
            Ok(o) => Ok(Some(o)),
            Err(DeviceError::Server { status: 404, .. }) => self.create(token, sha256, size),
            Err(e) => Err(e),
        }
    }

    /// The whole upload (see the module documentation).
    pub(super) fn upload_chunked(
        &self,
        token: &str,
        sha256: &str,
        path: &std::path::Path,
        size: u64,
        progress: &Progress<'_>,
    ) -> Result<()> {
        let Some(mut offset) = self.retry(|| self.create(token, sha256, size))? else {
            progress(size);
            return Ok(());
        };
        let allowed = (self.retries as u32).max(1) * 2;
        let mut chunk = self.chunk_bytes;
        let mut failures = 0u32;
        while offset < size {
            progress(offset);
            let len = chunk.min(size - offset);
            let err = match self.patch_chunk(token, sha256, path, offset, len, progress) {
                Ok(next) if next > offset => {
                    offset = next;
                    failures = 0;
                    chunk = (chunk * 2).min(self.chunk_bytes);
                    continue;
                }
                Ok(_) => DeviceError::Network("服务器未接收任何数据".into()),
                Err(e) => e,
            };
            if fatal(&err) {
                return Err(err);
            }
            if matches!(&err, DeviceError::Network(m) if m.starts_with(CHUNK_TIMEOUT)) {
                chunk = (chunk / 2).max(MIN_CHUNK_BYTES);
            }
            failures += 1;
            std::thread::sleep(backoff(failures));
            // Where to go on: what the server kept.
            let resumed = loop {
                match self.resume_offset(token, sha256, size) {
                    Ok(o) => break o,
                    Err(e) if fatal(&e) || failures >= allowed => return Err(e),
                    Err(_) => {
                        failures += 1;
                        std::thread::sleep(backoff(failures));
                    }
                }
            };
            let Some(server) = resumed else {
                break; // the server has the whole file
            };
            if server > offset {
                failures = 0; // the server kept bytes of the failed chunk
            } else if failures >= allowed {
                return Err(err);
            }
            offset = server;
        }
        progress(size);
        Ok(())
    }
}
