//! Choosing log records: ids by unique prefix (as git does), `--last N`,
//! `--since`, `--provider`, `--model`, `--property K=V`, `--status` and
//! `--all`. Shared by `hcl replay`, `hcl log list` and `hcl log export`.
//!
//! The newest records are found by reading the log backwards, so `--last N`
//! costs the same on a log of any size and holds only what it keeps.

use std::borrow::Cow;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::SystemTime;

use crate::cli::{SelectArgs, StatusArg};
use crate::error::{Error, Result};
use crate::helicone;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

use crate::log::{self, HeaderList, Record, Skipped};
use crate::output::Printer;

/// Validated selection criteria.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Ids or unique id prefixes, in the order given.
    pub ids: Vec<String>,
    /// `Some(n)`: the newest n matching records; `None`: every one.
    pub limit: Option<usize>,
    pub since: Option<SystemTime>,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub properties: Vec<(String, String)>,
    pub status: Option<StatusArg>,
    /// Only the records of this `hcl chat --batch` run.
    pub batch: Option<String>,
    /// Leave out records that are themselves replays.
    pub originals_only: bool,
    /// Text the prompt or the answer holds, in lower case.
    pub grep: Option<String>,
}

/// `2h`, `30m`, `7days` ago, or an RFC 3339 time (a bare date means its midnight, UTC).
pub fn parse_since(raw: &str, now: SystemTime) -> Result<SystemTime> {
    let s = raw.trim();
    if let Ok(d) = humantime::parse_duration(s) {
        return now
            .checked_sub(d)
            .ok_or_else(|| Error::usage(format!("--since {raw} reaches back before the epoch")));
    }
    let full = if s.len() == 10 {
        format!("{s}T00:00:00Z")
    } else {
        s.to_string()
    };
    humantime::parse_rfc3339_weak(&full).map_err(|_| {
        Error::usage(format!(
            "--since '{raw}' is neither a duration (2h, 30m, 7days) nor an RFC 3339 time (2026-01-31T12:00:00Z)"
        ))
    })
}

impl Selection {
    /// The criteria of `args`; `default_limit` applies when neither
    /// `--last` nor `--all` is given.
    pub fn from_args(
        args: &SelectArgs,
        ids: &[String],
        default_limit: Option<usize>,
        now: SystemTime,
    ) -> Result<Selection> {
        if args.last == Some(0) {
            return Err(Error::usage("--last must be at least 1"));
        }
        let mut properties = Vec::new();
        for p in &args.properties {
            properties.push(helicone::parse_property(p)?);
        }
        let since = args
            .since
            .as_deref()
            .map(|s| parse_since(s, now))
            .transpose()?;
        for id in ids {
            if id.trim().is_empty() {
                return Err(Error::usage("an empty id matches nothing"));
            }
        }
        Ok(Selection {
            ids: ids.iter().map(|i| i.trim().to_ascii_lowercase()).collect(),
            limit: if args.all {
                None
            } else {
                args.last.or(default_limit)
            },
            since,
            provider: args.provider.clone(),
            model: args.model.clone(),
            properties,
            status: args.status,
            batch: args.batch.clone(),
            originals_only: false,
            grep: args
                .grep
                .as_deref()
                .map(str::to_lowercase)
                .filter(|g| !g.is_empty()),
        })
    }

    /// Whether any criterion beyond the count narrows the records.
    pub fn has_filters(&self) -> bool {
        self.originals_only || self.has_filters_besides_originals()
    }

    fn has_filters_besides_originals(&self) -> bool {
        self.since.is_some()
            || self.provider.is_some()
            || self.model.is_some()
            || !self.properties.is_empty()
            || self.status.is_some()
            || self.batch.is_some()
            || self.grep.is_some()
    }

    pub fn matches(&self, r: &Record) -> bool {
        if let Some(g) = &self.grep
            && !r.response.text.to_lowercase().contains(g.as_str())
            && !crate::wire::last_prompt(r.request.body.get())
                .to_lowercase()
                .contains(g.as_str())
        {
            return false;
        }
        self.matches_view(&View {
            provider: &r.provider,
            model: &r.model,
            ts: &r.ts,
            ok: is_ok(r),
            replay: r.replay_of.is_some(),
            batch: r.batch.as_deref(),
            headers: Headers::Parsed(&r.request.headers),
        })
    }

