//! Field values (字段值) of records: their plain JSON form, validation
//! against the template's field definition, and display forms.

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::template::{FieldDef, FieldType};

/// One question and its answer (询问笔录).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaPair {
    /// 问
    pub q: String,
    /// 答
    pub a: String,
}

/// A field value. Its JSON form is plain (string, number, bool, array), the
/// template says which variant a field holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// Text, choice, date (`YYYY-MM-DD`) or date-time (RFC 3339).
    Text(String),
    /// Integer or money in fen.
    Int(i64),
    /// Yes / no.
    Bool(bool),
    /// Multi-choice or list of texts.
    List(Vec<String>),
    /// Questions and answers.
    Qa(Vec<QaPair>),
}

impl FieldValue {
    /// Converts a JSON value from a shell or CLI into a validated value of the
    /// field's type. Dates are normalised; texts are length-checked.
    pub fn from_json(def: &FieldDef, v: &serde_json::Value) -> Result<FieldValue> {
        use serde_json::Value as J;
        let wrong = || CoreError::WrongFieldType {
            field: def.label.clone(),
            expected: def.ty.label().into(),
        };
        let value = match def.ty {
            FieldType::Text
            | FieldType::LongText
            | FieldType::Choice
            | FieldType::Date
            | FieldType::DateTime => FieldValue::Text(v.as_str().ok_or_else(wrong)?.to_string()),
            FieldType::Integer | FieldType::Money => match v {
                J::Number(n) => FieldValue::Int(n.as_i64().ok_or_else(wrong)?),
                // Shells and the CLI may send numbers as strings.
                J::String(s) => FieldValue::Int(s.trim().parse::<i64>().map_err(|_| wrong())?),
                _ => return Err(wrong()),
            },
            FieldType::Bool => FieldValue::Bool(v.as_bool().ok_or_else(wrong)?),
            FieldType::MultiChoice | FieldType::List => {
                let arr = v.as_array().ok_or_else(wrong)?;
                let mut out = Vec::with_capacity(arr.len());
                for item in arr {
                    out.push(item.as_str().ok_or_else(wrong)?.to_string());
                }
                FieldValue::List(out)
            }
            FieldType::QaList => {
                let pairs: Vec<QaPair> = serde_json::from_value(v.clone()).map_err(|_| wrong())?;
                FieldValue::Qa(pairs)
            }
        };
        value.validated(def)
    }

