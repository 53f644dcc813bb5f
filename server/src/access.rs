//! Who may read and write which case.
//!
//! - assigned officers (the creator and the officers listed in the case) read and write it;
//! - a unit head reads and writes every case of their unit;
//! - leaders, legal reviewers, office liaisons and archivists read and write
//!   every case (approvals, reviews, publicity, filing are written into the case);
//! - administrators read every case but write none.

use zhifa_core::sync::Role;

use crate::store::{Account, CaseAccess, CaseScope, Principal};

/// Roles that see every case.
const OFFICE_ROLES: [Role; 5] = [
    Role::Leader,
    Role::LegalReviewer,
    Role::OfficeLiaison,
    Role::Archivist,
    Role::Admin,
];

fn has(p: &Principal, r: Role) -> bool {
    p.roles.contains(&r)
}

/// An account acting in the console, as the access rules see it (no device).
pub fn office_principal(a: &Account) -> Principal {
    Principal {
        account_id: a.id.clone(),
        unit_id: a.unit_id.clone(),
        roles: a.roles.clone(),
        device_id: String::new(),
        actor_id: String::new(),
    }
}

/// True when the caller may read the case.
pub fn can_read(p: &Principal, case: &CaseAccess) -> bool {
    OFFICE_ROLES.iter().any(|r| has(p, *r)) || assigned_or_unit(p, case)
}

/// True when the caller may change the case.
pub fn can_write(p: &Principal, case: &CaseAccess) -> bool {
    OFFICE_ROLES
        .iter()
        .filter(|r| **r != Role::Admin)
        .any(|r| has(p, *r))
        || assigned_or_unit(p, case)
}

/// True when the caller's work on the case needs its personal data in
/// clear (身份证号, phones, natural persons' addresses): the handling
/// officers and unit head, leaders, legal reviewers and archivists. An
/// administrator or the office liaison reads it masked, and may not take
/// the raw document (a sync snapshot) at all.
pub fn sees_personal_data(p: &Principal, case: &CaseAccess) -> bool {
    [Role::Leader, Role::LegalReviewer, Role::Archivist]
        .iter()
        .any(|r| has(p, *r))
        || assigned_or_unit(p, case)
}

fn assigned_or_unit(p: &Principal, case: &CaseAccess) -> bool {
    case.officers.contains(&p.account_id) || (has(p, Role::UnitHead) && case.unit_id == p.unit_id)
}

/// True when the caller may create a case in `unit_id` created by `created_by`.
pub fn can_create(p: &Principal, unit_id: &str, created_by: &str) -> bool {
    created_by == p.account_id
        && (unit_id == p.unit_id
            || OFFICE_ROLES
                .iter()
                .filter(|r| **r != Role::Admin)
                .any(|r| has(p, *r)))
}

/// The cases a device receives without asking (idle check `available`):
/// assigned cases, and a unit head's unit.
pub fn device_scope(p: &Principal) -> CaseScope {
    CaseScope::Mine {
        account_id: p.account_id.clone(),
        unit: has(p, Role::UnitHead).then(|| p.unit_id.clone()),
    }
}

/// The cases an office listing shows.
pub fn listing_scope(p: &Principal) -> CaseScope {
    if OFFICE_ROLES.iter().any(|r| has(p, *r)) {
        CaseScope::All
    } else {
        device_scope(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: &str, unit: &str, roles: &[Role]) -> Principal {
        Principal {
            account_id: id.into(),
            unit_id: unit.into(),
            roles: roles.to_vec(),
            device_id: "d".into(),
            actor_id: "a".into(),
        }
    }

    #[test]
    fn officers_heads_and_office_roles() {
        let case = CaseAccess {
            id: "c".into(),
            unit_id: "u1".into(),
            officers: vec!["o1".into(), "o2".into()],
            heads: String::new(),
        };
        assert!(can_write(&p("o1", "u1", &[Role::Officer]), &case));
        assert!(!can_read(&p("o3", "u1", &[Role::Officer]), &case));
        assert!(!can_read(&p("o4", "u2", &[Role::Officer]), &case));
        assert!(can_write(
            &p("h1", "u1", &[Role::Officer, Role::UnitHead]),
            &case
        ));
        assert!(!can_read(&p("h2", "u2", &[Role::UnitHead]), &case));
        assert!(can_write(&p("l", "u0", &[Role::Leader]), &case));
        assert!(can_read(&p("ad", "u0", &[Role::Admin]), &case));
        assert!(!sees_personal_data(&p("ad", "u0", &[Role::Admin]), &case));
        assert!(!sees_personal_data(
            &p("li", "u0", &[Role::OfficeLiaison]),
            &case
        ));
        assert!(sees_personal_data(&p("o1", "u1", &[Role::Officer]), &case));
        assert!(sees_personal_data(
            &p("rv", "u0", &[Role::LegalReviewer]),
            &case
        ));
        assert!(!can_write(&p("ad", "u0", &[Role::Admin]), &case));
        assert!(can_create(&p("o1", "u1", &[Role::Officer]), "u1", "o1"));
        assert!(!can_create(&p("o1", "u1", &[Role::Officer]), "u2", "o1"));
        assert!(!can_create(&p("o1", "u1", &[Role::Officer]), "u1", "o2"));
    }
}
