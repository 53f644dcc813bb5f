//! The demo penalty cases (行政处罚): a major fine in legal review, a decided
//! fine left unpaid past the art.67 period, a paid one being archived, a
//! 简易程序 on-the-spot fine, and one under investigation.

use serde_json::json;
use zhifa_core::case::{CaseKind, CaseSource, EventKind, Party, Procedure, Stage};
use zhifa_core::template::SignerRole;

use super::script::{Script, Start, Written};
use super::steps::{
    approved_filing, inquiry, legal, person, report, rights_notice, Ctx, Notice, PAYMENT, REMEDIES,
};
use super::UNIT_SUPERVISION;
use crate::error::AppResult;

const ARCHIVES_LAW_49_1: &str = "《中华人民共和国档案法》第四十九条第一款";
const ARCHIVES_LAW_49_2: &str = "《中华人民共和国档案法》第四十九条第二款";

fn penalty<'a>(title: &'a str, source: CaseSource, procedure: Procedure) -> Start<'a> {
    Start {
        title,
        kind: CaseKind::Penalty,
        procedure: Some(procedure),
        source,
        source_ref: None,
        stage: if procedure == Procedure::Simple {
            Stage::Investigation
        } else {
            Stage::Initiation
        },
        unit: UNIT_SUPERVISION,
    }
}

/// What a 行政处罚决定书 says.
struct Decision<'a> {
    no: String,
    party: &'a str,
    facts: &'a str,
    basis: &'a str,
    penalty: &'a str,
    fine_fen: i64,
}

impl Decision<'_> {
    fn fields(&self) -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("decision_no", json!(self.no)),
            ("party", json!(self.party)),
            ("facts", json!(self.facts)),
            ("basis", json!(self.basis)),
            ("penalty", json!(self.penalty)),
            ("fine_fen", json!(self.fine_fen)),
            ("payment", json!(PAYMENT)),
            ("remedies", json!(REMEDIES)),
            ("drafter", json!("张伟")),
            ("reviewer", json!("周敏")),
            ("collective_discussion", json!(false)),
        ]
    }
}

/// Decides (sealed, signed by the leader) on day `ago`, issues, moves the
/// case to 送达执行 and serves the decision in person the day after.
fn decide_and_serve(
    s: &mut Script,
    c: &Ctx,
    ago: i64,
    d: &Decision,
    recipient: &str,
) -> AppResult<()> {
    let (z, l, sun) = ("zhangwei", "lina", "sunjianguo");
    let t = |a: i64, h, m| c.clock.at(a, h, m);
    s.fine(d.fine_fen, z, &t(ago, 8, 30))?;
    let r = s.record("penalty_decision", z, &t(ago, 8, 40))?;
    let mut fields = d.fields();
    fields.push(("decided_on", json!(c.clock.date(ago))));
    s.fill(&r, &fields, z, &t(ago, 9, 0))?;
    s.seal(&r, z, &t(ago, 9, 30))?;
    s.sign(&r, SignerRole::Leader, sun, &t(ago, 10, 0))?;
    s.event(
        EventKind::DecisionIssued,
        Some(&r),
        &format!("作出行政处罚决定 {}", d.no),
        z,
        &t(ago, 10, 5),
    )?;
    s.advance(Stage::ServiceExecution, z, &t(ago, 10, 10))?;
    let served = ago - 1;
    let rec = s.record("service_receipt_direct", z, &t(served, 9, 0))?;
    s.fill(
        &rec,
        &[
            ("document", json!(format!("行政处罚决定书（{}）", d.no))),
            ("served_at", json!(t(served, 9, 30))),
            ("place", json!("康保县档案局执法监督科")),
            ("recipient", json!(recipient)),
            ("method", json!("直接送达")),
        ],
        z,
        &t(served, 9, 30),
    )?;
    s.seal(&rec, z, &t(served, 9, 35))?;
    s.sign(&rec, SignerRole::Officer, l, &t(served, 9, 36))?;
    s.party_signs(&rec, ("p1", recipient), z, &t(served, 9, 38))?;
    s.event(
        EventKind::DecisionServed,
        Some(&rec),
        "直接送达行政处罚决定书",
        z,
        &t(served, 9, 40),
    )
}

