//! `hcl log merge FILE… -o OUT`: request logs (one per shard run) into
//! one, each record once, in time order; and the Helicone annotations kept
//! beside each input into the one beside OUT.
//!
//! Each line is read by the log's own reader ([`log::parse_or_reason`]), so
//! a line the merge keeps is a line every reader can read. The kept lines
//! are written as they were read, byte for byte.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::annotations;
use crate::cli::LogMergeArgs;
use crate::error::{Error, ExitStatus, Result};
use crate::files;
use crate::log;
use crate::output::Printer;

/// One kept line: when it happened, where it came from, its bytes.
struct Entry {
    ts: SystemTime,
    bytes: Vec<u8>,
}

/// The lines of one kind (records or annotations) gathered from every input.
#[derive(Default)]
struct Gathered {
    entries: Vec<Entry>,
    /// Where each id's kept copy came from (records only).
    seen: HashMap<String, (usize, String)>,
    duplicates: usize,
    bad: usize,
}

impl Gathered {
    fn sorted_lines(mut self) -> Vec<Entry> {
        // Stable: the same time keeps the inputs' order.
        self.entries.sort_by_key(|e| e.ts);
        self.entries
    }
}

pub fn run(args: &LogMergeArgs, printer: &Printer) -> Result<ExitStatus> {
    printer.set_verbosity(args.quiet, false);
    let inputs = check_inputs(&args.files)?;
    check_output(&args.output, &inputs)?;
    let logs = logs_only(&args.files, printer);

    let mut records = Gathered::default();
    for path in &logs {
        read_records(path, &mut records, printer)?;
    }
    let mut notes = Gathered::default();
    let mut sidecars = 0;
    for path in &logs {
        let side = annotations::path_for(path);
        if side.is_file() {
            sidecars += 1;
            read_annotations(&side, &mut notes, printer)?;
        }
    }

    let (n, duplicates, bad) = (records.entries.len(), records.duplicates, records.bad);
    write_lines(&args.output, records.sorted_lines(), "the merged log")?;
    let mut said = format!(
        "merged {n} record{} from {} log{} into {}",
        plural(n),
        logs.len(),
        plural(logs.len()),
        args.output.display()
    );
    if duplicates > 0 || bad > 0 {
        said.push_str(&format!(
            " ({duplicates} duplicate{} dropped, {bad} bad line{} skipped)",
            plural(duplicates),
            plural(bad)
        ));
    }
    if sidecars > 0 {
        let side = annotations::path_for(&args.output);
        let events = notes.entries.len();
        write_lines(
            &side,
            notes.sorted_lines(),
            "the merged Helicone annotations",
        )?;
        said.push_str(&format!(
            "; {events} Helicone annotation{} into {}",
            plural(events),
            side.display()
        ));
    }
    printer.note(&said);
    Ok(ExitStatus::Success)
}

/// The inputs without the annotation files a glob such as `shard-*.jsonl`
/// also matches (`shard-1.helicone.jsonl`): those are merged with their
/// logs, not read as logs.
fn logs_only<'a>(files: &'a [PathBuf], printer: &Printer) -> Vec<&'a PathBuf> {
    files
        .iter()
        .filter(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let annotations = name.is_some_and(|n| n.ends_with(".helicone.jsonl"));
            if annotations {
                printer.note(&format!(
                    "{} holds the Helicone annotations of a log, not records: it is merged with its log, when that log is an input",
                    path.display()
                ));
            }
            !annotations
        })
        .collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Every input must be a readable file: a typo in a shard's path must not
/// merge quietly without it. Their canonical paths.
fn check_inputs(files: &[PathBuf]) -> Result<HashSet<PathBuf>> {
    let mut canonical = HashSet::new();
    for path in files {
        let meta = std::fs::metadata(path).map_err(|e| {
            Error::usage(format!(
                "cannot read the log {}: {e}; give the request logs to merge",
                path.display()
            ))
        })?;
        if !meta.is_file() {
            return Err(Error::usage(format!(
                "{} is not a file; give the request logs to merge",
                path.display()
            )));
        }
        if let Ok(c) = std::fs::canonicalize(path) {
            canonical.insert(c);
        }
    }
    Ok(canonical)
}

