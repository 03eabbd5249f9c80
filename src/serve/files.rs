//! The preview's output files in memory: what `serve` answers requests from.

use std::collections::BTreeMap;
use std::sync::Arc;

type Table = BTreeMap<Arc<str>, Arc<[u8]>>;

/// Every output file of a preview build, by output-relative path.
///
/// A rebuild after an edit re-renders a few hundred pages of tens of thousands, while the
/// server still answers from the previous build. So the table is in two layers: a `base` shared
/// by every build made from it, and the files replaced since. Copying the table for a rebuild
/// copies only the second layer; it is folded into a new base once it holds a sixteenth of it,
/// so lookups stay two map probes and the copies stay small. The bytes are shared throughout.
#[derive(Clone, Default)]
pub struct Files {
    base: Arc<Table>,
    changed: Table,
}

impl Files {
    /// No files.
    pub fn new() -> Files {
        Files::default()
    }

    /// The bytes of the file at `path`.
    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.changed.get(path).or_else(|| self.base.get(path))
    }

    /// Whether there is a file at `path`.
    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// Puts `bytes` at `path`, replacing what was there.
    pub fn insert(&mut self, path: Arc<str>, bytes: Arc<[u8]>) {
        self.changed.insert(path, bytes);
        if self.changed.len() > self.base.len() / 16 + 16 {
            let mut base = Table::clone(&self.base);
            base.append(&mut self.changed);
            self.base = Arc::new(base);
        }
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.base.len()
            + self
                .changed
                .keys()
                .filter(|k| !self.base.contains_key(*k))
                .count()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.base.is_empty() && self.changed.is_empty()
    }

    /// Every file, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Arc<[u8]>)> {
        let mut base = self.base.iter().peekable();
        let mut changed = self.changed.iter().peekable();
        std::iter::from_fn(move || match (base.peek(), changed.peek()) {
            (Some((b, _)), Some((c, _))) if b < c => base.next(),
            (Some((b, _)), Some((c, _))) if b == c => {
                base.next();
                changed.next()
            }
            (_, Some(_)) => changed.next(),
            (Some(_), None) => base.next(),
            (None, None) => None,
        })
    }
}

impl Extend<(Arc<str>, Arc<[u8]>)> for Files {
    fn extend<I: IntoIterator<Item = (Arc<str>, Arc<[u8]>)>>(&mut self, files: I) {
        for (path, bytes) in files {
            self.insert(path, bytes);
        }
    }
}

impl FromIterator<(Arc<str>, Arc<[u8]>)> for Files {
    fn from_iter<I: IntoIterator<Item = (Arc<str>, Arc<[u8]>)>>(files: I) -> Files {
        Files {
            base: Arc::new(files.into_iter().collect()),
            changed: Table::new(),
        }
    }
}

impl std::ops::Index<&str> for Files {
    type Output = Arc<[u8]>;

    fn index(&self, path: &str) -> &Arc<[u8]> {
        self.get(path)
            .unwrap_or_else(|| panic!("no preview file {path}"))
    }
}

impl PartialEq for Files {
    fn eq(&self, other: &Files) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Files {}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(path, bytes)| (path, bytes.len())))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> (Arc<str>, Arc<[u8]>) {
        (Arc::from(path), Arc::from(text.as_bytes()))
    }

    #[test]
    fn replaced_files_shadow_the_base_and_fold_into_it() {
        let mut files: Files = (0..100)
            .map(|i| file(&format!("p/{i:03}.html"), "old"))
            .collect();
        let copy = files.clone();
        files.insert(Arc::from("p/005.html"), Arc::from(&b"new"[..]));
        files.insert(Arc::from("p/new.html"), Arc::from(&b"added"[..]));
        assert_eq!(&*files["p/005.html"], b"new");
        assert_eq!(&*copy["p/005.html"], b"old", "a copy keeps its own files");
        assert_eq!(files.len(), 101);
        let paths: Vec<&str> = files.iter().map(|(p, _)| &**p).collect();
        let mut sorted = paths.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(paths, sorted, "in path order, each once");
        assert!(files.contains_key("p/new.html") && !copy.contains_key("p/new.html"));
        // Enough replacements fold into a new base; the view does not change.
        let before = files.clone();
        files.extend((0..40).map(|i| file(&format!("p/{i:03}.html"), "newer")));
        assert!(files.changed.len() < 40, "folded: {}", files.changed.len());
        assert_eq!(&*files["p/039.html"], b"newer");
        assert_eq!(&*files["p/new.html"], b"added");
        assert_eq!(&*before["p/039.html"], b"old");
        assert_eq!(files.len(), 101);
        assert_ne!(files, before);
        let rebuilt: Files = files.iter().map(|(p, b)| (p.clone(), b.clone())).collect();
        assert_eq!(rebuilt, files);
    }
}