fn service_company() -> Party {
    legal(
        "康保县某档案服务有限公司",
        "91130723MA0K1L2M3U",
        "钱立新",
        "河北省张家口市康保县康保镇工业路 9 号",
        "0313-5526600",
    )
}

/// 较大数额罚款 in 法制审核: the application sealed and signed, submitted
/// three working days ago, no opinion yet.
pub(super) fn major_in_review(c: &Ctx) -> AppResult<Written> {
    let (z, l, sun) = ("zhangwei", "lina", "sunjianguo");
    let t = |a: i64, h, m| c.clock.at(a, h, m);
    let title = "康保县某档案服务有限公司擅自销毁委托保管档案案";
    let mut s = Script::create(
        c.hands,
        penalty(title, CaseSource::ExOfficio, Procedure::General),
        z,
        &t(40, 8, 30),
    )?;
    s.assign(l, z, &t(40, 8, 31))?;
    s.party(service_company(), z, &t(40, 8, 32))?;
    let facts = "当事人受康保县某乡镇委托保管 2005—2015 年度文书档案，在服务过程中未经委托方同意、未履行鉴定程序，擅自销毁其中 186 卷。";
    approved_filing(&mut s, "擅自销毁档案", facts, (40, &c.clock))?;
    s.credentials(&[z, l], "某档案服务有限公司库房", z, &t(35, 9, 0))?;
    let r = s.record("inspection_record", z, &t(35, 9, 1))?;
    s.fill(
        &r,
        &[
            ("inspected_at", json!(t(35, 9, 0))),
            ("place", json!("康保县某档案服务有限公司档案寄存库房")),
            ("inspected_unit", json!("康保县某档案服务有限公司")),
            ("present_person", json!("钱立新（法定代表人）")),
            ("officers_present", c.pair(z, l)?),
            ("credentials_shown", json!(true)),
            ("basis", json!(INSPECTION_BASIS_49)),
            ("items", json!(["档案安全", "档案保管条件"])),
            ("method", json!("现场检查")),
            ("findings", json!("库房 B 区 7—9 号档案架空置，寄存登记簿记载该位置存放某乡镇 2005—2015 年度文书档案 186 卷；当事人出具的销毁清单无委托方签章，无鉴定意见。")),
        ],
        z,
        &t(35, 10, 0),
    )?;
    s.attach(&r, &c.files.extinguisher, l, &t(35, 9, 20))?;
    s.attach(&r, &c.files.video, z, &t(35, 9, 25))?;
    s.seal(&r, z, &t(35, 10, 10))?;
    s.officers_sign(&r, &[z, l], &t(35, 10, 11))?;
    s.party_signs(&r, ("p1", "钱立新"), z, &t(35, 10, 15))?;
    inquiry(
        &mut s,
        c,
        30,
        ("钱立新", "130723197004152030"),
        json!([
            {"q": "我们是康保县档案局的执法人员，这是我们的执法证件。你是否申请回避？", "a": "不申请。"},
            {"q": "B 区 7—9 号架原存放的档案现在何处？", "a": "去年 11 月清库时当作过期资料处理了，卖给了废品站。"},
            {"q": "销毁前是否经委托方同意、是否经过鉴定？", "a": "没有，当时认为保管期限已到。"},
        ]),
    )?;
    s.advance(Stage::Decision, z, &t(25, 9, 0))?;
    report(
        &mut s,
        c,
        20,
        facts,
        ARCHIVES_LAW_49_2,
        "给予警告，并处罚款人民币捌万元整。",
    )?;
    rights_notice(
        &mut s,
        c,
        &Notice {
            ago: 15,
            no: &format!("康档罚告〔{}〕4号", c.clock.year()),
            facts,
            basis: ARCHIVES_LAW_49_2,
            penalty: "警告，并处罚款人民币捌万元整",
            hearing: true,
            signer: "钱立新",
        },
    )?;
    s.fine(8_000_000, z, &t(12, 9, 0))?;
    let draft = s.record("penalty_decision", z, &t(10, 9, 0))?;
    let d = Decision {
        no: format!("康档罚决〔{}〕4号", c.clock.year()),
        party: "康保县某档案服务有限公司",
        facts,
        basis: ARCHIVES_LAW_49_2,
        penalty: "警告，并处罚款人民币捌万元整",
        fine_fen: 8_000_000,
    };
    s.fill(&draft, &d.fields(), z, &t(10, 9, 30))?;
    let wd3 = c.clock.working_days_ago(3);
    let app = s.record("review_application", z, &t(wd3, 8, 30))?;
    s.fill(
        &app,
        &[
            ("submitted_on", json!(c.clock.date(wd3))),
            ("unit_head_agreed", json!(true)),
            ("recommendation", json!("拟给予警告，并处罚款人民币捌万元整。")),
            ("facts", json!(facts)),
            ("laws", json!(ARCHIVES_LAW_49_2)),
            ("discretion", json!("销毁档案 186 卷，数量较大，但当事人如实陈述、配合调查，适用裁量基准中档（2 万元以上 20 万元以下）的下限附近。")),
            ("officer_qualifications", json!("承办人张伟（冀执0723-2023-0101）、李娜（冀执0723-2023-0102）均持有效行政执法证件。")),
            ("investigation_and_hearing", json!("现场检查 1 次、询问 1 次；已告知听证权利，当事人在法定期限内未申请听证。")),
            ("materials", json!(["申报表", "决定书代拟稿", "处理建议及说明", "调查报告", "证据材料"])),
        ],
        z,
        &t(wd3, 8, 50),
    )?;
    s.seal(&app, z, &t(wd3, 9, 0))?;
    s.sign(&app, SignerRole::Officer, z, &t(wd3, 9, 1))?;
    s.sign(&app, SignerRole::Leader, sun, &t(wd3, 9, 30))?;
    s.event(
        EventKind::ReviewSubmitted,
        Some(&app),
        "报送法制审核, 审核人员 周敏",
        z,
        &t(wd3, 10, 0),
    )?;
    s.finish()
}

