//! The batch progress bar on a terminal: stdout and stderr on one pty, and
//! the screen that is left must hold each result line whole, with no piece
//! of the bar in or between them.

#![cfg(unix)]

use std::time::Duration;

use rexpect::session::spawn_command;
use serde_json::Value;

use crate::support::hcl::Hcl;
use crate::support::{FakeGateway, Script, ok_script};

/// What a terminal shows after `raw`: printable text placed at the cursor,
/// `\r`, `\n`, cursor up (`ESC [ n A`), erase line (`ESC [ 2K`, `ESC [ K`);
/// other escape sequences (cursor visibility, colour) change no text.
fn screen(raw: &str) -> Vec<String> {
    let mut rows: Vec<Vec<char>> = vec![Vec::new()];
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => col = 0,
            '\n' => {
                row += 1;
                col = 0;
                if rows.len() <= row {
                    rows.push(Vec::new());
                }
            }
            '\x1b' => {
                if chars.peek() != Some(&'[') {
                    chars.next();
                    continue;
                }
                chars.next();
                let mut params = String::new();
                let mut fin = ' ';
                for p in chars.by_ref() {
                    if p.is_ascii_alphabetic() || p == '~' {
                        fin = p;
                        break;
                    }
                    params.push(p);
                }
                let n: usize = params.parse().unwrap_or(1);
                match (fin, params.as_str()) {
                    ('A', _) => row = row.saturating_sub(n),
                    ('K', "2") => rows[row].clear(),
                    ('K', "" | "0") => rows[row].truncate(col),
                    ('G', _) => col = n.saturating_sub(1),
                    _ => {}
                }
            }
            c if !c.is_control() => {
                let line = &mut rows[row];
                while line.len() < col {
                    line.push(' ');
                }
                if col < line.len() {
                    line[col] = c;
                } else {
                    line.push(c);
                }
                col += 1;
            }
            _ => {}
        }
    }
    rows.into_iter()
        .map(|r| r.into_iter().collect::<String>().trim_end().to_string())
        .collect()
}

#[test]
fn the_screen_model_erases_what_the_bar_erases() {
    let raw = "00:00 [=> ] 1/3\r\x1b[2K{\"a\":1}\r\n\x1b[?25l00:00 [==>] 2/3\r\x1b[2K";
    assert_eq!(screen(raw), vec!["{\"a\":1}", ""]);
    // A result printed after the bar without clearing it stays glued to it.
    assert_eq!(
        screen("00:00 [=> ] 1/3{\"a\":1}\r\n"),
        vec!["00:00 [=> ] 1/3{\"a\":1}", ""]
    );
}

#[test]
fn the_batch_progress_bar_leaves_nothing_between_results() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let n = 6;
    for i in 1..=n {
        // Slow answers: the bar (10 redraws a second) draws between results.
        gw.push_script(Script::DelayThen(
            Duration::from_millis(250),
            Box::new(ok_script(&format!("answer {i}"))),
        ));
    }
    let input = hcl.dir.path().join("in.jsonl");
    let lines: Vec<String> = (1..=n)
        .map(|i| format!(r#"{{"id":"q{i}","prompt":"question {i}"}}"#))
        .collect();
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();

    let mut cmd = hcl.std_cmd();
    cmd.env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .args(["chat", "--batch"])
        .arg(&input)
        .args(["-j", "1"]);
    let mut p = spawn_command(cmd, Some(30_000)).unwrap();
    let raw = p.exp_eof().unwrap();
    assert!(
        raw.contains("1/6") || raw.contains("2/6"),
        "the bar was never drawn, so this test shows nothing: {raw:?}"
    );

    let rows = screen(&raw);
    let results: Vec<&String> = rows.iter().filter(|r| r.contains("\"line\"")).collect();
    assert_eq!(
        results.len(),
        n,
        "one row per result: {rows:#?}\nraw: {raw:?}"
    );
    for (i, row) in results.iter().enumerate() {
        let v: Value = serde_json::from_str(row).unwrap_or_else(|e| {
            panic!("result row {i} is not whole JSON ({e}): {row:?}\nraw: {raw:?}")
        });
        assert_eq!(v["line"], i + 1);
        assert_eq!(v["text"], format!("answer {}", i + 1));
    }
    // The results come first, one after another, and the bar is gone.
    for (i, row) in rows.iter().take(n).enumerate() {
        assert!(
            row.starts_with("{\"line\""),
            "row {i} is not a result: {rows:#?}"
        );
    }
    assert!(
        !rows.iter().any(|r| r.contains("/6")),
        "a piece of the bar is left on the screen: {rows:#?}\nraw: {raw:?}"
    );
}
