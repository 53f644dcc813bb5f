//! 事前公开 in the console (`/publicity/disclosures`, (一) 第五条、第十一条):
//! the office liaison keeps the bureau's pre-publication content by section,
//! drafts and submits each change; the legal office (法制审核人员) approves
//! it, which publishes it on the portal's `/gs/info`, or returns it with a
//! note. A change of law or duty marked on an item starts the 20-working-day
//! clock to update it (第十一条(4)); publishing the next version clears it.
//! The 执法人员名单 item's draft is generated from the current accounts.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use zhifa_core::authority::{authorize_publicity, PublicityDuty};

use super::page::{flash_query, render, Flash, Nav, PageError};
use super::session::{ConsoleUser, CsrfForm};
use crate::accounts::now;
use crate::casedoc::today_cn;
use crate::extract::Path;
use crate::state::AppState;
use crate::store::disclosure::{
    Content, DisclosureItem, Draft, Published, MAX_BODY_CHARS, ROSTER_SECTION, SECTIONS,
};
use crate::store::Store;

/// Working days allowed to update after a change of law or duty.
pub const UPDATE_WORKING_DAYS: i64 = 20;

/// One item as the console lists it.
pub struct ItemView {
    item: DisclosureItem,
    title: String,
    state: &'static str,
    /// The content the edit form starts from (draft, else published).
    edit: Content,
    /// Due date of the update after a change of law or duty.
    due: String,
    overdue: bool,
}

/// A section and its items.
pub struct SectionView {
    name: &'static str,
    items: Vec<ItemView>,
}

#[derive(askama::Template)]
#[template(path = "console/disclosures.html")]
struct DisclosuresPage {
    nav: Nav,
    ok: String,
    err: String,
    is_liaison: bool,
    is_reviewer: bool,
    sections: Vec<SectionView>,
    section_names: Vec<&'static str>,
    today: String,
}

/// Whether `user` may do `duty` (zhifa_core::authority decides).
fn may(user: &ConsoleUser, duty: PublicityDuty) -> Result<(), String> {
    authorize_publicity(duty, &user.account.roles).map_err(|r| r.to_string())
}

/// The date by which an item must be updated after the change of law or
/// duty on `changed_on`: 20 working days later on the server's calendar
/// (第十一条(4)); `None` when the date is unreadable or out of range.
pub fn update_due(state: &AppState, changed_on: &str) -> Option<NaiveDate> {
    let start = NaiveDate::parse_from_str(changed_on, "%Y-%m-%d").ok()?;
    let served = state.calendar();
    let calendar = served
        .engine
        .as_ref()
        .map(|e| e.calendar())
        .unwrap_or(&served.calendar);
    calendar
        .add_working_days(start, UPDATE_WORKING_DAYS)
        .ok()
        .or_else(|| weekday_fallback(start, UPDATE_WORKING_DAYS))
}

/// Counts Monday to Friday alone, for a year the calendar does not cover.
fn weekday_fallback(start: NaiveDate, n: i64) -> Option<NaiveDate> {
    use chrono::{Datelike, Weekday};
    let mut d = start;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt()?;
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    Some(d)
}

/// `GET /publicity/disclosures`.
pub async fn page(
    State(state): State<AppState>,
    user: ConsoleUser,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    if let Err(m) = may(&user, PublicityDuty::View) {
        return Err(PageError::forbidden(m));
    }
    let items = state.db(|s| s.disclosure_items()).await?;
    let today = today_cn();
    let mut sections: Vec<SectionView> = SECTIONS
        .iter()
        .map(|name| SectionView {
            name,
            items: Vec::new(),
        })
        .collect();
    for item in items {
        let due = item
            .law_changed_on
            .as_deref()
            .and_then(|d| update_due(&state, d));
        let Some(section) = sections.iter_mut().find(|s| s.name == item.section) else {
            continue;
        };
        let edit = match (&item.draft, &item.published) {
            (Some(d), _) => d.content.clone(),
            (None, Some(p)) => p.content.clone(),
            (None, None) => Content::default(),
        };
        section.items.push(ItemView {
            title: item.title().to_string(),
            state: item.state_label(),
            edit,
            due: due.map(|d| d.to_string()).unwrap_or_default(),
            overdue: due.is_some_and(|d| today > d),
            item,
        });
    }
    let (ok, err) = flash.messages();
    render(&DisclosuresPage {
        nav: Nav::of(&user, "publicity"),
        ok,
        err,
        is_liaison: may(&user, PublicityDuty::EditDisclosure).is_ok(),
        is_reviewer: may(&user, PublicityDuty::ReviewDisclosure).is_ok(),
        sections,
        section_names: SECTIONS.to_vec(),
        today: today.to_string(),
    })
}

