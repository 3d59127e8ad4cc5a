//! Temporary files beside the user's: named by this process, removed on drop, on a signal (see
//! [`super::signals`]) or, left by a process killed outright, by the next backup, restore or demo.

use super::signals;
use crate::error::Error;
use std::path::{Path, PathBuf};

/// `path` with `suffix` added to its file name.
pub(super) fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// A temporary name beside `path`, unique to this process.
pub(super) fn temp_beside(path: &Path, what: &str) -> PathBuf {
    beside(path, &format!(".{what}-{}.tmp", std::process::id()))
}

/// Removes the file (and its `-journal`, `-wal`, `-shm`) on drop unless kept: the temporary files
/// of backup, restore and demo. While it lives, a signal that stops dtoc removes it too (see
/// [`super::signals`]).
pub(super) struct TempFile(Option<PathBuf>);

impl TempFile {
    pub(super) fn new(path: PathBuf) -> Self {
        signals::remember(&path);
        Self(Some(path))
    }

    pub(super) fn keep(&mut self) {
        if let Some(p) = self.0.take() {
            signals::forget(&p);
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            remove_with_sidecars(&p);
            signals::forget(&p);
        }
    }
}

/// Removes `path` and the `-journal`, `-wal` and `-shm` SQLite may have left beside it.
pub(super) fn remove_with_sidecars(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(beside(path, suffix));
    }
}

/// The error of a copy stopped by a signal.
pub(super) fn stopped() -> Error {
    Error::invalid("stopped by a signal: nothing was written")
}

/// Removes the temporary files beside `path` (`<name>.<what>-<pid>.tmp` and their sidecars) that
/// a process no longer running left (killed with `kill -9`, or the machine stopped).
pub(super) fn remove_stale_temps(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!("{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        // `<what>-<pid>.tmp`, nothing after (the sidecars go with it).
        let Some(pid) = rest
            .strip_suffix(".tmp")
            .and_then(|r| r.rsplit_once('-'))
            // `restore`, `demo`, `backup`, and a kept copy's `before-restore-<ts>.backup`.
            .and_then(|(what, pid)| {
                let kind = what.rsplit('.').next().unwrap_or(what);
                ["backup", "restore", "demo"].contains(&kind).then_some(pid)
            })
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_runs(pid) {
            remove_with_sidecars(&dir.join(&file));
        }
    }
}

/// Whether a process `pid` runs on this host.
#[cfg(unix)]
fn process_runs(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_runs(_pid: u32) -> bool {
    true
}
