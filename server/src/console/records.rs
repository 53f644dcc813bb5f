//! Writing a record in the console (决定书, 集体讨论记录, 专家论证意见 …): a
//! form generated from the record's template, values turned into the JSON
//! zhifa-core validates (money typed in 元, times in Asia/Shanghai), saved
//! and optionally sealed through `crate::office::records`.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use zhifa_core::authority::template_action;
use zhifa_core::record::FieldValue;
use zhifa_core::template::{FieldDef, FieldType, TemplateRegistry};

use super::actions::back;
use super::cases::readable_case;
use super::page::{render, Nav, PageError};
use super::session::{ConsoleUser, CsrfForm};
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::office::actions::permitted;
use crate::office::records::{self, RecordChanges};
use crate::state::AppState;

/// One input of the form.
pub struct InputView {
    key: String,
    label: String,
    /// `text`, `textarea`, `date`, `datetime`, `number`, `money`, `bool`,
    /// `choice`, `multi`, `list`, `readonly`.
    kind: &'static str,
    value: String,
    required: bool,
    options: Vec<(String, bool)>,
}

#[derive(askama::Template)]
#[template(path = "console/record.html")]
struct RecordPage {
    nav: Nav,
    case_id: String,
    case_title: String,
    record_id: String,
    /// The record's version the form shows ([`zhifa_core::record::Record::version`]).
    version: String,
    name: String,
    article: String,
    inputs: Vec<InputView>,
    ok: String,
    err: String,
}

fn input_of(def: &FieldDef, current: Option<&FieldValue>) -> InputView {
    let value = current;
    let text = |v: Option<&FieldValue>| {
        v.and_then(FieldValue::as_text)
            .unwrap_or_default()
            .to_string()
    };
    let (kind, value) = match def.ty {
        FieldType::Text => ("text", text(value)),
        FieldType::LongText => ("textarea", text(value)),
        FieldType::Date => ("date", text(value)),
        FieldType::DateTime => (
            "datetime",
            text(value)
                .get(..16)
                .map(str::to_string)
                .unwrap_or_default(),
        ),
        FieldType::Integer => (
            "number",
            value
                .and_then(FieldValue::as_int)
                .map(|n| n.to_string())
                .unwrap_or_default(),
        ),
        FieldType::Money => (
            "money",
            value
                .and_then(FieldValue::as_int)
                .map(|f| format!("{}.{:02}", f / 100, f % 100))
                .unwrap_or_default(),
        ),
        FieldType::Bool => (
            "bool",
            match value.and_then(FieldValue::as_bool) {
                Some(true) => "true".into(),
                Some(false) => "false".into(),
                None => String::new(),
            },
        ),
        FieldType::Choice => ("choice", text(value)),
        FieldType::MultiChoice => ("multi", String::new()),
        FieldType::List => (
            "list",
            value
                .and_then(FieldValue::as_list)
                .map(|l| l.join("\n"))
                .unwrap_or_default(),
        ),
        FieldType::QaList => (
            "readonly",
            value.map(|v| v.display_for(def)).unwrap_or_default(),
        ),
    };
    let chosen: Vec<String> = current
        .and_then(FieldValue::as_list)
        .map(<[String]>::to_vec)
        .unwrap_or_default();
    InputView {
        key: def.key.clone(),
        label: def.label.clone(),
        kind,
        required: def.required,
        options: def
            .options
            .iter()
            .map(|o| {
                (
                    o.clone(),
                    chosen.contains(o) || current.and_then(FieldValue::as_text) == Some(o.as_str()),
                )
            })
            .collect(),
        value,
    }
}

/// `GET /cases/{id}/records/{rid}`: the form of an unsealed record.
pub async fn form(
    State(state): State<AppState>,
    user: ConsoleUser,
    Path((id, rid)): Path<(String, String)>,
    axum::extract::Query(flash): axum::extract::Query<super::page::Flash>,
) -> Result<Response, PageError> {
    let stored = readable_case(&state, &user, &id).await?;
    let unit_id = stored.meta.unit_id.clone();
    let doc = crate::casedoc::load(&stored)?;
    let case = doc.case().map_err(AppError::internal)?;
    let r = case
        .record(&rid)
        .ok_or_else(|| PageError::not_found("文书不存在"))?;
    if r.is_sealed() {
        return Ok(Redirect::to(&format!("/cases/{id}")).into_response());
    }
    if !permitted(&user.account, template_action(&r.template), &case, &unit_id) {
        return Err(PageError::forbidden("无权制作该案件的文书"));
    }
    let tpl = TemplateRegistry::builtin()
        .get(&r.template, r.template_version)
        .map_err(AppError::internal)?;
    let (ok, err) = flash.messages();
    render(&RecordPage {
        nav: Nav::of(&user, "cases"),
        case_id: id.clone(),
        case_title: case.header.title.clone(),
        record_id: rid.clone(),
        version: r.version(),
        name: tpl.name.clone(),
        article: tpl.article.clone(),
        inputs: tpl
            .fields
            .iter()
            .map(|d| input_of(d, r.fields.get(&d.key)))
            .collect(),
        ok,
        err,
    })
}

