//! Partner organisations exchanging a project's attendance without any server: each installation has
//! keys (`identity`), trusts partners' cards (`contacts`), shares a consortium key for pseudonymous
//! sharing (`key`) and writes and applies encrypted, signed bundles (`bundle`).
//!
//! Module order (no cycles): identity ← contacts, key ← bundle::format ← bundle::export, bundle::apply.

pub mod bundle;
pub mod contacts;
pub mod identity;
pub mod key;
