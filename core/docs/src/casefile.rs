//! The 案卷 (case file) for the archive: one PDF with a cover, the 卷内目录,
//! every current sealed document as its form, the media list and the
//! history in words ((二) 第二十二条: 归档).

use zhifa_core::history::{history, local_time, record_name};
use zhifa_core::record::Record;

use crate::emit::write_pdf;
use crate::font::{DocFont, Metrics};
use crate::page::{Flow, Ink, Op, Page, MARGIN_X, PAGE_H, PAGE_W};
use crate::record::{layout_record, with_footers};
use crate::{DocContext, DocsError, Privacy};

/// The 案卷 of `ctx.case` as one PDF.
///
/// Inputs (all in [`DocContext`]):
/// - `case`: the case as read from its document (`CaseDoc::case`); every
///   record that is sealed, intact and not superseded by an amendment is a
///   document of the file, ordered by seal time; superseded revisions and
///   unsealed drafts are left out (the 目录 says how many).
/// - `bureau`: the name printed on the cover and every form's header.
/// - `media`: bytes of a media file by SHA-256, used only for signature
///   strokes files (a few KB each); photos and videos are listed, not
///   embedded. Return `None` for a file not at hand: the signature then
///   prints as "笔迹文件未到".
/// - `check_url`: the portal's check page for the QR codes (or `None`).
/// - `privacy`: [`Privacy::Full`] for the archive's own copy.
/// - `account_name`: names of office accounts for the history.
///
/// Output: cover page, 卷内目录 (序号, 文书名称, 封存日期, 起始页号), each
/// document's pages (its own "第 X 页 共 Y 页" and QR code, plus "卷内第 N
/// 页"), the 媒体文件清单 (type, SHA-256, size, capture time, place, officer)
/// and the 案件历史 (`zhifa_core::history`). Errors only when the font or
/// the PDF writer fails.
pub fn render_case_file(ctx: &DocContext<'_>, font: &DocFont) -> Result<Vec<u8>, DocsError> {
    let m = font.metrics()?;
    let mut docs: Vec<&Record> = ctx
        .case
        .records
        .iter()
        .filter(|r| r.is_sealed() && !r.seal_broken() && !ctx.case.is_superseded(r))
        .collect();
    docs.sort_by(|a, b| {
        let at = |r: &Record| {
            r.seal
                .as_ref()
                .map(|s| s.sealed_at.clone())
                .unwrap_or_default()
        };
        at(a).cmp(&at(b)).then(a.created_at.cmp(&b.created_at))
    });
    let left_out = ctx.case.records.len() - docs.len();

    let mut bodies = Vec::with_capacity(docs.len());
    for r in &docs {
        bodies.push(layout_record(ctx, &m, r)?);
    }
    let (appendix, history_at) = appendix(ctx, &m);

    // The 目录's own length does not depend on its page numbers.
    let toc_len = toc(&m, &docs, &bodies, 0, history_at, left_out).len();
    let first = 1 + toc_len + 1;
    let mut pages = vec![cover(ctx, &m)];
    pages.extend(toc(&m, &docs, &bodies, first, history_at, left_out));
    let mut at = first;
    for (r, body) in docs.iter().zip(bodies) {
        let n = body.len();
        pages.extend(with_footers(ctx, &m, r, body, Some(at))?);
        at += n;
    }
    let total = pages.len() + appendix.len();
    pages.extend(appendix);
    for (i, p) in pages.iter_mut().enumerate() {
        let t = format!("案卷第 {} 页 共 {} 页", i + 1, total);
        let w = m.width(&t, 8.0);
        p.ops.push(Op::Text {
            x: PAGE_W - MARGIN_X - w,
            y: PAGE_H - 20.0,
            size: 8.0,
            text: t,
            ink: Ink::Grey,
        });
    }
    write_pdf(font, &format!("案卷: {}", ctx.case.header.title), &pages)
}

fn cover(ctx: &DocContext<'_>, m: &Metrics<'_>) -> Page {
    let mut f = Flow::new(m);
    f.y = 150.0;
    f.centred(18.0, ctx.bureau, Ink::Black);
    f.y += 20.0;
    f.centred(30.0, "行政执法案卷", Ink::Black);
    f.y += 40.0;
    let h = &ctx.case.header;
    let parties = ctx
        .case
        .parties
        .iter()
        .map(|p| p.name.clone())
        .collect::<Vec<_>>()
        .join("、");
    let officers = ctx
        .case
        .officers
        .iter()
        .map(|o| format!("{} ({})", o.name, o.credential_no))
        .collect::<Vec<_>>()
        .join("、");
    for (k, v) in [
        ("案由", h.title.clone()),
        ("案件编号", h.id.clone()),
        ("案件类型", h.kind.label().to_string()),
        ("案件来源", h.source.label().to_string()),
        ("当事人", parties),
        ("承办单位", h.unit.clone()),
        ("执法人员", officers),
        ("立案时间", local_time(&h.created_at)),
        ("当前阶段", h.stage.label().to_string()),
    ] {
        f.text_at(MARGIN_X + 40.0, f.y + 12.0, 12.0, k, Ink::Black);
        let x = MARGIN_X + 130.0;
        f.paragraph(x, PAGE_W - MARGIN_X - 40.0 - x, 12.0, &v, Ink::Black);
        f.y += 6.0;
    }
    f.pages.into_iter().next().unwrap_or_default()
}

