//! Row mapping of the SQLite store: column lists and their structs.

use rusqlite::Row;
use zhifa_core::case::OfficerStatus;
use zhifa_core::sync::Role;

use super::super::{Account, CaseAccess, CaseMeta, Device};

pub(super) fn split(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

pub(super) fn status_str(s: OfficerStatus) -> &'static str {
    match s {
        OfficerStatus::Active => "active",
        OfficerStatus::Suspended => "suspended",
    }
}

pub(super) fn roles_str(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub(super) fn parse_roles(s: &str) -> Vec<Role> {
    s.split(',').filter_map(Role::parse).collect()
}

pub(super) const ACCOUNT_COLS: &str =
    "a.id, a.username, a.name, a.post, a.credential_no, a.unit_id, COALESCE(u.name, ''), \
     a.status, a.roles, a.password_hash, a.active";

pub(super) fn account_row(r: &Row<'_>) -> rusqlite::Result<Account> {
    let status: String = r.get(7)?;
    let roles: String = r.get(8)?;
    Ok(Account {
        id: r.get(0)?,
        username: r.get(1)?,
        name: r.get(2)?,
        post: r.get(3)?,
        credential_no: r.get(4)?,
        unit_id: r.get(5)?,
        unit_name: r.get(6)?,
        status: if status == "active" {
            OfficerStatus::Active
        } else {
            OfficerStatus::Suspended
        },
        roles: parse_roles(&roles),
        password_hash: r.get(9)?,
        active: r.get(10)?,
    })
}

pub(super) fn device_row(r: &Row<'_>) -> rusqlite::Result<Device> {
    Ok(Device {
        id: r.get(0)?,
        account_id: r.get(1)?,
        name: r.get(2)?,
        public_key: r.get(3)?,
        actor_id: r.get(4)?,
        created_at: r.get(5)?,
        revoked_at: r.get(6)?,
    })
}

pub(super) const DEVICE_COLS: &str =
    "id, account_id, name, public_key, actor_id, created_at, revoked_at";

pub(super) fn access_row(r: &Row<'_>) -> rusqlite::Result<CaseAccess> {
    let officers: String = r.get(2)?;
    Ok(CaseAccess {
        id: r.get(0)?,
        unit_id: r.get(1)?,
        officers: split(&officers),
        heads: r.get(3)?,
    })
}

pub(super) const META_COLS: &str =
    "id, unit_id, title, stage, kind, created_by, officers, heads, created_at, updated_at";

pub(super) fn meta_row(r: &Row<'_>) -> rusqlite::Result<CaseMeta> {
    let officers: String = r.get(6)?;
    let heads: String = r.get(7)?;
    Ok(CaseMeta {
        id: r.get(0)?,
        unit_id: r.get(1)?,
        title: r.get(2)?,
        stage: r.get(3)?,
        kind: r.get(4)?,
        created_by: r.get(5)?,
        officers: split(&officers),
        heads: split(&heads),
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
}
