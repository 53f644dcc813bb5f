//! The table of every figure: Markdown for people, JSON for tools.

use crate::line::{number, Figure};
use crate::machine::Machine;
use serde::{Deserialize, Serialize};

/// A benchmark that did not produce its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// The benchmark (bench target, or `peer`).
    pub bench: String,
    /// What went wrong, precisely.
    pub reason: String,
}

/// All figures of one run of `zhifa-bench`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// `full` or `smoke`.
    pub mode: String,
    /// Where and when.
    pub machine: Machine,
    /// Wall time of the whole run, seconds.
    pub seconds: f64,
    /// The figures, in the order the benchmarks ran.
    pub figures: Vec<Figure>,
    /// Benchmarks that failed or printed no figure.
    pub failures: Vec<Failure>,
}

impl Table {
    /// Figures with a target that missed it.
    pub fn missed(&self) -> Vec<&Figure> {
        self.figures
            .iter()
            .filter(|f| f.target.met(f.value) == Some(false))
            .collect()
    }

    /// The Markdown form (`target/bench/table.md`).
    pub fn markdown(&self) -> String {
        let m = &self.machine;
        let mut out = format!(
            "Measured {} by `cargo run -p zhifa-bench --release{}` ({} mode, {:.0} s) at commit `{}` on {} cores ({}).\n\n",
            m.date,
            if self.mode == "smoke" { " -- --smoke" } else { "" },
            self.mode,
            self.seconds,
            m.commit,
            m.cores,
            m.cpu
        );
        out.push_str(
            "| bench | figure | target | measured | pass |\n| --- | --- | --- | --- | --- |\n",
        );
        for f in &self.figures {
            let pass = match f.target.met(f.value) {
                _ if !f.full => "smoke",
                Some(true) => "pass",
                Some(false) => "**FAIL**",
                None => "—",
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} {} | {} |\n",
                f.bench,
                f.figure.replace('|', "\\|"),
                f.target.describe(&f.unit),
                number(f.value),
                f.unit,
                pass
            ));
        }
        for x in &self.failures {
            out.push_str(&format!(
                "| {} | did not finish: {} | — | — | **FAIL** |\n",
                x.bench,
                x.reason.replace('|', "\\|")
            ));
        }
        let missed = self.missed().len();
        out.push_str(&format!(
            "\n{} figures, {} with a target: {} missed, {} benchmarks failed.\n",
            self.figures.len(),
            self.figures
                .iter()
                .filter(|f| f.target.met(f.value).is_some())
                .count(),
            missed,
            self.failures.len()
        ));
        out
    }

    /// The JSON form (`target/bench/table.json`): the table with a `pass`
    /// per figure.
    pub fn json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        if let Some(rows) = v.get_mut("figures").and_then(|r| r.as_array_mut()) {
            for (row, f) in rows.iter_mut().zip(&self.figures) {
                row["pass"] = serde_json::json!(f.target.met(f.value));
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::line::Target;

    fn table() -> Table {
        Table {
            mode: "full".into(),
            machine: Machine {
                cores: 2,
                cpu: "CPU X".into(),
                date: "2026-12-04T23:00:00Z".into(),
                commit: "abc".into(),
            },
            seconds: 600.0,
            figures: vec![
                Figure::new(
                    "idle_check",
                    "checks/s",
                    16000.0,
                    "/s",
                    Target::AtLeast(15000.0),
                ),
                Figure::new("idle_check", "CPU", 45.0, "µs", Target::AtMost(40.0)),
                Figure::new("sync_bench", "bytes", 900.0, "bytes", Target::None),
            ],
            failures: vec![Failure {
                bench: "portal_bench".into(),
                reason: "exit status 101".into(),
            }],
        }
    }

    #[test]
    fn markdown_marks_each_figure_and_failure() {
        let md = table().markdown();
        assert!(
            md.contains("| idle_check | checks/s | ≥ 15,000 /s | 16,000 /s | pass |"),
            "{md}"
        );
        assert!(
            md.contains("| idle_check | CPU | ≤ 40 µs | 45 µs | **FAIL** |"),
            "{md}"
        );
        assert!(
            md.contains("| sync_bench | bytes | — | 900 bytes | — |"),
            "{md}"
        );
        assert!(
            md.contains("portal_bench | did not finish: exit status 101"),
            "{md}"
        );
        assert!(md.contains("on 2 cores (CPU X)"), "{md}");
        assert!(md.contains("1 missed, 1 benchmarks failed"), "{md}");
    }

    #[test]
    fn smoke_figures_are_not_judged() {
        let mut t = table();
        t.mode = "smoke".into();
        for f in &mut t.figures {
            f.full = false;
        }
        let md = t.markdown();
        assert!(
            md.contains("| idle_check | CPU | ≤ 40 µs | 45 µs | smoke |"),
            "{md}"
        );
        assert!(md.contains("-- --smoke"), "{md}");
    }

    #[test]
    fn json_carries_pass_per_figure() {
        let j = table().json();
        assert_eq!(j["figures"][0]["pass"], serde_json::json!(true));
        assert_eq!(j["figures"][1]["pass"], serde_json::json!(false));
        assert_eq!(j["figures"][2]["pass"], serde_json::Value::Null);
        assert_eq!(j["machine"]["cores"], serde_json::json!(2));
    }
}
