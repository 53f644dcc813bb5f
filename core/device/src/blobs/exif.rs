//! Capture time, GPS position and orientation from a photo's EXIF
//! (kamadak-exif: JPEG, PNG, HEIF/HEIC).

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use exif::{In, Reader, Tag, Value};

/// What EXIF says about a photo.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhotoMeta {
    /// Capture time, RFC 3339 (the camera's offset, else +08:00).
    pub taken_at: Option<String>,
    /// Latitude, longitude (WGS-84 degrees).
    pub gps: Option<(f64, f64)>,
    /// EXIF orientation (1–8: how to turn the stored pixels upright; a
    /// phone held upright stores landscape pixels with 6).
    pub orientation: Option<u32>,
}

/// Reads EXIF; a file without EXIF gives an empty result, never an error.
pub fn read(path: &Path) -> PhotoMeta {
    let Ok(f) = File::open(path) else {
        return PhotoMeta::default();
    };
    let Ok(exif) = Reader::new().read_from_container(&mut BufReader::new(f)) else {
        return PhotoMeta::default();
    };
    let taken_at = [Tag::DateTimeOriginal, Tag::DateTime]
        .iter()
        .find_map(|t| exif.get_field(*t, In::PRIMARY))
        .and_then(|f| match &f.value {
            Value::Ascii(v) => v.first().and_then(|b| exif::DateTime::from_ascii(b).ok()),
            _ => None,
        })
        .and_then(|d| {
            let off = d.offset.map(i32::from).unwrap_or(8 * 60);
            let sign = if off < 0 { '-' } else { '+' };
            let s = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
                d.year,
                d.month,
                d.day,
                d.hour,
                d.minute,
                d.second,
                off.abs() / 60,
                off.abs() % 60
            );
            chrono::DateTime::parse_from_rfc3339(&s).ok().map(|_| s)
        });
    let coord = |tag: Tag, reference: Tag, negative: u8| -> Option<f64> {
        let f = exif.get_field(tag, In::PRIMARY)?;
        let v = match &f.value {
            Value::Rational(r) if r.len() >= 3 => {
                r[0].to_f64() + r[1].to_f64() / 60.0 + r[2].to_f64() / 3600.0
            }
            _ => return None,
        };
        let neg = exif
            .get_field(reference, In::PRIMARY)
            .and_then(|f| match &f.value {
                Value::Ascii(a) => a.first().and_then(|s| s.first()).copied(),
                _ => None,
            })
            == Some(negative);
        v.is_finite().then_some(if neg { -v } else { v })
    };
    let gps = match (
        coord(Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S'),
        coord(Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W'),
    ) {
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
        {
            Some((lat, lon))
        }
        _ => None,
    };
    let orientation = exif
        .get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .filter(|o| (1..=8).contains(o));
    PhotoMeta {
        taken_at,
        gps,
        orientation,
    }
}
