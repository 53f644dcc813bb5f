//! Who may take which office action on a case (科室负责人, 局领导, 法制审核人员 …).
//!
//! The office console and any other client ask [`authorize`] before they
//! change a case as an office user; the refusal names the article. Role
//! checks for signing in a role live here too ([`may_sign_as`]): a signature
//! as 负责人 counts only from an account holding that role.

use crate::doc::Case;
use crate::sync::Role;
use crate::template::SignerRole;

/// The office user taking an action: account, unit and roles as the server
/// (or the phone, from its login) knows them.
#[derive(Debug, Clone, Copy)]
pub struct ActingUser<'a> {
    /// Account id.
    pub account_id: &'a str,
    /// The account's unit id.
    pub unit_id: &'a str,
    /// The account's roles.
    pub roles: &'a [Role],
}

impl ActingUser<'_> {
    fn has(&self, r: Role) -> bool {
        self.roles.contains(&r)
    }

    fn heads_unit(&self, case_unit_id: &str) -> bool {
        self.has(Role::UnitHead) && self.unit_id == case_unit_id
    }
}

/// An office action on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfficeAction {
    /// Assign officers to the case (承办人指派).
    AssignOfficers,
    /// The handling unit head's opinion on a 立案审批表 ((二) 第八条).
    FilingUnitOpinion,
    /// The leader's approval or refusal of filing ((二) 第八条).
    FilingLeaderDecision,
    /// Move the case to its next stage (the gates decide whether it may).
    AdvanceStage,
    /// Submit a major decision for legal review after the unit head agrees ((三) 第五条).
    ReviewSubmit,
    /// The legal reviewer's work: ask for materials, ask for an extension,
    /// give the opinion ((三) 第六条、第八条至第十一条).
    ReviewWork,
    /// The leader in charge approves an extension of the review ((三) 第十条).
    ReviewExtensionApproval,
    /// The leader in charge approves the review opinion ((三) 第十一条).
    ReviewOpinionApproval,
    /// The unit's written rectification after the opinion ((三) 第十一条).
    ReviewRectification,
    /// A copy of a recording for the party, approved by the head ((二) 第二十四条).
    PartyCopy,
    /// Mark the measures that make the decision major ((三) 第四条).
    MajorMeasures,
    /// Write records in the office (决定书, 集体讨论记录, 专家论证意见 …):
    /// whoever handles or decides the case ((二) 第十四条至第十七条).
    EditRecords,
    /// Publish a case's 公示信息 or take it down ((一) 第五条、第十二条):
    /// the office liaison.
    Publish,
    /// Record that a decision was changed, revoked or confirmed illegal
    /// (行政处罚法 第四十八条): a leader or the legal office.
    RecordDecisionChange,
    /// Record service, payment, 行政复议 and 行政诉讼 on a decided case
    /// (案件事项登记, [`crate::rules::CaseFact`]): the handling unit's head,
    /// a leader or the legal office.
    RecordCaseFact,
    /// File the closed case into the archive (归档): the archivist, the
    /// named person of (二) 第二十三条.
    FileCase,
}

