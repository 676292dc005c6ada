//! The integration-test crate of `hcl`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod answers;
mod auth;
mod batch;
mod bedrock;
mod bench_replay;
mod chat;
mod compose;
mod conversation;
mod discovery;
mod docs;
mod errors;
mod fake_selftest;
mod faults;
mod fuzz_regressions;
mod helicone_log;
mod inputs;
mod keyring;
mod log;
mod privacy;
mod progress;
mod providers;
mod recipes;
mod replay;
mod resume;
mod settings;
mod shard;
mod stream;