    fn matches_view(&self, r: &View<'_>) -> bool {
        if self.originals_only && r.replay {
            return false;
        }
        if self
            .provider
            .as_deref()
            .is_some_and(|p| !r.provider.eq_ignore_ascii_case(p))
        {
            return false;
        }
        if self.model.as_deref().is_some_and(|m| r.model != m) {
            return false;
        }
        if self.batch.as_deref().is_some_and(|b| r.batch != Some(b)) {
            return false;
        }
        if self
            .status
            .is_some_and(|status| r.ok != (status == StatusArg::Ok))
        {
            return false;
        }
        if let Some(since) = self.since {
            match humantime::parse_rfc3339_weak(r.ts) {
                Ok(t) if t >= since => {}
                _ => return false,
            }
        }
        if self.properties.is_empty() {
            return true;
        }
        let parsed;
        let headers = match &r.headers {
            Headers::Parsed(h) => *h,
            Headers::Raw(raw) => {
                parsed = raw
                    .and_then(|raw| serde_json::from_str::<HeaderList>(raw.get()).ok())
                    .unwrap_or_default();
                &parsed
            }
        };
        self.properties.iter().all(|(k, v)| {
            let name = format!("helicone-property-{k}");
            headers
                .0
                .iter()
                .any(|(n, val)| n.eq_ignore_ascii_case(&name) && val == v)
        })
    }

    /// Whether the probe surely lets `line` through, so parsing it twice
    /// (a long answer's line most of all) gains nothing: with no filter but
    /// "not a replay" (`replay --last N`), a line without a string
    /// `replay_of` as hcl writes it. The full parse checks again either way.
    fn probe_would_pass(&self, line: &[u8]) -> bool {
        self.originals_only
            && !self.has_filters_besides_originals()
            && memchr::memmem::find(line, b"\"replay_of\":\"").is_none()
    }

    /// Parse a log line only as far as the filters need, and in full only
    /// when it matches: `None` for a readable line that does not match.
    pub(crate) fn read(
        &self,
        line: &[u8],
        torn: bool,
    ) -> Option<std::result::Result<Record, String>> {
        if self.has_filters()
            && !self.probe_would_pass(line)
            && let Ok(p) = serde_json::from_slice::<Probe<'_>>(line)
            && p.v <= log::SCHEMA_VERSION
        {
            let view = View {
                provider: &p.provider,
                model: &p.model,
                ts: &p.ts,
                ok: p.error.is_none() && p.response.status.is_some_and(|s| (200..300).contains(&s)),
                replay: p.replay_of.is_some(),
                batch: p.batch.as_deref(),
                headers: Headers::Raw(p.request.headers),
            };
            if !self.matches_view(&view) {
                return None;
            }
        }
        match log::parse_or_reason(line, torn) {
            Ok(r) if !self.matches(&r) => None,
            other => Some(other),
        }
    }
}

/// Texts that a matching line must hold as written, found by a raw byte
/// search before any JSON is parsed: a filter that matches few records reads
/// most lines at memory speed. Only exact-match filters give one (model,
/// batch, property values: their JSON string as serde_json writes it); a
/// line with an escape that could spell them otherwise (`\u`, `\/`) is
/// always parsed, and so is a line that does not start like a record hcl
/// can read, so a newer schema's record or a torn line is still reported.
/// A corrupt line that cannot match is passed over without a warning.
pub(crate) struct Prefilter {
    needles: Vec<memchr::memmem::Finder<'static>>,
}

impl Prefilter {
    pub(crate) fn new(sel: &Selection) -> Prefilter {
        let exact = [sel.model.as_deref(), sel.batch.as_deref()];
        let texts = exact
            .into_iter()
            .flatten()
            .chain(sel.properties.iter().map(|(_, v)| v.as_str()));
        let needles = texts
            .filter_map(|t| {
                let quoted = serde_json::to_string(t).ok()?;
                // A text with quotes, backslashes or control characters may
                // be escaped in more than one way: no shortcut for it.
                (!quoted[1..quoted.len() - 1].contains('\\'))
                    .then(|| memchr::memmem::Finder::new(quoted.as_bytes()).into_owned())
            })
            .collect();
        Prefilter { needles }
    }

    /// Whether `line` surely does not match, without parsing it.
    pub(crate) fn rules_out(&self, line: &[u8], torn: bool) -> bool {
        if self.needles.is_empty() || torn || !readable_version(line) {
            return false;
        }
        self.needles.iter().any(|n| n.find(line).is_none())
            && memchr::memmem::find(line, b"\\u").is_none()
            && memchr::memmem::find(line, b"\\/").is_none()
    }
}

/// Whether a line starts as hcl writes a record of a schema it reads
/// (`{"v":N,` with N up to [`log::SCHEMA_VERSION`]) and ends as an object.
fn readable_version(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"{\"v\":") else {
        return false;
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 3 || rest.get(digits) != Some(&b',') || line.last() != Some(&b'}') {
        return false;
    }
    std::str::from_utf8(&rest[..digits])
        .ok()
        .and_then(|d| d.parse::<u32>().ok())
        .is_some_and(|v| v <= log::SCHEMA_VERSION)
}

