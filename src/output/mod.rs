//! Write stage: put a [`RenderedSite`](crate::render::RenderedSite) on disk atomically, into a
//! folder that belongs to ftlsite.
//!
//! Files go into a staging folder next to the output; only when every file is written is the
//! staging folder swapped in (see [`Swap`]). A failed build leaves the previous output as it was.
//!
//! The output folder is the user's, so [`Staging::new`]:
//!
//! - refuses a non-empty folder without the [`MARKER`] file every build writes (it is not an
//!   earlier ftlsite output, and replacing it would delete it), unless [`Options::force`];
//! - follows a symlink: the link's target is built into and replaced, the link stays;
//! - replaces the entries of a mount point one by one, since the folder itself cannot be
//!   renamed; `lost+found` is left alone;
//! - deletes the staging folders of earlier builds of the same output that were killed before
//!   they could clean up (the `lock` module), and registers its own for removal on Ctrl-C
//!   ([`interrupt`]).
//!
//! A file whose bytes are those of the same file in the output being replaced is hard-linked
//! from it instead of written ([`Staging::store_or_keep`], [`Staging::keep`]), so it keeps its
//! inode and modification time and a deploy that compares them sees only real changes. The
//! staging folder is on the output's file system, so the link works; where it does not
//! (`EXDEV`, `EPERM`, a file system without hard links) the file is written.
//!
//! An incremental build may ask for its keeps to be deferred ([`Staging::defer_keeps`]): they
//! are only listed until something is written. When nothing is, and the output holds exactly
//! the listed files with the same marker, the output is already what the build would put there
//! and [`Staging::commit`] leaves it as it is ([`Swap::Unchanged`]): a no-op rebuild of tens of
//! thousands of pages links, swaps and deletes nothing.

mod cache;
pub mod interrupt;
mod lock;
mod marker;
mod replace;
mod swap;
mod target;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

pub use cache::{Cache, CacheError, CachedPage, Prefetch, Stamp, CACHE, CACHE_FORMAT};
pub use marker::{fingerprint, Marker, MarkerError, ShardMark, FORMAT, MARKER};
pub use replace::replace_file;
pub use swap::Swap;
pub use target::resolve;
use target::{reserved_inside, Target};

/// Prefix of the staging folder inside a mount point.
const STAGING_INSIDE: &str = ".ftlsite-staging-";
/// Prefix of the folder the old entries of a mount point are moved into.
const OLD_INSIDE: &str = ".ftlsite-old-";

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The output folder, as given.
    pub out: PathBuf,
    /// Files written, the marker not included.
    pub files: usize,
    /// Bytes written, the marker not included.
    pub bytes: u64,
    /// Of `files`, those kept from the previous output (hard-linked, not written).
    pub kept: usize,
    /// How the new tree took the old one's place.
    pub swap: Swap,
    /// Leftover folders of interrupted builds of this output that were deleted.
    pub swept: Vec<PathBuf>,
}

/// Why the output could not be written. The previous output is untouched in every case but
/// [`OutputError::Stranded`], which says where it is.
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
    /// A rendered path is the name of the marker file.
    #[error("output path `{0}` is reserved for ftlsite's marker file")]
    Reserved(String),
    /// The output directory exists and is not a directory.
    #[error("{0} exists and is not a directory")]
    NotADirectory(PathBuf),
    /// The output directory holds files and is not an earlier ftlsite output.
    #[error("{path} is not empty and is not an ftlsite output: {reason}")]
    NotAnOutput {
        /// The output folder, as given.
        path: PathBuf,
        /// What is wrong with its marker.
        reason: MarkerError,
    },
    /// `--out` is a chain of symlinks that does not end.
    #[error("{0} is a symlink loop")]
    SymlinkLoop(PathBuf),
    /// The output could not be renamed because something holds it, usually a mount that
    /// ftlsite did not recognize.
    #[error(
        "cannot replace {path}: {source}; if it is a mount point, build into a folder inside it \
         (e.g. --out {path}/site) and serve that folder"
    )]
    Busy {
        /// The output folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Moving the new tree in failed, and so did moving the previous output back.
    #[error(
        "cannot replace {out}: {source}; the previous output could not be moved back ({restore}) \
         and is now in {old}"
    )]
    Stranded {
        /// The output folder.
        out: PathBuf,
        /// Where the previous output is.
        old: PathBuf,
        /// Why the new tree could not be moved in.
        source: std::io::Error,
        /// Why the previous output could not be moved back.
        restore: std::io::Error,
    },
    /// A signal (Ctrl-C, SIGTERM) arrived; the staging folder is being removed.
    #[error("interrupted")]
    Interrupted,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// How to write an output.
