//! Electronic enforcement credentials (电子执法证): the bureau signs the
//! officer's credential facts, the officer's phone shows them as a QR code,
//! and anyone holding the bureau's public key checks them offline.
//!
//! 行政处罚法 第五十五条: 执法人员应当主动出示执法证件; the seed's (一) 第六条
//! (亮证) asks that the party can check the credential shown.
//!
//! Token format (compact, fits a version-M QR code):
//!
//! ```text
//! ZF1.<base64url(JSON of CredentialClaims)>.<base64url(Ed25519 signature)>
//! ```
//!
//! base64url without padding. The signature covers the ASCII bytes
//! `ZF1.<payload>` (the token up to the second dot), so the verifier checks
//! exactly the bytes it decodes; no re-serialisation is involved. A check URL
//! `<server>/gs/credential?t=<token>` (what a phone camera opens) is accepted
//! wherever a token is.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Offset, SecondsFormat, TimeZone, Utc};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::seal::DeviceKey;

/// The first part of every token: format and version.
pub const TOKEN_PREFIX: &str = "ZF1";
/// The claims version this build writes and reads.
pub const CLAIMS_VERSION: u32 = 1;
/// Longest input accepted as a token or check URL (anything longer is
/// malformed before it is decoded).
pub const MAX_INPUT_CHARS: usize = 4096;
/// The path of the public check page on the server (the portal).
pub const CHECK_PATH: &str = "/gs/credential";

/// What the bureau certifies about an officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CredentialClaims {
    /// Claims version ([`CLAIMS_VERSION`]).
    pub version: u32,
    /// The officer's account id.
    pub account_id: String,
    /// The officer's name.
    pub name: String,
    /// 执法证号.
    pub credential_no: String,
    /// Unit id.
    pub unit_id: String,
    /// Unit name (科室).
    pub unit_name: String,
    /// What the officer may do, in Chinese (the roles, e.g. 执法人员).
    pub scope: Vec<String>,
    /// Valid from: RFC 3339, or a date (from 00:00 Beijing time).
    pub valid_from: String,
    /// Valid until: RFC 3339, or a date (through 24:00 Beijing time).
    pub valid_until: String,
    /// When the bureau signed it (RFC 3339).
    pub issued_at: String,
}

/// `GET /api/v1/me/credential`: the token the server signed for the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCredential {
    /// The compact token (`ZF1.<claims>.<signature>`).
    pub token: String,
    /// What the token says, for display.
    pub claims: CredentialClaims,
}

/// Why a token is refused. `Display` is Simplified Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CredentialError {
    /// Not a token or check URL of this format (or an unknown version).
    #[error("证件码格式错误: {0}")]
    Malformed(String),
    /// The public key given to check with is not an Ed25519 key in hex.
    #[error("签发机关公钥格式错误: {0}")]
    BadKey(String),
    /// The signature does not match: the content was changed, or another key
    /// signed it.
    #[error("证件签名无效: 内容被改动, 或并非由该签发机关签发")]
    BadSignature,
    /// `now` is after `valid_until`.
    #[error("证件已过期 (有效期至 {valid_until})")]
    Expired {
        /// The claims' `valid_until`, as shown to people.
        valid_until: String,
    },
    /// `now` is before `valid_from`.
    #[error("证件尚未生效 (自 {valid_from} 起有效)")]
    NotYetValid {
        /// The claims' `valid_from`, as shown to people.
        valid_from: String,
    },
}

impl CredentialError {
    /// A stable machine code: `malformed`, `bad_key`, `bad_signature`,
    /// `expired`, `not_yet_valid`.
    pub fn code(&self) -> &'static str {
        match self {
            CredentialError::Malformed(_) => "malformed",
            CredentialError::BadKey(_) => "bad_key",
            CredentialError::BadSignature => "bad_signature",
            CredentialError::Expired { .. } => "expired",
            CredentialError::NotYetValid { .. } => "not_yet_valid",
        }
    }
}

/// Beijing time (UTC+8), in which date-only validity bounds are read.
fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix())
}

