//! Chinese labels of the wire (snake_case) names stored in case columns.

use zhifa_core::case::{CaseKind, CaseSource, Stage};

/// The wire name of an enum value (`zhifa_core::wire_name`).
pub fn wire<T: serde::Serialize>(v: &T) -> String {
    zhifa_core::wire_name(v)
}

/// 程序启动 … for `initiation` …; the name itself when unknown.
pub fn stage(s: &str) -> String {
    Stage::ALL
        .iter()
        .find(|x| wire(*x) == s)
        .map(|x| x.label().to_string())
        .unwrap_or_else(|| s.to_string())
}

/// The case sources with their wire names.
pub const SOURCES: [CaseSource; 4] = [
    CaseSource::ExOfficio,
    CaseSource::Complaint,
    CaseSource::RandomInspection,
    CaseSource::Transfer,
];

/// 依职权 … for `ex_officio` …
pub fn source(s: &str) -> String {
    SOURCES
        .iter()
        .find(|x| wire(*x) == s)
        .map(|x| x.label().to_string())
        .unwrap_or_else(|| s.to_string())
}

/// 行政检查 / 行政处罚 for `inspection` / `penalty`.
pub fn kind(s: &str) -> String {
    [CaseKind::Inspection, CaseKind::Penalty]
        .iter()
        .find(|x| wire(*x) == s)
        .map(|x| x.label().to_string())
        .unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_map_to_chinese() {
        assert_eq!(stage("investigation"), "调查取证");
        assert_eq!(source("random_inspection"), "随机抽查");
        assert_eq!(kind("penalty"), "行政处罚");
        assert_eq!(stage("nonsense"), "nonsense");
    }
}
