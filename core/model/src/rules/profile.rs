//! The provincial numbers the gates depend on, as replaceable configuration.

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// Thresholds and lists that vary by province or department. The default is
/// the seed's profile (a Hebei county archives bureau); a province replaces it
/// with a JSON document of the same fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleProfile {
    /// Profile name shown in reports.
    pub name: String,
    /// 简易程序 ceiling for a natural person, in fen (行政处罚法 art.51: 200 元).
    pub simple_max_fine_person_fen: i64,
    /// 简易程序 ceiling for a legal person or other organisation, in fen
    /// (行政处罚法 art.51: 3000 元).
    pub simple_max_fine_org_fen: i64,
    /// 较大数额罚款 for a natural person from this amount (fen), making the
    /// decision major ((三) 第四条(一)). A provincial configuration value;
    /// the default is the seed province's (see [`RuleProfile::default`]).
    pub major_fine_person_fen: i64,
    /// 较大数额罚款 for a legal person or other organisation from this amount
    /// (fen); provincial, like `major_fine_person_fen` ((三) 第四条).
    pub major_fine_org_fen: i64,
    /// Measures (`CaseHeader::measures`) that make a decision major:
    /// (三) 第四条(二) 行政强制执行, (三) 第四条(三) 重大档案违法案件, and any
    /// the province adds.
    pub major_measures: Vec<String>,
    /// Materials the legal-review application must list ((三) 第六条).
    pub review_materials: Vec<String>,
    /// The opinion outcome that lets a major decision be issued ((三) 第十一条).
    pub review_pass_outcome: String,
    /// Opinion outcomes after which the decision may not be made at all
    /// ((三) 第十一条: no power to act); every other outcome asks the unit to
    /// rectify and report in writing before deciding.
    #[serde(default = "default_stop_outcomes")]
    pub review_stop_outcomes: Vec<String>,
    /// Minimum officers present at investigation (行政处罚法 art.42, (二) 第十条).
    pub min_officers: usize,
}

fn default_stop_outcomes() -> Vec<String> {
    vec!["不具有执法权的，建议不作出决定".into()]
}

impl Default for RuleProfile {
    // Amounts are written as 元_分 (e.g. 200_00 = 200 元).
    #[allow(clippy::inconsistent_digit_grouping)]
    fn default() -> Self {
        RuleProfile {
            name: "河北省（种子文本：县级三项制度实施方案）".into(),
            simple_max_fine_person_fen: 200_00,
            simple_max_fine_org_fen: 3_000_00,
            // Provincial configuration value, not a national rule: (三) 第四条
            // makes 较大数额罚款 a major decision and leaves the amount to the
            // province. The default is the seed province's (河北) amount for
            // 较大数额罚款 as used for hearings (个人 2,000 元, 单位 30,000 元);
            // another province replaces it in its profile JSON.
            major_fine_person_fen: 2_000_00,
            major_fine_org_fen: 30_000_00,
            major_measures: vec!["行政强制执行".into(), "重大档案违法案件".into()],
            review_materials: vec![
                "申报表".into(),
                "决定书代拟稿".into(),
                "处理建议及说明".into(),
                "调查报告".into(),
                "证据材料".into(),
            ],
            review_pass_outcome: "同意".into(),
            review_stop_outcomes: default_stop_outcomes(),
            min_officers: 2,
        }
    }
}

impl RuleProfile {
    /// Reads a profile from JSON; every field must be present.
    pub fn from_json(json: &str) -> Result<RuleProfile> {
        let p: RuleProfile = serde_json::from_str(json)
            .map_err(|e| CoreError::Malformed(format!("规则配置格式错误: {e}")))?;
        if p.simple_max_fine_person_fen < 0
            || p.simple_max_fine_org_fen < 0
            || p.major_fine_person_fen <= 0
            || p.major_fine_org_fen <= 0
        {
            return Err(CoreError::InvalidInput("规则配置中的金额必须为正数".into()));
        }
        if p.min_officers < 2 {
            return Err(CoreError::InvalidInput(
                "执法人员不得少于两人 (行政处罚法 第四十二条), 配置值无效".into(),
            ));
        }
        Ok(p)
    }
}
