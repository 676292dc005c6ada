//! What goes in as content: the prompt's words, piped stdin and `--file`s,
//! joined in one documented layout.
//!
//! The layout (the one `codex exec` uses for piped text):
//!
//! ```text
//! PROMPT WORDS
//!
//! <stdin>
//! PIPED TEXT
//! </stdin>
//!
//! <file name="notes.txt">
//! FILE TEXT
//! </file>
//! ```
//!
//! The instruction leads and every piece of data is fenced, so the model
//! sees where the piped text ends and the instruction starts, in every wire
//! format alike. A `-` word is replaced by stdin in place instead (no block);
//! with no words, stdin is the prompt. Empty (or blank) stdin adds nothing.
//! Text files follow in command-line order; images and PDFs become the
//! format's own parts (see [`crate::wire::attach`]), sent before the text.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::log::AttachedFile;
use crate::output::Printer;
use crate::wire::attach::{self, MAX_FILE_BYTES};
use crate::wire::{Attachment, MediaType, Message, Role};

/// The content of one user turn: its text, its images and PDFs, and the
/// record of every file it attached.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prompt {
    pub text: String,
    pub attachments: Vec<Attachment>,
    pub files: Vec<AttachedFile>,
}

impl Prompt {
    /// The user message this prompt is.
    pub fn message(&self) -> Message {
        Message {
            role: Role::User,
            content: self.text.clone(),
            attachments: self.attachments.clone(),
        }
    }

    /// Nothing to send: no text and no attachment.
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.attachments.is_empty()
    }

    /// Add a file: text as a block after the text so far, an image or a PDF
    /// as an attachment.
    pub fn attach(&mut self, file: FileInput) {
        match file.content {
            FileContent::Text(text) if file.record.name == "-" => {
                push_block(&mut self.text, "<stdin>", &text, "</stdin>");
            }
            FileContent::Text(text) => {
                let open = format!(
                    "<file name=\"{}\">",
                    file.record.name.replace('"', "&quot;")
                );
                push_block(&mut self.text, &open, &text, "</file>");
            }
            FileContent::Attachment(a) => self.attachments.push(a),
        }
        self.files.push(file.record);
    }
}

/// The prompt text from the words and what was piped, in the layout above:
/// a `-` word stands for `stdin`; otherwise non-blank `stdin` follows the
/// words in a `<stdin>` block (and is the whole prompt when there are no
/// words). Templates and the editor start from this text too.
pub fn compose(words: &[String], stdin: Option<&str>) -> String {
    let stdin = stdin.unwrap_or("");
    if words.is_empty() {
        return stdin.trim_end_matches(['\n', '\r']).to_string();
    }
    if words.iter().any(|w| w == "-") {
        let piped = stdin.trim_end_matches(['\n', '\r']);
        return words
            .iter()
            .map(|w| if w == "-" { piped } else { w.as_str() })
            .collect::<Vec<_>>()
            .join(" ");
    }
    let mut text = words.join(" ");
    if !stdin.trim().is_empty() {
        push_block(&mut text, "<stdin>", stdin, "</stdin>");
    }
    text
}

/// `text`, a blank line (unless `text` is empty), `open`, `body` ending in
/// a newline, `close`.
fn push_block(text: &mut String, open: &str, body: &str, close: &str) {
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(open);
    text.push('\n');
    text.push_str(body);
    if !body.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(close);
}

