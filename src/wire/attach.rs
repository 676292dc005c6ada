//! Attachments: images and PDFs carried in a message as each format's own
//! parts (OpenAI `image_url` / `file`, Anthropic `image` / `document`,
//! Gemini `inlineData`), kept format-neutral here so that a conversation
//! moves between providers. What each format takes, and how large, is its
//! [`Limits`], defined beside its body in its own module.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The kinds of file hcl sends as native parts. Text files go inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    Png,
    Jpeg,
    Webp,
    Gif,
    Pdf,
}

impl MediaType {
    pub const ALL: [MediaType; 5] = [
        MediaType::Png,
        MediaType::Jpeg,
        MediaType::Webp,
        MediaType::Gif,
        MediaType::Pdf,
    ];

    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Webp => "image/webp",
            MediaType::Gif => "image/gif",
            MediaType::Pdf => "application/pdf",
        }
    }

    /// The media type of a MIME type, as a body or a sniffer names it.
    pub fn from_mime(mime: &str) -> Option<MediaType> {
        let mime = mime.trim().to_ascii_lowercase();
        let mime = if mime == "image/jpg" {
            "image/jpeg"
        } else {
            &mime
        };
        Self::ALL.into_iter().find(|m| m.mime() == mime)
    }

    pub fn is_image(self) -> bool {
        self != MediaType::Pdf
    }

    /// For messages: "PNG".
    pub fn label(self) -> &'static str {
        match self {
            MediaType::Png => "PNG",
            MediaType::Jpeg => "JPEG",
            MediaType::Webp => "WebP",
            MediaType::Gif => "GIF",
            MediaType::Pdf => "PDF",
        }
    }

    /// "a PNG image", "a PDF document".
    pub fn described(self) -> String {
        if self.is_image() {
            format!("a {} image", self.label())
        } else {
            format!("a {} document", self.label())
        }
    }
}

/// An image or a PDF in a message: its type and its bytes as standard,
/// padded base64 (the text every format carries; shared, so histories clone
/// cheaply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub media_type: MediaType,
    pub data: Arc<str>,
    /// The file name, where one is known: sent where the format has a place
    /// for it (OpenAI's `file.filename`) and named in messages.
    pub name: Option<String>,
}

impl Attachment {
    pub fn from_bytes(media_type: MediaType, bytes: &[u8], name: Option<String>) -> Attachment {
        Attachment {
            media_type,
            data: STANDARD.encode(bytes).into(),
            name,
        }
    }

    /// From base64 read back out of a logged body; `None` when it is not
    /// base64.
    pub fn from_base64(media_type: MediaType, data: &str, name: Option<String>) -> Option<Self> {
        let data = data.trim();
        (data.len().is_multiple_of(4)
            && data
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')))
        .then(|| Attachment {
            media_type,
            data: data.into(),
            name,
        })
    }

    /// The size of the file, from the length of its base64.
    pub fn size(&self) -> u64 {
        let len = self.data.len() as u64;
        let pad = self.data.bytes().rev().take_while(|b| *b == b'=').count() as u64;
        (len / 4 * 3).saturating_sub(pad)
    }

    /// The size of the base64 text the body carries.
    pub fn encoded_size(&self) -> u64 {
        self.data.len() as u64
    }

    /// `data:image/png;base64,…`, written without building the string.
    pub fn data_uri(&self) -> DataUri<'_> {
        DataUri(self)
    }

    /// The name to show in messages.
    fn what(&self, message: usize) -> String {
        match &self.name {
            Some(n) => format!("{n} ({})", self.media_type.described()),
            None => format!(
                "{} in message {message} of the history",
                self.media_type.described()
            ),
        }
    }
}

/// A `data:` URI, displayed straight into a serializer.
#[derive(Debug)]
pub struct DataUri<'a>(&'a Attachment);

impl fmt::Display for DataUri<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "data:{};base64,{}",
            self.0.media_type.mime(),
            self.0.data
        )
    }
}

impl serde::Serialize for DataUri<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `(media type, base64)` of a `data:` URI; `None` for anything else (an
/// `https://` URL).
pub fn parse_data_uri(uri: &str) -> Option<(&str, &str)> {
    let rest = uri.strip_prefix("data:")?;
    let (head, data) = rest.split_once(',')?;
    let mime = head.strip_suffix(";base64")?;
    Some((mime, data))
}

/// How a format measures an attachment against its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// The file's own bytes.
    File,
    /// The base64 text the body carries (4 bytes for every 3 of the file).
    Base64,
}

/// What a format (or a provider row stricter than its format) takes as
/// attachments, checked before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The media types it takes.
    pub types: &'static [MediaType],
    pub measure: Measure,
    /// The largest image.
    pub image: u64,
    /// The largest PDF.
    pub document: u64,
    /// Every image of one request together.
    pub images: u64,
    /// Every PDF of one request together.
    pub documents: u64,
    /// Every attachment of one request together.
    pub total: u64,
    /// The most images in one request.
    pub max_images: usize,
}

/// The largest file hcl reads for `--file`: no format takes more inline.
pub const MAX_FILE_BYTES: u64 = 100 * MIB;

pub const MIB: u64 = 1024 * 1024;

/// A size for messages: "812 bytes", "3.4 MiB".
pub fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes < MIB {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
    .replace(".0 ", " ")
}

