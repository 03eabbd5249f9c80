//! Write stage: `.ftlsite-cache`, what an incremental `build` needs to know about the pages
//! of the output it replaces.
//!
//! The cache sits beside the marker at the root of the output and is written into the staging
//! folder with the pages, so it is swapped in with them: it always describes the tree it is
//! in. It is a hint, never trusted: a file that does not parse, has another format, or was
//! written by another ftlsite version is ignored (every page is rendered), and a page is kept
//! only when its file still has the bytes the cache describes (same size and content hash)
//! and its input fingerprint ([`crate::render::inputs`]) is unchanged. Like the marker, it
//! holds no timestamp, inode or absolute path: identical builds write identical caches.
//!
//! Whether a file still has its bytes is first asked of the file system, the way `git status`
//! and `rsync` do: a file of the recorded size whose status last changed (its `ctime`, which
//! every write, rename, link or `touch` moves to the present and nothing can set back) before
//! the cache file was written has not been touched since, and is not read. Any other file is
//! read and hashed. Both times come from the file system's own clock, so the rule costs
//! nothing in the cache's bytes; a file changed in the same clock tick as the cache was
//! written is read, never trusted.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::render::{KeptPage, Link, PageLinks};

/// File name of the cache, at the root of an output built incrementally.
pub const CACHE: &str = ".ftlsite-cache";

/// The cache layout this release writes, and the way its input fingerprints are computed
/// (3: page variables are hashed by kind and value, no longer through their `Debug` text; 4: the
/// cache names the inputs its fingerprints were computed from, `site`; 5: file stamps are
/// XXH3-128 instead of SipHash-1-3).
pub const CACHE_FORMAT: u32 = 5;

/// The content of `.ftlsite-cache`: one JSON object.
///
/// ```json
/// {
///   "format": 5,
///   "tool": "ftlsite",
///   "version": "0.1.0",
///   "site": "9a3e0c5b7d1f2468",
///   "ids": ["footer", "title"],
///   "pages": {
///     "en-US/index.html": {
///       "key": "4f0c1a9e2b7d3c58",
///       "file": { "len": 1234, "hash": "5e1f0c37d2a94b6e8c1a7d30f2b45e19" },
///       "used": [0, 1],
///       "anchors": ["top"],
///       "fragments": [["a", "href", "other.html#top", 120]],
///       "fallbacks": [["footer", "en-US"]]
///     }
///   }
/// }
/// ```
///
/// - `site`: the fingerprint of the inputs and options of the build that wrote the cache, as in
///   the output's marker ([`crate::output::fingerprint`]). A build over the same inputs knows
///   every page's fingerprint is the one listed without computing it again.
/// - `ids`: every message id the pages formatted, once; `used` indexes into it.
/// - `key`: the page's input fingerprint when it was rendered.
/// - `file`: the size and a XXH3-128 of the page's file as written, to tell
///   whether it was changed since.
/// - `anchors`, `fragments`: the page's ids, and its links that carry a `#fragment` (tag,
///   attribute, value, index among the page's links): what the link check needs of a page it does not render.
/// - `fallbacks`: `(id, locale used)` of the messages it took from a fallback locale.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cache {
    /// Layout version, [`CACHE_FORMAT`] when written by this release.
    pub format: u32,
    /// Always `ftlsite`.
    pub tool: String,
    /// The ftlsite version that wrote it.
    pub version: String,
    /// Fingerprint of the inputs and options the page fingerprints were computed from.
    #[serde(default)]
    pub site: String,
    /// Message ids, referred to by index.
    pub ids: Vec<String>,
    /// Pages by output path.
    #[serde(deserialize_with = "in_one_step")]
    pub pages: BTreeMap<String, CachedPage>,
    /// When the cache file was written, by the file system's clock (the earlier of its
    /// modification and status-change times), for [`Stamp::matches`]. Not part of the file.
    #[serde(skip)]
    pub written: Option<Moment>,
}

