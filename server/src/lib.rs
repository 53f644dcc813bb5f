//! zhifa-server.
