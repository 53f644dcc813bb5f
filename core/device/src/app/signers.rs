//! Who signs, as typed: an officer by user name, name or account id, a
//! party by name or id (or the case's only party), resolved against the
//! case (zhifa-core's [`zhifa_core::input::resolve_officers`]); the stored
//! signer id stays the account or party id.

use zhifa_core::input::{resolve_officers, InputContext, OfficerName};
use zhifa_core::template::SignerRole;

use super::{now, App};
use crate::error::{DeviceError, Result};

impl App {
    /// The signer's id and name as stored, from what was typed. An officer
    /// is named by user name, name or account id; a party by name or id, or
    /// left empty when the case has one party. An empty name is the
    /// officer's name, or the party's representative (else its name).
    /// Other roles are taken as typed.
    pub fn resolve_signer(
        &self,
        case_id: &str,
        role: SignerRole,
        signer: &str,
        name: &str,
    ) -> Result<(String, String)> {
        let signer = signer.trim();
        let name = name.trim();
        let usernames = self.known_usernames()?;
        self.read(case_id, |doc, _| {
            let case = doc.case()?;
            match role {
                SignerRole::Officer => {
                    let input = InputContext {
                        now: now(),
                        officers: case
                            .officers
                            .iter()
                            .map(|o| OfficerName {
                                id: o.id.clone(),
                                name: o.name.clone(),
                                username: usernames.get(&o.id).cloned(),
                            })
                            .collect(),
                    };
                    if signer.is_empty() {
                        return Err(DeviceError::Invalid(format!(
                            "请指明签名的执法人员; 本案执法人员: {}",
                            input.officers_listed()
                        )));
                    }
                    let ids = resolve_officers("签名人", &[signer.to_string()], &input)?;
                    let id = ids.into_iter().next().unwrap_or_default();
                    let officer_name = case.officer(&id).map(|o| o.name.clone());
                    let name = match (name.is_empty(), officer_name) {
                        (true, Some(n)) => n,
                        _ => name.to_string(),
                    };
                    Ok((id, name))
                }
                SignerRole::Party => {
                    let party = if signer.is_empty() && case.parties.len() == 1 {
                        case.parties.first()
                    } else {
                        case.parties
                            .iter()
                            .find(|p| p.id == signer || p.name == signer)
                    };
                    let Some(p) = party else {
                        let names: Vec<&str> =
                            case.parties.iter().map(|p| p.name.as_str()).collect();
                        return Err(DeviceError::Invalid(format!(
                            "本案没有当事人“{signer}”; 本案当事人: {}",
                            if names.is_empty() {
                                "(无)".into()
                            } else {
                                names.join("、")
                            }
                        )));
                    };
                    let name = if name.is_empty() {
                        p.representative.clone().unwrap_or_else(|| p.name.clone())
                    } else {
                        name.to_string()
                    };
                    Ok((p.id.clone(), name))
                }
                _ => Ok((signer.to_string(), name.to_string())),
            }
        })
    }
}
