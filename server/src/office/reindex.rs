//! Filling the console's case index for cases stored before it existed
//! (a database from an earlier version): run once at start-up, each case read
//! from its document; a case that cannot be read is logged and left out.

use crate::casedoc;
use crate::error::AppResult;
use crate::state::AppState;

/// Indexes every case without an index row; returns how many were indexed.
pub async fn run(state: &AppState) -> AppResult<usize> {
    let store = state.store();
    let calendar = state.calendar();
    let n = tokio::task::spawn_blocking(move || -> AppResult<usize> {
        let ids = store.unindexed_cases()?;
        let mut done = 0;
        for id in ids {
            let Some(stored) = store.load_case(&id)? else {
                continue;
            };
            let case = match casedoc::load(&stored)
                .and_then(|d| d.case().map_err(crate::error::AppError::internal))
            {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(case = %id, error = %e, "case not indexed: unreadable document");
                    continue;
                }
            };
            let index = casedoc::index_of(&case, calendar.engine.as_deref(), casedoc::today_cn());
            store.put_index(&stored.meta, &index)?;
            done += 1;
        }
        Ok(done)
    })
    .await??;
    if n > 0 {
        tracing::info!(cases = n, "console index filled for cases stored before it");
    }
    Ok(n)
}
