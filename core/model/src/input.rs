//! Field input as people type it: local dates and times (Asia/Shanghai,
//! +08:00), Chinese date forms, officers by user name, name or account id.
//! The phones (through the FFI) and the `zhifa` terminal pass what the
//! officer typed to [`field_value`]; it returns the canonical value that is
//! stored (a date as `YYYY-MM-DD`, a date-time as RFC 3339, officers as
//! account ids) or a refusal naming what would be accepted. Core has no
//! clock: "today" comes from the caller in [`InputContext::now`].

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

pub use crate::dates::{
    local_offset, parse_date, parse_date_time, parse_time, DateTimeRefusal, DATE_FORMS,
    DATE_TIME_FORMS, LOCAL_OFFSET_SECS,
};
use crate::error::{CoreError, Result};
use crate::record::FieldValue;
use crate::template::{FieldDef, FieldType};

/// An officer of the case as input may name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficerName {
    /// Account id (what is stored).
    pub id: String,
    /// Name (姓名).
    pub name: String,
    /// Login name, when the device knows it (the logged-in account and
    /// accounts it has seen); `None` otherwise.
    pub username: Option<String>,
}

/// What input needs besides the value: the time now (for `10:00` = today)
/// and the officers of the case (for officer fields).
#[derive(Debug, Clone)]
pub struct InputContext {
    /// Now, in local time (+08:00). Core has no clock: the caller passes it.
    pub now: DateTime<FixedOffset>,
    /// The officers of the case.
    pub officers: Vec<OfficerName>,
}

impl InputContext {
    /// A context at `now`, without officers.
    pub fn at(now: DateTime<FixedOffset>) -> InputContext {
        InputContext {
            now,
            officers: Vec::new(),
        }
    }

