//! The log writer: one thread, one open file, and one write for all the
//! records that are waiting when it is free.

use std::path::Path;

use tokio::sync::mpsc;

use crate::error::{Error, Result};
use crate::log::{self, Record};
use crate::output::Printer;

/// The most records joined in one write.
const WRITE_AT_ONCE: usize = 256;

pub(super) struct LogWriter {
    pub(super) sender: mpsc::Sender<Record>,
    thread: std::thread::JoinHandle<(u64, Option<String>)>,
}

impl LogWriter {
    pub(super) fn start(path: &Path, printer: &Printer) -> Result<LogWriter> {
        let (mut writer, warning) = log::Writer::open(path)
            .map_err(|e| Error::usage(format!("{e}; fix the path (HCL_LOG) or pass --no-log")))?;
        printer.warn_all(warning.as_slice());
        let (sender, mut rx) = mpsc::channel::<Record>(1024);
        let thread = std::thread::Builder::new()
            .name("hcl-batch-log".into())
            .spawn(move || {
                let mut failed = 0u64;
                let mut first = None;
                let mut waiting = Vec::with_capacity(WRITE_AT_ONCE);
                // Every record that is waiting goes out in one write, as soon
                // as the writer is free: nothing waits for more to come.
                while rx.blocking_recv_many(&mut waiting, WRITE_AT_ONCE) > 0 {
                    let (n, e) = writer.append_all(&waiting);
                    waiting.clear();
                    failed += n;
                    if let Some(e) = e {
                        first.get_or_insert_with(|| e.to_string());
                    }
                }
                (failed, first)
            })
            .map_err(|e| Error::io("cannot start the log writer", e))?;
        Ok(LogWriter { sender, thread })
    }

    /// Wait for every record to be written; report records that were not.
    pub(super) fn finish(self, printer: &Printer) {
        drop(self.sender);
        match self.thread.join() {
            Ok((0, _)) => {}
            Ok((n, first)) => printer.warn(&format!(
                "{n} exchanges were not logged: {}",
                first.unwrap_or_default()
            )),
            Err(_) => printer.warn("the log writer stopped; some exchanges were not logged"),
        }
    }
}
