//! Runs one benchmark as a child process, echoes its output and collects
//! its `BENCH` lines.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use zhifa_bench::line::Figure;
use zhifa_bench::table::Failure;

/// One benchmark the runner knows: a cargo bench target or a script.
#[derive(Debug, Clone, Copy)]
pub enum Bench {
    /// `cargo bench -p <package> --bench <name>` (smoke: `cargo test`).
    Cargo {
        /// Package that holds the bench target.
        package: &'static str,
        /// Bench target name.
        name: &'static str,
    },
    /// A script run with bash from the workspace root; `--smoke` in smoke mode.
    Script {
        /// Name in the table.
        name: &'static str,
        /// Path from the workspace root.
        path: &'static str,
    },
}

impl Bench {
    /// The name figures carry.
    pub fn name(&self) -> &'static str {
        match self {
            Bench::Cargo { name, .. } | Bench::Script { name, .. } => name,
        }
    }

    fn command(&self, workspace: &Path, smoke: bool) -> Command {
        match self {
            Bench::Cargo { package, name } => {
                let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
                let mut c = Command::new(cargo);
                // `cargo bench` passes `--bench` (full run); `cargo test`
                // runs the same target without it (smoke run).
                c.arg(if smoke { "test" } else { "bench" })
                    .args(["-q", "-p", package, "--bench", name]);
                c
            }
            Bench::Script { path, .. } => {
                let mut c = Command::new("bash");
                c.arg(workspace.join(path));
                if smoke {
                    c.arg("--smoke");
                }
                c
            }
        }
    }
}

/// Runs `bench`, echoing its stdout; its figures, or why it failed.
pub fn run(bench: Bench, workspace: &Path, smoke: bool) -> Result<Vec<Figure>, Failure> {
    let fail = |reason: String| Failure {
        bench: bench.name().into(),
        reason,
    };
    let mut child = bench
        .command(workspace, smoke)
        .current_dir(workspace)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| fail(format!("cannot start: {e}")))?;
    let mut figures = Vec::new();
    let mut malformed = Vec::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            println!("{line}");
            match Figure::parse(&line) {
                Ok(Some(f)) => figures.push(f),
                Ok(None) => {}
                Err(e) => malformed.push(e),
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| fail(format!("cannot wait: {e}")))?;
    if !status.success() {
        return Err(fail(format!("{status}")));
    }
    if let Some(e) = malformed.first() {
        return Err(fail(e.clone()));
    }
    if figures.is_empty() {
        return Err(fail("printed no BENCH line".into()));
    }
    if figures.iter().any(|f| f.full == smoke) {
        return Err(fail(format!(
            "figures of a {} run in a {} run",
            if smoke { "full" } else { "smoke" },
            if smoke { "smoke" } else { "full" }
        )));
    }
    Ok(figures)
}
