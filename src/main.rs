//! The `hcl` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    hcl::main()
}
