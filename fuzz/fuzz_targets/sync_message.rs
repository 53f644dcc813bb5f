//! One Automerge sync message as the sync endpoint parses it: message
//! decoding, chunk splitting, the inflate budget (server/src/sync/inflate.rs)
//! and change/document parsing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zhifa_server::fuzzing::sync_message(data);
});
