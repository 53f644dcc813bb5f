//! The public's corrections (纠错, (一) 第十五条): anyone may say an entry is
//! wrong; the legal office verifies and answers in the console, and the
//! answer (with the correction's cause) is shown under the entry. The text
//! and contact are personal: never shown publicly, never logged.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::PortalError;
use crate::accounts::now;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::publicity::Feedback;
use crate::throttle::PeerAddr;

/// Longest message.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Longest contact.
pub const MAX_CONTACT_CHARS: usize = 100;
/// Messages one address may send per window.
const PER_ADDRESS: usize = 5;
/// The window.
const WINDOW: Duration = Duration::from_secs(600);

/// The form.
#[derive(Debug, Deserialize)]
pub struct FeedbackForm {
    /// What is wrong.
    #[serde(default)]
    pub text: String,
    /// How to reach the sender (optional).
    #[serde(default)]
    pub contact: String,
}

/// Recent submissions per address (a small in-memory window).
static RECENT: Mutex<Vec<(String, Instant)>> = Mutex::new(Vec::new());

fn allow(addr: &str, now: Instant) -> bool {
    let Ok(mut recent) = RECENT.lock() else {
        return true;
    };
    recent.retain(|(_, at)| now.duration_since(*at) < WINDOW);
    if recent.iter().filter(|(a, _)| a == addr).count() >= PER_ADDRESS {
        return false;
    }
    recent.push((addr.to_string(), now));
    true
}

/// `POST /gs/e/{id}/feedback`.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    peer: PeerAddr,
    Form(form): Form<FeedbackForm>,
) -> Result<Response, PortalError> {
    let text = form.text.trim().to_string();
    let contact = form.contact.trim().to_string();
    if text.is_empty() {
        return Err(AppError::BadRequest("请填写需要纠正的内容".into()).into());
    }
    for (field, value, max) in [
        ("纠错内容", &text, MAX_TEXT_CHARS),
        ("联系方式", &contact, MAX_CONTACT_CHARS),
    ] {
        zhifa_core::limits::check_len(field, value, max)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
    }
    let lookup = id.clone();
    if state.db(move |s| s.public_entry(&lookup)).await?.is_none() {
        return Err(AppError::NotFound("没有这条公示信息".into()).into());
    }
    if !allow(&peer.0, Instant::now()) {
        return Err(AppError::TooManyRequests("提交过于频繁, 请十分钟后再试".into()).into());
    }
    let f = Feedback {
        id: uuid::Uuid::new_v4().simple().to_string(),
        entry_id: id.clone(),
        submitted_at: now(),
        text,
        contact,
        status: "open".into(),
        answer: String::new(),
        corrected: false,
        cause: String::new(),
        answered_by: String::new(),
        answered_at: String::new(),
    };
    state.db(move |s| s.add_feedback(&f)).await?;
    tracing::info!(entry = %id, "public feedback received");
    Ok(Redirect::to(&format!("/gs/e/{id}?sent=1")).into_response())
}
