//! Writes laid-out pages as PDF with krilla: text as glyphs of the one
//! embedded (subset) CJK font, rules, boxes, QR modules and handwriting as
//! vector paths.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, LineCap, LineJoin, Paint, Stroke};
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::Document;

use crate::font::{DocFont, Metrics};
use crate::page::{Ink, Op, Page, PAGE_H, PAGE_W};
use crate::DocsError;

fn paint(ink: Ink) -> Paint {
    match ink {
        Ink::Black => rgb::Color::new(0, 0, 0).into(),
        Ink::Grey => rgb::Color::new(110, 110, 110).into(),
        Ink::Red => rgb::Color::new(200, 20, 20).into(),
        Ink::Pen => rgb::Color::new(20, 30, 90).into(),
    }
}

fn fill(ink: Ink) -> Fill {
    Fill {
        paint: paint(ink),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke(ink: Ink, width: f32, round: bool) -> Stroke {
    Stroke {
        paint: paint(ink),
        width,
        line_cap: if round { LineCap::Round } else { LineCap::Butt },
        line_join: if round {
            LineJoin::Round
        } else {
            LineJoin::Miter
        },
        ..Stroke::default()
    }
}

/// The PDF of `pages`, titled `title`.
pub(crate) fn write_pdf(font: &DocFont, title: &str, pages: &[Page]) -> Result<Vec<u8>, DocsError> {
    let m = font.metrics()?;
    let mut doc = Document::new();
    doc.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title.to_string())
            .language("zh-CN".into())
            .creator("zhifa-docs".into()),
    );
    let settings =
        || PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(DocsError::Pdf("页面尺寸无效".into()));
    for p in pages {
        let mut page = doc.start_page_with(settings()?);
        let mut s = page.surface();
        for op in &p.ops {
            draw(&mut s, font, &m, op);
        }
        s.finish();
        page.finish();
    }
    doc.finish()
        .map_err(|e| DocsError::Pdf(format!("PDF 生成失败: {e:?}")))
}

fn draw(s: &mut krilla::surface::Surface<'_>, font: &DocFont, m: &Metrics<'_>, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            size,
            text,
            ink,
        } => {
            if text.is_empty() {
                return;
            }
            let glyphs: Vec<KrillaGlyph> = text
                .char_indices()
                .map(|(i, c)| {
                    let (gid, adv) = m.glyph(c);
                    KrillaGlyph::new(
                        GlyphId::new(gid),
                        adv,
                        0.0,
                        0.0,
                        0.0,
                        i..i + c.len_utf8(),
                        None,
                    )
                })
                .collect();
            s.set_stroke(None);
            s.set_fill(Some(fill(*ink)));
            s.draw_glyphs(
                Point::from_xy(*x, *y),
                &glyphs,
                font.pdf().clone(),
                text,
                *size,
                false,
            );
        }
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            ink,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x1, *y1);
            pb.line_to(*x2, *y2);
            if let Some(path) = pb.finish() {
                s.set_fill(None);
                s.set_stroke(Some(stroke(*ink, *width, false)));
                s.draw_path(&path);
            }
        }
        Op::Rect { x, y, w, h, width } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x, *y);
            pb.line_to(x + w, *y);
            pb.line_to(x + w, y + h);
            pb.line_to(*x, y + h);
            pb.close();
            if let Some(path) = pb.finish() {
                s.set_fill(None);
                s.set_stroke(Some(stroke(Ink::Black, *width, false)));
                s.draw_path(&path);
            }
        }
        Op::Fill { x, y, w, h } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x, *y);
            pb.line_to(x + w, *y);
            pb.line_to(x + w, y + h);
            pb.line_to(*x, y + h);
            pb.close();
            if let Some(path) = pb.finish() {
                s.set_stroke(None);
                s.set_fill(Some(fill(Ink::Black)));
                s.draw_path(&path);
            }
        }
        Op::Pen { points, width } => {
            let Some(first) = points.first() else { return };
            let mut pb = PathBuilder::new();
            pb.move_to(first.0, first.1);
            if points.len() == 1 {
                pb.line_to(first.0 + 0.01, first.1);
            }
            for p in &points[1..] {
                pb.line_to(p.0, p.1);
            }
            if let Some(path) = pb.finish() {
                s.set_fill(None);
                s.set_stroke(Some(stroke(Ink::Pen, *width, true)));
                s.draw_path(&path);
            }
        }
    }
}