const INSPECTION_BASIS_49: &str = "《中华人民共和国档案法》第四十二条、第四十三条、第四十九条";

/// Decided and served more than 15 days ago, not paid: the art.67 payment
/// obligation is overdue.
pub(super) fn overdue_payment(c: &Ctx) -> AppResult<Written> {
    let (z, l) = ("zhangwei", "lina");
    let t = |a: i64, h, m| c.clock.at(a, h, m);
    let title = "康保县某房地产开发有限公司查阅档案时损毁馆藏档案案";
    let mut s = Script::create(
        c.hands,
        penalty(title, CaseSource::ExOfficio, Procedure::General),
        z,
        &t(75, 8, 30),
    )?;
    s.assign(l, z, &t(75, 8, 31))?;
    s.party(
        legal(
            "康保县某房地产开发有限公司",
            "91130723MA0G8H9J00",
            "吕建平",
            "河北省张家口市康保县康保镇迎宾大道 88 号",
            "0313-5531888",
        ),
        z,
        &t(75, 8, 32),
    )?;
    let facts = "当事人工作人员在康保县档案馆查阅城建档案时，撕毁《康保镇 2009 年度建设用地规划许可档案》第 3 卷中的 4 页，造成馆藏档案损毁。";
    approved_filing(&mut s, "利用档案馆档案时损毁档案", facts, (75, &c.clock))?;
    inquiry(
        &mut s,
        c,
        70,
        ("吕建平", "13072319780921004X"),
        json!([
            {"q": "你是否申请执法人员回避？", "a": "不申请。"},
            {"q": "被撕毁的 4 页档案是何人所为？", "a": "是我公司职员查阅时撕下带走的，目的是复印，已交还。"},
        ]),
    )?;
    s.advance(Stage::Decision, z, &t(65, 9, 0))?;
    report(
        &mut s,
        c,
        60,
        facts,
        ARCHIVES_LAW_49_1,
        "给予警告，并处罚款人民币壹万元整。",
    )?;
    rights_notice(
        &mut s,
        c,
        &Notice {
            ago: 55,
            no: &format!("康档罚告〔{}〕1号", c.clock.year()),
            facts,
            basis: ARCHIVES_LAW_49_1,
            penalty: "警告，并处罚款人民币壹万元整",
            hearing: false,
            signer: "吕建平",
        },
    )?;
    let d = Decision {
        no: format!("康档罚决〔{}〕1号", c.clock.year()),
        party: "康保县某房地产开发有限公司",
        facts,
        basis: ARCHIVES_LAW_49_1,
        penalty: "警告，并处罚款人民币壹万元整",
        fine_fen: 1_000_000,
    };
    decide_and_serve(&mut s, c, 50, &d, "吕建平")?;
    s.publish("wufang", &t(46, 15, 0), c.clock.day(46))?;
    s.finish()
}

