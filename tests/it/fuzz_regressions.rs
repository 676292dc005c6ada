//! Every input the fuzzers found a fault with (`fuzz/regressions/TARGET/`),
//! and every seed they start from (`fuzz/corpus/TARGET/`), through the same
//! invariant checks as the fuzz targets (`hcl::fuzzing`). Runs on any
//! toolchain, without AFL.

use std::path::Path;

fn replay(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for target in entries.map(|e| e.unwrap().path()) {
        if !target.is_dir() {
            continue;
        }
        let name = target.file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            hcl::fuzzing::TARGETS.contains(&name.as_str()),
            "{} is not a fuzz target; the targets are {:?}",
            target.display(),
            hcl::fuzzing::TARGETS
        );
        let mut files: Vec<_> = std::fs::read_dir(&target)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| hcl::fuzzing::run(&name, &data));
            assert!(
                matches!(outcome, Ok(true)),
                "{}: the {name} target failed on it (run `cargo test --test it fuzz_regressions -- --nocapture` for the message)",
                file.display()
            );
            n += 1;
        }
    }
    n
}

#[test]
fn fuzz_regressions_and_seeds_pass_the_invariants() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let regressions = replay(&root.join("regressions"));
    let seeds = replay(&root.join("corpus"));
    assert!(
        seeds > 0,
        "no seeds under {}",
        root.join("corpus").display()
    );
    eprintln!("fuzz: {regressions} regression inputs and {seeds} seeds passed");
}
