//! Write stage: put a finished staging folder in the output's place.
//!
//! Where the platform has it, the two folders are exchanged in one step (`renameat2` with
//! `RENAME_EXCHANGE` on Linux, `renamex_np` with `RENAME_SWAP` on macOS): a reader or web
//! server sees the old tree or the new one, never no folder, and a process killed at any
//! moment leaves one of the two complete trees at the output path. Elsewhere, and on file
//! systems that refuse the exchange (`EINVAL`), the old folder is moved aside and the new one
//! renamed in: for the instant between the two renames the output path does not exist.
//!
//! A mount point cannot be renamed (`EBUSY`), so its top-level entries are exchanged one by
//! one instead ([`replace_contents`]); each entry changes atomically, the folder as a whole
//! does not.

use std::ffi::OsString;
use std::path::Path;

/// How the new tree took the output's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swap {
    /// There was no output yet: one rename.
    Created,
    /// The staging folder and the old output were exchanged atomically.
    Exchanged,
    /// The old output was moved aside, then the staging folder renamed in.
    TwoRenames,
    /// The output is a mount point: its top-level entries were replaced one by one.
    Contents,
    /// The output already held exactly what the build produced: it was left as it was.
    Unchanged,
}

/// Exchanges `a` and `b` atomically. `Ok(false)`: the platform or file system cannot, and
/// nothing was changed.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
pub(crate) fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// No atomic exchange on this platform.
#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
pub(crate) fn exchange(_a: &Path, _b: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// One step of [`replace_contents`], kept to undo it.
enum Step {
    Exchanged(OsString),
    Moved {
        from: std::path::PathBuf,
        to: std::path::PathBuf,
    },
}

/// Replaces the entries of `target` with those of `staged`, one top-level entry at a time:
/// each is exchanged with the old entry of the same name (the old one lands in `staged`), or
/// renamed in when there is none; old entries the new tree lacks, and old entries when the
/// exchange is refused, are moved into `trash`. Entries for which `keep` is true are never
/// touched. On failure every step already taken is undone, best effort, and the error
/// returned.
pub(crate) fn replace_contents(
    target: &Path,
    staged: &Path,
    trash: &Path,
    keep: impl Fn(&str) -> bool,
) -> std::io::Result<()> {
    let mut new = sorted_names(staged)?;
    // The marker goes last: until the end, the folder reads as the previous output.
    new.sort_by_key(|n| n.to_str() == Some(super::MARKER));
    let mut steps = Vec::new();
    let result = (|| {
        for name in &new {
            let (from, to) = (staged.join(name), target.join(name));
            if std::fs::symlink_metadata(&to).is_ok() {
                if exchange(&from, &to)? {
                    steps.push(Step::Exchanged(name.clone()));
                    continue;
                }
                let aside = trash.join(name);
                std::fs::rename(&to, &aside)?;
                steps.push(Step::Moved {
                    from: to.clone(),
                    to: aside,
                });
            }
            std::fs::rename(&from, &to)?;
            steps.push(Step::Moved { from, to });
        }
        for name in sorted_names(target)? {
            let keep_it = name.to_str().is_some_and(&keep);
            if !keep_it && !new.contains(&name) {
                let (from, to) = (target.join(&name), trash.join(&name));
                std::fs::rename(&from, &to)?;
                steps.push(Step::Moved { from, to });
            }
        }
        Ok(())
    })();
    if result.is_err() {
        for step in steps.into_iter().rev() {
            let _ = match step {
                Step::Exchanged(name) => exchange(&staged.join(&name), &target.join(&name)),
                Step::Moved { from, to } => std::fs::rename(to, from).map(|()| true),
            };
        }
    }
    result
}

fn sorted_names(dir: &Path) -> std::io::Result<Vec<OsString>> {
    let mut names = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<std::io::Result<Vec<_>>>()?;
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("f"), "a").unwrap();
        std::fs::write(b.join("f"), "b").unwrap();
        assert!(
            exchange(&a, &b).unwrap(),
            "the temp file system supports RENAME_EXCHANGE"
        );
        assert_eq!(std::fs::read_to_string(a.join("f")).unwrap(), "b");
        assert_eq!(std::fs::read_to_string(b.join("f")).unwrap(), "a");
    }

    #[test]
    fn contents_are_replaced_and_kept_entries_stay() {
        let dir = tempfile::tempdir().unwrap();
        let (target, staged, trash) = (
            dir.path().join("mnt"),
            dir.path().join("mnt/.ftlsite-staging-aaaaaa"),
            dir.path().join("mnt/.ftlsite-old-aaaaaa"),
        );
        std::fs::create_dir_all(target.join("en-US")).unwrap();
        std::fs::create_dir_all(target.join("lost+found")).unwrap();
        std::fs::write(target.join("en-US/old.html"), "old").unwrap();
        std::fs::write(target.join("stale.html"), "stale").unwrap();
        std::fs::create_dir_all(staged.join("en-US")).unwrap();
        std::fs::create_dir(&trash).unwrap();
        std::fs::write(staged.join("en-US/new.html"), "new").unwrap();
        std::fs::write(staged.join("index.html"), "index").unwrap();
        let keep = |n: &str| n == "lost+found" || n.starts_with(".ftlsite-");
        replace_contents(&target, &staged, &trash, keep).unwrap();
        let mut names = sorted_names(&target).unwrap();
        names.retain(|n| !n.to_string_lossy().starts_with(".ftlsite-"));
        assert_eq!(names, ["en-US", "index.html", "lost+found"]);
        assert!(target.join("en-US/new.html").exists());
        assert!(!target.join("en-US/old.html").exists());
        assert!(trash.join("stale.html").exists());
    }
}
