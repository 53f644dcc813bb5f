//! Cases and records as an officer names them on the command line: a case
//! by its id, a unique beginning of it (`zhifa case list` shows the ids; 8
//! characters are plenty) or its exact title; a record by its id, a unique
//! beginning of it, or its template id or name when the case holds one
//! current record of that template (`inspection_record`, 现场检查笔录).

use zhifa_device::{App, DeviceError, ListFilter};

/// Shortest beginning of an id taken as a reference.
const MIN_PREFIX: usize = 4;

/// The first 8 characters of an id, as lists show it.
fn short(id: &str) -> String {
    id.chars().take(8).collect()
}

/// The case id `typed` names.
pub fn case_id(app: &App, typed: &str) -> Result<String, DeviceError> {
    let typed = typed.trim();
    let list = app.list_cases(&ListFilter::default())?;
    if list.iter().any(|c| c.id == typed) {
        return Ok(typed.to_string());
    }
    let hits: Vec<_> = list
        .iter()
        .filter(|c| (typed.len() >= MIN_PREFIX && c.id.starts_with(typed)) || c.title == typed)
        .collect();
    match hits.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(DeviceError::Invalid(format!(
            "本机没有案件“{typed}”; 请填写案件编号 (前 8 位即可, 见 zhifa case list) 或案件标题"
        ))),
        many => Err(DeviceError::Invalid(format!(
            "“{typed}”对应多件案件: {}; 请多写几位编号",
            many.iter()
                .map(|c| format!("{} {}", short(&c.id), c.title))
                .collect::<Vec<_>>()
                .join("、")
        ))),
    }
}

/// The record id `typed` names in case `case`.
pub fn record_id(app: &App, case: &str, typed: &str) -> Result<String, DeviceError> {
    let typed = typed.trim();
    let view = app.case_view(case)?;
    if view.records.iter().any(|r| r.id == typed) {
        return Ok(typed.to_string());
    }
    let by_id: Vec<_> = view
        .records
        .iter()
        .filter(|r| typed.len() >= MIN_PREFIX && r.id.starts_with(typed))
        .collect();
    let hits = if by_id.is_empty() {
        view.records
            .iter()
            .filter(|r| !r.superseded && (r.template == typed || r.name == typed))
            .collect()
    } else {
        by_id
    };
    let listed = || {
        view.records
            .iter()
            .filter(|r| !r.superseded)
            .map(|r| format!("{} ({} {})", r.template, r.name, short(&r.id)))
            .collect::<Vec<_>>()
            .join("、")
    };
    match hits.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(DeviceError::Invalid(format!(
            "案件中没有文书“{typed}”; 本案文书: {}",
            if view.records.is_empty() {
                "(无)".to_string()
            } else {
                listed()
            }
        ))),
        _ => Err(DeviceError::Invalid(format!(
            "本案有多份“{typed}”, 请写文书编号的前 8 位: {}",
            listed()
        ))),
    }
}