#[derive(Debug, Clone)]
pub struct Options {
    /// Written to `.ftlsite-output` at the root of the output.
    pub marker: Marker,
    /// Replace a non-empty folder even when it is not an ftlsite output.
    pub force: bool,
}

/// Writes `files` (output-relative `/`-separated paths) to `out`, replacing what was there.
pub fn write(
    files: &BTreeMap<String, Vec<u8>>,
    out: &Path,
    options: &Options,
) -> Result<Written, OutputError> {
    for path in files.keys() {
        check_path(path)?;
    }
    let staging = Staging::new(out, options)?;
    for (path, data) in files {
        staging.store(path, data)?;
    }
    staging.commit()
}

fn check_path(path: &str) -> Result<(), OutputError> {
    crate::site::check_relative(path).map_err(|_| OutputError::Escape(path.to_string()))?;
    if path == MARKER || path == CACHE {
        return Err(OutputError::Reserved(path.to_string()));
    }
    Ok(())
}

/// A staging directory beside the output: files are written into it as they are produced (from
/// any thread), and [`Staging::commit`] swaps it in. Dropped without commit, it is deleted and
/// the previous output stays as it was.
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
    target: Target,
    out: PathBuf,
    marker: Marker,
    swept: Vec<PathBuf>,
    committed: bool,
    files: AtomicUsize,
    bytes: AtomicU64,
    /// Folders already made in the staging tree: each is created once, not once per file.
    made: std::sync::Mutex<std::collections::HashSet<String>>,
    kept: AtomicUsize,
    /// Keeps not made yet, under [`Staging::defer_keeps`], while nothing has been written:
    /// `Some` until the first write (or a commit that changes the output) makes them.
    deferred: std::sync::Mutex<Option<Vec<String>>>,
    /// Whether `deferred` may still be `Some`: checked before taking its lock on every write.
    deferring: std::sync::atomic::AtomicBool,
    /// Whether [`Staging::store_cache`] put a cache into the tree.
    cached: std::sync::atomic::AtomicBool,
    /// The stamp of each file written or linked by [`Staging::store_or_keep`], taken from the
    /// bytes in hand, when [`Staging::record_stamps`] asked for them: the cache needs them, and
    /// reading every page back to hash it cost a quarter of a cold build.
    stamps: Option<std::sync::Mutex<std::collections::HashMap<String, Stamp>>>,
    /// Which paths `stamps` records.
    stamped: fn(&str) -> bool,
    previous: Option<PathBuf>,
    registration: interrupt::Registration,
    locks: Vec<lock::FolderLock>,
}

impl Staging {
    /// Creates the staging directory for `out`, after checking that `out` may be replaced and
    /// deleting the leftovers of interrupted builds of it.
    pub fn new(out: &Path, options: &Options) -> Result<Staging, OutputError> {
        let target = Target::locate(out, options.force)?;
        let (dir, prefixes) = match &target {
            Target::Replace { parent, name, .. } => (
                parent.as_path(),
                [format!(".{name}.staging-"), format!(".{name}.old-")],
            ),
            Target::Contents { path } => {
                (path.as_path(), [STAGING_INSIDE.into(), OLD_INSIDE.into()])
            }
        };
        let previous = match &target {
            Target::Replace { path, .. } | Target::Contents { path } => {
                (!options.force && Marker::read(path).is_ok()).then(|| path.clone())
            }
        };
        let swept = lock::sweep(dir, &prefixes);
        if interrupt::cancelled() {
            return Err(OutputError::Interrupted);
        }
        let (root, folder_lock) = lock::create(dir, &prefixes[0]).map_err(io(dir))?;
        let Some(registration) = interrupt::Registration::new(root.clone()) else {
            let _ = std::fs::remove_dir(&root);
            return Err(OutputError::Interrupted);
        };
        Ok(Staging {
            root,
            target,
            out: out.to_path_buf(),
            marker: options.marker.clone(),
            swept,
            committed: false,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            made: Default::default(),
            kept: AtomicUsize::new(0),
            deferred: Default::default(),
            deferring: Default::default(),
            cached: Default::default(),
            stamps: None,
            stamped: |_| false,
            previous,
            registration,
            locks: vec![folder_lock],
        })
    }

    /// Leftover folders of interrupted builds of this output that [`Staging::new`] deleted.
    pub fn swept(&self) -> &[PathBuf] {
        &self.swept
    }

