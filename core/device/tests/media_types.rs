//! Media types told by content: iPhone HEIC photos and QuickTime movies
//! attach with their own types beside JPEG, PNG, MP4 and audio; a photo's
//! EXIF orientation turns its thumbnail upright.

mod common;

use zhifa_device::testdata::{
    fake_heic, fake_m4a, fake_mov, fake_mp4, jpeg_with_exif, jpeg_with_orientation,
};
use zhifa_device::{App, DeviceError, NewCase};

fn case(app: &App) -> (String, String) {
    let c = app
        .new_case(&NewCase::inspection("附件类型"))
        .expect("case");
    (c.case_id, c.record_id.expect("rec"))
}

#[test]
fn files_attach_with_the_type_their_content_has_whatever_their_name() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = common::app(&dir.path().join("home"), "zhangwei");
    let (case, rec) = case(&app);
    let png = {
        let mut b = Vec::new();
        image::RgbImage::from_pixel(40, 30, image::Rgb([1, 2, 3]))
            .write_to(&mut std::io::Cursor::new(&mut b), image::ImageFormat::Png)
            .expect("png");
        b
    };
    // Names lie on purpose: the content decides (an iPhone's IMG_0001.HEIC
    // copied as .jpg, a .mov renamed .mp4, ...).
    let files: Vec<(&str, Vec<u8>, &str)> = vec![
        ("IMG_0001.jpg", fake_heic(1), "image/heic"),
        ("IMG_0002.MOV", fake_mov(4096, 2), "video/quicktime"),
        ("clip.mov", fake_mp4(4096, 3), "video/mp4"),
        ("rec.mp4", fake_m4a(4096, 4), "audio/mp4"),
        ("photo.png", jpeg_with_exif(64, 48, 5, 80), "image/jpeg"),
        ("scan.bin", png, "image/png"),
    ];
    for (name, bytes, want) in files {
        let p = dir.path().join(name);
        std::fs::write(&p, &bytes).expect("write");
        let m = app.attach(&case, &rec, &p, None).expect(name);
        assert_eq!(m.mime, want, "{name}");
        let heif = want == "image/heic";
        let photo = want.starts_with("image/");
        // Thumbnails for decodable photos; HEIC has none (no HEVC decoder).
        assert_eq!(m.thumb.is_some(), photo && !heif, "{name}: {m:?}");
    }
    let view = app.case_view(&case).expect("view");
    let mimes: Vec<&str> = view.media.iter().map(|m| m.mime.as_str()).collect();
    assert!(mimes.contains(&"image/heic") && mimes.contains(&"video/quicktime"));
}

#[test]
fn a_cut_heic_and_unsupported_photo_types_are_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = common::app(&dir.path().join("home"), "zhangwei");
    let (case, rec) = case(&app);
    let heic = fake_heic(7);
    let p = dir.path().join("cut.heic");
    // Cut inside the meta box: the box chain no longer reaches the end.
    std::fs::write(&p, &heic[..40]).expect("write");
    let e = app.attach(&case, &rec, &p, None).expect_err("cut");
    assert!(matches!(e, DeviceError::MediaCorrupt(_)), "{e:?}");
    assert!(e.to_string().contains("不完整"), "{e}");
    // Without its meta box a HEIC photo is not a photo.
    let ftyp_len = u32::from_be_bytes([heic[0], heic[1], heic[2], heic[3]]) as usize;
    let mut no_meta = heic[..ftyp_len].to_vec();
    no_meta.extend_from_slice(&heic[heic.len() - 40..]);
    std::fs::write(&p, &no_meta).expect("write");
    let e = app.attach(&case, &rec, &p, None).expect_err("no meta");
    assert!(e.to_string().contains("meta"), "{e}");
    // A GIF is an image, but not a photo type a record takes.
    let gif = dir.path().join("a.gif");
    std::fs::write(&gif, b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").expect("write");
    let e = app.attach(&case, &rec, &gif, None).expect_err("gif");
    assert!(e.to_string().contains("不支持的照片格式 image/gif"), "{e}");
    assert!(app.case_view(&case).expect("view").media.is_empty());
}

#[test]
fn a_portrait_photo_stored_as_landscape_pixels_gets_an_upright_thumbnail() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = common::app(&dir.path().join("home"), "zhangwei");
    let (case, rec) = case(&app);
    for (orientation, portrait) in [(6u16, true), (8, true), (1, false), (3, false)] {
        let p = dir.path().join(format!("o{orientation}.jpg"));
        std::fs::write(&p, jpeg_with_orientation(640, 320, orientation)).expect("write");
        let m = app.attach(&case, &rec, &p, None).expect("attach");
        let thumb = app
            .blob_path(m.thumb.as_deref().expect("thumb"))
            .expect("thumb file");
        let bytes = std::fs::read(&thumb).expect("read thumb");
        let t = image::load_from_memory(&bytes)
            .expect("thumb decodes")
            .to_rgb8();
        assert_eq!(
            t.height() > t.width(),
            portrait,
            "orientation {orientation}: {}x{}",
            t.width(),
            t.height()
        );
        if orientation == 6 {
            // Turned 90° clockwise: the stored left (red) half is on top.
            let top = t.get_pixel(t.width() / 2, 5);
            let bottom = t.get_pixel(t.width() / 2, t.height() - 5);
            assert!(top[0] > 150 && top[2] < 100, "top {top:?}");
            assert!(bottom[2] > 150 && bottom[0] < 100, "bottom {bottom:?}");
        }
    }
}
