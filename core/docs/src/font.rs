//! The CJK font documents are set in: one face of a TTF/OTF or TTC
//! collection (the Simplified Chinese face of Noto Sans CJK when given the
//! collection), with glyph lookup and advances for line breaking.

use std::sync::Arc;

use skrifa::instance::{LocationRef, Size};
use skrifa::raw::FileRef;
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};

use crate::DocsError;

/// A font face for documents: the bytes (shared) and the face index.
#[derive(Clone)]
pub struct DocFont {
    data: Arc<Vec<u8>>,
    index: u32,
    family: String,
    pdf: krilla::text::Font,
}

impl std::fmt::Debug for DocFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DocFont({} #{})", self.family, self.index)
    }
}

/// A character every document needs: a face without it cannot set Chinese.
const PROBE: char = '执';

impl DocFont {
    /// Reads a font file's bytes (TTF, OTF or TTC). In a collection the
    /// Simplified Chinese face is chosen (a family name ending in `SC` or
    /// `CN`, e.g. "Noto Sans CJK SC"), else the first face that has Chinese
    /// glyphs. Errors when no face can set Chinese.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<DocFont, DocsError> {
        let data = Arc::new(bytes);
        let faces: Vec<FontRef<'_>> = match FileRef::new(&data) {
            Ok(FileRef::Font(f)) => vec![f],
            Ok(FileRef::Collection(c)) => (0..c.len()).filter_map(|i| c.get(i).ok()).collect(),
            Err(e) => return Err(DocsError::Font(format!("无法读取字体文件: {e}"))),
        };
        let family = |f: &FontRef<'_>| {
            f.localized_strings(StringId::FAMILY_NAME)
                .english_or_first()
                .map(|s| s.to_string())
                .unwrap_or_default()
        };
        let chinese = |f: &FontRef<'_>| f.charmap().map(PROBE).is_some();
        let pick = faces
            .iter()
            .position(|f| {
                let n = family(f);
                chinese(f) && (n.ends_with(" SC") || n.ends_with(" CN")) && !n.contains("Mono")
            })
            .or_else(|| faces.iter().position(chinese))
            .ok_or_else(|| DocsError::Font("字体中没有中文字形, 请换用中文字体".into()))?;
        let name = family(&faces[pick]);
        let index = pick as u32;
        let pdf = krilla::text::Font::new(krilla::Data::from(data.clone()), index)
            .ok_or_else(|| DocsError::Font("PDF 无法使用该字体".into()))?;
        Ok(DocFont {
            data,
            index,
            family: name,
            pdf,
        })
    }

    /// The chosen face's family name (e.g. "Noto Sans CJK SC").
    pub fn family(&self) -> &str {
        &self.family
    }

    /// The face index in its file.
    pub fn index(&self) -> u32 {
        self.index
    }

    pub(crate) fn pdf(&self) -> &krilla::text::Font {
        &self.pdf
    }

    /// A measurer over this face.
    pub(crate) fn metrics(&self) -> Result<Metrics<'_>, DocsError> {
        let font = FontRef::from_index(&self.data, self.index)
            .map_err(|e| DocsError::Font(format!("无法读取字体: {e}")))?;
        let upem = font
            .metrics(Size::unscaled(), LocationRef::default())
            .units_per_em as f32;
        Ok(Metrics {
            charmap: font.charmap(),
            glyphs: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            upem: upem.max(1.0),
        })
    }
}

/// Glyph ids and advances (in em) of one face.
pub(crate) struct Metrics<'a> {
    charmap: skrifa::charmap::Charmap<'a>,
    glyphs: skrifa::metrics::GlyphMetrics<'a>,
    upem: f32,
}

impl Metrics<'_> {
    /// The glyph of `c` (0, .notdef, when the face lacks it) and its advance in em.
    pub(crate) fn glyph(&self, c: char) -> (u32, f32) {
        let gid = self.charmap.map(c).unwrap_or_default();
        let adv = self.glyphs.advance_width(gid).unwrap_or(self.upem) / self.upem;
        (gid.to_u32(), adv)
    }

    /// Width of `text` at `size` points.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyph(c).1).sum::<f32>() * size
    }
}

/// Where Linux systems keep a CJK font, most preferred first (Debian's
/// fonts-noto-cjk, Noto CJK elsewhere, WenQuanYi, Droid Sans Fallback).
/// Callers with file access try these in order; this crate reads none.
pub const SYSTEM_FONT_CANDIDATES: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
];
