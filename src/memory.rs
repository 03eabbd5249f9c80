//! How the `ftlsite` binary uses memory: mimalloc is its allocator (see `main.rs`), tuned per
//! command.
//!
//! A check is short and allocates in many small bursts (every entry of every catalog, its
//! parse and its findings): mimalloc's defaults suit it, keeping freed pages for a while and
//! backing its arenas with transparent huge pages, which saves most of the page faults of a
//! run that lasts a few dozen milliseconds. A build of a large site is limited by its peak
//! memory instead (a fifth of Hugo's is its target, docs/performance.md): every page's HTML is
//! freed as soon as it is written, and a page kept for a second before it is returned, or
//! faulted in 2 MiB at a time, adds tens of MiB at 20,000 pages. [`lean`] turns both off for
//! the commands that render a whole output tree.

/// mimalloc's `mi_option_purge_delay` (its `mi_option_t` value in the vendored v3 header;
/// the crate does not name it). A test checks the index still names the purge delay.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Returns freed memory to the system at once and keeps transparent huge pages out of this
/// process: the setting for `build` and `serve`. Called before the command's first large
/// allocation; memory already mapped stays as it is.
pub fn lean() {
    // SAFETY: `mi_option_set` takes any option and value; an unknown one is ignored.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes one integer argument and changes only this process's
    // flag, which later page faults read; it cannot fail in a way that matters here.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index is the purge delay: mimalloc's default for it is 1,000 ms (unless the
    /// environment sets it), and after [`lean`] it is 0.
    #[test]
    fn lean_sets_the_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads an option.
            assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 1000);
        }
        lean();
        // SAFETY: reads an option.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 0);
        #[cfg(target_os = "linux")]
        // SAFETY: PR_GET_THP_DISABLE takes no argument and returns the flag.
        assert_eq!(
            unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) },
            1
        );
    }
}
