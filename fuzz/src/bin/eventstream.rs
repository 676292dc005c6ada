//! AFL++ target `eventstream`: see `hcl::fuzzing` for what it checks.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        hcl::fuzzing::run("eventstream", data);
    });
}