    /// Writes one file into the staging directory. Errors name the file as it would appear
    /// in the output.
    pub fn store(&self, path: &str, data: &[u8]) -> Result<(), OutputError> {
        if interrupt::cancelled() {
            return Err(OutputError::Interrupted);
        }
        check_path(path)?;
        self.make_deferred()?;
        self.write_file(path, data)
    }

    /// Writes a file into the staging directory and counts it.
    fn write_file(&self, path: &str, data: &[u8]) -> Result<(), OutputError> {
        if let Some((dir, _)) = path.rsplit_once('/') {
            let known = self.made.lock().is_ok_and(|m| m.contains(dir));
            if !known {
                make_dirs(&self.root, dir).map_err(io(&self.out.join(dir)))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(dir.to_string());
                }
            }
        }
        std::fs::write(self.root.join(path), data).map_err(io(&self.out.join(path)))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// The output this staging folder replaces, when it is an earlier ftlsite output (it has
    /// a marker) and is not replaced under `--force`: where kept files are linked from.
    pub fn previous(&self) -> Option<&Path> {
        self.previous.as_deref()
    }

    /// Hard-links `path` of the previous output into the staging directory, or writes a copy
    /// of it where the file system refuses the link. Returns whether the file was linked.
    pub fn keep(&self, path: &str) -> Result<bool, OutputError> {
        if interrupt::cancelled() {
            return Err(OutputError::Interrupted);
        }
        check_path(path)?;
        if self.defer(std::slice::from_ref(&path), true) {
            return Ok(true);
        }
        self.place(path, true)
    }

    /// Links (or copies) a file of the previous output into the staging directory. A link is
    /// counted when `count` is set (a deferred keep was counted when it was listed); a copy is
    /// always counted as written.
    fn place(&self, path: &str, count: bool) -> Result<bool, OutputError> {
        let Some(previous) = &self.previous else {
            return Err(io(&self.out.join(path))(
                std::io::ErrorKind::NotFound.into(),
            ));
        };
        let from = previous.join(path);
        let to = self.root.join(path);
        let linked = std::fs::hard_link(&from, &to).is_ok() || {
            // The folder may not exist yet (keep_all creates them first).
            path.rsplit_once('/').is_some_and(|(dir, _)| {
                make_dirs(&self.root, dir).is_ok() && std::fs::hard_link(&from, &to).is_ok()
            })
        };
        if linked {
            if count {
                self.files.fetch_add(1, Ordering::Relaxed);
                self.kept.fetch_add(1, Ordering::Relaxed);
            }
            return Ok(true);
        }
        let data = std::fs::read(&from).map_err(io(&self.out.join(path)))?;
        if !count {
            self.files.fetch_sub(1, Ordering::Relaxed);
            self.kept.fetch_sub(1, Ordering::Relaxed);
        }
        self.write_file(path, &data)?;
        Ok(false)
    }

    /// [`Staging::keep`] for many files, on all cores, creating each folder once.
    pub fn keep_all(&self, paths: &[String]) -> Result<(), OutputError> {
        for path in paths {
            check_path(path)?;
        }
        if self.defer(paths, true) {
            return Ok(());
        }
        self.place_all(paths, true)
    }

    fn place_all(&self, paths: &[String], count: bool) -> Result<(), OutputError> {
        use rayon::prelude::*;
        let dirs: std::collections::BTreeSet<&str> = paths
            .iter()
            .filter_map(|p| p.rsplit_once('/').map(|(d, _)| d))
            .collect();
        for dir in dirs {
            make_dirs(&self.root, dir).map_err(io(&self.out.join(dir)))?;
        }
        paths.par_iter().try_for_each(|p| {
            if interrupt::cancelled() {
                return Err(OutputError::Interrupted);
            }
            self.place(p, count).map(drop)
        })
    }

    /// Keeps are listed instead of made until something is written (see the module notes).
    /// For an incremental build over an output that is replaced as a whole.
    pub fn defer_keeps(&mut self) {
        if self.previous.is_some() && matches!(self.target, Target::Replace { .. }) {
            self.deferred = std::sync::Mutex::new(Some(Vec::new()));
            self.deferring.store(true, Ordering::Release);
        }
    }

    /// Lists `paths` as deferred keeps, counted as kept files when `counted` (the cache is
    /// not a file of the site); false when keeps are no longer deferred (they are to be made
    /// now).
    fn defer(&self, paths: &[impl AsRef<str>], counted: bool) -> bool {
        if !self.deferring.load(Ordering::Acquire) {
            return false;
        }
        let Ok(mut deferred) = self.deferred.lock() else {
            return false;
        };
        let Some(list) = deferred.as_mut() else {
            return false;
        };
        list.extend(paths.iter().map(|p| p.as_ref().to_string()));
        if counted {
            self.files.fetch_add(paths.len(), Ordering::Relaxed);
            self.kept.fetch_add(paths.len(), Ordering::Relaxed);
        }
        true
    }

