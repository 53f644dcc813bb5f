//! Golden digests of the seal's canonical form: a fixed record content and
//! fixed signatures (tests/fixtures/seal_golden.json) give fixed bytes, a
//! fixed SHA-256 and fixed Ed25519 signatures. If any of these literals has
//! to change, every seal stored on phones and servers stops verifying: do not
//! update them, fix the code.
//!
//! The form is compared with an independent RFC 8785 (JCS) implementation
//! (serde_json_canonicalizer): identical for all sealed content, with the two
//! documented deviations of `zhifa_core::canonical` outside it.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use zhifa_core::canonical::to_canonical;
use zhifa_core::record::{FieldValue, QaPair};
use zhifa_core::seal::{canonical_content, digest_of, DeviceKey, Seal};
use zhifa_core::template::SignerRole;

/// SHA-256 of the golden record's canonical content.
const GOLDEN_DIGEST: &str = "37003ac3f44fab4cf84b9a8061095e97e0c051744849b133752c9a8d8bacefae";
/// The sealing device's signature over the golden seal.
const GOLDEN_SEAL_SIGNATURE: &str = "a0d0385846516481d3a40a74f94631030272403a1e441b459eca3eeace0f4b07240bb6fde5bbff6500781b2d0239ac04368d2bfea02640326a662013b3fb7a02";
/// The party's signature entry over the golden digest.
const GOLDEN_PARTY_SIGNATURE: &str = "d2b1114f629098a7d59614afd22124242aa8143449ba87aff85b445fc2799f7a23c1705a78a8ac2fdd6bd8388aec68d6e45db60f3d216355eb0144208696ed0e";

fn fixture() -> Value {
    let text = include_str!("fixtures/seal_golden.json");
    serde_json::from_str(text).expect("fixture is JSON")
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().expect(key)
}

fn fields(v: &Value) -> BTreeMap<String, FieldValue> {
    serde_json::from_value(v["fields"].clone()).expect("fields")
}

fn media(v: &Value) -> Vec<String> {
    serde_json::from_value(v["media"].clone()).expect("media")
}

fn content_of(v: &Value, fields: &BTreeMap<String, FieldValue>, media: &[String]) -> String {
    canonical_content(
        s(v, "record"),
        2,
        s(v, "template"),
        1,
        fields,
        media,
        Some((s(v, "amends"), s(v, "amend_reason"))),
    )
}

fn golden_content() -> String {
    let v = fixture();
    content_of(&v, &fields(&v), &media(&v))
}

/// The golden content's bytes, spelled out.
const GOLDEN_CONTENT: &str = concat!(
    r#"{"amend_reason":"笔误更正","amends":"r-golden-1","fields":{"Zone":"B","#,
    r#""credentials_shown":true,"day":"2026-03-02","#,
    r#""findings":"温湿度记录缺 3 天\t控制字符\u0001结束 😀","fine_fen":300000,"#,
    r#""items":["档案安全","档案利用"],"place":"县档案馆 \"东库\" / 二层","#,
    r#""qa":[{"a":"是\n(本人)","q":"你是否为负责人?"}]},"media":["#,
    r#""aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","#,
    r#""bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"],"#,
    r#""record":"r-golden-2","revision":2,"template":"inspection_record","version":1}"#
);

#[test]
fn the_golden_record_has_the_golden_bytes_digest_and_signatures() {
    let v = fixture();
    let content = golden_content();
    assert_eq!(content, GOLDEN_CONTENT);
    assert_eq!(digest_of(&content), GOLDEN_DIGEST);

    let sv = &v["seal"];
    let seed = sv["key_seed"].as_u64().expect("seed") as u8;
    let key = DeviceKey::from_secret([seed; 32]);
    let mut seal = Seal::create(
        content.clone(),
        s(sv, "sealed_at"),
        s(sv, "sealed_by"),
        s(sv, "device"),
        &key,
    );
    assert_eq!(seal.digest, GOLDEN_DIGEST);
    assert_eq!(seal.signature, GOLDEN_SEAL_SIGNATURE);
    for sig in v["signatures"].as_array().expect("signatures") {
        let role: SignerRole = serde_json::from_value(sig["role"].clone()).expect("role");
        let entry = seal.sign_entry(
            role,
            s(sig, "signer_id"),
            s(sig, "signer_name"),
            s(sig, "at"),
            s(sig, "device"),
            sig["strokes"].as_str().map(String::from),
            &key,
        );
        if role == SignerRole::Party {
            assert_eq!(entry.signature, GOLDEN_PARTY_SIGNATURE);
        }
        seal.signatures.push(entry);
    }
    assert_eq!(seal.signatures.len(), 2);
    assert_eq!(seal.verify(&content), Vec::<String>::new());
}

#[test]
fn the_golden_form_is_rfc8785() {
    let content = golden_content();
    let parsed: Value = serde_json::from_str(&content).expect("json");
    let jcs = serde_json_canonicalizer::to_string(&parsed).expect("jcs");
    assert_eq!(jcs, content);
    assert_eq!(to_canonical(&parsed), content);
    // The bytes serde_json has always written for this (sorted) content:
    // what seals made before the explicit form were made over.
    assert_eq!(parsed.to_string(), content);
}

/// Rebuilds every object of `v` inserting its keys in reverse order.
fn reinserted_backwards(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            for k in keys.into_iter().rev() {
                out.insert(k.clone(), reinserted_backwards(&m[k]));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(reinserted_backwards).collect()),
        other => other.clone(),
    }
}

