//! The demo bureau with its cases (`--demo`): stages and units, seals, the
//! seal conflict, the legal-review clock, the overdue fine, media on disk, a
//! device receiving its cases, and masked identity numbers in the list.

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde_json::Value;
use sha2::{Digest, Sha256};
use zhifa_core::case::{EventKind, PartyKind};
use zhifa_core::deadlines::{clock_of_case, DeadlineEngine, ObligationState};
use zhifa_core::doc::Case;
use zhifa_server::store::sqlite::SqliteStore;
use zhifa_server::store::{CaseScope, Store};

use crate::client::Device;
use crate::common::TestServer;

/// Starts a server with the whole demo (accounts and cases) and prints how
/// long the start took, with and without the cases.
async fn demo_server() -> TestServer {
    let t = Instant::now();
    let srv = TestServer::start_with(|c| c.demo_cases = true).await;
    let with_cases = t.elapsed();
    let t = Instant::now();
    let _accounts_only = TestServer::start().await;
    let without = t.elapsed();
    println!(
        "demo start: {} ms with the cases, {} ms accounts only (cases ≈ {} ms)",
        with_cases.as_millis(),
        without.as_millis(),
        with_cases.as_millis().saturating_sub(without.as_millis())
    );
    srv
}

fn store(srv: &TestServer) -> SqliteStore {
    SqliteStore::open(&srv.dir.path().join("zhifa.db"), 1).expect("open store")
}

/// Every demo case by title, hydrated, with its seal problems and conflicts.
struct Loaded {
    case: Case,
    unit: String,
    stage: String,
    bad_seals: usize,
    conflicts: usize,
}

fn cases(srv: &TestServer) -> BTreeMap<String, Loaded> {
    let s = store(srv);
    let mut out = BTreeMap::new();
    for meta in s.list_cases(&CaseScope::All).expect("list") {
        let stored = s.load_case(&meta.id).expect("load").expect("stored");
        let doc = zhifa_server::casedoc::load(&stored).expect("document");
        let case = doc.case().expect("case");
        out.insert(
            meta.title.clone(),
            Loaded {
                case,
                unit: meta.unit_id.clone(),
                stage: meta.stage.clone(),
                bad_seals: doc.verify_seals().expect("verify").len(),
                conflicts: doc.seal_conflicts().expect("conflicts").len(),
            },
        );
    }
    out
}

fn today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