    /// Makes the deferred keeps, once: before the first write, or at a commit that changes
    /// the output. The list is taken under the lock and made outside it (on all cores, which
    /// may run other writers meanwhile): writes and keeps touch different paths, and the
    /// commit comes after every writer is done.
    fn make_deferred(&self) -> Result<(), OutputError> {
        if !self.deferring.load(Ordering::Acquire) {
            return Ok(());
        }
        let list = match self.deferred.lock() {
            Ok(mut deferred) => {
                self.deferring.store(false, Ordering::Release);
                deferred.take()
            }
            Err(_) => return Err(OutputError::Interrupted),
        };
        let Some(list) = list else { return Ok(()) };
        let (cache, pages): (Vec<String>, Vec<String>) = list.into_iter().partition(|p| p == CACHE);
        self.place_all(&pages, false)?;
        if !cache.is_empty() {
            self.link_cache()?;
        }
        Ok(())
    }

    /// Hard-links the previous output's cache into the staging directory, or copies it where
    /// the file system refuses the link. Not counted: it is not a file of the site.
    fn link_cache(&self) -> Result<(), OutputError> {
        let Some(previous) = &self.previous else {
            return Ok(());
        };
        let (from, to) = (previous.join(CACHE), self.root.join(CACHE));
        if std::fs::hard_link(&from, &to).is_err() {
            std::fs::read(&from)
                .and_then(|bytes| std::fs::write(&to, bytes))
                .map_err(io(&self.out.join(CACHE)))?;
        }
        Ok(())
    }

