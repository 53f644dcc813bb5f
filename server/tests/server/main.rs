//! Integration tests against a real server on 127.0.0.1:0 with a real SQLite
//! file in a temporary folder.

mod accounts;
mod calendar;
mod client;
mod common;
mod demo;
mod faults;
mod faulty_sync;
mod malformed;
mod media;
mod sync;