fn back(kind: &'static str, msg: &str) -> Response {
    Redirect::to(&format!(
        "/publicity/disclosures?{}",
        flash_query(kind, msg)
    ))
    .into_response()
}

/// What a change does to an item: a message for the flash, or a refusal.
type Change = Box<dyn FnOnce(&mut DisclosureItem) -> Result<String, String> + Send>;

/// Reads item `id`, applies `change` and saves it if no one saved in between;
/// logs who did what (`action`) to which item.
async fn update(
    state: &AppState,
    user: &ConsoleUser,
    action: &'static str,
    id: String,
    change: Change,
) -> Result<Response, PageError> {
    let item_id = id.clone();
    let outcome = state
        .db(move |s| {
            let Some(mut item) = s.disclosure_item(&id)? else {
                return Ok(Err("没有该事前公开事项".to_string()));
            };
            let read = item.revision;
            match change(&mut item) {
                Err(m) => Ok(Err(m)),
                Ok(msg) => {
                    item.revision = read + 1;
                    if s.save_disclosure_item(&item, Some(read))? {
                        Ok(Ok(msg))
                    } else {
                        Ok(Err("该事项刚被他人修改, 请刷新后重试".to_string()))
                    }
                }
            }
        })
        .await?;
    if outcome.is_ok() {
        tracing::info!(by = %user.account.username, item = %item_id, action, "disclosure item changed");
    }
    Ok(match outcome {
        Ok(m) => back("ok", &m),
        Err(m) => back("err", &m),
    })
}

/// The create / edit form of a draft.
#[derive(Debug, Deserialize)]
pub struct DraftForm {
    #[serde(default)]
    section: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    body: String,
    /// `submit` to submit for review right away.
    #[serde(default)]
    then: String,
}

fn content_of(form: &DraftForm) -> Result<Content, String> {
    let c = Content {
        title: form.title.trim().to_string(),
        basis: form.basis.trim().to_string(),
        body: form.body.trim().replace("\r\n", "\n"),
    };
    if c.title.is_empty() || c.body.is_empty() {
        return Err("请填写标题和内容".into());
    }
    for (field, v, max) in [
        ("标题", &c.title, 200),
        ("依据", &c.basis, 2000),
        ("内容", &c.body, MAX_BODY_CHARS),
    ] {
        zhifa_core::limits::check_len(field, v, max).map_err(|e| e.to_string())?;
    }
    Ok(c)
}

fn new_draft(content: Content, user: &ConsoleUser, submit: bool) -> Draft {
    Draft {
        content,
        submitted_by: user.account.name.clone(),
        submitted_at: now(),
        status: if submit { "submitted" } else { "draft" }.into(),
        note: String::new(),
    }
}

fn saved_message(submit: bool) -> String {
    if submit {
        "已提交法制审核, 审核通过后公开".into()
    } else {
        "草稿已保存, 尚未提交审核".into()
    }
}

/// `POST /publicity/disclosures`: the liaison adds an item (as a draft).
pub async fn create(
    State(state): State<AppState>,
    CsrfForm { user, form }: CsrfForm<DraftForm>,
) -> Result<Response, PageError> {
    if let Err(m) = may(&user, PublicityDuty::EditDisclosure) {
        return Ok(back("err", &m));
    }
    let Some(section) = SECTIONS.iter().find(|s| **s == form.section.trim()) else {
        return Ok(back("err", "请选择公开栏目"));
    };
    let content = match content_of(&form) {
        Ok(c) => c,
        Err(m) => return Ok(back("err", &m)),
    };
    let submit = form.then == "submit";
    let item = DisclosureItem {
        id: uuid::Uuid::new_v4().to_string(),
        section: section.to_string(),
        published: None,
        draft: Some(new_draft(content, &user, submit)),
        law_changed_on: None,
        created_at: now(),
        revision: 0,
    };
    state
        .db(move |s| s.save_disclosure_item(&item, None))
        .await?;
    Ok(back("ok", &saved_message(submit)))
}

