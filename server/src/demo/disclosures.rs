//! The demo bureau's 事前公开 ((一) 第五条、第十一条): a few items already
//! reviewed by the legal office and published, so the portal's `/gs/info`
//! shows what a bureau publishes before it acts.

use crate::error::AppResult;
use crate::state::AppState;
use crate::store::disclosure::{Content, DisclosureItem, Published};

/// (section, title, basis, body) of each published item.
const ITEMS: [(&str, &str, &str, &str); 4] = [
    (
        "执法主体与职责",
        "康保县档案局行政执法主体和职责",
        "《中华人民共和国档案法》第八条",
        "康保县档案局主管本行政区域内的档案工作，对本行政区域内机关、团体、企业事业单位和其他组织的档案工作实行监督和指导。\n执法监督科负责档案行政检查和行政处罚案件的办理。",
    ),
    (
        "执法程序与流程图",
        "档案行政处罚一般程序",
        "《中华人民共和国行政处罚法》第五十四条至第六十五条",
        "立案\n调查取证 (两名以上执法人员, 出示执法证件)\n告知拟作出的处罚及陈述、申辩、听证权利\n法制审核 (重大执法决定)\n作出决定并送达\n执行与结案归档",
    ),
    (
        "救济途径",
        "行政复议和行政诉讼",
        "《中华人民共和国行政复议法》第二十条; 《中华人民共和国行政诉讼法》第四十六条",
        "对行政处罚决定不服的，可以自知道之日起六十日内向康保县人民政府申请行政复议，或者自知道之日起六个月内向康保县人民法院提起行政诉讼。",
    ),
    (
        "监督举报方式",
        "投诉举报渠道",
        "《行政执法公示制度》第五条",
        "地址：康保县档案局办公室\n邮政编码：076650\n电话：0313-5610000\n电子邮箱：kbda@example.gov.cn",
    ),
];

/// Publishes the demo items, reviewed by `reviewer` (an account id).
pub async fn load(state: &AppState, reviewer: &str) -> AppResult<()> {
    let at = crate::accounts::now();
    let reviewer = reviewer.to_string();
    state
        .db(move |s| {
            for (section, title, basis, body) in ITEMS {
                let item = DisclosureItem {
                    id: uuid::Uuid::new_v4().to_string(),
                    section: section.into(),
                    published: Some(Published {
                        content: Content {
                            title: title.into(),
                            basis: basis.into(),
                            body: body.into(),
                        },
                        published_at: at.clone(),
                        reviewed_by: reviewer.clone(),
                    }),
                    draft: None,
                    law_changed_on: None,
                    created_at: at.clone(),
                    revision: 1,
                };
                s.save_disclosure_item(&item, None)?;
            }
            Ok(())
        })
        .await
}
