//! The demo bureau's cases: about a dozen, at every stage, written through
//! the case engine by the demo accounts' own devices (see [`super::script`]).

use serde_json::json;
use zhifa_core::case::{CaseKind, CaseSource, Party, Procedure, Stage};

use super::penalties;
use super::script::{register_hands, Clock, Hands, Script, Start, Written};
use super::steps::{legal, Ctx, Files};
use super::{UNIT_GUIDANCE, UNIT_SUPERVISION};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The accounts that act in the demo cases (one demo device each).
pub const ACTING: &[&str] = &[
    "zhangwei",
    "lina",
    "wangqiang",
    "liuyang",
    "chenjing",
    "sunjianguo",
    "zhoumin",
    "wufang",
];

/// 档案法 article cited by the inspections.
const INSPECTION_BASIS: &str =
    "《中华人民共和国档案法》第四十二条、第四十三条；《中华人民共和国档案法实施条例》第四十六条";
/// Loads the demo cases: registers a demo device per acting account, writes
/// the cases, stores their media as uploads are stored, and commits them as
/// one sync round would. Returns the number of cases.
pub async fn load_cases(state: &AppState) -> AppResult<usize> {
    let hands = register_hands(state, ACTING).await?;
    let clock = Clock::now();
    let written = tokio::task::spawn_blocking(move || write_all(&hands, clock)).await??;
    for w in &written {
        for (f, by) in &w.files {
            super::media::store(state, f, by).await?;
        }
    }
    let n = written.len();
    let writes: Vec<_> = written.into_iter().map(|w| w.write).collect();
    state.db(move |s| s.commit_sync(&writes, &[], &[])).await?;
    Ok(n)
}

fn write_all(hands: &Hands, clock: Clock) -> AppResult<Vec<Written>> {
    let files = Files::make(&clock)?;
    let c = Ctx {
        hands,
        clock,
        files,
    };
    let builders: [fn(&Ctx) -> AppResult<Written>; 12] = [
        inspection_in_progress,
        inspection_signed,
        inspection_refused,
        inspection_guidance,
        inspection_guidance_open,
        seal_conflict,
        filing_awaiting_approval,
        penalties::major_in_review,
        penalties::overdue_payment,
        penalties::paid_and_archiving,
        penalties::simple_on_the_spot,
        penalties::inquiry_in_progress,
    ];
    builders.iter().map(|b| b(&c)).collect()
}

fn archives_hall() -> Party {
    legal(
        "康保县某档案馆",
        "12130723MB0000001J",
        "赵建华",
        "河北省张家口市康保县康保镇康保大街 56 号",
        "0313-5521234",
    )
}

/// 随机抽查, 调查取证: the 现场检查笔录 being filled, photos attached.
fn inspection_in_progress(c: &Ctx) -> AppResult<Written> {
    let (z, l) = ("zhangwei", "lina");
    let t = |h, m| c.clock.at(0, h, m);
    let mut s = Script::create(
        c.hands,
        Start {
            title: "康保县某档案馆档案安全随机抽查",
            kind: CaseKind::Inspection,
            procedure: None,
            source: CaseSource::RandomInspection,
            source_ref: Some(format!(
                "双随机-{}-{:02}",
                c.clock.year(),
                c.clock.today.format("%m")
            )),
            stage: Stage::Investigation,
            unit: UNIT_SUPERVISION,
        },
        z,
        &t(9, 0),
    )?;
    s.assign(l, z, &t(9, 1))?;
    s.party(archives_hall(), z, &t(9, 2))?;
    s.credentials(&[z, l], "康保县某档案馆档案库房", z, &t(9, 30))?;
    let r = s.record("inspection_record", z, &t(9, 31))?;
    s.fill(
        &r,
        &[
            ("inspected_at", json!(t(9, 30))),
            ("place", json!("康保县某档案馆二楼档案库房")),
            ("inspected_unit", json!("康保县某档案馆")),
            ("present_person", json!("赵建华（馆长）")),
            ("officers_present", c.pair(z, l)?),
            ("credentials_shown", json!(true)),
            ("basis", json!(INSPECTION_BASIS)),
            ("items", json!(["档案保管条件", "档案安全"])),
            ("method", json!("双随机抽查")),
            ("findings", json!("检查二楼 3 号、4 号档案库房。库房温湿度记录显示近一个月温度 27—30℃、相对湿度 72%—80%，现场温湿度计读数 29.5℃、78%，超出《档案馆建筑设计规范》规定的温度 14—24℃、相对湿度 45%—60% 的要求；4 号库房北墙有渗水痕迹，下方档案架距墙不足 10 厘米。")),
        ],
        z,
        &t(9, 50),
    )?;
    s.attach(&r, &c.files.hygrometer, z, &t(9, 42))?;
    s.attach(&r, &c.files.damp_wall, l, &t(9, 46))?;
    s.finish()
}

