//! `--shard K/N`: a stable partition of a batch's lines (or a replay's
//! records) into N shards, so that N CI runners each take one.
//!
//! The key of a batch line is its `id` when it has one (a string's text, a
//! number as serde_json writes it back: `7` is "7", `1e2` is "100.0"), else the line itself without its line ending and
//! surrounding whitespace. The key of a logged record (`replay --shard`)
//! is the record's id. A key's
//! shard is the first 8 bytes of its SHA-256, read as a big-endian
//! integer, modulo N, plus 1. SHA-256 is the same on every machine and in
//! every version of hcl, so a line stays in its shard from run to run, and
//! every line lands in exactly one shard.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Shard `k` of `n` (1 ≤ k ≤ n).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: u32,
    pub n: u32,
}

const FORM: &str = "give the shard as K/N with 1 ≤ K ≤ N, e.g. --shard 2/4";

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = |why: &str| format!("{why}; {FORM}");
        let (k, n) = s
            .trim()
            .split_once('/')
            .ok_or_else(|| bad("no '/' between K and N"))?;
        let k: u32 = k
            .trim()
            .parse()
            .map_err(|_| bad("K is not a whole number"))?;
        let n: u32 = n
            .trim()
            .parse()
            .map_err(|_| bad("N is not a whole number"))?;
        if n == 0 {
            return Err(bad("N is 0"));
        }
        if k == 0 || k > n {
            return Err(bad(&format!("K is {k}, outside 1 to {n}")));
        }
        Ok(Shard { k, n })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl Shard {
    /// The shard (1-based) that `key` belongs to, of `n`.
    pub fn of_key(key: &[u8], n: u32) -> u32 {
        let digest = Sha256::digest(key);
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        (u64::from_be_bytes(first) % u64::from(n.max(1))) as u32 + 1
    }

    /// Whether `key` is in this shard.
    pub fn holds(&self, key: &[u8]) -> bool {
        Shard::of_key(key, self.n) == self.k
    }

    /// Whether a batch line is in this shard: by its id, else by its text.
    pub fn holds_line(&self, id: Option<&Value>, line: &[u8]) -> bool {
        match id {
            Some(id) => self.holds(id_key(id).as_bytes()),
            None => self.holds(line_key(line)),
        }
    }
}

/// The key of a logged record for `replay --shard`: its batch line's id
/// when it has one, so a record replays in the shard that sent it, else
/// the record's own id.
pub fn record_key(record: &crate::log::Record) -> std::borrow::Cow<'_, [u8]> {
    match record.line.as_ref().and_then(|l| l.id.as_ref()) {
        Some(id) => std::borrow::Cow::Owned(id_key(id).into_bytes()),
        None => std::borrow::Cow::Borrowed(record.id.as_bytes()),
    }
}

/// The key of a line's id: a string's text, or a number as JSON writes it.
pub fn id_key(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The key of a line without an id: its bytes without the line ending and
/// the whitespace around them.
pub fn line_key(line: &[u8]) -> &[u8] {
    line.trim_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { k: 2, n: 4 }));
        assert_eq!("1/1".parse::<Shard>(), Ok(Shard { k: 1, n: 1 }));
        for bad in ["0/4", "5/4", "a/b", "1/0", "3", "", "-1/4", "1/4/2"] {
            let e = bad.parse::<Shard>().unwrap_err();
            assert!(e.contains("K/N with 1 ≤ K ≤ N"), "{bad}: {e}");
            assert!(!e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn the_partition_is_fixed() {
        // SHA-256("a") begins ca978112ca1bbdca; that mod 4 is 2, so shard 3.
        assert_eq!(Shard::of_key(b"a", 4), 3);
        assert_eq!(Shard::of_key(b"a", 1), 1);
        // Each key lands in exactly one shard.
        for i in 0..200 {
            let key = format!("line {i}");
            let owners = (1..=4)
                .filter(|&k| Shard { k, n: 4 }.holds(key.as_bytes()))
                .count();
            assert_eq!(owners, 1);
        }
    }

    #[test]
    fn ids_and_lines() {
        let s = Shard { k: 1, n: 1 };
        assert!(s.holds_line(Some(&Value::from(7)), b"x"));
        assert_eq!(id_key(&Value::from(7)), "7");
        assert_eq!(id_key(&Value::from("q1")), "q1");
        assert_eq!(line_key(b"  hello \r\n"), b"hello");
    }
}
