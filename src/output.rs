//! The printer: the only code that writes to stdout or stderr.
//!
//! stdout carries answers and data; stderr carries errors, warnings, notes,
//! verbose metadata and progress. Colour only on a terminal, never with
//! `NO_COLOR`. A closed stdout (`| head`) becomes [`Error::BrokenPipe`], which
//! ends the program quietly with status 0.

use std::cell::{Cell, RefCell};
use std::io::{IsTerminal, Write};
use std::time::Duration;

use serde::Serialize;

use crate::error::{Error, Result};

pub struct Printer {
    quiet: Cell<bool>,
    verbose: Cell<bool>,
    color_err: bool,
    pub stdout_is_tty: bool,
    pub stderr_is_tty: bool,
    /// The progress bar on stderr, if one is showing: other stderr output
    /// suspends it so that lines and bar never tear each other.
    bar: RefCell<Option<indicatif::ProgressBar>>,
    /// The "waiting for the first token" spinner, while it shows.
    spinner: RefCell<Option<indicatif::ProgressBar>>,
}

impl Printer {
    pub fn new(no_color: bool) -> Self {
        let stdout_is_tty = std::io::stdout().is_terminal();
        let stderr_is_tty = std::io::stderr().is_terminal();
        Printer {
            quiet: Cell::new(false),
            verbose: Cell::new(false),
            color_err: stderr_is_tty && !no_color,
            stdout_is_tty,
            stderr_is_tty,
            bar: RefCell::new(None),
            spinner: RefCell::new(None),
        }
    }

    pub fn set_verbosity(&self, quiet: bool, verbose: bool) {
        self.quiet.set(quiet);
        self.verbose.set(verbose);
    }

    pub fn is_verbose(&self) -> bool {
        self.verbose.get()
    }

