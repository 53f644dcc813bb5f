//! Record templates (文书模板) as versioned data, not code. The templates ship
//! in `data/templates.json`; each lists its fields, which are required, who
//! must sign, and whether audio/video recording is mandatory.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::case::{CaseKind, Stage};
use crate::error::{CoreError, Result};

/// The kind of a template field and therefore of its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// One line of text.
    Text,
    /// Several paragraphs (笔录 content).
    LongText,
    /// A whole number.
    Integer,
    /// Money in fen (分), never negative.
    Money,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A date and time, RFC 3339.
    DateTime,
    /// Yes or no.
    Bool,
    /// One of `options`.
    Choice,
    /// Several of `options`.
    MultiChoice,
    /// A list of short texts (e.g. officer ids present).
    List,
    /// Questions and answers (询问笔录).
    QaList,
}

impl FieldType {
    /// Chinese name of the expected value, for error messages.
    pub fn label(self) -> &'static str {
        match self {
            FieldType::Text | FieldType::LongText => "文本",
            FieldType::Integer => "整数",
            FieldType::Money => "金额(分)",
            FieldType::Date => "日期(如 2026-12-02)",
            FieldType::DateTime => "日期时间(如 2026-12-02 10:00)",
            FieldType::Bool => "是/否",
            FieldType::Choice => "单选项",
            FieldType::MultiChoice => "多选项",
            FieldType::List => "文本列表",
            FieldType::QaList => "问答列表",
        }
    }
}

/// One field of a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDef {
    /// Stable key, ASCII snake_case.
    pub key: String,
    /// Chinese label as printed on the document.
    pub label: String,
    /// Value kind.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// Must be filled before the record can be sealed.
    #[serde(default)]
    pub required: bool,
    /// Maximum length in characters for texts (default by type).
    #[serde(default)]
    pub max_len: Option<usize>,
    /// Options for choice fields.
    #[serde(default)]
    pub options: Vec<String>,
    /// Personal data (identity numbers): every display form masks it
    /// ((一) 第九条; see [`crate::mask`] and [`crate::record::FieldValue::display_for`]).
    #[serde(default)]
    pub sensitive: bool,
}

impl FieldDef {
    /// What to type, in Chinese, for fields whose input has a form: dates,
    /// date-times, 是/否, lists, officers, choices.
    pub fn input_hint(&self) -> Option<String> {
        if self.holds_officers() {
            return Some("本案执法人员的姓名、用户名或账号, 用逗号分隔".into());
        }
        Some(match self.ty {
            FieldType::Date => format!("日期: {}", crate::dates::DATE_FORMS),
            FieldType::DateTime => format!("日期时间: {}", crate::dates::DATE_TIME_FORMS),
            FieldType::Bool => "是 或 否".into(),
            FieldType::Choice => format!("其中之一: {}", self.options.join("、")),
            FieldType::MultiChoice => {
                format!("一项或多项, 用逗号分隔: {}", self.options.join("、"))
            }
            FieldType::List => "一项或多项, 用逗号分隔".into(),
            FieldType::Money => "金额, 单位为分 (500 元 = 50000)".into(),
            FieldType::QaList => "问答 JSON: [{\"q\":\"问\",\"a\":\"答\"}]".into(),
            _ => return None,
        })
    }

    /// True when the field holds officers' account ids (`officers_present`):
    /// input names them by user name, name or id
    /// ([`crate::input::resolve_officers`]), the gates read the ids.
    pub fn holds_officers(&self) -> bool {
        self.ty == FieldType::List && self.key == "officers_present"
    }

    /// The effective maximum length in characters of a text value.
    pub fn max_chars(&self) -> usize {
        self.max_len.unwrap_or(match self.ty {
            FieldType::LongText | FieldType::QaList => 20_000,
            _ => 500,
        })
    }
}

/// Who signs a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignerRole {
    /// 执法人员
    Officer,
    /// 当事人
    Party,
    /// 见证人
    Witness,
    /// 承办人 / 审核人 / 负责人 (office roles signing forms)
    Reviewer,
    /// 负责人 / 局领导
    Leader,
}

impl SignerRole {
    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            SignerRole::Officer => "执法人员",
            SignerRole::Party => "当事人",
            SignerRole::Witness => "见证人",
            SignerRole::Reviewer => "审核人员",
            SignerRole::Leader => "负责人",
        }
    }
}