fn middle_school() -> Party {
    legal(
        "康保县某中学",
        "12130723MB0000002M",
        "孙丽萍",
        "河北省张家口市康保县康保镇育才路 8 号",
        "0313-5529876",
    )
}

/// 依职权, 调查取证: the 现场检查笔录 sealed and signed by both officers and the party.
fn inspection_signed(c: &Ctx) -> AppResult<Written> {
    let (z, l) = ("zhangwei", "lina");
    let t = |h, m| c.clock.at(6, h, m);
    let mut s = Script::create(
        c.hands,
        Start {
            title: "康保县某中学档案室档案管理检查",
            kind: CaseKind::Inspection,
            procedure: None,
            source: CaseSource::ExOfficio,
            source_ref: None,
            stage: Stage::Investigation,
            unit: UNIT_SUPERVISION,
        },
        l,
        &t(14, 0),
    )?;
    s.assign(z, l, &t(14, 1))?;
    s.party(middle_school(), l, &t(14, 2))?;
    s.credentials(&[l, z], "康保县某中学档案室", l, &t(14, 30))?;
    let r = s.record("inspection_record", l, &t(14, 31))?;
    s.fill(
        &r,
        &[
            ("inspected_at", json!(t(14, 30))),
            ("place", json!("康保县某中学行政楼一楼档案室")),
            ("inspected_unit", json!("康保县某中学")),
            ("present_person", json!("孙丽萍（校长）、周文（档案员）")),
            ("officers_present", c.pair(l, z)?),
            ("credentials_shown", json!(true)),
            ("basis", json!(INSPECTION_BASIS)),
            ("items", json!(["档案管理制度", "档案保管条件", "档案利用"])),
            ("method", json!("现场检查")),
            ("findings", json!("该校制定了档案管理制度并设专职档案员 1 名；档案室配备档案柜 12 组、灭火器 2 具；查阅 2019—2023 年度文书档案 5 卷，案卷目录齐全。")),
            ("problems", json!("2023 年度学籍档案 46 卷尚未整理归档；档案室与办公室合用，未配备温湿度计。")),
            ("rectification", json!("责令于整改期限内完成 2023 年度学籍档案的整理归档，档案室单独设置并配备温湿度监测设备，整改情况书面报送康保县档案局。")),
            ("rectify_by", json!(c.clock.date(-24))),
        ],
        l,
        &t(15, 10),
    )?;
    s.attach(&r, &c.files.cabinet, z, &t(14, 45))?;
    s.attach(&r, &c.files.video, l, &t(14, 50))?;
    s.seal(&r, l, &t(15, 20))?;
    s.officers_sign(&r, &[l, z], &t(15, 22))?;
    s.party_signs(&r, ("p1", "孙丽萍"), l, &t(15, 25))?;
    // The office liaison publishes the result two days later ((一) 第十二条).
    s.publish("wufang", &c.clock.at(4, 10, 0), c.clock.day(4))?;
    s.finish()
}

