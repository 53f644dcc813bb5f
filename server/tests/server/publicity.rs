//! 行政执法公示 end to end over HTTP: a decided penalty on a natural person
//! is drafted (name and numbers masked), checked and sealed by the liaison,
//! appears on the portal and its feed; only the liaison may publish; a
//! leader records the decision revoked, the liaison takes the entry down with
//! the explanation, and the portal shows why instead of the content; the
//! public's correction is answered by the legal office and shown.

use reqwest::StatusCode;
use serde_json::json;
use zhifa_core::case::{Party, PartyKind};
use zhifa_core::template::TemplateRegistry;

use crate::client::Device;
use crate::common::TestServer;
use crate::console::Browser;

const NAME: &str = "王小五";
const ID: &str = "11010519491231002X";
const PHONE: &str = "13912345678";

/// A penalty case on a natural person with a sealed 处罚决定书 whose facts
/// name the party and their numbers in full. Returns the case id.
pub(crate) async fn decided_case(srv: &TestServer) -> String {
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("公示测试案件");
    let key = zhang.session.key.clone();
    zhang.edit(&case, |d, who| {
        d.add_party(
            &Party {
                id: "p1".into(),
                kind: PartyKind::NaturalPerson,
                name: NAME.into(),
                id_number: ID.into(),
                representative: None,
                address: Some("河北省张家口市康保县人民路 9 号".into()),
                phone: Some(PHONE.into()),
            },
            who,
        )
        .expect("party");
        let tpl = TemplateRegistry::builtin()
            .latest("penalty_decision")
            .expect("tpl");
        d.create_record("dec", tpl, who).expect("record");
        for (k, v) in [
            ("decision_no", json!("康档罚〔2026〕9号")),
            ("party", json!(NAME)),
            (
                "facts",
                json!(format!("{NAME} (身份证 {ID}, 电话 {PHONE}) 擅自销毁档案")),
            ),
            ("basis", json!("《中华人民共和国档案法》第四十八条")),
            ("penalty", json!("警告, 罚款 2000 元")),
            ("fine_fen", json!(200_000)),
            ("payment", json!("15 日内缴纳")),
            (
                "remedies",
                json!("60 日内申请行政复议或 6 个月内提起行政诉讼"),
            ),
            ("drafter", json!("张伟")),
            ("reviewer", json!("周敏")),
            ("collective_discussion", json!(false)),
            ("decided_on", json!("2026-03-02")),
        ] {
            d.set_field_json("dec", k, &v, who).expect("field");
        }
        d.seal_record("dec", who, &key).expect("seal");
    });
    zhang.sync(srv).await.expect("sync");
    case
}

/// Posts a form with the session's CSRF token; returns (status, location).
pub(crate) async fn post(b: &Browser, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let token = b.csrf().await;
    let mut f = form.to_vec();
    f.push(("csrf", &token));
    let (status, location, _) = b.post(path, &f).await;
    (status, location)
}