/// OUT may be new, or one of the inputs (it is replaced only after every
/// input is read); an existing OUT (or annotations file beside it) that is
/// not an input would be lost, so it is refused.
fn check_output(out: &Path, inputs: &HashSet<PathBuf>) -> Result<()> {
    let is_input = std::fs::canonicalize(out).is_ok_and(|c| inputs.contains(&c));
    if is_input {
        return Ok(());
    }
    let side = annotations::path_for(out);
    for existing in [out, side.as_path()] {
        if existing.exists() {
            return Err(Error::usage(format!(
                "{} exists and is not one of the logs being merged; name {} as an input too to merge into it, or choose a new -o file",
                existing.display(),
                out.display()
            )));
        }
    }
    Ok(())
}

/// The records of one log: each valid one kept once, by id.
fn read_records(path: &Path, into: &mut Gathered, printer: &Printer) -> Result<()> {
    let file = path.display().to_string();
    log::scan(path, |line, text, torn| {
        let record = log::parse_or_reason(text, torn).and_then(|r| {
            let ts = humantime::parse_rfc3339_weak(&r.ts)
                .map_err(|_| format!("its time '{}' is not an RFC 3339 time", r.ts))?;
            Ok((r.id, ts))
        });
        let (id, ts) = match record {
            Ok(found) => found,
            Err(reason) => {
                printer.warn(&format!("{file}:{line}: skipped: {reason}"));
                into.bad += 1;
                return ControlFlow::Continue(());
            }
        };
        if let Some((i, at)) = into.seen.get(&id) {
            into.duplicates += 1;
            if into.entries[*i].bytes != text {
                printer.warn(&format!(
                    "{file}:{line}: record {id} differs from its copy at {at}; kept that one"
                ));
            }
            return ControlFlow::Continue(());
        }
        into.seen
            .insert(id, (into.entries.len(), format!("{file}:{line}")));
        into.entries.push(Entry {
            ts,
            bytes: text.to_vec(),
        });
        ControlFlow::Continue(())
    })
}

/// The annotations beside one log: each distinct valid event kept once.
fn read_annotations(path: &Path, into: &mut Gathered, printer: &Printer) -> Result<()> {
    let file = path.display().to_string();
    let mut distinct: HashSet<Vec<u8>> = into.entries.iter().map(|e| e.bytes.clone()).collect();
    log::scan(path, |line, text, _torn| {
        let event = serde_json::from_slice::<annotations::Event>(text)
            .map_err(|e| e.to_string())
            .and_then(|e| {
                if e.v > annotations::SCHEMA_VERSION {
                    return Err(format!("written by a newer hcl (v{})", e.v));
                }
                humantime::parse_rfc3339_weak(&e.ts)
                    .map_err(|_| format!("its time '{}' is not an RFC 3339 time", e.ts))
            });
        match event {
            Ok(ts) => {
                if distinct.insert(text.to_vec()) {
                    into.entries.push(Entry {
                        ts,
                        bytes: text.to_vec(),
                    });
                } else {
                    into.duplicates += 1;
                }
            }
            Err(reason) => {
                printer.warn(&format!("{file}:{line}: skipped: {reason}"));
                into.bad += 1;
            }
        }
        ControlFlow::Continue(())
    })
}

/// Write the lines to `path`, whole or not at all, mode 0600.
fn write_lines(path: &Path, lines: Vec<Entry>, what: &str) -> Result<()> {
    files::write_private_atomic(path, |w: &mut dyn Write| {
        for e in &lines {
            w.write_all(&e.bytes)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    })
    .map_err(|e| Error::io(format!("cannot write {what} {}", path.display()), e))
}
