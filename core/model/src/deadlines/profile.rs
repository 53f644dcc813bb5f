//! The provincial profile: the 三项制度 figures that come from provincial or
//! county implementing texts rather than national law, so they differ by
//! province (e.g. legal review 7+5 wd in Hebei, 7+3 in Liaoning). The default
//! is the seed text (`data/profile_default.json`, a Hebei county plan); a
//! deployment replaces it with [`Profile::from_json`].

use serde::{Deserialize, Serialize};

use super::error::{DeadlineError, Result};
use super::rules::{Counting, Owner, RuleKind, StatutoryRule};

/// The embedded default profile (seed values).
pub const DEFAULT_PROFILE_JSON: &str = include_str!("../../data/profile_default.json");

/// Province-specific periods of the three systems. Every field is optional in
/// JSON (missing = the seed's value); unknown fields are rejected so a typo
/// is not silently ignored (keys starting with `_` are comments).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// Display name of the profile.
    pub name: String,
    /// Publish a decision within N working days (三项制度(一)第十二条(1);
    /// 国办发〔2018〕118号). Seed: 7.
    pub publication_working_days: i64,
    /// Keep a published decision online N years (三项制度(一)第十二条(2)). Seed: 5.
    pub display_years: i64,
    /// … N years if the party is a natural person. Seed: 2.
    pub display_years_natural_person: i64,
    /// Legal review within N working days (三项制度(三)第十条). Seed: 7.
    pub legal_review_working_days: i64,
    /// … extendable by N working days with the leader's approval. Seed: 5.
    pub legal_review_extension_working_days: i64,
    /// Archive the case file within N days of the act ending
    /// (三项制度(二)第二十二条). Seed: 30.
    pub archive_days: i64,
    /// Update 事前公开 content within N working days of a change of law or
    /// duty (三项制度(一)第十一条(4); 政府信息公开条例 art.26). Seed: 20.
    pub prepublicity_update_working_days: i64,
    /// An open obligation is “due soon” (即将到期) from this many calendar
    /// days before its target date. Seed: 3.
    pub due_soon_days: i64,
}

impl Default for Profile {
    /// The seed's values (same as `data/profile_default.json`).
    fn default() -> Profile {
        Profile {
            name: "河北省（种子文本：县级三项制度实施方案）".into(),
            publication_working_days: 7,
            display_years: 5,
            display_years_natural_person: 2,
            legal_review_working_days: 7,
            legal_review_extension_working_days: 5,
            archive_days: 30,
            prepublicity_update_working_days: 20,
            due_soon_days: 3,
        }
    }
}

/// Ids of the rows a profile adds to the rule table.
pub mod ids {
    /// Publication of a decision (7 wd).
    pub const PUBLICATION: &str = "p_publication";
    /// Take-down after display (5 y).
    pub const DISPLAY: &str = "p_display";
    /// Take-down after display, natural person (2 y).
    pub const DISPLAY_NATURAL_PERSON: &str = "p_display_natural_person";
    /// Update of 事前公开 content (20 wd).
    pub const PREPUBLICITY_UPDATE: &str = "p_prepublicity_update";
    /// Legal review (7 wd).
    pub const LEGAL_REVIEW: &str = "p_legal_review";
    /// Legal review extension (+5 wd from the original due date).
    pub const LEGAL_REVIEW_EXTENSION: &str = "p_legal_review_extension";
    /// Archiving (30 days).
    pub const ARCHIVE: &str = "p_archive";
}

impl Profile {
    /// Parses a profile JSON (missing fields take the seed's values) and validates it.
    pub fn from_json(json: &str) -> Result<Profile> {
        let bad =
            |e: String| DeadlineError::InvalidRuleData(format!("省级配置 JSON 解析失败: {e}"));
        let mut map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
        map.retain(|k, _| !k.starts_with('_'));
        let known = serde_json::to_value(Profile::default()).map_err(|e| bad(e.to_string()))?;
        if let Some(unknown) = map.keys().find(|k| known.get(k.as_str()).is_none()) {
            return Err(bad(format!("未知字段 \"{unknown}\"")));
        }
        let p: Profile = serde_json::from_value(serde_json::Value::Object(map))
            .map_err(|e| bad(e.to_string()))?;
        p.validate()?;
        Ok(p)
    }

