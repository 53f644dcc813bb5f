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
/// How many measures a case header may list.
pub const MEASURES_MAX: usize = 20;

/// `Err(TextTooLong)` when `value` has more than `max` characters; `field`
/// is the Chinese name shown to the user.
pub fn check_len(field: &str, value: &str, max: usize) -> Result<()> {
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