/// `POST /publicity/disclosures/{id}/draft`: the liaison edits the draft
/// (a new draft when there is none; the published text stays until approved).
pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<DraftForm>,
) -> Result<Response, PageError> {
    if let Err(m) = may(&user, PublicityDuty::EditDisclosure) {
        return Ok(back("err", &m));
    }
    let content = match content_of(&form) {
        Ok(c) => c,
        Err(m) => return Ok(back("err", &m)),
    };
    let submit = form.then == "submit";
    let draft = new_draft(content, &user, submit);
    update(
        &state,
        &user,
        "draft",
        id,
        Box::new(move |item| {
            item.draft = Some(draft);
            Ok(saved_message(submit))
        }),
    )
    .await
}

/// A form with the CSRF token alone.
#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

/// `POST /publicity/disclosures/{id}/submit`: the liaison submits the draft.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<EmptyForm>,
) -> Result<Response, PageError> {
    if let Err(m) = may(&user, PublicityDuty::EditDisclosure) {
        return Ok(back("err", &m));
    }
    let name = user.account.name.clone();
    update(
        &state,
        &user,
        "submit",
        id,
        Box::new(move |item| {
            let Some(d) = item.draft.as_mut() else {
                return Err("该事项没有待提交的草稿".into());
            };
            if d.status == "submitted" {
                return Err("该草稿已提交, 正在审核".into());
            }
            d.status = "submitted".into();
            d.submitted_by = name;
            d.submitted_at = now();
            Ok(saved_message(true))
        }),
    )
    .await
}

/// The law-change form.
#[derive(Debug, Deserialize)]
pub struct LawChangeForm {
    #[serde(default)]
    date: String,
}

/// `POST /publicity/disclosures/{id}/law-change`: the liaison records the
/// date a law or duty changed; the item must be updated within 20 working
/// days ((一) 第十一条(4)).
pub async fn law_change(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<LawChangeForm>,
) -> Result<Response, PageError> {
    if let Err(m) = may(&user, PublicityDuty::EditDisclosure) {
        return Ok(back("err", &m));
    }
    let Ok(date) = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d") else {
        return Ok(back("err", "请填写法规或职能变化的日期 (年-月-日)"));
    };
    if date > today_cn() {
        return Ok(back("err", "法规或职能变化的日期不能晚于今天"));
    }
    let due = update_due(&state, &date.to_string())
        .map(|d| d.to_string())
        .unwrap_or_default();
    update(
        &state,
        &user,
        "law_change",
        id,
        Box::new(move |item| {
            item.law_changed_on = Some(date.to_string());
            Ok(format!(
                "已记录法规或职能变化, 须于 {due} 前更新公开内容 (《行政执法公示制度》第十一条(4))"
            ))
        }),
    )
    .await
}

/// `POST /publicity/disclosures/{id}/approve`: the legal office approves the
/// submitted draft: it replaces the published version and clears the clock.
pub async fn approve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<EmptyForm>,
) -> Result<Response, PageError> {
    if let Err(m) = may(&user, PublicityDuty::ReviewDisclosure) {
        return Ok(back("err", &m));
    }
    let name = user.account.name.clone();
    update(
        &state,
        &user,
        "approve",
        id,
        Box::new(move |item| {
            let Some(d) = item.draft.take_if(|d| d.status == "submitted") else {
                return Err("该事项没有待审核的草稿".into());
            };
            item.published = Some(Published {
                content: d.content,
                published_at: now(),
                reviewed_by: name,
            });
            item.law_changed_on = None;
            Ok("审核通过, 已在公示平台公开".into())
        }),
    )
    .await
}

/// The return form.
#[derive(Debug, Deserialize)]
pub struct ReturnForm {
    #[serde(default)]
    note: String,
}

