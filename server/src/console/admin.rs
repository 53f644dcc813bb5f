//! Accounts over their life (system administrator only): create, edit
//! (unit, post, roles, 执法证号, scope, validity), suspend and reactivate. A
//! suspended account's devices stop syncing at once and its credential shows
//! as suspended in every case.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zhifa_core::sync::Role;

use super::page::{render, Nav, PageError};
use super::session::has_role;
use super::session::{ConsoleUser, CsrfForm};
use crate::accounts::{create_account, NewAccount};
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::state::AppState;
use crate::store::{AccountEdit, CredentialInfo};

fn require_admin(user: &ConsoleUser) -> Result<(), PageError> {
    if has_role(user, Role::Admin) {
        Ok(())
    } else {
        tracing::warn!(account = %user.account.username, "accounts page refused: not an administrator");
        Err(PageError::forbidden("需要系统管理员权限"))
    }
}

/// One account row.
pub struct AccountRow {
    id: String,
    username: String,
    name: String,
    post: String,
    unit: String,
    roles: String,
    credential_no: String,
    scope: String,
    valid_until: String,
    active: bool,
}

/// A role checkbox.
pub struct RoleChoice {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

/// A unit option.
pub struct UnitChoice {
    id: String,
    name: String,
    selected: bool,
}

#[derive(askama::Template)]
#[template(path = "console/accounts.html")]
struct AccountsPage {
    nav: Nav,
    rows: Vec<AccountRow>,
    units: Vec<UnitChoice>,
    roles: Vec<RoleChoice>,
    ok: String,
    err: String,
}

#[derive(askama::Template)]
#[template(path = "console/account_edit.html")]
struct EditPage {
    nav: Nav,
    id: String,
    username: String,
    name: String,
    post: String,
    credential_no: String,
    scope: String,
    valid_until: String,
    active: bool,
    units: Vec<UnitChoice>,
    roles: Vec<RoleChoice>,
}

fn role_choices(have: &[Role]) -> Vec<RoleChoice> {
    Role::ALL
        .iter()
        .map(|r| RoleChoice {
            value: r.as_str(),
            label: r.label(),
            checked: have.contains(r),
        })
        .collect()
}

/// `GET /admin/accounts`.
pub async fn list(
    State(state): State<AppState>,
    user: ConsoleUser,
    axum::extract::Query(flash): axum::extract::Query<super::page::Flash>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let (accounts, units, creds) = state
        .db(|s| Ok((s.accounts()?, s.units()?, s.credential_infos()?)))
        .await?;
    let rows = accounts
        .into_iter()
        .map(|a| {
            let c = creds
                .iter()
                .find(|(id, _)| *id == a.id)
                .map(|(_, c)| c.clone())
                .unwrap_or_default();
            AccountRow {
                roles: a
                    .roles
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join("、"),
                scope: c.scope,
                valid_until: c.valid_until,
                id: a.id,
                username: a.username,
                name: a.name,
                post: a.post,
                unit: a.unit_name,
                credential_no: a.credential_no,
                active: a.active,
            }
        })
        .collect();
    let (ok, err) = flash.messages();
    render(&AccountsPage {
        nav: Nav::of(&user, "accounts"),
        rows,
        units: units
            .into_iter()
            .map(|u| UnitChoice {
                id: u.id,
                name: u.name,
                selected: false,
            })
            .collect(),
        roles: role_choices(&[Role::Officer]),
        ok,
        err,
    })
}

fn back(outcome: AppResult<String>) -> Response {
    let (k, m) = match outcome {
        Ok(m) => ("ok", m),
        Err(AppError::Internal(detail)) => {
            tracing::error!(%detail, "account action failed");
            ("err", "服务器内部错误, 请稍后重试".to_string())
        }
        Err(e) => ("err", e.to_string()),
    };
    let q = super::page::flash_query(k, &m);
    Redirect::to(&format!("/admin/accounts?{q}")).into_response()
}

/// The account form (create and edit).
#[derive(Debug, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    post: String,
    #[serde(default)]
    credential_no: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    role: Vec<String>,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    valid_until: String,
}