/// Parses a bound: RFC 3339, or a date read in Beijing time (start of the
/// day for `from`, end of the day for an `until`).
fn parse_bound(s: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let time = if end_of_day {
        NaiveTime::from_hms_opt(23, 59, 59)?
    } else {
        NaiveTime::MIN
    };
    beijing()
        .from_local_datetime(&date.and_time(time))
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// A bound as people read it: `2026-12-05 04:00` in Beijing time, or the
/// text itself when it does not parse.
pub fn display_time(s: &str) -> String {
    match parse_bound(s, false) {
        Some(t) if s.len() == 10 => t.with_timezone(&beijing()).format("%Y-%m-%d").to_string(),
        Some(t) => t
            .with_timezone(&beijing())
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        None => s.to_string(),
    }
}

/// RFC 3339 UTC with seconds: the form the server writes.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl CredentialClaims {
    /// The validity as people read it: `2026-12-05 04:00 至 2027-12-05 04:00`
    /// (Beijing time).
    pub fn validity_text(&self) -> String {
        format!(
            "{} 至 {}",
            display_time(&self.valid_from),
            display_time(&self.valid_until)
        )
    }

    /// Checks the validity window against `now`.
    pub fn check_validity(&self, now: DateTime<Utc>) -> Result<(), CredentialError> {
        let from = parse_bound(&self.valid_from, false)
            .ok_or_else(|| CredentialError::Malformed("生效时间无法识别".into()))?;
        let until = parse_bound(&self.valid_until, true)
            .ok_or_else(|| CredentialError::Malformed("有效期限无法识别".into()))?;
        if now < from {
            return Err(CredentialError::NotYetValid {
                valid_from: display_time(&self.valid_from),
            });
        }
        if now > until {
            return Err(CredentialError::Expired {
                valid_until: display_time(&self.valid_until),
            });
        }
        Ok(())
    }

    /// Signs the claims with the bureau's key: the compact token.
    pub fn sign(&self, key: &DeviceKey) -> Result<String, CredentialError> {
        let json = serde_json::to_vec(self)
            .map_err(|e| CredentialError::Malformed(format!("证件内容无法编码: {e}")))?;
        let signed = format!("{TOKEN_PREFIX}.{}", URL_SAFE_NO_PAD.encode(json));
        let signature = key.sign_bytes(signed.as_bytes());
        Ok(format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }
}

/// The check URL a phone camera opens: `<server>/gs/credential?t=<token>`.
pub fn check_url(server: &str, token: &str) -> String {
    format!("{}{CHECK_PATH}?t={token}", server.trim_end_matches('/'))
}

/// The token inside `text`: the text itself when it is a token, or the `t`
/// query parameter of a check URL. Surrounding whitespace is ignored.
pub fn token_from_text(text: &str) -> Result<&str, CredentialError> {
    let text = text.trim();
    if text.chars().count() > MAX_INPUT_CHARS {
        return Err(CredentialError::Malformed("内容过长".into()));
    }
    if text.starts_with(&format!("{TOKEN_PREFIX}.")) {
        return Ok(text);
    }
    let query = text
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(q))
        .ok_or_else(|| CredentialError::Malformed("既不是证件码也不是核验链接".into()))?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("t="))
        .filter(|t| !t.is_empty())
        .ok_or_else(|| CredentialError::Malformed("核验链接中没有证件码 (参数 t)".into()))
}

/// The bureau's public key from 64 hex characters.
fn public_key(public_hex: &str) -> Result<VerifyingKey, CredentialError> {
    let bytes: [u8; 32] = hex::decode(public_hex.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| CredentialError::BadKey("应为 64 位十六进制".into()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| CredentialError::BadKey("不是有效的公钥".into()))
}

/// Checks the signature of a token (or check URL) and returns its claims,
/// without looking at the validity window (see [`verify`]).
pub fn verify_signature(text: &str, public_hex: &str) -> Result<CredentialClaims, CredentialError> {
    let key = public_key(public_hex)?;
    let token = token_from_text(text)?;
    let mut parts = token.split('.');
    let (Some(prefix), Some(payload), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(CredentialError::Malformed("应由三段组成".into()));
    };
    if prefix != TOKEN_PREFIX {
        return Err(CredentialError::Malformed(format!(
            "不支持的证件码版本 {prefix}"
        )));
    }
    let sig: [u8; 64] = URL_SAFE_NO_PAD
        .decode(sig)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| CredentialError::Malformed("签名段无法解码".into()))?;
    let json = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| CredentialError::Malformed("内容段无法解码".into()))?;
    let signed = &token[..prefix.len() + 1 + payload.len()];
    key.verify(signed.as_bytes(), &Signature::from_bytes(&sig))
        .map_err(|_| CredentialError::BadSignature)?;
    let claims: CredentialClaims = serde_json::from_slice(&json)
        .map_err(|e| CredentialError::Malformed(format!("内容无法识别: {e}")))?;
    if claims.version != CLAIMS_VERSION {
        return Err(CredentialError::Malformed(format!(
            "不支持的证件内容版本 {}",
            claims.version
        )));
    }
    Ok(claims)
}

