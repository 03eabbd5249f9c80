//! Write stage: staging folders that a live build owns, and the sweep of those it does not.
//!
//! A build creates its staging folder (and, when it needs one, the folder the old output is
//! moved into) with a random suffix and holds an exclusive `flock` on the folder itself until
//! it is done. The kernel drops the lock when the process ends, however it ends, so a folder
//! with the output's prefix whose lock can be taken belongs to a build that was killed (kill
//! -9, power loss, a crash): [`sweep`] deletes it. A folder whose lock is held is left alone;
//! so is one whose file system cannot lock folders, since its owner cannot be known.
//!
//! Creating a folder and locking it are two steps; a sweep may lock and delete a folder in
//! between. [`create`] therefore checks after locking that its path still names the folder it
//! locked, and starts over with a new name when it does not.
//!
//! Elsewhere than Unix, folders are not locked and nothing is swept.

use std::path::{Path, PathBuf};

/// How many random alphanumerics follow a staging prefix. The sweep matches exactly this many,
/// so the folders of an output named `site.staging-x` never match the prefix of `site`.
const SUFFIX_LEN: usize = 6;

/// Held for as long as the locked folder is in use.
#[derive(Debug)]
pub(crate) struct FolderLock {
    #[cfg(unix)]
    _file: Option<std::fs::File>,
}

/// Creates a fresh folder `parent/<prefix><6 alphanumerics>` and locks it.
pub(crate) fn create(parent: &Path, prefix: &str) -> std::io::Result<(PathBuf, FolderLock)> {
    let mut last = None;
    for _ in 0..16 {
        let path = tempfile::Builder::new()
            .prefix(prefix)
            .rand_bytes(SUFFIX_LEN)
            .tempdir_in(parent)?
            .keep();
        match lock_fresh(&path) {
            Ok(Some(lock)) => return Ok((path, lock)),
            Ok(None) => last = Some(path),
            Err(e) => {
                let _ = std::fs::remove_dir(&path);
                return Err(e);
            }
        }
    }
    Err(std::io::Error::other(format!(
        "a sweep removed every staging folder created in {} (last {})",
        parent.display(),
        last.map(|p| p.display().to_string()).unwrap_or_default()
    )))
}

/// Whether `name` is `prefix` followed by exactly the random suffix [`create`] adds.
pub(crate) fn matches(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).is_some_and(|rest| {
        rest.len() == SUFFIX_LEN && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

#[cfg(unix)]
fn lock_fresh(path: &Path) -> std::io::Result<Option<FolderLock>> {
    use std::os::unix::fs::MetadataExt;
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => {}
        Err(rustix::io::Errno::WOULDBLOCK) => return Ok(None),
        // The file system cannot lock folders: a sweep cannot lock it either, so it is safe.
        Err(_) => return Ok(Some(FolderLock { _file: None })),
    }
    let held = file.metadata()?;
    match std::fs::symlink_metadata(path) {
        Ok(now) if now.dev() == held.dev() && now.ino() == held.ino() => {
            Ok(Some(FolderLock { _file: Some(file) }))
        }
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn lock_fresh(_path: &Path) -> std::io::Result<Option<FolderLock>> {
    Ok(Some(FolderLock {}))
}

/// Deletes the folders in `dir` whose names match one of `prefixes` (see [`matches`]) and
/// that no live build holds. Returns the deleted paths, in name order. Errors are not fatal:
/// a folder that cannot be examined or deleted is left for a later build.
#[cfg(unix)]
pub(crate) fn sweep(dir: &Path, prefixes: &[String]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| prefixes.iter().any(|p| matches(n, p)))
        .collect();
    names.sort();
    let mut removed = Vec::new();
    for name in names {
        let path = dir.join(&name);
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        if rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive).is_err() {
            continue;
        }
        if std::fs::remove_dir_all(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// Without folder locks a live build's folders cannot be told from a dead one's: sweep
/// nothing.
#[cfg(not(unix))]
pub(crate) fn sweep(_dir: &Path, _prefixes: &[String]) -> Vec<PathBuf> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_match_takes_exactly_the_random_suffix() {
        assert!(matches(".site.staging-a1B2c3", ".site.staging-"));
        assert!(!matches(".site.staging-a1B2c", ".site.staging-"));
        assert!(!matches(".site.staging-x.staging-a1B2c3", ".site.staging-"));
        assert!(!matches(".site.staging-a1.2c3", ".site.staging-"));
        assert!(!matches(".other.staging-a1B2c3", ".site.staging-"));
    }

    #[cfg(unix)]
    #[test]
    fn sweep_removes_dead_folders_and_keeps_live_ones() {
        let dir = tempfile::tempdir().unwrap();
        let (live, lock) = create(dir.path(), ".site.staging-").unwrap();
        std::fs::write(live.join("page.html"), "live").unwrap();
        let dead = dir.path().join(".site.old-zzzzzz");
        std::fs::create_dir_all(dead.join("site/en-US")).unwrap();
        let other = dir.path().join(".blog.staging-zzzzzz");
        std::fs::create_dir(&other).unwrap();
        let prefixes = [".site.staging-".to_string(), ".site.old-".to_string()];
        assert_eq!(sweep(dir.path(), &prefixes), vec![dead.clone()]);
        assert!(
            live.join("page.html").exists(),
            "a live build's folder is kept"
        );
        assert!(other.exists(), "another output's folder is kept");
        drop(lock);
        assert_eq!(sweep(dir.path(), &prefixes), vec![live]);
    }
}
