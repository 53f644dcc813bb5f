//! 重大执法决定法制审核 through the console, end to end over HTTP: submission
//! refused while a document is missing (named), the reviewer's extension
//! approved by the leader (the clock moves 5 working days), an opinion of
//! 纠正程序, the decision refused until the unit's rectification and the
//! leader's approval are recorded, then issued; the reviewer cannot approve
//! their own opinion; the officer's device receives it all.

use reqwest::StatusCode;
use serde_json::{json, Value};
use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, Party, PartyKind, Procedure, Stage};
use zhifa_core::doc::CaseDoc;
use zhifa_core::media::MediaRef;
use zhifa_core::template::{FieldType, SignerRole, TemplateRegistry};

use crate::client::{Device, AT};
use crate::common::TestServer;
use crate::console::Browser;

fn sample(key: &str, ty: FieldType, options: &[String]) -> Value {
    match key {
        "officers_present" => return json!([]),
        "materials" | "rights" => return json!(options),
        _ => {}
    }
    match ty {
        FieldType::Text | FieldType::LongText => json!(format!("{key} 的内容")),
        FieldType::Integer | FieldType::Money => json!(5_000_000),
        FieldType::Bool => json!(true),
        FieldType::Date => json!("2026-03-02"),
        FieldType::DateTime => json!(AT),
        FieldType::Choice => json!(options.first().cloned().unwrap_or_default()),
        FieldType::MultiChoice => json!([options.first().cloned().unwrap_or_default()]),
        FieldType::List => json!(["一", "二"]),
        FieldType::QaList => json!([{"q": "姓名?", "a": "王五"}]),
    }
}

/// A 50,000 元 penalty on an organisation at 审查决定, investigated by
/// zhangwei and lina, with its records; the 申报表 leaves out 调查报告 from
/// its materials. Returns (case id, application record id).
fn major_case(dev: &mut Device, lina: &zhifa_core::case::Officer) -> (String, String) {
    let id = uuid::Uuid::new_v4().to_string();
    let header = CaseHeader {
        id: id.clone(),
        kind: CaseKind::Penalty,
        procedure: Some(Procedure::General),
        title: format!("康保县某档案馆擅自销毁档案案 {}", &id[..8]),
        source: CaseSource::Complaint,
        stage: Stage::Investigation,
        unit: dev.session.login.officer.unit_id.clone(),
        created_at: AT.into(),
        created_by: dev.officer_id(),
        source_ref: None,
        fine_fen: Some(5_000_000),
        measures: Vec::new(),
    };
    let doc = CaseDoc::create(&header, &dev.session.actor, &dev.who()).expect("create");
    dev.docs.insert(id.clone(), doc);
    let me = dev.officer();
    let (zw, ln) = (me.id.clone(), lina.id.clone());
    let key = dev.session.key.clone();
    let lina = lina.clone();
    let mut app_id = String::new();
    dev.edit(&id, |doc, who| {
        doc.add_officer(&me, who).expect("me");
        doc.add_officer(&lina, who).expect("lina");
        doc.add_party(
            &Party {
                id: "p1".into(),
                kind: PartyKind::LegalPerson,
                name: "康保县某档案馆".into(),
                id_number: "12130723MB0000001J".into(),
                representative: Some("王五".into()),
                address: None,
                phone: None,
            },
            who,
        )
        .expect("party");
        for tpl_id in [
            "inspection_record",
            "rights_notice",
            "investigation_report",
            "penalty_decision",
            "review_application",
        ] {
            if tpl_id == "penalty_decision" {
                // The evidence is signed: the case enters 审查决定, where
                // the decision and the review application are drafted.
                doc.set_stage(Stage::Decision, who).expect("advance");
            }
            let tpl = TemplateRegistry::builtin().latest(tpl_id).expect("tpl");
            let rec = format!("{tpl_id}-1");
            doc.create_record(&rec, tpl, who).expect("record");
            for f in tpl.fields.iter().filter(|f| f.required) {
                doc.set_field_json(&rec, &f.key, &sample(&f.key, f.ty, &f.options), who)
                    .expect("field");
            }
            if tpl.officers_present {
                doc.set_field_json(&rec, "officers_present", &json!([zw, ln]), who)
                    .expect("present");
            }
            match tpl_id {
                "inspection_record" => {
                    let video = MediaRef {
                        sha256: "ab".repeat(32),
                        mime: "video/mp4".into(),
                        size: 1000,
                        captured_at: AT.into(),
                        gps: None,
                        device: "d".into(),
                        officer: zw.clone(),
                        record_id: rec.clone(),
                    };
                    doc.attach_media(&video, who).expect("video");
                }
                "rights_notice" => {
                    doc.set_field_json(&rec, "rights", &json!(["陈述", "申辩", "听证"]), who)
                        .expect("rights");
                }
                "penalty_decision" => {
                    // Decided today (after the review and rectification).
                    let today = chrono::Utc::now()
                        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("tz"))
                        .format("%Y-%m-%d")
                        .to_string();
                    doc.set_field_json(&rec, "decided_on", &json!(today), who)
                        .expect("date");
                    continue;
                }
                "review_application" => {
                    // One document missing: the 调查报告.
                    doc.set_field_json(
                        &rec,
                        "materials",
                        &json!(["申报表", "决定书代拟稿", "处理建议及说明", "证据材料"]),
                        who,
                    )
                    .expect("materials");
                    doc.clear_field(&rec, "submitted_on", who).expect("clear");
                    doc.clear_field(&rec, "unit_head_agreed", who)
                        .expect("clear");
                    app_id = rec.clone();
                    continue;
                }
                _ => {}
            }
            doc.seal_record(&rec, who, &key).expect("seal");
            for s in &tpl.signers {
                for i in 0..s.min {
                    let (sid, name) = match s.role {
                        SignerRole::Officer => {
                            [(zw.as_str(), "张伟"), (ln.as_str(), "李娜")][i as usize % 2]
                        }
                        SignerRole::Party => ("p1", "王五"),
                        _ => continue,
                    };
                    doc.sign_record(&rec, s.role, sid, name, None, who, &key)
                        .expect("sign");
                }
            }
        }
    });
    (id, app_id)
}