/// A JSON object read into a map in one step: its entries are collected, then the map is built
/// from them at once (the cache writes them sorted, so that is one pass), instead of one
/// insertion per entry into a growing tree. Of two entries with one key, the later stands, as
/// with insertions.
fn in_one_step<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Entries<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Entries<V> {
        type Value = Vec<(String, V)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
            while let Some(entry) = map.next_entry()? {
                entries.push(entry);
            }
            Ok(entries)
        }
    }
    Ok(d.deserialize_map(Entries(std::marker::PhantomData))?
        .into_iter()
        .collect())
}

/// A time as a file system records it: seconds and nanoseconds since the Unix epoch.
pub type Moment = (i64, i64);

/// One page of the cache.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedPage {
    /// Input fingerprint.
    pub key: String,
    /// The file as written.
    pub file: Stamp,
    /// Indexes into [`Cache::ids`] of the messages the page formatted.
    pub used: Vec<u32>,
    /// Ids on the page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<String>,
    /// Links with a fragment: tag, attribute, value, index among the page's `href`s and `src`s.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fragments: Vec<(String, String, String, usize)>,
    /// `(id, locale used)` of each fallback.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fallbacks: Vec<(String, String)>,
}

/// What a file holds, in brief: its size and a hash of its bytes. Unlike a modification time
/// or an inode it is the same for the same bytes in any folder, so the cache stays
/// deterministic, and a file edited in place in any way no longer matches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub len: u64,
    /// XXH3-128 of the bytes, in hex: a fixed algorithm with a fixed seed, so it is the same
    /// on every platform and release, and it hashes a page in a small fraction of the time
    /// writing it takes (a no-op rebuild hashes every page it keeps).
    pub hash: String,
}

impl Stamp {
    /// The stamp of `bytes`.
    pub fn new(bytes: &[u8]) -> Stamp {
        Stamp {
            len: bytes.len() as u64,
            hash: format!("{:032x}", twox_hash::XxHash3_128::oneshot(bytes)),
        }
    }

    /// True when the regular file at `path` holds bytes with this stamp. A file of another size
    /// is not read, nor is one whose status last changed before `unchanged_since` (the time the
    /// cache was written, see the module notes); the others are read into one buffer per
    /// thread: an incremental build asks this of every page it keeps.
    pub fn matches(&self, path: &Path, unchanged_since: Option<Moment>) -> bool {
        use std::io::Read;
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return false;
        };
        if !meta.is_file() || meta.len() != self.len {
            return false;
        }
        if unchanged_since.is_some_and(|since| changed(&meta).is_some_and(|c| c < since)) {
            return true;
        }
        let Ok(file) = std::fs::File::open(path) else {
            return false;
        };
        BUFFER.with_borrow_mut(|buf| {
            buf.clear();
            // One byte more than expected, to see a file that grew since the stat.
            file.take(self.len + 1).read_to_end(buf).is_ok() && Stamp::new(buf) == *self
        })
    }

    /// The stamp of the regular file at `path`; `None` for anything else or an error.
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        std::fs::read(path).ok().map(|b| Stamp::new(&b))
    }
}

/// When the status of the file described by `meta` last changed (`ctime`), where the
/// platform records it.
fn changed(meta: &std::fs::Metadata) -> Option<Moment> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.ctime(), meta.ctime_nsec()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// When the file described by `meta` was written: the earlier of its modification time, which
/// a copy may keep or a `touch` move, and its status-change time, which nothing moves back.
fn written(meta: &std::fs::Metadata) -> Option<Moment> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        changed(meta).map(|c| c.min((meta.mtime(), meta.mtime_nsec())))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// A cache read and parsed on another thread while the site loads and is validated (reading
/// the 4 MB cache of a 20,000-page output is a tenth of a no-op rebuild), taken only if the file
/// is still the one that was read: same device, inode, size and status-change time.
pub struct Prefetch {
    reading: std::thread::JoinHandle<Option<(FileKey, Result<Cache, CacheError>)>>,
}

/// What identifies a file's current content without reading it.
type FileKey = (u64, u64, u64, Moment);

