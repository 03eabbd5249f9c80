//! Reading a site folder from disk into a [`SourceMap`], with one rule for links and names.
//!
//! - **Symbolic links** are followed only when their target lies inside the site folder. A link
//!   that leads out of it (an `assets` folder pointing at a home directory, a `secret.txt` link
//!   to `/etc`) is skipped and reported as a W001 warning with its path, so nothing outside the
//!   site is ever published, and nothing is dropped silently.
//! - **File names** must be UTF-8: every site file is known by a `/`-separated UTF-8 key, and a
//!   lossy conversion could map two names onto one and lose a file. A non-UTF-8 name is an E008
//!   error naming the folder and the name's readable part.
//! - Names starting with `.` are skipped (editor swap files, `.git`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::LoadError;
use crate::diagnostics::{Code, Diagnostic, SourceMap};

/// What reading a folder produced: the files, and the findings about the ones it did not read.
#[derive(Debug, Default)]
pub struct ReadFiles {
    /// Every file read, by site-relative key.
    pub sources: SourceMap,
    /// W001 for skipped links, E008 for names that are not UTF-8.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the named top-level entries of `dir` (all of it when `roots` is empty), in name order.
pub fn read(dir: &Path, roots: &[&str]) -> Result<ReadFiles, LoadError> {
    let meta = std::fs::metadata(dir).map_err(|e| io(dir, e))?;
    if !meta.is_dir() {
        return Err(io(
            dir,
            std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory"),
        ));
    }
    let root = std::fs::canonicalize(dir).map_err(|e| io(dir, e))?;
    let mut reader = Reader {
        root,
        out: ReadFiles::default(),
        visited: BTreeSet::new(),
    };
    if roots.is_empty() {
        reader.walk(dir, "")?;
    } else {
        for name in roots {
            let path = dir.join(name);
            if let Ok(meta) = std::fs::symlink_metadata(&path) {
                reader.entry(&path, name, meta.file_type())?;
            }
        }
    }
    Ok(reader.out)
}

struct Reader {
    /// The site folder with every link resolved: what "inside the site" means.
    root: PathBuf,
    out: ReadFiles,
    /// Folders already walked (resolved), so a link to an ancestor cannot loop.
    visited: BTreeSet<PathBuf>,
}

impl Reader {
    /// Reads one entry (file, folder or link) known by `key`, of type `kind` (as the folder
    /// listing gives it, without a `stat` per file: a site of 10,000 pages has 10,000 files).
    fn entry(&mut self, path: &Path, key: &str, kind: std::fs::FileType) -> Result<(), LoadError> {
        if kind.is_file() {
            let bytes = std::fs::read(path).map_err(|e| io(path, e))?;
            self.out.sources.insert(key, bytes);
            return Ok(());
        }
        if kind.is_dir() {
            return self.walk(path, key);
        }
        let meta = std::fs::symlink_metadata(path).map_err(|e| io(path, e))?;
        let (target_meta, resolved) = if meta.file_type().is_symlink() {
            let resolved = match std::fs::canonicalize(path) {
                Ok(r) => r,
                Err(_) => {
                    self.skip(key, "is a broken symbolic link");
                    return Ok(());
                }
            };
            if !resolved.starts_with(&self.root) {
                self.skip(
                    key,
                    &format!(
                        "is a symbolic link to {}, outside the site folder",
                        resolved.display()
                    ),
                );
                return Ok(());
            }
            let m = std::fs::metadata(path).map_err(|e| io(path, e))?;
            (m, resolved)
        } else {
            (meta, path.to_path_buf())
        };
        if target_meta.is_dir() {
            self.walk(&resolved, key)
        } else if target_meta.is_file() {
            let bytes = std::fs::read(path).map_err(|e| io(path, e))?;
            self.out.sources.insert(key, bytes);
            Ok(())
        } else {
            Ok(())
        }
    }