/// One turn's content for `hcl chat` and `hcl stream`: the words, stdin
/// (when it is piped, or a word is `-`) and the `--file`s. Empty content is
/// refused unless `allow_empty` (it starts the editor, or fills a template).
pub fn read(
    words: &[String],
    files: &[PathBuf],
    allow_empty: bool,
    printer: &Printer,
) -> Result<Prompt> {
    let file_stdin = files.iter().filter(|f| f.as_os_str() == "-").count();
    let word_stdin = words.iter().any(|w| w == "-");
    if file_stdin > 1 || (file_stdin == 1 && word_stdin) {
        return Err(Error::usage(
            "stdin can be read only once: give either a - prompt word or one --file -",
        ));
    }
    let stdin = std::io::stdin();
    let piped = if file_stdin == 1 {
        if stdin.is_terminal() {
            return Err(Error::usage(
                "--file - reads the file from stdin, which is the terminal here; pipe it in: hcl chat -f - \"…\" < FILE",
            ));
        }
        None
    } else if word_stdin || (words.is_empty() && files.is_empty()) {
        if stdin.is_terminal() {
            if words.is_empty() {
                return Err(Error::usage(
                    "no prompt: give one as an argument (hcl chat \"…\") or pipe it on stdin",
                ));
            }
            printer.note("reading the prompt for '-' from the terminal; end it with Ctrl-D");
        }
        Some(stdin_text(&read_stdin()?)?)
    } else if is_piped(&stdin) {
        Some(stdin_text(&read_stdin()?)?)
    } else {
        None
    };
    let mut prompt = Prompt {
        text: compose(words, piped.as_deref()),
        ..Prompt::default()
    };
    for path in files {
        let file = if path.as_os_str() == "-" {
            let bytes = read_stdin()?;
            classify("-", bytes)
        } else {
            read_file(path)
        };
        prompt.attach(file.map_err(Error::usage)?);
    }
    if prompt.is_empty() && !allow_empty {
        return Err(Error::usage("the prompt is empty; give some text to send"));
    }
    Ok(prompt)
}

/// Whether stdin was redirected from something that ends: a pipe, a file
/// or a socket. A terminal is not, and neither is another character device
/// (`/dev/null` holds nothing; `/dev/zero` would never end).
fn is_piped(stdin: &std::io::Stdin) -> bool {
    if stdin.is_terminal() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::FileTypeExt;
        let Ok(fd) = stdin.as_fd().try_clone_to_owned() else {
            return true;
        };
        match std::fs::File::from(fd).metadata() {
            Ok(m) => !m.file_type().is_char_device(),
            Err(_) => true,
        }
    }
    #[cfg(not(unix))]
    true
}

fn read_stdin() -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut buf)
        .map_err(|e| Error::usage(format!("cannot read stdin: {e}")))?;
    Ok(buf)
}

/// Piped bytes as prompt text; binary data is refused, naming `--file -`.
fn stdin_text(bytes: &[u8]) -> Result<String> {
    match text_of(bytes) {
        Ok(t) => Ok(t.to_string()),
        Err(what) => Err(Error::usage(format!(
            "stdin holds {what}, not text; attach it with --file - instead: hcl chat -f - \"Describe this\" < FILE"
        ))),
    }
}

