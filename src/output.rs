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

pub use crate::cli::TableFormat;
use crate::error::{Error, Result};

/// Whether stdout was closed when hcl started (`hcl chat hi >&-`). Before
/// `main`, Rust's runtime opens /dev/null in place of a closed standard
/// stream, so every write would succeed and the answer vanish; this is
/// checked earlier, from the ELF init array, and `main` refuses to run.
/// (Linux only; elsewhere a closed stdout is not detected.)
pub fn stdout_closed_at_start() -> bool {
    #[cfg(target_os = "linux")]
    {
        closed_at_start::STDOUT.load(std::sync::atomic::Ordering::Relaxed)
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

#[cfg(target_os = "linux")]
mod closed_at_start {
    use std::sync::atomic::{AtomicBool, Ordering};

    pub static STDOUT: AtomicBool = AtomicBool::new(false);

    extern "C" fn check() {
        // SAFETY: F_GETFD on a descriptor number reads no memory; it fails
        // with EBADF exactly when the descriptor is not open.
        if unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1 {
            STDOUT.store(true, Ordering::Relaxed);
        }
    }

    /// Run by the loader before `main`, so before Rust's runtime fills
    /// closed standard streams with /dev/null.
    #[used]
    #[unsafe(link_section = ".init_array")]
    static CHECK: extern "C" fn() = check;
}

pub struct Printer {
    /// The width tables must fit: `COLUMNS`, else the terminal's when
    /// stdout is one; `None` in a pipe (nothing is cut).
    pub width: Option<usize>,
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
    /// A printer for this process: colour unless `NO_COLOR`, tables as
    /// wide as `COLUMNS` or the terminal.
    pub fn new(env: &dyn Fn(&str) -> Option<String>) -> Self {
        let stdout_is_tty = std::io::stdout().is_terminal();
        let stderr_is_tty = std::io::stderr().is_terminal();
        let no_color = env("NO_COLOR").is_some_and(|v| !v.is_empty());
        let width = env("COLUMNS")
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|w| *w > 0)
            .or_else(|| {
                stdout_is_tty
                    .then(|| terminal_size::terminal_size_of(std::io::stdout()))
                    .flatten()
                    .map(|(w, _)| usize::from(w.0))
                    .filter(|w| *w > 0)
            });
        Printer {
            width,
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
        // The spinner's line goes before anything takes its place.
        self.stop_spinner();
        // On one terminal with the progress bar, the bar is erased first and
        // drawn again after the whole line is out, so no piece of it is left
        // in (or between) the lines on stdout.
        let bar = self.bar.borrow();
        let bar = bar.as_ref().filter(|_| self.stdout_is_tty);
        let write = || {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|_| {
                    if flush || bar.is_some() {
                        out.flush()
                    } else {
                        Ok(())
                    }
                })
                .map_err(|e| Error::io("cannot write to stdout", e))
        };
        match bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
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

    /// A table on stdout: boxed on a terminal, plain aligned text in a
    /// pipe, tab-separated with `--format tsv`; cut to fit [`Self::width`].
    pub fn table(&self, table: &Table, format: TableFormat) -> Result<()> {
        let mode = match format {
            TableFormat::Tsv => Mode::Tsv,
            TableFormat::Table | TableFormat::Json if self.stdout_is_tty => Mode::Boxed,
            TableFormat::Table | TableFormat::Json => Mode::Plain,
        };
        let (text, dropped) = table.render(mode, self.width);
        self.answer(&text)?;
        if !dropped.is_empty() && self.stdout_is_tty {
            self.note(&format!(
                "{} hidden to fit {} columns; --format tsv shows every column",
                dropped.join(", "),
                self.width.unwrap_or_default()
            ));
        }
        Ok(())
    }

    /// A table on stderr (a closing summary): boxed on a terminal.
    pub fn report_table(&self, table: &Table) {
        let mode = if self.stderr_is_tty {
            Mode::Boxed
        } else {
            Mode::Plain
        };
        self.report(&table.render(mode, self.width).0);
    }

    /// Prose on stdout (notes under a table), wrapped at word boundaries to
    /// [`Self::width`].
    pub fn wrapped(&self, text: &str, indent: usize) -> Result<()> {
        let lines = match self.width {
            Some(w) => wrap(text, w.max(indent + 20), indent),
            None => vec![text.to_string()],
        };
        self.answer(&lines.join("\n"))
    }

    /// A usage error of the command line: `hcl: error:` and its first
    /// line, then the rest as it is.
    pub fn usage_error(&self, text: &str) {
        let text = text.trim_end();
        let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
        self.error(first);
        if !rest.trim().is_empty() {
            self.report(rest.trim_start_matches('\n'));
        }
    }

    /// Rows under `header` as a fitted table (the first column always
    /// shown, the last ones dropped first when it is too wide), or as TSV.
    pub fn rows(&self, tsv: bool, header: &[&str], rows: Vec<Vec<String>>) -> Result<()> {
        let last = header.len();
        let cols = header
            .iter()
            .enumerate()
            .map(|(i, h)| match i {
                0 => Col::keep(*h),
                _ => Col::text(*h, u8::try_from(i).unwrap_or(u8::MAX), 8),
            })
            .collect();
        let mut table = Table::new(cols);
        for row in rows {
            table.row(row);
        }
        let _ = last;
        let format = if tsv {
            TableFormat::Tsv
        } else {
            TableFormat::Table
        };
        self.table(&table, format)
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Boxed,
    Plain,
    Tsv,
}

/// One column of a [`Table`]: how it gives way when the table is too wide.
#[derive(Debug, Clone)]
pub struct Col {
    header: String,
    /// 0: never dropped; otherwise the highest is dropped first.
    drop: u8,
    /// The narrowest a cut column gets; `None`: never cut.
    cut: Option<usize>,
}

impl Col {
    /// Always shown, never cut (ids, times, statuses).
    pub fn keep(header: impl Into<String>) -> Col {
        Col {
            header: header.into(),
            drop: 0,
            cut: None,
        }
    }

    /// Never cut; dropped (highest `drop` first) when the table is too wide.
    pub fn fixed(header: impl Into<String>, drop: u8) -> Col {
        Col {
            header: header.into(),
            drop,
            cut: None,
        }
    }

    /// Cut with `…` down to `min` columns before anything is dropped;
    /// `drop` 0 keeps it always.
    pub fn text(header: impl Into<String>, drop: u8, min: usize) -> Col {
        Col {
            header: header.into(),
            drop,
            cut: Some(min.max(1)),
        }
    }
}

/// A table that fits the terminal: long cells are cut with `…` by display
/// width, and columns are dropped (least important first) before any line
/// would be wider than the terminal. Every table hcl prints is one.
#[derive(Debug, Clone)]
pub struct Table {
    cols: Vec<Col>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(cols: Vec<Col>) -> Table {
        Table {
            cols,
            rows: Vec::new(),
        }
    }

    /// A row; cells past the columns are ignored, missing ones are empty.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The text, and the headers of the columns dropped to fit `width`.
    fn render(&self, mode: Mode, width: Option<usize>) -> (String, Vec<String>) {
        let n = self.cols.len();
        // TSV never cuts anything.
        let cap = (mode != Mode::Tsv).then_some(MAX_CELL);
        let cell = |r: &Vec<String>, i: usize| clean(r.get(i).map_or("", String::as_str), cap);
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| (0..n).map(|i| cell(r, i)).collect())
            .collect();
        if mode == Mode::Tsv {
            let mut out: Vec<String> = vec![
                self.cols
                    .iter()
                    .map(|c| c.header.as_str())
                    .collect::<Vec<_>>()
                    .join("\t"),
            ];
            out.extend(rows.iter().map(|r| r.join("\t")));
            return (out.join("\n"), Vec::new());
        }
        let natural: Vec<usize> = (0..n)
            .map(|i| {
                rows.iter()
                    .map(|r| display_width(&r[i]))
                    .chain(std::iter::once(display_width(&self.cols[i].header)))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let (widths, shown) = fit(&self.cols, &natural, mode, width);
        let dropped = (0..n)
            .filter(|i| !shown[*i])
            .map(|i| self.cols[i].header.clone())
            .collect();
        let visible: Vec<usize> = (0..n).filter(|i| shown[*i]).collect();
        let header: Vec<String> = visible
            .iter()
            .map(|&i| cut(&self.cols[i].header, widths[i]))
            .collect();
        let body: Vec<Vec<String>> = rows
            .iter()
            .map(|r| visible.iter().map(|&i| cut(&r[i], widths[i])).collect())
            .collect();
        let text = match mode {
            Mode::Boxed => boxed(&header, &body),
            _ => plain(&header, &body),
        };
        (text, dropped)
    }
}

/// Space a table takes besides its cells, for `n` columns.
fn overhead(mode: Mode, n: usize) -> usize {
    match mode {
        // "│ a │ b │": a border and a space each side of every cell.
        Mode::Boxed => 3 * n + 1,
        // Two spaces between columns.
        Mode::Plain | Mode::Tsv => 2 * n.saturating_sub(1),
    }
}

/// Column widths and which columns show, to fit `width`: cut columns give
/// way first, widest first, down to their minimum; then the least important
/// droppable column goes, and the widths are worked out again.
fn fit(
    cols: &[Col],
    natural: &[usize],
    mode: Mode,
    width: Option<usize>,
) -> (Vec<usize>, Vec<bool>) {
    let mut shown = vec![true; cols.len()];
    let Some(width) = width else {
        return (natural.to_vec(), shown);
    };
    loop {
        let mut widths = natural.to_vec();
        let count = shown.iter().filter(|s| **s).count();
        let total = |w: &[usize]| -> usize {
            w.iter()
                .zip(&shown)
                .filter(|(_, s)| **s)
                .map(|(w, _)| *w)
                .sum::<usize>()
                + overhead(mode, count)
        };
        let mut over = total(&widths).saturating_sub(width);
        while over > 0 {
            let widest = (0..cols.len())
                .filter(|&i| shown[i])
                .filter(|&i| {
                    cols[i]
                        .cut
                        .is_some_and(|min| widths[i] > min.min(natural[i]))
                })
                .max_by_key(|&i| widths[i]);
            let Some(i) = widest else { break };
            widths[i] -= 1;
            over -= 1;
        }
        if over == 0 {
            return (widths, shown);
        }
        let droppable = (0..cols.len())
            .filter(|&i| shown[i] && cols[i].drop > 0)
            .max_by_key(|&i| (cols[i].drop, i));
        match droppable {
            Some(i) => shown[i] = false,
            // Nothing more can give way.
            None => return (widths, shown),
        }
    }
}

fn boxed(header: &[String], body: &[Vec<String>]) -> String {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
        .set_header(header.iter().cloned());
    for r in body {
        t.add_row(r.iter().cloned());
    }
    t.to_string()
}

fn plain(header: &[String], body: &[Vec<String>]) -> String {
    let n = header.len();
    let widths: Vec<usize> = (0..n)
        .map(|i| {
            body.iter()
                .map(|r| display_width(&r[i]))
                .chain(std::iter::once(display_width(&header[i])))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            s.push_str(c);
            if i + 1 < n {
                s.push_str(&" ".repeat(widths[i] - display_width(c) + 2));
            }
        }
        s.trim_end().to_string()
    };
    std::iter::once(line(header))
        .chain(body.iter().map(|r| line(r)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The most characters of a cell a table shows, even where nothing is cut
/// to fit (a pipe): a cell is a preview, and a 50 MB answer is neither
/// drawn nor measured whole (`log show`, `--json` and TSV give all of it).
const MAX_CELL: usize = 10_000;

/// The start of `s` that a table cell can show in `format`: [`MAX_CELL`]
/// characters and one more, so that the cell is still marked as cut (all
/// of it in TSV). For callers that would otherwise copy a long text whole
/// into a cell.
pub fn cell_prefix(s: &str, format: TableFormat) -> &str {
    if format == TableFormat::Tsv {
        return s;
    }
    match s.char_indices().nth(MAX_CELL + 1) {
        Some((end, _)) => &s[..end],
        None => s,
    }
}

/// A cell on one line: whitespace runs (newlines, tabs) become one space,
/// control characters go; at most `cap` characters, then `…`.
fn clean(s: &str, cap: Option<usize>) -> String {
    let (s, more) = match cap.and_then(|cap| s.char_indices().nth(cap)) {
        Some((end, _)) => (&s[..end], true),
        None => (s, false),
    };
    let s: String = s
        .chars()
        .filter(|c| !c.is_control() || c.is_whitespace())
        .collect();
    let mut out = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if more {
        out.push('…');
    }
    out
}

/// The columns `s` takes on a terminal.
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` cut to `width` columns, ending in `…` when cut.
pub fn cut(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Words of `text` in lines of at most `width` columns (a longer word is
/// cut); lines after the first are indented by `indent` spaces.
fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let lead = if lines.is_empty() && line.is_empty() {
                0
            } else {
                indent
            };
            let room = width.saturating_sub(lead);
            let word = cut(word, room);
            let next = if line.is_empty() {
                word.clone()
            } else {
                format!("{line} {word}")
            };
            if display_width(&next) > room && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line = word;
            } else {
                line = next;
            }
        }
        if !line.is_empty() || para.is_empty() {
            lines.push(line);
        }
    }
    let pad = " ".repeat(indent);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 || l.is_empty() {
                l
            } else {
                format!("{pad}{l}")
            }
        })
        .collect()
}

/// An RFC 3339 time in local time: `2026-11-27 14:03:12 +01:00` with the
/// offset, `11-27 14:03:12` without (for tables, whose header names it).
pub fn local_time(ts: &str, with_offset: bool) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(ts).ok()?;
    let local = t.with_timezone(&chrono::Local);
    Some(if with_offset {
        local.format("%Y-%m-%d %H:%M:%S %:z").to_string()
    } else {
        local.format("%m-%d %H:%M:%S").to_string()
    })
}

/// The local time zone's offset now, `UTC+01:00`, for table headers.
pub fn local_offset() -> String {
    format!("UTC{}", chrono::Local::now().format("%:z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(vec![
            Col::keep("id"),
            Col::text("prompt", 0, 8),
            Col::fixed("latency", 2),
            Col::text("notes", 1, 6),
        ]);
        t.row(vec![
            "3f2a9c1e".into(),
            "What does Helicone do with\na cache?".into(),
            "412 ms".into(),
            "a very long note that goes on and on".into(),
        ]);
        t.row(vec![
            "日本語".into(),
            "日本語のプロンプトです".into(),
            "-".into(),
            "".into(),
        ]);
        t
    }

    #[test]
    fn every_line_fits() {
        for mode in [Mode::Boxed, Mode::Plain] {
            for width in [24, 30, 40, 60, 80, 200] {
                let (text, _) = sample().render(mode, Some(width));
                for line in text.lines() {
                    assert!(
                        display_width(line) <= width,
                        "{mode:?} {width}: {line:?}\n{text}"
                    );
                }
            }
        }
        let (text, dropped) = sample().render(Mode::Plain, Some(200));
        assert!(dropped.is_empty());
        assert!(
            text.contains("What does Helicone do with a cache?"),
            "{text}"
        );
        let (text, dropped) = sample().render(Mode::Plain, Some(30));
        assert_eq!(dropped, ["latency"]);
        assert!(text.contains('…'), "{text}");
    }

    #[test]
    fn pipes_and_tsv() {
        let (text, _) = sample().render(Mode::Plain, None);
        assert!(!text.contains('│') && !text.contains('─'), "{text}");
        assert!(text.lines().next().unwrap().starts_with("id  "), "{text}");
        let (tsv, _) = sample().render(Mode::Tsv, Some(10));
        assert_eq!(tsv.lines().next(), Some("id\tprompt\tlatency\tnotes"));
        assert!(tsv.contains("a very long note that goes on and on"));
    }

    #[test]
    fn cutting_by_display_width() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("日本語", 4), "日…");
        assert_eq!(
            wrap("one two three four", 9, 2),
            ["one two", "  three", "  four"]
        );
    }
}
