//! 事前公开 end to end ((一) 第五条、第十一条): the liaison drafts and
//! submits an item, which stays off the portal; an officer and the liaison
//! cannot approve it; the legal office returns it with a note, then approves
//! the resubmitted draft, which appears on `/gs/info` (a flow chart for
//! 执法程序与流程图). A later draft does not replace the published text until
//! approved. A change of law or duty starts the 20-working-day clock, which
//! publishing clears. The roster draft is made from the accounts and goes
//! out only after approval.

use reqwest::StatusCode;

use crate::common::TestServer;
use crate::console::Browser;

const TITLE: &str = "档案行政处罚流程";

/// Posts a console form with the session's CSRF token; returns the status
/// and the redirect's location.
async fn post(b: &Browser, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let token = b.csrf().await;
    let mut f = form.to_vec();
    f.push(("csrf", &token));
    let (status, location, _) = b.post(path, &f).await;
    (status, location)
}

/// Asserts a redirect back to the page with a success flash.
fn assert_ok(answer: &(StatusCode, String)) {
    assert_eq!(answer.0, StatusCode::SEE_OTHER, "{answer:?}");
    assert!(answer.1.contains("ok="), "{answer:?}");
}

/// Asserts a refusal shown as an error flash.
fn assert_refused(answer: &(StatusCode, String)) {
    assert_eq!(answer.0, StatusCode::SEE_OTHER, "{answer:?}");
    assert!(answer.1.contains("err="), "{answer:?}");
}

/// The id of the item listed under `title` on the console page.
fn item_id(page: &str, title: &str) -> String {
    let at = page
        .find(title)
        .unwrap_or_else(|| panic!("{title} in {page}"));
    let start = page[..at].rfind("id=\"item-").expect("item block") + "id=\"item-".len();
    page[start..].split('"').next().expect("id").to_string()
}

async fn portal_info(srv: &TestServer) -> String {
    let res = reqwest::get(srv.url("/gs/info")).await.expect("portal");
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.expect("body")
}

#[tokio::test]
async fn an_item_is_published_only_after_the_legal_office_approves() {
    let srv = TestServer::start().await;
    let wu = Browser::login(&srv, "wufang").await;
    let zhou = Browser::login(&srv, "zhoumin").await;
    let zhang = Browser::login(&srv, "zhangwei").await;

    // The liaison drafts and submits an item.
    let a = post(
        &wu,
        "/publicity/disclosures",
        &[
            ("section", "执法程序与流程图"),
            ("title", TITLE),
            ("basis", "《中华人民共和国行政处罚法》第五章"),
            ("body", "立案\n\n调查取证\n法制审核\n作出决定"),
            ("then", "submit"),
        ],
    )
    .await;
    assert_ok(&a);
    let (_, _, page) = wu.get("/publicity/disclosures").await;
    assert!(page.contains("待审核"), "{page}");
    let id = item_id(&page, TITLE);
    let info = portal_info(&srv).await;
    assert!(!info.contains(TITLE), "a draft is never public: {info}");
    assert!(info.contains("href=\"/gs/info\""), "nav link");

    // Neither an officer nor the liaison may approve.
    for b in [&zhang, &wu] {
        assert_refused(&post(b, &format!("/publicity/disclosures/{id}/approve"), &[]).await);
    }
    // An officer may not see the console page at all.
    let (status, _, _) = zhang.get("/publicity/disclosures").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The legal reviewer may not edit.
    let edit = [("title", "x"), ("body", "y"), ("then", "save")];
    assert_refused(&post(&zhou, &format!("/publicity/disclosures/{id}/draft"), &edit).await);

    // The legal office returns it with a note; a note is required.
    let ret = format!("/publicity/disclosures/{id}/return");
    assert_refused(&post(&zhou, &ret, &[("note", " ")]).await);
    assert_ok(&post(&zhou, &ret, &[("note", "请补充告知听证权利的步骤")]).await);
    let (_, _, page) = wu.get("/publicity/disclosures").await;
    assert!(page.contains("已退回") && page.contains("请补充告知听证权利的步骤"));
    assert!(!portal_info(&srv).await.contains(TITLE));

    // Resubmitted, approved, public as a flow chart.
    let body = "立案\n调查取证\n告知陈述、申辩、听证权利\n法制审核\n作出决定";
    let draft = format!("/publicity/disclosures/{id}/draft");
    let form = [
        ("title", TITLE),
        ("basis", "《中华人民共和国行政处罚法》第五章"),
        ("body", body),
    ];
    assert_ok(
        &post(
            &wu,
            &draft,
            &[form.as_slice(), &[("then", "save")]].concat(),
        )
        .await,
    );
    assert_ok(&post(&wu, &format!("/publicity/disclosures/{id}/submit"), &[]).await);
    assert_ok(&post(&zhou, &format!("/publicity/disclosures/{id}/approve"), &[]).await);
    let info = portal_info(&srv).await;
    assert!(info.contains(TITLE), "{info}");
    assert!(info.contains("《中华人民共和国行政处罚法》第五章"));
    assert!(info.contains("<ol class=\"flow\">"), "{info}");
    assert!(info.contains("<li>告知陈述、申辩、听证权利</li>"), "{info}");
    assert_eq!(
        info.matches("<li>").count(),
        5,
        "one box per non-empty line"
    );

    // A later draft does not replace the published text until approved.
    let later = [
        ("title", TITLE),
        ("basis", "同上"),
        ("body", "立案\n简易程序当场决定"),
    ];
    assert_ok(
        &post(
            &wu,
            &draft,
            &[later.as_slice(), &[("then", "submit")]].concat(),
        )
        .await,
    );
    let info = portal_info(&srv).await;
    assert!(info.contains("告知陈述、申辩、听证权利") && !info.contains("简易程序当场决定"));

    // A change of law: due 20 working days later on the server's calendar
    // (2025-09-22 + 20 working days over 国庆 and its 调休 = 2025-10-24;
    // weekdays alone would give 2025-10-20), overdue by now.
    let law = format!("/publicity/disclosures/{id}/law-change");
    assert_refused(&post(&zhou, &law, &[("date", "2025-09-22")]).await);
    assert_refused(&post(&wu, &law, &[("date", "not a date")]).await);
    let a = post(&wu, &law, &[("date", "2025-09-22")]).await;
    assert_ok(&a);
    let (_, _, page) = zhou.get("/publicity/disclosures").await;
    assert!(page.contains("法规或职能变化 2025-09-22"), "{page}");
    assert!(page.contains("<strong>2025-10-24</strong>"), "{page}");
    assert!(
        page.contains("due overdue") && page.contains("已逾期"),
        "{page}"
    );
    assert!(page.contains("第十一条(4)"));

    // Publishing the next version clears the clock.
    assert_ok(&post(&zhou, &format!("/publicity/disclosures/{id}/approve"), &[]).await);
    let (_, _, page) = zhou.get("/publicity/disclosures").await;
    assert!(!page.contains("法规或职能变化 2025-09-22"), "{page}");
    let info = portal_info(&srv).await;
    assert!(info.contains("简易程序当场决定") && !info.contains("告知陈述、申辩、听证权利"));
}

