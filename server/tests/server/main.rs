//! Integration tests against a real server on 127.0.0.1:0 with a real SQLite
//! file in a temporary folder.

mod accounts;
mod archive;
mod authz;
mod calendar;
mod client;
mod common;
mod console;
mod console_accounts;
mod console_conflicts;
mod console_media;
mod console_records;
mod console_review;
mod console_roles;
mod credential;
mod demo;
mod disclosure;
mod docs;
mod enforce;
mod facts;
mod faults;
mod faulty_sync;
mod malformed;
mod media;
mod openapi;
mod ops;
mod portal;
mod publicity;
mod sync;
mod uploads;
