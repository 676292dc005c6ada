//! The integration-test crate of `hcl`.
#![allow(clippy::unwrap_used)]

mod support;

mod chat;
mod fake_selftest;
mod stream;
