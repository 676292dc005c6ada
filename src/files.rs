//! Files hcl writes (the log, HAR exports, JUnit reports, transcripts):
//! private to their owner, mode 0600, from the moment they exist. They hold
//! prompts and answers.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

/// Make a file private (0600) if its group or others have any access;
/// `Some(old mode)` when it was changed.
pub fn make_private(file: &File) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata().ok()?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .ok()?;
            return Some(mode);
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    None
}

/// Write `bytes` to `path`, replacing what it held: a new file is created
/// 0600, and an existing one is made 0600 before anything is written to it.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut opts = OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts.open(path)?;
    make_private(&file);
    file.write_all(bytes)
}

/// Create `dir` and its parents, each new one private to its owner (0700).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Replace `path` whole with `bytes`, atomically: a reader sees the old
/// file or the new one, never half of one. The new file is 0600; a missing
/// directory is created 0700.
pub fn replace_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    write_private(&tmp, bytes)?;
    let file = File::open(&tmp)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)
}