fn flash(location: &str) -> (bool, String) {
    let q = location.split('?').nth(1).unwrap_or_default();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q).unwrap_or_default();
    let ok = pairs.iter().any(|(k, _)| k == "ok");
    (ok, pairs.into_iter().map(|(_, v)| v).collect())
}

async fn post(b: &Browser, id: &str, path: &str, form: &[(&str, &str)]) -> (bool, String) {
    let token = b.csrf().await;
    let mut f = form.to_vec();
    f.push(("csrf", &token));
    let (status, location, _) = b.post(&format!("/cases/{id}/{path}"), &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
    flash(&location)
}

async fn page(b: &Browser, id: &str) -> String {
    let (status, _, html) = b.get(&format!("/cases/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    html
}

#[tokio::test]
async fn legal_review_from_submission_to_the_issued_decision() {
    let srv = TestServer::start().await;
    let lina = Device::new(srv.login("lina").await).officer();
    let mut dev = Device::new(srv.login("zhangwei").await);
    let (id, app) = major_case(&mut dev, &lina);
    dev.sync(&srv).await.expect("sync");
    let head = Browser::login(&srv, "wangqiang").await;
    let reviewer = Browser::login(&srv, "zhoumin").await;
    let leader = Browser::login(&srv, "sunjianguo").await;

    // Submitted with the 调查报告 missing: refused, the document named, nothing stored.
    let html = page(&head, &id).await;
    assert!(html.contains("重大执法决定法制审核") && html.contains("较大数额罚款"));
    let (ok, msg) = post(&head, &id, "review/submit", &[]).await;
    assert!(!ok && msg.contains("缺少送审材料「调查报告」"), "{msg}");
    assert!(msg.contains("第五条") || msg.contains("第六条"), "{msg}");
    assert!(page(&head, &id).await.contains("尚未提交"));
    // The reviewer cannot submit; the officer lists it and syncs; the head submits.
    assert!(!post(&reviewer, &id, "review/submit", &[]).await.0);
    dev.edit(&id, |doc, who| {
        doc.set_field_json(
            &app,
            "materials",
            &json!([
                "申报表",
                "决定书代拟稿",
                "处理建议及说明",
                "调查报告",
                "证据材料"
            ]),
            who,
        )
        .expect("materials");
    });
    dev.sync(&srv).await.expect("sync");
    let (ok, msg) = post(&head, &id, "review/submit", &[]).await;
    assert!(ok, "{msg}");
    let html = page(&reviewer, &id).await;
    assert!(
        html.contains("还剩") && html.contains("第十条"),
        "clock shown"
    );
    let due_before = clock_date(&html);
    // The dashboard lists every open obligation of the case, with its article.
    let (_, _, board) = reviewer.get("/deadlines").await;
    let title = format!("康保县某档案馆擅自销毁档案案 {}", &id[..8]);
    let rows: Vec<&str> = board.split("<tr>").filter(|r| r.contains(&title)).collect();
    assert!(
        rows.len() >= 2,
        "every obligation of the case, not only the first: {}",
        rows.len()
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("法制审核期限") && r.contains("三项制度(三)第十条")),
        "{rows:?}"
    );

    // Extension: asked by the reviewer, approved by the leader: +5 working days.
    assert!(
        !post(&leader, &id, "review/extension", &[("text", "案情复杂")])
            .await
            .0
    );
    let (ok, msg) = post(&reviewer, &id, "review/extension", &[("text", "案情复杂")]).await;
    assert!(ok, "{msg}");
    assert!(
        !post(&reviewer, &id, "review/extension/approve", &[])
            .await
            .0
    );
    let (ok, msg) = post(&leader, &id, "review/extension/approve", &[]).await;
    assert!(ok, "{msg}");
    let html = page(&reviewer, &id).await;
    assert!(html.contains("已批准延长 5 个工作日"));
    let due_after = clock_date(&html);
    let cal = zhifa_core::deadlines::Calendar::embedded();
    assert_eq!(
        cal.working_days_between(due_before, due_after),
        5,
        "{due_before} → {due_after}"
    );

    // The opinion: 程序违法的，建议纠正 with the procedure check failed.
    let mut form: Vec<(&str, &str)> = zhifa_core::rules::REVIEW_CHECKS
        .iter()
        .map(|k| {
            (
                *k,
                if *k == "check_procedure" {
                    "fail"
                } else {
                    "pass"
                },
            )
        })
        .collect();
    // 同意 with a failed check is refused by the checklist gate.
    form.push(("outcome", "同意"));
    form.push(("opinion", "送达程序不规范"));
    let (ok, msg) = post(&reviewer, &id, "review/opinion", &form).await;
    assert!(!ok && msg.contains("不能出具同意意见"), "{msg}");
    form.retain(|(k, _)| *k != "outcome");
    form.push(("outcome", "程序违法的，建议纠正"));
    let (ok, msg) = post(&reviewer, &id, "review/opinion", &form).await;
    assert!(ok, "{msg}");

    // The reviewer cannot approve their own opinion; the leader can.
    let (ok, msg) = post(&reviewer, &id, "review/opinion/approve", &[]).await;
    assert!(!ok, "{msg}");
    let (ok, msg) = post(&leader, &id, "review/opinion/approve", &[]).await;
    assert!(ok, "{msg}");

    // Issuing the decision is refused until the rectification is recorded and approved.
    let (ok, msg) = post(&head, &id, "advance", &[]).await;
    assert!(!ok && msg.contains("整改"), "{msg}");
    let (ok, msg) = post(
        &head,
        &id,
        "review/rectify",
        &[("measures", "重新依法送达"), ("result", "已补正送达程序")],
    )
    .await;
    assert!(ok, "{msg}");
    let (ok, msg) = post(&head, &id, "advance", &[]).await;
    assert!(
        !ok && msg.contains("整改"),
        "still needs the leader's approval: {msg}"
    );
    let html = page(&leader, &id).await;
    let rect = record_id_of(&html, "法制审核整改情况报告");
    let (ok, msg) = post(
        &leader,
        &id,
        "sign",
        &[("record", &rect), ("role", "leader")],
    )
    .await;
    assert!(ok, "{msg}");
    let (ok, msg) = post(&head, &id, "advance", &[]).await;
    assert!(ok, "{msg}");
    assert!(page(&head, &id)
        .await
        .contains("aria-current=\"step\">送达执行"));

    // The officer's device receives every step, signed by the office users.
    dev.sync(&srv).await.expect("sync");
    let case = dev.doc(&id).case().expect("case");
    assert_eq!(case.header.stage, Stage::ServiceExecution);
    let kinds: Vec<_> = case.events.iter().map(|e| e.kind).collect();
    use zhifa_core::case::EventKind as K;
    for k in [
        K::ReviewSubmitted,
        K::ReviewExtensionRequested,
        K::ReviewExtended,
        K::ReviewCompleted,
    ] {
        assert!(kinds.contains(&k), "{k:?} in {kinds:?}");
    }
    assert!(dev.doc(&id).verify_seals().expect("verify").is_empty());
}

/// The due date shown in the review clock (`<strong>YYYY-MM-DD (还剩 …`).
fn clock_date(html: &str) -> chrono::NaiveDate {
    let i = html.find("审核期限</dt>").expect("clock");
    let rest = &html[i..];
    let j = rest.find("<strong>").expect("strong") + "<strong>".len();
    chrono::NaiveDate::parse_from_str(&rest[j..j + 10], "%Y-%m-%d").expect("date")
}

/// The id of the record titled `name` on the case page (from its heading id).
fn record_id_of(html: &str, name: &str) -> String {
    html.split("<h3 id=\"rec-")
        .skip(1)
        .find_map(|part| {
            let (id, rest) = part.split_once("\">")?;
            rest.starts_with(name).then(|| id.to_string())
        })
        .expect("record heading")
}

#[tokio::test]
async fn the_reviewer_records_a_skipped_review_and_no_one_else_can() {
    let srv = TestServer::start().await;
    let lina = Device::new(srv.login("lina").await).officer();
    let mut dev = Device::new(srv.login("zhangwei").await);
    let (id, _) = major_case(&mut dev, &lina);
    dev.sync(&srv).await.expect("sync");
    let form = [("kind", "应当送审而未送审"), ("text", "拟直接作出决定")];
    let head = Browser::login(&srv, "wangqiang").await;
    let (ok, msg) = post(&head, &id, "review/violation", &form).await;
    assert!(!ok && msg.contains("法制审核人员"), "{msg}");
    let reviewer = Browser::login(&srv, "zhoumin").await;
    let (ok, msg) = post(
        &reviewer,
        &id,
        "review/violation",
        &[("kind", "别的"), ("text", "x")],
    )
    .await;
    assert!(!ok && msg.contains("请选择"), "{msg}");
    let (ok, msg) = post(&reviewer, &id, "review/violation", &form).await;
    assert!(ok, "{msg}");
    let html = page(&head, &id).await;
    assert!(html.contains("违反法制审核制度: 应当送审而未送审") && html.contains("第十三条"));
}

#[tokio::test]
async fn a_major_archive_violation_is_marked_and_then_needs_review() {
    let srv = TestServer::start().await;
    let mut dev = Device::new(srv.login("zhangwei").await);
    let (id, _) = crate::console::filed_case_on(&srv, &mut dev).await;
    let head = Browser::login(&srv, "wangqiang").await;
    assert!(
        !page(&head, &id).await.contains("id=\"review\""),
        "a small case is not major"
    );
    let officer = Browser::login(&srv, "zhangwei").await;
    assert!(!page(&officer, &id).await.contains("/measures\""));
    let (ok, _) = post(
        &officer,
        &id,
        "measures",
        &[("measure", "重大档案违法案件")],
    )
    .await;
    assert!(!ok, "an officer does not decide what is major");
    let (ok, msg) = post(&head, &id, "measures", &[("measure", "随便什么")]).await;
    assert!(!ok && msg.contains("不是规定的"), "{msg}");
    let (ok, msg) = post(&head, &id, "measures", &[("measure", "重大档案违法案件")]).await;
    assert!(ok && msg.contains("法制审核"), "{msg}");
    let html = page(&head, &id).await;
    assert!(html.contains("id=\"review\"") && html.contains("重大档案违法案件"));
    dev.sync(&srv).await.expect("sync");
    let case = dev.doc(&id).case().expect("case");
    assert_eq!(case.header.measures, vec!["重大档案违法案件".to_string()]);
}