    /// Reads a folder's entries in name order; `key` is the folder's own key ("" for the root).
    fn walk(&mut self, dir: &Path, key: &str) -> Result<(), LoadError> {
        let canonical = std::fs::canonicalize(dir).map_err(|e| io(dir, e))?;
        if !self.visited.insert(canonical.clone()) {
            self.skip(
                key,
                "leads back into a folder that is already read (a link loop)",
            );
            return Ok(());
        }
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .collect::<Result<_, _>>()
            .map_err(|e| io(dir, e))?;
        entries.sort_by_key(|e| e.file_name());
        let folder = Folder::open(dir);
        // The folder's regular files are read on all cores first (a site's pages sit side by
        // side in a few folders); entries are then taken in name order as before.
        let mut read = {
            use rayon::prelude::*;
            let files: Vec<Option<String>> = entries
                .iter()
                .map(|e| {
                    let regular = e.file_type().is_ok_and(|k| k.is_file());
                    let name = e.file_name().into_string().ok()?;
                    (regular && !hidden(&name)).then_some(name)
                })
                .collect();
            files
                .par_iter()
                .map(|n| n.as_deref().and_then(|n| folder.read(n)))
                .collect::<Vec<_>>()
                .into_iter()
        };
        for e in entries {
            let pre_read = read.next().flatten();
            let name = e.file_name();
            let Some(name) = name.to_str() else {
                // Escaped, so two names that differ only in their invalid bytes read apart.
                let shown = name.as_encoded_bytes().escape_ascii().to_string();
                let folder = if key.is_empty() { "." } else { key };
                self.out.diagnostics.push(
                    Diagnostic::new(
                        Code::E008,
                        format!("the name `{shown}` in {folder}/ is not valid UTF-8"),
                    )
                    .help("rename the file with a UTF-8 name; it was not read"),
                );
                continue;
            };
            if hidden(name) {
                continue;
            }
            let child = if key.is_empty() {
                name.to_string()
            } else {
                format!("{key}/{name}")
            };
            let kind = e.file_type().map_err(|err| io(&e.path(), err))?;
            if kind.is_file() {
                if let Some(bytes) = pre_read {
                    self.out
                        .sources
                        .insert(&child, bytes.map_err(|err| io(&e.path(), err))?);
                    continue;
                }
            }
            self.entry(&e.path(), &child, kind)?;
        }
        self.visited.remove(&canonical);
        Ok(())
    }

    fn skip(&mut self, key: &str, why: &str) {
        self.out.diagnostics.push(
            Diagnostic::new(Code::W001, format!("`{key}` {why}; it was not read"))
                .help("copy the file into the site folder, or point the link inside it"),
        );
    }
}

/// Names starting with `.` are not read (editor swap files, `.git`).
fn hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// An open folder whose files are read by name, relative to it: the kernel resolves one name per
/// file instead of the whole path again (a site of 10,000 pages reads 10,000 files).
struct Folder {
    #[cfg(unix)]
    fd: Option<rustix::fd::OwnedFd>,
}

impl Folder {
    fn open(dir: &Path) -> Folder {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            Folder {
                fd: rustix::fs::open(dir, flags, Mode::empty()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            Folder {}
        }
    }

    /// The bytes of the file `name` in this folder; `None` when the folder could not be
    /// opened, and the caller reads by path instead.
    fn read(&self, name: &str) -> Option<std::io::Result<Vec<u8>>> {
        #[cfg(unix)]
        {
            let dir = self.fd.as_ref()?;
            Some(read_at(dir, name))
        }
        #[cfg(not(unix))]
        {
            let _ = name;
            None
        }
    }
}

#[cfg(unix)]
fn read_at(dir: &rustix::fd::OwnedFd, name: &str) -> std::io::Result<Vec<u8>> {
    use rustix::fs::{Mode, OFlags};
    let fd = rustix::fs::openat(dir, name, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
    let len = usize::try_from(rustix::fs::fstat(&fd)?.st_size).unwrap_or(0);
    // One byte more than the file's size, so the end is seen by the second read.
    let mut bytes = vec![0u8; len + 1];
    let mut n = 0;
    loop {
        if n == bytes.len() {
            bytes.resize(bytes.len() * 2, 0);
        }
        match rustix::io::read(&fd, &mut bytes[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    bytes.truncate(n);
    Ok(bytes)
}

fn io(path: &Path, source: std::io::Error) -> LoadError {
    LoadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_site_are_skipped_and_reported() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "s").unwrap();
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir(site.path().join("locales")).unwrap();
        std::fs::write(site.path().join("locales/a.ftl"), "a = 1").unwrap();
        std::os::unix::fs::symlink(outside.path(), site.path().join("assets")).unwrap();
        std::fs::create_dir(site.path().join("templates")).unwrap();
        std::os::unix::fs::symlink(
            site.path().join("locales/a.ftl"),
            site.path().join("templates/inside.ftl"),
        )
        .unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            site.path().join("templates/secret.txt"),
        )
        .unwrap();
        let read = read(site.path(), &["locales", "assets", "templates"]).unwrap();
        let keys: Vec<&str> = read.sources.paths().collect();
        assert_eq!(keys, ["locales/a.ftl", "templates/inside.ftl"]);
        let skipped: Vec<&str> = read
            .diagnostics
            .iter()
            .map(|d| d.message.split('`').nth(1).unwrap())
            .collect();
        assert_eq!(skipped, ["assets", "templates/secret.txt"]);
        assert!(read.diagnostics.iter().all(|d| d.code == Code::W001));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn non_utf8_names_are_errors_not_lost_files() {
        use std::os::unix::ffi::OsStrExt;
        let site = tempfile::tempdir().unwrap();
        let assets = site.path().join("assets");
        std::fs::create_dir(&assets).unwrap();
        for name in [&b"a\xff.txt"[..], &b"a\xfe.txt"[..]] {
            std::fs::write(assets.join(std::ffi::OsStr::from_bytes(name)), "x").unwrap();
        }
        let read = read(site.path(), &["assets"]).unwrap();
        assert!(read.sources.is_empty());
        assert_eq!(read.diagnostics.len(), 2);
        assert!(read.diagnostics.iter().all(|d| d.code == Code::E008));
    }
}
