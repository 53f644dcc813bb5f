//! FFI overhead, Rust side. `cargo bench -p zhifa-ffi --bench ffi_bench`
//! prepares a device home with 1,000 cases and prints the time of the same
//! calls the foreign benchmarks make, called from Rust: directly on the
//! engine (`App`) and through the binding layer (`ZhifaApp`; list rows are
//! the engine's own records, passed on unconverted). `bindings/scripts/bench-ffi.sh` then runs the Kotlin (JVM) and
//! Python benchmarks on that home and prints the ratios.
//! Usage: ffi_bench [--bench] [--home DIR] [--cases N].
//! Without `--bench` (as `cargo test --all-targets` runs it) a 30-case smoke run.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zhifa_bench::line::Target;

use zhifa_device::testdata::{sample_case, Offline};
use zhifa_device::{App, Durability, ListFilter};
use zhifa_ffi::app::inputs::CaseFilter;
use zhifa_ffi::ZhifaApp;

fn median(mut t: Vec<Duration>) -> Duration {
    t.sort();
    t[t.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let s = Instant::now();
                std::hint::black_box(f());
                s.elapsed()
            })
            .collect(),
    )
}

fn prepare(home: &Path, cases: usize) {
    let app = App::open_with(home, Durability::Normal).expect("open");
    app.set_transport(Arc::new(Offline));
    if app.whoami().is_err() {
        app.login("http://offline", "zhangwei", "demo1234", "bench")
            .expect("login");
    }
    let have = app.list_cases(&ListFilter::default()).expect("list").len();
    for i in have..cases {
        app.new_case(&sample_case(i, None)).expect("case");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let full = args.iter().any(|a| a == "--bench");
    let cases: usize = arg("--cases")
        .and_then(|n| n.parse().ok())
        .unwrap_or(if full { 1000 } else { 30 });
    let tmp = tempfile::tempdir().expect("tmp");
    let home = arg("--home")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("home"));
    if !full {
        println!("(smoke run: not invoked by `cargo bench`, figures not meaningful)");
    }
    prepare(&home, cases);
    let runs = if full { 200 } else { 5 };

    let app = App::open(&home).expect("open");
    let rust_version = time(runs * 50, zhifa_ffi::core_version);
    let rust_list = time(runs, || {
        app.list_cases(&ListFilter::default()).expect("list")
    });
    let n = app.list_cases(&ListFilter::default()).expect("list").len();
    drop(app);
    let ffi = ZhifaApp::open(home.to_string_lossy().into_owned()).expect("open");
    let layer_list = time(runs, || {
        ffi.list_cases(CaseFilter::default()).expect("list")
    });
    println!(
        "rust: round trip core_version() median {:.3} µs",
        rust_version.as_secs_f64() * 1e6
    );
    println!(
        "rust: list_cases {n} rows, engine (App) median {:.3} ms",
        rust_list.as_secs_f64() * 1e3
    );
    println!(
        "rust: list_cases {n} rows, binding layer (ZhifaApp) median {:.3} ms",
        layer_list.as_secs_f64() * 1e3
    );
    let fig = |figure: &str, value: f64, unit: &str| {
        zhifa_bench::line::emit("ffi_bench", figure, value, unit, Target::None, full);
    };
    fig(
        "rust: core_version() round trip, median",
        rust_version.as_secs_f64() * 1e6,
        "µs",
    );
    fig(
        &format!("rust: list_cases {n} rows, engine, median"),
        rust_list.as_secs_f64() * 1e3,
        "ms",
    );
    fig(
        &format!("rust: list_cases {n} rows, binding layer, median"),
        layer_list.as_secs_f64() * 1e3,
        "ms",
    );
    // Machine-readable line for bench-ffi.sh.
    println!(
        "RUST_LIST_MS={:.4} RUST_CALL_US={:.4} ROWS={n} FFI_HOME={}",
        rust_list.as_secs_f64() * 1e3,
        rust_version.as_secs_f64() * 1e6,
        home.display()
    );
}