    /// Checks the value against the field definition and returns it in
    /// canonical form (e.g. dates re-formatted).
    pub fn validated(self, def: &FieldDef) -> Result<FieldValue> {
        let wrong = || CoreError::WrongFieldType {
            field: def.label.clone(),
            expected: def.ty.label().into(),
        };
        let too_long = |len: usize| CoreError::TextTooLong {
            field: def.label.clone(),
            len,
            max: def.max_chars(),
        };
        match (def.ty, self) {
            (FieldType::Text | FieldType::LongText, FieldValue::Text(s)) => {
                crate::limits::check_chars(&def.label, &s)?;
                let len = s.chars().count();
                if len > def.max_chars() {
                    return Err(too_long(len));
                }
                Ok(FieldValue::Text(s))
            }
            (FieldType::Choice, FieldValue::Text(s)) => {
                if def.options.contains(&s) {
                    Ok(FieldValue::Text(s))
                } else {
                    Err(CoreError::InvalidChoice {
                        field: def.label.clone(),
                        value: s,
                        options: def.options.join("、"),
                    })
                }
            }
            // Stored values are canonical: `YYYY-MM-DD` and RFC 3339. What
            // people type (`2026/12/2`, `2026-12-02 10:00`, `10:00`) is read
            // by `crate::input::field_value` before it gets here.
            (FieldType::Date, FieldValue::Text(s)) => {
                let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
                    CoreError::InvalidDate {
                        field: def.label.clone(),
                        value: s.clone(),
                    }
                })?;
                Ok(FieldValue::Text(d.format("%Y-%m-%d").to_string()))
            }
            (FieldType::DateTime, FieldValue::Text(s)) => {
                let t = chrono::DateTime::parse_from_rfc3339(s.trim()).map_err(|_| {
                    if crate::dates::parse_date(&s).is_some() {
                        CoreError::DateWithoutTime {
                            field: def.label.clone(),
                            value: s.clone(),
                        }
                    } else {
                        CoreError::InvalidDateTime {
                            field: def.label.clone(),
                            value: s.clone(),
                        }
                    }
                })?;
                Ok(FieldValue::Text(t.to_rfc3339()))
            }
            (FieldType::Integer, FieldValue::Int(n)) => Ok(FieldValue::Int(n)),
            (FieldType::Money, FieldValue::Int(n)) => {
                crate::limits::check_money(&def.label, n, false)?;
                Ok(FieldValue::Int(n))
            }
            (FieldType::Bool, FieldValue::Bool(b)) => Ok(FieldValue::Bool(b)),
            (FieldType::MultiChoice, FieldValue::List(items)) => {
                for it in &items {
                    if !def.options.iter().any(|o| o == it) {
                        return Err(CoreError::InvalidChoice {
                            field: def.label.clone(),
                            value: it.clone(),
                            options: def.options.join("、"),
                        });
                    }
                }
                Ok(FieldValue::List(items))
            }
            (FieldType::List, FieldValue::List(items)) => {
                for it in &items {
                    crate::limits::check_chars(&def.label, it)?;
                    let len = it.chars().count();
                    if len > def.max_chars() {
                        return Err(too_long(len));
                    }
                }
                Ok(FieldValue::List(items))
            }
            (FieldType::QaList, FieldValue::Qa(pairs)) => {
                for p in &pairs {
                    crate::limits::check_chars(&def.label, &p.q)?;
                    crate::limits::check_chars(&def.label, &p.a)?;
                }
                let len: usize = pairs
                    .iter()
                    .map(|p| p.q.chars().count() + p.a.chars().count())
                    .sum();
                if len > def.max_chars() {
                    return Err(too_long(len));
                }
                Ok(FieldValue::Qa(pairs))
            }
            _ => Err(wrong()),
        }
    }

    /// True when the value counts as filled for a required field.
    pub fn is_filled(&self) -> bool {
        match self {
            FieldValue::Text(s) => !s.trim().is_empty(),
            FieldValue::Int(_) | FieldValue::Bool(_) => true,
            FieldValue::List(v) => !v.is_empty(),
            FieldValue::Qa(v) => !v.is_empty(),
        }
    }

    /// The value as a read-only form shows it, masked when the field is
    /// personal data ([`FieldDef::sensitive`], (一) 第九条): use this for
    /// anything shown on a screen, printed or published.
    pub fn display_for(&self, def: &FieldDef) -> String {
        if !def.sensitive {
            // Free text may hold an identity or mobile number typed by hand.
            return crate::mask::mask_text(&self.display());
        }
        match self {
            FieldValue::Text(s) => crate::mask::mask_id_number(s),
            FieldValue::List(v) => v
                .iter()
                .map(|s| crate::mask::mask_id_number(s))
                .collect::<Vec<_>>()
                .join("、"),
            // Numbers and yes/no carry no identity; Q&A is never sensitive.
            other => other.display(),
        }
    }

    /// The value unmasked, as typed: 是/否 for yes/no, list items joined by
    /// 、, each question and answer as `问 答`. For the editing officer only;
    /// every other display uses [`FieldValue::display_for`].
    pub fn display(&self) -> String {
        match self {
            FieldValue::Text(s) => s.clone(),
            FieldValue::Int(n) => n.to_string(),
            FieldValue::Bool(true) => "是".into(),
            FieldValue::Bool(false) => "否".into(),
            FieldValue::List(v) => v.join("、"),
            FieldValue::Qa(v) => v
                .iter()
                .map(|p| format!("{} {}", p.q, p.a))
                .collect::<Vec<_>>()
                .join("、"),
        }
    }

    /// The text, if this is a text value.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            FieldValue::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if this is an integer value.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            FieldValue::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The bool, if this is a bool value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            FieldValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The list, if this is a list value.
    pub fn as_list(&self) -> Option<&[String]> {
        match self {
            FieldValue::List(v) => Some(v),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn values_display_as_a_read_only_form_shows_them() {
        assert_eq!(FieldValue::Bool(true).display(), "是");
        assert_eq!(FieldValue::Bool(false).display(), "否");
        assert_eq!(FieldValue::Int(500000).display(), "500000");
        assert_eq!(
            FieldValue::List(vec!["陈述".into(), "申辩".into()]).display(),
            "陈述、申辩"
        );
        let qa = FieldValue::Qa(vec![
            QaPair {
                q: "姓名?".into(),
                a: "赵六".into(),
            },
            QaPair {
                q: "职务?".into(),
                a: "馆长".into(),
            },
        ]);
        assert_eq!(qa.display(), "姓名? 赵六、职务? 馆长");
    }

    #[test]
    fn identity_numbers_are_masked_in_the_display_form() {
        let d = def("inquiry_record", "interviewee_id");
        let v = FieldValue::Text("130702199001011234".into());
        assert_eq!(v.display_for(&d), "130***********1234");
        assert_eq!(v.display(), "130702199001011234", "raw form for the editor");
        let plain = def("inspection_record", "place");
        let p = FieldValue::Text("县档案馆".into());
        assert_eq!(p.display_for(&plain), "县档案馆");
    }
    use super::*;
    use crate::template::TemplateRegistry;
    use serde_json::json;

    fn def(tpl: &str, key: &str) -> FieldDef {
        TemplateRegistry::builtin()
            .latest(tpl)
            .and_then(|t| t.field(key).cloned())
            .expect("field")
    }

    #[test]
    fn every_field_type_accepts_its_value() {
        let cases = [
            (
                "inspection_record",
                "place",
                json!("某档案馆"),
                FieldValue::Text("某档案馆".into()),
            ),
            (
                "inspection_record",
                "rectify_by",
                json!("2026-03-02"),
                FieldValue::Text("2026-03-02".into()),
            ),
            (
                "inspection_record",
                "inspected_at",
                json!("2026-03-02T09:30:00+08:00"),
                FieldValue::Text("2026-03-02T09:30:00+08:00".into()),
            ),
            (
                "inspection_record",
                "credentials_shown",
                json!(true),
                FieldValue::Bool(true),
            ),
            (
                "inspection_record",
                "method",
                json!("现场检查"),
                FieldValue::Text("现场检查".into()),
            ),
            (
                "inspection_record",
                "items",
                json!(["档案安全"]),
                FieldValue::List(vec!["档案安全".into()]),
            ),
            (
                "penalty_decision",
                "fine_fen",
                json!(500000),
                FieldValue::Int(500000),
            ),
            (
                "penalty_decision",
                "fine_fen",
                json!("500000"),
                FieldValue::Int(500000),
            ),
            (
                "inquiry_record",
                "qa",
                json!([{"q":"姓名?","a":"张三"}]),
                FieldValue::Qa(vec![QaPair {
                    q: "姓名?".into(),
                    a: "张三".into(),
                }]),
            ),
        ];
        for (t, k, input, want) in cases {
            assert_eq!(
                FieldValue::from_json(&def(t, k), &input),
                Ok(want),
                "{t}.{k}"
            );
        }
    }

    #[test]
    fn bad_values_give_typed_errors() {
        assert!(matches!(
            FieldValue::from_json(&def("inspection_record", "place"), &json!(5)),
            Err(CoreError::WrongFieldType { .. })
        ));
        assert!(matches!(
            FieldValue::from_json(
                &def("inspection_record", "rectify_by"),
                &json!("2026-02-30")
            ),
            Err(CoreError::InvalidDate { .. })
        ));
        assert!(matches!(
            FieldValue::from_json(
                &def("inspection_record", "inspected_at"),
                &json!("yesterday")
            ),
            Err(CoreError::InvalidDateTime { .. })
        ));
        assert!(matches!(
            FieldValue::from_json(&def("inspection_record", "place"), &json!("长".repeat(201))),
            Err(CoreError::TextTooLong {
                len: 201,
                max: 200,
                ..
            })
        ));
        assert!(matches!(
            FieldValue::from_json(&def("inspection_record", "method"), &json!("飞行检查")),
            Err(CoreError::InvalidChoice { .. })
        ));
        assert!(matches!(
            FieldValue::from_json(&def("penalty_decision", "fine_fen"), &json!(-1)),
            Err(CoreError::InvalidValue { .. })
        ));
        assert!(matches!(
            FieldValue::from_json(&def("penalty_decision", "fine_fen"), &json!(1.5)),
            Err(CoreError::WrongFieldType { .. })
        ));
        assert!(matches!(
            FieldValue::from_json(&def("inquiry_record", "qa"), &json!(["x"])),
            Err(CoreError::WrongFieldType { .. })
        ));
    }
}