/// 依职权, 调查取证: sealed; the party refused to sign before a witness.
fn inspection_refused(c: &Ctx) -> AppResult<Written> {
    let (w, z) = ("wangqiang", "zhangwei");
    let t = |h, m| c.clock.at(4, h, m);
    let mut s = Script::create(
        c.hands,
        Start {
            title: "康保县某镇人民政府档案库房安全检查",
            kind: CaseKind::Inspection,
            procedure: None,
            source: CaseSource::ExOfficio,
            source_ref: None,
            stage: Stage::Investigation,
            unit: UNIT_SUPERVISION,
        },
        w,
        &t(10, 0),
    )?;
    s.assign(z, w, &t(10, 1))?;
    s.party(
        legal(
            "康保县某镇人民政府",
            "111307230000123458",
            "马国庆",
            "河北省张家口市康保县某镇政府街 1 号",
            "0313-5610021",
        ),
        w,
        &t(10, 2),
    )?;
    s.credentials(&[w, z], "某镇人民政府档案室", w, &t(10, 20))?;
    let r = s.record("inspection_record", w, &t(10, 21))?;
    s.fill(
        &r,
        &[
            ("inspected_at", json!(t(10, 20))),
            ("place", json!("康保县某镇人民政府三楼档案室")),
            ("inspected_unit", json!("康保县某镇人民政府")),
            ("present_person", json!("刘海军（党政办主任）")),
            ("officers_present", c.pair(w, z)?),
            ("credentials_shown", json!(true)),
            ("basis", json!(INSPECTION_BASIS)),
            ("items", json!(["档案保管条件", "档案安全", "档案移交"])),
            ("method", json!("现场检查")),
            ("findings", json!("档案室未安装空调和除湿设备，现场测得温度 31℃、相对湿度 83%；部分 2008 年以前的土地承包档案出现霉斑；档案室内堆放杂物，灭火器已过有效期。")),
            ("problems", json!("档案库房温湿度不达标，存在档案安全隐患；2012—2016 年度到期档案未按规定向康保县档案馆移交。")),
            ("rectification", json!("责令限期整改：配备温湿度调控设备，清理杂物，更换灭火器；对霉变档案进行抢救修复；于整改期限内向康保县档案馆移交到期档案。")),
            ("rectify_by", json!(c.clock.date(-26))),
        ],
        w,
        &t(11, 0),
    )?;
    s.attach(&r, &c.files.damp_wall, z, &t(10, 35))?;
    s.attach(&r, &c.files.video, w, &t(10, 40))?;
    s.seal(&r, w, &t(11, 5))?;
    s.officers_sign(&r, &[w, z], &t(11, 6))?;
    s.party_refuses(
        &r,
        "刘海军",
        "认为温湿度问题系经费不足所致，不同意笔录中“存在档案安全隐患”的表述",
        "王秀兰（某镇综合文化站站长）",
        w,
        &t(11, 10),
    )?;
    s.finish()
}

fn community() -> Party {
    legal(
        "康保县康保镇某社区居民委员会",
        "55130723MEA123456C",
        "韩桂芳",
        "河北省张家口市康保县康保镇永兴路 23 号",
        "0313-5530567",
    )
}

/// 业务指导科, 调查取证: an inspection of archive transfers, sealed and signed.
fn inspection_guidance(c: &Ctx) -> AppResult<Written> {
    let (lu, ch) = ("liuyang", "chenjing");
    let t = |h, m| c.clock.at(9, h, m);
    let mut s = Script::create(
        c.hands,
        Start {
            title: "康保镇某社区居委会档案移交情况检查",
            kind: CaseKind::Inspection,
            procedure: None,
            source: CaseSource::ExOfficio,
            source_ref: None,
            stage: Stage::Investigation,
            unit: UNIT_GUIDANCE,
        },
        lu,
        &t(9, 0),
    )?;
    s.assign(ch, lu, &t(9, 1))?;
    s.party(community(), lu, &t(9, 2))?;
    s.credentials(&[lu, ch], "某社区居委会办公室", lu, &t(9, 40))?;
    let r = s.record("inspection_record", lu, &t(9, 41))?;
    s.fill(
        &r,
        &[
            ("inspected_at", json!(t(9, 40))),
            ("place", json!("康保镇某社区居民委员会办公室")),
            ("inspected_unit", json!("康保县康保镇某社区居民委员会")),
            ("present_person", json!("韩桂芳（主任）")),
            ("officers_present", c.pair(lu, ch)?),
            ("credentials_shown", json!(true)),
            ("basis", json!("《中华人民共和国档案法》第十五条、第四十二条；《中华人民共和国档案法实施条例》第二十条")),
            ("items", json!(["档案移交", "档案管理制度"])),
            ("method", json!("查阅资料")),
            ("findings", json!("查阅移交清单及档案目录：2013—2017 年度文书档案共 212 卷已到移交期限，未按规定向康保县档案馆移交；该社区已编制移交清单，尚未完成鉴定。")),
            ("problems", json!("未按规定移交档案。")),
            ("rectification", json!("完成到期档案的整理、鉴定，编制移交目录，于整改期限内向康保县档案馆办理移交手续。")),
            ("rectify_by", json!(c.clock.date(-51))),
        ],
        lu,
        &t(10, 30),
    )?;
    s.attach(&r, &c.files.transfer_list, ch, &t(10, 5))?;
    s.attach(&r, &c.files.video, lu, &t(10, 10))?;
    s.seal(&r, lu, &t(10, 40))?;
    s.officers_sign(&r, &[lu, ch], &t(10, 41))?;
    s.party_signs(&r, ("p1", "韩桂芳"), lu, &t(10, 45))?;
    s.finish()
}

