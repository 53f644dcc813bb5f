//! Bounds on what a sync message inflates to, checked *before* Automerge
//! parses it: a compressed change chunk (type 2) is DEFLATE data, and a
//! document chunk (type 0) may hold DEFLATE-compressed columns. Both are
//! inflated here into a counting sink, never into memory, and the total a
//! request inflates to is held to a budget (a deflate bomb of 1 MB that
//! would allocate gigabytes is refused with 413 after at most the budget of
//! CPU work).

use std::io::Read;

use crate::error::{AppError, AppResult};

/// The most a request's compressed chunks may inflate to, in total.
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;

/// The deflate bit of an Automerge column specification.
const DEFLATE_BIT: u64 = 0b1000;

fn too_large() -> AppError {
    AppError::TooLarge(format!(
        "同步消息解压后超过 {} MB, 已拒绝",
        MAX_INFLATED_BYTES / 1024 / 1024
    ))
}

fn malformed(what: &str) -> AppError {
    AppError::BadRequest(format!("同步消息中的修改无法解析: {what}"))
}

/// Inflates raw DEFLATE `data` into a counting sink, charging `budget`.
fn charge(data: &[u8], budget: &mut u64) -> AppResult<()> {
    let mut limited = flate2::read::DeflateDecoder::new(data).take(*budget + 1);
    let n =
        std::io::copy(&mut limited, &mut std::io::sink()).map_err(|_| malformed("压缩数据损坏"))?;
    if n > *budget {
        return Err(too_large());
    }
    *budget -= n;
    Ok(())
}

/// A reader of LEB128 numbers and byte runs over a chunk's data.
struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn uleb(&mut self) -> AppResult<u64> {
        let (mut v, mut shift) = (0u64, 0u32);
        loop {
            let (&b, rest) = self
                .bytes
                .split_first()
                .ok_or_else(|| malformed("数据不完整"))?;
            self.bytes = rest;
            if shift > 63 {
                return Err(malformed("长度字段过长"));
            }
            v |= u64::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
    }

    fn take(&mut self, n: u64) -> AppResult<&'a [u8]> {
        let n = usize::try_from(n).map_err(|_| malformed("长度超出消息"))?;
        if n > self.bytes.len() {
            return Err(malformed("长度超出消息"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    /// A column metadata block: (specification, length) pairs.
    fn columns(&mut self) -> AppResult<Vec<(u64, u64)>> {
        let n = self.uleb()?;
        // Each pair takes at least two bytes.
        if n > self.bytes.len() as u64 {
            return Err(malformed("列数超出消息"));
        }
        (0..n).map(|_| Ok((self.uleb()?, self.uleb()?))).collect()
    }
}

/// Charges `budget` with what the compressed columns of a document chunk's
/// `data` (after the chunk header) inflate to.
fn document_columns(data: &[u8], budget: &mut u64) -> AppResult<()> {
    let mut c = Cursor { bytes: data };
    let actors = c.uleb()?;
    for _ in 0..actors {
        let len = c.uleb()?;
        c.take(len)?;
    }
    let heads = c.uleb()?;
    c.take(
        heads
            .checked_mul(32)
            .ok_or_else(|| malformed("版本数过多"))?,
    )?;
    let change_cols = c.columns()?;
    let op_cols = c.columns()?;
    for (spec, len) in change_cols.into_iter().chain(op_cols) {
        let bytes = c.take(len)?;
        if spec & DEFLATE_BIT != 0 {
            charge(bytes, budget)?;
        }
    }
    Ok(())
}

/// Checks one storage chunk of kind `kind` whose data starts at
/// `data_start`, charging `budget` with what it inflates to.
pub fn check_chunk(kind: u8, chunk: &[u8], data_start: usize, budget: &mut u64) -> AppResult<()> {
    let data = chunk
        .get(data_start..)
        .ok_or_else(|| malformed("数据块长度超出消息"))?;
    match kind {
        0 => document_columns(data, budget),
        2 => charge(data, budget),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn deflate(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(bytes).expect("write");
        e.finish().expect("finish")
    }

    #[test]
    fn a_bomb_is_refused_within_the_budget_and_small_data_passes() {
        let bomb = deflate(&vec![0u8; 8 * 1024 * 1024]);
        assert!(bomb.len() < 16 * 1024, "8 MiB of zeros deflate small");
        let mut budget = 1024 * 1024;
        assert!(matches!(
            charge(&bomb, &mut budget),
            Err(AppError::TooLarge(_))
        ));
        let mut budget = MAX_INFLATED_BYTES;
        charge(&deflate(b"hello"), &mut budget).expect("small");
        assert_eq!(budget, MAX_INFLATED_BYTES - 5);
        assert!(matches!(
            charge(b"\xff\xfe garbage", &mut budget),
            Err(AppError::BadRequest(_))
        ));
    }

    #[test]
    fn compressed_document_columns_are_charged() {
        // actors: 1 of 2 bytes; heads: 0; change cols: 1 deflated of len n;
        // op cols: 0.
        let col = deflate(&vec![7u8; 100_000]);
        let mut data = vec![1, 2, 0xaa, 0xbb, 0, 1, 0x18];
        let mut len = col.len() as u64;
        loop {
            let b = (len & 0x7f) as u8;
            len >>= 7;
            if len == 0 {
                data.push(b);
                break;
            }
            data.push(b | 0x80);
        }
        data.push(0);
        data.extend(&col);
        let mut budget = MAX_INFLATED_BYTES;
        check_chunk(0, &data, 0, &mut budget).expect("within budget");
        assert_eq!(budget, MAX_INFLATED_BYTES - 100_000);
        let mut small = 50_000;
        assert!(matches!(
            check_chunk(0, &data, 0, &mut small),
            Err(AppError::TooLarge(_))
        ));
        let mut budget = MAX_INFLATED_BYTES;
        assert!(check_chunk(0, &data[..data.len() - 10], 0, &mut budget).is_err());
    }
}
