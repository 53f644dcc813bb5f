//! Media commands: attaching photos, audio and video; fetching missing files.

use std::io::Read;
use std::path::Path;

use zhifa_core::media::{self, GeoPoint, MediaRef};

use super::views::*;
use super::{App, Change};
use crate::blobs::{container, exif, sniff_mime, thumb, HEAD_LEN};
use crate::error::{DeviceError, Result};
use crate::store::media::MediaRow;

impl App {
    /// Attaches a photo, audio or video file to an unsealed record: the file
    /// is hashed into the blob store, EXIF time/GPS read, a thumbnail made
    /// (JPEG and PNG photos, turned upright by their EXIF orientation; an
    /// incomplete photo is refused; HEIC/HEIF photos get none, as no HEVC
    /// decoder is on the device), the type told by content (JPEG, PNG,
    /// HEIC/HEIF, MP4, QuickTime, audio), the container structure of
    /// MP4/M4A/MOV/HEIC and WAV files checked (a cut-off recording is refused),
    /// and the reference, media row and upload-queue entry committed together.
    pub fn attach(
        &self,
        case_id: &str,
        record_id: &str,
        path: &Path,
        gps: Option<(f64, f64)>,
    ) -> Result<MediaItem> {
        let mut head = Vec::with_capacity(HEAD_LEN);
        std::fs::File::open(path)
            .and_then(|f| f.take(HEAD_LEN as u64).read_to_end(&mut head))
            .map_err(|e| DeviceError::Io(format!("无法读取文件 {}: {e}", path.display())))?;
        let mime = sniff_mime(path, &head);
        if mime.starts_with("image/") && !media::is_photo_type(&mime) {
            return Err(DeviceError::Invalid(format!(
                "不支持的照片格式 {mime}: 请使用 JPEG、PNG 或 HEIC/HEIF"
            )));
        }
        container::check(path, &mime, &head)?;
        let blobs = self.lock().blobs.clone();
        // The thumbnail (decoding the photo) and the blob (hash, copy,
        // fsync) are independent: made side by side on two cores.
        let (described, stored) = std::thread::scope(|s| {
            let thumb = s.spawn(|| describe(path, &mime));
            let stored = blobs.put_file(path);
            let described = thumb
                .join()
                .unwrap_or_else(|_| Err(DeviceError::Io("缩略图线程异常退出".into())));
            (described, stored)
        });
        let stored = stored?;
        let (thumb_bytes, meta) = match described {
            Ok(d) => d,
            Err(e) => {
                // A refused photo keeps no blob, unless a record already
                // holds the same bytes.
                if self.lock().store.media(&stored.sha256)?.is_none() {
                    let _ = std::fs::remove_file(blobs.path(&stored.sha256));
                }
                return Err(e);
            }
        };
        let thumb_sha = match thumb_bytes {
            Some(b) => Some(blobs.put_bytes(&b)?.sha256),
            None => None,
        };
        let gps = meta.gps.or(gps);
        self.edit(case_id, true, |doc, ctx, media| {
            let captured_at = meta.taken_at.clone().unwrap_or_else(|| ctx.at.clone());
            let m = MediaRef {
                sha256: stored.sha256.clone(),
                mime: mime.clone(),
                size: stored.size,
                captured_at: captured_at.clone(),
                gps: gps.map(|(lat, lon)| GeoPoint { lat, lon }),
                device: ctx.device.clone(),
                officer: ctx.user.clone(),
                record_id: record_id.into(),
            };
            doc.attach_media(&m, &ctx.who())?;
            media.push((
                MediaRow {
                    sha256: m.sha256.clone(),
                    mime: m.mime.clone(),
                    size: m.size,
                    case_id: case_id.into(),
                    record_id: record_id.into(),
                    captured_at: captured_at.clone(),
                    lat: gps.map(|g| g.0),
                    lon: gps.map(|g| g.1),
                    thumb: thumb_sha.clone(),
                    upload: "pending".into(),
                    attempts: 0,
                    last_error: None,
                },
                ctx.at.clone(),
            ));
            Ok(MediaItem {
                sha256: m.sha256,
                mime: m.mime,
                size: m.size,
                record_id: record_id.into(),
                captured_at,
                gps,
                thumb: thumb_sha.clone(),
                present: true,
                upload: super::views::UploadState::Pending,
            })
        })
    }

    /// Media files of a case as stored on the device (with upload state).
    pub fn media(&self, case_id: &str) -> Result<Vec<MediaRow>> {
        self.lock().store.media_list(Some(case_id))
    }

    /// Downloads the media files a case refers to that this device lacks
    /// (each verified against its SHA-256); returns how many were fetched.
    pub fn fetch_media(&self, case_id: &str) -> Result<usize> {
        let (missing, login, blobs) = {
            let mut g = self.lock();
            g.open_doc(case_id)?;
            let expected = g
                .docs
                .get(case_id)
                .map(|d| d.expected_media())
                .transpose()?
                .unwrap_or_default();
            let login = g.login.clone().ok_or(DeviceError::NotLoggedIn)?;
            let missing: Vec<String> = expected.into_iter().filter(|h| !g.blobs.has(h)).collect();
            (missing, login, g.blobs.clone())
        };
        let t = self.transport_for(&login.server)?;
        let mut n = 0;
        for sha in missing {
            let r = t.download(&login.response.token, &sha)?;
            blobs.put_expected(r, &sha)?;
            n += 1;
        }
        if n > 0 {
            self.notify(Change::Case(case_id.to_string()));
        }
        Ok(n)
    }

    /// The path of a blob on this device, if present.
    pub fn blob_path(&self, sha256: &str) -> Option<std::path::PathBuf> {
        let g = self.lock();
        g.blobs.has(sha256).then(|| g.blobs.path(sha256))
    }
}

/// A photo's thumbnail (none for HEIC/HEIF: no HEVC decoder here, kept and
/// sealed without one; none for audio and video) and its EXIF data.
fn describe(path: &Path, mime: &str) -> Result<(Option<Vec<u8>>, exif::PhotoMeta)> {
    if media::is_heif_type(mime) {
        Ok((None, exif::read(path)))
    } else if mime.starts_with("image/") {
        let meta = exif::read(path);
        Ok((Some(thumb::thumbnail(path, mime, meta.orientation)?), meta))
    } else {
        Ok((None, exif::PhotoMeta::default()))
    }
}
