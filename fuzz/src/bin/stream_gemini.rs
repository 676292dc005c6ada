//! AFL++ target `stream_gemini`: see `hcl::fuzzing` for what it checks.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        hcl::fuzzing::run("stream_gemini", data);
    });
}