/// A signature requirement of a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignerRule {
    /// Who.
    pub role: SignerRole,
    /// How many distinct signers at least.
    pub min: u32,
    /// Whether a refusal to sign, witnessed, satisfies the rule ((二) 第十二条).
    #[serde(default)]
    pub refusable: bool,
}

/// A record template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    /// Stable id, e.g. `inspection_record`.
    pub id: String,
    /// Version; a record keeps the version it was created with.
    pub version: u32,
    /// Chinese name, e.g. 现场检查笔录.
    pub name: String,
    /// Which case kinds use it.
    pub kinds: Vec<CaseKind>,
    /// The stage it belongs to.
    pub stage: Stage,
    /// The article that requires this record.
    pub article: String,
    /// Audio/video recording is mandatory ((二) 第十三条).
    #[serde(default)]
    pub av_required: bool,
    /// The record must list ≥2 officers present with credentials shown
    /// ((二) 第十条; 行政处罚法 art.42, art.55).
    #[serde(default)]
    pub officers_present: bool,
    /// Signatures required.
    pub signers: Vec<SignerRule>,
    /// Fields in document order.
    pub fields: Vec<FieldDef>,
}

impl Template {
    /// The field with this key.
    pub fn field(&self, key: &str) -> Result<&FieldDef> {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .ok_or_else(|| CoreError::UnknownField {
                template: self.id.clone(),
                field: key.to_string(),
            })
    }
}

/// All templates known to this build, by (id, version).
#[derive(Debug)]
pub struct TemplateRegistry {
    by_key: BTreeMap<(String, u32), Template>,
}

static BUILTIN: OnceLock<TemplateRegistry> = OnceLock::new();
const BUILTIN_JSON: &str = include_str!("../data/templates.json");

impl TemplateRegistry {
    /// Parses a registry from JSON (an array of templates).
    pub fn from_json(json: &str) -> Result<Self> {
        let list: Vec<Template> = serde_json::from_str(json)
            .map_err(|e| CoreError::Malformed(format!("文书模板数据: {e}")))?;
        let mut by_key = BTreeMap::new();
        for t in list {
            let mut keys = std::collections::BTreeSet::new();
            for f in &t.fields {
                if !keys.insert(f.key.clone()) {
                    return Err(CoreError::Malformed(format!(
                        "模板 {} 字段重复: {}",
                        t.id, f.key
                    )));
                }
                if matches!(f.ty, FieldType::Choice | FieldType::MultiChoice)
                    && f.options.is_empty()
                {
                    return Err(CoreError::Malformed(format!(
                        "模板 {} 字段 {} 缺少选项",
                        t.id, f.key
                    )));
                }
            }
            by_key.insert((t.id.clone(), t.version), t);
        }
        Ok(Self { by_key })
    }

