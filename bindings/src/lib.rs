//! zhifa-ffi: the uniffi surface of Zhifa for the native shells.
//!
//! Thin by design: newtypes and `From` impls over the engine, no decisions.
//! Local calls are blocking (call them off the main thread); one
//! [`CoreError`] (Kotlin `CoreException`, Swift `CoreError`) carries the variants
//! a UI acts on, each with a Chinese message to show.

pub mod app;
mod deadlines;
mod error;
mod templates;

pub use app::ZhifaApp;
pub use deadlines::{deadline_add, deadline_before, deadline_rules, DeadlineRuleInfo};
pub use error::CoreError;
pub use templates::{record_templates, FieldInfo, SignerInfo, TemplateInfo};

uniffi::setup_scaffolding!();

/// The version of the engine, for the shells' about screen and bug reports.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// An identity number as every display form shows it (masked).
#[uniffi::export]
pub fn mask_id_number(value: String) -> String {
    zhifa_core::mask::mask_id_number(&value)
}

/// The rights a party can be told of (权利告知), as `notify_rights` takes
/// them; the rights screen lists these.
#[uniffi::export]
pub fn rights_options() -> Vec<String> {
    zhifa_core::rules::RIGHTS
        .iter()
        .map(|r| r.to_string())
        .collect()
}
