//! Named profiles of a shared credentials file in INI format (AWS's
//! `~/.aws/credentials`): `[NAME]` sections of `key = value` lines. The
//! provider table says which file, which variable names the profile and
//! which keys a row reads; this module only reads the file. Parsing is
//! `configparser`'s, case-sensitive as AWS's own tools are.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The largest credentials file read: a file of thousands of profiles is
/// well under it; anything bigger is not a credentials file.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// What reading one profile found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// The profile's keys and values (keys without a value are left out).
    Found(HashMap<String, String>),
    /// There is no file at the path.
    NoFile,
    /// The file has no section of that name; the names it has, sorted.
    NoProfile(Vec<String>),
}

/// Read profile `name` from the file at `path`. An unreadable or malformed
/// file is an error naming it and, where the parser says, the line.
pub fn read(path: &Path, name: &str) -> Result<Read, String> {
    let text = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Read::NoFile),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            return Err(format!(
                "{} is larger than {} MiB; it is not a credentials file",
                path.display(),
                MAX_FILE_BYTES / (1024 * 1024)
            ));
        }
        Ok(_) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
    };
    parse(&text, name).map_err(|e| format!("{} is not a valid INI file: {e}", path.display()))
}

/// Profile `name` of the INI text `text`.
pub fn parse(text: &str, name: &str) -> Result<Read, String> {
    let mut ini = configparser::ini::Ini::new_cs();
    let mut sections = ini.read(text.to_string())?;
    match sections.remove(name) {
        Some(values) => Ok(Read::Found(
            values
                .into_iter()
                .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
                .collect(),
        )),
        None => {
            let mut names: Vec<String> = sections.into_keys().collect();
            names.sort();
            Ok(Read::NoProfile(names))
        }
    }
}

/// The file: `explicit` (from its variable) when given, else `home_path`
/// under `home`.
pub fn path(explicit: Option<String>, home: Option<PathBuf>, home_path: &str) -> Option<PathBuf> {
    explicit
        .map(PathBuf::from)
        .or_else(|| home.map(|h| h.join(home_path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# a comment
[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key=secret/with+slashes==

[dev]
aws_access_key_id : AKIADEV
aws_secret_access_key = devsecret ; trailing comment
aws_session_token =
Region = eu-west-1

[profile staging]
aws_access_key_id = AKIASTAGING
";

    #[test]
    fn profiles_by_exact_name() {
        let Read::Found(d) = parse(FILE, "default").unwrap() else {
            panic!()
        };
        assert_eq!(d["aws_access_key_id"], "AKIADEFAULT");
        assert_eq!(d["aws_secret_access_key"], "secret/with+slashes==");
        let Read::Found(dev) = parse(FILE, "dev").unwrap() else {
            panic!()
        };
        assert_eq!(dev["aws_access_key_id"], "AKIADEV");
        assert_eq!(dev["aws_secret_access_key"], "devsecret");
        assert!(
            !dev.contains_key("aws_session_token"),
            "an empty value is no value"
        );
        assert!(dev.contains_key("Region"), "keys keep their case");
        // The credentials file names profiles without the word `profile`.
        assert_eq!(
            parse(FILE, "staging").unwrap(),
            Read::NoProfile(vec![
                "default".into(),
                "dev".into(),
                "profile staging".into()
            ])
        );
        assert!(matches!(parse(FILE, "DEV").unwrap(), Read::NoProfile(_)));
    }

    #[test]
    fn files_missing_and_malformed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("credentials");
        assert_eq!(read(&p, "default").unwrap(), Read::NoFile);
        std::fs::write(&p, "[default\naws_access_key_id = x\n").unwrap();
        let err = read(&p, "default").unwrap_err();
        assert!(
            err.contains("credentials") && err.contains("line 1"),
            "{err}"
        );
        std::fs::write(&p, FILE).unwrap();
        assert!(matches!(read(&p, "dev").unwrap(), Read::Found(_)));
    }

    #[test]
    fn the_path_is_the_variable_else_under_home() {
        assert_eq!(
            path(
                Some("/x/creds".into()),
                Some("/home/u".into()),
                ".aws/credentials"
            ),
            Some(PathBuf::from("/x/creds"))
        );
        assert_eq!(
            path(None, Some("/home/u".into()), ".aws/credentials"),
            Some(PathBuf::from("/home/u/.aws/credentials"))
        );
        assert_eq!(path(None, None, ".aws/credentials"), None);
    }
}
