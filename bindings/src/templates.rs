//! Record templates as view models for the record editor.

use zhifa_core::template::TemplateRegistry;

use crate::app::choices::FieldType;

use zhifa_core::wire_name;

/// One field of a template.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FieldInfo {
    /// Key.
    pub key: String,
    /// Chinese label.
    pub label: String,
    /// Field type (the editor switches on it).
    pub field_type: FieldType,
    /// Must be filled before sealing.
    pub required: bool,
    /// Longest text in characters.
    pub max_chars: u32,
    /// Options of a choice.
    pub options: Vec<String>,
    /// Chinese name of the type (`日期时间(如 2026-12-02 10:00)`).
    pub type_label: String,
    /// What to type, in Chinese (accepted date forms, 是/否, officers by
    /// name or user name, the choices), if the field has a form.
    pub hint: Option<String>,
}

/// Who must sign.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SignerInfo {
    /// Role (`officer`, `party`, `witness`, `reviewer`, `leader`).
    pub role: String,
    /// Chinese role name.
    pub label: String,
    /// Minimum number of distinct signers.
    pub min: u32,
    /// Whether a witnessed refusal satisfies it.
    pub refusable: bool,
}

/// A record template (文书模板).
#[derive(Debug, Clone, uniffi::Record)]
pub struct TemplateInfo {
    /// Stable id.
    pub id: String,
    /// Version.
    pub version: u32,
    /// Chinese name.
    pub name: String,
    /// Audio/video mandatory ((二) 第十三条).
    pub av_required: bool,
    /// The article the template implements.
    pub article: String,
    /// Case kinds that use it (`inspection`, `penalty`).
    pub kinds: Vec<String>,
    /// The stage it belongs to (Chinese).
    pub stage: String,
    /// Fields in display order.
    pub fields: Vec<FieldInfo>,
    /// Signature rules.
    pub signers: Vec<SignerInfo>,
}

/// Every built-in template, latest versions.
#[uniffi::export]
pub fn record_templates() -> Vec<TemplateInfo> {
    TemplateRegistry::builtin()
        .latest_all(None)
        .into_iter()
        .map(|t| TemplateInfo {
            id: t.id.clone(),
            version: t.version,
            name: t.name.clone(),
            av_required: t.av_required,
            article: t.article.clone(),
            kinds: t.kinds.iter().map(wire_name).collect(),
            stage: t.stage.label().to_string(),
            fields: t
                .fields
                .iter()
                .map(|f| FieldInfo {
                    key: f.key.clone(),
                    label: f.label.clone(),
                    field_type: f.ty,
                    required: f.required,
                    max_chars: u32::try_from(f.max_chars()).unwrap_or(u32::MAX),
                    options: f.options.clone(),
                    type_label: f.ty.label().to_string(),
                    hint: f.input_hint(),
                })
                .collect(),
            signers: t
                .signers
                .iter()
                .map(|s| SignerInfo {
                    role: wire_name(&s.role),
                    label: s.role.label().to_string(),
                    min: s.min,
                    refusable: s.refusable,
                })
                .collect(),
        })
        .collect()
}
