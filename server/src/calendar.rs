//! The holiday calendar (放假调休安排) the server serves to devices.
//!
//! The compiled-in years (2017–2026) are the base; the office loads a newly
//! published year (the State Council notice usually appears in November) with
//! `PUT /api/v1/admin/calendar` or `zhifa-server --calendar FILE`. The merged
//! calendar is stored (newest row wins after a restart), its version is named
//! in every idle-check answer, and devices fetch it with
//! `GET /api/v1/calendar` at their next sync: no app release is needed
//! (PERIODS.md, "The holiday calendar"; R10 for years still missing).

use std::path::Path;

use axum::extract::State;
use zhifa_core::deadlines::Calendar;
use zhifa_core::sync::{CalendarPackage, ErrorBody, Role};

use crate::accounts::now;
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::extract::Json;
pub use crate::served_calendar::ServedCalendar;
use crate::state::AppState;
use crate::store::StoredCalendar;

/// Serves the calendar last stored by the office (merged over the embedded
/// years), if any. Called once at start-up.
pub async fn restore(state: &AppState) -> AppResult<()> {
    let Some(stored) = state.db(|s| s.latest_calendar()).await? else {
        return Ok(());
    };
    let cal = Calendar::embedded()
        .merge_json(&stored.json)
        .map_err(|e| AppError::Internal(format!("stored calendar {}: {e}", stored.version)))?;
    state.set_calendar(ServedCalendar::new(cal, Some(stored.loaded_at)));
    Ok(())
}

/// Merges `json` (years in the `cn_calendar.json` schema) over the calendar
/// in force, stores the result and serves it. A year present in `json`
/// replaces the one in force (a corrected notice). Invalid data is refused
/// with the reason and changes nothing.
pub async fn load(state: &AppState, json: &str, by: &str) -> AppResult<CalendarPackage> {
    let merged = state
        .calendar()
        .calendar
        .merge_json(json)
        .map_err(|e| AppError::BadRequest(format!("节假日日历无效: {e}")))?;
    let at = now();
    let stored = StoredCalendar {
        version: merged.version().to_string(),
        json: merged.to_json(),
        loaded_at: at.clone(),
        loaded_by: by.to_string(),
    };
    state.db(move |s| s.save_calendar(&stored)).await?;
    let served = ServedCalendar::new(merged, Some(at));
    let package = served.package.clone();
    state.set_calendar(served);
    tracing::info!(version = %package.version, years = ?package.years, by, "holiday calendar loaded");
    Ok(package)
}

/// `zhifa-server --calendar FILE`: loads a calendar file at start-up.
pub async fn load_file(state: &AppState, path: &Path) -> AppResult<CalendarPackage> {
    let json = tokio::fs::read_to_string(path)
        .await
        .map_err(|e| AppError::BadRequest(format!("无法读取日历文件 {}: {e}", path.display())))?;
    load(state, &json, "server").await
}

/// `GET /api/v1/calendar`: the whole calendar with its version. Public: the
/// holiday arrangement is published by the State Council.
#[utoipa::path(
    get,
    path = "/calendar",
    operation_id = "get_calendar",
    tag = "sync",
    summary = "The holiday calendar in force (public)",
    description = "The whole holiday calendar with its version. Answers above 1 KiB are \
                   gzip-compressed for clients sending `Accept-Encoding: gzip`; the answer \
                   carries `Server-Timing`.",
    responses(
        (status = 200, description = "The calendar and its version", body = CalendarPackage,
            headers(("Server-Timing" = String, description = "`app;dur=<ms>`: time to answer"))),
    )
)]
pub async fn get(State(state): State<AppState>) -> Json<CalendarPackage> {
    Json(state.calendar().package.clone())
}

/// `PUT /api/v1/admin/calendar`: the office (系统管理员 or 办公室联络员)
/// loads newly published years. Answers the new calendar's version and years
/// (the data itself is left out of the answer).
#[utoipa::path(
    put,
    path = "/admin/calendar",
    operation_id = "put_calendar",
    tag = "admin",
    summary = "Load newly published holiday years (系统管理员, 办公室联络员)",
    security(("device_token" = [])),
    request_body(
        content = Object,
        description = "Years in the `cn_calendar.json` schema: \
                       `{\"2027\": {\"holidays\": [...], \"workdays\": [...]}}`"
    ),
    responses(
        (status = 200, description = "The new calendar's version and years; `calendar` is empty", body = CalendarPackage),
        (status = 400, description = "`bad_request`: bad JSON or invalid calendar data", body = ErrorBody),
        (status = 401, description = "`missing_token`, `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: neither administrator nor office liaison", body = ErrorBody),
        (status = 413, description = "`too_large`: body too large", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not `application/json`, or a `Content-Encoding` other than gzip", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub async fn put(
    State(state): State<AppState>,
    Auth(p): Auth,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<CalendarPackage>> {
    if !p
        .roles
        .iter()
        .any(|r| matches!(r, Role::Admin | Role::OfficeLiaison))
    {
        return Err(AppError::forbidden(
            "需要系统管理员或办公室联络员权限才能更新节假日日历",
        ));
    }
    let mut package = load(&state, &body.to_string(), &p.account_id).await?;
    package.calendar = serde_json::Value::Object(Default::default());
    Ok(Json(package))
}
