//! Photo checks and thumbnails (image crate, JPEG and PNG only).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

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
/// error ([`DeviceError::MediaCorrupt`]).
pub fn thumbnail(path: &Path, mime: &str) -> Result<Vec<u8>> {
    let format = match mime {
        "image/jpeg" => {
            check_jpeg_complete(path)?;
            ImageFormat::Jpeg
        }
        "image/png" => ImageFormat::Png,
        other => return Err(DeviceError::Invalid(format!("不支持为 {other} 生成缩略图"))),
    };
    let f = std::io::BufReader::with_capacity(1 << 20, File::open(path)?);
    let img = image::load(f, format)
        .map_err(|e| DeviceError::MediaCorrupt(format!("照片无法解码: {e}")))?;
    let small = img.thumbnail(THUMB_SIZE, THUMB_SIZE).to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&small)
        .map_err(|e| DeviceError::Io(format!("缩略图编码失败: {e}")))?;
    Ok(out)
}
