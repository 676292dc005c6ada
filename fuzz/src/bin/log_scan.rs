//! AFL++ target `log_scan`: see `hcl::fuzzing` for what it checks.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        hcl::fuzzing::run("log_scan", data);
    });
}
