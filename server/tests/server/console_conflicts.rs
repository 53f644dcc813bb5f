//! A seal conflict on the console's case page: reported with what the
//! officer does about it; once an officer's device resolves it (the change
//! accepted by the server's incoming check), shown as resolved, by whom and how.

use serde_json::json;
use zhifa_core::doc::{CaseDoc, ConflictChoice};
use zhifa_core::template::TemplateRegistry;

use crate::client::Device;
use crate::common::TestServer;
use crate::console::Browser;

#[tokio::test]
async fn a_conflict_is_shown_with_what_to_do_then_as_resolved() {
    let srv = TestServer::start().await;
    let mut zhang = Device::new(srv.login("zhangwei").await);
    let case = zhang.create_case("封存冲突在控制台");
    let me = zhang.officer_id();
    let officer = zhang.officer();
    let tpl = TemplateRegistry::builtin()
        .latest("inspection_record")
        .expect("tpl");
    zhang.edit(&case, |d, who| {
        d.add_officer(&officer, who).expect("officer");
        d.create_record("r1", tpl, who).expect("record");
        for (k, v) in [
            ("inspected_at", json!("2026-03-02T09:30:00+08:00")),
            ("place", json!("档案库房")),
            ("inspected_unit", json!("康保县某档案馆")),
            ("officers_present", json!([me])),
            ("credentials_shown", json!(true)),
            ("basis", json!("《中华人民共和国档案法》")),
            ("items", json!(["档案安全"])),
            ("method", json!("现场检查")),
            ("findings", json!("正常")),
        ] {
            d.set_field_json("r1", k, &v, who).expect(k);
        }
    });
    let report = zhang.sync(&srv).await.expect("sync");
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    // A second device of the same officer edits offline while this one seals.
    let mut other = Device::new(srv.login("zhangwei").await);
    let copy = CaseDoc::load(&zhang.doc(&case).save(), &other.session.actor).expect("copy");
    other.docs.insert(case.clone(), copy);
    let key = zhang.session.key.clone();
    zhang.edit(&case, |d, who| {
        d.seal_record("r1", who, &key).expect("seal")
    });
    other.edit(&case, |d, who| {
        d.set_field_json("r1", "findings", &json!("发现消防设施过期"), who)
            .expect("offline edit")
    });
    for report in [
        zhang.sync(&srv).await,
        other.sync(&srv).await,
        zhang.sync(&srv).await,
    ] {
        let report = report.expect("sync the conflict");
        assert!(report.refused.is_empty(), "{:?}", report.refused);
    }
    assert_eq!(zhang.doc(&case).seal_conflicts().expect("c").len(), 1);

    let head = Browser::login(&srv, "sunjianguo").await;
    let page = head.get(&format!("/cases/{case}")).await.2;
    assert!(
        page.contains("<h2 id=\"conflicts\">封存冲突</h2>"),
        "{page}"
    );
    assert!(page.contains("保留封存版本") && page.contains("zhifa record resolve"));
    assert!(!page.contains("已处理的封存冲突"));

    zhang.edit(&case, |d, who| {
        d.resolve_seal_conflict(
            "r1",
            ConflictChoice::Amend {
                new_id: "r2",
                reason: "补正离线记录的检查情况",
            },
            who,
        )
        .expect("resolve")
    });
    let report = zhang.sync(&srv).await.expect("sync the resolution");
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    let page = head.get(&format!("/cases/{case}")).await.2;
    assert!(!page.contains("<h2 id=\"conflicts\">"), "{page}");
    assert!(
        page.contains("《现场检查笔录》(第 1 版)的封存冲突已由 张伟 于")
            && page.contains("以更正文书载入并发修改; 更正文书 《现场检查笔录》(第 2 版), 理由: 补正离线记录的检查情况"),
        "{page}"
    );
}
