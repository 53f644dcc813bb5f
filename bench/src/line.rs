//! `BENCH {json}`: one figure of one benchmark, on one stdout line.
//!
//! ```
//! use zhifa_bench::line::{Figure, Target};
//! let f = Figure::new("idle_check", "server CPU per idle check", 31.5, "µs", Target::AtMost(40.0));
//! let line = f.to_line();
//! assert!(line.starts_with("BENCH {"));
//! assert_eq!(Figure::parse(&line).unwrap(), Some(f));
//! ```

use serde::{Deserialize, Serialize};

/// The prefix that marks a figure line in a benchmark's stdout.
pub const PREFIX: &str = "BENCH ";

/// What a figure must reach.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", content = "value")]
pub enum Target {
    /// The figure must be at most this (times, bytes, ratios).
    #[serde(rename = "<=")]
    AtMost(f64),
    /// The figure must be at least this (rates).
    #[serde(rename = ">=")]
    AtLeast(f64),
    /// Shown for context; no target.
    #[serde(rename = "none")]
    None,
}

impl Target {
    /// Whether `value` meets the target (`None` when there is none).
    pub fn met(self, value: f64) -> Option<bool> {
        match self {
            Target::AtMost(t) => Some(value <= t),
            Target::AtLeast(t) => Some(value >= t),
            Target::None => None,
        }
    }

    /// The target as the table prints it, e.g. `≤ 40 µs`.
    pub fn describe(self, unit: &str) -> String {
        match self {
            Target::AtMost(t) => format!("≤ {} {unit}", number(t)),
            Target::AtLeast(t) => format!("≥ {} {unit}", number(t)),
            Target::None => "—".into(),
        }
    }
}

/// One measured figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// The benchmark that measured it (its bench target's name).
    pub bench: String,
    /// What was measured, in words.
    pub figure: String,
    /// The measured value, in `unit`.
    pub value: f64,
    /// Unit of `value` and of the target (`µs`, `ms`, `/s`, `×`, `bytes`).
    pub unit: String,
    /// What the value must reach.
    pub target: Target,
    /// False for a smoke run (figures not meaningful).
    #[serde(default = "yes")]
    pub full: bool,
}

fn yes() -> bool {
    true
}

impl Figure {
    /// A figure of a full run.
    pub fn new(bench: &str, figure: &str, value: f64, unit: &str, target: Target) -> Self {
        Figure {
            bench: bench.into(),
            figure: figure.into(),
            value,
            unit: unit.into(),
            target,
            full: true,
        }
    }

    /// The `BENCH {json}` line.
    pub fn to_line(&self) -> String {
        // A struct of strings, numbers and enums always serialises.
        let json = serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
        format!("{PREFIX}{json}")
    }

    /// Reads a line: `Ok(None)` when it is no figure line, an error when it
    /// is one but its JSON is malformed.
    pub fn parse(line: &str) -> Result<Option<Figure>, String> {
        match line.trim_end().strip_prefix(PREFIX) {
            None => Ok(None),
            Some(json) => serde_json::from_str(json)
                .map(Some)
                .map_err(|e| format!("malformed BENCH line ({e}): {line}")),
        }
    }
}

/// Prints one figure line on stdout; `full` is false in a smoke run.
pub fn emit(bench: &str, figure: &str, value: f64, unit: &str, target: Target, full: bool) {
    let mut f = Figure::new(bench, figure, value, unit, target);
    f.full = full;
    println!("{}", f.to_line());
}

/// A number as the table prints it: thousands separated, at most 3
/// significant decimals, no trailing zeros.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    let decimals = if a >= 100.0 || a == a.trunc() {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    let s = format!("{a:.decimals$}");
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| {
        (i, Some(f.trim_end_matches('0')))
    });
    let frac = frac.filter(|f| !f.is_empty());
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_and_other_lines_are_skipped() {
        let f = Figure::new("b", "x", 2.5, "ms", Target::AtLeast(2000.0));
        assert_eq!(Figure::parse(&f.to_line()), Ok(Some(f)));
        assert_eq!(Figure::parse("throughput 12 checks/s"), Ok(None));
        assert!(Figure::parse("BENCH {not json").is_err());
    }

    #[test]
    fn targets_decide_pass_and_fail() {
        assert_eq!(Target::AtMost(40.0).met(40.0), Some(true));
        assert_eq!(Target::AtMost(40.0).met(40.1), Some(false));
        assert_eq!(Target::AtLeast(15000.0).met(14999.0), Some(false));
        assert_eq!(Target::None.met(1.0), None);
        assert_eq!(Target::AtMost(0.5).describe("ms"), "≤ 0.5 ms");
    }

    #[test]
    fn numbers_are_grouped_and_rounded() {
        assert_eq!(number(15000.0), "15,000");
        assert_eq!(number(1234567.8), "1,234,568");
        assert_eq!(number(31.46), "31.5");
        assert_eq!(number(0.1234), "0.123");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(number(0.5), "0.5");
    }
}