impl OfficeAction {
    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            OfficeAction::AssignOfficers => "指派承办人员",
            OfficeAction::FilingUnitOpinion => "立案审批: 承办科室意见",
            OfficeAction::FilingLeaderDecision => "立案审批: 负责人审批",
            OfficeAction::AdvanceStage => "进入下一阶段",
            OfficeAction::ReviewSubmit => "提交法制审核",
            OfficeAction::ReviewWork => "法制审核",
            OfficeAction::ReviewExtensionApproval => "批准延长法制审核期限",
            OfficeAction::ReviewOpinionApproval => "批准法制审核意见",
            OfficeAction::ReviewRectification => "书面报告整改情况",
            OfficeAction::PartyCopy => "批准当事人复制音像资料",
            OfficeAction::EditRecords => "制作文书",
            OfficeAction::MajorMeasures => "认定重大执法决定情形",
            OfficeAction::Publish => "公示执法信息",
            OfficeAction::RecordDecisionChange => "记录执法决定变更",
            OfficeAction::RecordCaseFact => "登记送达、缴款、复议和诉讼",
            OfficeAction::FileCase => "案卷归档",
        }
    }

    /// The article that assigns the action to its role.
    pub fn article(self) -> &'static str {
        match self {
            OfficeAction::AssignOfficers => "行政处罚法 第四十二条; 执法全过程记录制度 第八条",
            OfficeAction::FilingUnitOpinion | OfficeAction::FilingLeaderDecision => {
                "执法全过程记录制度 第八条; 行政处罚法 第五十四条"
            }
            OfficeAction::AdvanceStage => "执法全过程记录制度 第三条",
            OfficeAction::ReviewSubmit => "重大执法决定法制审核制度 第五条",
            OfficeAction::ReviewWork => "重大执法决定法制审核制度 第六条、第八条至第十一条",
            OfficeAction::ReviewExtensionApproval => "重大执法决定法制审核制度 第十条",
            OfficeAction::ReviewOpinionApproval | OfficeAction::ReviewRectification => {
                "重大执法决定法制审核制度 第十一条"
            }
            OfficeAction::PartyCopy => "执法全过程记录制度 第二十四条",
            OfficeAction::EditRecords => "执法全过程记录制度 第十四条至第十七条",
            OfficeAction::MajorMeasures => "重大执法决定法制审核制度 第四条、第八条",
            OfficeAction::Publish => "行政执法公示制度 第五条、第十二条",
            OfficeAction::RecordDecisionChange => "行政处罚法 第四十八条",
            OfficeAction::RecordCaseFact => "行政处罚法 第六十一条、第六十七条、第七十三条",
            OfficeAction::FileCase => "执法全过程记录制度 第二十二条、第二十三条",
        }
    }
}

/// Why an office action was refused: Chinese message and article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// What is wrong, in Chinese.
    pub message: String,
    /// The article enforced.
    pub article: &'static str,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.article)
    }
}

fn refuse(action: OfficeAction, message: impl Into<String>) -> Result<(), Refused> {
    Err(Refused {
        message: message.into(),
        article: action.article(),
    })
}

/// The account ids that filed the case's current 立案审批表: its creator and
/// the accounts named as handlers (承办人) by id.
fn filing_handlers(case: &Case) -> Vec<String> {
    let mut out = Vec::new();
    for r in case.current_records("filing_approval") {
        if !r.created_by.is_empty() {
            out.push(r.created_by.clone());
        }
    }
    out
}

