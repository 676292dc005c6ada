//! The integration-test crate of `hcl`.
#![allow(clippy::unwrap_used)]

mod support;

mod bench_replay;
mod chat;
mod fake_selftest;
mod log;
mod replay;
