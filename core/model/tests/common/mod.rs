//! Builders shared by the integration tests of zhifa-core.
#![allow(dead_code)]

use std::collections::BTreeSet;

use serde_json::json;
use sha2::{Digest, Sha256};
use zhifa_core::case::{
    CaseHeader, CaseKind, CaseSource, Officer, OfficerStatus, Party, PartyKind, Procedure, Stage,
};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::media::MediaRef;
use zhifa_core::rules::{check, Gate, GateInput, RuleProfile, Unmet};
use zhifa_core::seal::DeviceKey;
use zhifa_core::template::{SignerRole, TemplateRegistry};

pub const AT: &str = "2026-03-02T09:30:00+08:00";
pub const A1: &[u8] = b"device-a-actor01";
pub const A2: &[u8] = b"device-b-actor02";
pub const A3: &[u8] = b"device-c-actor03";

pub fn who_a() -> Actor<'static> {
    Actor {
        user: "zhangwei",
        device: "dev-a",
        at: AT,
    }
}

pub fn who_b() -> Actor<'static> {
    Actor {
        user: "lina",
        device: "dev-b",
        at: AT,
    }
}

pub fn key(n: u8) -> DeviceKey {
    DeviceKey::from_secret([n; 32])
}

pub fn header(kind: CaseKind, procedure: Option<Procedure>) -> CaseHeader {
    CaseHeader {
        id: "case-0001".into(),
        kind,
        procedure,
        title: "某档案馆档案安全检查".into(),
        source: CaseSource::RandomInspection,
        stage: Stage::Investigation,
        unit: "执法监督科".into(),
        created_at: AT.into(),
        created_by: "zhangwei".into(),
        source_ref: Some("task-2026-01".into()),
        fine_fen: None,
        measures: Vec::new(),
    }
}

pub fn officer(id: &str, name: &str, credential: &str) -> Officer {
    Officer {
        id: id.into(),
        name: name.into(),
        post: "科员".into(),
        credential_no: credential.into(),
        unit: "执法监督科".into(),
        status: OfficerStatus::Active,
    }
}

pub fn party(kind: PartyKind) -> Party {
    Party {
        id: "p1".into(),
        kind,
        name: if kind == PartyKind::NaturalPerson {
            "王五".into()
        } else {
            "某县某档案服务有限公司".into()
        },
        id_number: if kind == PartyKind::NaturalPerson {
            "13070219900101123X".into()
        } else {
            "91350100M000100Y43".into()
        },
        representative: None,
        address: Some("某县人民路1号".into()),
        phone: Some("13912345678".into()),
    }
}

/// A case with two qualified officers and one party.
pub fn new_case(kind: CaseKind, procedure: Option<Procedure>, party_kind: PartyKind) -> CaseDoc {
    let who = who_a();
    let mut doc = CaseDoc::create(&header(kind, procedure), A1, &who).expect("create");
    doc.add_officer(&officer("zhangwei", "张伟", "13000100001"), &who)
        .expect("officer");
    doc.add_officer(&officer("lina", "李娜", "13000100002"), &who)
        .expect("officer");
    doc.add_party(&party(party_kind), &who).expect("party");
    doc
}

pub fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub fn media(record_id: &str, mime: &str, seed: &str) -> MediaRef {
    MediaRef {
        sha256: sha(seed.as_bytes()),
        mime: mime.into(),
        size: 1024,
        captured_at: AT.into(),
        gps: None,
        device: "dev-a".into(),
        officer: "zhangwei".into(),
        record_id: record_id.into(),
    }
}

/// Fills every required field of a record with a valid value (JSON as the
/// shells send it).
pub fn fill_required(doc: &mut CaseDoc, record_id: &str, template: &str) {
    let tpl = crate::common::template(template);
    let who = who_a();
    for f in tpl.fields.iter().filter(|f| f.required) {
        let v = sample_value(&f.key, f.ty, &f.options);
        doc.set_field_json(record_id, &f.key, &v, &who)
            .unwrap_or_else(|e| panic!("{template}.{}: {e}", f.key));
    }
}

