//! The progress line of `zhifa sync`: bytes of each media upload, on
//! stderr (stdout keeps the report, also with `--json`). On a terminal one
//! line is rewritten in place; otherwise a line every tenth of the file.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use zhifa_device::{App, Subscription, UploadProgress};

const MIB: f64 = 1024.0 * 1024.0;

/// The text of one progress report, e.g. `上传 3f2a9c1e… 12.0/300.0 MiB (4%)`.
pub fn line(p: &UploadProgress) -> String {
    let pct = (p.bytes_sent * 100).checked_div(p.total).unwrap_or(100);
    format!(
        "上传 {}… {:.1}/{:.1} MiB ({pct}%)",
        p.sha256.get(..8).unwrap_or(&p.sha256),
        p.bytes_sent as f64 / MIB,
        p.total as f64 / MIB,
    )
}

/// Shows upload progress until the subscription is dropped.
pub fn show(app: &App) -> Subscription {
    let tty = std::io::stderr().is_terminal();
    // The last tenth printed per file (non-terminal output).
    let last: Mutex<Option<(String, u64)>> = Mutex::new(None);
    app.watch_uploads(move |p| {
        let done = p.bytes_sent >= p.total;
        let mut err = std::io::stderr().lock();
        if tty {
            let _ = write!(err, "\r\x1b[2K{}", line(p));
            if done {
                let _ = writeln!(err);
            }
            return;
        }
        let tenth = (p.bytes_sent * 10).checked_div(p.total).unwrap_or(10);
        let mut g = last.lock().unwrap_or_else(|e| e.into_inner());
        if g.as_ref()
            .is_some_and(|(sha, t)| *sha == p.sha256 && *t == tenth)
        {
            return;
        }
        *g = Some((p.sha256.clone(), tenth));
        let _ = writeln!(err, "{}", line(p));
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_the_file_the_bytes_and_the_share() {
        let p = UploadProgress {
            sha256: "3f2a9c1e".repeat(8),
            bytes_sent: 12 * 1024 * 1024,
            total: 300 * 1024 * 1024,
        };
        assert_eq!(line(&p), "上传 3f2a9c1e… 12.0/300.0 MiB (4%)");
    }
}
