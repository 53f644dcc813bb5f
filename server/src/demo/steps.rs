//! What the demo cases share: the demo's files, the builders' context,
//! parties, and the steps several cases take (an approved filing, an
//! inquiry, a rights notice, a report).

use serde_json::{json, Value};
use zhifa_core::case::{EventKind, Party, PartyKind, Stage};
use zhifa_core::template::SignerRole;

use super::media::{photo, video, DemoFile, Scene};
use super::script::{Clock, Hands, Script};
use crate::error::{AppError, AppResult};

pub(super) const REMEDIES: &str = "如不服本决定，可在收到本决定书之日起六十日内向张家口市档案局或者康保县人民政府申请行政复议，也可以在六个月内直接向康保县人民法院提起行政诉讼。";
pub(super) const PAYMENT: &str = "自收到本决定书之日起十五日内，到指定银行或者通过电子支付系统缴纳罚款。逾期不缴纳的，每日按罚款数额的百分之三加处罚款（《中华人民共和国行政处罚法》第六十七条、第七十二条）。";

/// The photos and the video of the demo, made once per load.
pub(super) struct Files {
    pub(super) hygrometer: DemoFile,
    pub(super) cabinet: DemoFile,
    pub(super) damp_wall: DemoFile,
    pub(super) transfer_list: DemoFile,
    pub(super) extinguisher: DemoFile,
    pub(super) video: DemoFile,
}

impl Files {
    pub(super) fn make(clock: &Clock) -> AppResult<Files> {
        let stamp = |ago: i64| format!("{} KB", clock.date(ago));
        Ok(Files {
            hygrometer: photo(Scene::Hygrometer, &stamp(1))?,
            cabinet: photo(Scene::Cabinet, &stamp(6))?,
            damp_wall: photo(Scene::DampWall, &stamp(1))?,
            transfer_list: photo(Scene::TransferList, &stamp(9))?,
            extinguisher: photo(Scene::Extinguisher, &stamp(35))?,
            video: video(),
        })
    }
}

/// What every case builder gets.
pub(super) struct Ctx<'h> {
    pub(super) hands: &'h Hands,
    pub(super) clock: Clock,
    pub(super) files: Files,
}

impl Ctx<'_> {
    pub(super) fn id(&self, u: &str) -> AppResult<String> {
        self.hands
            .get(u)
            .map(|h| h.account.id.clone())
            .ok_or_else(|| AppError::internal(format!("演示账号 {u} 不存在")))
    }

    /// `officers_present` of two officers.
    pub(super) fn pair(&self, a: &str, b: &str) -> AppResult<Value> {
        Ok(json!([self.id(a)?, self.id(b)?]))
    }
}

pub(super) fn legal(name: &str, code: &str, rep: &str, addr: &str, phone: &str) -> Party {
    Party {
        id: "p1".into(),
        kind: PartyKind::LegalPerson,
        name: name.into(),
        id_number: code.into(),
        representative: Some(rep.into()),
        address: Some(addr.into()),
        phone: Some(phone.into()),
    }
}

pub(super) fn person(name: &str, id_card: &str, addr: &str, phone: &str) -> Party {
    Party {
        id: "p1".into(),
        kind: PartyKind::NaturalPerson,
        name: name.into(),
        id_number: id_card.into(),
        representative: None,
        address: Some(addr.into()),
        phone: Some(phone.into()),
    }
}

/// Writes and seals a 立案审批表 signed by officer, unit head and leader.
pub(super) fn approved_filing(
    s: &mut Script,
    reason: &str,
    facts: &str,
    ago: (i64, &Clock),
) -> AppResult<()> {
    let (z, w, sun) = ("zhangwei", "wangqiang", "sunjianguo");
    let t = |h, m| ago.1.at(ago.0, h, m);
    let r = s.record("filing_approval", z, &t(9, 0))?;
    s.fill(
        &r,
        &[
            ("case_reason", json!(reason)),
            ("source_detail", json!("本局在执法检查中发现。")),
            ("party_summary", json!("见当事人基本情况登记。")),
            ("facts", json!(facts)),
            ("handlers", json!(["张伟", "李娜"])),
            (
                "handler_opinion",
                json!("违法事实有初步证据证明，建议立案调查。"),
            ),
            ("unit_opinion", json!("同意立案，由张伟、李娜承办。")),
            ("leader_opinion", json!("同意立案。")),
            ("approved", json!(true)),
        ],
        z,
        &t(9, 20),
    )?;
    s.seal(&r, z, &t(9, 30))?;
    s.sign(&r, SignerRole::Officer, z, &t(9, 31))?;
    s.sign(&r, SignerRole::Reviewer, w, &t(10, 0))?;
    s.sign(&r, SignerRole::Leader, sun, &t(11, 0))?;
    s.advance(Stage::Investigation, z, &t(11, 30))
}