/// 业务指导科, 调查取证: a random inspection just started (credentials shown).
fn inspection_guidance_open(c: &Ctx) -> AppResult<Written> {
    let (ch, lu) = ("chenjing", "liuyang");
    let t = |h, m| c.clock.at(0, h, m);
    let mut s = Script::create(
        c.hands,
        Start {
            title: "康保县某医院电子档案管理随机抽查",
            kind: CaseKind::Inspection,
            procedure: None,
            source: CaseSource::RandomInspection,
            source_ref: Some(format!(
                "双随机-{}-{}",
                c.clock.year(),
                c.clock.today.format("%m")
            )),
            stage: Stage::Investigation,
            unit: UNIT_GUIDANCE,
        },
        ch,
        &t(8, 40),
    )?;
    s.assign(lu, ch, &t(8, 41))?;
    s.party(
        legal(
            "康保县某医院",
            "12130723MB0000003Q",
            "高志强",
            "河北省张家口市康保县康保镇健康路 2 号",
            "0313-5522110",
        ),
        ch,
        &t(8, 42),
    )?;
    s.credentials(&[ch, lu], "某医院病案室", ch, &t(9, 10))?;
    let r = s.record("inspection_record", ch, &t(9, 11))?;
    s.fill(
        &r,
        &[
            ("inspected_at", json!(t(9, 10))),
            ("place", json!("康保县某医院病案室及信息科机房")),
            ("inspected_unit", json!("康保县某医院")),
            ("officers_present", c.pair(ch, lu)?),
            ("credentials_shown", json!(true)),
            ("items", json!(["电子档案管理", "档案安全"])),
            ("method", json!("双随机抽查")),
        ],
        ch,
        &t(9, 15),
    )?;
    s.attach(&r, &c.files.extinguisher, lu, &t(9, 20))?;
    s.finish()
}

