//! Statutory deadlines (filled by the deadline engine work).
