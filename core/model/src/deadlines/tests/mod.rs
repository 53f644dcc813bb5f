//! Table-driven tests of the deadline engine.