/// Decided, served, paid on time and published: moved to 归档管理.
pub(super) fn paid_and_archiving(c: &Ctx) -> AppResult<Written> {
    let (z, l) = ("zhangwei", "lina");
    let t = |a: i64, h, m| c.clock.at(a, h, m);
    let title = "王建军擅自复制并公布馆藏档案案";
    let mut s = Script::create(
        c.hands,
        penalty(title, CaseSource::ExOfficio, Procedure::General),
        z,
        &t(60, 8, 30),
    )?;
    s.assign(l, z, &t(60, 8, 31))?;
    s.party(
        person(
            "王建军",
            "130723198503122017",
            "河北省张家口市康保县康保镇幸福小区 3 号楼 2 单元 501 室",
            "13831345678",
        ),
        z,
        &t(60, 8, 32),
    )?;
    let facts =
        "当事人在康保县档案馆查阅 1958 年土地改革档案时，未经许可复制 23 页并在网络论坛公布。";
    approved_filing(
        &mut s,
        "擅自复制、公布属于国家所有的档案",
        facts,
        (60, &c.clock),
    )?;
    inquiry(
        &mut s,
        c,
        55,
        ("王建军", "130723198503122017"),
        json!([
            {"q": "你是否申请执法人员回避？", "a": "不申请。"},
            {"q": "论坛上公布的档案照片是否你拍摄上传？", "a": "是我拍的，想写家族史，不知道不能公开。"},
        ]),
    )?;
    s.advance(Stage::Decision, z, &t(50, 9, 0))?;
    report(
        &mut s,
        c,
        48,
        facts,
        ARCHIVES_LAW_49_1,
        "给予警告，并处罚款人民币壹仟元整。",
    )?;
    rights_notice(
        &mut s,
        c,
        &Notice {
            ago: 45,
            no: &format!("康档罚告〔{}〕2号", c.clock.year()),
            facts,
            basis: ARCHIVES_LAW_49_1,
            penalty: "警告，并处罚款人民币壹仟元整",
            hearing: false,
            signer: "王建军",
        },
    )?;
    let d = Decision {
        no: format!("康档罚决〔{}〕2号", c.clock.year()),
        party: "王建军",
        facts,
        basis: ARCHIVES_LAW_49_1,
        penalty: "警告，并处罚款人民币壹仟元整",
        fine_fen: 100_000,
    };
    decide_and_serve(&mut s, c, 40, &d, "王建军")?;
    s.publish("wufang", &t(37, 15, 0), c.clock.day(37))?;
    s.event(
        EventKind::Paid,
        None,
        "当事人已通过银行缴纳罚款 1000 元 (缴款书已核验)",
        z,
        &t(33, 11, 0),
    )?;
    s.advance(Stage::Archiving, z, &t(30, 9, 0))?;
    s.finish()
}

