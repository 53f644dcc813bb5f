//! The invariant checker, after every fault is healed: replicas converge
//! (same case heads on every device and in the server's signed receipt),
//! nothing acknowledged is lost (every receipt's heads are in every final
//! replica), seals and receipts verify, and every media file is whole
//! (fetched from the server, its bytes hash to its SHA-256).

use sha2::{Digest, Sha256};
use zhifa_core::doc::CaseDoc;
use zhifa_core::record::FieldValue;
use zhifa_core::sync::{heads_from_hex, heads_to_hex};

use crate::scenario::World;

/// Sorted heads (hex) of the case on device `i`.
fn heads(w: &mut World, i: usize) -> Result<(CaseDoc, Vec<String>), String> {
    let bytes = w.devs[i]
        .app()
        .export_case(&w.case)
        .map_err(|e| format!("device {i}: export: {e}"))?;
    let mut doc = CaseDoc::load(&bytes, &[0u8; 16]).map_err(|e| format!("device {i}: {e}"))?;
    let mut h = heads_to_hex(&doc.heads());
    h.sort();
    Ok((doc, h))
}

/// Healthy syncs until every device holds the same heads as its receipt
/// from the server (at most `passes` rounds).
pub fn converge(w: &mut World, passes: usize) -> Result<(), String> {
    let mut last = String::new();
    for _ in 0..passes {
        let mut errors = Vec::new();
        for i in 0..w.devs.len() {
            match w.devs[i].app().sync_now() {
                Ok(r) if r.errors.is_empty() => {}
                Ok(r) => errors.push(format!("device {i}: sync errors {:?}", r.errors)),
                Err(e) => errors.push(format!("device {i}: sync: {e}")),
            }
        }
        let mut all = Vec::new();
        for i in 0..w.devs.len() {
            all.push(heads(w, i)?.1);
        }
        if all.iter().all(|h| *h == all[0]) {
            return Ok(());
        }
        last = format!("heads differ: {all:?}; {errors:?}");
    }
    Err(format!(
        "no convergence after {passes} healthy passes: {last}"
    ))
}

/// Checks every invariant; the first broken one as an error.
pub fn check(w: &mut World) -> Result<(), String> {
    converge(w, 6)?;
    let case = w.case.clone();
    let acked: Vec<Vec<String>> = w.devs.iter().flat_map(|d| d.acked.clone()).collect();
    for i in 0..w.devs.len() {
        let (mut doc, h) = heads(w, i)?;
        // The office's confirmed write is there (or a later one).
        office_write_kept(&mut doc, w, i)?;
        // The server's signed receipt names these very heads.
        let app = w.devs[i].app();
        let key = app
            .server_public_key()
            .map_err(|e| format!("device {i}: server key: {e}"))?;
        let v = app
            .case_view(&case)
            .map_err(|e| format!("device {i}: view: {e}"))?;
        let rc = v.receipt.ok_or_else(|| format!("device {i}: no receipt"))?;
        rc.verify(&key)
            .map_err(|e| format!("device {i}: receipt does not verify: {e}"))?;
        let mut rh = rc.heads.clone();
        rh.sort();
        if rh != h {
            return Err(format!("device {i}: receipt heads {rh:?} != heads {h:?}"));
        }
        // Nothing acknowledged is lost.
        for a in &acked {
            let hashes = heads_from_hex(a).map_err(|e| format!("receipt heads: {e}"))?;
            for c in hashes {
                if doc.automerge().get_change_by_hash(&c).is_none() {
                    return Err(format!("device {i}: acknowledged change {c} lost"));
                }
            }
        }
        // Seals verify.
        let broken = app
            .verify_seals(&case)
            .map_err(|e| format!("device {i}: verify seals: {e}"))?;
        if !broken.is_empty() {
            return Err(format!("device {i}: broken seals {broken:?}"));
        }
        // Media whole: fetched from the server, hashed again.
        app.fetch_media(&case)
            .map_err(|e| format!("device {i}: fetch media: {e}"))?;
        media_whole(w, i)?;
    }
    Ok(())
}

/// The office's record on replica `i` holds the office's last confirmed
/// findings, or a later text whose answer was lost.
fn office_write_kept(doc: &mut CaseDoc, w: &World, i: usize) -> Result<(), String> {
    let acceptable = w.office.acceptable_final();
    let Some(rec) = w
        .office
        .record
        .as_deref()
        .filter(|_| !acceptable.is_empty())
    else {
        return Ok(());
    };
    let r = doc
        .record(rec)
        .map_err(|e| format!("device {i}: the office's record {rec} lost: {e}"))?;
    match r.fields.get("findings") {
        Some(FieldValue::Text(t)) if acceptable.contains(t) => Ok(()),
        other => Err(format!(
            "device {i}: the office's confirmed write lost: findings {other:?}, expected one of {acceptable:?}"
        )),
    }
}

/// Every media file of the case on device `i` hashes to its SHA-256.
pub fn media_whole(w: &mut World, i: usize) -> Result<(), String> {
    let case = w.case.clone();
    let app = w.devs[i].app();
    let v = serde_json::to_value(app.case_view(&case).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    for m in v["media"].as_array().cloned().unwrap_or_default() {
        let Some(sha) = m["sha256"].as_str() else {
            return Err(format!("device {i}: media without sha256: {m}"));
        };
        let path = app
            .blob_path(sha)
            .ok_or_else(|| format!("device {i}: media {sha} missing"))?;
        let bytes = std::fs::read(&path).map_err(|e| format!("device {i}: read {sha}: {e}"))?;
        let got = hex::encode(Sha256::digest(&bytes));
        if got != sha {
            return Err(format!("device {i}: media {sha} corrupt (hashes to {got})"));
        }
    }
    Ok(())
}