/// Decides whether `user` may take `action` on `case`, whose handling unit
/// resolves to `case_unit_id` (the header may name the unit by name).
///
/// - assignment: the handling unit's head, or a leader;
/// - 立案审批 unit opinion: the handling unit's head, never on a filing they
///   made themselves;
/// - 立案审批 decision: a leader, never on a filing they made themselves;
/// - advancing a stage: anyone who may write the case (the gates decide).
pub fn authorize(
    action: OfficeAction,
    user: &ActingUser<'_>,
    case: &Case,
    case_unit_id: &str,
) -> Result<(), Refused> {
    let own_filing = filing_handlers(case).iter().any(|h| h == user.account_id);
    match action {
        OfficeAction::AssignOfficers => {
            if user.heads_unit(case_unit_id) || user.has(Role::Leader) {
                Ok(())
            } else {
                refuse(action, "只有承办科室负责人或局领导可以指派承办人员")
            }
        }
        OfficeAction::FilingUnitOpinion => {
            if !user.heads_unit(case_unit_id) {
                refuse(action, "只有承办科室负责人可以填写承办科室意见")
            } else if own_filing {
                refuse(action, "不能审批本人承办的立案申请")
            } else {
                Ok(())
            }
        }
        OfficeAction::FilingLeaderDecision => {
            if !user.has(Role::Leader) {
                refuse(action, "只有局领导可以审批立案")
            } else if own_filing {
                refuse(action, "不能审批本人承办的立案申请")
            } else {
                Ok(())
            }
        }
        OfficeAction::AdvanceStage => {
            let assigned = case.officers.iter().any(|o| o.id == user.account_id)
                || case.header.created_by == user.account_id;
            if assigned
                || user.heads_unit(case_unit_id)
                || user.has(Role::Leader)
                || user.has(Role::LegalReviewer)
                || user.has(Role::Archivist)
            {
                Ok(())
            } else {
                refuse(action, "无权推进该案件的办理阶段")
            }
        }
        OfficeAction::ReviewSubmit | OfficeAction::ReviewRectification => {
            if user.heads_unit(case_unit_id) {
                Ok(())
            } else {
                refuse(action, "只有承办科室负责人可以办理")
            }
        }
        OfficeAction::MajorMeasures => {
            if user.heads_unit(case_unit_id)
                || user.has(Role::Leader)
                || user.has(Role::LegalReviewer)
            {
                Ok(())
            } else {
                refuse(
                    action,
                    "只有承办科室负责人、局领导或法制审核人员可以认定重大执法决定情形",
                )
            }
        }
        OfficeAction::EditRecords => {
            let assigned = case.officers.iter().any(|o| o.id == user.account_id)
                || case.header.created_by == user.account_id;
            if assigned
                || user.heads_unit(case_unit_id)
                || user.has(Role::Leader)
                || user.has(Role::LegalReviewer)
            {
                Ok(())
            } else {
                refuse(action, "无权制作该案件的文书")
            }
        }
        OfficeAction::PartyCopy => {
            if user.heads_unit(case_unit_id) || user.has(Role::Leader) {
                Ok(())
            } else {
                refuse(action, "当事人复制音像资料须经承办科室负责人或局领导批准")
            }
        }
        OfficeAction::Publish => {
            if user.has(Role::OfficeLiaison) {
                Ok(())
            } else {
                refuse(action, "只有办公室联络员可以公示或撤下执法信息")
            }
        }
        OfficeAction::RecordDecisionChange => {
            if user.has(Role::Leader) || user.has(Role::LegalReviewer) {
                Ok(())
            } else {
                refuse(action, "只有局领导或法制审核人员可以记录执法决定的变更")
            }
        }
        OfficeAction::RecordCaseFact => {
            if user.heads_unit(case_unit_id)
                || user.has(Role::Leader)
                || user.has(Role::LegalReviewer)
            {
                Ok(())
            } else {
                refuse(
                    action,
                    "只有承办科室负责人、局领导或法制审核人员可以登记送达、缴款、复议和诉讼",
                )
            }
        }
        OfficeAction::FileCase => {
            if user.has(Role::Archivist) {
                Ok(())
            } else {
                refuse(action, "只有档案管理员可以将案卷归档")
            }
        }
        OfficeAction::ReviewWork => {
            if user.has(Role::LegalReviewer) {
                Ok(())
            } else {
                refuse(action, "只有法制审核人员可以办理")
            }
        }
        OfficeAction::ReviewExtensionApproval => {
            if user.has(Role::Leader) {
                Ok(())
            } else {
                refuse(action, "只有分管负责人 (局领导) 可以批准延长审核期限")
            }
        }
        OfficeAction::ReviewOpinionApproval => {
            if !user.has(Role::Leader) {
                refuse(action, "只有分管负责人 (局领导) 可以批准法制审核意见")
            } else if opinion_reviewers(case).iter().any(|r| r == user.account_id) {
                refuse(action, "不能批准本人出具的法制审核意见")
            } else {
                Ok(())
            }
        }
    }
}

/// Whether an account with `roles` may download filed cases' archive
/// packages and see the retention list: the archivist who keeps them
/// ((二) 第二十三条: 专门人员负责归档、保存和使用), the leaders and the legal
/// office. Reading the case itself is checked besides.
pub fn authorize_archive_use(roles: &[Role]) -> Result<(), Refused> {
    if roles
        .iter()
        .any(|r| matches!(r, Role::Archivist | Role::Leader | Role::LegalReviewer))
    {
        Ok(())
    } else {
        Err(Refused {
            message: "只有档案管理员、局领导和法制审核人员可以调阅归档案卷".into(),
            article: "执法全过程记录制度 第二十三条",
        })
    }
}

/// The bureau-level publicity work, beside any one case ((一) 第五条、
/// 第十一条、第十五条; 国办发〔2015〕58号).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicityDuty {
    /// See the 公示 desk, 事前公开 and 双随机 pages: liaison, legal office, leaders.
    View,
    /// Draft and submit 事前公开 content, mark a change of law: the liaison.
    EditDisclosure,
    /// Approve or return 事前公开 content: the legal office.
    ReviewDisclosure,
    /// Verify and answer the public's corrections: the legal office.
    AnswerFeedback,
    /// Keep the target registry and draw 双随机 inspections: the liaison.
    DrawRandomInspection,
}

