//! Write stage: remove staging folders when the build is interrupted (Ctrl-C, SIGTERM, SIGHUP).
//!
//! Every staging folder is registered here while it exists, together with the folder the old
//! output ends up in after the swap. [`install`] starts a thread that, on the first of these
//! signals, stops further writes, deletes every registered folder and then ends the process
//! by the same signal, as if it had not been caught, so shells and CI runners see an
//! interrupted command rather than an exit code.
//!
//! The swap runs under the same lock as the cleanup (`Registration::critical`): a signal
//! that arrives mid-swap is handled once the swap is complete, so the output is never a
//! half-deleted staging folder.
//!
//! A process killed with SIGKILL runs none of this; the next build's sweep
//! (the write stage's `lock::sweep`) removes what it left.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

static CANCELLED: AtomicBool = AtomicBool::new(false);

struct Live {
    next: u64,
    folders: BTreeMap<u64, Vec<PathBuf>>,
}

static LIVE: Mutex<Live> = Mutex::new(Live {
    next: 0,
    folders: BTreeMap::new(),
});

fn live() -> MutexGuard<'static, Live> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether a signal has arrived: writes stop and no new staging folder is created.
pub fn cancelled() -> bool {
    CANCELLED.load(Ordering::SeqCst)
}

/// Folders to delete if the process is interrupted; unregistered on drop.
#[derive(Debug)]
pub(crate) struct Registration(u64);

impl Registration {
    /// Registers `folder`. Fails once a signal has arrived.
    pub(crate) fn new(folder: PathBuf) -> Option<Registration> {
        let mut live = live();
        if cancelled() {
            return None;
        }
        let id = live.next;
        live.next += 1;
        live.folders.insert(id, vec![folder]);
        Some(Registration(id))
    }

    /// Runs `f` with this registration's folder list while no cleanup can run.
    pub(crate) fn critical<T>(&self, f: impl FnOnce(&mut Vec<PathBuf>) -> T) -> T {
        let mut live = live();
        let folders = live.folders.entry(self.0).or_default();
        f(folders)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        live().folders.remove(&self.0);
    }
}

/// Deletes a folder that writers may still be adding to: they stop at [`cancelled`] and can
/// never recreate the folder itself, so a few attempts suffice.
#[cfg(unix)]
fn remove(folder: &std::path::Path) {
    for _ in 0..16 {
        match std::fs::remove_dir_all(folder) {
            Ok(()) => return,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(_) => std::thread::yield_now(),
        }
    }
}

/// Starts the signal thread (once per process; later calls do nothing).
#[cfg(unix)]
pub fn install() -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("ftlsite-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                CANCELLED.store(true, Ordering::SeqCst);
                let live = live();
                for folder in live.folders.values().flatten() {
                    remove(folder);
                }
                // Keep `live` locked: nothing may start a swap after the cleanup.
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                drop(live);
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}

/// Elsewhere than Unix the platform's default handling stays; the folders of an interrupted
/// build are left behind.
#[cfg(not(unix))]
pub fn install() -> std::io::Result<()> {
    Ok(())
}