#[tokio::test]
async fn the_roster_is_drafted_from_the_accounts_and_published_after_review() {
    let srv = TestServer::start().await;
    let wu = Browser::login(&srv, "wufang").await;
    let zhou = Browser::login(&srv, "zhoumin").await;

    // A suspended officer is left out of the draft.
    let lina = crate::client::Device::new(srv.login("lina").await).officer_id();
    let admin = Browser::login(&srv, "admin").await;
    let a = post(&admin, &format!("/admin/accounts/{lina}/suspend"), &[]).await;
    assert_eq!(a.0, StatusCode::SEE_OTHER);

    // Only the liaison drafts it.
    assert_refused(&post(&zhou, "/publicity/disclosures/roster", &[]).await);
    assert_ok(&post(&wu, "/publicity/disclosures/roster", &[]).await);
    let (_, _, page) = wu.get("/publicity/disclosures").await;
    assert!(
        page.contains("张伟 | 科员 | 执法证号 冀执0723-2023-0101"),
        "{page}"
    );
    assert!(!page.contains("冀执0723-2023-0102"), "suspended: {page}");
    assert!(!portal_info(&srv).await.contains("冀执0723-2023-0101"));

    let id = item_id(&page, "行政执法人员名单");
    assert_ok(&post(&wu, &format!("/publicity/disclosures/{id}/submit"), &[]).await);
    assert!(!portal_info(&srv).await.contains("冀执0723-2023-0101"));
    assert_ok(&post(&zhou, &format!("/publicity/disclosures/{id}/approve"), &[]).await);
    let info = portal_info(&srv).await;
    assert!(
        info.contains("冀执0723-2023-0101") && info.contains("张伟"),
        "{info}"
    );

    // Drafting again reuses the one roster item.
    assert_ok(&post(&wu, "/publicity/disclosures/roster", &[]).await);
    let (_, _, page) = wu.get("/publicity/disclosures").await;
    assert_eq!(page.matches("<h3>行政执法人员名单").count(), 1, "{page}");
}
