//! One sealed record as its printed form.

use sha2::{Digest, Sha256};
use zhifa_core::case::PartyKind;
use zhifa_core::history::{local_time, record_name};
use zhifa_core::record::{FieldValue, Record};
use zhifa_core::template::{FieldDef, FieldType, SignerRole, TemplateRegistry};

use crate::emit::write_pdf;
use crate::font::{DocFont, Metrics};
use crate::layout::{Layout, Layouts};
use crate::page::{wrap, Flow, Ink, Op, Page, MARGIN_X, PAGE_H, PAGE_W};
use crate::qr::{qr_ops, DocRef};
use crate::strokes::Strokes;
use crate::{DocContext, DocsError, Privacy};

/// Body text size.
const BODY: f32 = 10.5;
/// Width of the label column of a field table.
const LABEL_W: f32 = 118.0;
/// Side of the QR code in the footer.
const QR_SIDE: f32 = 70.0;

/// The PDF of one sealed record of `ctx.case`, as its form: see the crate
/// doc. Errors (in Chinese) when the record does not exist, is not sealed
/// or its seal is broken.
pub fn render_record(
    ctx: &DocContext<'_>,
    font: &DocFont,
    record_id: &str,
) -> Result<Vec<u8>, DocsError> {
    let record = printable(ctx, record_id)?;
    let m = font.metrics()?;
    let pages = layout_record(ctx, &m, record)?;
    let pages = with_footers(ctx, &m, record, pages, None)?;
    write_pdf(font, &record_name(record), &pages)
}

/// The record, if it may be printed: present, sealed, seal intact.
pub(crate) fn printable<'c>(
    ctx: &DocContext<'c>,
    record_id: &str,
) -> Result<&'c Record, DocsError> {
    let r = ctx
        .case
        .record(record_id)
        .ok_or_else(|| DocsError::NoRecord(format!("案件中没有文书 {record_id}")))?;
    if !r.is_sealed() {
        return Err(DocsError::Record(format!(
            "{} 尚未封存, 不能打印 ((二) 第十二条: 封存后签名)",
            record_name(r)
        )));
    }
    if r.seal_broken() {
        return Err(DocsError::Record(format!(
            "{} 封存已破坏, 不能打印",
            record_name(r)
        )));
    }
    Ok(r)
}

/// The QR reference of a sealed record.
pub(crate) fn doc_ref(ctx: &DocContext<'_>, r: &Record) -> DocRef {
    DocRef {
        case_id: ctx.case.header.id.clone(),
        record_id: r.id.clone(),
        digest: r
            .seal
            .as_ref()
            .map(|s| s.digest.clone())
            .unwrap_or_default(),
    }
}

/// Adds the footer to every page: 第 X 页 共 Y 页, the QR code and its
/// caption; `volume` is the first page's number in a 案卷 (then "卷内第 N 页"
/// is printed at the top right).
pub(crate) fn with_footers(
    ctx: &DocContext<'_>,
    m: &Metrics<'_>,
    r: &Record,
    mut pages: Vec<Page>,
    volume: Option<usize>,
) -> Result<Vec<Page>, DocsError> {
    let qr_text = doc_ref(ctx, r).to_text(ctx.check_url);
    let qr = qr_ops(
        &qr_text,
        PAGE_W - MARGIN_X - QR_SIDE,
        PAGE_H - QR_SIDE - 14.0,
        QR_SIDE,
    )?;
    let n = pages.len();
    for (i, p) in pages.iter_mut().enumerate() {
        let label = format!("第 {} 页 共 {} 页", i + 1, n);
        let w = m.width(&label, 9.0);
        p.ops.push(Op::Text {
            x: (PAGE_W - w) / 2.0,
            y: PAGE_H - 40.0,
            size: 9.0,
            text: label,
            ink: Ink::Black,
        });
        p.ops.extend(qr.iter().cloned());
        p.ops.push(Op::Text {
            x: PAGE_W - MARGIN_X - QR_SIDE - 66.0,
            y: PAGE_H - 40.0,
            size: 7.5,
            text: "扫码核验文书".into(),
            ink: Ink::Grey,
        });
        if let Some(v) = volume {
            let t = format!("卷内第 {} 页", v + i);
            let w = m.width(&t, 8.0);
            p.ops.push(Op::Text {
                x: PAGE_W - MARGIN_X - w,
                y: 30.0,
                size: 8.0,
                text: t,
                ink: Ink::Grey,
            });
        }
    }
    Ok(pages)
}