fn working_days_ago(n: u32) -> NaiveDate {
    let mut d = today();
    let mut left = n;
    while left > 0 {
        d -= Duration::days(1);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

fn gb11643_ok(id: &str) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let b: Vec<char> = id.chars().collect();
    if b.len() != 18 || !b[..17].iter().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    "10X98765432".chars().nth((sum % 11) as usize) == Some(b[17])
}

const CONFLICT: &str = "康保县某粮食储备库档案室防护检查";
const MAJOR: &str = "康保县某档案服务有限公司擅自销毁委托保管档案案";
const OVERDUE: &str = "康保县某房地产开发有限公司查阅档案时损毁馆藏档案案";
const PAID: &str = "王建军擅自复制并公布馆藏档案案";

#[tokio::test]
async fn the_demo_bureau_has_a_dozen_cases_at_their_stages() {
    let srv = demo_server().await;
    let all = cases(&srv);
    let expected = [
        (
            "康保县某档案馆档案安全随机抽查",
            "investigation",
            "u-jiandu",
        ),
        (
            "康保县某中学档案室档案管理检查",
            "investigation",
            "u-jiandu",
        ),
        (
            "康保县某镇人民政府档案库房安全检查",
            "investigation",
            "u-jiandu",
        ),
        (
            "康保镇某社区居委会档案移交情况检查",
            "investigation",
            "u-zhidao",
        ),
        (
            "康保县某医院电子档案管理随机抽查",
            "investigation",
            "u-zhidao",
        ),
        (CONFLICT, "investigation", "u-jiandu"),
        (
            "康保县某粮油购销有限公司涉嫌擅自销毁档案案",
            "initiation",
            "u-jiandu",
        ),
        (MAJOR, "decision", "u-jiandu"),
        (OVERDUE, "service_execution", "u-jiandu"),
        (PAID, "archiving", "u-jiandu"),
        (
            "李文静在档案馆查阅室违规拍摄档案案（简易程序）",
            "service_execution",
            "u-jiandu",
        ),
        ("赵德明涉嫌买卖国有档案案", "investigation", "u-jiandu"),
    ];
    assert_eq!(all.len(), expected.len(), "{:?}", all.keys());
    for (title, stage, unit) in expected {
        let c = all.get(title).unwrap_or_else(|| panic!("case {title}"));
        assert_eq!(
            (c.stage.as_str(), c.unit.as_str()),
            (stage, unit),
            "{title}"
        );
        if title == CONFLICT {
            assert_eq!(c.conflicts, 1, "the intended seal conflict is reported");
            assert_eq!(c.bad_seals, 1, "and its seal no longer verifies");
        } else {
            assert_eq!(c.conflicts, 0, "{title}: no seal conflict");
            assert_eq!(c.bad_seals, 0, "{title}: every seal verifies");
        }
        // Every change is attributable: events by demo accounts on their demo devices.
        assert!(c
            .case
            .events
            .iter()
            .all(|e| !e.device.is_empty() && !e.actor.is_empty()));
    }

    // The 立案审批表 waits for the unit head: filled by the officer, not sealed.
    let filing = &all["康保县某粮油购销有限公司涉嫌擅自销毁档案案"].case;
    let fa = filing
        .records
        .iter()
        .find(|r| r.template == "filing_approval")
        .expect("filing approval");
    assert!(fa.seal.is_none());
    for k in [
        "case_reason",
        "source_detail",
        "party_summary",
        "facts",
        "handlers",
        "handler_opinion",
    ] {
        assert!(fa.fields.contains_key(k), "{k} filled");
    }
    for k in ["unit_opinion", "leader_opinion", "approved"] {
        assert!(!fa.fields.contains_key(k), "{k} left to the office");
    }

    // The major case: submitted for legal review 3 working days ago, no opinion yet.
    let major = &all[MAJOR].case;
    let submitted = major
        .events
        .iter()
        .find(|e| e.kind == EventKind::ReviewSubmitted)
        .expect("ReviewSubmitted event");
    assert!(submitted
        .at
        .starts_with(&working_days_ago(3).format("%Y-%m-%d").to_string()));
    assert!(major.records.iter().all(|r| r.template != "review_opinion"));
    let app = major
        .records
        .iter()
        .find(|r| r.template == "review_application")
        .expect("application");
    assert!(app.seal.as_ref().is_some_and(|s| s.signatures.len() == 2));
    assert!(
        major.header.fine_fen.is_some_and(|f| f >= 3_000_000),
        "a major fine"
    );

    // The fines: overdue, and paid on time.
    let engine = DeadlineEngine::embedded().expect("engine");
    let payment = |title: &str| {
        let clock = clock_of_case(&all[title].case);
        engine
            .obligations(&clock, today())
            .into_iter()
            .find(|o| o.rule.id == "ap_67_payment")
            .map(|o| (o.state, o.rule.citation.clone(), o.met_late))
            .unwrap_or_else(|| panic!("{title}: payment obligation"))
    };
    let (state, citation, _) = payment(OVERDUE);
    assert_eq!(state, ObligationState::Overdue);
    assert_eq!(citation, "行政处罚法 art.67");
    let (state, _, late) = payment(PAID);
    assert_eq!((state, late), (ObligationState::Met, false));

    // Identity numbers: natural persons carry a valid 18-digit 身份证号.
    let people: Vec<_> = all
        .values()
        .flat_map(|c| c.case.parties.iter())
        .filter(|p| p.kind == PartyKind::NaturalPerson)
        .collect();
    assert!(people.len() >= 2);
    for p in people {
        assert!(gb11643_ok(&p.id_number), "{} {}", p.name, p.id_number);
        assert!(p.phone.is_some() && p.address.is_some());
    }
    assert!(all
        .values()
        .flat_map(|c| c.case.parties.iter())
        .any(|p| p.kind == PartyKind::LegalPerson && p.id_number.len() == 18));
}

#[tokio::test]
async fn every_demo_media_file_is_stored_with_its_hash_and_size() {
    let srv = demo_server().await;
    let s = store(&srv);
    let media_dir = srv.dir.path().join("media");
    let mut seen = 0;
    let mut video = false;
    for meta in s.list_cases(&CaseScope::All).expect("list") {
        for m in s.case_media(&meta.id).expect("case media") {
            let path = zhifa_server::media::final_path(&media_dir, &m.sha256);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(hex::encode(Sha256::digest(&bytes)), m.sha256);
            assert_eq!(bytes.len() as u64, m.size);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
                assert_eq!(mode & 0o777, 0o600, "{}", path.display());
            }
            let rec = s.media(&m.sha256).expect("media row").expect("recorded");
            assert_eq!(rec.size, m.size);
            match m.mime.as_str() {
                "image/jpeg" => {
                    assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]));
                    assert!(m.size < 400 * 1024);
                }
                "video/mp4" => {
                    assert_eq!(&bytes[4..8], b"ftyp");
                    assert!(m.size <= 300 * 1024);
                    video = true;
                }
                other => panic!("unexpected mime {other}"),
            }
            seen += 1;
        }
    }
    assert!(seen >= 8 && video, "{seen} media references");
}