fn file_key(path: &Path) -> Option<FileKey> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::symlink_metadata(path).ok()?;
        m.is_file()
            .then(|| (m.dev(), m.ino(), m.len(), (m.ctime(), m.ctime_nsec())))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

impl Prefetch {
    /// Starts reading the cache of the output at `out`, if it has one.
    pub fn start(out: &Path) -> Prefetch {
        let dir = out.to_path_buf();
        Prefetch {
            reading: std::thread::spawn(move || {
                let key = file_key(&dir.join(CACHE))?;
                Some((key, Cache::read(&dir)))
            }),
        }
    }

    /// The cache at the root of `dir`: the one read ahead when it is that same file, unchanged
    /// since; otherwise read now.
    pub fn take(self, dir: &Path) -> Result<Cache, CacheError> {
        match self.reading.join() {
            Ok(Some((key, cache))) if file_key(&dir.join(CACHE)) == Some(key) => cache,
            _ => Cache::read(dir),
        }
    }
}

/// Why a cache was ignored.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// There is none (a first build, or one that did not write it).
    #[error("there is no {CACHE}")]
    Missing,
    /// It does not parse, or another layout, tool or version wrote it.
    #[error("{CACHE} is not usable: {0}")]
    Invalid(String),
}

impl Cache {
    /// An empty cache of this release.
    pub fn new() -> Cache {
        Cache {
            format: CACHE_FORMAT,
            tool: "ftlsite".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            ..Cache::default()
        }
    }

