//! Writes binary seeds for the Automerge fuzz targets: the case the
//! case_changes target starts from, with one change on top (a party, a
//! stage move, a fine), as an incremental save, as a whole document and as
//! a sync message (also wrapped in a sync request).

use std::path::Path;

use automerge::sync::{State, SyncDoc};
use zhifa_core::case::{CaseHeader, CaseKind, CaseSource, Party, PartyKind, Stage};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::sync::{CaseMessage, SyncRequest};

const AT: &str = "2026-03-02T09:00:00+08:00";

fn write(target: &str, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../corpus")
        .join(target);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(format!("seed-{name}")), bytes)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let header = CaseHeader {
        id: "case-0001".into(),
        kind: CaseKind::Inspection,
        procedure: None,
        title: "某档案馆档案安全检查".into(),
        source: CaseSource::RandomInspection,
        stage: Stage::Investigation,
        unit: "执法监督科".into(),
        created_at: AT.into(),
        created_by: "zhangwei".into(),
        source_ref: Some("task-2026-01".into()),
        fine_fen: None,
        measures: Vec::new(),
    };
    let who = Actor {
        user: "zhangwei",
        device: "dev-1",
        at: AT,
    };
    let mut doc = CaseDoc::create(&header, &[0x11; 16], &who)?;
    let _ = doc.save_incremental();
    doc.add_party(
        &Party {
            id: "p1".into(),
            kind: PartyKind::NaturalPerson,
            name: "王某".into(),
            id_number: "11010519491231002X".into(),
            representative: None,
            address: None,
            phone: None,
        },
        &who,
    )?;
    write("case_changes", "party", &doc.save_incremental())?;
    doc.set_stage(Stage::Decision, &who)?;
    write("case_changes", "stage", &doc.save_incremental())?;
    doc.set_fine(Some(500_000), &who)?;
    write("case_changes", "fine", &doc.save_incremental())?;
    let whole = doc.save();
    write("case_changes", "whole", &whole)?;

    // One round with an empty peer: the second message carries the changes.
    let (mut ours, mut theirs) = (State::new(), State::new());
    let mut peer = automerge::AutoCommit::new();
    let first = doc
        .automerge()
        .sync()
        .generate_sync_message(&mut ours)
        .ok_or("no sync message")?;
    write("sync_message", "first", &first.clone().encode())?;
    peer.sync().receive_sync_message(&mut theirs, first)?;
    let answer = peer
        .sync()
        .generate_sync_message(&mut theirs)
        .ok_or("no answer")?;
    doc.automerge()
        .sync()
        .receive_sync_message(&mut ours, answer)?;
    let second = doc
        .automerge()
        .sync()
        .generate_sync_message(&mut ours)
        .ok_or("no second message")?;
    let encoded = second.encode();
    write("sync_message", "changes", &encoded)?;
    let req = SyncRequest {
        messages: vec![CaseMessage {
            case_id: "case-0001".into(),
            message: Some(encoded),
        }],
    };
    write(
        "sync_wire",
        "exchange",
        serde_json::to_string(&req)?.as_bytes(),
    )?;
    Ok(())
}