/// The text of `bytes` (a UTF-8 byte-order mark dropped), or what they are
/// when they are not text: "a PNG image", "application/zip data".
fn text_of(bytes: &[u8]) -> std::result::Result<&str, String> {
    if let Some(kind) = infer::get(bytes)
        && kind.matcher_type() != infer::MatcherType::Text
    {
        return Err(MediaType::from_mime(kind.mime_type()).map_or_else(
            || format!("{} data", kind.mime_type()),
            MediaType::described,
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) if !t.contains('\0') => Ok(t),
        Ok(_) => Err("binary data (NUL bytes)".to_string()),
        Err(e) => Err(format!(
            "binary data (not UTF-8 at byte {})",
            e.valid_up_to()
        )),
    }
}

/// A file given with `--file`, read and typed.
#[derive(Debug, Clone, PartialEq)]
pub struct FileInput {
    pub content: FileContent,
    pub record: AttachedFile,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FileContent {
    /// Sent inline, marked with its name.
    Text(String),
    /// An image or a PDF, sent as the format's own part.
    Attachment(Attachment),
}

/// Read `path` for `--file`. The error says what is wrong with it: missing,
/// a directory, unreadable, too large, or of a type hcl does not attach.
pub fn read_file(path: &Path) -> std::result::Result<FileInput, String> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read --file {name}: {e}"))?;
    if meta.is_dir() {
        return Err(format!(
            "--file {name} is a directory; attach its files one by one (-f DIR/a.txt -f DIR/b.png)"
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(&name, meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read --file {name}: {e}"))?;
    classify(&name, bytes)
}

fn too_large(name: &str, size: u64) -> String {
    format!(
        "--file {name} is {}; hcl attaches files up to {} (no provider takes more inline)",
        attach::human_size(size),
        attach::human_size(MAX_FILE_BYTES)
    )
}

/// Type a file by its content (never only its name): PNG, JPEG, WebP, GIF
/// and PDF by their magic bytes; text when it is UTF-8 without NUL bytes.
pub fn classify(name: &str, bytes: Vec<u8>) -> std::result::Result<FileInput, String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(name, bytes.len() as u64));
    }
    let record = |media_type: &str| AttachedFile {
        name: name.to_string(),
        size: bytes.len() as u64,
        sha256: hex(&Sha256::digest(&bytes)),
        media_type: media_type.to_string(),
    };
    if let Some(media_type) = infer::get(&bytes).and_then(|k| MediaType::from_mime(k.mime_type())) {
        let record = record(media_type.mime());
        return Ok(FileInput {
            content: FileContent::Attachment(Attachment::from_bytes(
                media_type,
                &bytes,
                Some(name.to_string()),
            )),
            record,
        });
    }
    match text_of(&bytes) {
        Ok(text) => Ok(FileInput {
            content: FileContent::Text(text.to_string()),
            record: record("text/plain"),
        }),
        Err(what) => Err(format!(
            "--file {name} holds {what}; hcl attaches text files (inline), PNG, JPEG, WebP and GIF images, and PDF documents"
        )),
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_layout() {
        assert_eq!(
            compose(&words(&["Summarize", "this"]), Some("line 1\nline 2\n")),
            "Summarize this\n\n<stdin>\nline 1\nline 2\n</stdin>"
        );
        assert_eq!(
            compose(&words(&["Summarize"]), Some("no newline")),
            "Summarize\n\n<stdin>\nno newline\n</stdin>"
        );
        assert_eq!(compose(&words(&["Hi"]), Some(" \n")), "Hi");
        assert_eq!(compose(&words(&["Hi"]), None), "Hi");
        assert_eq!(compose(&words(&["a", "-", "b"]), Some("X\n")), "a X b");
        assert_eq!(compose(&[], Some("whole\n")), "whole");
    }

    #[test]
    fn files_are_typed_by_content() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let f = classify("looks.txt", png).unwrap();
        assert_eq!(f.record.media_type, "image/png");
        assert!(
            matches!(f.content, FileContent::Attachment(ref a) if a.media_type == MediaType::Png)
        );
        let f = classify("notes.png", b"\xEF\xBB\xBFplain text\n".to_vec()).unwrap();
        assert_eq!(f.content, FileContent::Text("plain text\n".into()));
        assert_eq!(f.record.size, 14);
        assert_eq!(f.record.sha256.len(), 64);
        let err = classify("a.zip", b"PK\x03\x04rest".to_vec()).unwrap_err();
        assert!(err.contains("application/zip"), "{err}");
        let err = classify("b.bin", vec![0, 159, 146, 150]).unwrap_err();
        assert!(err.contains("binary data"), "{err}");
    }

    #[test]
    fn text_files_are_blocks_after_the_text() {
        let mut p = Prompt {
            text: "Compare".into(),
            ..Default::default()
        };
        p.attach(classify("a \"q\".txt", b"one".to_vec()).unwrap());
        p.attach(classify("-", b"two\n".to_vec()).unwrap());
        assert_eq!(
            p.text,
            "Compare\n\n<file name=\"a &quot;q&quot;.txt\">\none\n</file>\n\n<stdin>\ntwo\n</stdin>"
        );
        assert_eq!(p.files.len(), 2);
    }
}