    /// True when the previous output holds exactly `listed` (and the marker, whose bytes are
    /// `marker`), nothing else: no other file, link or empty folder.
    fn output_is(&self, listed: &[String], marker: &[u8]) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        if std::fs::read(previous.join(MARKER)).ok().as_deref() != Some(marker) {
            return false;
        }
        let listed: std::collections::HashSet<&str> = listed.iter().map(String::as_str).collect();
        /// The number of files under `dir` (known by `key`), all of them listed; `None` at the
        /// first entry that is not. Folders are listed on all cores.
        fn walk(dir: &Path, key: &str, listed: &std::collections::HashSet<&str>) -> Option<usize> {
            use rayon::prelude::*;
            let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)
                .ok()?
                .collect::<Result<_, _>>()
                .ok()?;
            if entries.is_empty() && !key.is_empty() {
                return None;
            }
            entries
                .par_iter()
                .map(|e| {
                    let name = e.file_name();
                    let name = name.to_str()?;
                    let child = if key.is_empty() {
                        name.to_string()
                    } else {
                        format!("{key}/{name}")
                    };
                    let kind = e.file_type().ok()?;
                    if kind.is_dir() {
                        walk(&e.path(), &child, listed)
                    } else if kind.is_file() && (child == MARKER || listed.contains(child.as_str()))
                    {
                        Some(1)
                    } else {
                        None
                    }
                })
                .try_reduce(|| 0, |a, b| Some(a + b))
        }
        walk(previous, "", &listed) == Some(listed.len() + 1)
    }

    /// Makes [`Staging::store_or_keep`] remember the stamp of every file it stores whose path
    /// passes `of`, for [`Staging::stamp`] (hashing a sitemap of several megabytes that no
    /// cache entry describes would be wasted).
    pub fn record_stamps(&mut self, of: fn(&str) -> bool) {
        self.stamps = Some(Default::default());
        self.stamped = of;
    }

    /// Like [`Staging::store`], but a file whose bytes equal those of the same path in the
    /// previous output is hard-linked from it instead (see [`Staging::keep`]).
    pub fn store_or_keep(&self, path: &str, data: &[u8]) -> Result<(), OutputError> {
        let same = self.previous.as_ref().is_some_and(|previous| {
            let from = previous.join(path);
            std::fs::symlink_metadata(&from)
                .is_ok_and(|m| m.is_file() && m.len() == data.len() as u64)
                && std::fs::read(&from).is_ok_and(|old| old == data)
        });
        // A keep the file system refuses to link writes a copy of the same bytes itself.
        if same {
            self.keep(path)?;
        } else {
            self.store(path, data)?;
        }
        // Recorded once the file is in place, so a stamp always describes bytes on disk.
        if let (Some(stamps), true) = (&self.stamps, (self.stamped)(path)) {
            let stamp = Stamp::new(data);
            if let Ok(mut stamps) = stamps.lock() {
                stamps.insert(path.to_string(), stamp);
            }
        }
        Ok(())
    }

    /// The stamp of a file stored in the staging directory: the one recorded when it was
    /// stored (see [`Staging::record_stamps`]), else read from the file.
    pub fn stamp(&self, path: &str) -> Option<Stamp> {
        let recorded = self
            .stamps
            .as_ref()
            .and_then(|s| s.lock().ok()?.get(path).cloned());
        recorded.or_else(|| Stamp::of(&self.root.join(path)))
    }

    /// Writes `.ftlsite-cache` into the staging directory, to be swapped in with the files it
    /// describes. Not counted as a file.
    pub fn store_cache(&self, cache: &Cache) -> Result<(), OutputError> {
        let bytes = cache.to_bytes();
        self.cached.store(true, Ordering::Relaxed);
        let same = self.deferring.load(Ordering::Acquire)
            && self.previous.as_ref().is_some_and(|previous| {
                std::fs::read(previous.join(CACHE)).is_ok_and(|old| old == bytes)
            });
        // Listed so the output is compared with it, not counted.
        if same && self.defer(&[CACHE], false) {
            return Ok(());
        }
        self.make_deferred()?;
        std::fs::write(self.root.join(CACHE), bytes).map_err(io(&self.out.join(CACHE)))
    }

    /// Puts the previous output's `.ftlsite-cache` into the staging directory unchanged, for a
    /// build that kept every page it describes.
    pub fn keep_cache(&self) -> Result<(), OutputError> {
        if self.previous.is_none() {
            return Ok(());
        }
        self.cached.store(true, Ordering::Relaxed);
        if self.defer(&[CACHE], false) {
            return Ok(());
        }
        self.link_cache()
    }

    /// Writes the marker and swaps the staging directory in; the old output is deleted.
    pub fn commit(mut self) -> Result<Written, OutputError> {
        if interrupt::cancelled() {
            return Err(OutputError::Interrupted);
        }
        let marker_bytes = self.marker.to_bytes();
        // The list is copied out of the lock: the listing runs on all cores, and a pool
        // thread must never wait on a lock its own stack holds.
        let listed = if self.deferring.load(Ordering::Acquire) {
            self.deferred.lock().ok().and_then(|d| d.clone())
        } else {
            None
        };
        let unchanged = listed.is_some_and(|listed| self.output_is(&listed, &marker_bytes));
        if unchanged {
            // The staging folder is empty; dropping it deletes it.
            return Ok(Written {
                out: self.out.clone(),
                files: self.files.load(Ordering::Relaxed),
                bytes: 0,
                kept: self.kept.load(Ordering::Relaxed),
                swap: Swap::Unchanged,
                swept: std::mem::take(&mut self.swept),
            });
        }
        self.make_deferred()?;
        let marker = self.root.join(MARKER);
        std::fs::write(&marker, marker_bytes).map_err(io(&self.out.join(MARKER)))?;
        let swap = match &self.target {
            Target::Replace { path, parent, name } => {
                let (path, parent, name) = (path.clone(), parent.clone(), name.clone());
                self.replace(&path, &parent, &name)?
            }
            Target::Contents { path } => {
                let path = path.clone();
                self.replace_contents(&path)?
            }
        };
        self.committed = true;
        // What is registered now is the old output: delete it.
        for old in self.registration.critical(|folders| folders.clone()) {
            if remove_tree(&old).is_err() {
                let _ = std::fs::remove_dir_all(old);
            }
        }
        // Deleting the old tree changed the status time of every file it shared with the new
        // one; the cache is dated after that, so the next build can trust those files' times.
        if self.cached.load(Ordering::Relaxed) {
            let (Target::Replace { path, .. } | Target::Contents { path }) = &self.target;
            let cache = path.join(CACHE);
            if let Ok(f) = std::fs::OpenOptions::new().write(true).open(&cache) {
                let _ = f.set_modified(std::time::SystemTime::now());
            }
        }
        Ok(Written {
            out: self.out.clone(),
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            kept: self.kept.load(Ordering::Relaxed),
            swap,
            swept: std::mem::take(&mut self.swept),
        })
    }

    /// Puts the staging folder at `target`, a folder in `parent`.
    fn replace(&mut self, target: &Path, parent: &Path, name: &str) -> Result<Swap, OutputError> {
        let root = self.root.clone();
        let out = self.out.clone();
        let fail = |source: std::io::Error| busy_or_io(&out, source);
        if std::fs::symlink_metadata(target).is_err() {
            return self.registration.critical(|folders| {
                std::fs::rename(&root, target).map_err(fail)?;
                folders.clear();
                Ok(Swap::Created)
            });
        }
        // After an exchange the staging path holds the old output, still registered.
        if self
            .registration
            .critical(|_| swap::exchange(&root, target))
            .map_err(fail)?
        {
            return Ok(Swap::Exchanged);
        }
        self.two_renames(target, parent, name)
    }

    /// The fallback swap: `target` is moved into a fresh `.NAME.old-*` folder in `parent`,
    /// then the staging folder renamed to `target`. Moves `target` back if the second rename
    /// fails.
    fn two_renames(
        &mut self,
        target: &Path,
        parent: &Path,
        name: &str,
    ) -> Result<Swap, OutputError> {
        let root = self.root.clone();
        let out = self.out.clone();
        let fail = |source: std::io::Error| busy_or_io(&out, source);
        let (aside, aside_lock) =
            lock::create(parent, &format!(".{name}.old-")).map_err(io(parent))?;
        self.locks.push(aside_lock);
        self.registration.critical(|folders| {
            folders.push(aside.clone());
            let old = aside.join("site");
            std::fs::rename(target, &old).map_err(fail)?;
            if let Err(source) = std::fs::rename(&root, target) {
                if let Err(restore) = std::fs::rename(&old, target) {
                    // The only copy of the previous output: never delete it.
                    folders.retain(|f| *f != aside);
                    return Err(OutputError::Stranded {
                        out: out.clone(),
                        old,
                        source,
                        restore,
                    });
                }
                return Err(fail(source));
            }
            folders.retain(|f| *f != root);
            Ok(Swap::TwoRenames)
        })
    }

    /// Replaces the entries of the mount point `target` with the staged ones.
    fn replace_contents(&mut self, target: &Path) -> Result<Swap, OutputError> {
        let (trash, trash_lock) = lock::create(target, OLD_INSIDE).map_err(io(target))?;
        self.locks.push(trash_lock);
        let root = self.root.clone();
        self.registration
            .critical(|folders| {
                folders.push(trash.clone());
                swap::replace_contents(target, &root, &trash, reserved_inside)
            })
            .map_err(io(&self.out))?;
        Ok(Swap::Contents)
    }
}

