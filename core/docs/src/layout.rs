//! Form layouts as data (`data/layouts.json`, one per record template):
//! the title printed, the sections with their fields in order, and the
//! signature boxes. A bureau adapts its forms by editing the data, not code.

use std::sync::OnceLock;

use serde::Deserialize;
use zhifa_core::template::{FieldType, SignerRole, Template};

use crate::DocsError;

/// One section of a form: a heading and the fields under it, in order.
#[derive(Debug, Clone, Deserialize)]
pub struct Section {
    /// Heading printed above the section.
    pub heading: String,
    /// Template field keys, in print order.
    pub fields: Vec<String>,
}

/// A group of signature boxes for one signer role.
#[derive(Debug, Clone, Deserialize)]
pub struct SignatureBoxes {
    /// Who signs in these boxes.
    pub role: SignerRole,
    /// Caption printed beside the boxes (e.g. 当事人签名).
    pub label: String,
    /// How many boxes to print at least (empty boxes stay for hand signing).
    pub boxes: u32,
}

/// The printed form of one template.
#[derive(Debug, Clone, Deserialize)]
pub struct Layout {
    /// Template id the layout prints.
    pub template: String,
    /// Title printed on the form.
    pub title: String,
    /// Sections in order.
    pub sections: Vec<Section>,
    /// Signature box groups in order.
    pub signatures: Vec<SignatureBoxes>,
}

impl Layout {
    /// A plain layout for a template without one: its short fields under
    /// 基本情况, each long text under its own label, a box per signer role.
    pub fn fallback(t: &Template) -> Layout {
        let long = |ty: FieldType| matches!(ty, FieldType::LongText | FieldType::QaList);
        let mut sections = vec![Section {
            heading: "基本情况".into(),
            fields: t
                .fields
                .iter()
                .filter(|f| !long(f.ty))
                .map(|f| f.key.clone())
                .collect(),
        }];
        sections.extend(t.fields.iter().filter(|f| long(f.ty)).map(|f| Section {
            heading: f.label.clone(),
            fields: vec![f.key.clone()],
        }));
        Layout {
            template: t.id.clone(),
            title: t.name.clone(),
            sections,
            signatures: t
                .signers
                .iter()
                .map(|s| SignatureBoxes {
                    role: s.role,
                    label: format!("{}签名", s.role.label()),
                    boxes: s.min.max(1),
                })
                .collect(),
        }
    }
}

/// All layouts.
#[derive(Debug, Clone)]
pub struct Layouts {
    layouts: Vec<Layout>,
}

impl Layouts {
    /// Reads layouts from JSON (an array of [`Layout`]).
    pub fn from_json(json: &str) -> Result<Layouts, DocsError> {
        let layouts: Vec<Layout> = serde_json::from_str(json)
            .map_err(|e| DocsError::Layout(format!("文书版式数据无效: {e}")))?;
        Ok(Layouts { layouts })
    }

    /// The layouts built into this crate (`data/layouts.json`).
    pub fn builtin() -> &'static Layouts {
        static L: OnceLock<Layouts> = OnceLock::new();
        L.get_or_init(|| {
            // The file is part of the crate and checked by the tests below.
            #[allow(clippy::expect_used)]
            Layouts::from_json(include_str!("../data/layouts.json"))
                .expect("built-in layouts.json is valid")
        })
    }

    /// The layout of a template, if the data has one.
    pub fn get(&self, template: &str) -> Option<&Layout> {
        self.layouts.iter().find(|l| l.template == template)
    }

    /// Every layout.
    pub fn all(&self) -> &[Layout] {
        &self.layouts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhifa_core::template::TemplateRegistry;

    #[test]
    fn every_template_has_a_layout_and_every_layout_field_exists() {
        let layouts = Layouts::builtin();
        for t in TemplateRegistry::builtin().latest_all(None) {
            let l = layouts
                .get(&t.id)
                .unwrap_or_else(|| panic!("template {} has no layout", t.id));
            for s in &l.sections {
                for k in &s.fields {
                    assert!(t.field(k).is_ok(), "layout {}: unknown field {k}", t.id);
                }
            }
            for s in &t.signers {
                assert!(
                    l.signatures.iter().any(|b| b.role == s.role),
                    "layout {}: no box for {:?}",
                    t.id,
                    s.role
                );
            }
        }
        for l in layouts.all() {
            assert!(
                TemplateRegistry::builtin().latest(&l.template).is_ok(),
                "layout for unknown template {}",
                l.template
            );
        }
    }

    #[test]
    fn every_required_field_is_printed() {
        for t in TemplateRegistry::builtin().latest_all(None) {
            let l = Layouts::builtin().get(&t.id).expect("checked above");
            for f in t.fields.iter().filter(|f| f.required) {
                assert!(
                    l.sections.iter().any(|s| s.fields.contains(&f.key)),
                    "layout {} omits required field {}",
                    t.id,
                    f.key
                );
            }
        }
    }

    #[test]
    fn bad_layout_json_is_a_clear_error() {
        let e = Layouts::from_json("[{\"template\":1}]").unwrap_err();
        assert!(e.to_string().contains("文书版式数据无效"), "{e}");
    }
}
