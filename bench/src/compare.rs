//! Like for like against the peer (bench/peer, automerge-repo): the ratio
//! figures of each workload, from the figures both sides printed.
//!
//! Speed ratios are the peer's time over ours (target ≥ 20×); byte ratios
//! are ours over the peer's, as sent by default (target ≤ 0.5×). Our idle
//! check CPU is the server process's (/proc); for the officer's day and
//! the new device the sync bench runs the server in-process, so ours is
//! the server's own time (`Server-Timing`) against the peer's CPU time.

use crate::line::{Figure, Target};

/// How to find a figure: its bench and the start and end of its name.
struct Pick {
    bench: &'static str,
    starts: &'static str,
    ends: &'static str,
}

/// One ratio: ours against the peer's.
struct Ratio {
    workload: &'static str,
    measure: &'static str,
    ours: Pick,
    peer: Pick,
    /// Bytes (ours / peer, ≤ 0.5) rather than time (peer / ours, ≥ 20).
    bytes: bool,
}

const fn pick(bench: &'static str, starts: &'static str, ends: &'static str) -> Pick {
    Pick {
        bench,
        starts,
        ends,
    }
}

const RATIOS: &[Ratio] = &[
    Ratio {
        workload: "idle check of 50 cases, per device",
        measure: "wall time",
        ours: pick(
            "idle_check",
            "idle check of ",
            "wall time per check (closed loop)",
        ),
        peer: pick("peer", "peer: idle check, per device: wall time", ""),
        bytes: false,
    },
    Ratio {
        workload: "idle check of 50 cases, per device",
        measure: "server CPU",
        ours: pick("idle_check", "server CPU per idle check", ""),
        peer: pick("peer", "peer: idle check, per device: server CPU", ""),
        bytes: false,
    },
    Ratio {
        workload: "idle check of 50 cases, one device alone",
        measure: "wall time",
        ours: pick(
            "idle_check",
            "idle check of ",
            "one client, round trip (mean)",
        ),
        peer: pick("peer", "peer: idle check, one device: wall time", ""),
        bytes: false,
    },
    Ratio {
        workload: "idle check of 50 cases, per device",
        measure: "wire bytes",
        ours: pick(
            "idle_check",
            "idle check of ",
            "wire bytes per check (gzip body, as devices send)",
        ),
        peer: pick("peer", "peer: idle check, per device: wire bytes", ""),
        bytes: true,
    },
    Ratio {
        workload: "officer's day",
        measure: "wall time",
        ours: pick(
            "sync_bench",
            "officer's day (gzip bodies): evening sync wall time",
            "",
        ),
        peer: pick("peer", "peer: officer's day: wall time", ""),
        bytes: false,
    },
    Ratio {
        workload: "officer's day",
        measure: "server time (ours) / CPU (peer)",
        ours: pick(
            "sync_bench",
            "officer's day (gzip bodies): evening sync server time",
            "",
        ),
        peer: pick("peer", "peer: officer's day: server CPU", ""),
        bytes: false,
    },
    Ratio {
        workload: "officer's day",
        measure: "wire bytes",
        ours: pick(
            "sync_bench",
            "officer's day (gzip bodies): wire bytes with headers",
            "",
        ),
        peer: pick("peer", "peer: officer's day: wire bytes", ""),
        bytes: true,
    },
    Ratio {
        workload: "new device, 50 cases",
        measure: "wall time",
        ours: pick(
            "sync_bench",
            "new device, ",
            "(gzip answers): first sync wall time",
        ),
        peer: pick("peer", "peer: new device: wall time", ""),
        bytes: false,
    },
    Ratio {
        workload: "new device, 50 cases",
        measure: "server time (ours) / CPU (peer)",
        ours: pick(
            "sync_bench",
            "new device, ",
            "(gzip answers): first sync server time",
        ),
        peer: pick("peer", "peer: new device: server CPU", ""),
        bytes: false,
    },
    Ratio {
        workload: "new device, 50 cases",
        measure: "wire bytes",
        ours: pick(
            "sync_bench",
            "new device, ",
            "(gzip answers): wire bytes with headers",
        ),
        peer: pick("peer", "peer: new device: wire bytes", ""),
        bytes: true,
    },
];

/// A figure's value in a common unit (ms for times, bytes for bytes).
fn value(figures: &[Figure], p: &Pick) -> Option<f64> {
    let f = figures.iter().find(|f| {
        f.bench == p.bench && f.figure.starts_with(p.starts) && f.figure.ends_with(p.ends)
    })?;
    Some(match f.unit.as_str() {
        "µs" => f.value / 1e3,
        "s" => f.value * 1e3,
        _ => f.value,
    })
}

/// The ratio figures (bench `vs peer`) for every workload both sides
/// measured; none when the peer did not run.
pub fn ratios(figures: &[Figure]) -> Vec<Figure> {
    let mut out = Vec::new();
    for r in RATIOS {
        let (Some(ours), Some(peer)) = (value(figures, &r.ours), value(figures, &r.peer)) else {
            continue;
        };
        let (ratio, target, what) = if r.bytes {
            (ours / peer, Target::AtMost(0.5), "ours / peer")
        } else {
            (peer / ours, Target::AtLeast(20.0), "peer / ours")
        };
        let full = figures.iter().all(|f| f.full);
        let mut f = Figure::new(
            "vs peer",
            &format!("{}: {} ({what})", r.workload, r.measure),
            ratio,
            "×",
            target,
        );
        f.full = full;
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_pair_our_figures_with_the_peers() {
        let figs = vec![
            Figure::new(
                "idle_check",
                "server CPU per idle check of 50 cases",
                30.0,
                "µs",
                Target::None,
            ),
            Figure::new(
                "peer",
                "peer: idle check, per device: server CPU",
                3.0,
                "ms",
                Target::None,
            ),
            Figure::new(
                "sync_bench",
                "officer's day (gzip bodies): wire bytes with headers",
                4000.0,
                "bytes",
                Target::None,
            ),
            Figure::new(
                "peer",
                "peer: officer's day: wire bytes",
                10000.0,
                "bytes",
                Target::None,
            ),
            // Plain JSON is not what devices send: not compared.
            Figure::new(
                "sync_bench",
                "officer's day (plain JSON): wire bytes with headers",
                1.0,
                "bytes",
                Target::None,
            ),
        ];
        let r = ratios(&figs);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(
            r[0].figure,
            "idle check of 50 cases, per device: server CPU (peer / ours)"
        );
        assert!((r[0].value - 100.0).abs() < 1e-9, "3 ms / 30 µs = 100×");
        assert_eq!(r[0].target.met(r[0].value), Some(true));
        assert!((r[1].value - 0.4).abs() < 1e-9);
        assert_eq!(r[1].target, Target::AtMost(0.5));
    }

    #[test]
    fn without_the_peer_there_is_no_ratio() {
        let figs = vec![Figure::new(
            "idle_check",
            "server CPU per idle check of 50 cases",
            30.0,
            "µs",
            Target::None,
        )];
        assert!(ratios(&figs).is_empty());
    }
}
