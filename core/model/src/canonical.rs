//! The canonical JSON form of sealed content, written out explicitly so a
//! seal's bytes never depend on how a JSON library happens to order maps
//! (serde_json's `preserve_order` feature, turned on anywhere in a build,
//! would otherwise change every digest).
//!
//! # The form
//!
//! [`to_canonical`] writes a `serde_json::Value` as:
//!
//! - no whitespace anywhere;
//! - `null`, `true`, `false` as such;
//! - integers in plain decimal, every digit exact (`-`, no `+`, no exponent);
//! - strings in double quotes; `"` and `\` escaped with a backslash; the
//!   control characters U+0008, U+0009, U+000A, U+000C, U+000D as `\b`, `\t`,
//!   `\n`, `\f`, `\r`; every other character below U+0020 as `\u00xx` with
//!   lowercase hex; everything else (`/`, U+007F, U+2028, non-ASCII) as its
//!   UTF-8 bytes, unescaped;
//! - arrays in their order;
//! - object members sorted by key, comparing the keys' UTF-8 bytes
//!   (Rust's `str` order), whatever order they were inserted in.
//!
//! These are exactly the bytes seals have been made over since the first
//! release (serde_json 1.x `to_string` of maps without `preserve_order`), so
//! every stored seal still verifies.
//!
//! # Relation to RFC 8785 (JCS)
//!
//! For sealed content this form *is* JCS: sealed content holds only objects,
//! arrays, strings, booleans and integers (record id, revision, template,
//! template version, fields of [`crate::value::FieldValue`], media hashes,
//! amendment link and reason); JCS escapes strings the same way (ES2015
//! `JSON.stringify`), and prints integers up to 2^53 in magnitude as plain
//! decimals. Two differences exist outside that range, and this form keeps
//! today's bytes in both (tests/seal_golden.rs checks both against a JCS
//! implementation):
//!
//! 1. an integer of magnitude above 2^53 is printed exactly here, whereas JCS
//!    prints the nearest IEEE double (`9007199254740993` → `9007199254740992`);
//!    no template field holds such a number (amounts are in fen: 2^53 fen is
//!    90 trillion yuan), and exact digits are what a seal should cover;
//! 2. JCS sorts keys by UTF-16 code units, this form by UTF-8 bytes; the two
//!    orders differ only between a key character in U+E000–U+FFFF and one
//!    above U+FFFF at the same position. Template field keys are ASCII.
//!
//! Non-integer numbers never occur in sealed content; should one appear it is
//! written as serde_json writes it (shortest round-trip, `ryu`).

use serde_json::Value;

/// Writes `value` in the canonical form described in the module docs.
pub fn to_canonical(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        // Integers print all their digits; see the module docs for floats.
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            // Sorted here, never trusting the map's own iteration order.
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, v);
            }
            out.push('}');
        }
    }
}

/// A JSON string literal with the escapes listed in the module docs.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_are_escaped_like_serde_json_and_jcs() {
        let s = "a\"b\\c\u{08}\t\n\u{0C}\r\u{01}\u{1f}\u{7f}/\u{2028}中😀";
        assert_eq!(to_canonical(&json!(s)), serde_json::to_string(s).unwrap());
        assert_eq!(
            to_canonical(&json!(s)),
            "\"a\\\"b\\\\c\\b\\t\\n\\f\\r\\u0001\\u001f\u{7f}/\u{2028}中😀\""
        );
    }

    #[test]
    fn objects_are_sorted_whatever_the_insertion_order() {
        let mut m = serde_json::Map::new();
        for k in ["z", "a", "m", "B"] {
            m.insert(k.into(), json!(k));
        }
        assert_eq!(
            to_canonical(&Value::Object(m)),
            r#"{"B":"B","a":"a","m":"m","z":"z"}"#
        );
        assert_eq!(
            to_canonical(&json!([1, -2, true, null, {"y": [], "x": {}}])),
            r#"[1,-2,true,null,{"x":{},"y":[]}]"#
        );
        assert_eq!(to_canonical(&json!(i64::MIN)), "-9223372036854775808");
    }
}
