//! The machine and revision a table was measured on.

use serde::{Deserialize, Serialize};
use std::path::Path;
use std::process::Command;

/// Where and when the figures were measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// Logical CPUs (`processor` entries of /proc/cpuinfo).
    pub cores: usize,
    /// `model name` of /proc/cpuinfo.
    pub cpu: String,
    /// UTC date and time of the run, RFC 3339.
    pub date: String,
    /// `git rev-parse --short HEAD` of the workspace, `+dirty` when the tree
    /// has uncommitted changes.
    pub commit: String,
}

impl Machine {
    /// Reads /proc/cpuinfo and asks git in `workspace`.
    pub fn here(workspace: &Path) -> Machine {
        let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let (cores, cpu) = parse_cpuinfo(&info);
        let cores = if cores == 0 {
            std::thread::available_parallelism().map_or(0, |n| n.get())
        } else {
            cores
        };
        Machine {
            cores,
            cpu: cpu.unwrap_or_else(|| "unknown".into()),
            date: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            commit: commit(workspace),
        }
    }
}

/// Counts `processor` lines and takes the first `model name`.
pub fn parse_cpuinfo(info: &str) -> (usize, Option<String>) {
    let mut cores = 0;
    let mut model = None;
    for line in info.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        match key.trim() {
            "processor" => cores += 1,
            "model name" if model.is_none() => model = Some(value.trim().to_string()),
            _ => {}
        }
    }
    (cores, model)
}

fn commit(workspace: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(workspace)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(head) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown".into();
    };
    match git(&["status", "--porcelain", "--untracked-files=no"]) {
        Some(s) if !s.is_empty() => format!("{head}+dirty"),
        _ => head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpuinfo_gives_cores_and_model() {
        let info = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: fpu\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n";
        assert_eq!(parse_cpuinfo(info), (2, Some("AMD EPYC 7B13".into())));
        assert_eq!(parse_cpuinfo(""), (0, None));
    }
}