pub fn sample_value(
    key: &str,
    ty: zhifa_core::template::FieldType,
    options: &[String],
) -> serde_json::Value {
    use zhifa_core::template::FieldType as T;
    if key == "officers_present" {
        return json!(["zhangwei", "lina"]);
    }
    if key == "outcome" {
        return json!("同意");
    }
    if key == "materials" || key == "rights" {
        return json!(options);
    }
    match ty {
        T::Text | T::LongText => json!(format!("{key} 的内容")),
        T::Integer | T::Money => json!(100),
        T::Bool => json!(true),
        T::Date => json!("2026-03-02"),
        T::DateTime => json!(AT),
        T::Choice => json!(options.first().cloned().unwrap_or_default()),
        T::MultiChoice => json!([options.first().cloned().unwrap_or_default()]),
        T::List => json!(["一", "二"]),
        T::QaList => json!([{"q": "你的姓名?", "a": "王五"}]),
    }
}

/// Creates, fills, seals and has every required role sign a record.
pub fn complete_record(doc: &mut CaseDoc, record_id: &str, template: &str) {
    let who = who_a();
    let tpl = crate::common::template(template);
    doc.create_record(record_id, &tpl, &who)
        .expect("create record");
    fill_required(doc, record_id, template);
    if tpl.av_required {
        doc.attach_media(
            &media(record_id, "video/mp4", &format!("{record_id}-video")),
            &who,
        )
        .expect("av");
    }
    doc.seal_record(record_id, &who, &key(1)).expect("seal");
    sign_all(doc, record_id, &tpl.signers);
}

pub fn sign_all(doc: &mut CaseDoc, record_id: &str, rules: &[zhifa_core::template::SignerRule]) {
    let who = who_a();
    for rule in rules {
        for i in 0..rule.min {
            let (id, name) = match rule.role {
                SignerRole::Officer => [("zhangwei", "张伟"), ("lina", "李娜")][i as usize % 2],
                SignerRole::Party => ("p1", "王五"),
                SignerRole::Witness => ("w1", "赵六"),
                SignerRole::Reviewer => ("zhoumin", "周敏"),
                SignerRole::Leader => ("sunjianguo", "孙建国"),
            };
            doc.sign_record(record_id, rule.role, id, name, None, &who, &key(1))
                .expect("sign");
        }
    }
}

/// A built-in template by id (latest version).
pub fn template(id: &str) -> zhifa_core::template::Template {
    TemplateRegistry::builtin()
        .latest(id)
        .expect("template")
        .clone()
}

/// Creates a record and fills its required fields; returns its template.
pub fn filled_record(
    doc: &mut CaseDoc,
    record_id: &str,
    template_id: &str,
) -> zhifa_core::template::Template {
    let tpl = template(template_id);
    doc.create_record(record_id, &tpl, &who_a())
        .expect("create record");
    fill_required(doc, record_id, template_id);
    tpl
}

/// Checks one gate against the case in `doc` (every media file present).
pub fn run(gate: Gate, doc: &CaseDoc) -> Vec<Unmet> {
    let case = doc.case().expect("case");
    let profile = RuleProfile::default();
    let present: BTreeSet<String> = case.media.keys().cloned().collect();
    check(
        gate,
        &GateInput {
            case: &case,
            profile: &profile,
            present_media: Some(&present),
        },
    )
}

/// The unmet conditions as lines.
pub fn messages(u: &[Unmet]) -> String {
    u.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A penalty case of `procedure` on a party of `party`.
pub fn penalty(procedure: Procedure, party: PartyKind) -> CaseDoc {
    new_case(CaseKind::Penalty, Some(procedure), party)
}

/// A general-procedure penalty of 50,000 元 on a company: major.
pub fn major_case() -> CaseDoc {
    let mut doc = penalty(Procedure::General, PartyKind::LegalPerson);
    doc.set_fine(Some(5_000_000), &who_a()).unwrap(); // 50,000 元 in fen
    doc
}

/// Sets the 作出决定日期 of the case's 决定书 (creating it).
pub fn decision_on(doc: &mut CaseDoc, day: &str) {
    let tpl = template("penalty_decision");
    if doc.record("d1").is_err() {
        doc.create_record("d1", &tpl, &who_a()).unwrap();
    }
    doc.set_field_json("d1", "decided_on", &json!(day), &who_a())
        .unwrap();
}
