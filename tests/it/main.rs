//! The integration-test crate of `hcl`.
#![allow(clippy::unwrap_used)]

mod support;

mod chat;
mod docs;
mod errors;
mod fake_selftest;
mod providers;
