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

/// True when `text` holds an unmasked 公民身份号码, a 个体工商户's credit code
/// (`92…`) or a mobile number.
fn personal_numbers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        let id = run.len() == 18
            && run[..17].chars().all(|c| c.is_ascii_digit())
            && run[17..].chars().all(|c| c.is_ascii_digit() || c == 'X');
        let personal_code = run.len() == 18 && run.starts_with("92");
        let mobile = run.len() == 11
            && run.chars().all(|c| c.is_ascii_digit())
            && run.starts_with('1')
            && run[1..2].chars().all(|c| ('3'..='9').contains(&c));
        if id || personal_code || mobile {
            out.push(run);
        }
    }
    out
}

#[tokio::test]
async fn a_crawl_of_the_portal_of_the_demo_bureau_finds_no_personal_data() {
    let srv = TestServer::start_with(|c| c.demo_cases = true).await;
    // What must never appear: every party's numbers and natural persons'
    // addresses, and the titles of cases (the portal shows entries only).
    let leader = srv.login("sunjianguo").await;
    let cases: Value = srv
        .get(&leader, "/api/v1/cases")
        .await
        .json()
        .await
        .expect("cases");
    let mut secrets = Vec::new();
    let mut titles = Vec::new();
    for c in cases.as_array().expect("array") {
        let id = c["id"].as_str().expect("id");
        titles.push(c["title"].as_str().unwrap_or_default().to_string());
        let detail: Value = srv
            .get(&leader, &format!("/api/v1/cases/{id}"))
            .await
            .json()
            .await
            .expect("detail");
        for p in detail["case"]["parties"].as_array().into_iter().flatten() {
            let natural = p["kind"] == "natural_person";
            for k in ["id_number", "phone"] {
                if let Some(v) = p[k].as_str().filter(|v| v.len() > 4) {
                    if natural || k == "id_number" && v.starts_with("92") {
                        secrets.push(v.to_string());
                    }
                }
            }
            if natural {
                if let Some(a) = p["address"].as_str() {
                    secrets.push(a.to_string());
                }
                let name = p["name"].as_str().unwrap_or_default();
                if name.chars().count() > 1 {
                    secrets.push(name.to_string());
                }
            }
        }
    }
    assert!(
        secrets.len() >= 3,
        "the demo has natural persons: {secrets:?}"
    );

    let mut todo = vec!["/gs/".to_string(), "/gs/feed.atom".to_string()];
    let mut seen = std::collections::BTreeSet::new();
    let mut entries = 0;
    while let Some(path) = todo.pop() {
        if !seen.insert(path.clone()) || seen.len() > 500 {
            continue;
        }
        let (status, body) = public(&srv, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        if path.starts_with("/gs/e/") {
            entries += 1;
        }
        let found = personal_numbers(&body);
        assert!(found.is_empty(), "{path} shows {found:?}");
        for s in &secrets {
            assert!(!body.contains(s.as_str()), "{path} shows {s}");
        }
        for t in &titles {
            assert!(
                !body.contains(t.as_str()),
                "{path} shows the unpublished case title {t}"
            );
        }
        for part in body.split("href=\"").skip(1) {
            let link = part
                .split('"')
                .next()
                .unwrap_or_default()
                .replace("&amp;", "&");
            if link.starts_with("/gs/") && !link.contains("/assets/") {
                todo.push(link);
            }
        }
    }
    assert!(entries >= 3, "the demo publishes entries: {seen:?}");
    assert!(seen.contains("/gs/roster") && seen.contains("/gs/random"));
    let (_, info) = public(&srv, "/gs/info").await;
    assert!(
        info.contains("救济途径") && info.contains("档案行政处罚一般程序"),
        "the demo's 事前公开"
    );
}