/// 简易程序: a 200 元 fine on the spot (natural person), decided and delivered.
pub(super) fn simple_on_the_spot(c: &Ctx) -> AppResult<Written> {
    let (l, z) = ("lina", "zhangwei");
    let t = |h, m| c.clock.at(2, h, m);
    let title = "李文静在档案馆查阅室违规拍摄档案案（简易程序）";
    let mut s = Script::create(
        c.hands,
        penalty(title, CaseSource::ExOfficio, Procedure::Simple),
        l,
        &t(10, 0),
    )?;
    s.assign(z, l, &t(10, 1))?;
    s.party(
        person(
            "李文静",
            "130723199206071529",
            "河北省张家口市康保县康保镇新华街 17 号",
            "15930312345",
        ),
        l,
        &t(10, 2),
    )?;
    s.credentials(&[l, z], "康保县档案馆查阅室", l, &t(10, 3))?;
    s.event(
        EventKind::RightsNotified,
        None,
        "当场告知拟作出处罚的事实、理由、依据及陈述、申辩权利; 当事人未提出陈述申辩",
        l,
        &t(10, 5),
    )?;
    s.fine(20_000, l, &t(10, 10))?;
    let r = s.record("simple_penalty_decision", l, &t(10, 12))?;
    s.fill(
        &r,
        &[
            ("decision_no", json!(format!("康档当罚〔{}〕3号", c.clock.year()))),
            ("officers_present", c.pair(l, z)?),
            ("credentials_shown", json!(true)),
            ("facts", json!("当事人在康保县档案馆查阅室利用馆藏档案时，未经许可使用手机拍摄《康保县志（1990—2005）》编修档案 12 页，经劝阻后当场删除。")),
            ("basis", json!("《中华人民共和国档案法》第四十九条第一款；《中华人民共和国行政处罚法》第三十二条第（一）项、第五十一条")),
            ("fine_fen", json!(20_000)),
            ("place", json!("康保县档案馆查阅室")),
            ("decided_at", json!(t(10, 20))),
            ("remedies", json!(REMEDIES)),
        ],
        l,
        &t(10, 18),
    )?;
    s.seal(&r, l, &t(10, 20))?;
    s.officers_sign(&r, &[l, z], &t(10, 21))?;
    s.party_signs(&r, ("p1", "李文静"), l, &t(10, 23))?;
    s.advance(Stage::Decision, l, &t(10, 25))?;
    s.event(
        EventKind::DecisionIssued,
        Some(&r),
        "当场作出行政处罚决定并交付当事人",
        l,
        &t(10, 26),
    )?;
    s.advance(Stage::ServiceExecution, l, &t(10, 27))?;
    s.finish()
}

/// 调查取证: an inquiry of a natural person being written.
pub(super) fn inquiry_in_progress(c: &Ctx) -> AppResult<Written> {
    let (z, l) = ("zhangwei", "lina");
    let t = |a: i64, h, m| c.clock.at(a, h, m);
    let title = "赵德明涉嫌买卖国有档案案";
    let mut s = Script::create(
        c.hands,
        penalty(title, CaseSource::Transfer, Procedure::General),
        z,
        &t(5, 8, 30),
    )?;
    s.assign(l, z, &t(5, 8, 31))?;
    s.party(
        person(
            "赵德明",
            "130723196608033011",
            "河北省张家口市康保县某乡某村 2 组 11 号",
            "13703139876",
        ),
        z,
        &t(5, 8, 32),
    )?;
    let facts = "康保县公安局移送：当事人在网络二手交易平台出售印有“康保县人民委员会”字样的 1960 年代公文原件 14 件。";
    approved_filing(&mut s, "涉嫌买卖属于国家所有的档案", facts, (5, &c.clock))?;
    let r = s.record("inquiry_record", z, &t(0, 9, 0))?;
    s.fill(
        &r,
        &[
            ("started_at", json!(t(0, 9, 0))),
            ("place", json!("康保县档案局执法监督科询问室")),
            ("interviewee", json!("赵德明")),
            ("interviewee_id", json!("130723196608033011")),
            ("relation", json!("当事人")),
            ("officers_present", c.pair(z, l)?),
            ("credentials_shown", json!(true)),
            ("recorder", json!("李娜")),
            ("avoidance_notified", json!(true)),
            ("qa", json!([
                {"q": "我们是康保县档案局的执法人员，这是我们的执法证件。你是否申请回避？", "a": "不申请。"},
                {"q": "你在网上出售的公文原件从何而来？", "a": "是我父亲以前在公社工作时带回家的。"},
            ])),
        ],
        l,
        &t(0, 9, 30),
    )?;
    s.finish()
}
