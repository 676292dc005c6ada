//! The structure the design asks for, checked on the source itself:
//! - no import cycles between modules;
//! - outside the provider table (`src/provider/`) and the wire formats
//!   (`src/wire/`), no code names a particular provider, a provider's
//!   variable, a wire format or a format's own path. The help examples
//!   (`src/examples.rs`) are documentation and may; so may the fuzz harness
//!   (`src/fuzzing.rs`), which runs each format by name as the tests do.
//!
//! Test code is left out of both checks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::provider::PROVIDERS;
use crate::wire::WireFormat;

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, with its module path (`commands::chat`).
fn modules() -> Vec<(String, PathBuf)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = src_dir();
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).unwrap().with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            (parts.join("::"), p)
        })
        .collect()
}

/// The code of a file without its test module and without comments.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text
        .find("#[cfg(test)]\nmod tests")
        .or_else(|| text.find("#[cfg(test)]\npub mod tests"))
        .or_else(|| text.find("#[cfg(test)]\npub(super) mod tests"))
    {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules each module refers to through `crate::` or `super::` paths.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules();
    let names: BTreeSet<String> = mods.iter().map(|(m, _)| m.clone()).collect();
    let resolve = |parts: &[&str]| -> Option<String> {
        (1..=parts.len())
            .rev()
            .map(|n| parts[..n].join("::"))
            .find(|c| names.contains(c))
    };
    let mut edges = BTreeMap::new();
    for (m, path) in &mods {
        let code = code_of(path);
        let me: Vec<&str> = if m.is_empty() {
            vec![]
        } else {
            m.split("::").collect()
        };
        let mut out = BTreeSet::new();
        for (kw, base) in [
            ("crate::", vec![]),
            ("super::", me[..me.len().saturating_sub(1)].to_vec()),
        ] {
            for (i, _) in code.match_indices(kw) {
                let before = code[..i].chars().last();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest: Vec<&str> = code[i + kw.len()..]
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .next()
                    .unwrap_or("")
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .collect();
                let mut full = base.clone();
                full.extend(rest);
                if let Some(t) = resolve(&full)
                    && t != *m
                    && !t.is_empty()
                {
                    out.insert(t);
                }
            }
            // `use crate::{a, b::c}`
            for (i, _) in code.match_indices(&format!("use {kw}{{")) {
                let start = i + kw.len() + 5;
                let end = code[start..].find("};").map_or(start, |e| start + e);
                for item in code[start..end].split(',') {
                    let first = item.trim().split("::").next().unwrap_or("").trim();
                    let mut full = base.clone();
                    full.push(first);
                    if let Some(t) = resolve(&full)
                        && t != *m
                        && !t.is_empty()
                    {
                        out.insert(t);
                    }
                }
            }
        }
        edges.insert(m.clone(), out);
    }
    edges
}

/// Groups of modules that reach each other (Tarjan's strongly connected
/// components of more than one module).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    impl<'a> T<'a> {
        fn visit(&mut self, v: &'a str) {
            self.index.insert(v, self.next);
            self.low.insert(v, self.next);
            self.next += 1;
            self.stack.push(v);
            self.on.insert(v);
            for w in self.edges.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if self.on.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on.remove(w);
                    group.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.out.push(group);
                }
            }
        }
    }
    let mut t = T {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    t.out
}

#[test]
fn no_import_cycles() {
    let g = graph();
    assert!(
        g.get("settings").is_some_and(|e| e.contains("provider")),
        "the graph reader finds no edges: {g:?}"
    );
    let found = cycles(&g);
    assert!(found.is_empty(), "import cycles: {found:?}");
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    g.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    g.insert("d".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"]]);
}

/// What only the table and the wire modules may name: each row's name as a
/// string (`"vertex"`, `-P azure`, `[providers.gateway]`), each variable a
/// row reads, each wire format variant, and the formats' own paths.
fn provider_words() -> Vec<String> {
    let mut words = BTreeSet::new();
    for p in PROVIDERS {
        for form in [
            format!("\"{}\"", p.name),
            format!("-P {}", p.name),
            format!("[providers.{}]", p.name),
        ] {
            words.insert(form);
        }
        words.extend(p.key_env.iter().map(|v| (*v).to_string()));
        for slot in p.key_slots(p.any_format()) {
            if slot.role != crate::provider::PROVIDER_KEY_ROLE {
                words.insert(format!("\"{}\"", slot.keyring));
                words.insert(slot.header.to_string());
            }
            words.extend(slot.env.iter().map(|v| (*v).to_string()));
        }
        if let Some(file) = p.profile_file() {
            words.insert(file.profile_env.to_string());
            words.insert(file.file_env.to_string());
            words.insert(file.home_path.to_string());
        }
        for param in p.params {
            words.extend(param.env.iter().map(|v| (*v).to_string()));
        }
    }
    for f in WireFormat::ALL {
        words.insert(format!("WireFormat::{f:?}"));
        let path = f.default_path();
        words.insert(path.split('{').next().unwrap_or(path).to_string());
    }
    words.extend([":generateContent".to_string(), "alt=sse".to_string()]);
    words.into_iter().collect()
}

#[test]
fn only_the_table_and_the_wire_modules_know_providers() {
    let words = provider_words();
    let mut found = Vec::new();
    for (m, path) in modules() {
        // The fuzz harness, like the tests, runs each format by name.
        if m.starts_with("provider")
            || m.starts_with("wire")
            || matches!(m.as_str(), "examples" | "structure_tests" | "fuzzing")
        {
            continue;
        }
        for line in code_of(&path).lines() {
            for w in &words {
                if line.contains(w.as_str()) {
                    found.push(format!("{}: {w}: {}", path.display(), line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "provider knowledge outside src/provider and src/wire:\n{}",
        found.join("\n")
    );
}

/// Every file of the repository's code, tests, benchmarks and CI scripts.
fn repository_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                walk(&p, out);
            } else if p
                .extension()
                .is_none_or(|x| ["rs", "sh", "py", "toml"].iter().any(|e| x == *e))
            {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "bench", "fuzz/src", ".ci", "examples"] {
        walk(&root.join(dir), &mut files);
    }
    files
}

#[test]
fn nothing_reads_outside_the_repository() {
    // Spelled in two pieces so that this file does not match itself.
    let needles = [format!("../{}", "shared"), format!("{}/fixtures", "shared")];
    let mut found = Vec::new();
    for path in repository_files() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if needles.iter().any(|needle| line.contains(needle.as_str())) {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the repository must stand alone; these lines refer to files outside it:\n{}",
        found.join("\n")
    );
}
