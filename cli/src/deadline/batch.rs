//! `zhifa deadline batch`: JSON lines in, JSON lines out, one output line per
//! input line, in order. A bad line yields `{"error": "..."}` and the batch
//! goes on. Buffered, locked stdin/stdout; no allocation on the happy path
//! beyond the two small strings serde may copy.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, BufWriter, ErrorKind, Write};

use serde::Deserialize;
use serde_json::Value;
use zhifa_core::deadlines::{format_date, parse_date, Calendar, Rule};

use super::{parse_n, with_start};

/// One input line. Unknown fields are ignored (e.g. a caller's own `id`).
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow, default)]
    rule: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    start: Option<Cow<'a, str>>,
    #[serde(default)]
    n: Option<Value>,
}

/// Reads stdin to the end; errors only if stdin itself fails or stdout fails
/// for a reason other than a closed pipe.
pub(super) fn run(cal: &Calendar) -> Result<(), String> {
    let stdin = std::io::stdin();
    let mut input = BufReader::with_capacity(1 << 16, stdin.lock());
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut line = Vec::with_capacity(256);
    let mut buf = [0u8; 10];
    loop {
        line.clear();
        let read = input
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("读取标准输入失败: {e}"))?;
        if read == 0 {
            break;
        }
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        let written = match compute(cal, &line) {
            Ok(due) => {
                let owned;
                let date = match format_date(due, &mut buf) {
                    Some(s) => s,
                    None => {
                        owned = due.to_string();
                        &owned
                    }
                };
                out.write_all(b"{\"due\":\"")
                    .and_then(|()| out.write_all(date.as_bytes()))
                    .and_then(|()| out.write_all(b"\"}\n"))
            }
            Err(msg) => {
                let v = serde_json::json!({ "error": msg });
                serde_json::to_writer(&mut out, &v)
                    .map_err(std::io::Error::from)
                    .and_then(|()| out.write_all(b"\n"))
            }
        };
        if let Err(e) = written {
            return write_failed(e);
        }
    }
    out.flush().or_else(write_failed)
}

fn write_failed(e: std::io::Error) -> Result<(), String> {
    if e.kind() == ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(format!("写入标准输出失败: {e}"))
    }
}

/// One line → due date, or the same one-line Chinese message `add` prints.
pub(crate) fn compute(cal: &Calendar, line: &[u8]) -> Result<chrono::NaiveDate, String> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Err("空行（应为 JSON 对象 {\"rule\":..,\"start\":..,\"n\":..}）".into());
    }
    // serde would also read a struct from a JSON array by position.
    if line.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err("无效的 JSON 行: 应为 JSON 对象 {\"rule\":..,\"start\":..,\"n\":..}".into());
    }
    let l: Line<'_> = serde_json::from_slice(line).map_err(|e| format!("无效的 JSON 行: {e}"))?;
    let rule = l.rule.ok_or("缺少字段 \"rule\"")?;
    let start = l.start.ok_or("缺少字段 \"start\"")?;
    let n = match l.n {
        None | Some(Value::Null) => return Err("缺少字段 \"n\"".into()),
        Some(Value::Number(num)) => num
            .as_i64()
            .ok_or_else(|| format!("无效的期间 n {num}（应为正整数）"))?,
        // A string holding an integer is accepted, as `--n` is.
        Some(Value::String(s)) => parse_n(&s)?,
        Some(other) => return Err(format!("无效的期间 n {other}（应为正整数）")),
    };
    let rule = Rule::parse(&rule).map_err(|e| e.to_string())?;
    let start_date = parse_date(&start).map_err(|e| e.to_string())?;
    cal.add(rule, start_date, n)
        .map_err(|e| with_start(e, &start))
}
