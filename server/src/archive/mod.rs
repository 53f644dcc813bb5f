//! The archived case file (案卷归档, 执法全过程记录制度 第二十二条、第二十三条):
//! filing a case builds a signed ZIP package ([`build`], [`package`]) kept
//! under the data folder and indexed in the store; the archivist, leaders and
//! legal office download it ([`download`]); `zhifa archive verify` checks it
//! offline.

pub mod build;
pub mod case_file;
pub mod download;
pub mod package;

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::Account;

/// Files case `case_id` as `account` (the archivist) and writes its package.
/// A case filed earlier whose package is missing gets its package written.
pub async fn file(state: &AppState, account: &Account, case_id: &str) -> AppResult<String> {
    crate::sync::check_case_id(case_id)?;
    let id = case_id.to_string();
    if state.db(move |s| s.archive_package(&id)).await?.is_some() {
        return Err(AppError::Conflict {
            code: "already_archived",
            message: "案卷已归档, 归档包已生成".into(),
        });
    }
    let message = crate::office::archive::file_case(state, account, case_id).await?;
    // One package write per case at a time; a concurrent filing found it written.
    let _guard = state.lock_cases(&[case_id.to_string()]).await;
    let id = case_id.to_string();
    if state.db(move |s| s.archive_package(&id)).await?.is_some() {
        return Ok(format!("{message}; 归档包已生成"));
    }
    let pkg = build::build(state, case_id).await?;
    Ok(format!(
        "{message}; 归档包已生成 ({} 字节, 保管期限 {})",
        pkg.size, pkg.retention
    ))
}
