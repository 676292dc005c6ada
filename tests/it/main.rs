//! The integration-test crate of `hcl`.
#![allow(clippy::unwrap_used)]

mod support;

mod chat;
mod errors;
mod fake_selftest;
mod providers;