/// The fields the filters look at.
struct View<'a> {
    provider: &'a str,
    model: &'a str,
    ts: &'a str,
    ok: bool,
    replay: bool,
    batch: Option<&'a str>,
    headers: Headers<'a>,
}

enum Headers<'a> {
    Parsed(&'a HeaderList),
    /// Parsed only when a property filter asks.
    Raw(Option<&'a RawValue>),
}

/// A log line as the filters see it: borrowed, nothing built that they skip.
#[derive(Deserialize)]
struct Probe<'a> {
    v: u32,
    #[serde(default, borrow)]
    ts: Cow<'a, str>,
    #[serde(default, borrow)]
    provider: Cow<'a, str>,
    #[serde(default, borrow)]
    model: Cow<'a, str>,
    #[serde(default, borrow)]
    request: ProbeRequest<'a>,
    #[serde(default)]
    response: ProbeResponse,
    #[serde(default)]
    error: Option<IgnoredAny>,
    #[serde(default)]
    replay_of: Option<IgnoredAny>,
    #[serde(default, borrow)]
    batch: Option<Cow<'a, str>>,
}

#[derive(Default, Deserialize)]
struct ProbeRequest<'a> {
    #[serde(default, borrow)]
    headers: Option<&'a RawValue>,
}

#[derive(Default, Deserialize)]
struct ProbeResponse {
    #[serde(default)]
    status: Option<u16>,
}

/// A 2xx answer and no error.
pub fn is_ok(r: &Record) -> bool {
    r.error.is_none() && r.response.status.is_some_and(|s| (200..300).contains(&s))
}

