//! Stopping on a signal (SIGINT, SIGTERM, SIGHUP) without leaving a temporary file behind.
//!
//! [`clean_up_on_signals`] (called by `backup`, `restore` and `demo`) starts a thread
//! that waits for those signals (with `signal-hook`, so that nothing but a flag and a wake-up
//! happens in the signal handler itself). Where the code answers a signal itself (an
//! [`Answering`] section: the copy loops and everything that writes a user's file), the
//! thread only sets the flag: the loop stops at its next step, returns an error and the
//! temporary files go as on any other failure (their `Drop`), SQLite rolling back what it had
//! begun. Anywhere else (copying or checking a private file) nothing of the user's has been
//! written yet: the thread removes the temporary files and ends the process at once (a second
//! signal always does). A `kill -9` cannot be answered: a restore then leaves the live file as it
//! was (SQLite's journal), and the temporary copy beside it is removed by the next `backup` or
//! `restore` of this file that finds its process gone (see `remove_stale_temps`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

static STOP: AtomicBool = AtomicBool::new(false);
static ANSWERING: AtomicUsize = AtomicUsize::new(0);
static TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static INSTALLED: OnceLock<()> = OnceLock::new();

/// Starts the thread that answers SIGINT, SIGTERM and SIGHUP (once per process).
#[cfg(unix)]
pub fn clean_up_on_signals() -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    if INSTALLED.get().is_some() {
        return Ok(());
    }
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    let _ = INSTALLED.set(());
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                let again = STOP.swap(true, Ordering::SeqCst);
                if again || ANSWERING.load(Ordering::SeqCst) == 0 {
                    remove_all();
                    eprintln!("\ndtoc: stopped by a signal before anything was written");
                    std::process::exit(128 + sig);
                }
            }
        })?;
    Ok(())
}

#[cfg(not(unix))]
pub fn clean_up_on_signals() -> std::io::Result<()> {
    Ok(())
}

/// Whether a signal asked dtoc to stop (checked between the steps of a copy).
pub fn stopping() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// While one lives, a signal only sets the flag [`stopping`] reads: the code stops itself.
pub struct Answering(());

impl Answering {
    pub fn begin() -> Self {
        ANSWERING.fetch_add(1, Ordering::SeqCst);
        Self(())
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        ANSWERING.fetch_sub(1, Ordering::SeqCst);
    }
}

pub(super) fn remember(path: &Path) {
    if let Ok(mut t) = TEMPS.lock() {
        t.push(path.to_path_buf());
    }
}

pub(super) fn forget(path: &Path) {
    if let Ok(mut t) = TEMPS.lock() {
        t.retain(|p| p != path);
    }
}

fn remove_all() {
    // Twice: a file SQLite was creating at the first pass is gone at the second.
    for _ in 0..2 {
        let temps = TEMPS.lock().map(|t| t.clone()).unwrap_or_default();
        for p in &temps {
            super::temp::remove_with_sidecars(p);
        }
    }
}
