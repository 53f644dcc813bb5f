//! Masking of personal data in every display and public form
//! ((一) 第九条: personal data is masked when published).

/// Masks an identity number (身份证号 / 统一社会信用代码): keeps the first 3
/// and last 4 characters when the value is longer than 8, else all but the
/// first and last character are hidden. Counts characters, not bytes.
pub fn mask_id_number(id: &str) -> String {
    mask_keep(id, 3, 4)
}

/// Masks a phone number: keeps the first 3 and last 4 digits.
pub fn mask_phone(phone: &str) -> String {
    mask_keep(phone, 3, 4)
}

/// Masks a natural person's address: keeps the first 6 characters (the
/// province, city or county part) and hides the rest.
pub fn mask_address(address: &str) -> String {
    let n = address.chars().count();
    if n <= 6 {
        return "*".repeat(n.max(1));
    }
    let mut out: String = address.chars().take(6).collect();
    out.push_str("****");
    out
}

/// Masks what looks like personal data in free text typed by officers:
/// 公民身份号码 (18 characters), a 个体工商户's 统一社会信用代码 (`92…`) and
/// mobile numbers. Everything else is kept as typed.
pub fn mask_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphanumeric() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        let digits = run.chars().all(|c| c.is_ascii_digit());
        let id_like = run.len() == 18
            && run[..17].chars().all(|c| c.is_ascii_digit())
            && run[17..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == 'X' || c == 'x');
        let person_code = run.len() == 18 && run.starts_with("92");
        let mobile = digits
            && run.len() == 11
            && run.starts_with('1')
            && run[1..2].chars().all(|c| ('3'..='9').contains(&c));
        if id_like || person_code {
            out.push_str(&mask_id_number(&run));
        } else if mobile {
            out.push_str(&mask_phone(&run));
        } else {
            out.push_str(&run);
        }
    }
    out
}

/// Masks a natural person's name: keeps the surname (first character).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count();
            let mut out = String::new();
            out.push(first);
            out.extend(std::iter::repeat_n('*', rest.max(1)));
            out
        }
        None => String::new(),
    }
}

fn mask_keep(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    if n == 0 {
        return String::new();
    }
    let (head, tail) = if n > head + tail + 1 {
        (head, tail)
    } else if n > 2 {
        (1, 1)
    } else {
        (0, 0)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < head || i >= n - tail { *c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_keep_only_head_and_tail() {
        assert_eq!(mask_id_number("130102199001011234"), "130***********1234");
        assert_eq!(mask_id_number("91130100MA0C8XXXX9"), "911***********XXX9");
        assert_eq!(mask_id_number("1234567"), "1*****7");
        assert_eq!(mask_id_number("12"), "**");
        assert_eq!(mask_id_number(""), "");
    }

    #[test]
    fn phones_and_names() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳小明"), "欧***");
        assert_eq!(mask_name("王"), "王*");
    }

    #[test]
    fn addresses_keep_the_county_part() {
        assert_eq!(
            mask_address("河北省张家口市康保县康保镇1号"),
            "河北省张家口****"
        );
        assert_eq!(mask_address("康保镇"), "***");
        assert_eq!(mask_address(""), "*");
    }

    #[test]
    fn free_text_masks_identity_numbers_mobiles_and_personal_credit_codes() {
        assert_eq!(
            mask_text("当事人王五(身份证11010519491231002X, 电话13912345678)"),
            "当事人王五(身份证110***********002X, 电话139****5678)"
        );
        assert_eq!(
            mask_text("个体户 92130723MA0XXXXX1K 经营"),
            "个体户 921***********XX1K 经营"
        );
        assert_eq!(
            mask_text("单位 91130723MA0K1L2M3U, 罚款 5000 元, 2026年3月2日"),
            "单位 91130723MA0K1L2M3U, 罚款 5000 元, 2026年3月2日"
        );
    }
}
