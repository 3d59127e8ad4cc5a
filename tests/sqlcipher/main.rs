//! The `sqlcipher` feature's tests alone (`cargo test --features sqlcipher --test sqlcipher`): the
//! module `tests/it/sqlcipher.rs` and the one helper file it uses, without the other modules of
//! `it`, so that CI's encrypted build compiles one small test crate instead of all of `it` a second
//! time. `it` still holds the module: without the feature it checks that a key is refused.

#[path = "../it/sqlcipher.rs"]
mod sqlcipher;

// The sqlcipher tests use a few of these helpers, as `crate::common::db`; the rest serve `it`.
#[allow(dead_code, unused_imports, unused_macros)]
#[path = "../common/db.rs"]
mod db;

mod common {
    pub(crate) use super::db;
}
