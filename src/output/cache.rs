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

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::render::{KeptPage, Link, PageLinks};

/// File name of the cache, at the root of an output built incrementally.
pub const CACHE: &str = ".ftlsite-cache";

/// The cache layout this release writes.
pub const CACHE_FORMAT: u32 = 2;

/// The content of `.ftlsite-cache`: one JSON object.
///
/// ```json
/// {
///   "format": 2,
///   "tool": "ftlsite",
///   "version": "0.1.0",
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
/// - `ids`: every message id the pages formatted, once; `used` indexes into it.
/// - `key`: the page's input fingerprint when it was rendered.
/// - `file`: the size and a SipHash-1-3 (128 bits) of the page's file as written, to tell
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
    /// Message ids, referred to by index.
    pub ids: Vec<String>,
    /// Pages by output path.
    pub pages: BTreeMap<String, CachedPage>,
}

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
    /// SipHash-1-3 of the bytes, 128 bits in hex: a fixed algorithm with fixed keys, so it
    /// is the same on every platform and release, and fast enough to hash every page as it is
    /// written (several times the speed of the byte-at-a-time FNV of the marker).
    pub hash: String,
}

impl Stamp {
    /// The stamp of `bytes`.
    pub fn new(bytes: &[u8]) -> Stamp {
        Stamp {
            len: bytes.len() as u64,
            hash: {
                use std::hash::Hasher;
                let mut h = siphasher::sip128::SipHasher13::new();
                h.write(bytes);
                format!(
                    "{:032x}",
                    siphasher::sip128::Hasher128::finish128(&h).as_u128()
                )
            },
        }
    }

    /// True when the regular file at `path` holds bytes with this stamp. A file of another size
    /// is not read, and files are read into one buffer per thread: an incremental build asks
    /// this of every page it keeps.
    pub fn matches(&self, path: &Path) -> bool {
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
        if Stamp::of(&path).is_none() {
            return Err(CacheError::Missing);
        }
        let bytes = std::fs::read(&path).map_err(|e| CacheError::Invalid(e.to_string()))?;
        Cache::parse(&bytes)
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

    /// The file's bytes (compact JSON and a newline).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// The message ids page `entry` formatted.
    pub fn used<'a>(&'a self, entry: &'a CachedPage) -> impl Iterator<Item = &'a str> + 'a {
        entry
            .used
            .iter()
            .filter_map(|i| self.ids.get(*i as usize).map(String::as_str))
    }

    /// Adds a page, interning the message ids it formatted (`used`) through `index`.
    pub fn add<'a>(
        &mut self,
        index: &mut std::collections::HashMap<String, u32>,
        path: &str,
        mut page: CachedPage,
        used: impl IntoIterator<Item = &'a str>,
    ) {
        page.used = used
            .into_iter()
            .map(|id| match index.get(id) {
                Some(i) => *i,
                None => {
                    let i = self.ids.len() as u32;
                    self.ids.push(id.to_string());
                    index.insert(id.to_string(), i);
                    i
                }
            })
            .collect();
        page.used.sort_unstable();
        self.pages.insert(path.to_string(), page);
    }
}

impl CachedPage {
    /// The entry of a page rendered (or kept) with fingerprint `key` into a file with `file`,
    /// holding what the link check needs of `links`; [`Cache::add`] fills in the messages.
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
    fn round_trips_and_refuses_other_versions() {
        let mut cache = Cache::new();
        let mut index = std::collections::HashMap::new();
        let page = CachedPage::new("k".into(), Stamp::default(), &PageLinks::default(), &[]);
        cache.add(&mut index, "en-US/a.html", page, ["b", "a"]);
        let bytes = cache.to_bytes();
        let back = Cache::parse(&bytes).unwrap();
        assert_eq!(back, cache);
        let page = &back.pages["en-US/a.html"];
        let mut used: Vec<&str> = back.used(page).collect();
        used.sort();
        assert_eq!(used, ["a", "b"]);
        let other = String::from_utf8(bytes)
            .unwrap()
            .replace(env!("CARGO_PKG_VERSION"), "0.0.0-other");
        assert!(matches!(
            Cache::parse(other.as_bytes()),
            Err(CacheError::Invalid(_))
        ));
        assert!(matches!(Cache::parse(b"{"), Err(CacheError::Invalid(_))));
    }
}