/// Verifies a token (or check URL) offline: signed by the holder of
/// `public_hex` and valid at `now`.
pub fn verify(
    text: &str,
    public_hex: &str,
    now: DateTime<Utc>,
) -> Result<CredentialClaims, CredentialError> {
    let claims = verify_signature(text, public_hex)?;
    claims.check_validity(now)?;
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> DeviceKey {
        DeviceKey::from_secret([seed; 32])
    }

    fn claims() -> CredentialClaims {
        CredentialClaims {
            version: CLAIMS_VERSION,
            account_id: "0f6c2b1e-8d7a-4c3b-9a51-2e4f6d8b0c11".into(),
            name: "张伟".into(),
            credential_no: "冀执0723-2023-0101".into(),
            unit_id: "u-jiandu".into(),
            unit_name: "执法监督科".into(),
            scope: vec!["执法人员".into(), "科室负责人".into()],
            valid_from: "2026-12-01T00:00:00Z".into(),
            valid_until: "2027-12-01T00:00:00Z".into(),
            issued_at: "2026-12-01T00:00:00Z".into(),
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    const NOW: &str = "2027-03-01T08:00:00Z";

    #[test]
    fn a_signed_token_verifies_and_fits_a_qr_code() {
        let k = key(7);
        let token = claims().sign(&k).expect("sign");
        assert!(token.starts_with("ZF1."), "{token}");
        let url = check_url("https://zhifa.example.gov.cn/", &token);
        assert!(url.len() < 600, "{} chars: {url}", url.len());
        assert_eq!(verify(&token, &k.public_hex(), at(NOW)), Ok(claims()));
        // The check URL form is accepted as well.
        assert_eq!(verify(&url, &k.public_hex(), at(NOW)), Ok(claims()));
        assert_eq!(
            verify(&format!("  {url}#x\n"), &k.public_hex(), at(NOW)),
            Ok(claims())
        );
    }

    #[test]
    fn a_forged_payload_is_refused() {
        let k = key(7);
        let token = claims().sign(&k).expect("sign");
        let mut forged = claims();
        forged.name = "李四".into();
        let other = forged.sign(&k).expect("sign");
        // The forged payload with the genuine signature.
        let parts: Vec<&str> = token.split('.').collect();
        let fparts: Vec<&str> = other.split('.').collect();
        let spliced = format!("{}.{}.{}", parts[0], fparts[1], parts[2]);
        assert_eq!(
            verify(&spliced, &k.public_hex(), at(NOW)),
            Err(CredentialError::BadSignature)
        );
        // One character of the payload changed.
        let mut bytes = token.clone().into_bytes();
        let i = 10;
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(bytes).expect("ascii");
        assert_eq!(
            verify(&flipped, &k.public_hex(), at(NOW)).map_err(|e| e.code()),
            Err("bad_signature")
        );
    }

    #[test]
    fn another_key_is_refused() {
        let token = claims().sign(&key(9)).expect("sign");
        let err = verify(&token, &key(7).public_hex(), at(NOW)).unwrap_err();
        assert_eq!(err, CredentialError::BadSignature);
        assert!(err.to_string().contains("签名无效"), "{err}");
    }

    #[test]
    fn expired_and_not_yet_valid_are_refused() {
        let k = key(7);
        let token = claims().sign(&k).expect("sign");
        let err = verify(&token, &k.public_hex(), at("2027-12-01T00:00:01Z")).unwrap_err();
        assert_eq!(err.code(), "expired");
        assert!(err.to_string().contains("已过期"), "{err}");
        let err = verify(&token, &k.public_hex(), at("2026-11-30T23:59:59Z")).unwrap_err();
        assert_eq!(err.code(), "not_yet_valid");
        // The signature alone still checks out (the server reports `expired`).
        assert_eq!(verify_signature(&token, &k.public_hex()), Ok(claims()));
        // Date bounds are whole days in Beijing time.
        let mut c = claims();
        c.valid_until = "2027-03-01".into();
        let token = c.sign(&k).expect("sign");
        assert!(verify(&token, &k.public_hex(), at("2027-03-01T15:59:00Z")).is_ok());
        assert_eq!(
            verify(&token, &k.public_hex(), at("2027-03-01T16:00:00Z")).map_err(|e| e.code()),
            Err("expired")
        );
    }

    #[test]
    fn malformed_input_is_refused() {
        let k = key(7);
        let pk = k.public_hex();
        let token = claims().sign(&k).expect("sign");
        for bad in [
            "",
            "hello",
            "ZF1.abc",
            "ZF1.a.b.c",
            "ZF2.abc.def",
            "https://x/gs/credential?x=1",
            "https://x/gs/credential?t=",
            "ZF1.!!!.AAAA",
        ] {
            assert_eq!(
                verify(bad, &pk, at(NOW)).map_err(|e| e.code()),
                Err("malformed"),
                "{bad}"
            );
        }
        let long = "a".repeat(MAX_INPUT_CHARS + 1);
        assert_eq!(
            verify(&long, &pk, at(NOW)).map_err(|e| e.code()),
            Err("malformed")
        );
        // A signed payload that is not claims.
        let signed = format!("ZF1.{}", URL_SAFE_NO_PAD.encode(b"{\"a\":1}"));
        let junk = format!(
            "{signed}.{}",
            URL_SAFE_NO_PAD.encode(k.sign_bytes(signed.as_bytes()))
        );
        assert_eq!(
            verify(&junk, &pk, at(NOW)).map_err(|e| e.code()),
            Err("malformed")
        );
        assert_eq!(
            verify(&token, "zz", at(NOW)).map_err(|e| e.code()),
            Err("bad_key")
        );
    }

    #[test]
    fn validity_reads_in_beijing_time() {
        assert_eq!(
            claims().validity_text(),
            "2026-12-01 08:00 至 2027-12-01 08:00"
        );
        assert_eq!(display_time("2027-03-01"), "2027-03-01");
        assert_eq!(display_time("不是时间"), "不是时间");
    }
}
