//! The machine-readable figure line every benchmark prints beside its human
//! output (`BENCH {json}`), and the table the runner (`zhifa-bench`) builds
//! from those lines.
//!
//! Benchmarks depend on this library (dev-dependency) for [`line::emit`];
//! it depends on nothing of the workspace, so no crate gains a cycle.

pub mod compare;
pub mod line;
pub mod machine;
pub mod table;
