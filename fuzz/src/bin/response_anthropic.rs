//! AFL++ target `response_anthropic`: see `hcl::fuzzing` for what it checks.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        hcl::fuzzing::run("response_anthropic", data);
    });
}
