//! The integration-test crate of `hcl`.
#![allow(clippy::unwrap_used)]

mod support;

mod auth;
mod chat;
mod docs;
mod errors;
mod fake_selftest;
mod keyring;
mod providers;
mod stream;
