//! AFL++ target `rate_limit`: see `hcl::fuzzing` for what it checks.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        hcl::fuzzing::run("rate_limit", data);
    });
}