    /// The officers as a refusal lists them: `张伟 (zhangwei)、李娜`.
    pub fn officers_listed(&self) -> String {
        if self.officers.is_empty() {
            return "(本案尚未指派执法人员)".into();
        }
        self.officers
            .iter()
            .map(|o| match &o.username {
                Some(u) => format!("{} ({u})", o.name),
                None => o.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// The items of a list typed as one string: split at `,`, `，`, `、`, `;`
/// and blanks.
pub fn split_list(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ';', '；', ' ', '\u{3000}'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// The account ids of officers named by account id, user name or name,
/// each resolved against the case's officers; duplicates dropped, order
/// kept. A name not among them is refused with the case's officers listed.
pub fn resolve_officers(field: &str, items: &[String], ctx: &InputContext) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for raw in items {
        let it = raw.trim();
        let found = ctx
            .officers
            .iter()
            .find(|o| o.id == it)
            .or_else(|| {
                ctx.officers.iter().find(|o| {
                    o.username
                        .as_deref()
                        .is_some_and(|u| u.eq_ignore_ascii_case(it))
                })
            })
            .or_else(|| ctx.officers.iter().find(|o| o.name == it));
        let Some(o) = found else {
            return Err(CoreError::UnknownOfficer {
                field: field.into(),
                value: it.into(),
                officers: ctx.officers_listed(),
            });
        };
        if !out.contains(&o.id) {
            out.push(o.id.clone());
        }
    }
    Ok(out)
}

fn as_items(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(split_list(s)),
        Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

/// A field value as typed (see the module doc), converted to its stored,
/// canonical form and validated against the field. Everything else is
/// [`FieldValue::from_json`]. Refusals name what would be accepted.
pub fn field_value(def: &FieldDef, v: &Value, ctx: &InputContext) -> Result<FieldValue> {
    let wrong = || CoreError::WrongFieldType {
        field: def.label.clone(),
        expected: def.ty.label().into(),
    };
    let local_now = ctx.now.with_timezone(&local_offset());
    let value = match def.ty {
        FieldType::Date => {
            let s = v.as_str().ok_or_else(wrong)?;
            let d = parse_date(s).ok_or_else(|| CoreError::InvalidDate {
                field: def.label.clone(),
                value: s.into(),
            })?;
            FieldValue::Text(d.format("%Y-%m-%d").to_string())
        }
        FieldType::DateTime => {
            let s = v.as_str().ok_or_else(wrong)?;
            let t = parse_date_time(s, Some(local_now.date_naive())).map_err(|r| match r {
                DateTimeRefusal::DateOnly => CoreError::DateWithoutTime {
                    field: def.label.clone(),
                    value: s.into(),
                },
                DateTimeRefusal::Unreadable => CoreError::InvalidDateTime {
                    field: def.label.clone(),
                    value: s.into(),
                },
            })?;
            FieldValue::Text(t.to_rfc3339())
        }
        FieldType::Bool => match v {
            Value::Bool(b) => FieldValue::Bool(*b),
            Value::String(s) => match s.trim() {
                "是" | "true" | "yes" | "1" | "有" => FieldValue::Bool(true),
                "否" | "false" | "no" | "0" | "无" => FieldValue::Bool(false),
                _ => return Err(wrong()),
            },
            _ => return Err(wrong()),
        },
        FieldType::List if def.holds_officers() => {
            let items = as_items(v).ok_or_else(wrong)?;
            FieldValue::List(resolve_officers(&def.label, &items, ctx)?)
        }
        FieldType::List | FieldType::MultiChoice => {
            FieldValue::List(as_items(v).ok_or_else(wrong)?)
        }
        FieldType::Choice => FieldValue::Text(v.as_str().ok_or_else(wrong)?.trim().to_string()),
        _ => return FieldValue::from_json(def, v),
    };
    value.validated(def)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::TemplateRegistry;
    use serde_json::json;

    fn def(tpl: &str, key: &str) -> FieldDef {
        TemplateRegistry::builtin()
            .latest(tpl)
            .and_then(|t| t.field(key).cloned())
            .expect("field")
    }

    fn ctx() -> InputContext {
        let now = DateTime::parse_from_rfc3339("2026-12-02T15:20:00+08:00").expect("now");
        InputContext {
            now,
            officers: vec![
                OfficerName {
                    id: "u-zhang".into(),
                    name: "张伟".into(),
                    username: Some("zhangwei".into()),
                },
                OfficerName {
                    id: "u-li".into(),
                    name: "李娜".into(),
                    username: None,
                },
            ],
        }
    }

    fn text(v: Result<FieldValue>) -> String {
        v.expect("accepted").as_text().expect("text").to_string()
    }

    #[test]
    fn date_fields_take_the_forms_people_write() {
        let d = def("inspection_record", "rectify_by");
        for typed in [
            "2026-12-02",
            "2026-12-2",
            "2026/12/2",
            "2026年12月2日",
            "２０２６年１２月２日",
        ] {
            assert_eq!(
                text(field_value(&d, &json!(typed), &ctx())),
                "2026-12-02",
                "{typed}"
            );
        }
        let err = field_value(&d, &json!("2026-02-30"), &ctx()).expect_err("no such day");
        assert!(err.to_string().contains(DATE_FORMS), "{err}");
        assert!(matches!(err, CoreError::InvalidDate { .. }));
    }

    #[test]
    fn date_time_fields_take_local_time_and_today() {
        let d = def("inspection_record", "inspected_at");
        let cases = [
            ("2026-12-02 10:00", "2026-12-02T10:00:00+08:00"),
            ("2026-12-02 10:00:30", "2026-12-02T10:00:30+08:00"),
            ("2026/12/2 9:05", "2026-12-02T09:05:00+08:00"),
            ("2026年12月2日 10:00", "2026-12-02T10:00:00+08:00"),
            ("2026年12月2日10：00", "2026-12-02T10:00:00+08:00"),
            ("10:00", "2026-12-02T10:00:00+08:00"),
            ("2026-12-02T10:00:00+08:00", "2026-12-02T10:00:00+08:00"),
            ("2026-12-02T02:00:00Z", "2026-12-02T02:00:00+00:00"),
        ];
        for (typed, stored) in cases {
            assert_eq!(
                text(field_value(&d, &json!(typed), &ctx())),
                stored,
                "{typed}"
            );
        }
        // "Today" is the caller's local day, not UTC's.
        let late = InputContext::at(
            DateTime::parse_from_rfc3339("2026-12-02T17:30:00Z").expect("utc evening"),
        );
        assert_eq!(
            text(field_value(&d, &json!("08:00"), &late)),
            "2026-12-03T08:00:00+08:00"
        );
    }

    #[test]
    fn a_bare_date_is_refused_for_a_date_time_field_naming_the_forms() {
        let d = def("inspection_record", "inspected_at");
        let err = field_value(&d, &json!("2026-12-02"), &ctx()).expect_err("date only");
        assert!(matches!(err, CoreError::DateWithoutTime { .. }), "{err}");
        let msg = err.to_string();
        assert!(
            msg.contains("检查时间") && msg.contains("2026-12-02 10:00"),
            "{msg}"
        );
        let err = field_value(&d, &json!("明天上午"), &ctx()).expect_err("unreadable");
        assert!(err.to_string().contains(DATE_TIME_FORMS), "{err}");
        let err = field_value(&d, &json!("25:00"), &ctx()).expect_err("no such hour");
        assert!(matches!(err, CoreError::InvalidDateTime { .. }), "{err}");
    }

    #[test]
    fn officers_are_named_by_user_name_name_or_id_and_stored_as_ids() {
        let d = def("inspection_record", "officers_present");
        for typed in [
            json!("zhangwei,李娜"),
            json!("张伟、u-li"),
            json!(["ZhangWei", "李娜", "张伟"]),
        ] {
            assert_eq!(
                field_value(&d, &typed, &ctx()),
                Ok(FieldValue::List(vec!["u-zhang".into(), "u-li".into()])),
                "{typed}"
            );
        }
        let err = field_value(&d, &json!("zhangwei,wangwu"), &ctx()).expect_err("stranger");
        let msg = err.to_string();
        assert!(msg.contains("wangwu"), "{msg}");
        assert!(msg.contains("张伟 (zhangwei)、李娜"), "{msg}");
    }

    #[test]
    fn a_refused_choice_lists_the_choices() {
        let d = def("inspection_record", "method");
        let err = field_value(&d, &json!("飞行检查"), &ctx()).expect_err("not a choice");
        assert_eq!(
            err.to_string(),
            "字段“检查方式”的取值“飞行检查”不在可选范围内, 可选: 现场检查、查阅资料、询问、抽样、双随机抽查"
        );
        let m = def("inspection_record", "items");
        let err = field_value(&m, &json!("档案安全,卫生"), &ctx()).expect_err("not a choice");
        assert!(err.to_string().contains("可选: 档案管理制度、"), "{err}");
        assert_eq!(
            field_value(&m, &json!("档案安全、档案利用"), &ctx()),
            Ok(FieldValue::List(vec!["档案安全".into(), "档案利用".into()]))
        );
    }

    #[test]
    fn stored_values_stay_canonical() {
        // A peer's change is checked with `validated`: only the stored forms.
        let d = def("inspection_record", "rectify_by");
        assert!(FieldValue::from_json(&d, &json!("2026/12/2")).is_err());
        let t = def("inspection_record", "inspected_at");
        let err = FieldValue::from_json(&t, &json!("2026-12-02")).expect_err("date only");
        assert!(matches!(err, CoreError::DateWithoutTime { .. }), "{err}");
        assert!(FieldValue::from_json(&t, &json!("2026-12-02 10:00")).is_err());
    }

    #[test]
    fn yes_and_no_as_typed() {
        let d = def("inspection_record", "credentials_shown");
        assert_eq!(
            field_value(&d, &json!("是"), &ctx()),
            Ok(FieldValue::Bool(true))
        );
        assert_eq!(
            field_value(&d, &json!(false), &ctx()),
            Ok(FieldValue::Bool(false))
        );
        let err = field_value(&d, &json!("也许"), &ctx()).expect_err("not yes/no");
        assert!(err.to_string().contains("是/否"), "{err}");
    }
}
