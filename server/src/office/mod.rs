//! Acting as an office user: a key and an actor per user ([`identity`]),
//! changes committed through zhifa-core and stored like synced changes
//! ([`commit`]), and the actions of the console ([`actions`]).

pub mod actions;
pub mod archive;
pub mod commit;
pub mod facts;
pub mod identity;
pub mod publicity;
pub mod random;
pub mod records;
pub mod reindex;
pub mod review;
