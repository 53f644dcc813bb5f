//! The public portal's checks: an officer's electronic credential shown at
//! the door is verified against the bureau's key and the officer's state
//! now (a suspended officer shows as suspended, a forged token as invalid);
//! a 双随机 draw creates its inspection cases and is published with its
//! seed, and redoing it from what the portal publishes gives the same result.

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::TestServer;
use crate::console::Browser;

async fn public(srv: &TestServer, path: &str) -> (StatusCode, String) {
    let res = srv.http.get(srv.url(path)).send().await.expect("get");
    (res.status(), res.text().await.expect("body"))
}

async fn post(b: &Browser, path: &str, form: &[(&str, &str)]) -> String {
    let token = b.csrf().await;
    let mut f = form.to_vec();
    f.push(("csrf", &token));
    let (status, location, _) = b.post(path, &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
    location
}

fn query(token: &str) -> String {
    format!("/gs/credential?t={}", urlencoding(token))
}

fn urlencoding(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)])
        .unwrap_or_default()
        .trim_start_matches("x=")
        .to_string()
}

#[tokio::test]
async fn the_credential_check_page_shows_active_suspended_and_forged() {
    let srv = TestServer::start().await;
    let zhang = srv.login("zhangwei").await;
    let issued: Value = srv
        .get(&zhang, "/api/v1/me/credential")
        .await
        .json()
        .await
        .expect("credential");
    let token = issued["token"].as_str().expect("token").to_string();
    let (status, page) = public(&srv, &query(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("有效") && page.contains("张伟"), "{page}");

    let mut forged = token.clone();
    let last = forged.pop().expect("char");
    forged.push(if last == 'A' { 'B' } else { 'A' });
    let (_, page) = public(&srv, &query(&forged)).await;
    assert!(page.contains("无效"), "{page}");

    let admin = Browser::login(&srv, "admin").await;
    let me = zhang.login.officer.id.clone();
    post(&admin, &format!("/admin/accounts/{me}/suspend"), &[]).await;
    let (_, page) = public(&srv, &query(&token)).await;
    assert!(page.contains("已暂停"), "{page}");
    let (_, roster) = public(&srv, "/gs/roster").await;
    assert!(
        roster.contains("张伟") && roster.contains("已暂停"),
        "{roster}"
    );
}

/// The `<code>` values of an HTML fragment, in order.
fn codes(html: &str) -> Vec<String> {
    html.split("<code>")
        .skip(1)
        .filter_map(|s| s.split("</code>").next())
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn a_random_draw_creates_cases_and_is_reproduced_from_its_published_seed() {
    let srv = TestServer::start().await;
    let wu = Browser::login(&srv, "wufang").await;
    for name in [
        "县档案馆",
        "县人民医院档案室",
        "县第一中学档案室",
        "县供电公司档案室",
    ] {
        let loc = post(
            &wu,
            "/publicity/random/targets",
            &[
                ("name", name),
                ("kind", "档案室"),
                ("address", "康保县"),
                ("unit_id", "u-jiandu"),
            ],
        )
        .await;
        assert!(loc.contains("ok="), "{loc}");
    }
    // An officer may not draw.
    let zhang = Browser::login(&srv, "zhangwei").await;
    let (status, _, _) = zhang.get("/publicity/random").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let loc = post(
        &wu,
        "/publicity/random",
        &[
            ("title", "2026 年第一季度档案安全抽查"),
            ("matter", "档案安全检查"),
            ("basis", "《中华人民共和国档案法》第四十二条"),
            ("unit_id", "u-jiandu"),
            ("count", "2"),
            ("seed", "康保-2026-Q1"),
        ],
    )
    .await;
    assert!(loc.contains("ok="), "{loc}");

    let (status, page) = public(&srv, "/gs/random").await;
    assert_eq!(status, StatusCode::OK);
    let all = codes(&page);
    assert_eq!(all.first().map(String::as_str), Some("康保-2026-Q1"));
    let officers_at =
        page.find("<th scope=\"col\">执法人员</th></tr></thead><tbody>\n<tr><td><code>");
    let split = officers_at
        .map(|i| codes(&page[..i]).len())
        .unwrap_or(all.len());
    let candidates = all[1..split].to_vec();
    let officers = all[split..].to_vec();
    assert_eq!(candidates.len(), 4);
    assert!(officers.len() >= 2, "{officers:?}");
    let again = zhifa_core::random_draw::draw("康保-2026-Q1", &candidates, &officers, 2)
        .expect("redo the draw");
    for a in &again {
        // Each drawn target appears in the results with its id's name.
        let row = page
            .split(&format!("<code>{}</code></td><td>", a.target))
            .nth(1)
            .and_then(|s| s.split("</td>").next())
            .expect("target name");
        assert!(page.contains(&format!("<tr><td>{row}</td>")), "{row} drawn");
    }

    // The cases exist, assigned to the drawn pair.
    let leader = srv.login("sunjianguo").await;
    let list: Value = srv
        .get(&leader, "/api/v1/cases")
        .await
        .json()
        .await
        .expect("cases");
    let drawn: Vec<&Value> = list
        .as_array()
        .expect("array")
        .iter()
        .filter(|c| {
            c["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("2026 年第一季度档案安全抽查"))
        })
        .collect();
    assert_eq!(drawn.len(), 2, "{list}");
    for c in drawn {
        assert_eq!(c["stage"], "investigation");
        let officers_of_case = c["officers"].as_array().map(|a| a.len()).unwrap_or(0);
        assert!(officers_of_case >= 3, "creator and the drawn pair: {c}");
    }
}