/// `POST /publicity/disclosures/{id}/return`: the legal office returns the
/// submitted draft to the liaison with a note.
pub async fn return_draft(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<ReturnForm>,
) -> Result<Response, PageError> {
    if let Err(m) = may(&user, PublicityDuty::ReviewDisclosure) {
        return Ok(back("err", &m));
    }
    let note = form.note.trim().to_string();
    if note.is_empty() {
        return Ok(back("err", "退回时请填写审核意见"));
    }
    if let Err(e) = zhifa_core::limits::check_len("审核意见", &note, 2000) {
        return Ok(back("err", &e.to_string()));
    }
    update(
        &state,
        &user,
        "return",
        id,
        Box::new(move |item| {
            let Some(d) = item.draft.as_mut().filter(|d| d.status == "submitted") else {
                return Err("该事项没有待审核的草稿".into());
            };
            d.status = "returned".into();
            d.note = note;
            Ok("已退回办公室联络员修改".into())
        }),
    )
    .await
}

/// The roster text from the current accounts: one line per holder of a
/// 执法证号 (name, post, 执法证号, unit, scope; a suspended credential
/// marked), by unit and name; disabled accounts are left out.
pub fn roster_text(s: &dyn Store) -> crate::store::StoreResult<String> {
    let (accounts, units, infos) = (s.accounts()?, s.units()?, s.credential_infos()?);
    let mut rows: Vec<(String, String)> = accounts
        .into_iter()
        .filter(|a| a.active && !a.credential_no.trim().is_empty())
        .map(|a| {
            let unit = units
                .iter()
                .find(|u| u.id == a.unit_id)
                .map(|u| u.name.clone())
                .unwrap_or(a.unit_name.clone());
            let scope = infos
                .iter()
                .find(|(id, _)| *id == a.id)
                .map(|(_, i)| i.scope.clone())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "—".into());
            let suspended = if a.status == zhifa_core::case::OfficerStatus::Active {
                ""
            } else {
                " | 执法资格暂停"
            };
            let line = format!(
                "{} | {} | 执法证号 {} | {} | 执法范围: {}{suspended}",
                a.name, a.post, a.credential_no, unit, scope
            );
            (format!("{unit}\u{0}{}", a.name), line)
        })
        .collect();
    rows.sort();
    Ok(rows
        .into_iter()
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n"))
}

/// `POST /publicity/disclosures/roster`: the liaison generates the draft of
/// the 执法人员名单 item from the current accounts (creating the item when
/// there is none); it is published after review like any item.
pub async fn roster_draft(
    State(state): State<AppState>,
    CsrfForm { user, .. }: CsrfForm<EmptyForm>,
) -> Result<Response, PageError> {
    if let Err(m) = may(&user, PublicityDuty::EditDisclosure) {
        return Ok(back("err", &m));
    }
    let name = user.account.name.clone();
    let saved = state
        .db(move |s| {
            let body = roster_text(s)?;
            let content = Content {
                title: "行政执法人员名单".into(),
                basis: "《行政执法公示制度》第五条".into(),
                body,
            };
            let draft = Draft {
                content,
                submitted_by: name,
                submitted_at: now(),
                status: "draft".into(),
                note: String::new(),
            };
            let existing = s
                .disclosure_items()?
                .into_iter()
                .find(|i| i.section == ROSTER_SECTION);
            match existing {
                Some(mut item) => {
                    let read = item.revision;
                    item.revision = read + 1;
                    item.draft = Some(draft);
                    s.save_disclosure_item(&item, Some(read))
                }
                None => {
                    let item = DisclosureItem {
                        id: uuid::Uuid::new_v4().to_string(),
                        section: ROSTER_SECTION.into(),
                        published: None,
                        draft: Some(draft),
                        law_changed_on: None,
                        created_at: now(),
                        revision: 0,
                    };
                    s.save_disclosure_item(&item, None)
                }
            }
        })
        .await?;
    if saved {
        tracing::info!(by = %user.account.username, "disclosure roster drafted");
    }
    Ok(if saved {
        back("ok", "已根据当前账号生成执法人员名单草稿, 请核对后提交审核")
    } else {
        back("err", "该事项刚被他人修改, 请刷新后重试")
    })
}