impl AccountForm {
    fn edit(&self) -> AppResult<AccountEdit> {
        let roles: Vec<Role> = self.role.iter().filter_map(|r| Role::parse(r)).collect();
        zhifa_core::authority::check_account_roles(&roles, &self.credential_no)
            .map_err(|r| AppError::BadRequest(r.to_string()))?;
        let until = self.valid_until.trim();
        if !until.is_empty() && chrono::NaiveDate::parse_from_str(until, "%Y-%m-%d").is_err() {
            return Err(AppError::BadRequest("有效期须为日期, 如 2028-12-31".into()));
        }
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 50 || self.post.chars().count() > 50 {
            return Err(AppError::BadRequest(
                "姓名不能为空, 姓名和职务不超过 50 字".into(),
            ));
        }
        if self.credential_no.chars().count() > 50 || self.scope.chars().count() > 200 {
            return Err(AppError::BadRequest(
                "执法证号不超过 50 字, 执法范围不超过 200 字".into(),
            ));
        }
        Ok(AccountEdit {
            name: name.to_string(),
            post: self.post.trim().to_string(),
            credential_no: self.credential_no.trim().to_string(),
            unit_id: self.unit_id.trim().to_string(),
            roles,
            credential: CredentialInfo {
                scope: self.scope.trim().to_string(),
                valid_until: until.to_string(),
            },
        })
    }
}

async fn save(state: &AppState, id: &str, edit: AccountEdit) -> AppResult<bool> {
    let id = id.to_string();
    match state.db(move |s| s.update_account(&id, &edit)).await {
        Ok(found) => {
            state.clear_auth_cache();
            Ok(found)
        }
        Err(AppError::Internal(d)) if d.contains("conflict") => {
            Err(AppError::BadRequest("科室不存在".into()))
        }
        Err(e) => Err(e),
    }
}

/// `POST /admin/accounts`: a new account.
pub async fn create(
    State(state): State<AppState>,
    CsrfForm { user, form }: CsrfForm<AccountForm>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let outcome = async {
        let edit = form.edit()?;
        let account = create_account(
            &state,
            NewAccount {
                username: form.username.clone(),
                password: form.password.clone(),
                name: edit.name.clone(),
                post: edit.post.clone(),
                credential_no: edit.credential_no.clone(),
                unit_id: edit.unit_id.clone(),
                roles: edit.roles.clone(),
            },
        )
        .await?;
        save(&state, &account.id, edit).await?;
        tracing::info!(by = %user.account.username, account = %account.username, "account created");
        Ok(format!("已创建账号 {}", account.username))
    }
    .await;
    Ok(back(outcome))
}

/// `GET /admin/accounts/{id}`: the edit form.
pub async fn edit_form(
    State(state): State<AppState>,
    user: ConsoleUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let lookup = id.clone();
    let (account, units, creds) = state
        .db(move |s| Ok((s.account(&lookup)?, s.units()?, s.credential_infos()?)))
        .await?;
    let a = account.ok_or_else(|| PageError::not_found("账号不存在"))?;
    let c = creds
        .into_iter()
        .find(|(i, _)| *i == a.id)
        .map(|(_, c)| c)
        .unwrap_or_default();
    render(&EditPage {
        nav: Nav::of(&user, "accounts"),
        roles: role_choices(&a.roles),
        units: units
            .into_iter()
            .map(|u| UnitChoice {
                selected: u.id == a.unit_id,
                id: u.id,
                name: u.name,
            })
            .collect(),
        id: a.id,
        username: a.username,
        name: a.name,
        post: a.post,
        credential_no: a.credential_no,
        scope: c.scope,
        valid_until: c.valid_until,
        active: a.active,
    })
}

/// `POST /admin/accounts/{id}`: saves the edit.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<AccountForm>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let outcome = async {
        let edit = form.edit()?;
        if !save(&state, &id, edit).await? {
            return Err(AppError::NotFound("账号不存在".into()));
        }
        tracing::info!(by = %user.account.username, account = %id, "account edited");
        Ok("已保存".to_string())
    }
    .await;
    Ok(back(outcome))
}

async fn set_active(
    state: &AppState,
    user: &ConsoleUser,
    id: &str,
    active: bool,
) -> AppResult<String> {
    if id == user.account.id && !active {
        return Err(AppError::BadRequest("不能停用自己的账号".into()));
    }
    let lookup = id.to_string();
    if !state
        .db(move |s| s.set_account_active(&lookup, active))
        .await?
    {
        return Err(AppError::NotFound("账号不存在".into()));
    }
    state.clear_auth_cache();
    tracing::info!(by = %user.account.username, account = %id, active, "account status changed");
    Ok(if active {
        "已恢复账号, 执法证件恢复有效".into()
    } else {
        "已暂停账号: 其设备停止同步, 执法证件显示为已暂停".into()
    })
}

/// `POST /admin/accounts/{id}/suspend`.
pub async fn suspend(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    Ok(back(set_active(&state, &user, &id, false).await))
}

/// `POST /admin/accounts/{id}/reactivate`.
pub async fn reactivate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    Ok(back(set_active(&state, &user, &id, true).await))
}
