//! The integration-test crate of `hcl`.
#![allow(clippy::unwrap_used)]

mod support;

mod fake_selftest;