/// Two officers' replicas forked: one sealed the record while the other
/// edited it offline; the merge is a seal conflict.
fn seal_conflict(c: &Ctx) -> AppResult<Written> {
    let (z, l) = ("zhangwei", "lina");
    let t = |h, m| c.clock.at(2, h, m);
    let mut s = Script::create(
        c.hands,
        Start {
            title: "康保县某粮食储备库档案室防护检查",
            kind: CaseKind::Inspection,
            procedure: None,
            source: CaseSource::ExOfficio,
            source_ref: None,
            stage: Stage::Investigation,
            unit: UNIT_SUPERVISION,
        },
        z,
        &t(15, 0),
    )?;
    s.assign(l, z, &t(15, 1))?;
    s.party(
        legal(
            "康保县某粮食储备库",
            "91130723MA0A2B3C4T",
            "冯志刚",
            "河北省张家口市康保县康保镇粮库路 6 号",
            "0313-5524455",
        ),
        z,
        &t(15, 2),
    )?;
    s.credentials(&[z, l], "某粮食储备库档案室", z, &t(15, 20))?;
    let r = s.record("inspection_record", z, &t(15, 21))?;
    s.fill(
        &r,
        &[
            ("inspected_at", json!(t(15, 20))),
            ("place", json!("康保县某粮食储备库办公楼档案室")),
            ("inspected_unit", json!("康保县某粮食储备库")),
            ("present_person", json!("冯志刚（主任）")),
            ("officers_present", c.pair(z, l)?),
            ("credentials_shown", json!(true)),
            ("basis", json!(INSPECTION_BASIS)),
            ("items", json!(["档案保管条件", "档案安全"])),
            ("method", json!("现场检查")),
            (
                "findings",
                json!("档案室防火、防盗设施齐全；窗户未安装防光窗帘，部分档案柜受阳光直射。"),
            ),
        ],
        z,
        &t(15, 40),
    )?;
    s.attach(&r, &c.files.video, z, &t(15, 35))?;
    // Lina's phone has the record; she goes on editing offline.
    let mut hers = s.fork(l)?;
    s.seal(&r, z, &t(15, 50))?;
    s.officers_sign(&r, &[z], &t(15, 51))?;
    s.fill_on(
        &mut hers,
        &r,
        "findings",
        &json!("档案室防火、防盗设施齐全；窗户未安装防光窗帘，部分档案柜受阳光直射；消防器材检查记录缺 2 个月。"),
        l,
        &t(15, 55),
    )?;
    let conflicts = s.merge(&mut hers, &t(17, 30))?;
    if conflicts == 0 {
        return Err(AppError::internal("演示的封存冲突没有出现"));
    }
    s.finish()
}

fn grain_company() -> Party {
    legal(
        "康保县某粮油购销有限公司",
        "91130723MA0D5E6F7W",
        "郑永刚",
        "河北省张家口市康保县康保镇商贸街 15 号",
        "0313-5527788",
    )
}

/// 一般程序, 投诉举报, 程序启动: the 立案审批表 filled by the officer,
/// not sealed, waiting for the unit head and the leader.
fn filing_awaiting_approval(c: &Ctx) -> AppResult<Written> {
    let (z, l) = ("zhangwei", "lina");
    let t = |h, m| c.clock.at(1, h, m);
    let mut s = Script::create(
        c.hands,
        Start {
            title: "康保县某粮油购销有限公司涉嫌擅自销毁档案案",
            kind: CaseKind::Penalty,
            procedure: Some(Procedure::General),
            source: CaseSource::Complaint,
            source_ref: Some(format!("康档举〔{}〕7号", c.clock.year())),
            stage: Stage::Initiation,
            unit: UNIT_SUPERVISION,
        },
        z,
        &t(10, 0),
    )?;
    s.assign(l, z, &t(10, 1))?;
    s.party(grain_company(), z, &t(10, 2))?;
    let r = s.record("filing_approval", z, &t(10, 10))?;
    s.fill(
        &r,
        &[
            ("case_reason", json!("涉嫌擅自销毁档案")),
            ("source_detail", json!("实名举报人于 12345 政务服务便民热线反映：该公司在办公楼搬迁期间，将原国有粮站 1998—2010 年度的会计档案和职工档案作为废纸出售给废品收购站。")),
            ("party_summary", json!("康保县某粮油购销有限公司，统一社会信用代码 91130723MA0D5E6F7W，法定代表人郑永刚，住所康保县康保镇商贸街 15 号，系原康保县某国有粮站改制后设立的国有控股公司。")),
            ("facts", json!("经初步核查，举报反映的废品收购站现存有印有“康保县某粮站”字样的会计凭证约 30 册，涉嫌违反《中华人民共和国档案法》第二十八条关于禁止擅自销毁档案的规定。")),
            ("handlers", json!(["张伟", "李娜"])),
            ("handler_opinion", json!("当事人涉嫌擅自销毁属于国家所有的档案，违法事实有初步证据证明，属于本局管辖，建议立案调查。")),
        ],
        z,
        &t(10, 40),
    )?;
    s.finish()
}
