//! Bad input never panics and is refused for the right reason: arbitrary JSON
//! into every template field (checked against an oracle of what each field
//! type accepts), arbitrary bytes (and corrupted real documents) into
//! `CaseDoc::load`, oversized free text outside the templates.

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::Value;
use zhifa_core::case::{CaseKind, PartyKind};
use zhifa_core::doc::CaseDoc;
use zhifa_core::limits;
use zhifa_core::template::{FieldDef, FieldType, SignerRole, TemplateRegistry};
use zhifa_core::CoreError;

/// What a field must do with a value: take it, or refuse it with the error
/// the predicate names.
#[derive(Debug)]
enum Verdict {
    Accept,
    Refuse(&'static str),
}

/// True when `err` is the refusal `want` names.
fn refusal_is(want: &str, err: &CoreError) -> bool {
    match want {
        "WrongFieldType" => matches!(err, CoreError::WrongFieldType { .. }),
        "InvalidValue" => matches!(err, CoreError::InvalidValue { .. }),
        "TextTooLong" => matches!(err, CoreError::TextTooLong { .. }),
        "InvalidChoice" => matches!(err, CoreError::InvalidChoice { .. }),
        "InvalidDate" => matches!(err, CoreError::InvalidDate { .. }),
        "InvalidDateTime" => matches!(
            err,
            CoreError::InvalidDateTime { .. } | CoreError::DateWithoutTime { .. }
        ),
        _ => false,
    }
}

/// The oracle, written from the field types' documented forms (not from
/// `FieldValue::from_json`): which JSON each field type takes, and why it
/// refuses the rest. Checks run in the model's order: shape, then characters
/// and options, then length.
fn verdict(def: &FieldDef, v: &Value) -> Verdict {
    use Verdict::*;
    let forbidden = |s: &str| s.chars().any(limits::is_forbidden_char);
    let text = |s: &str| {
        if forbidden(s) {
            Refuse("InvalidValue")
        } else if s.chars().count() > def.max_chars() {
            Refuse("TextTooLong")
        } else {
            Accept
        }
    };
    let int = |v: &Value| match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    let strings = |v: &Value| -> Option<Vec<String>> {
        v.as_array()?
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect()
    };
    match def.ty {
        FieldType::Text | FieldType::LongText => match v.as_str() {
            Some(s) => text(s),
            None => Refuse("WrongFieldType"),
        },
        FieldType::Choice => match v.as_str() {
            Some(s) if def.options.iter().any(|o| o == s) => Accept,
            Some(_) => Refuse("InvalidChoice"),
            None => Refuse("WrongFieldType"),
        },
        FieldType::Date => match v.as_str() {
            Some(s) if chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").is_ok() => Accept,
            Some(_) => Refuse("InvalidDate"),
            None => Refuse("WrongFieldType"),
        },
        FieldType::DateTime => match v.as_str() {
            Some(s) if chrono::DateTime::parse_from_rfc3339(s.trim()).is_ok() => Accept,
            Some(_) => Refuse("InvalidDateTime"),
            None => Refuse("WrongFieldType"),
        },
        FieldType::Integer => match int(v) {
            Some(_) => Accept,
            None => Refuse("WrongFieldType"),
        },
        FieldType::Money => match int(v) {
            Some(n) if (0..=limits::MONEY_MAX_FEN).contains(&n) => Accept,
            Some(_) => Refuse("InvalidValue"),
            None => Refuse("WrongFieldType"),
        },
        FieldType::Bool => match v {
            Value::Bool(_) => Accept,
            _ => Refuse("WrongFieldType"),
        },
        FieldType::MultiChoice => match strings(v) {
            Some(items) if items.iter().all(|i| def.options.contains(i)) => Accept,
            Some(_) => Refuse("InvalidChoice"),
            None => Refuse("WrongFieldType"),
        },
        FieldType::List => match strings(v) {
            Some(items) if items.iter().any(|i| forbidden(i)) => Refuse("InvalidValue"),
            Some(items) if items.iter().any(|i| i.chars().count() > def.max_chars()) => {
                Refuse("TextTooLong")
            }
            Some(_) => Accept,
            None => Refuse("WrongFieldType"),
        },
        FieldType::QaList => {
            // A pair is {"q": text, "a": text} (other keys ignored) or, as
            // serde reads structs, the array [q, a].
            let pair = |i: &Value| -> Option<(String, String)> {
                match i {
                    Value::Object(m) => Some((
                        m.get("q")?.as_str()?.to_string(),
                        m.get("a")?.as_str()?.to_string(),
                    )),
                    Value::Array(a) if a.len() == 2 => {
                        Some((a[0].as_str()?.to_string(), a[1].as_str()?.to_string()))
                    }
                    _ => None,
                }
            };
            let pairs: Option<Vec<(String, String)>> =
                v.as_array().and_then(|a| a.iter().map(pair).collect());
            match pairs {
                None => Refuse("WrongFieldType"),
                Some(p) if p.iter().any(|(q, a)| forbidden(q) || forbidden(a)) => {
                    Refuse("InvalidValue")
                }
                Some(p)
                    if p.iter()
                        .map(|(q, a)| q.chars().count() + a.chars().count())
                        .sum::<usize>()
                        > def.max_chars() =>
                {
                    Refuse("TextTooLong")
                }
                Some(_) => Accept,
            }
        }
    }
}

/// A value each field type must accept, for the oracle's other half.
fn valid_value(def: &FieldDef) -> Value {
    match def.ty {
        FieldType::Text | FieldType::LongText => Value::from("现场检查未发现问题"),
        FieldType::Choice => Value::from(def.options[0].clone()),
        FieldType::Date => Value::from("2026-12-04"),
        FieldType::DateTime => Value::from("2026-12-04T10:00:00+08:00"),
        FieldType::Integer => Value::from(3),
        FieldType::Money => Value::from("20000"),
        FieldType::Bool => Value::from(true),
        FieldType::MultiChoice => serde_json::json!([def.options[0].clone()]),
        FieldType::List => serde_json::json!(["o1", "o2"]),
        FieldType::QaList => serde_json::json!([{"q": "姓名?", "a": "王五"}]),
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        ".{0,40}".prop_map(Value::String),
        "[0-9T:+-]{0,30}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,3}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// (template id, field key) of every field of every built-in template.
fn all_fields() -> Vec<(String, String)> {
    TemplateRegistry::builtin()
        .all()
        .flat_map(|t| t.fields.iter().map(|f| (t.id.clone(), f.key.clone())))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_into_any_field_is_accepted_or_a_typed_error(
        pick in any::<prop::sample::Index>(),
        value in json_value(),
    ) {
        let fields = all_fields();
        let (template, key) = &fields[pick.index(fields.len())];
        let mut doc = new_case(CaseKind::Penalty, None, PartyKind::LegalPerson);
        let tpl = common::template(template);
        doc.create_record("r1", &tpl, &who_a()).expect("create");
        let def = tpl.field(key).expect("field of its template").clone();
        // Arbitrary values: taken or refused exactly as the oracle says.
        let result = doc.set_field_json("r1", key, &value, &who_a());
        match (verdict(&def, &value), &result) {
            (Verdict::Accept, Ok(())) => {
                let rec = doc.record("r1").expect("read back");
                prop_assert!(rec.fields.contains_key(key.as_str()));
            }
            (Verdict::Refuse(want), Err(e)) => {
                prop_assert!(refusal_is(want, e), "{template}.{key} = {value}: want {want}, got {e:?}");
                prop_assert!(!e.to_string().is_empty());
            }
            (v, r) => prop_assert!(false, "{template}.{key} ({:?}) = {value}: oracle {v:?}, model {r:?}", def.ty),
        }
        // A well-formed value of the field's type is taken.
        let good = valid_value(&def);
        prop_assert!(matches!(verdict(&def, &good), Verdict::Accept));
        let taken = doc.set_field_json("r1", key, &good, &who_a());
        prop_assert!(taken.is_ok(), "{template}.{key} = {good}: {taken:?}");
        // That value one character too long, or with a bidi override, is refused.
        if let Some(s) = good.as_str().filter(|_| matches!(def.ty, FieldType::Text | FieldType::LongText)) {
            let long = Value::from("长".repeat(def.max_chars() + 1));
            let too_long = doc.set_field_json("r1", key, &long, &who_a());
            prop_assert!(matches!(too_long, Err(CoreError::TextTooLong { .. })), "{too_long:?}");
            let bidi = Value::from(format!("{s}\u{202e}"));
            let hidden = doc.set_field_json("r1", key, &bidi, &who_a());
            prop_assert!(matches!(hidden, Err(CoreError::InvalidValue { .. })), "{hidden:?}");
        }
        // An unknown key is a typed error too.
        let unknown = doc.set_field_json("r1", "no_such_field", &value, &who_a());
        let typed = matches!(unknown, Err(CoreError::UnknownField { .. }));
        prop_assert!(typed);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_loader(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = CaseDoc::load(&bytes, A1);
    }

    #[test]
    fn corrupted_documents_never_panic_the_loader_or_the_reader(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut doc = new_case(CaseKind::Inspection, None, PartyKind::LegalPerson);
        complete_record(&mut doc, "r1", "inspection_record");
        let mut bytes = doc.save();
        for (i, b) in flips {
            let n = i.index(bytes.len());
            bytes[n] ^= b | 1;
        }
        let keep = bytes.len() - cut.index(bytes.len() / 4 + 1);
        bytes.truncate(keep);
        if let Ok(d) = CaseDoc::load(&bytes, A1) {
            let _ = d.case();
            let _ = d.verify_seals();
            let _ = d.seal_conflicts();
        }
    }
}

#[test]
fn oversized_free_text_outside_templates_is_a_typed_error() {
    let too_long = |n: usize| "长".repeat(n + 1);
    let is_too_long = |r: Result<(), CoreError>| matches!(r, Err(CoreError::TextTooLong { .. }));
    // Case header.
    let mut h = header(CaseKind::Inspection, None);
    h.title = too_long(limits::SHORT_TEXT_MAX);
    assert!(matches!(
        CaseDoc::create(&h, A1, &who_a()),
        Err(CoreError::TextTooLong { .. })
    ));
    let mut doc = new_case(CaseKind::Penalty, None, PartyKind::NaturalPerson);
    // Party and officer.
    let mut p = party(PartyKind::NaturalPerson);
    p.id = "p2".into();
    p.name = too_long(limits::NAME_MAX);
    assert!(is_too_long(doc.add_party(&p, &who_a())));
    let mut p = party(PartyKind::NaturalPerson);
    p.id = "p3".into();
    p.address = Some(too_long(limits::SHORT_TEXT_MAX));
    assert!(is_too_long(doc.add_party(&p, &who_a())));
    let mut o = officer("o9", "赵九", "13000100009");
    o.name = too_long(limits::NAME_MAX);
    assert!(is_too_long(doc.add_officer(&o, &who_a())));
    // Event detail.
    assert!(is_too_long(doc.log_event(
        zhifa_core::case::EventKind::Other,
        &who_a(),
        None,
        &too_long(limits::EVENT_DETAIL_MAX)
    )));
    // Signer names, refusal and amendment reasons.
    complete_record(&mut doc, "r1", "inquiry_record");
    let sign = |doc: &mut CaseDoc, name: &str| {
        doc.sign_record(
            "r1",
            SignerRole::Witness,
            "w9",
            name,
            None,
            &who_a(),
            &key(1),
        )
        .map(|_| ())
    };
    assert!(is_too_long(sign(&mut doc, &too_long(limits::NAME_MAX))));
    let refuse = |doc: &mut CaseDoc, reason: &str, witness: &str| {
        doc.refuse_signature(
            "r1",
            SignerRole::Party,
            "王五",
            reason,
            witness,
            &who_a(),
            &key(1),
        )
        .map(|_| ())
    };
    assert!(is_too_long(refuse(
        &mut doc,
        &too_long(limits::REASON_MAX),
        "赵六"
    )));
    assert!(is_too_long(refuse(
        &mut doc,
        "拒绝",
        &too_long(limits::NAME_MAX)
    )));
    assert!(is_too_long(doc.amend_record(
        "r1",
        "r2",
        &too_long(limits::REASON_MAX),
        &who_a()
    )));
    // At the limit everything is accepted.
    assert!(sign(&mut doc, &"长".repeat(limits::NAME_MAX)).is_ok());
    assert!(doc
        .amend_record("r1", "r2", &"长".repeat(limits::REASON_MAX), &who_a())
        .is_ok());
}

/// Every field of every template against fixed awkward values: each is taken
/// or refused as the oracle says, and both happen for every field type.
#[test]
fn every_field_takes_or_refuses_fixed_values_as_the_oracle_says() {
    let awkward = serde_json::json!([
        null, true, -1, "-1", 1.5, "12", " 7 ", "x", "", "2026-13-01", "2026-12-04",
        "2026-12-04T10:00:00+08:00", "2026-12-04 10:00", "王五\u{202e}", ["x"], [1],
        [["问", "答"]], [{"q": "问", "a": "答"}], [{"q": 1, "a": "答"}], {"q": "问"},
        "100000000000001", 100000000000001_i64
    ]);
    let mut seen = std::collections::BTreeMap::<String, (usize, usize)>::new();
    for (template, key) in all_fields() {
        let tpl = common::template(&template);
        let def = tpl.field(&key).expect("field of its template").clone();
        let mut values = awkward.as_array().expect("array").clone();
        if let Some(first) = def.options.first() {
            values.push(Value::from(first.clone()));
            values.push(serde_json::json!([first]));
        }
        let mut doc = new_case(CaseKind::Penalty, None, PartyKind::LegalPerson);
        doc.create_record("r1", &tpl, &who_a()).expect("create");
        for value in &values {
            let result = doc.set_field_json("r1", &key, value, &who_a());
            let tally = seen.entry(format!("{:?}", def.ty)).or_default();
            match (verdict(&def, value), &result) {
                (Verdict::Accept, Ok(())) => tally.0 += 1,
                (Verdict::Refuse(want), Err(e)) if refusal_is(want, e) => tally.1 += 1,
                (v, r) => panic!("{template}.{key} = {value}: oracle {v:?}, model {r:?}"),
            }
        }
    }
    for (ty, (taken, refused)) in &seen {
        assert!(
            *taken > 0 && *refused > 0,
            "{ty}: {taken} taken, {refused} refused"
        );
    }
}