/// A sealed 询问笔录 signed by both officers and the interviewee.
pub(super) fn inquiry(
    s: &mut Script,
    c: &Ctx,
    ago: i64,
    interviewee: (&str, &str),
    qa: Value,
) -> AppResult<String> {
    let (z, l) = ("zhangwei", "lina");
    let t = |h, m| c.clock.at(ago, h, m);
    let r = s.record("inquiry_record", z, &t(9, 0))?;
    s.fill(
        &r,
        &[
            ("started_at", json!(t(9, 0))),
            ("ended_at", json!(t(9, 50))),
            ("place", json!("康保县档案局执法监督科询问室")),
            ("interviewee", json!(interviewee.0)),
            ("interviewee_id", json!(interviewee.1)),
            ("relation", json!("当事人")),
            ("officers_present", c.pair(z, l)?),
            ("credentials_shown", json!(true)),
            ("recorder", json!("李娜")),
            ("avoidance_notified", json!(true)),
            ("qa", qa),
        ],
        l,
        &t(9, 55),
    )?;
    s.seal(&r, z, &t(10, 0))?;
    s.officers_sign(&r, &[z, l], &t(10, 2))?;
    s.party_signs(&r, ("p1", interviewee.0), z, &t(10, 5))?;
    Ok(r)
}

/// What a 权利告知书 says.
pub(super) struct Notice<'a> {
    /// Days before today.
    pub ago: i64,
    /// 文书编号.
    pub no: &'a str,
    /// 拟认定的违法事实.
    pub facts: &'a str,
    /// 拟处罚依据.
    pub basis: &'a str,
    /// 拟处罚内容.
    pub penalty: &'a str,
    /// Whether the party may ask for a hearing (较大数额罚款).
    pub hearing: bool,
    /// Who signs for the party.
    pub signer: &'a str,
}

/// A sealed 权利告知书 acknowledged by the party, and its 告知 event.
pub(super) fn rights_notice(s: &mut Script, c: &Ctx, n: &Notice) -> AppResult<()> {
    let (z, l) = ("zhangwei", "lina");
    let t = |h, m| c.clock.at(n.ago, h, m);
    let r = s.record("rights_notice", z, &t(9, 0))?;
    let rights = if n.hearing {
        json!(["陈述", "申辩", "申请回避", "听证"])
    } else {
        json!(["陈述", "申辩", "申请回避"])
    };
    s.fill(
        &r,
        &[
            ("notice_no", json!(n.no)),
            ("facts", json!(n.facts)),
            ("basis", json!(n.basis)),
            ("proposed_penalty", json!(n.penalty)),
            ("rights", rights),
            ("method", json!("当场告知")),
            ("notified_at", json!(t(10, 0))),
        ],
        z,
        &t(9, 40),
    )?;
    s.seal(&r, z, &t(10, 0))?;
    s.officers_sign(&r, &[z, l], &t(10, 1))?;
    s.party_signs(&r, ("p1", n.signer), z, &t(10, 5))?;
    let detail = if n.hearing {
        "当场送达行政处罚事先告知书, 告知陈述、申辩、听证权利"
    } else {
        "当场送达行政处罚事先告知书, 告知陈述、申辩权利"
    };
    s.event(EventKind::RightsNotified, Some(&r), detail, z, &t(10, 6))
}

/// A sealed 案件调查终结报告 signed by both officers.
pub(super) fn report(
    s: &mut Script,
    c: &Ctx,
    ago: i64,
    facts: &str,
    basis: &str,
    proposal: &str,
) -> AppResult<()> {
    let (z, l) = ("zhangwei", "lina");
    let t = |h, m| c.clock.at(ago, h, m);
    let r = s.record("investigation_report", z, &t(14, 0))?;
    s.fill(
        &r,
        &[
            ("facts", json!(facts)),
            ("evidence", json!("现场检查笔录、询问笔录、现场照片及录像、相关书证。")),
            ("basis", json!(basis)),
            ("discretion", json!("依据《河北省档案行政处罚裁量基准》，当事人违法情节一般，积极配合调查，按中档裁量。")),
            ("proposal", json!(proposal)),
        ],
        z,
        &t(14, 40),
    )?;
    s.seal(&r, z, &t(15, 0))?;
    s.officers_sign(&r, &[z, l], &t(15, 2))
}
