//! A case masked for a reader who does not need its personal data.

use crate::case::PartyKind;
use crate::mask::{mask_address, mask_id_number, mask_phone};
use crate::record::FieldValue;
use crate::template::TemplateRegistry;

use super::Case;

impl Case {
    /// Masks the personal data of a whole case for a reader who does not need
    /// it (an administrator, a publicity draft): parties' identity numbers and
    /// phones, natural persons' addresses, and every record field marked
    /// sensitive in its template.
    pub fn mask_personal_data(&mut self) {
        let case = self;
        for p in &mut case.parties {
            p.id_number = mask_id_number(&p.id_number);
            p.phone = p.phone.as_deref().map(mask_phone);
            if p.kind == PartyKind::NaturalPerson {
                p.address = p.address.as_deref().map(mask_address);
            }
        }
        let registry = TemplateRegistry::builtin();
        for r in &mut case.records {
            let Ok(tpl) = registry.get(&r.template, r.template_version) else {
                continue;
            };
            for (key, value) in r.fields.iter_mut() {
                if !tpl.field(key).is_ok_and(|d| d.sensitive) {
                    continue;
                }
                match value {
                    FieldValue::Text(s) => *s = mask_id_number(s),
                    FieldValue::List(items) => {
                        for s in items.iter_mut() {
                            *s = mask_id_number(s);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}