/// Whether an account with `roles` may do `duty`; the refusal names who may.
pub fn authorize_publicity(duty: PublicityDuty, roles: &[Role]) -> Result<(), Refused> {
    let has = |r: Role| roles.contains(&r);
    let (ok, message, article) = match duty {
        PublicityDuty::View => (
            has(Role::OfficeLiaison) || has(Role::LegalReviewer) || has(Role::Leader),
            "只有办公室联络员、法制审核人员和局领导可以查看公示工作",
            "行政执法公示制度 第五条",
        ),
        PublicityDuty::EditDisclosure => (
            has(Role::OfficeLiaison),
            "只有办公室联络员可以编辑、提交事前公开内容",
            "行政执法公示制度 第五条、第十一条",
        ),
        PublicityDuty::ReviewDisclosure => (
            has(Role::LegalReviewer),
            "只有法制审核人员可以审核事前公开内容",
            "行政执法公示制度 第五条、第十一条",
        ),
        PublicityDuty::AnswerFeedback => (
            has(Role::LegalReviewer),
            "只有法制审核人员可以核实并答复纠错意见",
            "行政执法公示制度 第十五条",
        ),
        PublicityDuty::DrawRandomInspection => (
            has(Role::OfficeLiaison),
            "只有办公室联络员可以组织双随机抽查",
            "国办发〔2015〕58号; 行政执法公示制度 第五条",
        ),
    };
    if ok {
        Ok(())
    } else {
        Err(Refused {
            message: message.into(),
            article,
        })
    }
}

/// The office action that creating or editing a record of `template` is:
/// 公示信息 and their take-downs are the liaison's, decision changes a
/// leader's or the legal office's, every other record [`OfficeAction::EditRecords`].
pub fn template_action(template: &str) -> OfficeAction {
    match template {
        crate::publicity::ENTRY_TEMPLATE | crate::publicity::WITHDRAWAL_TEMPLATE => {
            OfficeAction::Publish
        }
        crate::publicity::CHANGE_TEMPLATE => OfficeAction::RecordDecisionChange,
        _ => OfficeAction::EditRecords,
    }
}

/// Whether `user` may sign record `template` of `case` in `role`: the
/// account must hold the role ([`may_sign_as`]), and some forms name who signs
/// in which role — the 法制审核意见书 as 审核人员 only by a legal reviewer and
/// as 负责人 only by a leader who did not review it; the 立案审批表 and the
/// 整改情况报告 as 审核人员 only by the handling unit's head.
pub fn authorize_sign(
    user: &ActingUser<'_>,
    case: &Case,
    case_unit_id: &str,
    template: &str,
    role: SignerRole,
) -> Result<(), Refused> {
    may_sign_as(role, user.roles)?;
    match (template, role) {
        ("review_opinion", SignerRole::Reviewer) => {
            authorize(OfficeAction::ReviewWork, user, case, case_unit_id)
        }
        ("review_opinion", SignerRole::Leader) => authorize(
            OfficeAction::ReviewOpinionApproval,
            user,
            case,
            case_unit_id,
        ),
        ("filing_approval", SignerRole::Reviewer) => {
            authorize(OfficeAction::FilingUnitOpinion, user, case, case_unit_id)
        }
        ("review_rectification", SignerRole::Reviewer) => {
            authorize(OfficeAction::ReviewRectification, user, case, case_unit_id)
        }
        _ => Ok(()),
    }
}

/// The account ids that signed the current review opinion as 审核人员.
fn opinion_reviewers(case: &Case) -> Vec<String> {
    case.current_records("review_opinion")
        .filter_map(|r| r.seal.as_ref())
        .flat_map(|s| s.signatures.iter())
        .filter(|e| e.role == SignerRole::Reviewer)
        .map(|e| e.signer_id.clone())
        .collect()
}

/// The account roles that may sign a record in `role`. Officers, parties
/// and witnesses are not office roles (`None`: no account role needed).
pub fn roles_for_signer(role: SignerRole) -> Option<&'static [Role]> {
    match role {
        SignerRole::Reviewer => Some(&[Role::UnitHead, Role::LegalReviewer, Role::Leader]),
        SignerRole::Leader => Some(&[Role::Leader]),
        SignerRole::Officer | SignerRole::Party | SignerRole::Witness => None,
    }
}