    /// Reads the cache at the root of `dir`, refusing one this release did not write.
    pub fn read(dir: &Path) -> Result<Cache, CacheError> {
        let path = dir.join(CACHE);
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => m,
            _ => return Err(CacheError::Missing),
        };
        let bytes = std::fs::read(&path).map_err(|e| CacheError::Invalid(e.to_string()))?;
        let mut cache = Cache::parse(&bytes)?;
        cache.written = written(&meta);
        Ok(cache)
    }

    /// Parses a cache file's bytes.
    pub fn parse(bytes: &[u8]) -> Result<Cache, CacheError> {
        let cache: Cache =
            serde_json::from_slice(bytes).map_err(|e| CacheError::Invalid(e.to_string()))?;
        let this = Cache::new();
        if (cache.format, &cache.tool, &cache.version) != (this.format, &this.tool, &this.version) {
            return Err(CacheError::Invalid(format!(
                "format {} of {} {}, not format {} of {} {}",
                cache.format, cache.tool, cache.version, this.format, this.tool, this.version
            )));
        }
        if cache
            .pages
            .values()
            .flat_map(|p| &p.used)
            .any(|i| *i as usize >= cache.ids.len())
        {
            return Err(CacheError::Invalid(
                "a message index is out of range".into(),
            ));
        }
        Ok(cache)
    }

    /// The file's bytes (compact JSON and a newline): what `serde_json` writes for the whole
    /// cache, with the pages (4 MB for 20,000 of them) serialized on all cores.
    pub fn to_bytes(&self) -> Vec<u8> {
        use rayon::prelude::*;
        #[derive(Serialize)]
        struct Head<'a> {
            format: u32,
            tool: &'a str,
            version: &'a str,
            site: &'a str,
            ids: &'a [String],
        }
        let head = Head {
            format: self.format,
            tool: &self.tool,
            version: &self.version,
            site: &self.site,
            ids: &self.ids,
        };
        let mut bytes = serde_json::to_vec(&head).unwrap_or_default();
        // `{...}` becomes `{...,"pages":{` and the entries follow.
        bytes.pop();
        bytes.extend_from_slice(b",\"pages\":{");
        let entries: Vec<(&String, &CachedPage)> = self.pages.iter().collect();
        let chunks: Vec<Vec<u8>> = entries
            .par_chunks(1024)
            .map(|chunk| {
                let mut out = Vec::new();
                for (path, page) in chunk {
                    out.push(b',');
                    let _ = serde_json::to_writer(&mut out, path);
                    out.push(b':');
                    let _ = serde_json::to_writer(&mut out, page);
                }
                out
            })
            .collect();
        for (i, chunk) in chunks.iter().enumerate() {
            // Every chunk starts with a comma; the first entry of all has none.
            bytes.extend_from_slice(if i == 0 { &chunk[1..] } else { chunk });
        }
        bytes.extend_from_slice(b"}}\n");
        bytes
    }

    /// The message ids page `entry` formatted.
    pub fn used<'a>(&'a self, entry: &'a CachedPage) -> impl Iterator<Item = &'a str> + 'a {
        entry
            .used
            .iter()
            .filter_map(|i| self.ids.get(*i as usize).map(String::as_str))
    }

    /// A cache of this release for the inputs `site`, holding `pages` (output path, entry, the
    /// message ids it formatted; `None` for a page the caller could not describe, which is left
    /// out and so rendered by the next build), built on all cores. [`Cache::ids`] lists every
    /// id once, in string order, and each page's `used` holds sorted indexes into it, so the ids
    /// a page formatted come out of [`Cache::used`] sorted, as its fingerprint takes them. Of
    /// two entries with one path, the later stands.
    pub fn with_pages<P: AsRef<str> + Send + Sync>(
        site: String,
        pages: Vec<Option<(P, CachedPage, Vec<&str>)>>,
    ) -> Cache {
        use rayon::prelude::*;
        type Set<'a> = std::collections::HashSet<&'a str, rustc_hash::FxBuildHasher>;
        let distinct = pages
            .par_iter()
            .flatten()
            .fold(Set::default, |mut set, (_, _, used)| {
                set.extend(used.iter().copied());
                set
            })
            .reduce(Set::default, |mut a, mut b| {
                if a.len() < b.len() {
                    std::mem::swap(&mut a, &mut b);
                }
                a.extend(b);
                a
            });
        let mut ids: Vec<&str> = distinct.into_iter().collect();
        ids.sort_unstable();
        let index: std::collections::HashMap<&str, u32, rustc_hash::FxBuildHasher> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, i as u32))
            .collect();
        let mut all: Vec<(String, usize, CachedPage)> = pages
            .into_par_iter()
            .enumerate()
            .filter_map(|(at, entry)| {
                let (path, mut page, used) = entry?;
                page.used = used
                    .iter()
                    .filter_map(|id| index.get(id).copied())
                    .collect();
                page.used.sort_unstable();
                Some((path.as_ref().to_string(), at, page))
            })
            .collect();
        // Sorted in place on all cores, by path and then by place, so that the tree, built
        // bottom-up in one pass, keeps the later entry of a repeated path.
        all.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        Cache {
            site,
            ids: ids.into_iter().map(str::to_string).collect(),
            pages: all
                .into_iter()
                .map(|(path, _, page)| (path, page))
                .collect(),
            ..Cache::new()
        }
    }
}

impl CachedPage {
    /// The entry of a page rendered (or kept) with fingerprint `key` into a file with `file`,
    /// holding what the link check needs of `links`; [`Cache::with_pages`] fills in the messages.
    pub fn new(
        key: String,
        file: Stamp,
        links: &PageLinks,
        fallbacks: &[(String, String)],
    ) -> CachedPage {
        CachedPage {
            key,
            file,
            used: Vec::new(),
            anchors: links.ids.iter().cloned().collect(),
            fragments: links
                .links
                .iter()
                .filter(|l| l.value.contains('#'))
                .map(|l| (l.tag.clone(), l.attr.clone(), l.value.clone(), l.index))
                .collect(),
            fallbacks: fallbacks.to_vec(),
        }
    }

