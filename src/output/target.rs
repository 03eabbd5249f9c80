//! Write stage: where an output goes. Symlinks are followed to the folder they name, a mount
//! point is recognized (its entries are replaced, not the folder), and a non-empty folder is
//! accepted only when it carries the marker of an earlier ftlsite output.

use std::path::{Path, PathBuf};

use super::{io, lock, Marker, OutputError, OLD_INSIDE, STAGING_INSIDE};

/// Where the new tree goes.
#[derive(Debug)]
pub(super) enum Target {
    /// The folder `path` (a resolved, absolute path) is replaced by a sibling staging folder.
    Replace {
        path: PathBuf,
        parent: PathBuf,
        name: String,
    },
    /// `path` is a mount point: its entries are replaced, the staging folder is inside it.
    Contents { path: PathBuf },
}

impl Target {
    /// Where `out` is written: symlinks followed, a mount point recognized, and a non-empty
    /// folder accepted only with a marker (or `force`). Creates the parent folders.
    pub(super) fn locate(out: &Path, force: bool) -> Result<Target, OutputError> {
        let path = resolve(out)?;
        let exists = match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => true,
            Ok(_) => return Err(OutputError::NotADirectory(out.to_path_buf())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(io(out)(e)),
        };
        let contents = exists && is_mount_point(&path);
        if exists {
            check_owned(&path, out, contents, force)?;
        }
        Ok(match (contents, path.parent(), path.file_name()) {
            (false, Some(parent), Some(name)) => {
                std::fs::create_dir_all(parent).map_err(io(parent))?;
                Target::Replace {
                    name: name.to_string_lossy().into_owned(),
                    parent: parent.to_path_buf(),
                    path,
                }
            }
            _ => Target::Contents { path },
        })
    }
}

/// Entries of a mount point that ftlsite neither counts nor replaces: its own working folders
/// and the `lost+found` of ext file systems.
pub(super) fn reserved_inside(name: &str) -> bool {
    name == "lost+found" || lock::matches(name, STAGING_INSIDE) || lock::matches(name, OLD_INSIDE)
}

/// A non-empty `path` must carry an ftlsite marker, unless `force`.
fn check_owned(path: &Path, out: &Path, contents: bool, force: bool) -> Result<(), OutputError> {
    let mut entries = std::fs::read_dir(path).map_err(io(out))?;
    let occupied = entries.any(|e| {
        e.map(|e| !(contents && e.file_name().to_str().is_some_and(reserved_inside)))
            .unwrap_or(true)
    });
    if !occupied || force {
        return Ok(());
    }
    match Marker::read(path) {
        Ok(_) => Ok(()),
        Err(reason) => Err(OutputError::NotAnOutput {
            path: out.to_path_buf(),
            reason,
        }),
    }
}

/// The folder a write to `out` replaces: `out` with symlinks followed to the final target
/// (which may not exist yet), as an absolute path with no symlink in its existing part.
pub fn resolve(out: &Path) -> Result<PathBuf, OutputError> {
    let mut path = out.to_path_buf();
    let mut hops = 0;
    loop {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                hops += 1;
                if hops > 40 {
                    return Err(OutputError::SymlinkLoop(out.to_path_buf()));
                }
                let link = std::fs::read_link(&path).map_err(io(&path))?;
                path = match path.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            Ok(_) => return std::fs::canonicalize(&path).map_err(io(&path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
            Err(e) => return Err(io(&path)(e)),
        }
    }
    // A path that does not exist yet: resolve its deepest existing ancestor.
    let joined = std::path::absolute(&path).map_err(io(&path))?;
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut base = std::fs::canonicalize(existing).map_err(io(existing))?;
    for name in rest.iter().rev() {
        if name == ".." {
            base.pop();
        } else if name != "." {
            base.push(name);
        }
    }
    Ok(base)
}

/// Whether the folder `path` (absolute, resolved) is the root of a mount, which rename
/// cannot move. Linux says so directly (`statx`, `STATX_ATTR_MOUNT_ROOT`, since 5.8); other
/// Unixes, and older kernels, compare the device with the parent's, which misses bind mounts
/// within one file system (those fail at the swap with [`OutputError::Busy`]).
fn is_mount_point(path: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{statx, AtFlags, StatxAttributes, StatxFlags, CWD};
        if let Ok(st) = statx(CWD, path, AtFlags::empty(), StatxFlags::BASIC_STATS) {
            if st.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT) {
                return st.stx_attributes.contains(StatxAttributes::MOUNT_ROOT);
            }
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Some(parent) = path.parent() else {
            return true;
        };
        match (std::fs::metadata(path), std::fs::metadata(parent)) {
            (Ok(m), Ok(p)) => m.dev() != p.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        path.parent().is_none()
    }
}