#[test]
fn map_insertion_order_never_reaches_the_bytes() {
    // With serde_json's `preserve_order` on, a map keeps insertion order;
    // the canonical form must still sort (this fails if it ever relies on
    // the map's own order).
    let parsed: Value = serde_json::from_str(GOLDEN_CONTENT).expect("json");
    let backwards = reinserted_backwards(&parsed);
    assert_eq!(to_canonical(&backwards), GOLDEN_CONTENT);
    let mut m = Map::new();
    m.insert("version".into(), json!(1));
    m.insert("record".into(), json!("r"));
    m.insert("fields".into(), json!({}));
    assert_eq!(
        to_canonical(&Value::Object(m)),
        r#"{"fields":{},"record":"r","version":1}"#
    );
    // Media given in another order or twice: same content.
    let v = fixture();
    let mut m = media(&v);
    m.reverse();
    m.push(m[0].clone());
    assert_eq!(digest_of(&content_of(&v, &fields(&v), &m)), GOLDEN_DIGEST);
}

#[test]
fn any_change_of_value_key_or_field_set_changes_the_digest() {
    let v = fixture();
    let f = fields(&v);
    let m = media(&v);
    let mut variants: Vec<(&str, BTreeMap<String, FieldValue>)> = Vec::new();
    let mut g = f.clone();
    g.insert("fine_fen".into(), FieldValue::Int(300001));
    variants.push(("value", g));
    let mut g = f.clone();
    g.insert(
        "place".into(),
        FieldValue::Text("县档案馆 \"东库\" / 二层 ".into()),
    );
    variants.push(("trailing space", g));
    let mut g = f.clone();
    let moved = g.remove("Zone").expect("Zone");
    g.insert("zone".into(), moved);
    variants.push(("key case", g));
    let mut g = f.clone();
    g.insert("extra".into(), FieldValue::Text(String::new()));
    variants.push(("added field", g));
    let mut g = f.clone();
    g.remove("day");
    variants.push(("removed field", g));
    let mut g = f.clone();
    g.insert("credentials_shown".into(), FieldValue::Bool(false));
    variants.push(("bool", g));
    let mut g = f.clone();
    g.insert(
        "items".into(),
        FieldValue::List(vec!["档案利用".into(), "档案安全".into()]),
    );
    variants.push(("list order", g));
    let mut g = f.clone();
    g.insert(
        "qa".into(),
        FieldValue::Qa(vec![QaPair {
            q: "是\n(本人)".into(),
            a: "你是否为负责人?".into(),
        }]),
    );
    variants.push(("question and answer swapped", g));
    for (what, g) in &variants {
        assert_ne!(
            digest_of(&content_of(&v, g, &m)),
            GOLDEN_DIGEST,
            "{what} must change the digest"
        );
    }
    let mut m2 = m.clone();
    m2.push("d".repeat(64));
    assert_ne!(digest_of(&content_of(&v, &f, &m2)), GOLDEN_DIGEST);
    let other_reason = canonical_content(
        s(&v, "record"),
        2,
        s(&v, "template"),
        1,
        &f,
        &m,
        Some((s(&v, "amends"), "笔误更正。")),
    );
    assert_ne!(digest_of(&other_reason), GOLDEN_DIGEST);
}

#[test]
fn the_two_documented_deviations_from_jcs_keep_todays_bytes() {
    // 1. Integers beyond 2^53: exact digits here, the nearest double in JCS.
    let big = json!({"n": 9_007_199_254_740_993_i64});
    assert_eq!(to_canonical(&big), r#"{"n":9007199254740993}"#);
    let jcs = serde_json_canonicalizer::to_string(&big).expect("jcs");
    assert_ne!(jcs, to_canonical(&big));
    let edge = json!({"n": 9_007_199_254_740_992_i64, "m": -9_007_199_254_740_992_i64});
    assert_eq!(
        serde_json_canonicalizer::to_string(&edge).expect("jcs"),
        to_canonical(&edge)
    );
    // 2. Key order by UTF-8 bytes, JCS by UTF-16 units: only U+E000–U+FFFF
    //    against a character above U+FFFF differs.
    let keys = json!({"\u{ff01}": 1, "\u{1f600}": 2});
    assert_eq!(to_canonical(&keys), "{\"\u{ff01}\":1,\"\u{1f600}\":2}");
    assert_ne!(
        serde_json_canonicalizer::to_string(&keys).expect("jcs"),
        to_canonical(&keys)
    );
}

/// Any text, control characters and astral-plane characters included
/// (`any::<String>()` alone leaves out control characters).
fn text() -> impl Strategy<Value = String> + Clone {
    prop::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter)
}

fn field_value() -> impl Strategy<Value = FieldValue> {
    prop_oneof![
        text().prop_map(FieldValue::Text),
        (-(1i64 << 53)..=(1i64 << 53)).prop_map(FieldValue::Int),
        any::<bool>().prop_map(FieldValue::Bool),
        prop::collection::vec(text(), 0..4).prop_map(FieldValue::List),
        prop::collection::vec((text(), text()), 0..3)
            .prop_map(|v| FieldValue::Qa(v.into_iter().map(|(q, a)| QaPair { q, a }).collect())),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Every content a template can seal (ASCII keys, integers within
    /// ±2^53, any text) is written exactly as RFC 8785 writes it.
    #[test]
    fn sealed_content_is_jcs(
        fields in prop::collection::btree_map("[a-zA-Z_][a-zA-Z0-9_]{0,20}", field_value(), 0..8),
        media in prop::collection::vec("[0-9a-f]{64}", 0..4),
        reason in text(),
        amended in any::<bool>(),
    ) {
        let amendment = amended.then_some(("r0", reason.as_str()));
        let content = canonical_content("r1", 1, "inspection_record", 1, &fields, &media, amendment);
        let parsed: Value = serde_json::from_str(&content).expect("json");
        let jcs = serde_json_canonicalizer::to_string(&parsed).expect("jcs");
        prop_assert_eq!(jcs, content);
    }
}