    /// What the render stage needs of the page when its file is kept. Only the links with a
    /// fragment are recorded: whether any other link resolves depends only on the set of
    /// written paths, which is part of every page's fingerprint.
    pub fn kept(&self) -> KeptPage {
        KeptPage {
            links: PageLinks {
                ids: self.anchors.iter().cloned().collect(),
                links: self
                    .fragments
                    .iter()
                    .map(|(tag, attr, value, index)| Link {
                        tag: tag.clone(),
                        attr: attr.clone(),
                        value: value.clone(),
                        index: *index,
                    })
                    .collect(),
            },
            fallbacks: self.fallbacks.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_serde_json_writes_for_the_whole_cache() {
        let cache = Cache::new();
        let empty = serde_json::to_vec(&cache).unwrap();
        assert_eq!(cache.to_bytes(), [&empty[..], b"\n"].concat());
        let links = PageLinks {
            ids: ["top".to_string()].into_iter().collect(),
            links: vec![Link {
                tag: "a".into(),
                attr: "href".into(),
                value: "b.html#top \"q\"".into(),
                index: 3,
            }],
        };
        let none = PageLinks::default();
        let pages = (0..3000).map(|n| {
            let page = CachedPage::new(
                format!("{n:016x}"),
                Stamp::new(n.to_string().as_bytes()),
                if n % 7 == 0 { &links } else { &none },
                &[("m".into(), "en-US".into())][..(n % 2)],
            );
            (format!("zh-CN/p\u{e9}{n}.html"), page, vec!["a", "b\"c"])
        });
        let cache = Cache::with_pages(String::new(), pages.map(Some).collect());
        let whole = serde_json::to_vec(&cache).unwrap();
        assert_eq!(cache.to_bytes(), [&whole[..], b"\n"].concat());
        assert_eq!(Cache::parse(&cache.to_bytes()).unwrap(), cache);
    }

    #[test]
    fn round_trips_and_refuses_other_versions() {
        let page = || CachedPage::new("k".into(), Stamp::default(), &PageLinks::default(), &[]);
        let cache = Cache::with_pages(
            "s".into(),
            vec![Some(("en-US/a.html", page(), vec!["b", "a"])), None],
        );
        let bytes = cache.to_bytes();
        let back = Cache::parse(&bytes).unwrap();
        assert_eq!(back, cache);
        let used: Vec<&str> = back.used(&back.pages["en-US/a.html"]).collect();
        assert_eq!(used, ["a", "b"]);
        // Ids are listed once, in string order, whatever order the pages give them in; a
        // repeated path keeps its later entry.
        let mut later = page();
        later.key = "later".into();
        let sorted = Cache::with_pages(
            "s".into(),
            vec![
                Some(("en-US/b.html", page(), vec!["c", "a"])),
                Some(("en-US/a.html", page(), vec!["b", "a"])),
                Some(("en-US/b.html", later, vec!["c", "d"])),
            ],
        );
        assert_eq!(sorted.ids, ["a", "b", "c", "d"]);
        assert_eq!(sorted.pages["en-US/a.html"].used, [0, 1]);
        assert_eq!(sorted.pages["en-US/b.html"].key, "later");
        let used: Vec<&str> = sorted.used(&sorted.pages["en-US/b.html"]).collect();
        assert_eq!(used, ["c", "d"], "in string order, without sorting");
        let other = String::from_utf8(bytes)
            .unwrap()
            .replace(env!("CARGO_PKG_VERSION"), "0.0.0-other");
        assert!(matches!(
            Cache::parse(other.as_bytes()),
            Err(CacheError::Invalid(_))
        ));
        assert!(matches!(Cache::parse(b"{"), Err(CacheError::Invalid(_))));
        // Pages in any order, one of them twice: read as insertions would read them.
        let mixed = format!(
            "{{\"format\":{CACHE_FORMAT},\"tool\":\"ftlsite\",\"version\":\"{}\",\"ids\":[],\"pages\":{{{}}}}}",
            env!("CARGO_PKG_VERSION"),
            ["b", "a", "c", "a"]
                .iter()
                .enumerate()
                .map(|(n, p)| format!("\"{p}.html\":{{\"key\":\"{n}\",\"file\":{{\"len\":1,\"hash\":\"h\"}},\"used\":[]}}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let read = Cache::parse(mixed.as_bytes()).unwrap();
        let keys: Vec<(&str, &str)> = read
            .pages
            .iter()
            .map(|(p, page)| (p.as_str(), page.key.as_str()))
            .collect();
        assert_eq!(keys, [("a.html", "3"), ("b.html", "0"), ("c.html", "2")]);
    }
}
