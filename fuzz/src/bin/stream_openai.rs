//! AFL++ target `stream_openai`: see `hcl::fuzzing` for what it checks.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        hcl::fuzzing::run("stream_openai", data);
    });
}