/// The JSON value of one submitted field, `None` when left empty.
pub(crate) fn value_of(def: &FieldDef, values: &[&str]) -> AppResult<Option<Value>> {
    let one = values.first().map(|v| v.trim()).unwrap_or_default();
    if def.ty != FieldType::MultiChoice && one.is_empty() {
        return Ok(None);
    }
    let bad = |what: &str| AppError::BadRequest(format!("「{}」{what}", def.label));
    Ok(Some(match def.ty {
        FieldType::Text | FieldType::LongText | FieldType::Date | FieldType::Choice => json!(one),
        FieldType::DateTime => json!(format!("{one}:00+08:00")),
        FieldType::Integer => json!(one.parse::<i64>().map_err(|_| bad("须为整数"))?),
        FieldType::Money => {
            json!(yuan_to_fen(one).ok_or_else(|| bad("须为金额 (元), 最多两位小数"))?)
        }
        FieldType::Bool => json!(one == "true"),
        FieldType::MultiChoice => {
            if values.is_empty() {
                return Ok(None);
            }
            json!(values)
        }
        FieldType::List => json!(one
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()),
        FieldType::QaList => return Ok(None),
    }))
}

/// `1234.5` 元 → 123450 分.
fn yuan_to_fen(s: &str) -> Option<i64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 2
        || whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let yuan: i64 = whole.parse().ok()?;
    let fen: i64 = format!("{frac:0<2}").parse().ok()?;
    yuan.checked_mul(100)?.checked_add(fen)
}

/// `POST /cases/{id}/records/{rid}`: saves (and with `seal=1` seals) the record.
pub async fn save(
    State(state): State<AppState>,
    Path((id, rid)): Path<(String, String)>,
    CsrfForm { user, form }: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let stored = readable_case(&state, &user, &id).await?;
    let doc = crate::casedoc::load(&stored)?;
    let case = doc.case().map_err(AppError::internal)?;
    let r = case
        .record(&rid)
        .ok_or_else(|| PageError::not_found("文书不存在"))?;
    let tpl = TemplateRegistry::builtin()
        .get(&r.template, r.template_version)
        .map_err(AppError::internal)?;
    let mut changes = RecordChanges {
        seal: form.iter().any(|(k, v)| k == "seal" && v == "1"),
        base: form
            .iter()
            .find(|(k, _)| k == "version")
            .map(|(_, v)| v.clone()),
        ..Default::default()
    };
    let mut outcome: AppResult<()> = Ok(());
    for def in &tpl.fields {
        let name = format!("f.{}", def.key);
        let values: Vec<&str> = form
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .collect();
        if def.ty != FieldType::MultiChoice && values.is_empty() {
            continue;
        }
        match value_of(def, &values) {
            Ok(Some(v)) => changes.set.push((def.key.clone(), v)),
            Ok(None) if r.fields.contains_key(&def.key) && def.ty != FieldType::QaList => {
                changes.clear.push(def.key.clone())
            }
            Ok(None) => {}
            Err(e) => {
                outcome = Err(e);
                break;
            }
        }
    }
    let result = match outcome {
        Err(e) => Err(e),
        Ok(()) => records::save(&state, &user.account, &id, &rid, changes.clone()).await,
    };
    let page = if changes.seal && result.is_ok() {
        return Ok(back(&id, result));
    } else {
        format!("/cases/{id}/records/{rid}")
    };
    let (k, m) = match result {
        Ok(m) => ("ok", m),
        Err(e) => ("err", e.to_string()),
    };
    let q = super::page::flash_query(k, &m);
    Ok(Redirect::to(&format!("{page}?{q}")).into_response())
}

/// The new-record form.
#[derive(Debug, Deserialize)]
pub struct NewRecordForm {
    #[serde(default)]
    template: String,
}

/// `POST /cases/{id}/records`: a new record, then its form.
pub async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<NewRecordForm>,
) -> Response {
    match records::create(&state, &user.account, &id, &form.template).await {
        Ok(rid) => Redirect::to(&format!("/cases/{id}/records/{rid}")).into_response(),
        Err(e) => back(&id, Err(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::yuan_to_fen;

    #[test]
    fn yuan_become_fen() {
        assert_eq!(yuan_to_fen("50000"), Some(5_000_000));
        assert_eq!(yuan_to_fen("12.5"), Some(1250));
        assert_eq!(yuan_to_fen("0.05"), Some(5));
        assert_eq!(yuan_to_fen("1.234"), None);
        assert_eq!(yuan_to_fen("-1"), None);
        assert_eq!(yuan_to_fen("1e3"), None);
        assert_eq!(yuan_to_fen("99999999999999999999"), None);
    }
}