/// `EBUSY` from a rename means the output is held (a mount point, usually); other errors are
/// plain I/O errors.
fn busy_or_io(out: &Path, source: std::io::Error) -> OutputError {
    if source.kind() == std::io::ErrorKind::ResourceBusy {
        OutputError::Busy {
            path: out.to_path_buf(),
            source,
        }
    } else {
        io(out)(source)
    }
}

/// Deletes the folder `dir` and everything in it, its subfolders on all cores: the old output
/// of a large site is tens of thousands of files, deleted after every build. Symlinks are
/// deleted, never followed.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

impl Drop for Staging {
    /// An uncommitted staging folder is deleted; a folder the old output was to be moved into
    /// is deleted only when empty.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        let root = self.root.clone();
        self.registration.critical(|folders| {
            for folder in folders.iter() {
                if *folder == root {
                    let _ = std::fs::remove_dir_all(folder);
                } else {
                    let _ = std::fs::remove_dir(folder);
                }
            }
        });
    }
}

impl OutputError {
    /// The error as an `io::Error` for a [`crate::render::Sink`]: file system errors keep their
    /// kind and OS message (the renderer adds the path).
    pub fn into_io(self) -> std::io::Error {
        match self {
            OutputError::Io { source, .. } => source,
            OutputError::Interrupted => std::io::Error::from(std::io::ErrorKind::Interrupted),
            other => std::io::Error::other(other),
        }
    }
}

impl crate::render::Sink for Staging {
    /// File system errors keep their kind and OS message; the renderer adds the path.
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.store(path, bytes).map_err(OutputError::into_io)
    }
}

