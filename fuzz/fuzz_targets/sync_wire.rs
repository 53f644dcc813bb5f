//! The JSON bodies of the sync endpoints (zhifa_core::sync wire types) and
//! what is derived from them: the sync messages they carry, hex heads, the
//! calendar package, receipts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhifa_core::sync::{
    heads_from_hex, is_heads_digest, CalendarPackage, CheckRequest, DeviceRegistration,
    LoginRequest, Receipt, SnapshotRequest, SyncRequest,
};

/// A fixed server key: verification runs to the end for valid signatures.
const SERVER_KEY: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = serde_json::from_slice::<SyncRequest>(data) {
        for m in &r.messages {
            if let Some(bytes) = &m.message {
                let _ = zhifa_server::fuzzing::sync_message(bytes);
            }
        }
    }
    if let Ok(r) = serde_json::from_slice::<CheckRequest>(data) {
        for c in r.cases.0.iter() {
            let _ = is_heads_digest(&c.digest);
        }
    }
    let _ = serde_json::from_slice::<SnapshotRequest>(data);
    if let Ok(heads) = serde_json::from_slice::<Vec<String>>(data) {
        let _ = heads_from_hex(&heads);
    }
    let _ = serde_json::from_slice::<LoginRequest>(data);
    let _ = serde_json::from_slice::<DeviceRegistration>(data);
    if let Ok(r) = serde_json::from_slice::<Receipt>(data) {
        let _ = r.verify(SERVER_KEY);
    }
    if let Ok(p) = serde_json::from_slice::<CalendarPackage>(data) {
        let _ = p.calendar();
    }
});
