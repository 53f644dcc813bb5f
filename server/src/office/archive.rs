//! 归档: the archivist files a closed case ((二) 第二十二条、第二十三条). Who
//! may is `zhifa_core::authority` (`FileCase`); whether the case may be filed
//! is `zhifa_core::rules::file_case` (归档管理 stage, archive gates). The
//! change is signed by the archivist's own key and reaches the phones at
//! their next sync.

use zhifa_core::authority::OfficeAction;
use zhifa_core::case::Stage;
use zhifa_core::rules::{self, RuleProfile};

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::Account;

use super::actions::{check, core};
use super::commit::act;

/// Files case `case_id` as `account`. A case filed before whose package is
/// missing (the package failed to write) is left as it is: the caller
/// writes its package again.
pub async fn file_case(state: &AppState, account: &Account, case_id: &str) -> AppResult<String> {
    act(state, account, case_id, move |ctx, doc| {
        check(ctx, OfficeAction::FileCase)?;
        if ctx.case.header.stage == Stage::Archived {
            return Ok("案件已归档".into());
        }
        let who = ctx.actor();
        match rules::file_case(doc, &RuleProfile::default(), ctx.present_media, &who)
            .map_err(core)?
        {
            Ok(()) => Ok("案卷已归档".into()),
            Err(unmet) => Err(AppError::Unprocessable {
                code: "gate_blocked",
                message: format!(
                    "不能归档: {}",
                    unmet
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            }),
        }
    })
    .await
}
