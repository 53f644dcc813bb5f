//! Length limits of free text outside the templates (party and case-header
//! fields, officer data, event details, reasons, signer names). Template
//! fields carry their own limits ([`crate::template::FieldDef::max_chars`]).
//! Lengths count characters, not bytes.

use crate::case::{CaseHeader, Officer, Party};
use crate::error::{CoreError, Result};

/// Ids and numbers: case/record/party ids, 身份证号, 执法证号, phone, accounts.
pub const ID_MAX: usize = 64;
/// Names of people and organisations (当事人, 签名人, 见证人, 执法人员).
pub const NAME_MAX: usize = 100;
/// Short descriptive texts: case title, unit, post, address, measures.
pub const SHORT_TEXT_MAX: usize = 200;
/// Reasons: refusal to sign, amendment.
pub const REASON_MAX: usize = 1_000;
/// The detail of a history event.
pub const EVENT_DETAIL_MAX: usize = 2_000;
/// The largest amount of money a case or record holds, in fen (1 万亿元):
/// far above any fine, far below where arithmetic on fen could overflow.
pub const MONEY_MAX_FEN: i64 = 100_000_000_000_000;
/// How many measures a case header may list.
pub const MEASURES_MAX: usize = 20;

/// True for characters no name, title or record text may hold: control
/// characters (NUL, terminal escapes) other than line breaks and tabs,
/// bidirectional overrides and isolates (which make `王五` read backwards),
/// and invisible joiners and spaces (`王\u{200d}五` looks like `王五`).
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c,
            '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061c}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}')
}

/// `Err(InvalidValue)` when `value` holds a character of [`is_forbidden_char`].
pub fn check_chars(field: &str, value: &str) -> Result<()> {
    match value.chars().find(|c| is_forbidden_char(*c)) {
        Some(c) => Err(CoreError::InvalidValue {
            field: field.to_string(),
            reason: format!("含有不可见或控制字符 U+{:04X}", c as u32),
        }),
        None => Ok(()),
    }
}

/// Checks an amount of money in fen: positive when `positive`, never
/// negative, at most [`MONEY_MAX_FEN`].
pub fn check_money(field: &str, fen: i64, positive: bool) -> Result<()> {
    let reason = if fen < 0 {
        Some("金额不能为负".to_string())
    } else if positive && fen == 0 {
        Some("金额应大于 0".to_string())
    } else if fen > MONEY_MAX_FEN {
        Some(format!("金额超出上限 {} 元", MONEY_MAX_FEN / 100))
    } else {
        None
    };
    match reason {
        Some(reason) => Err(CoreError::InvalidValue {
            field: field.to_string(),
            reason,
        }),
        None => Ok(()),
    }
}

/// Checks a case's fine (罚款金额, fen): more than 0, within [`MONEY_MAX_FEN`].
pub fn check_fine(fen: i64) -> Result<()> {
    check_money("罚款金额", fen, true)
}

/// `Err(TextTooLong)` when `value` has more than `max` characters, and
/// `Err(InvalidValue)` when it holds a control, bidi or invisible character
/// ([`is_forbidden_char`]); `field` is the Chinese name shown to the user.
pub fn check_len(field: &str, value: &str, max: usize) -> Result<()> {
    check_chars(field, value)?;
    let len = value.chars().count();
    if len > max {
        return Err(CoreError::TextTooLong {
            field: field.to_string(),
            len,
            max,
        });
    }
    Ok(())
}

fn check_opt(field: &str, value: Option<&str>, max: usize) -> Result<()> {
    value.map_or(Ok(()), |v| check_len(field, v, max))
}

/// Checks every free-text field of a case header.
pub fn check_header(h: &CaseHeader) -> Result<()> {
    check_len("案件编号", &h.id, ID_MAX)?;
    check_len("案件名称", &h.title, SHORT_TEXT_MAX)?;
    check_len("承办单位", &h.unit, SHORT_TEXT_MAX)?;
    check_len("创建人", &h.created_by, ID_MAX)?;
    check_len("创建时间", &h.created_at, ID_MAX)?;
    check_opt("案件来源编号", h.source_ref.as_deref(), SHORT_TEXT_MAX)?;
    if h.measures.len() > MEASURES_MAX {
        return Err(CoreError::InvalidValue {
            field: "处理措施".into(),
            reason: format!("最多 {MEASURES_MAX} 项"),
        });
    }
    for m in &h.measures {
        check_len("处理措施", m, SHORT_TEXT_MAX)?;
    }
    Ok(())
}

/// Checks every free-text field of a party.
pub fn check_party(p: &Party) -> Result<()> {
    check_len("当事人编号", &p.id, ID_MAX)?;
    check_len("当事人名称", &p.name, NAME_MAX)?;
    check_len("证件号码", &p.id_number, ID_MAX)?;
    crate::identity::check_party_id(p.kind, &p.id_number).map_err(|reason| {
        CoreError::InvalidValue {
            field: "证件号码".into(),
            reason,
        }
    })?;
    check_opt("法定代表人", p.representative.as_deref(), NAME_MAX)?;
    check_opt("地址", p.address.as_deref(), SHORT_TEXT_MAX)?;
    check_opt("联系电话", p.phone.as_deref(), ID_MAX)
}

/// Checks every free-text field of an officer.
pub fn check_officer(o: &Officer) -> Result<()> {
    check_len("执法人员账号", &o.id, ID_MAX)?;
    check_len("执法人员姓名", &o.name, NAME_MAX)?;
    check_len("职务", &o.post, SHORT_TEXT_MAX)?;
    check_len("执法证号", &o.credential_no, ID_MAX)?;
    check_len("所在单位", &o.unit, SHORT_TEXT_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(check_len("名称", &"档".repeat(NAME_MAX), NAME_MAX).is_ok());
        assert_eq!(
            check_len("名称", &"档".repeat(NAME_MAX + 1), NAME_MAX),
            Err(CoreError::TextTooLong {
                field: "名称".into(),
                len: NAME_MAX + 1,
                max: NAME_MAX
            })
        );
    }
}
