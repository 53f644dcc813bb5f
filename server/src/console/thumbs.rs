//! Thumbnails of photos for the case page: a JPEG at most 480 px wide made
//! once from the stored file and kept beside the media (`thumbs/`), so a
//! page of twenty 10 MB photos loads a few hundred KB.

use std::path::{Path, PathBuf};

use crate::error::{AppError, AppResult};

/// Longest side of a thumbnail, in pixels.
pub const THUMB_MAX: u32 = 480;

/// Where the thumbnail of `sha` is kept.
pub fn thumb_path(media_dir: &Path, sha: &str) -> PathBuf {
    media_dir.join("thumbs").join(format!("{sha}.jpg"))
}

/// The thumbnail of the photo at `source`, made and kept on first use.
pub fn thumbnail(media_dir: &Path, sha: &str, source: &Path) -> AppResult<PathBuf> {
    let dest = thumb_path(media_dir, sha);
    if dest.exists() {
        return Ok(dest);
    }
    let img = image::ImageReader::open(source)
        .and_then(|r| r.with_guessed_format())
        .map_err(AppError::internal)?
        .decode()
        .map_err(|e| AppError::Unprocessable {
            code: "not_an_image",
            message: format!("文件不是可识别的图片: {e}"),
        })?;
    let thumb = img.thumbnail(THUMB_MAX, THUMB_MAX).to_rgb8();
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = dest.with_extension("tmp");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&thumb)
        .map_err(AppError::internal)?;
    drop(out);
    crate::fsperm::private_file(&tmp)?;
    std::fs::rename(&tmp, &dest)?;
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_photo_becomes_a_small_jpeg_once() {
        let dir = tempfile::tempdir().expect("tmp");
        let src = dir.path().join("photo.png");
        image::RgbImage::from_pixel(2000, 1000, image::Rgb([200, 30, 30]))
            .save(&src)
            .expect("png");
        let t = thumbnail(dir.path(), "abc", &src).expect("thumb");
        let small = image::open(&t).expect("open");
        assert_eq!((small.width(), small.height()), (480, 240));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&t).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "thumbnails are owner-only");
        }
        let first = std::fs::metadata(&t)
            .expect("meta")
            .modified()
            .expect("mtime");
        let again = thumbnail(dir.path(), "abc", &src).expect("thumb");
        assert_eq!(
            std::fs::metadata(&again)
                .expect("meta")
                .modified()
                .expect("mtime"),
            first
        );
        assert!(thumbnail(dir.path(), "bad", &dir.path().join("missing")).is_err());
    }
}