impl Limits {
    /// "PNG, JPEG, WebP and GIF images and PDF documents".
    pub fn types_text(&self) -> String {
        let images: Vec<&str> = self
            .types
            .iter()
            .filter(|t| t.is_image())
            .map(|t| t.label())
            .collect();
        let mut out = String::new();
        if !images.is_empty() {
            out.push_str(&and_list(&images));
            out.push_str(" images");
        }
        if self.types.contains(&MediaType::Pdf) {
            if !out.is_empty() {
                out.push_str(" and ");
            }
            out.push_str("PDF documents");
        }
        if out.is_empty() {
            out.push_str("no attachments");
        }
        out
    }

    fn measured(&self, a: &Attachment) -> u64 {
        match self.measure {
            Measure::File => a.size(),
            Measure::Base64 => a.encoded_size(),
        }
    }

    fn limit_text(&self, limit: u64) -> String {
        match self.measure {
            Measure::File => human_size(limit),
            Measure::Base64 => format!(
                "{} as base64 (a file of about {})",
                human_size(limit),
                human_size(limit / 4 * 3)
            ),
        }
    }

    fn size_text(&self, bytes: u64) -> String {
        match self.measure {
            Measure::File => human_size(bytes),
            Measure::Base64 => format!("{} as base64", human_size(bytes)),
        }
    }

    /// Whether every attachment of `input` may go to `who` (a provider
    /// name): the first one that may not, and why.
    pub fn check(&self, who: &str, input: &super::ChatInput) -> Result<(), String> {
        let (mut images, mut documents, mut count) = (0u64, 0u64, 0usize);
        for (i, m) in input.messages.iter().enumerate() {
            for a in &m.attachments {
                let what = a.what(i + 1);
                if !self.types.contains(&a.media_type) {
                    return Err(format!(
                        "{what} cannot go to {who}: it takes {}",
                        self.types_text()
                    ));
                }
                let size = self.measured(a);
                let (each, kind) = if a.media_type.is_image() {
                    images += size;
                    count += 1;
                    (self.image, "images")
                } else {
                    documents += size;
                    (self.document, "PDFs")
                };
                if size > each {
                    return Err(format!(
                        "{what} is {}; {who} takes {kind} up to {}",
                        self.size_text(size),
                        self.limit_text(each)
                    ));
                }
            }
        }
        if count > self.max_images {
            return Err(format!(
                "the request holds {count} images; {who} takes at most {} in one request",
                self.max_images
            ));
        }
        for (total, limit, kind) in [
            (images, self.images, "images"),
            (documents, self.documents, "PDFs"),
            (images + documents, self.total, "attachments"),
        ] {
            if total > limit {
                return Err(format!(
                    "the {kind} of the request come to {}; {who} takes up to {} of {kind} in one request",
                    self.size_text(total),
                    self.limit_text(limit)
                ));
            }
        }
        Ok(())
    }
}

/// "a, b and c".
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{ChatInput, Message, Role};

    const LIMITS: Limits = Limits {
        types: &[MediaType::Png, MediaType::Pdf],
        measure: Measure::Base64,
        image: 8,
        document: 100,
        images: 12,
        documents: 100,
        total: 100,
        max_images: 2,
    };

    fn with(attachments: Vec<Attachment>) -> ChatInput {
        ChatInput {
            messages: vec![Message {
                role: Role::User,
                content: "x".into(),
                attachments,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn sizes_and_data_uris() {
        let a = Attachment::from_bytes(MediaType::Png, b"hello", Some("h.png".into()));
        assert_eq!(&*a.data, "aGVsbG8=");
        assert_eq!((a.size(), a.encoded_size()), (5, 8));
        assert_eq!(a.data_uri().to_string(), "data:image/png;base64,aGVsbG8=");
        assert_eq!(
            parse_data_uri("data:image/png;base64,aGVsbG8="),
            Some(("image/png", "aGVsbG8="))
        );
        assert_eq!(parse_data_uri("https://example.com/a.png"), None);
        assert!(Attachment::from_base64(MediaType::Png, "not base64!", None).is_none());
        assert_eq!(MediaType::from_mime("image/JPG"), Some(MediaType::Jpeg));
        assert_eq!(human_size(3 * MIB), "3 MiB");
        assert_eq!(human_size(1536), "1.5 KiB");
    }

    #[test]
    fn limits_name_the_first_problem() {
        let png = |n: &[u8]| Attachment::from_bytes(MediaType::Png, n, Some("a.png".into()));
        assert_eq!(LIMITS.check("p", &with(vec![png(b"hello")])), Ok(()));
        let gif = Attachment::from_bytes(MediaType::Gif, b"x", None);
        let err = LIMITS.check("p", &with(vec![gif])).unwrap_err();
        assert_eq!(
            err,
            "a GIF image in message 1 of the history cannot go to p: it takes PNG images and PDF documents"
        );
        let err = LIMITS.check("p", &with(vec![png(b"hello!!")])).unwrap_err();
        assert!(
            err.starts_with(
                "a.png (a PNG image) is 12 bytes as base64; p takes images up to 8 bytes"
            ),
            "{err}"
        );
        let err = LIMITS
            .check("p", &with(vec![png(b"a"), png(b"b"), png(b"c")]))
            .unwrap_err();
        assert!(err.contains("3 images"), "{err}");
        let err = LIMITS
            .check("p", &with(vec![png(b"hello"), png(b"hello")]))
            .unwrap_err();
        assert!(
            err.starts_with("the images of the request come to 16 bytes"),
            "{err}"
        );
    }
}
