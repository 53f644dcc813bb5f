//! zhifa-core: the law of a Zhifa enforcement case, without I/O.
pub mod deadlines;