/// The 卷内目录; `first` is the page the first document starts on (0 while
/// only counting pages); the history starts `history_at` pages after the
/// media list.
fn toc(
    m: &Metrics<'_>,
    docs: &[&Record],
    bodies: &[Vec<Page>],
    first: usize,
    history_at: usize,
    left_out: usize,
) -> Vec<Page> {
    let mut f = Flow::new(m);
    f.centred(18.0, "卷内目录", Ink::Black);
    let cols = [
        MARGIN_X,
        MARGIN_X + 40.0,
        MARGIN_X + 300.0,
        MARGIN_X + 410.0,
    ];
    let row = |f: &mut Flow<'_>, cells: [&str; 4]| {
        f.need(20.0);
        for (x, c) in cols.iter().zip(cells) {
            f.text_at(*x + 4.0, f.y + 13.0, 10.5, c, Ink::Black);
        }
        f.y += 19.0;
        f.rule(0.4);
    };
    f.rule(0.8);
    row(&mut f, ["序号", "文书名称", "封存日期", "页号"]);
    let mut page = first;
    for (i, (r, body)) in docs.iter().zip(bodies).enumerate() {
        let name = crate::layout::Layouts::builtin()
            .get(&r.template)
            .map(|l| l.title.clone())
            .unwrap_or_else(|| record_name(r));
        let name = if r.revision > 1 {
            format!("{name} (第 {} 版)", r.revision)
        } else {
            name
        };
        let date = r
            .seal
            .as_ref()
            .map(|s| {
                local_time(&s.sealed_at)
                    .chars()
                    .take(10)
                    .collect::<String>()
            })
            .unwrap_or_default();
        let pages = if first == 0 {
            String::new()
        } else if body.len() > 1 {
            format!("{}-{}", page, page + body.len() - 1)
        } else {
            page.to_string()
        };
        row(&mut f, [&(i + 1).to_string(), &name, &date, &pages]);
        page += body.len();
    }
    let n = docs.len();
    let (media, history) = if first == 0 {
        (String::new(), String::new())
    } else {
        (page.to_string(), (page + history_at).to_string())
    };
    row(&mut f, [&(n + 1).to_string(), "媒体文件清单", "", &media]);
    row(&mut f, [&(n + 2).to_string(), "案件历史记录", "", &history]);
    if left_out > 0 {
        f.y += 8.0;
        f.paragraph(
            MARGIN_X,
            Flow::width(),
            9.0,
            &format!("另有 {left_out} 份文书未入卷 (已被修订的旧版或未封存的草稿)"),
            Ink::Grey,
        );
    }
    f.pages
}

/// The media list and the history in words, and the page (counted from
/// the list's first) the history starts on.
fn appendix(ctx: &DocContext<'_>, m: &Metrics<'_>) -> (Vec<Page>, usize) {
    let mut f = Flow::new(m);
    f.centred(16.0, "媒体文件清单", Ink::Black);
    if ctx.case.media.is_empty() {
        f.paragraph(MARGIN_X, Flow::width(), 10.5, "本案无媒体文件", Ink::Black);
    }
    for (i, (hash, media)) in ctx.case.media.iter().enumerate() {
        let place = media
            .gps
            .map(|g| format!("{:.5}, {:.5}", g.lat, g.lon))
            .unwrap_or_else(|| "无定位".into());
        let who = ctx
            .case
            .officer(&media.officer)
            .map(|o| o.name.clone())
            .or_else(|| (ctx.account_name)(&media.officer))
            .unwrap_or_else(|| media.officer.clone());
        let record = ctx
            .case
            .record(&media.record_id)
            .map(record_name)
            .unwrap_or_default();
        let text = format!(
            "{}. {} {} 字节, 拍摄/采集时间 {}, 地点 {place}, 采集人 {who}, 所属文书 {record}\n   SHA-256 {hash}",
            i + 1,
            media.mime,
            media.size,
            local_time(&media.captured_at)
        );
        f.paragraph(MARGIN_X, Flow::width(), 9.0, &text, Ink::Black);
        f.y += 3.0;
    }
    f.y += 16.0;
    f.need(60.0);
    f.centred(16.0, "案件历史记录", Ink::Black);
    let history_at = f.pages.len() - 1;
    for line in history(ctx.case, ctx.account_name) {
        let text = match ctx.privacy {
            Privacy::Full => line.text,
            Privacy::Masked => zhifa_core::mask::mask_text(&line.text),
        };
        f.paragraph(MARGIN_X, Flow::width(), 9.0, &text, Ink::Black);
    }
    (f.pages, history_at)
}
