//! Bad input never panics: arbitrary JSON into every template field, arbitrary
//! bytes (and corrupted real documents) into `CaseDoc::load`, oversized free
//! text outside the templates.

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::Value;
use zhifa_core::case::{CaseKind, PartyKind};
use zhifa_core::doc::CaseDoc;
use zhifa_core::limits;
use zhifa_core::template::{SignerRole, TemplateRegistry};
use zhifa_core::CoreError;

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
        match doc.set_field_json("r1", key, &value, &who_a()) {
            Ok(()) => {
                let rec = doc.record("r1").expect("read back");
                prop_assert!(rec.fields.contains_key(key.as_str()));
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
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
