//! AFL++ target `response_openai`: see `hcl::fuzzing` for what it checks.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        hcl::fuzzing::run("response_openai", data);
    });
}