/// Creates `root/dir` one level at a time. Unlike `create_dir_all` it never recreates `root`
/// itself, so a writer still running after an interrupt cannot bring back a staging folder
/// that the cleanup removed.
fn make_dirs(root: &Path, dir: &str) -> std::io::Result<()> {
    let mut path = root.to_path_buf();
    for part in dir.split('/') {
        path.push(part);
        match std::fs::create_dir(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> Options {
        Options {
            marker: Marker::new("0000000000000000".into(), None),
            force: false,
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn replaces_output_and_refuses_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let mut files = BTreeMap::new();
        files.insert("a/b.html".to_string(), b"one".to_vec());
        write(&files, &out, &options()).unwrap();
        std::fs::write(out.join("stale.txt"), "x").unwrap();
        files.insert("c.html".to_string(), b"two".to_vec());
        let w = write(&files, &out, &options()).unwrap();
        assert_eq!(w.files, 2);
        assert!(!out.join("stale.txt").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/b.html")).unwrap(),
            "one"
        );
        let mut bad = BTreeMap::new();
        bad.insert("../evil.html".to_string(), b"x".to_vec());
        assert!(matches!(
            write(&bad, &out, &options()),
            Err(OutputError::Escape(_))
        ));
        let mut bad = BTreeMap::new();
        bad.insert(MARKER.to_string(), b"x".to_vec());
        assert!(matches!(
            write(&bad, &out, &options()),
            Err(OutputError::Reserved(_))
        ));
        assert_eq!(std::fs::read_to_string(out.join("c.html")).unwrap(), "two");
        assert_eq!(names(dir.path()), ["site"]);
        assert_eq!(names(&out), [MARKER, "a", "c.html"]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn rebuild_swaps_by_atomic_exchange() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let files = BTreeMap::from([("index.html".to_string(), b"x".to_vec())]);
        assert_eq!(write(&files, &out, &options()).unwrap().swap, Swap::Created);
        assert_eq!(
            write(&files, &out, &options()).unwrap().swap,
            Swap::Exchanged
        );
        assert_eq!(names(dir.path()), ["site"]);
    }

    /// Atomic exchange is what keeps the output present; the two-rename fallback would fail
    /// this test.
    #[cfg(any(target_os = "linux", target_vendor = "apple"))]
    #[test]
    fn output_never_disappears_during_a_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let files = BTreeMap::from([("index.html".to_string(), b"x".to_vec())]);
        write(&files, &out, &options()).unwrap();
        let done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let watcher = s.spawn(|| {
                let mut missing = 0;
                while !done.load(Ordering::SeqCst) {
                    if !out.join("index.html").exists() {
                        missing += 1;
                    }
                }
                missing
            });
            for _ in 0..200 {
                write(&files, &out, &options()).unwrap();
            }
            done.store(true, Ordering::SeqCst);
            assert_eq!(watcher.join().unwrap(), 0, "the output was missing");
        });
    }

    #[test]
    fn non_empty_folder_without_marker_is_refused_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("project");
        std::fs::create_dir_all(out.join("src")).unwrap();
        std::fs::write(out.join("src/main.c"), "int main;").unwrap();
        let files = BTreeMap::from([("index.html".to_string(), b"x".to_vec())]);
        let err = write(&files, &out, &options()).unwrap_err();
        assert!(
            matches!(
                err,
                OutputError::NotAnOutput {
                    reason: MarkerError::Missing,
                    ..
                }
            ),
            "{err}"
        );
        assert!(out.join("src/main.c").exists());
        assert_eq!(names(dir.path()), ["project"]);
        let forced = Options {
            force: true,
            ..options()
        };
        write(&files, &out, &forced).unwrap();
        assert_eq!(names(&out), [MARKER, "index.html"]);
        // Now it is an ftlsite output: no force needed.
        write(&files, &out, &options()).unwrap();
    }

    #[test]
    fn two_rename_fallback_replaces_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let files = BTreeMap::from([("index.html".to_string(), b"new".to_vec())]);
        write(&files, &out, &options()).unwrap();
        let mut staging = Staging::new(&out, &options()).unwrap();
        staging.store("index.html", b"newer").unwrap();
        let (target, parent) = (
            out.canonicalize().unwrap(),
            dir.path().canonicalize().unwrap(),
        );
        std::fs::write(staging.root.join(MARKER), options().marker.to_bytes()).unwrap();
        assert_eq!(
            staging.two_renames(&target, &parent, "site").unwrap(),
            Swap::TwoRenames
        );
        staging.committed = true;
        for old in staging.registration.critical(|f| f.clone()) {
            std::fs::remove_dir_all(old).unwrap();
        }
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "newer"
        );
        assert_eq!(names(dir.path()), ["site"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_output_builds_into_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("releases/www");
        std::fs::create_dir_all(&target).unwrap();
        let link = dir.path().join("public");
        std::os::unix::fs::symlink("releases/www", &link).unwrap();
        let files = BTreeMap::from([("index.html".to_string(), b"x".to_vec())]);
        write(&files, &link, &options()).unwrap();
        write(&files, &link, &options()).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(target.join("index.html").exists());
        assert_eq!(names(&dir.path().join("releases")), ["www"]);
    }

    #[cfg(unix)]
    #[test]
    fn remove_tree_deletes_nested_folders_but_not_what_a_symlink_points_at() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("elsewhere");
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::write(keep.join("precious.txt"), "x").unwrap();
        let old = dir.path().join("old");
        for d in ["en-US/pages/a", "zh-CN/pages", "assets"] {
            std::fs::create_dir_all(old.join(d)).unwrap();
        }
        for f in ["en-US/pages/a/1.html", "zh-CN/pages/2.html", "index.html"] {
            std::fs::write(old.join(f), f).unwrap();
        }
        std::os::unix::fs::symlink(&keep, old.join("assets/link")).unwrap();
        remove_tree(&old).unwrap();
        assert!(!old.exists());
        assert_eq!(
            std::fs::read_to_string(keep.join("precious.txt")).unwrap(),
            "x"
        );
        assert!(remove_tree(&old).is_err(), "a missing folder is an error");
    }

    #[test]
    fn a_stamp_matches_only_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        std::fs::write(&path, "<p>one</p>").unwrap();
        let stamp = Stamp::new(b"<p>one</p>");
        assert!(stamp.matches(&path, None));
        assert_eq!(Stamp::of(&path).as_ref(), Some(&stamp));
        std::fs::write(&path, "<p>two</p>").unwrap();
        assert!(!stamp.matches(&path, None), "same size, other bytes");
        std::fs::write(&path, "<p>one</p>\n").unwrap();
        assert!(!stamp.matches(&path, None), "another size");
        assert!(!stamp.matches(dir.path(), None), "a folder");
        assert!(!stamp.matches(&dir.path().join("missing.html"), None));
        assert_ne!(Stamp::new(b"a").hash, Stamp::new(b"b").hash);
    }

    /// A file of the recorded size whose status changed before the cache was written is
    /// taken as is; one changed since is read, whatever its modification time says.
    #[cfg(unix)]
    #[test]
    fn a_file_untouched_since_the_cache_is_not_read() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        std::fs::write(&path, "<p>two</p>").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let ctime = (meta.ctime(), meta.ctime_nsec());
        let stamp = Stamp::new(b"<p>one</p>");
        // Written after the file: the file is trusted without being read.
        assert!(stamp.matches(&path, Some((ctime.0 + 1, 0))));
        // Written in the same tick as the file, or before it: the bytes decide.
        assert!(!stamp.matches(&path, Some(ctime)));
        assert!(!stamp.matches(&path, Some((ctime.0 - 1, 0))));
        // The size is still checked first.
        assert!(!Stamp::new(b"<p>three</p>").matches(&path, Some((ctime.0 + 1, 0))));
    }

    /// A cache read ahead is used only for the same, unchanged file.
    #[cfg(unix)]
    #[test]
    fn a_prefetched_cache_is_taken_only_for_the_file_it_read() {
        let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let page = CachedPage::new("k1".into(), Stamp::default(), &Default::default(), &[]);
        let cache = Cache::with_pages("s".into(), vec![Some(("en-US/a.html", page, vec!["a"]))]);
        std::fs::write(one.path().join(CACHE), cache.to_bytes()).unwrap();
        std::fs::write(two.path().join(CACHE), Cache::new().to_bytes()).unwrap();
        let taken = Prefetch::start(one.path()).take(one.path()).unwrap();
        assert_eq!(taken.pages, cache.pages);
        // Read ahead from one output, asked for another: the other's is read.
        let taken = Prefetch::start(one.path()).take(two.path()).unwrap();
        assert!(taken.pages.is_empty());
        // Nothing to read ahead: read when asked.
        let empty = tempfile::tempdir().unwrap();
        let taken = Prefetch::start(empty.path()).take(one.path()).unwrap();
        assert_eq!(taken.pages, cache.pages);
        assert!(matches!(
            Prefetch::start(one.path()).take(empty.path()),
            Err(CacheError::Missing)
        ));
    }

    /// The cache file's own time is what its pages are compared with.
    #[cfg(unix)]
    #[test]
    fn a_read_cache_knows_when_it_was_written() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CACHE), Cache::new().to_bytes()).unwrap();
        let cache = Cache::read(dir.path()).unwrap();
        let meta = std::fs::metadata(dir.path().join(CACHE)).unwrap();
        let modified = meta
            .modified()
            .unwrap()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap();
        let (secs, nanos) = cache.written.unwrap();
        assert!(
            (secs, nanos)
                <= (
                    modified.as_secs() as i64,
                    i64::from(modified.subsec_nanos())
                )
        );
        assert!(secs > 0);
    }
}