/// Whether an account with `roles` may sign in `role`: a signature as
/// 审核人员 or 负责人 counts only from an account holding such a role
/// (执法全过程记录制度 第八条、第十七条; 重大执法决定法制审核制度 第十一条).
pub fn may_sign_as(role: SignerRole, roles: &[Role]) -> Result<(), Refused> {
    match roles_for_signer(role) {
        None => Ok(()),
        Some(allowed) if allowed.iter().any(|r| roles.contains(r)) => Ok(()),
        Some(_) => Err(Refused {
            message: format!("本账号不具有以“{}”身份签字的权限", role.label()),
            article: "执法全过程记录制度 第八条、第十七条; 重大执法决定法制审核制度 第十一条",
        }),
    }
}

/// An account that enforces (执法人员, 科室负责人, 局领导 sign and act in
/// cases) must hold a credential number: only officers with credentials may
/// enforce (行政处罚法 第四十二条; 执法公示制度 第五条 roster).
pub fn check_account_roles(roles: &[Role], credential_no: &str) -> Result<(), Refused> {
    let enforces = roles
        .iter()
        .any(|r| matches!(r, Role::Officer | Role::UnitHead));
    if enforces && credential_no.trim().is_empty() {
        return Err(Refused {
            message: "执法人员和科室负责人须登记执法证号".into(),
            article: "行政处罚法 第四十二条",
        });
    }
    if roles.is_empty() {
        return Err(Refused {
            message: "至少选择一个角色".into(),
            article: "执法全过程记录制度 第三条",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{CaseHeader, CaseKind, CaseSource, Procedure, Stage};
    use crate::doc::{Actor, CaseDoc};
    use crate::template::TemplateRegistry;

    fn case_with_filing(filer: &str) -> Case {
        let header = CaseHeader {
            id: "c1".into(),
            kind: CaseKind::Penalty,
            procedure: Some(Procedure::General),
            title: "t".into(),
            source: CaseSource::Complaint,
            stage: Stage::Initiation,
            unit: "u1".into(),
            created_at: "2026-12-01T09:00:00+08:00".into(),
            created_by: filer.into(),
            source_ref: None,
            fine_fen: None,
            measures: Vec::new(),
        };
        let who = Actor {
            user: filer,
            device: "d1",
            at: "2026-12-01T09:00:00+08:00",
        };
        let mut doc = CaseDoc::create(&header, b"actor-1", &who).expect("create");
        let tpl = TemplateRegistry::builtin()
            .latest("filing_approval")
            .expect("template");
        doc.create_record("r1", tpl, &who).expect("record");
        doc.case().expect("case")
    }

    fn user<'a>(id: &'a str, unit: &'a str, roles: &'a [Role]) -> ActingUser<'a> {
        ActingUser {
            account_id: id,
            unit_id: unit,
            roles,
        }
    }

    #[test]
    fn unit_head_gives_opinion_but_not_on_own_filing() {
        let case = case_with_filing("o1");
        let head = [Role::Officer, Role::UnitHead];
        assert!(authorize(
            OfficeAction::FilingUnitOpinion,
            &user("h1", "u1", &head),
            &case,
            "u1"
        )
        .is_ok());
        // Another unit's head may not.
        let e = authorize(
            OfficeAction::FilingUnitOpinion,
            &user("h2", "u2", &head),
            &case,
            "u1",
        )
        .unwrap_err();
        assert!(e.message.contains("承办科室负责人"));
        assert!(e.article.contains("第八条"));
        // A head who filed it himself may not approve it.
        let own = case_with_filing("h1");
        let e = authorize(
            OfficeAction::FilingUnitOpinion,
            &user("h1", "u1", &head),
            &own,
            "u1",
        )
        .unwrap_err();
        assert!(e.message.contains("本人"));
    }

    #[test]
    fn case_facts_are_recorded_by_the_units_head_a_leader_or_the_legal_office() {
        let case = case_with_filing("o1");
        let may = |u: ActingUser<'_>| authorize(OfficeAction::RecordCaseFact, &u, &case, "u1");
        assert!(may(user("h1", "u1", &[Role::UnitHead])).is_ok());
        assert!(may(user("l1", "u0", &[Role::Leader])).is_ok());
        assert!(may(user("r1", "u0", &[Role::LegalReviewer])).is_ok());
        for refused in [
            user("h2", "u2", &[Role::UnitHead]),
            user("o1", "u1", &[Role::Officer]),
            user("w1", "u0", &[Role::OfficeLiaison, Role::Archivist]),
            user("a1", "u0", &[Role::Admin]),
        ] {
            let e = may(refused).unwrap_err();
            assert!(e.message.contains("登记送达、缴款、复议和诉讼"), "{e}");
            assert!(e.article.contains("第七十三条"));
        }
    }

    #[test]
    fn only_leaders_decide_filing_and_officers_cannot_assign() {
        let case = case_with_filing("o1");
        assert!(authorize(
            OfficeAction::FilingLeaderDecision,
            &user("l1", "u0", &[Role::Leader]),
            &case,
            "u1"
        )
        .is_ok());
        assert!(authorize(
            OfficeAction::FilingLeaderDecision,
            &user("h1", "u1", &[Role::UnitHead]),
            &case,
            "u1"
        )
        .is_err());
        assert!(authorize(
            OfficeAction::FilingLeaderDecision,
            &user("o1", "u1", &[Role::Leader]),
            &case,
            "u1"
        )
        .is_err());
        assert!(authorize(
            OfficeAction::AssignOfficers,
            &user("o1", "u1", &[Role::Officer]),
            &case,
            "u1"
        )
        .is_err());
        assert!(authorize(
            OfficeAction::AssignOfficers,
            &user("h1", "u1", &[Role::UnitHead]),
            &case,
            "u1"
        )
        .is_ok());
        // The creator may advance; an officer of another unit may not.
        assert!(authorize(
            OfficeAction::AdvanceStage,
            &user("o1", "u1", &[Role::Officer]),
            &case,
            "u1"
        )
        .is_ok());
        assert!(authorize(
            OfficeAction::AdvanceStage,
            &user("o9", "u2", &[Role::Officer]),
            &case,
            "u1"
        )
        .is_err());
    }

    #[test]
    fn only_the_archivist_files_a_case() {
        let case = case_with_filing("o1");
        assert!(authorize(
            OfficeAction::FileCase,
            &user("a1", "u0", &[Role::Archivist, Role::OfficeLiaison]),
            &case,
            "u1"
        )
        .is_ok());
        for roles in [
            &[Role::Leader][..],
            &[Role::UnitHead, Role::Officer][..],
            &[Role::LegalReviewer][..],
            &[Role::OfficeLiaison][..],
            &[Role::Admin][..],
            &[Role::Officer][..],
        ] {
            let e = authorize(
                OfficeAction::FileCase,
                &user("o1", "u1", roles),
                &case,
                "u1",
            )
            .unwrap_err();
            assert!(e.message.contains("档案管理员"), "{roles:?}");
            assert!(e.article.contains("第二十三条"));
        }
    }

    #[test]
    fn archive_packages_are_for_the_archivist_leaders_and_legal_office() {
        for ok in [Role::Archivist, Role::Leader, Role::LegalReviewer] {
            assert!(authorize_archive_use(&[ok]).is_ok(), "{ok:?}");
        }
        for no in [
            Role::Officer,
            Role::UnitHead,
            Role::OfficeLiaison,
            Role::Admin,
        ] {
            let e = authorize_archive_use(&[no]).unwrap_err();
            assert!(e.article.contains("第二十三条"), "{no:?}");
        }
    }

    #[test]
    fn officers_need_a_credential_number() {
        assert!(check_account_roles(&[Role::Officer], "").is_err());
        assert!(check_account_roles(&[Role::UnitHead], " ").is_err());
        assert!(check_account_roles(&[Role::Officer], "冀执0723-2023-0101").is_ok());
        assert!(check_account_roles(&[Role::Admin], "").is_ok());
        assert!(check_account_roles(&[], "x").is_err());
    }

    #[test]
    fn signing_as_leader_needs_the_leader_role() {
        assert!(may_sign_as(SignerRole::Leader, &[Role::Leader]).is_ok());
        assert!(may_sign_as(SignerRole::Leader, &[Role::UnitHead, Role::Officer]).is_err());
        assert!(may_sign_as(SignerRole::Reviewer, &[Role::UnitHead]).is_ok());
        assert!(may_sign_as(SignerRole::Reviewer, &[Role::Officer]).is_err());
        assert!(may_sign_as(SignerRole::Officer, &[Role::Officer]).is_ok());
        assert!(may_sign_as(SignerRole::Party, &[]).is_ok());
    }
}
