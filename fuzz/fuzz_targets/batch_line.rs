//! One input line of `zhifa deadline batch` (cli/src/deadline/batch.rs),
//! computed against the embedded calendar exactly as the CLI does. The
//! CLI is a binary crate, so its deadline module is compiled in here by
//! path (with the one item of the binary's root it uses).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhifa_core::deadlines::Calendar;

/// The CLI's exit code for errors (cli/src/main.rs), used by the module.
pub const EXIT_ERROR: u8 = 1;

#[allow(dead_code, unused_imports)]
#[path = "../../cli/src/deadline/mod.rs"]
mod deadline;

fuzz_target!(|data: &[u8]| {
    let _ = deadline::batch::compute(Calendar::embedded(), data);
});
