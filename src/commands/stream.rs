//! `hcl stream` and `hcl chat --stream`: the answer printed token by token.
//!
//! The request is the one `hcl chat` builds, with streaming on; this module
//! sends it with [`exchange::execute_stream`], shows each delta the moment it
//! is decoded, and then logs and reports the exchange like `chat` does.

use std::time::Duration;

use crate::cli::ChatArgs;
use crate::error::{Error, ExitStatus, Result};
use crate::exchange::{self, Outcome, RecordContext, Summary};
use crate::log::Record;
use crate::output::Printer;
use crate::request::PreparedRequest;
use crate::settings::RequestSettings;
use crate::transport::Client;
use crate::wire::stream::Delta;
use crate::wire::{Completion, FinishReason, WireFormat};

/// Send a prepared streaming request, print it as it arrives, log it.
pub fn send(
    s: &RequestSettings,
    req: &PreparedRequest,
    args: &ChatArgs,
    printer: &Printer,
) -> Result<ExitStatus> {
    let runtime = super::runtime()?;
    send_on(
        &runtime,
        s,
        req,
        args.request.json,
        args.show_thinking,
        printer,
        &mut None,
    )
}

/// [`send`] on a given runtime; the log record, once built, is left in
/// `record` (an interactive conversation keeps the answer from it).
pub fn send_on(
    runtime: &tokio::runtime::Runtime,
    s: &RequestSettings,
    req: &PreparedRequest,
    json: bool,
    show_thinking: bool,
    printer: &Printer,
    record: &mut Option<Record>,
) -> Result<ExitStatus> {
    let client = Client::new(s.target.net.clone(), s.target.proxy.clone())?;
    let peer = exchange::peer_label(s.target.provider.name, s.target.route.direct);
    let mut view = View {
        printer,
        json,
        show_thinking,
        text_written: false,
        ends_with_newline: true,
        thinking_open: false,
        refusal_warned: false,
    };
    printer.start_spinner(&format!("waiting for {peer}"));
    let outcome = runtime.block_on(exchange::execute_stream(
        &client,
        req,
        &s.target.creds,
        s.target.format,
        &peer,
        &mut |d| view.delta(d),
        super::ctrl_c(),
    ));
    printer.stop_spinner();
    finish(s, req, outcome, view, record)
}

/// What has been shown so far, to end the output cleanly.
struct View<'a> {
    printer: &'a Printer,
    json: bool,
    show_thinking: bool,
    text_written: bool,
    ends_with_newline: bool,
    /// Reasoning was shown on stderr and the answer has not started yet.
    thinking_open: bool,
    refusal_warned: bool,
}

impl View<'_> {
    fn delta(&mut self, d: Delta<'_>) -> Result<()> {
        let p = self.printer;
        let text = match d {
            Delta::Flush => return if self.json { Ok(()) } else { p.stream_flush() },
            Delta::Thinking(t) => {
                // Hidden reasoning keeps the spinner going: nothing to show yet.
                if self.show_thinking && !self.json {
                    p.stream_thinking(t);
                    self.thinking_open = true;
                }
                return Ok(());
            }
            Delta::Text(t) => t,
            Delta::Refusal(t) => {
                if !self.refusal_warned && !self.json {
                    p.warn("the model refused to answer:");
                    self.refusal_warned = true;
                }
                t
            }
        };
        if self.json {
            p.stop_spinner();
            return Ok(());
        }
        if text.is_empty() {
            return Ok(());
        }
        self.close_thinking();
        p.stream_delta(text)?;
        self.text_written = true;
        self.ends_with_newline = text.ends_with('\n');
        Ok(())
    }

    fn close_thinking(&mut self) {
        if self.thinking_open {
            self.printer.stream_thinking("\n\n");
            self.thinking_open = false;
        }
    }

    /// End the answer with a newline, and show what was not streamed: tool
    /// calls, a refusal given only as a stop reason, a cut-off warning.
    fn end(&mut self, format: WireFormat, completion: Option<&Completion>) -> Result<()> {
        let p = self.printer;
        // A stream cut short by an error event has not flushed its last read.
        p.stream_flush()?;
        if self.thinking_open {
            p.stream_thinking("\n");
            self.thinking_open = false;
        }
        if self.text_written && !self.ends_with_newline {
            p.stream_delta("\n")?;
            p.stream_flush()?;
            self.ends_with_newline = true;
        }
        let Some(c) = completion else {
            return Ok(());
        };
        if let Some(refusal) = &c.refusal
            && !self.refusal_warned
        {
            p.warn("the model refused to answer");
            if !self.text_written {
                p.answer(refusal)?;
            }
        }
        // An answer that came as a tool's input (Anthropic JSON output).
        if !self.text_written && c.refusal.is_none() && !c.text.is_empty() {
            p.answer(&c.text)?;
        }
        for t in &c.tool_calls {
            p.answer(&format!("tool call: {}({})", t.name, t.arguments))?;
        }
        if c.finish_reason.as_deref().map(|f| format.finish_reason(f)) == Some(FinishReason::Length)
        {
            p.warn("the answer was cut off at the token limit; raise --max-tokens for more");
        }
        Ok(())
    }
}