    fn out(&self, bytes: &[u8], flush: bool) -> Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)
            .and_then(|_| if flush { out.flush() } else { Ok(()) })
            .map_err(|e| Error::io("cannot write to stdout", e))
    }

    /// Text on stdout, ending with exactly one newline.
    pub fn answer(&self, text: &str) -> Result<()> {
        let mut s = String::with_capacity(text.len() + 1);
        s.push_str(text);
        if !s.ends_with('\n') {
            s.push('\n');
        }
        self.out(s.as_bytes(), true)
    }

    /// Text on stdout exactly as given, flushed at once.
    pub fn stream_text(&self, text: &str) -> Result<()> {
        self.out(text.as_bytes(), true)
    }

    /// Plain lines on stdout (paths, curl commands, dry runs).
    pub fn line(&self, text: &str) -> Result<()> {
        self.answer(text)
    }

    /// One JSON value on stdout: pretty on a terminal, one line in a pipe.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let text = if self.stdout_is_tty {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        }
        .map_err(|e| Error::Protocol(format!("cannot serialize output: {e}")))?;
        self.answer(&text)
    }

    /// Pretty JSON on stdout, always.
    pub fn json_pretty<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| Error::Protocol(format!("cannot serialize output: {e}")))?;
        self.answer(&text)
    }

    /// One compact JSON line on stdout (JSON Lines output).
    pub fn json_line<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let mut text = serde_json::to_vec(value)
            .map_err(|e| Error::Protocol(format!("cannot serialize output: {e}")))?;
        text.push(b'\n');
        self.out(&text, false)
    }

    pub fn table(&self, table: &comfy_table::Table) -> Result<()> {
        self.answer(&table.to_string())
    }

    /// Rows as tab-separated values: a header line, then one line per row.
    /// Tabs and line breaks inside a cell become spaces.
    pub fn tsv(&self, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
        let clean = |c: &str| c.replace(['\t', '\n', '\r'], " ");
        let mut text = header.join("\t");
        text.push('\n');
        for row in rows {
            let cells: Vec<String> = row.iter().map(|c| clean(c)).collect();
            text.push_str(&cells.join("\t"));
            text.push('\n');
        }
        self.out(text.as_bytes(), true)
    }

    /// Rows as a table in the house style, or as TSV.
    pub fn rows(&self, tsv: bool, header: &[&str], rows: Vec<Vec<String>>) -> Result<()> {
        if tsv {
            return self.tsv(header, &rows);
        }
        let mut table = new_table(header);
        for row in rows {
            table.add_row(row);
        }
        self.table(&table)
    }

    fn err_line(&self, label: &str, color: &str, msg: &str) {
        let line = if self.color_err {
            format!("hcl: \x1b[{color}m{label}\x1b[0m {msg}\n")
        } else {
            format!("hcl: {label} {msg}\n")
        };
        self.err_raw(&line);
    }

    /// A spinner with `msg` on stderr, only on a terminal and not with `-q`;
    /// it goes away at [`stop_spinner`](Self::stop_spinner), at the first
    /// streamed text, or before any line on stderr.
    pub fn start_spinner(&self, msg: &str) {
        if !self.stderr_is_tty || self.quiet.get() {
            return;
        }
        let pb =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        pb.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        pb.set_message(msg.to_string());
        pb.enable_steady_tick(Duration::from_millis(80));
        self.stop_spinner();
        *self.spinner.borrow_mut() = Some(pb);
    }

    pub fn stop_spinner(&self) {
        if let Some(pb) = self.spinner.borrow_mut().take() {
            pb.finish_and_clear();
        }
    }

    /// A piece of streamed answer on stdout; it shows at the next
    /// [`stream_flush`](Self::stream_flush).
    pub fn stream_delta(&self, text: &str) -> Result<()> {
        self.stop_spinner();
        self.out(text.as_bytes(), false)
    }

    pub fn stream_flush(&self) -> Result<()> {
        self.out(b"", true)
    }

    /// A piece of streamed reasoning on stderr (dimmed on a colour terminal),
    /// so that stdout carries only the answer.
    pub fn stream_thinking(&self, text: &str) {
        // Keep the order of what is on the screen.
        let _ = std::io::stdout().flush();
        if self.color_err {
            self.err_raw(&format!("\x1b[2m{text}\x1b[0m"));
        } else {
            self.err_raw(text);
        }
    }

    /// Write to stderr, around the progress bar if one is showing; a
    /// spinner goes away first.
    fn err_raw(&self, text: &str) {
        self.stop_spinner();
        // A failing stderr has nowhere to report to.
        let write = || {
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
        };
        match self.bar.borrow().as_ref() {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    /// A block of text on stderr, such as a closing summary.
    pub fn report(&self, text: &str) {
        if text.ends_with('\n') {
            self.err_raw(text);
        } else {
            self.err_raw(&format!("{text}\n"));
        }
    }

    /// A progress bar on stderr, only when stderr is a terminal: `len` items,
    /// or a counter when the total is unknown. Cleared by [`Printer::finish_progress`].
    pub fn progress(&self, len: Option<u64>) -> Option<indicatif::ProgressBar> {
        if !self.stderr_is_tty || self.quiet.get() {
            return None;
        }
        let target = indicatif::ProgressDrawTarget::stderr_with_hz(10);
        let (bar, template) = match len {
            Some(n) => (
                indicatif::ProgressBar::with_draw_target(Some(n), target),
                "{elapsed_precise} [{bar:30}] {pos}/{len} {msg}",
            ),
            None => (
                indicatif::ProgressBar::with_draw_target(None, target),
                "{elapsed_precise} {spinner} {pos} done {msg}",
            ),
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        *self.bar.borrow_mut() = Some(bar.clone());
        Some(bar)
    }

    /// Remove the progress bar from the screen.
    pub fn finish_progress(&self) {
        if let Some(bar) = self.bar.borrow_mut().take() {
            bar.finish_and_clear();
        }
    }

    pub fn error(&self, msg: &str) {
        self.err_line("error:", "1;31", msg);
    }

    pub fn warn(&self, msg: &str) {
        if !self.quiet.get() {
            self.err_line("warning:", "1;33", msg);
        }
    }

    pub fn warn_all(&self, warnings: &[String]) {
        for w in warnings {
            self.warn(w);
        }
    }

    pub fn note(&self, msg: &str) {
        if !self.quiet.get() {
            self.err_line("note:", "1;36", msg);
        }
    }

    /// A line of `--verbose` metadata on stderr.
    pub fn verbose(&self, msg: &str) {
        if self.verbose.get() {
            self.err_raw(&format!("{msg}\n"));
        }
    }
}

impl Printer {
    /// A progress bar over `total` steps with running counts beside it
    /// (replay): drawn only on a terminal and never with `--quiet`.
    pub fn progress_steps(&self, total: u64) -> Progress {
        Progress(self.progress(Some(total)))
    }
}

/// A progress bar that may be hidden. Cheap to share between tasks.
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    /// One step done; `msg` replaces the running counts shown beside the bar.
    pub fn step(&self, msg: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(msg.to_string());
            bar.inc(1);
        }
    }
}

/// A cost in US dollars: small amounts keep their significant digits.
pub fn usd(cost: f64) -> String {
    if cost == 0.0 {
        return "$0".to_string();
    }
    let digits = if cost.abs() >= 1.0 { 2 } else { 6 };
    let text = format!("{cost:.digits$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("${text}")
}

/// A table in the house style.
pub fn new_table(header: &[&str]) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_header(header.iter().copied());
    t
}
