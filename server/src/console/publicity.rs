//! The case page's 公示 panel ((一) 第十二条) and its forms: what has been
//! published and taken down, what is due (7 working days to publish, 3 to
//! take down after a decision change, 行政处罚法 第四十八条), and for the
//! office liaison the buttons that draft an entry or a take-down (checked
//! and sealed in the record form).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zhifa_core::authority::template_action;
use zhifa_core::doc::Case;
use zhifa_core::publicity::{self, ENTRY_TEMPLATE};

use super::actions::back;
use super::session::CsrfForm;
use crate::extract::Path;
use crate::office::actions::permitted;
use crate::office::publicity as office;
use crate::state::AppState;
use crate::store::Account;

/// One published entry on the case page.
pub struct EntryRow {
    /// Record id (the portal's id).
    pub id: String,
    /// Title.
    pub title: String,
    /// Published on.
    pub published_on: String,
    /// `公示中` or `已撤下 (date): reason`.
    pub state: String,
    /// Still up though the decision changed: take it down.
    pub must_withdraw: bool,
    /// Up (not taken down).
    pub live: bool,
}

/// The panel.
pub struct PublicityView {
    /// Entries, oldest first.
    pub entries: Vec<EntryRow>,
    /// What a draft would be made from, when something is decided.
    pub source: Option<String>,
    /// An unsealed draft waiting in the record form.
    pub draft: Option<String>,
    /// The liaison may publish / take down.
    pub can_publish: bool,
}

/// The 公示 panel of `case` for `account`.
pub fn build(
    case: &Case,
    account: &Account,
    unit_id: &str,
    today: chrono::NaiveDate,
) -> PublicityView {
    let must: Vec<String> = publicity::to_withdraw(case)
        .into_iter()
        .map(|e| e.id)
        .collect();
    let entries = publicity::entries(case)
        .into_iter()
        .map(|e| EntryRow {
            must_withdraw: must.contains(&e.id),
            live: e.withdrawn.is_none(),
            state: match &e.withdrawn {
                Some(w) => format!("已撤下 ({}): {}", w.on, w.reason),
                None => "公示中".into(),
            },
            id: e.id,
            title: e.title,
            published_on: e.published_on,
        })
        .collect();
    let source = publicity::draft(case, today).map(|values| {
        let get = |k: &str| {
            values
                .iter()
                .find(|(key, _)| key == k)
                .and_then(|(_, v)| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        format!(
            "{} ({} {})",
            get("title"),
            get("entry_kind"),
            get("decided_on")
        )
    });
    PublicityView {
        entries,
        source,
        draft: case
            .current_records(ENTRY_TEMPLATE)
            .find(|r| !r.is_sealed())
            .map(|r| r.id.clone()),
        can_publish: permitted(account, template_action(ENTRY_TEMPLATE), case, unit_id),
    }
}

fn to_form(case_id: &str, outcome: crate::error::AppResult<String>) -> Response {
    match outcome {
        Ok(rid) => Redirect::to(&format!("/cases/{case_id}/records/{rid}")).into_response(),
        Err(e) => back(case_id, Err(e)),
    }
}

/// No fields but the CSRF token.
#[derive(Debug, Deserialize)]
pub struct Empty {}

/// `POST /cases/{id}/publicity/draft`: draft the 公示信息, open its form.
pub async fn draft(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<Empty>,
) -> Response {
    to_form(&id, office::draft_entry(&state, &user.account, &id).await)
}

/// `POST /cases/{id}/publicity/{entry}/withdraw`: draft the take-down.
pub async fn withdraw(
    State(state): State<AppState>,
    Path((id, entry)): Path<(String, String)>,
    CsrfForm { user, .. }: CsrfForm<Empty>,
) -> Response {
    to_form(
        &id,
        office::draft_withdrawal(&state, &user.account, &id, &entry).await,
    )
}