fn finish(
    s: &RequestSettings,
    req: &PreparedRequest,
    mut outcome: Outcome,
    mut view: View<'_>,
    keep: &mut Option<Record>,
) -> Result<ExitStatus> {
    let printer = view.printer;
    super::turn::check_answer(s, &mut outcome);
    let ctx = RecordContext {
        id: &s.record_id,
        provider: s.target.provider.name,
        model: &s.target.model,
        format: s.target.format,
        stream: true,
        replay_of: None,
    };
    let mut record = exchange::build_record(&ctx, req, &s.target.creds, &outcome)?;
    super::turn::mark_turn(&mut record, s);
    let logged = super::turn::log_exchange(s, &record, printer);
    let error = outcome.error.take();
    // A closed stdout ends quietly: nothing more is written to it.
    let stdout_open = !matches!(error, Some(Error::BrokenPipe));
    if stdout_open && !view.json {
        view.end(s.target.format, outcome.completion.as_ref())?;
    }
    super::turn::print_verbose(&record, s, printer);
    print_stream_verbose(&outcome, printer);
    if view.json && stdout_open {
        printer.json(&Summary::of(&record))?;
    }
    let result = match error {
        None => Ok(ExitStatus::Success),
        Some(e) => {
            if matches!(e, Error::Interrupted) && logged {
                printer.note(&format!(
                    "interrupted; what arrived is logged as {}",
                    record.id
                ));
            }
            Err(e)
        }
    };
    *keep = Some(record);
    result
}

/// `-v`: time to first token, output tokens and their rate.
fn print_stream_verbose(o: &Outcome, printer: &Printer) {
    if !printer.is_verbose() {
        return;
    }
    let output = o.completion.as_ref().and_then(|c| c.usage.output);
    let ttft = o
        .ttfb
        .map_or("-".to_string(), |d| format!("{} ms", d.as_millis()));
    printer.verbose(&format!(
        "stream: first token {ttft}, {} output tokens, {}",
        output.map_or("?".to_string(), |n| n.to_string()),
        rate(output, o.ttfb, o.latency)
    ));
}

/// Output tokens per second while generating (after the first token); over
/// the whole exchange when the answer came in one burst (a cache HIT).
fn rate(output: Option<u64>, ttft: Option<Duration>, latency: Option<Duration>) -> String {
    let (Some(n), Some(latency)) = (output, latency) else {
        return "- tokens/s".to_string();
    };
    let generating = latency.saturating_sub(ttft.unwrap_or_default());
    let span = if generating >= Duration::from_millis(1) {
        generating
    } else {
        latency
    };
    if span.is_zero() {
        return "- tokens/s".to_string();
    }
    format!("{:.1} tokens/s", n as f64 / span.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_rate() {
        let ms = Duration::from_millis;
        assert_eq!(
            rate(Some(50), Some(ms(100)), Some(ms(1100))),
            "50.0 tokens/s"
        );
        // A burst: first token and end together; rate over the whole exchange.
        assert_eq!(
            rate(Some(10), Some(ms(500)), Some(ms(500))),
            "20.0 tokens/s"
        );
        assert_eq!(rate(None, Some(ms(1)), Some(ms(2))), "- tokens/s");
    }
}
