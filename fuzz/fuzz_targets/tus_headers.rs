//! The tus upload headers (server/src/media/tus.rs): Upload-Offset,
//! Upload-Length, Upload-Metadata. The input is split at the first two
//! NUL bytes into the three header values.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0);
    let offset = parts.next().unwrap_or_default();
    let length = parts.next().unwrap_or_default();
    let metadata = parts.next().unwrap_or_default();
    let (o, l, sha) = zhifa_server::fuzzing::tus_headers(offset, length, metadata);
    // A parsed sha256 is always 64 lowercase hex digits (tus.rs check_sha).
    if let Ok(sha) = sha {
        assert_eq!(sha.len(), 64, "sha256 of Upload-Metadata: {sha:?}");
    }
    let _ = (o, l);
});
