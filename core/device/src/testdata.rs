//! Test data for this crate's tests, the CLI's and e2e tests and the
//! benchmark: JPEG photos with EXIF time and GPS, stand-in MP4 files, sample
//! signatures, and an offline transport. Not used by the app.

use std::path::Path;

use image::{Rgb, RgbImage};
use zhifa_core::case::OfficerStatus;
use zhifa_core::sync::{
    CheckRequest, CheckResponse, LoginRequest, LoginResponse, OfficerInfo, Role, SnapshotRequest,
    SnapshotResponse, SyncRequest, SyncResponse,
};

use crate::error::{DeviceError, Result};
use crate::signature::{Point, Strokes};
use crate::sync::Transport;

/// A noisy JPEG of `w`×`h` pixels with an EXIF block: DateTime
/// `2026:03:02 09:31:00` and GPS 38.04 N, 114.5 E. `quality` 1–100.
pub fn jpeg_with_exif(w: u32, h: u32, seed: u64, quality: u8) -> Vec<u8> {
    let mut s = seed.wrapping_mul(2).wrapping_add(1);
    let img = RgbImage::from_fn(w, h, |x, y| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let n = (s & 0x3f) as u8;
        Rgb([
            ((x * 255 / w.max(1)) as u8).wrapping_add(n),
            ((y * 255 / h.max(1)) as u8).wrapping_add(n),
            n.wrapping_mul(3),
        ])
    });
    let mut jpeg = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality);
    if enc.encode_image(&img).is_err() {
        return Vec::new();
    }
    let tiff = exif_tiff();
    let mut out = Vec::with_capacity(jpeg.len() + tiff.len() + 10);
    out.extend_from_slice(&jpeg[..2]); // SOI
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A JPEG of `w`×`h` stored pixels (a left half red, right half blue) with
/// an EXIF block holding only the orientation tag (`orientation` 1–8), as a
/// phone camera writes it: held upright, a phone stores landscape pixels
/// with orientation 6 (turn 90° clockwise to view).
pub fn jpeg_with_orientation(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    });
    let mut jpeg = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90);
    if enc.encode_image(&img).is_err() {
        return Vec::new();
    }
    // Big-endian TIFF: IFD0 at 8 with one entry, Orientation (SHORT).
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01".to_vec();
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut out = Vec::with_capacity(jpeg.len() + tiff.len() + 10);
    out.extend_from_slice(&jpeg[..2]); // SOI
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A little-endian TIFF block: IFD0 {DateTime, GPS pointer}, GPS IFD.
fn exif_tiff() -> Vec<u8> {
    fn entry(t: &mut Vec<u8>, tag: u16, ty: u16, count: u32, value: [u8; 4]) {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&ty.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    }
    let mut t = Vec::new();
    t.extend_from_slice(b"II\x2a\x00");
    t.extend_from_slice(&8u32.to_le_bytes());
    // IFD0 at 8: 2 entries, ends at 38.
    t.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut t, 0x0132, 2, 20, 38u32.to_le_bytes());
    entry(&mut t, 0x8825, 4, 1, 58u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(b"2026:03:02 09:31:00\0"); // 38..58
                                                   // GPS IFD at 58: 4 entries, ends at 112.
    t.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut t, 1, 2, 2, *b"N\0\0\0");
    entry(&mut t, 2, 5, 3, 112u32.to_le_bytes());
    entry(&mut t, 3, 2, 2, *b"E\0\0\0");
    entry(&mut t, 4, 5, 3, 136u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    for (n, d) in [
        (38u32, 1u32),
        (2, 1),
        (2400, 100),
        (114, 1),
        (30, 1),
        (0, 1),
    ] {
        t.extend_from_slice(&n.to_le_bytes());
        t.extend_from_slice(&d.to_le_bytes());
    }
    t
}

/// A stand-in MP4 of `len + 24` bytes: an `ftyp` box (24 bytes), an `mdat`
/// box of pseudo-random bytes and a small `moov` box, so it passes the
/// container check of [`crate::blobs::container`]. `len` ≥ 64.
pub fn fake_mp4(len: usize, seed: u64) -> Vec<u8> {
    iso_media(b"isom", b"isomiso2", len, seed)
}

/// A stand-in QuickTime movie as an iPhone writes it (`ftyp` brand `qt  `,
/// `mdat`, `moov`), `len + 24` bytes.
pub fn fake_mov(len: usize, seed: u64) -> Vec<u8> {
    iso_media(b"qt  ", b"qt  qt  ", len, seed)
}

