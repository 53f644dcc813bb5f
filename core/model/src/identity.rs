//! Identity numbers of parties: the resident identity card number
//! (公民身份号码, GB 11643-1999) of natural persons and the unified social
//! credit code (统一社会信用代码, GB 32100-2015) of legal persons and other
//! organisations, checked by their check characters; other certificates of
//! natural persons (护照, 港澳台通行证) by their shape.

use crate::case::PartyKind;

/// Weights of the 17 body digits of a 公民身份号码 (GB 11643-1999, mod 11-2).
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder mod 11.
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Province codes (GB/T 2260) a 公民身份号码 starts with.
const PROVINCES: [u32; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];
/// The 31 characters of a 统一社会信用代码 (GB 32100-2015: no I, O, Z, S, V).
const USCC_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of the 17 body characters of a 统一社会信用代码.
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Trims, turns full-width digits and letters into ASCII and letters into
/// upper case: the form identity numbers are stored in. Inputs call it
/// before [`check_party_id`].
pub fn normalize_id_number(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Checks a 公民身份号码 (GB 11643-1999): 17 digits and a check character
/// (digit or `X`), a province code, a real birth date.
pub fn check_resident_id(s: &str) -> Result<(), String> {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != 18
        || !chars[..17].iter().all(char::is_ascii_digit)
        || !(chars[17].is_ascii_digit() || chars[17] == 'X')
    {
        return Err("公民身份号码应为 18 位: 17 位数字加 1 位校验码 (数字或 X)".into());
    }
    let digit = |i: usize| chars[i].to_digit(10).unwrap_or(0);
    let province = digit(0) * 10 + digit(1);
    if !PROVINCES.contains(&province) {
        return Err(format!("公民身份号码的地址码 {province} 不存在"));
    }
    let birth: String = chars[6..14].iter().collect();
    let born = chrono::NaiveDate::parse_from_str(&birth, "%Y%m%d")
        .ok()
        .filter(|d| (1900..=2100).contains(&chrono::Datelike::year(d)));
    if born.is_none() {
        return Err(format!("公民身份号码的出生日期 {birth} 无效"));
    }
    let sum: u32 = (0..17).map(|i| digit(i) * ID_WEIGHTS[i]).sum();
    let expected = ID_CHECK[(sum % 11) as usize];
    if chars[17] != expected {
        return Err(format!(
            "公民身份号码校验码错误 (按 GB 11643 应为 {expected}), 请核对"
        ));
    }
    Ok(())
}

/// Checks a 统一社会信用代码 (GB 32100-2015): 18 characters of the code's
/// alphabet, a 6-digit region code, and the check character.
pub fn check_uscc(s: &str) -> Result<(), String> {
    let values: Option<Vec<u32>> = s
        .chars()
        .map(|c| USCC_CHARS.find(c).map(|i| i as u32))
        .collect();
    let shape = "统一社会信用代码应为 18 位数字或大写字母 (不含 I、O、Z、S、V)";
    let Some(values) = values.filter(|v| v.len() == 18) else {
        return Err(shape.into());
    };
    if !s.chars().skip(2).take(6).all(|c| c.is_ascii_digit()) {
        return Err("统一社会信用代码第 3–8 位应为行政区划代码 (数字)".into());
    }
    let sum: u32 = (0..17).map(|i| values[i] * USCC_WEIGHTS[i]).sum();
    let check = (31 - sum % 31) % 31;
    let expected = USCC_CHARS.chars().nth(check as usize).unwrap_or('0');
    if values[17] != check {
        return Err(format!(
            "统一社会信用代码校验码错误 (按 GB 32100 应为 {expected}), 请核对"
        ));
    }
    Ok(())
}

/// Another certificate of a natural person (护照, 港澳台居民来往内地通行证):
/// one or two capital letters and 7 to 10 digits.
fn is_other_certificate(s: &str) -> bool {
    let letters = s.chars().take_while(char::is_ascii_uppercase).count();
    let digits = s.chars().skip(letters).filter(char::is_ascii_digit).count();
    (1..=2).contains(&letters)
        && (7..=10).contains(&digits)
        && letters + digits == s.chars().count()
}

/// Checks the identity number of a party of `kind`: a natural person's
/// 公民身份号码 or other certificate, an organisation's 统一社会信用代码.
/// Empty means not known yet and is accepted. `Err` is a Chinese message
/// naming what would be accepted.
pub fn check_party_id(kind: PartyKind, s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    if s != normalize_id_number(s) {
        return Err("证件号码含有空格、全角字符或小写字母".into());
    }
    match kind {
        PartyKind::NaturalPerson => {
            if is_other_certificate(s) {
                Ok(())
            } else {
                check_resident_id(s)
                    .map_err(|e| format!("{e}; 外籍或港澳台人员请填写护照或通行证号 (字母加数字)"))
            }
        }
        PartyKind::LegalPerson | PartyKind::OtherOrganisation => check_uscc(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_ids_by_gb11643() {
        assert_eq!(check_resident_id("11010519491231002X"), Ok(()));
        assert_eq!(check_resident_id("130723197004152030"), Ok(()));
        // Wrong check character, month 13, unknown province, too short.
        assert!(check_resident_id("110105194912310021")
            .unwrap_err()
            .contains("应为 X"));
        assert!(check_resident_id("130723197013152030")
            .unwrap_err()
            .contains("出生日期"));
        assert!(check_resident_id("990723197004152030")
            .unwrap_err()
            .contains("地址码"));
        assert!(check_resident_id("13072319700415203").is_err());
    }

    #[test]
    fn credit_codes_by_gb32100() {
        assert_eq!(check_uscc("91350100M000100Y43"), Ok(()));
        assert!(check_uscc("91350100M000100Y44")
            .unwrap_err()
            .contains("应为 3"));
        assert!(check_uscc("91350100M000100YI3").is_err());
        assert!(check_uscc("9135").is_err());
    }

    #[test]
    fn full_width_and_lower_case_are_normalised_then_checked() {
        assert_eq!(
            normalize_id_number(" １１０１０５１９４９１２３１００２ｘ "),
            "11010519491231002X"
        );
        assert!(check_party_id(
            PartyKind::NaturalPerson,
            "１１０１０５１９４９１２３１００２Ｘ"
        )
        .is_err());
        assert!(check_party_id(PartyKind::NaturalPerson, "11010519491231002x").is_err());
    }

    #[test]
    fn natural_persons_may_hold_other_certificates() {
        assert_eq!(
            check_party_id(PartyKind::NaturalPerson, "E12345678"),
            Ok(())
        );
        assert_eq!(
            check_party_id(PartyKind::NaturalPerson, "H12345678"),
            Ok(())
        );
        assert_eq!(check_party_id(PartyKind::NaturalPerson, ""), Ok(()));
        assert!(check_party_id(PartyKind::NaturalPerson, "12345").is_err());
        assert!(check_party_id(PartyKind::LegalPerson, "11010519491231002X").is_err());
    }
}
