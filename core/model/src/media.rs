//! Media references (照片、录音、录像、签名笔迹). Files never live inside the
//! case document: a record refers to them by SHA-256.

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// Largest media file a reference may describe (4 GiB).
pub const MAX_MEDIA_SIZE: u64 = 4 * 1024 * 1024 * 1024;

/// Photo types a device takes, by content: JPEG, PNG, and HEIC/HEIF (the
/// iPhone camera's default; HEVC-coded HEIF is `image/heic`).
pub const PHOTO_TYPES: &[&str] = &["image/jpeg", "image/png", "image/heic", "image/heif"];

/// Video types a device takes: MP4 and QuickTime (`.mov`, iPhone).
pub const VIDEO_TYPES: &[&str] = &["video/mp4", "video/quicktime"];

/// Audio types a device takes: AAC in MP4 (`.m4a`), MP3, WAV, AMR.
pub const AUDIO_TYPES: &[&str] = &[
    "audio/mp4",
    "audio/mpeg",
    "audio/wav",
    "audio/amr",
    "audio/aac",
];

/// True for a photo type a device takes ([`PHOTO_TYPES`]).
pub fn is_photo_type(mime: &str) -> bool {
    PHOTO_TYPES.contains(&mime)
}

/// True for HEIC/HEIF: a photo whose pixels need an HEVC codec, which
/// neither the devices' engine nor the server carries; such photos are kept,
/// hashed and sealed like any other, shown without a generated thumbnail.
pub fn is_heif_type(mime: &str) -> bool {
    matches!(mime, "image/heic" | "image/heif")
}

/// What a media file is, by its MIME type's top level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaClass {
    /// image/*
    Photo,
    /// audio/*
    Audio,
    /// video/*
    Video,
    /// Anything else (e.g. application/pdf).
    Document,
}

/// A place on earth (WGS-84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct GeoPoint {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
}

/// A reference to one media file, as the case document stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct MediaRef {
    /// SHA-256 of the file's bytes, 64 lowercase hex characters.
    #[key]
    pub sha256: String,
    /// MIME type, e.g. `image/jpeg`.
    pub mime: String,
    /// Size in bytes.
    pub size: u64,
    /// Capture time (RFC 3339), from EXIF or the device clock.
    pub captured_at: String,
    /// Where it was captured, if known.
    pub gps: Option<GeoPoint>,
    /// Capturing device id.
    pub device: String,
    /// Capturing officer id.
    pub officer: String,
    /// The record it belongs to.
    pub record_id: String,
}

impl MediaRef {
    /// Checks the reference's own data: hash form, size, MIME type, time, GPS.
    pub fn validate(&self) -> Result<()> {
        if !is_sha256_hex(&self.sha256) {
            return Err(CoreError::InvalidMedia(format!(
                "SHA-256 必须是 64 位小写十六进制: {}",
                self.sha256
            )));
        }
        if self.size == 0 || self.size > MAX_MEDIA_SIZE {
            return Err(CoreError::InvalidMedia(format!(
                "文件大小无效: {}",
                self.size
            )));
        }
        let mime_ok = self
            .mime
            .split_once('/')
            .map(|(a, b)| {
                !a.is_empty() && !b.is_empty() && !self.mime.contains(char::is_whitespace)
            })
            .unwrap_or(false);
        if !mime_ok {
            return Err(CoreError::InvalidMedia(format!(
                "MIME 类型无效: {}",
                self.mime
            )));
        }
        if chrono::DateTime::parse_from_rfc3339(&self.captured_at).is_err() {
            return Err(CoreError::InvalidMedia(format!(
                "拍摄时间无效: {}",
                self.captured_at
            )));
        }
        if let Some(g) = self.gps {
            if !(-90.0..=90.0).contains(&g.lat) || !(-180.0..=180.0).contains(&g.lon) {
                return Err(CoreError::InvalidMedia("GPS 坐标超出范围".into()));
            }
        }
        Ok(())
    }

    /// The media class by MIME type.
    pub fn class(&self) -> MediaClass {
        match self.mime.split('/').next() {
            Some("image") => MediaClass::Photo,
            Some("audio") => MediaClass::Audio,
            Some("video") => MediaClass::Video,
            _ => MediaClass::Document,
        }
    }

    /// True for audio or video (音像记录, (二) 第十三条).
    pub fn is_av(&self) -> bool {
        matches!(self.class(), MediaClass::Audio | MediaClass::Video)
    }
}

/// True when `s` is 64 lowercase hex characters.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> MediaRef {
        MediaRef {
            sha256: "a".repeat(64),
            mime: "image/jpeg".into(),
            size: 1024,
            captured_at: "2026-03-02T10:00:00+08:00".into(),
            gps: Some(GeoPoint {
                lat: 38.0,
                lon: 114.5,
            }),
            device: "dev1".into(),
            officer: "o1".into(),
            record_id: "r1".into(),
        }
    }

    #[test]
    fn valid_reference_passes_and_classifies() {
        let m = sample();
        assert!(m.validate().is_ok());
        assert_eq!(m.class(), MediaClass::Photo);
        assert!(!m.is_av());
        let v = MediaRef {
            mime: "video/mp4".into(),
            ..sample()
        };
        assert!(v.is_av());
    }

    #[test]
    fn heic_and_quicktime_are_accepted_types() {
        assert!(is_photo_type("image/heic") && is_heif_type("image/heic"));
        assert!(is_photo_type("image/heif") && is_heif_type("image/heif"));
        assert!(is_photo_type("image/jpeg") && !is_heif_type("image/jpeg"));
        assert!(!is_photo_type("image/gif"));
        assert!(VIDEO_TYPES.contains(&"video/quicktime"));
        let mov = MediaRef {
            mime: "video/quicktime".into(),
            ..sample()
        };
        assert!(mov.validate().is_ok() && mov.is_av());
        let heic = MediaRef {
            mime: "image/heic".into(),
            ..sample()
        };
        assert!(heic.validate().is_ok());
        assert_eq!(heic.class(), MediaClass::Photo);
    }

    #[test]
    fn bad_references_are_rejected() {
        for bad in [
            MediaRef {
                sha256: "A".repeat(64),
                ..sample()
            },
            MediaRef {
                sha256: "a".repeat(63),
                ..sample()
            },
            MediaRef {
                size: 0,
                ..sample()
            },
            MediaRef {
                mime: "jpeg".into(),
                ..sample()
            },
            MediaRef {
                captured_at: "2026-02-30T10:00:00+08:00".into(),
                ..sample()
            },
            MediaRef {
                gps: Some(GeoPoint {
                    lat: 91.0,
                    lon: 0.0,
                }),
                ..sample()
            },
        ] {
            assert!(
                matches!(bad.validate(), Err(CoreError::InvalidMedia(_))),
                "{bad:?}"
            );
        }
    }
}
