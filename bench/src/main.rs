//! `cargo run -p zhifa-bench --release -- [--smoke] [--no-peer] [--only NAME]`:
//! runs every benchmark of the repository (full mode unless `--smoke`) as
//! child processes, collects their `BENCH` lines and writes
//! `target/bench/table.md` and `table.json`. Exits 1 when a benchmark
//! failed; missed targets are in the table, marked **FAIL**.

mod run;

use run::Bench;
use std::path::PathBuf;
use std::time::Instant;
use zhifa_bench::machine::Machine;
use zhifa_bench::table::Table;

/// Every benchmark, in the order they run (quick ones first).
const BENCHES: &[Bench] = &[
    Bench::Cargo {
        package: "zhifa-core",
        name: "core_bench",
    },
    Bench::Cargo {
        package: "zhifa-device",
        name: "device_bench",
    },
    Bench::Cargo {
        package: "zhifa-ffi",
        name: "ffi_bench",
    },
    Bench::Cargo {
        package: "zhifa-cli",
        name: "deadline_bench",
    },
    Bench::Cargo {
        package: "zhifa-docs",
        name: "render",
    },
    Bench::Cargo {
        package: "zhifa-server",
        name: "idle_check",
    },
    Bench::Cargo {
        package: "zhifa-server",
        name: "sync_bench",
    },
    Bench::Cargo {
        package: "zhifa-server",
        name: "console_bench",
    },
    Bench::Cargo {
        package: "zhifa-server",
        name: "portal_bench",
    },
    Bench::Script {
        name: "peer",
        path: "bench/peer/run.sh",
    },
];

struct Args {
    smoke: bool,
    peer: bool,
    only: Vec<String>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        smoke: false,
        peer: true,
        only: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--smoke" => a.smoke = true,
            "--no-peer" => a.peer = false,
            "--only" => a.only.push(it.next().ok_or("--only needs a benchmark name")?),
            other => return Err(format!("unknown argument {other:?}; usage: zhifa-bench [--smoke] [--no-peer] [--only NAME]...")),
        }
    }
    Ok(a)
}

fn node_present() -> bool {
    std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"))
        .join("bench");
    // The sync bench exports its case documents here; the peer serves them.
    let cases = target.join("cases");
    let _ = std::fs::remove_dir_all(&cases);
    std::env::set_var("ZHIFA_BENCH_EXPORT", &cases);
    let start = Instant::now();
    let mut table = Table {
        mode: if args.smoke { "smoke" } else { "full" }.into(),
        machine: Machine::here(&workspace),
        seconds: 0.0,
        figures: Vec::new(),
        failures: Vec::new(),
    };
    for bench in BENCHES {
        let name = bench.name();
        if !args.only.is_empty() && !args.only.iter().any(|o| o == name) {
            continue;
        }
        if name == "peer" && (!args.peer || !node_present()) {
            eprintln!(
                "== peer: skipped ({}) ==",
                if args.peer {
                    "node not found"
                } else {
                    "--no-peer"
                }
            );
            continue;
        }
        eprintln!("== {name} ({}) ==", table.mode);
        let t = Instant::now();
        match run::run(*bench, &workspace, args.smoke) {
            Ok(f) => table.figures.extend(f),
            Err(f) => table.failures.push(f),
        }
        eprintln!("== {name}: {:.0} s ==", t.elapsed().as_secs_f64());
    }
    let ratios = zhifa_bench::compare::ratios(&table.figures);
    table.figures.extend(ratios);
    table.seconds = start.elapsed().as_secs_f64();
    let md = table.markdown();
    let written = std::fs::create_dir_all(&target)
        .and_then(|_| std::fs::write(target.join("table.md"), &md))
        .and_then(|_| {
            std::fs::write(
                target.join("table.json"),
                serde_json::to_string_pretty(&table.json()).unwrap_or_default(),
            )
        });
    if let Err(e) = written {
        eprintln!("cannot write {}: {e}", target.display());
        std::process::exit(1);
    }
    println!("\n{md}");
    println!("written: {0}/table.md, {0}/table.json", target.display());
    if !table.failures.is_empty() {
        std::process::exit(1);
    }
}