/// The selected records, oldest first (ids: in the order given), and the
/// lines that could not be read.
pub fn select(path: &Path, sel: &Selection) -> Result<(Vec<Record>, Vec<Skipped>)> {
    if !sel.ids.is_empty() {
        return select_ids(path, sel);
    }
    let mut skipped = Vec::new();
    let pre = Prefilter::new(sel);
    let read = |line: &[u8], torn: bool| {
        if pre.rules_out(line, torn) {
            None
        } else {
            sel.read(line, torn)
        }
    };
    let records = match sel.limit {
        Some(n) => {
            let mut newest = Vec::with_capacity(n.min(1024));
            let mut bad: Vec<(u64, String)> = Vec::new();
            log::scan_back(path, |offset, line, torn| {
                match read(line, torn) {
                    Some(Ok(r)) => newest.push(r),
                    Some(Err(reason)) => bad.push((offset, reason)),
                    None => {}
                }
                if newest.len() >= n {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })?;
            let offsets: Vec<u64> = bad.iter().map(|(o, _)| *o).collect();
            let lines = log::line_numbers(path, &offsets)?;
            for ((_, reason), line) in bad.into_iter().zip(lines).rev() {
                skipped.push(Skipped { line, reason });
            }
            newest.reverse();
            newest
        }
        None => {
            let mut all = Vec::new();
            log::scan(path, |n, line, torn| {
                match read(line, torn) {
                    Some(Ok(r)) => all.push(r),
                    Some(Err(reason)) => skipped.push(Skipped { line: n, reason }),
                    None => {}
                }
                ControlFlow::Continue(())
            })?;
            all
        }
    };
    Ok((records, skipped))
}

/// Ids resolve against the whole log (a prefix must be unique there); the
/// filters then narrow the result.
fn select_ids(path: &Path, sel: &Selection) -> Result<(Vec<Record>, Vec<Skipped>)> {
    let mut candidates = Vec::new();
    let mut skipped = Vec::new();
    log::scan(path, |n, line, torn| {
        match log::parse_or_reason(line, torn) {
            Ok(r) if sel.ids.iter().any(|p| r.id.starts_with(p.as_str())) => candidates.push(r),
            Ok(_) => {}
            Err(reason) => skipped.push(Skipped { line: n, reason }),
        }
        ControlFlow::Continue(())
    })?;
    let mut chosen: Vec<Record> = Vec::new();
    for prefix in &sel.ids {
        let r = log::find_by_prefix(&candidates, prefix)?;
        if !chosen.iter().any(|c| c.id == r.id) && sel.matches(r) {
            chosen.push(r.clone());
        }
    }
    if let Some(n) = sel.limit {
        let extra = chosen.len().saturating_sub(n);
        chosen.drain(..extra);
    }
    Ok((chosen, skipped))
}

/// One warning per unreadable line, naming it.
pub fn warn_skipped(path: &Path, skipped: &[Skipped], printer: &Printer) {
    for s in skipped {
        printer.warn(&format!(
            "{}:{}: skipped: {}",
            path.display(),
            s.line,
            s.reason
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_accepts_durations_times_and_dates() {
        let now = humantime::parse_rfc3339("2026-02-01T12:00:00Z").unwrap();
        assert_eq!(
            parse_since("2h", now).unwrap(),
            humantime::parse_rfc3339("2026-02-01T10:00:00Z").unwrap()
        );
        assert_eq!(
            parse_since("2026-01-31", now).unwrap(),
            humantime::parse_rfc3339("2026-01-31T00:00:00Z").unwrap()
        );
        assert_eq!(
            parse_since("2026-01-31T06:30:00Z", now).unwrap(),
            humantime::parse_rfc3339("2026-01-31T06:30:00Z").unwrap()
        );
        let e = parse_since("yesterday", now).unwrap_err().to_string();
        assert!(e.contains("--since") && e.contains("2h"), "{e}");
    }

    const LINE: &str = r#"{"v":2,"id":"a","ts":"2026-01-01T00:00:00.000Z","provider":"openai","model":"gpt-4o","stream":false,"request":{"method":"POST","url":"u","headers":{"Helicone-Property-env":"prod"},"body":{}},"latency_ms":1,"ttft_ms":null,"error":null,"replay_of":null}"#;

    fn model(m: &str) -> Selection {
        Selection {
            model: Some(m.into()),
            ..Selection::default()
        }
    }

    #[test]
    fn the_prefilter_rules_out_only_lines_that_cannot_match() {
        let line = LINE.as_bytes();
        assert!(Prefilter::new(&model("no-such-model")).rules_out(line, false));
        assert!(!Prefilter::new(&model("gpt-4o")).rules_out(line, false));
        // The model's whole JSON string, not a part of another one.
        assert!(Prefilter::new(&model("gpt-4")).rules_out(line, false));
        let prop = |v: &str| Selection {
            properties: vec![("env".into(), v.into())],
            ..Selection::default()
        };
        assert!(!Prefilter::new(&prop("prod")).rules_out(line, false));
        assert!(Prefilter::new(&prop("dev")).rules_out(line, false));
        // No exact filter, nothing ruled out; nor a text that escapes.
        assert!(!Prefilter::new(&Selection::default()).rules_out(line, false));
        assert!(!Prefilter::new(&model("a\"b")).rules_out(line, false));
        // What could spell the text otherwise, or must be reported, is parsed.
        let pre = Prefilter::new(&model("no-such-model"));
        let escaped = LINE.replace("gpt-4o", "gpt\\u002d4o");
        assert!(!pre.rules_out(escaped.as_bytes(), false));
        assert!(!pre.rules_out(LINE.replace("\"u\"", "\"\\/u\"").as_bytes(), false));
        assert!(!pre.rules_out(line, true), "a torn line is reported");
        let newer = LINE.replace("{\"v\":2,", "{\"v\":3,");
        assert!(
            !pre.rules_out(newer.as_bytes(), false),
            "a newer schema is reported"
        );
        assert!(
            !pre.rules_out(b"{\"v\":1, nope", false),
            "a corrupt line is reported"
        );
        assert!(pre.rules_out(LINE.replace("{\"v\":2,", "{\"v\":1,").as_bytes(), false));
    }

    #[test]
    fn originals_only_skips_the_probe_but_never_a_replay() {
        let sel = Selection {
            originals_only: true,
            ..Selection::default()
        };
        assert!(sel.probe_would_pass(LINE.as_bytes()));
        assert!(sel.read(LINE.as_bytes(), false).is_some());
        let replay = LINE.replace("\"replay_of\":null", "\"replay_of\":\"b\"");
        assert!(!sel.probe_would_pass(replay.as_bytes()));
        assert!(sel.read(replay.as_bytes(), false).is_none());
        // Spelt otherwise, the probe is skipped and the full reading decides.
        let spaced = LINE.replace("\"replay_of\":null", "\"replay_of\": \"b\"");
        assert!(sel.probe_would_pass(spaced.as_bytes()));
        assert!(sel.read(spaced.as_bytes(), false).is_none());
        // With another filter the probe runs.
        let both = Selection {
            model: Some("gpt-4o".into()),
            ..sel.clone()
        };
        assert!(!both.probe_would_pass(LINE.as_bytes()));
    }

    #[test]
    fn the_prefilter_agrees_with_the_filters() {
        for m in ["gpt-4o", "gpt-4", "no-such-model", "o"] {
            let sel = model(m);
            let ruled_out = Prefilter::new(&sel).rules_out(LINE.as_bytes(), false);
            let matches = sel.read(LINE.as_bytes(), false).is_some();
            assert!(!(ruled_out && matches), "{m}: ruled out a matching line");
        }
    }
}
