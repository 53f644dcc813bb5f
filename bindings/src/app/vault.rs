//! The platform secret store (Android Keystore, iOS Keychain) as a callback
//! interface the shell implements, adapted to zhifa-device's `SecretVault`.

use zhifa_device::{DeviceError, Result};

/// Keeps the device key and login token (implemented by the shell).
#[uniffi::export(callback_interface)]
pub trait SecretVault: Send + Sync {
    /// The secret called `name`, or null.
    fn get(&self, name: String) -> Option<Vec<u8>>;
    /// Stores the secret; false when the platform refused.
    fn put(&self, name: String, value: Vec<u8>) -> bool;
    /// Removes the secret (no error if absent).
    fn delete(&self, name: String);
}

/// The shell's vault as the engine's.
pub(crate) struct ForeignVault(pub(crate) Box<dyn SecretVault>);

impl zhifa_device::SecretVault for ForeignVault {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.0.get(name.to_string()))
    }

    fn put(&self, name: &str, value: &[u8]) -> Result<()> {
        if self.0.put(name.to_string(), value.to_vec()) {
            Ok(())
        } else {
            Err(DeviceError::Io(format!("安全存储拒绝保存“{name}”")))
        }
    }

    fn delete(&self, name: &str) -> Result<()> {
        self.0.delete(name.to_string());
        Ok(())
    }
}