#[tokio::test]
async fn a_device_login_receives_the_assigned_cases_at_the_idle_check() {
    let srv = demo_server().await;
    let s = store(&srv);
    let all = s.list_cases(&CaseScope::All).expect("list");
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let me = zhang.officer_id();
    let mine = all.iter().filter(|c| c.officers.contains(&me)).count();
    assert!(mine >= 8, "{mine}");
    let r = zhang.sync(&srv).await.expect("sync");
    assert_eq!(r.check.available.len(), mine);
    assert_eq!(r.fetched, mine);
    assert_eq!(r.accepted, 0, "nothing to send back");
    // What he got is what the server holds.
    let again = zhang.sync(&srv).await.expect("second sync");
    assert!(again.check.available.is_empty() && again.check.changed.is_empty());

    // Unit scoping: 业务指导科 sees only its own cases.
    let mut liu = Device::new(srv.login("liuyang").await);
    let r = liu.sync(&srv).await.expect("liu sync");
    let zhidao = all.iter().filter(|c| c.unit_id == "u-zhidao").count();
    assert_eq!(r.fetched, zhidao);
    assert!(liu
        .docs
        .values()
        .all(|d| d.header().map(|h| h.unit == "u-zhidao").unwrap_or(false)));
}

#[tokio::test]
async fn identity_numbers_never_appear_unmasked_in_the_case_list() {
    let srv = demo_server().await;
    let ids: Vec<String> = cases(&srv)
        .values()
        .flat_map(|c| c.case.parties.iter().map(|p| p.id_number.clone()))
        .collect();
    assert!(ids.len() >= 12);
    for user in ["sunjianguo", "zhangwei", "wangqiang", "liuyang"] {
        let s = srv.login(user).await;
        let body = srv
            .get(&s, "/api/v1/cases")
            .await
            .text()
            .await
            .expect("list");
        let list: Value = serde_json::from_str(&body).expect("json");
        assert!(!list.as_array().expect("array").is_empty(), "{user}");
        for id in &ids {
            assert!(
                !body.contains(id.as_str()),
                "{user}: {id} unmasked in the list"
            );
        }
    }
}
