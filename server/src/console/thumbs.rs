//! Thumbnails of photos for the case page: a JPEG at most 480 px wide made
//! once from the stored file and kept beside the media (`thumbs/`), so a
//! page of twenty 10 MB photos loads a few hundred KB. The photo's EXIF
//! orientation is applied, so a phone's portrait photo (landscape pixels,
//! orientation 6) is shown upright.
//!
//! HEIC/HEIF photos (iPhone) cannot be decoded here: the image crate has no
//! HEVC codec and none is linked into the server. They get a neutral
//! placeholder picture instead of an error; the photo itself is served and
//! downloaded unchanged.

use std::path::{Path, PathBuf};

use crate::error::{AppError, AppResult};

/// Longest side of a thumbnail, in pixels.
pub const THUMB_MAX: u32 = 480;

/// Where the thumbnail of `sha` is kept.
pub fn thumb_path(media_dir: &Path, sha: &str) -> PathBuf {
    media_dir.join("thumbs").join(format!("{sha}.jpg"))
}

/// True for HEIC/HEIF photos, which get [`placeholder`] as thumbnail.
pub fn is_heif(mime: &str) -> bool {
    zhifa_core::media::is_heif_type(mime)
}

/// The thumbnail of the photo at `source` (of type `mime`), made and kept
/// on first use, upright by its EXIF orientation; the placeholder for
/// HEIC/HEIF.
pub fn thumbnail(media_dir: &Path, sha: &str, source: &Path, mime: &str) -> AppResult<PathBuf> {
    if is_heif(mime) {
        return placeholder(media_dir);
    }
    let dest = thumb_path(media_dir, sha);
    if dest.exists() {
        return Ok(dest);
    }
    let not_an_image = |e: image::ImageError| AppError::Unprocessable {
        code: "not_an_image",
        message: format!("文件不是可识别的图片: {e}"),
    };
    let mut decoder = image::ImageReader::open(source)
        .and_then(|r| r.with_guessed_format())
        .map_err(AppError::internal)?
        .into_decoder()
        .map_err(not_an_image)?;
    // No EXIF or an unreadable tag: the pixels as stored.
    let orientation = image::ImageDecoder::orientation(&mut decoder)
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let img = image::DynamicImage::from_decoder(decoder).map_err(not_an_image)?;
    let mut thumb = img.thumbnail(THUMB_MAX, THUMB_MAX);
    thumb.apply_orientation(orientation);
    write_jpeg(&dest, &thumb.to_rgb8())?;
    Ok(dest)
}

/// The placeholder shown for a photo the server cannot decode (HEIC/HEIF):
/// a light grey 480×360 picture with a darker frame, made once.
pub fn placeholder(media_dir: &Path) -> AppResult<PathBuf> {
    let dest = media_dir.join("thumbs").join("placeholder-heif.jpg");
    if dest.exists() {
        return Ok(dest);
    }
    let (w, h) = (THUMB_MAX, THUMB_MAX * 3 / 4);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let frame = x < 6 || y < 6 || x >= w - 6 || y >= h - 6;
        if frame {
            image::Rgb([170, 170, 170])
        } else {
            image::Rgb([225, 225, 225])
        }
    });
    write_jpeg(&dest, &img)?;
    Ok(dest)
}

/// Writes a JPEG through a temporary file and a rename.
fn write_jpeg(dest: &Path, thumb: &image::RgbImage) -> AppResult<()> {
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = dest.with_extension("tmp");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(thumb)
        .map_err(AppError::internal)?;
    drop(out);
    crate::fsperm::private_file(&tmp)?;
    std::fs::rename(&tmp, dest)?;
    Ok(())
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
        let t = thumbnail(dir.path(), "abc", &src, "image/png").expect("thumb");
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
        let again = thumbnail(dir.path(), "abc", &src, "image/png").expect("thumb");
        assert_eq!(
            std::fs::metadata(&again)
                .expect("meta")
                .modified()
                .expect("mtime"),
            first
        );
        assert!(thumbnail(dir.path(), "bad", &dir.path().join("missing"), "image/jpeg").is_err());
    }

    /// A JPEG of `w`×`h` stored pixels (left half red, right half blue) with
    /// an APP1 EXIF segment spliced in holding only the orientation tag.
    fn jpeg_with_orientation(w: u32, h: u32, orientation: u16) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, _| {
            if x < w / 2 {
                image::Rgb([220, 20, 20])
            } else {
                image::Rgb([20, 20, 220])
            }
        });
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&img)
            .expect("encode");
        // Big-endian TIFF, IFD0 with one entry: Orientation (0x0112, SHORT).
        let mut tiff =
            b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01".to_vec();
        tiff.extend_from_slice(&orientation.to_be_bytes());
        tiff.extend_from_slice(&[0; 6]);
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
        out.extend_from_slice(b"Exif\0\0");
        out.extend_from_slice(&tiff);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn a_portrait_photo_stored_as_landscape_pixels_is_shown_upright() {
        let dir = tempfile::tempdir().expect("tmp");
        for (orientation, size) in [(6u16, (240, 480)), (8, (240, 480)), (1, (480, 240))] {
            let src = dir.path().join(format!("o{orientation}"));
            std::fs::write(&src, jpeg_with_orientation(1000, 500, orientation)).expect("write");
            let sha = format!("o{orientation}");
            let t = thumbnail(dir.path(), &sha, &src, "image/jpeg").expect("thumb");
            let small = image::open(&t).expect("open").to_rgb8();
            assert_eq!((small.width(), small.height()), size, "{orientation}");
            if orientation == 6 {
                // Turned 90° clockwise: the stored left (red) half is on top.
                let top = small.get_pixel(120, 5);
                assert!(top[0] > 150 && top[2] < 100, "top {top:?}");
            }
        }
    }

    #[test]
    fn a_heic_photo_gets_the_placeholder_not_an_error() {
        let dir = tempfile::tempdir().expect("tmp");
        let src = dir.path().join("photo");
        // An iPhone HEIC's first box; the server never decodes it.
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        std::fs::write(&src, &heic).expect("write");
        for mime in ["image/heic", "image/heif"] {
            let t = thumbnail(dir.path(), "h", &src, mime).expect("placeholder");
            assert_eq!(t, placeholder(dir.path()).expect("placeholder"));
            let img = image::open(&t).expect("jpeg");
            assert_eq!((img.width(), img.height()), (480, 360));
        }
        assert!(
            !thumb_path(dir.path(), "h").exists(),
            "no per-photo thumbnail"
        );
    }
}