/// The record id a redirect to its form names.
fn record_of(location: &str) -> String {
    location
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn assert_no_personal_data(page: &str, what: &str) {
    for secret in [NAME, ID, PHONE, "人民路"] {
        assert!(!page.contains(secret), "{what} shows {secret}");
    }
}

#[tokio::test]
async fn publish_show_revoke_take_down_and_answer_a_correction() {
    let srv = TestServer::start().await;
    let case = decided_case(&srv).await;

    // An officer may not publish.
    let zhang = Browser::login(&srv, "zhangwei").await;
    let (_, loc) = post(&zhang, &format!("/cases/{case}/publicity/draft"), &[]).await;
    assert!(loc.contains("err="), "refused: {loc}");

    // The liaison drafts: the form shows the masked draft.
    let wu = Browser::login(&srv, "wufang").await;
    let (_, _, page) = wu.get(&format!("/cases/{case}")).await;
    assert!(page.contains("生成公示草稿"), "{page}");
    let (status, loc) = post(&wu, &format!("/cases/{case}/publicity/draft"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let entry = record_of(&loc);
    let (_, _, form) = wu.get(&loc).await;
    assert!(
        form.contains("王**") && form.contains("110***********002X"),
        "{form}"
    );
    assert_no_personal_data(&form, "the draft");
    let (status, loc) = post(
        &wu,
        &format!("/cases/{case}/records/{entry}"),
        &[("seal", "1")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(loc.contains("ok="), "{loc}");

    // The portal lists it, shows it at its stable URL and in the feed.
    let public = reqwest::Client::new();
    let base = format!("http://{}", srv.addr);
    let get = |path: String| {
        let public = public.clone();
        let base = base.clone();
        async move {
            let res = public
                .get(format!("{base}{path}"))
                .send()
                .await
                .expect("get");
            (res.status(), res.text().await.expect("body"))
        }
    };
    let (status, list) = get("/gs/".into()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(&format!("/gs/e/{entry}")), "{list}");
    let (_, found) = get("/gs/?q=%E5%BA%B7%E6%A1%A3%E7%BD%9A".into()).await;
    assert!(found.contains(&entry), "search by 文号 finds it");
    let (_, short) = get("/gs/?q=%E7%8E%8B".into()).await;
    assert!(
        short.contains(&entry),
        "a one-character search (王) finds it"
    );
    let (_, quoted) = get("/gs/?q=%22%E5%BA%B7%E6%A1%A3%22%20OR".into()).await;
    assert!(
        !quoted.contains(&entry),
        "search text is a phrase, not a query"
    );
    let (_, none) = get("/gs/?q=nothing-like-this".into()).await;
    assert!(!none.contains(&entry));
    let (status, page) = get(format!("/gs/e/{entry}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("康档罚〔2026〕9号") && page.contains("王**"),
        "{page}"
    );
    assert_no_personal_data(&page, "the entry page");
    let (_, feed) = get("/gs/feed.atom".into()).await;
    assert!(feed.contains(&format!("urn:zhifa:gs:{entry}")), "{feed}");
    assert_no_personal_data(&feed, "the feed");

    // The public says something is wrong; the legal office answers.
    let (status, _) = {
        let res = public
            .post(format!("{base}/gs/e/{entry}/feedback"))
            .form(&[("text", "处罚金额有误"), ("contact", "13800000000")])
            .send()
            .await
            .expect("feedback");
        (res.status(), ())
    };
    assert!(status.is_success() || status == StatusCode::SEE_OTHER);
    let zhou = Browser::login(&srv, "zhoumin").await;
    let (_, _, desk) = zhou.get("/publicity").await;
    assert!(desk.contains("处罚金额有误"), "{desk}");
    // The year's statistics per kind and per handling unit.
    assert!(desk.contains("按承办科室"), "{desk}");
    let unit_row = desk
        .split("<td>执法监督科</td><td>")
        .nth(1)
        .and_then(|s| s.split("</td>").next())
        .expect("the unit's row");
    assert!(unit_row.parse::<u32>().is_ok_and(|n| n >= 1), "{unit_row}");
    let fid = desk
        .split("/publicity/feedback/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("answer form")
        .to_string();
    let (_, loc) = post(
        &wu,
        &format!("/publicity/feedback/{fid}"),
        &[("answer", "经核实无误")],
    )
    .await;
    assert!(loc.contains("err="), "the liaison does not answer: {loc}");
    let (_, loc) = post(
        &zhou,
        &format!("/publicity/feedback/{fid}"),
        &[("answer", "经核实, 罚款金额无误"), ("cause", "")],
    )
    .await;
    assert!(loc.contains("ok="), "{loc}");
    let (_, page) = get(format!("/gs/e/{entry}")).await;
    assert!(page.contains("经核实, 罚款金额无误"), "{page}");
    assert!(
        !page.contains("13800000000"),
        "the sender's contact stays private"
    );

    // The leader records the decision revoked; the liaison takes it down.
    let sun = Browser::login(&srv, "sunjianguo").await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("tz"))
        .format("%Y-%m-%d")
        .to_string();
    let (_, loc) = post(
        &sun,
        &format!("/cases/{case}/records"),
        &[("template", "decision_change")],
    )
    .await;
    let change = record_of(&loc);
    let (_, loc) = post(
        &sun,
        &format!("/cases/{case}/records/{change}"),
        &[
            ("f.change", "撤销"),
            ("f.document", "康政复决〔2026〕2号"),
            ("f.explanation", "复议机关撤销了该处罚决定"),
            ("f.changed_on", &today),
            ("seal", "1"),
        ],
    )
    .await;
    assert!(loc.contains("ok="), "{loc}");
    let (_, _, page) = wu.get(&format!("/cases/{case}")).await;
    assert!(page.contains("须在 3 个工作日内撤下"), "{page}");
    let (_, loc) = post(
        &wu,
        &format!("/cases/{case}/publicity/{entry}/withdraw"),
        &[],
    )
    .await;
    let wd = record_of(&loc);
    let (_, loc) = post(
        &wu,
        &format!("/cases/{case}/records/{wd}"),
        &[("seal", "1")],
    )
    .await;
    assert!(loc.contains("ok="), "{loc}");
    let (_, page) = get(format!("/gs/e/{entry}")).await;
    assert!(
        page.contains("已于") && page.contains("复议机关撤销了该处罚决定"),
        "{page}"
    );
    assert!(
        !page.contains("警告, 罚款 2000 元"),
        "the content is down: {page}"
    );
    let (_, list) = get("/gs/".into()).await;
    assert!(!list.contains(&entry), "no longer listed");
}
