//! zhifa-device: the engine on the phone. Everything a phone does except
//! drawing pixels: the offline case store, media blobs, signatures, the sync
//! client and the app API the native shells (and the `zhifa` CLI) call.
//!
//! - [`store`]: SQLite (WAL, fsync per commit, migrations): case snapshots +
//!   change chunks, summary rows, keys and login, sync state, upload queue.
//! - [`blobs`]: content-addressed media files, EXIF, thumbnails.
//! - [`signature`]: handwritten strokes rendered to PNG.
//! - [`sync`]: the [`sync::Transport`] trait, its HTTP implementation, sessions.
//! - [`app`]: the facade [`App`] with commands, view models and listeners.

pub mod app;
pub mod blobs;
pub mod error;
mod fsperm;
pub mod signature;
pub mod store;
pub mod sync;
/// Test data (feature `testdata`): never compiled into the app.
#[cfg(feature = "testdata")]
#[doc(hidden)]
pub mod testdata;
pub mod vault;
pub mod vault_file;

pub use app::{App, NewCase, PartyInput, Subscription, UploadProgress};
pub use error::{DeviceError, Result};
pub use signature::{Point, Strokes};
pub use store::cases::ListFilter;
pub use store::Durability;
pub use vault::SecretVault;
pub use vault_file::FileVault;