/// A value as printed: dates in local time, money in 元, masked when the
/// privacy asks or the field is marked sensitive for masked readers.
fn value_text(v: &FieldValue, def: &FieldDef, privacy: Privacy) -> String {
    match (def.ty, v) {
        (FieldType::DateTime, FieldValue::Text(s)) => local_time(s),
        (FieldType::Money, FieldValue::Int(n)) => {
            format!("{}.{:02} 元", n / 100, (n % 100).abs())
        }
        (FieldType::QaList, FieldValue::Qa(pairs)) => pairs
            .iter()
            .map(|p| format!("问: {}\n答: {}", p.q, p.a))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => match privacy {
            Privacy::Full => v.display(),
            Privacy::Masked => v.display_for(def),
        },
    }
}

/// The pages of a record's form, without footers.
pub(crate) fn layout_record(
    ctx: &DocContext<'_>,
    m: &Metrics<'_>,
    r: &Record,
) -> Result<Vec<Page>, DocsError> {
    let tpl = TemplateRegistry::builtin()
        .get(&r.template, r.template_version)
        .map_err(|e| DocsError::Record(format!("文书模板无效: {e}")))?;
    let fallback;
    let layout: &Layout = match Layouts::builtin().get(&r.template) {
        Some(l) => l,
        None => {
            fallback = Layout::fallback(tpl);
            &fallback
        }
    };
    let mut f = Flow::new(m);
    f.centred(15.0, ctx.bureau, Ink::Black);
    f.centred(21.0, &layout.title, Ink::Black);
    let sealed_at = r
        .seal
        .as_ref()
        .map(|s| local_time(&s.sealed_at))
        .unwrap_or_default();
    let short = |s: &str| s.chars().take(8).collect::<String>();
    f.paragraph(
        MARGIN_X,
        Flow::width(),
        8.5,
        &format!(
            "案件编号 {}  文书编号 {}  第 {} 版  封存时间 {}",
            short(&ctx.case.header.id),
            short(&r.id),
            r.revision,
            sealed_at
        ),
        Ink::Grey,
    );
    amendment_notes(ctx, &mut f, r);
    f.y += 4.0;

    // The case: 案由, parties, officers with their credentials.
    let mut head: Vec<(String, String)> = vec![("案由".into(), ctx.case.header.title.clone())];
    for p in &ctx.case.parties {
        head.push(("当事人".into(), party_line(p, ctx.privacy)));
    }
    head.push(("执法人员".into(), officers_line(ctx, r)));
    table(&mut f, &head);

    for s in &layout.sections {
        let rows: Vec<(String, String)> = s
            .fields
            .iter()
            .filter_map(|k| tpl.field(k).ok())
            .map(|d| {
                let v = r
                    .fields
                    .get(&d.key)
                    .filter(|v| v.is_filled())
                    .map(|v| field_text(ctx, d, v))
                    .unwrap_or_else(|| "/".into());
                (d.label.clone(), v)
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        f.y += 6.0;
        f.need(40.0);
        f.text_at(MARGIN_X, f.y + 12.0, 12.0, &s.heading, Ink::Black);
        f.y += 18.0;
        if rows.len() == 1
            && tpl
                .field(&s.fields[0])
                .is_ok_and(|d| d.ty == FieldType::LongText || d.ty == FieldType::QaList)
        {
            f.rule(0.6);
            f.y += 4.0;
            f.paragraph(
                MARGIN_X + 4.0,
                Flow::width() - 8.0,
                BODY,
                &rows[0].1,
                Ink::Black,
            );
        } else {
            table(&mut f, &rows);
        }
    }
    if !r.media.is_empty() {
        f.y += 6.0;
        let list = r
            .media
            .iter()
            .map(|h| {
                let kind = ctx
                    .case
                    .media
                    .get(h)
                    .map(|m| m.mime.as_str())
                    .unwrap_or("文件");
                format!("{kind} SHA-256 {}", &h[..h.len().min(16)])
            })
            .collect::<Vec<_>>()
            .join("; ");
        f.paragraph(
            MARGIN_X,
            Flow::width(),
            8.5,
            &format!("附件 {} 个: {list}", r.media.len()),
            Ink::Grey,
        );
    }
    signatures(ctx, &mut f, layout, r);
    if let Some(seal) = &r.seal {
        f.y += 6.0;
        f.paragraph(
            MARGIN_X,
            Flow::width(),
            7.5,
            &format!("封存数字摘要 (SHA-256): {}", seal.digest),
            Ink::Grey,
        );
    }
    Ok(f.pages)
}

/// Officers named in a value (account ids) become names with 执法证号.
fn field_text(ctx: &DocContext<'_>, d: &FieldDef, v: &FieldValue) -> String {
    if d.holds_officers() {
        if let Some(ids) = v.as_list() {
            return zhifa_core::history::officer_names(ctx.case, ids);
        }
    }
    value_text(v, d, ctx.privacy)
}

fn party_line(p: &zhifa_core::case::Party, privacy: Privacy) -> String {
    let natural = p.kind == PartyKind::NaturalPerson;
    let id = match privacy {
        Privacy::Full => p.id_number.clone(),
        Privacy::Masked => p.display_id_number(),
    };
    let id_label = if natural {
        "身份证号"
    } else {
        "统一社会信用代码"
    };
    let mut s = format!("{} ({}), {id_label} {id}", p.name, p.kind.label());
    if let Some(rep) = p.representative.as_deref().filter(|s| !s.is_empty()) {
        s.push_str(&format!(", 法定代表人/负责人 {rep}"));
    }
    if let Some(a) = p.address.as_deref().filter(|s| !s.is_empty()) {
        let a = match (privacy, natural) {
            (Privacy::Masked, true) => zhifa_core::mask::mask_address(a),
            _ => a.to_string(),
        };
        s.push_str(&format!(", 地址 {a}"));
    }
    if let Some(ph) = p.phone.as_deref().filter(|s| !s.is_empty()) {
        let ph = match privacy {
            Privacy::Masked => zhifa_core::mask::mask_phone(ph),
            Privacy::Full => ph.to_string(),
        };
        s.push_str(&format!(", 电话 {ph}"));
    }
    s
}

/// The officers of the record (its 在场执法人员 when it has them, else the
/// case's) with their 执法证号 (行政处罚法 第五十五条).
fn officers_line(ctx: &DocContext<'_>, r: &Record) -> String {
    let present: Option<&[String]> = r.fields.get("officers_present").and_then(|v| v.as_list());
    ctx.case
        .officers
        .iter()
        .filter(|o| present.is_none_or(|ids| ids.contains(&o.id)))
        .map(|o| format!("{} (执法证号 {})", o.name, o.credential_no))
        .collect::<Vec<_>>()
        .join("、")
}

/// Amendment notes: this record corrects an earlier one, or a later one
/// corrects it.
fn amendment_notes(ctx: &DocContext<'_>, f: &mut Flow<'_>, r: &Record) {
    if let Some(old) = r.amends.as_deref() {
        let name = ctx
            .case
            .record(old)
            .map(record_name)
            .unwrap_or_else(|| old.to_string());
        f.paragraph(
            MARGIN_X,
            Flow::width(),
            BODY,
            &format!(
                "【修订】本文书为第 {} 版, 修订 {name}; 修订理由: {}",
                r.revision,
                r.amend_reason.as_deref().unwrap_or("")
            ),
            Ink::Red,
        );
    }
    if ctx.case.is_superseded(r) {
        let by = r
            .superseded_by
            .as_deref()
            .and_then(|id| ctx.case.record(id))
            .map(record_name)
            .unwrap_or_default();
        f.paragraph(
            MARGIN_X,
            Flow::width(),
            BODY + 1.5,
            &format!("【已被修订】本文书已被 {by} 取代, 以修订版为准"),
            Ink::Red,
        );
    }
}

/// A two-column table of label and value rows, each row a box; a row that
/// does not fit moves to the next page.
fn table(f: &mut Flow<'_>, rows: &[(String, String)]) {
    let lh = BODY * 1.55;
    let vw = Flow::width() - LABEL_W - 10.0;
    for (label, value) in rows {
        let lines = wrap(f.m, value, BODY, vw);
        let llines = wrap(f.m, label, BODY, LABEL_W - 10.0);
        let n = lines.len().max(llines.len()).max(1);
        let mut at = 0;
        // A row taller than a page is split over pages.
        while at < n {
            let room = ((Flow::bottom() - f.y - 8.0) / lh).floor().max(0.0) as usize;
            if room == 0 {
                f.new_page();
                continue;
            }
            let take = room.min(n - at);
            let h = take as f32 * lh + 8.0;
            let top = f.y;
            f.push(Op::Rect {
                x: MARGIN_X,
                y: top,
                w: LABEL_W,
                h,
                width: 0.6,
            });
            f.push(Op::Rect {
                x: MARGIN_X + LABEL_W,
                y: top,
                w: Flow::width() - LABEL_W,
                h,
                width: 0.6,
            });
            for (i, l) in llines.iter().enumerate().skip(at).take(take) {
                let y = top + 4.0 + (i - at) as f32 * lh + BODY;
                f.text_at(MARGIN_X + 5.0, y, BODY, l, Ink::Black);
            }
            for (i, l) in lines.iter().enumerate().skip(at).take(take) {
                let y = top + 4.0 + (i - at) as f32 * lh + BODY;
                f.text_at(MARGIN_X + LABEL_W + 5.0, y, BODY, l, Ink::Black);
            }
            f.y = top + h;
            at += take;
        }
    }
}

/// Bytes of a strokes file, if at hand and really the file the seal names.
fn strokes_of(ctx: &DocContext<'_>, hash: &str) -> Option<Strokes> {
    let bytes = (ctx.media)(hash)?;
    let actual = Sha256::digest(&bytes);
    let hex: String = actual.iter().map(|b| format!("{b:02x}")).collect();
    (hex == hash).then(|| Strokes::parse(&bytes)).flatten()
}

/// Signature boxes of the layout, filled with the signatures of the seal
/// (strokes as vector paths, name, time), refusals with their witness.
fn signatures(ctx: &DocContext<'_>, f: &mut Flow<'_>, layout: &Layout, r: &Record) {
    let Some(seal) = &r.seal else { return };
    const BOX_W: f32 = 150.0;
    const BOX_H: f32 = 58.0;
    const CAP: f32 = 24.0;
    f.y += 10.0;
    f.need(30.0);
    f.text_at(MARGIN_X, f.y + 12.0, 12.0, "签名", Ink::Black);
    f.y += 18.0;
    let per_row = ((Flow::width() - 80.0) / (BOX_W + 8.0)).floor().max(1.0) as usize;
    for group in &layout.signatures {
        let signed: Vec<_> = seal
            .signatures
            .iter()
            .filter(|s| s.role == group.role)
            .collect();
        let refused: Vec<_> = seal
            .refusals
            .iter()
            .filter(|s| s.role == group.role)
            .collect();
        let boxes = signed
            .len()
            .max((group.boxes as usize).saturating_sub(refused.len()));
        let rows = boxes.div_ceil(per_row).max(usize::from(refused.is_empty()));
        for row in 0..rows {
            f.need(BOX_H + CAP + 6.0);
            let top = f.y;
            if row == 0 {
                f.text_at(MARGIN_X, top + 14.0, BODY, &group.label, Ink::Black);
            }
            for col in 0..per_row {
                let i = row * per_row + col;
                if i >= boxes {
                    break;
                }
                let x = MARGIN_X + 80.0 + col as f32 * (BOX_W + 8.0);
                f.push(Op::Rect {
                    x,
                    y: top,
                    w: BOX_W,
                    h: BOX_H,
                    width: 0.5,
                });
                if let Some(s) = signed.get(i) {
                    match s.strokes.as_deref().and_then(|h| strokes_of(ctx, h)) {
                        Some(st) => {
                            for op in st.ops(x + 4.0, top + 4.0, BOX_W - 8.0, BOX_H - 8.0) {
                                f.push(op);
                            }
                        }
                        None if s.strokes.is_some() => {
                            f.text_at(
                                x + 6.0,
                                top + 32.0,
                                8.0,
                                "(笔迹文件未到, 以电子签名为准)",
                                Ink::Grey,
                            );
                        }
                        None => f.text_at(
                            x + 6.0,
                            top + 32.0,
                            8.0,
                            "(电子签名, 无手写笔迹)",
                            Ink::Grey,
                        ),
                    }
                    let who = signer_name(ctx, s.role, &s.signer_id, &s.signer_name);
                    f.text_at(x, top + BOX_H + 10.0, 8.5, &who, Ink::Black);
                    f.text_at(x, top + BOX_H + 20.0, 7.5, &local_time(&s.at), Ink::Grey);
                }
            }
            f.y = top + BOX_H + CAP;
        }
        for rf in refused {
            f.need(BODY * 3.2);
            let text = format!(
                "{}: {} 拒绝签名, 理由: {}; 见证人: {}; 记录人: {}; 时间: {} ((二) 第十二条)",
                group.label,
                rf.person_name,
                rf.reason,
                rf.witness_name,
                signer_name(ctx, SignerRole::Officer, &rf.recorded_by, &rf.recorded_by),
                local_time(&rf.at)
            );
            f.paragraph(MARGIN_X, Flow::width(), BODY, &text, Ink::Red);
            f.y += 4.0;
        }
    }
}

/// A signer as printed: an officer with the 执法证号, else the name signed.
fn signer_name(ctx: &DocContext<'_>, role: SignerRole, id: &str, name: &str) -> String {
    match ctx.case.officer(id) {
        Some(o) if role == SignerRole::Officer => {
            format!("{} 执法证号 {}", o.name, o.credential_no)
        }
        Some(o) => o.name.clone(),
        None => name.to_string(),
    }
}