    /// The templates that ship with Zhifa.
    pub fn builtin() -> &'static TemplateRegistry {
        BUILTIN.get_or_init(|| match Self::from_json(BUILTIN_JSON) {
            Ok(r) => r,
            // The embedded file is tested in CI; a broken build must not start.
            Err(e) => panic!("embedded templates.json is invalid: {e}"),
        })
    }

    /// A template by id and version.
    pub fn get(&self, id: &str, version: u32) -> Result<&Template> {
        self.by_key
            .get(&(id.to_string(), version))
            .ok_or_else(|| CoreError::UnknownTemplate {
                id: id.to_string(),
                version,
            })
    }

    /// The newest version of a template.
    pub fn latest(&self, id: &str) -> Result<&Template> {
        self.by_key
            .range((id.to_string(), 0)..=(id.to_string(), u32::MAX))
            .next_back()
            .map(|(_, t)| t)
            .ok_or_else(|| CoreError::UnknownTemplate {
                id: id.to_string(),
                version: 0,
            })
    }

    /// The newest version of every template, by id; with `kind`, only the
    /// templates that case kind uses.
    pub fn latest_all(&self, kind: Option<CaseKind>) -> Vec<&Template> {
        let mut out: Vec<&Template> = Vec::new();
        for t in self.by_key.values() {
            if kind.is_some_and(|k| !t.kinds.contains(&k)) {
                continue;
            }
            match out.last_mut() {
                Some(last) if last.id == t.id => *last = t,
                _ => out.push(t),
            }
        }
        out
    }

    /// Every template, newest versions and old ones alike.
    pub fn all(&self) -> impl Iterator<Item = &Template> {
        self.by_key.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_cover_the_seed() {
        let reg = TemplateRegistry::builtin();
        for id in [
            "inspection_record",
            "inquiry_record",
            "rights_notice",
            "evidence_list",
            "statement_defense",
            "hearing_record",
            "service_receipt_direct",
            "service_receipt_mail",
            "filing_approval",
            "non_filing_notice",
            "penalty_decision",
            "simple_penalty_decision",
            "investigation_report",
            "review_application",
            "review_opinion",
        ] {
            let t = reg.latest(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert!(!t.fields.is_empty(), "{id}");
            assert!(!t.article.is_empty(), "{id}");
        }
        // (二) 第十三条: on-site inspection and hearing must be AV recorded.
        assert!(reg
            .latest("inspection_record")
            .map(|t| t.av_required)
            .unwrap_or(false));
        assert!(reg
            .latest("hearing_record")
            .map(|t| t.av_required)
            .unwrap_or(false));
        assert!(!reg
            .latest("inquiry_record")
            .map(|t| t.av_required)
            .unwrap_or(true));
    }

    #[test]
    fn every_identity_number_field_is_marked_sensitive() {
        let mut seen = 0;
        for t in TemplateRegistry::builtin().all() {
            for f in &t.fields {
                let identity = ["身份证", "证件号码", "统一社会信用代码"]
                    .iter()
                    .any(|w| f.label.contains(w));
                if identity {
                    seen += 1;
                    assert!(f.sensitive, "{}.{} must be masked", t.id, f.key);
                }
            }
        }
        assert!(seen >= 1, "询问笔录 has 被询问人身份证号");
        let f = TemplateRegistry::builtin()
            .latest("inquiry_record")
            .and_then(|t| t.field("interviewee_id"))
            .map(|f| f.sensitive);
        assert_eq!(f, Ok(true));
    }

    #[test]
    fn a_second_template_version_is_data_and_the_first_stays_readable() {
        // Version 2 of 询问笔录 adds a field; nothing but data changes.
        let v1: serde_json::Value = serde_json::to_value(
            TemplateRegistry::builtin()
                .get("inquiry_record", 1)
                .expect("v1"),
        )
        .expect("json");
        let mut v2 = v1.clone();
        v2["version"] = 2.into();
        v2["fields"]
            .as_array_mut()
            .expect("fields")
            .push(serde_json::json!({
                "key": "interpreter", "label": "翻译人员", "type": "text", "max_len": 50
            }));
        let json = serde_json::Value::Array(vec![v2, v1]).to_string();
        let reg = TemplateRegistry::from_json(&json).expect("registry");
        assert_eq!(reg.latest("inquiry_record").map(|t| t.version), Ok(2));
        let old = reg.get("inquiry_record", 1).expect("v1 kept");
        let new = reg.get("inquiry_record", 2).expect("v2");
        assert!(new.field("interpreter").is_ok());
        assert!(matches!(
            old.field("interpreter"),
            Err(CoreError::UnknownField { .. })
        ));
        assert_eq!(old.fields.len() + 1, new.fields.len());
        assert_eq!(reg.all().count(), 2);
    }

    #[test]
    fn unknown_template_is_a_typed_error() {
        let reg = TemplateRegistry::builtin();
        assert_eq!(
            reg.get("nope", 1).err(),
            Some(CoreError::UnknownTemplate {
                id: "nope".into(),
                version: 1
            })
        );
        assert!(reg.get("inspection_record", 99).is_err());
    }

    #[test]
    fn duplicate_keys_and_missing_options_are_rejected() {
        let dup = r#"[{"id":"x","version":1,"name":"x","kinds":["inspection"],"stage":"investigation","article":"a","signers":[],
            "fields":[{"key":"a","label":"a","type":"text"},{"key":"a","label":"b","type":"text"}]}]"#;
        assert!(TemplateRegistry::from_json(dup).is_err());
        let noopt = r#"[{"id":"x","version":1,"name":"x","kinds":["inspection"],"stage":"investigation","article":"a","signers":[],
            "fields":[{"key":"a","label":"a","type":"choice"}]}]"#;
        assert!(TemplateRegistry::from_json(noopt).is_err());
        assert!(TemplateRegistry::from_json("not json").is_err());
    }
}
