//! What the CLI tests share: running the `zhifa` binary on a home folder,
//! its `--json` answer, and a signature strokes file.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// Runs `zhifa --home HOME ARGS…`.
pub fn zhifa(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhifa"))
        .arg("--home")
        .arg(home)
        .args(args)
        .output()
        .expect("run zhifa")
}

/// Runs and parses `--json` output; panics with stderr on failure.
pub fn ok(home: &Path, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    let out = zhifa(home, &a);
    assert!(
        out.status.success(),
        "zhifa {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json output")
}

/// Writes a signature as a screen captures it (30 points of one stroke,
/// shaped by `seed`) to `dir/name`; returns its path.
pub fn strokes_file(dir: &Path, name: &str, seed: f32) -> String {
    let pts: Vec<Value> = (0..30)
        .map(|i| {
            serde_json::json!({"x": 10.0 + i as f32 * 6.0, "y": 40.0 + (i as f32 * 0.4 + seed).sin() * 15.0,
                               "t": i * 20, "pressure": 0.6})
        })
        .collect();
    let p = dir.join(name);
    std::fs::write(
        &p,
        serde_json::json!({"width": 240, "height": 90, "strokes": [pts]}).to_string(),
    )
    .expect("write strokes");
    p.to_string_lossy().into_owned()
}
