//! Photo checks and thumbnails (image crate, JPEG and PNG only), turned
//! upright by the photo's EXIF orientation.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use image::metadata::Orientation;
use image::ImageFormat;

use crate::error::{DeviceError, Result};

/// Longest side of a thumbnail, in pixels.
pub const THUMB_SIZE: u32 = 320;

/// Checks that a JPEG is complete: its end-of-image marker is present near
/// the end of the file (a truncated upload or copy loses it).
pub fn check_jpeg_complete(path: &Path) -> Result<()> {
    let mut f = File::open(path)?;
    let len = f.metadata()?.len();
    let tail = len.min(4096);
    f.seek(SeekFrom::Start(len - tail))?;
    let mut buf = Vec::with_capacity(tail as usize);
    f.read_to_end(&mut buf)?;
    if buf.windows(2).any(|w| w == [0xFF, 0xD9]) {
        Ok(())
    } else {
        Err(DeviceError::MediaCorrupt(
            "照片文件不完整 (缺少 JPEG 结束标记), 可能已被截断, 请重新拍摄或重新导入".into(),
        ))
    }
}

/// Decodes a photo and encodes a JPEG thumbnail; an undecodable photo is an
/// error ([`DeviceError::MediaCorrupt`]). JPEGs are decoded at reduced scale
/// (IDCT scaling, jpeg-decoder): every entropy-coded block is still read, so
/// damage is still found, at a fraction of the cost of a full decode.
/// `orientation` is the photo's EXIF orientation (1–8, see
/// [`super::exif::PhotoMeta`]): the thumbnail is rotated/flipped upright.
pub fn thumbnail(path: &Path, mime: &str, orientation: Option<u32>) -> Result<Vec<u8>> {
    let img = match mime {
        "image/jpeg" => {
            check_jpeg_complete(path)?;
            decode_jpeg_scaled(path)?
        }
        "image/png" => {
            let f = std::io::BufReader::with_capacity(1 << 20, File::open(path)?);
            image::load(f, ImageFormat::Png)
                .map_err(|e| DeviceError::MediaCorrupt(format!("照片无法解码: {e}")))?
        }
        other => return Err(DeviceError::Invalid(format!("不支持为 {other} 生成缩略图"))),
    };
    let mut small = img.thumbnail(THUMB_SIZE, THUMB_SIZE);
    if let Some(o) = orientation
        .and_then(|o| u8::try_from(o).ok())
        .and_then(Orientation::from_exif)
    {
        small.apply_orientation(o);
    }
    let small = small.to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&small)
        .map_err(|e| DeviceError::Io(format!("缩略图编码失败: {e}")))?;
    Ok(out)
}

/// Decodes a JPEG at the smallest IDCT scale (1/8 … 1) still at least
/// [`THUMB_SIZE`] on one side.
fn decode_jpeg_scaled(path: &Path) -> Result<image::DynamicImage> {
    use jpeg_decoder::PixelFormat;
    let bad = |e: String| DeviceError::MediaCorrupt(format!("照片无法解码: {e}"));
    let f = std::io::BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut dec = jpeg_decoder::Decoder::new(f);
    let side = THUMB_SIZE as u16;
    dec.scale(side, side).map_err(|e| bad(e.to_string()))?;
    let pixels = dec.decode().map_err(|e| bad(e.to_string()))?;
    let info = dec.info().ok_or_else(|| bad("缺少图像信息".into()))?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    let rgb: Vec<u8> = match info.pixel_format {
        PixelFormat::RGB24 => pixels,
        PixelFormat::L8 => pixels.iter().flat_map(|&l| [l, l, l]).collect(),
        PixelFormat::L16 => pixels
            .chunks_exact(2)
            .flat_map(|c| [c[0], c[0], c[0]])
            .collect(),
        PixelFormat::CMYK32 => pixels
            .chunks_exact(4)
            .flat_map(|c| {
                let k = u16::from(255 - c[3]);
                let ch = |v: u8| ((u16::from(255 - v) * k) / 255) as u8;
                [ch(c[0]), ch(c[1]), ch(c[2])]
            })
            .collect(),
    };
    image::RgbImage::from_raw(w, h, rgb)
        .map(image::DynamicImage::ImageRgb8)
        .ok_or_else(|| bad("像素数据长度不符".into()))
}
