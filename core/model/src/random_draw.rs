//! 双随机、一公开: the draw of inspection targets and officer pairs, made
//! reproducible and auditable from a published seed. Anyone can redo it:
//! each candidate's key is the hex SHA-256 of `seed`, a newline and its id;
//! candidates in ascending key order; the first `n` targets are drawn; the
//! officers in the same order are paired (1st with 2nd, 3rd with 4th …),
//! the pairs dealt to the targets in turn (国办发〔2015〕58号:
//! 随机抽取检查对象、随机选派执法检查人员).

use sha2::{Digest, Sha256};

/// The draw key of one candidate under `seed`.
pub fn draw_key(seed: &str, id: &str) -> String {
    let mut h = Sha256::new();
    h.update(seed.as_bytes());
    h.update(b"\n");
    h.update(id.as_bytes());
    hex::encode(h.finalize())
}

/// The candidates ordered by their draw keys (ties, impossible in practice,
/// by id).
pub fn order(seed: &str, ids: &[String]) -> Vec<String> {
    let mut keyed: Vec<(String, &String)> = ids.iter().map(|id| (draw_key(seed, id), id)).collect();
    keyed.sort();
    keyed.into_iter().map(|(_, id)| id.clone()).collect()
}

/// One drawn target with its two officers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Assignment {
    /// Target id.
    pub target: String,
    /// The two officers' account ids.
    pub officers: [String; 2],
}

/// Why a draw cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    /// Fewer than two officers: inspections are made in pairs (行政处罚法 第四十二条).
    #[error("随机选派执法人员至少需要 2 名持证执法人员, 现有 {0} 名")]
    TooFewOfficers(usize),
    /// Nothing to draw from, or nothing asked for.
    #[error("检查对象名录为空或抽取数量为 0")]
    Empty,
    /// The seed is empty or too long.
    #[error("随机种子须为 1 至 64 个字符")]
    BadSeed,
}

/// Draws `n` targets (all of them when fewer) and an officer pair for each.
pub fn draw(
    seed: &str,
    targets: &[String],
    officers: &[String],
    n: usize,
) -> Result<Vec<Assignment>, DrawError> {
    if seed.is_empty() || seed.chars().count() > 64 {
        return Err(DrawError::BadSeed);
    }
    if targets.is_empty() || n == 0 {
        return Err(DrawError::Empty);
    }
    if officers.len() < 2 {
        return Err(DrawError::TooFewOfficers(officers.len()));
    }
    let drawn = order(seed, targets);
    let staff = order(seed, officers);
    let pairs = staff.len() / 2;
    Ok(drawn
        .into_iter()
        .take(n)
        .enumerate()
        .map(|(i, target)| {
            let p = i % pairs;
            Assignment {
                target,
                officers: [staff[2 * p].clone(), staff[2 * p + 1].clone()],
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(prefix: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}{i}")).collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_draw_and_another_seed_another() {
        let (t, o) = (ids("t", 30), ids("o", 7));
        let a = draw("2026-双随机-01", &t, &o, 5).expect("draw");
        assert_eq!(a, draw("2026-双随机-01", &t, &o, 5).expect("again"));
        assert_ne!(a, draw("2026-双随机-02", &t, &o, 5).expect("other"));
        assert_eq!(a.len(), 5);
        for x in &a {
            assert_ne!(x.officers[0], x.officers[1], "a pair is two people");
        }
        // Input order does not matter.
        let mut rev = t.clone();
        rev.reverse();
        assert_eq!(a, draw("2026-双随机-01", &rev, &o, 5).expect("reversed"));
    }

    #[test]
    fn the_key_is_the_published_formula() {
        // SHA-256("s\nt1"), as any sha256sum computes it.
        assert_eq!(draw_key("s", "t1"), hex::encode(Sha256::digest(b"s\nt1")));
        let o = order("s", &ids("t", 3));
        let mut keys: Vec<String> = o.iter().map(|id| draw_key("s", id)).collect();
        let sorted = {
            let mut k = keys.clone();
            k.sort();
            k
        };
        assert_eq!(keys, sorted);
        keys.dedup();
        assert_eq!(keys.len(), 3);
    }

    #[test]
    fn too_few_officers_or_nothing_to_draw_is_refused() {
        assert_eq!(
            draw("s", &ids("t", 3), &ids("o", 1), 2),
            Err(DrawError::TooFewOfficers(1))
        );
        assert_eq!(draw("s", &[], &ids("o", 2), 2), Err(DrawError::Empty));
        assert_eq!(
            draw("", &ids("t", 3), &ids("o", 2), 2),
            Err(DrawError::BadSeed)
        );
        assert_eq!(
            draw("s", &ids("t", 3), &ids("o", 2), 10)
                .expect("all")
                .len(),
            3
        );
    }
}
