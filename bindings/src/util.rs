//! Small conversions shared by the binding modules.

/// The serde (snake_case) name of a unit enum value, e.g. `record_sealed`.
pub(crate) fn snake<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
