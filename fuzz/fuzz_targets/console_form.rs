//! Console form bodies (application/x-www-form-urlencoded): decoded as the
//! record form's POST handler decodes them, and every `f.<key>` value turned
//! into a field value by the console's parser (server console/records.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zhifa_server::fuzzing::record_form(data);
});
