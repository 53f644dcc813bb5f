//! Credential tokens (zhifa_core::credential, `ZF1.<claims>.<signature>`):
//! the token or check URL text is verified against a fixed key; the same
//! bytes are also signed as a claims payload with that key, so that claims
//! parsing and the validity window are reached behind a valid signature.
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use zhifa_core::credential::{display_time, token_from_text, verify, TOKEN_PREFIX};
use zhifa_core::seal::DeviceKey;

fuzz_target!(|data: &[u8]| {
    let key = DeviceKey::from_secret([7; 32]);
    let public = key.public_hex();
    let Some(now) = Utc.with_ymd_and_hms(2026, 12, 5, 0, 0, 0).single() else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = token_from_text(text);
        let _ = verify(text, &public, now);
        let _ = display_time(text);
    }
    let signed = format!("{TOKEN_PREFIX}.{}", URL_SAFE_NO_PAD.encode(data));
    let sig = key.sign_bytes(signed.as_bytes());
    let token = format!("{signed}.{}", URL_SAFE_NO_PAD.encode(sig));
    if let Ok(claims) = verify(&token, &public, now) {
        let _ = claims.validity_text();
    }
});