    fn validate(&self) -> Result<()> {
        let periods = [
            ("publication_working_days", self.publication_working_days),
            ("display_years", self.display_years),
            (
                "display_years_natural_person",
                self.display_years_natural_person,
            ),
            ("legal_review_working_days", self.legal_review_working_days),
            (
                "legal_review_extension_working_days",
                self.legal_review_extension_working_days,
            ),
            ("archive_days", self.archive_days),
            (
                "prepublicity_update_working_days",
                self.prepublicity_update_working_days,
            ),
        ];
        for (field, v) in periods {
            if !(1..=10_000).contains(&v) {
                return Err(DeadlineError::InvalidRuleData(format!(
                    "省级配置 {field}={v} 无效（应为 1–10000）"
                )));
            }
        }
        if !(0..=365).contains(&self.due_soon_days) {
            return Err(DeadlineError::InvalidRuleData(format!(
                "省级配置 due_soon_days={} 无效（应为 0–365）",
                self.due_soon_days
            )));
        }
        Ok(())
    }

    /// The profile's periods as rule-table rows (ids in [`ids`]).
    pub fn rules(&self) -> Vec<StatutoryRule> {
        #[allow(clippy::too_many_arguments)]
        fn row(
            id: &str,
            row: u32,
            stage: &str,
            trigger: (&str, &str),
            n: i64,
            rule: Counting,
            kind: RuleKind,
            citation: &str,
            title: &str,
            description: String,
            raw_target: bool,
        ) -> StatutoryRule {
            StatutoryRule {
                id: id.into(),
                row,
                stage: stage.into(),
                trigger: trigger.0.into(),
                trigger_zh: trigger.1.into(),
                n,
                rule,
                kind,
                owner: Owner::Agency,
                citation: citation.into(),
                title: title.into(),
                description,
                raw_target,
            }
        }
        vec![
            row(
                ids::PUBLICATION,
                38,
                "5 公开",
                ("decision_made", "执法决定作出或者变更之日"),
                self.publication_working_days,
                Counting::WorkingDays,
                RuleKind::Deadline,
                "三项制度(一)第十二条(1); 国办发〔2018〕118号",
                "执法决定公示期限",
                format!(
                    "行政执法决定和结果，应当在信息形成或者变更之日起{}个工作日之内公开",
                    self.publication_working_days
                ),
                false,
            ),
            row(
                ids::DISPLAY,
                39,
                "5 公开",
                ("published", "公示之日"),
                self.display_years,
                Counting::YearsRaw,
                RuleKind::Display,
                "三项制度(一)第十二条(2)",
                "公示期满撤下",
                format!(
                    "行政执法结果信息在互联网上公开满{}年的，经审核批准后及时撤下",
                    self.display_years
                ),
                false,
            ),
            row(
                ids::DISPLAY_NATURAL_PERSON,
                39,
                "5 公开",
                ("published", "公示之日"),
                self.display_years_natural_person,
                Counting::YearsRaw,
                RuleKind::Display,
                "三项制度(一)第十二条(2)",
                "公示期满撤下（自然人）",
                format!(
                    "行政相对人是自然人的，公开满{}年，经审核批准后及时撤下",
                    self.display_years_natural_person
                ),
                false,
            ),
            row(
                ids::PREPUBLICITY_UPDATE,
                40,
                "5 公开",
                ("law_or_duty_changed", "法规生效、废止或职能调整之日"),
                self.prepublicity_update_working_days,
                Counting::WorkingDays,
                RuleKind::Deadline,
                "三项制度(一)第十一条(4); 政府信息公开条例 art.26",
                "事前公开内容更新期限",
                format!(
                    "规章、规范性文件或机构职能变化引起公示内容变化的，{}个工作日内更新公示内容",
                    self.prepublicity_update_working_days
                ),
                false,
            ),
            row(
                ids::LEGAL_REVIEW,
                94,
                "3 审核/决定",
                ("legal_review_submitted", "法制审核材料报送之日"),
                self.legal_review_working_days,
                Counting::WorkingDays,
                RuleKind::Deadline,
                "三项制度(三)第十条",
                "法制审核期限",
                format!(
                    "法制审核一般应在{}个工作日内完成",
                    self.legal_review_working_days
                ),
                true,
            ),
            row(
                ids::LEGAL_REVIEW_EXTENSION,
                94,
                "3 审核/决定",
                ("legal_review_due", "原审核期限届满之日"),
                self.legal_review_extension_working_days,
                Counting::WorkingDays,
                RuleKind::Deadline,
                "三项制度(三)第十条",
                "法制审核延长期限",
                format!(
                    "因客观原因无法完成审核的，经分管领导批准可延长{}个工作日（自原期限届满日起算）",
                    self.legal_review_extension_working_days
                ),
                true,
            ),
            row(
                ids::ARCHIVE,
                95,
                "9 档案",
                ("act_ended", "行政执法行为终结之日"),
                self.archive_days,
                Counting::CalendarDays,
                RuleKind::Deadline,
                "三项制度(二)第二十二条",
                "案卷归档期限",
                format!(
                    "在行政执法行为终结之日起{}日内，将文字、音像记录资料归档保存",
                    self.archive_days
                ),
                true,
            ),
        ]
    }
}
