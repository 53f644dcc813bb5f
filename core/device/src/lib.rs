//! zhifa-device: the engine on the phone.
