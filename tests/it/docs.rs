//! Help text golden files, and the generated man pages and completion
//! scripts checked with the real tools (groff, man, bash, zsh, fish).
//!
//! Tools that are not installed are skipped with a visible message, unless
//! `HCL_TEST_DOC_TOOLS=1` (set by `.ci/run`) makes them required.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::have_tool as have;
use crate::support::hcl::{Hcl, stderr, stdout};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn check_golden(name: &str, actual: &str) {
    let path = root().join("tests/golden/help").join(name);
    if std::env::var_os("HCL_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        want,
        actual,
        "{} differs from the help output; if the change is deliberate run: HCL_UPDATE_GOLDEN=1 cargo test --test it help_golden",
        path.display()
    );
}

#[test]
fn help_golden_files() {
    let hcl = Hcl::new();
    for (args, file) in [
        (vec!["--help"], "hcl.txt"),
        (vec!["chat", "--help"], "hcl-chat.txt"),
        (vec!["stream", "--help"], "hcl-stream.txt"),
    ] {
        let out = hcl.cmd().args(&args).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("Examples:"), "help ends with examples");
        check_golden(file, &text);
    }
}

#[test]
fn version_prints_the_version() {
    // `--version` and `-V` alone take a short cut past the parser (a unit
    // test in src/lib.rs checks that the parser says the same).
    for args in [&["--version"][..], &["-V"]] {
        let out = Hcl::new().cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert_eq!(
            stdout(&out),
            format!("hcl {}\n", env!("CARGO_PKG_VERSION")),
            "{args:?}"
        );
    }
}

#[test]
fn completions_command_matches_the_checked_in_scripts() {
    let hcl = Hcl::new();
    for (shell, file) in [
        ("bash", "hcl.bash"),
        ("zsh", "_hcl"),
        ("fish", "hcl.fish"),
        ("powershell", "_hcl.ps1"),
        ("elvish", "hcl.elv"),
    ] {
        let out = hcl.cmd().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let want = std::fs::read_to_string(root().join("completions").join(file)).unwrap();
        assert_eq!(
            stdout(&out),
            want,
            "{shell}: regenerate with `cargo run -- generate-docs`"
        );
    }
    let out = hcl.cmd().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn man_pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("man"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "1"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 5, "man pages are missing");
    pages
}

#[test]
fn man_pages_render_without_warnings() {
    if !have("groff") {
        return;
    }
    for page in man_pages() {
        let out = Command::new("groff")
            .args(["-ww", "-z", "-man"])
            .arg(&page)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", page.display());
        assert!(
            out.stderr.is_empty(),
            "groff warns on {}: {}",
            page.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    if !have("man") {
        return;
    }
    for page in man_pages() {
        let out = Command::new("man")
            .arg("-l")
            .arg(&page)
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .output()
            .unwrap();
        assert!(out.status.success(), "man -l {}", page.display());
        let text = String::from_utf8_lossy(&out.stdout);
        for section in [
            "NAME",
            "SYNOPSIS",
            "EXAMPLES",
            "EXIT STATUS",
            "ENVIRONMENT",
            "FILES",
        ] {
            assert!(
                text.contains(section),
                "{} renders without {section}",
                page.display()
            );
        }
    }
}

/// What bash offers for `line` through the checked-in script: its
/// function runs hcl (on PATH) with COMPLETE=bash, as at Tab.
fn bash_complete(line: &str) -> Vec<String> {
    let script = root().join("completions/hcl.bash");
    let words: Vec<&str> = line.split(' ').collect();
    let cword = words.len() - 1;
    let bin_dir = assert_cmd::cargo::cargo_bin("hcl")
        .parent()
        .unwrap()
        .display()
        .to_string();
    let prog = format!(
        "export PATH={bin_dir}:$PATH; source {}; COMP_WORDS=({}); COMP_CWORD={cword}; COMP_LINE='{line}'; COMP_POINT={}; COMP_TYPE=9; _clap_complete_hcl hcl '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        words
            .iter()
            .map(|w| format!("'{w}'"))
            .collect::<Vec<_>>()
            .join(" "),
        line.len(),
        words[cword],
        words[cword.saturating_sub(1)],
    );
    // hcl at Tab reads only its own files: give it empty ones.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let out = Command::new("bash")
        .env("HOME", &d)
        .env("HCL_CONFIG", format!("{d}/config.toml"))
        .env("HCL_LOG", format!("{d}/requests.jsonl"))
        .env("HCL_CACHE_DIR", format!("{d}/cache"))
        .env("HCL_NO_KEYRING", "1")
        .arg("-c")
        .arg(prog)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_completes_commands_and_providers() {
    if !have("bash") {
        return;
    }
    assert_eq!(bash_complete("hcl ch"), ["chat"]);
    assert_eq!(bash_complete("hcl chat -P anth"), ["anthropic"]);
    assert!(bash_complete("hcl completions ").contains(&"fish".to_string()));
    // The maintainer's command is no part of what users see.
    assert!(bash_complete("hcl ge").is_empty());
    // Models of the provider given.
    assert!(
        bash_complete("hcl chat -P anthropic -m claude-h")
            .contains(&"claude-haiku-4-5".to_string())
    );
}

#[test]
fn zsh_and_fish_accept_their_scripts() {
    for (shell, file) in [("zsh", "_hcl"), ("fish", "hcl.fish")] {
        if !have(shell) {
            continue;
        }
        let out = Command::new(shell)
            .arg("-n")
            .arg(Path::new(&root()).join("completions").join(file))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{shell} -n: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn install_script_puts_completions_and_man_pages_in_place() {
    if !have("sh") || !have("install") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let out = Command::new("sh")
        .arg(root().join("scripts/install-extras.sh"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h = home.path();
    for f in [
        ".local/share/bash-completion/completions/hcl",
        ".local/share/zsh/site-functions/_hcl",
        ".config/fish/completions/hcl.fish",
        ".local/share/man/man1/hcl.1",
        ".local/share/man/man1/hcl-replay.1",
    ] {
        assert!(h.join(f).is_file(), "{f} was not installed");
    }
    assert_eq!(
        std::fs::read_dir(h.join(".local/share/man/man1"))
            .unwrap()
            .count(),
        man_pages().len()
    );
}