/// A minimal HEIC photo as an iPhone lays it out: `ftyp` (major brand
/// `heic`, compatible `mif1` `MiHE` `miaf` `heic`), a `meta` box with its
/// `hdlr` (`pict`) and a small `mdat`. Its pixels are not a real HEVC
/// stream: no decoder is involved anywhere.
pub fn fake_heic(seed: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut boxed = |kind: &[u8; 4], payload: &[u8]| {
        out.extend_from_slice(&((payload.len() + 8) as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(payload);
    };
    boxed(b"ftyp", b"heic\0\0\0\0mif1MiHEmiafheic");
    // meta is a full box (version/flags) holding hdlr: handler `pict`.
    let mut hdlr = vec![0u8; 8];
    hdlr.extend_from_slice(b"pict");
    hdlr.extend_from_slice(&[0u8; 13]);
    let mut meta = vec![0u8; 4];
    meta.extend_from_slice(&((hdlr.len() + 8) as u32).to_be_bytes());
    meta.extend_from_slice(b"hdlr");
    meta.extend_from_slice(&hdlr);
    boxed(b"meta", &meta);
    boxed(b"mdat", &[seed; 32]);
    out
}

/// A stand-in M4A audio recording (`ftyp` brand `M4A `), `len + 24` bytes.
pub fn fake_m4a(len: usize, seed: u64) -> Vec<u8> {
    iso_media(b"M4A ", b"isomiso2", len, seed)
}

fn iso_media(brand: &[u8; 4], compatible: &[u8; 8], len: usize, seed: u64) -> Vec<u8> {
    const MOOV: usize = 32;
    let len = len.max(MOOV + 32);
    let mut out = Vec::with_capacity(len + 24);
    out.extend_from_slice(&[0, 0, 0, 24]);
    out.extend_from_slice(b"ftyp");
    out.extend_from_slice(brand);
    out.extend_from_slice(b"\0\0\x02\0");
    out.extend_from_slice(compatible);
    let mdat = len - MOOV;
    out.extend_from_slice(&(mdat as u32).to_be_bytes());
    out.extend_from_slice(b"mdat");
    let mut s = seed.wrapping_mul(2).wrapping_add(1);
    while out.len() < 24 + mdat {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        out.extend_from_slice(&s.to_le_bytes());
    }
    out.truncate(24 + mdat);
    out.extend_from_slice(&(MOOV as u32).to_be_bytes());
    out.extend_from_slice(b"moov");
    out.resize(len + 24, 0);
    out
}

/// A signature of one wavy stroke; `seed` varies its shape.
pub fn sample_strokes(seed: f32) -> Strokes {
    Strokes {
        width: 240,
        height: 100,
        strokes: vec![(0..40)
            .map(|i| Point {
                x: 10.0 + i as f32 * 5.0,
                y: 50.0 + (i as f32 * 0.3 + seed).sin() * 20.0,
                t: i * 16,
                pressure: 0.4 + (i % 5) as f32 * 0.1,
            })
            .collect()],
    }
}

/// A server that answers logins of `zhangwei` and `lina` (password
/// `demo1234`) and is unreachable for everything else.
pub struct Offline;

/// The account an [`Offline`] login returns.
pub fn officer_info(username: &str) -> OfficerInfo {
    let (id, name, cred) = match username {
        "lina" => ("acc-lina", "李娜", "冀执0723-2023-0102"),
        _ => ("acc-zhangwei", "张伟", "冀执0723-2023-0101"),
    };
    OfficerInfo {
        id: id.into(),
        username: username.into(),
        name: name.into(),
        post: "科员".into(),
        credential_no: cred.into(),
        unit_id: "u-jiandu".into(),
        unit_name: "执法监督科".into(),
        status: OfficerStatus::Active,
        roles: vec![Role::Officer],
    }
}

fn offline<T>() -> Result<T> {
    Err(DeviceError::Network("离线".into()))
}

impl Transport for Offline {
    fn login(&self, req: &LoginRequest) -> Result<LoginResponse> {
        if req.password != "demo1234" {
            return Err(DeviceError::WrongPassword);
        }
        Ok(LoginResponse {
            token: "t".repeat(64),
            device_id: "dev-1".into(),
            officer: officer_info(&req.username),
            server_public_key: "00".repeat(32),
            protocol: 1,
        })
    }
    fn logout(&self, _: &str) -> Result<()> {
        offline()
    }
    fn check(&self, _: &str, _: &CheckRequest) -> Result<CheckResponse> {
        offline()
    }
    fn snapshots(&self, _: &str, _: &SnapshotRequest) -> Result<SnapshotResponse> {
        offline()
    }
    fn exchange(&self, _: &str, _: &SyncRequest) -> Result<SyncResponse> {
        offline()
    }
    fn upload(
        &self,
        _: &str,
        _: &str,
        _: &Path,
        _: u64,
        _: &crate::sync::Progress<'_>,
    ) -> Result<()> {
        offline()
    }
    fn download(&self, _: &str, _: &str) -> Result<Box<dyn std::io::Read + Send>> {
        offline()
    }
}

/// The `i`-th case of a generated workload: every third a penalty case, the
/// rest inspections from 双随机 tasks, each with a legal-person party.
pub fn sample_case(i: usize, first_record: Option<&str>) -> crate::NewCase {
    use zhifa_core::case::{CaseKind, CaseSource, PartyKind};
    crate::NewCase {
        kind: if i.is_multiple_of(3) {
            CaseKind::Penalty
        } else {
            CaseKind::Inspection
        },
        procedure: None,
        title: format!("第 {i} 号 档案安全检查"),
        source: CaseSource::RandomInspection,
        source_ref: Some(format!("双随机-{i}")),
        party: Some(crate::PartyInput {
            kind: PartyKind::LegalPerson,
            name: format!("康保县第{i}档案馆"),
            id_number: "12130723MB0000001J".into(),
            representative: None,
            address: None,
            phone: None,
        }),
        partners: vec![],
        first_record: first_record.map(str::to_string),
    }
}
