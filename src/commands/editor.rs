//! `$VISUAL` / `$EDITOR`, chosen by git's rules: VISUAL unless the terminal
//! is dumb, then EDITOR, then `vi`. The command is split the way a shell
//! splits words (`EDITOR="code -w"` works), and the file is added as its
//! last argument.

use std::io::IsTerminal;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::error::{Error, Result};
use crate::settings::Env;

/// The editor command and the variable it came from.
pub fn editor(env: Env<'_>) -> Result<(Vec<String>, &'static str)> {
    let set = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    let dumb = env("TERM").is_none_or(|t| t == "dumb");
    let (raw, from) = match (set("VISUAL").filter(|_| !dumb), set("EDITOR")) {
        (Some(v), _) => (v, "VISUAL"),
        (None, Some(e)) => (e, "EDITOR"),
        (None, None) => ("vi".to_string(), "the default"),
    };
    let words = shell_words::split(&raw).map_err(|e| {
        Error::usage(format!(
            "cannot read the editor command '{raw}' ({from}): {e}; fix the quoting"
        ))
    })?;
    if words.is_empty() {
        return Err(Error::usage(format!(
            "the editor command ({from}) is empty"
        )));
    }
    Ok((words, from))
}

/// Open `path` in the editor and wait for it to close.
pub fn edit_file(path: &Path, env: Env<'_>) -> Result<()> {
    let (words, from) = editor(env)?;
    let mut cmd = Command::new(&words[0]);
    cmd.args(&words[1..]).arg(path);
    // With stdin piped (and read), the editor still needs the terminal.
    if !std::io::stdin().is_terminal() {
        cmd.stdin(tty().unwrap_or_else(Stdio::null));
    }
    let status = cmd.status().map_err(|e| {
        Error::usage(format!(
            "cannot start the editor '{}' (from {from}): {e}; set VISUAL or EDITOR",
            words[0]
        ))
    })?;
    if !status.success() {
        return Err(Error::usage(format!(
            "the editor '{}' exited with {status}; nothing was sent",
            words.join(" ")
        )));
    }
    Ok(())
}

#[cfg(unix)]
fn tty() -> Option<Stdio> {
    std::fs::File::open("/dev/tty").ok().map(Stdio::from)
}

#[cfg(not(unix))]
fn tty() -> Option<Stdio> {
    None
}

/// Let the user write a text in the editor, starting from `initial`; the
/// file is private (0600) and removed afterwards. Trailing whitespace is
/// trimmed; `None` when the text saved is empty (a cancel).
pub fn edit_text(initial: &str, env: Env<'_>) -> Result<Option<String>> {
    let path = std::env::temp_dir().join(format!("hcl-prompt-{}.md", uuid::Uuid::new_v4()));
    write_new_private(&path, initial)?;
    let result = edit_file(&path, env).and_then(|()| {
        std::fs::read_to_string(&path)
            .map_err(|e| Error::io(format!("cannot read back {}", path.display()), e))
    });
    let _ = std::fs::remove_file(&path);
    let text = result?;
    let text = text.trim_end();
    Ok((!text.trim().is_empty()).then(|| text.to_string()))
}

fn write_new_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let fail = |e| Error::io(format!("cannot write {}", path.display()), e);
    let mut f = opts.open(path).map_err(fail)?;
    f.write_all(text.as_bytes()).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::env_of;

    #[test]
    fn git_rules_pick_the_editor() {
        let pick = |pairs: &'static [(&'static str, &'static str)]| {
            let env = env_of(pairs);
            editor(&env).map(|(w, from)| (w.join("|"), from))
        };
        assert_eq!(
            pick(&[("VISUAL", "nano"), ("EDITOR", "vim"), ("TERM", "xterm")]).unwrap(),
            ("nano".into(), "VISUAL")
        );
        assert_eq!(
            pick(&[("VISUAL", "nano"), ("EDITOR", "vim"), ("TERM", "dumb")]).unwrap(),
            ("vim".into(), "EDITOR")
        );
        assert_eq!(
            pick(&[("EDITOR", "code -w 'my dir/x'")]).unwrap(),
            ("code|-w|my dir/x".into(), "EDITOR")
        );
        assert_eq!(pick(&[]).unwrap(), ("vi".into(), "the default"));
        assert!(pick(&[("EDITOR", "vim 'unclosed")]).is_err());
    }
}
