//! Write stage: put a [`RenderedSite`](crate::render::RenderedSite) on disk atomically.
//!
//! Files go into a staging directory next to the output; only when every file is written is the
//! staging directory swapped in by rename. A failed build leaves the previous output as it was.
//! Single files that tools rewrite in place (`ftlsite fmt`) go through [`replace_file`], the
//! same idea for one file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The output directory.
    pub out: PathBuf,
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Why the output could not be written. The previous output is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file system operation failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A rendered path would land outside the output directory.
    #[error("output path `{0}` escapes the output directory")]
    Escape(String),
    /// The output directory exists and is not a directory.
    #[error("{0} exists and is not a directory")]
    NotADirectory(PathBuf),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `files` (output-relative `/`-separated paths) to `out`, replacing what was there.
pub fn write(files: &BTreeMap<String, Vec<u8>>, out: &Path) -> Result<Written, OutputError> {
    for path in files.keys() {
        crate::site::check_relative(path).map_err(|_| OutputError::Escape(path.clone()))?;
    }
    let staging = Staging::new(out)?;
    for (path, data) in files {
        staging.store(path, data)?;
    }
    staging.commit()
}

/// Replaces the file at `path` with `data` atomically: the bytes go to a temporary file in the
/// same folder, which is then renamed over `path`, so a reader sees the old file or the new one
/// and never a part of either. The file keeps its permissions, and a symbolic link keeps
/// pointing at the file it names, which is the one replaced. On error `path` is untouched.
pub fn replace_file(path: &Path, data: &[u8]) -> Result<(), OutputError> {
    use std::io::Write;

    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(&parent)
        .map_err(io(&parent))?;
    tmp.write_all(data).map_err(io(&target))?;
    tmp.as_file().sync_all().map_err(io(&target))?;
    if let Ok(meta) = std::fs::metadata(&target) {
        std::fs::set_permissions(tmp.path(), meta.permissions()).map_err(io(&target))?;
    }
    tmp.persist(&target).map_err(|e| OutputError::Io {
        path: target.clone(),
        source: e.error,
    })?;
    Ok(())
}

/// A staging directory beside the output: files are written into it as they are produced (from
/// any thread), and [`Staging::commit`] swaps it in. Dropped without commit, it is deleted and
/// the previous output stays as it was.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    files: AtomicUsize,
    bytes: AtomicU64,
}

impl Staging {
    /// Creates the staging directory next to `out`.
    pub fn new(out: &Path) -> Result<Staging, OutputError> {
        if out.exists() && !out.is_dir() {
            return Err(OutputError::NotADirectory(out.to_path_buf()));
        }
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.staging-"))
            .tempdir_in(&parent)
            .map_err(io(&parent))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            parent,
            name,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
        })
    }

    /// Writes one file into the staging directory.
    pub fn store(&self, path: &str, data: &[u8]) -> Result<(), OutputError> {
        crate::site::check_relative(path).map_err(|_| OutputError::Escape(path.to_string()))?;
        let target = self.dir.path().join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::write(&target, data).map_err(io(&target))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Swaps the staging directory in: the old output is moved aside, the staging directory
    /// renamed to the output, and the old output deleted.
    pub fn commit(self) -> Result<Written, OutputError> {
        let Staging {
            dir,
            out,
            parent,
            name,
            files,
            bytes,
        } = self;
        let old = if out.exists() {
            let aside = tempfile::Builder::new()
                .prefix(&format!(".{name}.old-"))
                .tempdir_in(&parent)
                .map_err(io(&parent))?;
            let aside_path = aside.path().join("site");
            std::fs::rename(&out, &aside_path).map_err(io(&out))?;
            Some((aside, aside_path))
        } else {
            None
        };
        let staged = dir.keep();
        if let Err(e) = std::fs::rename(&staged, &out) {
            if let Some((_, aside_path)) = &old {
                let _ = std::fs::rename(aside_path, &out);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(OutputError::Io {
                path: out,
                source: e,
            });
        }
        drop(old);
        Ok(Written {
            out,
            files: files.into_inner(),
            bytes: bytes.into_inner(),
        })
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.store(path, bytes).map_err(std::io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_output_and_refuses_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let mut files = BTreeMap::new();
        files.insert("a/b.html".to_string(), b"one".to_vec());
        write(&files, &out).unwrap();
        std::fs::write(out.join("stale.txt"), "x").unwrap();
        files.insert("c.html".to_string(), b"two".to_vec());
        let w = write(&files, &out).unwrap();
        assert_eq!(w.files, 2);
        assert!(!out.join("stale.txt").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/b.html")).unwrap(),
            "one"
        );
        let mut bad = BTreeMap::new();
        bad.insert("../evil.html".to_string(), b"x".to_vec());
        assert!(matches!(write(&bad, &out), Err(OutputError::Escape(_))));
        assert_eq!(std::fs::read_to_string(out.join("c.html")).unwrap(), "two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[cfg(unix)]
    #[test]
    fn replace_file_keeps_permissions_and_symlinks_and_leaves_no_temp_file() {
        use std::os::unix::fs::{symlink, PermissionsExt};

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.ftl");
        std::fs::write(&file, "old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.ftl");
        symlink(&file, &link).unwrap();

        replace_file(&link, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.ftl", "link.ftl"]);
    }
}
