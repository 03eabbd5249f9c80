//! The source map: every file of a site by id, its bytes, and a line index built once per file.
//!
//! Diagnostics carry a [`FileId`] and a byte range; line and column are computed here, only when
//! a diagnostic is shown. Building each file's [`LineIndex`] once (lazily, on the first lookup)
//! keeps placing N diagnostics in one file O(N log lines) instead of O(N × file size).

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// The id of a file in a [`SourceMap`]. Ids are stable for the life of the map: replacing a
/// file's content keeps its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(u32);

/// One file: its site-relative path, its content, and its line index once built.
#[derive(Debug)]
struct SourceFile {
    path: String,
    content: Content,
    lines: OnceLock<LineIndex>,
    removed: bool,
}

impl Clone for SourceFile {
    fn clone(&self) -> Self {
        SourceFile {
            path: self.path.clone(),
            content: self.content.clone(),
            lines: match self.lines.get() {
                Some(l) => OnceLock::from(l.clone()),
                None => OnceLock::new(),
            },
            removed: self.removed,
        }
    }
}

/// A file's bytes, decoded once: text when they are UTF-8, else the bytes and a copy of their
/// valid UTF-8 prefix (all a diagnostic can point into).
#[derive(Clone, Debug)]
enum Content {
    Text(String),
    Bytes(Vec<u8>, String),
}

impl Content {
    fn new(bytes: Vec<u8>) -> Self {
        match String::from_utf8(bytes) {
            Ok(s) => Content::Text(s),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
                Content::Bytes(bytes, prefix)
            }
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Content::Text(s) => s.as_bytes(),
            Content::Bytes(b, _) => b,
        }
    }

    /// The text, or the valid UTF-8 prefix of the bytes.
    fn valid_text(&self) -> &str {
        match self {
            Content::Text(s) => s,
            Content::Bytes(_, prefix) => prefix,
        }
    }
}

/// Every file of a site, by `/`-separated site-relative path, with ids for diagnostics.
///
/// Files are shared: cloning a map (as the live preview does for each rebuild) copies one
/// pointer per file, not the bytes, and a file replaced in the clone leaves the original alone.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<Arc<SourceFile>>,
    by_path: BTreeMap<String, FileId>,
}

/// A diagnostic's place, as people and editors read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location<'a> {
    /// Site-relative path.
    pub path: &'a str,
    /// 1-based line, 0 when the diagnostic names the file but no position.
    pub line: usize,
    /// 1-based column in characters, 0 when there is no position.
    pub column: usize,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file, or replaces the content of the file with that path (keeping its id).
    pub fn insert(&mut self, path: impl Into<String>, bytes: Vec<u8>) -> FileId {
        let path = path.into();
        let file = Arc::new(SourceFile {
            path: path.clone(),
            content: Content::new(bytes),
            lines: OnceLock::new(),
            removed: false,
        });
        if let Some(&id) = self.by_path.get(&path) {
            self.files[id.0 as usize] = file;
            return id;
        }
        // A site with more than u32::MAX files cannot be read into memory in the first place.
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(file);
        self.by_path.insert(path, id);
        id
    }

    /// Removes a file; its id stays reserved so diagnostics that name it still print its path.
    pub fn remove(&mut self, path: &str) -> Option<FileId> {
        let id = self.by_path.remove(path)?;
        let file = &mut self.files[id.0 as usize];
        *file = Arc::new(SourceFile {
            path: file.path.clone(),
            content: Content::Bytes(Vec::new(), String::new()),
            lines: OnceLock::new(),
            removed: true,
        });
        Some(id)
    }

    fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize).map(|f| &**f)
    }

    /// The id of the file at `path`.
    pub fn id(&self, path: &str) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// The path of a file.
    pub fn path(&self, id: FileId) -> &str {
        self.file(id).map_or("", |f| f.path.as_str())
    }

    /// The bytes of a file.
    pub fn bytes(&self, id: FileId) -> &[u8] {
        self.file(id).map_or(&[], |f| f.content.bytes())
    }

    /// The text of a file, when it is valid UTF-8.
    pub fn text(&self, id: FileId) -> Option<&str> {
        match &self.file(id)?.content {
            Content::Text(s) => Some(s),
            Content::Bytes(..) => None,
        }
    }

    /// The bytes of the file at `path`.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.id(path).map(|id| self.bytes(id))
    }

    /// The text of the file at `path`, when it exists and is UTF-8.
    pub fn text_of(&self, path: &str) -> Option<&str> {
        self.id(path).and_then(|id| self.text(id))
    }

    /// True when a file with this path exists.
    pub fn contains(&self, path: &str) -> bool {
        self.by_path.contains_key(path)
    }

    /// Every path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.by_path.keys().map(String::as_str)
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    /// True when the map holds no file.
    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// The files whose path starts with `prefix` (which ends in `/`), sorted by path.
    pub fn files_under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (FileId, &'a str, &'a [u8])> + 'a {
        self.by_path
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(|(k, &id)| (id, k.as_str(), self.bytes(id)))
    }

    /// The line index of a file, built on first use.
    pub fn lines(&self, id: FileId) -> Option<&LineIndex> {
        let file = self.file(id)?;
        Some(
            file.lines
                .get_or_init(|| LineIndex::new(file.content.valid_text())),
        )
    }

    /// The text a line index was built over: the file's text, or its valid UTF-8 prefix.
    pub fn indexed_text(&self, id: FileId) -> &str {
        self.file(id).map_or("", |f| f.content.valid_text())
    }

    /// 1-based (line, column) of a byte offset of a file.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        match self.lines(id) {
            Some(idx) => idx.line_col(self.indexed_text(id), offset),
            None => (0, 0),
        }
    }

    /// Byte range of a 1-based line of a file (without its line break).
    pub fn line_range(&self, id: FileId, line: usize) -> Option<Range<usize>> {
        self.lines(id)?.line_range(self.indexed_text(id), line)
    }
}

/// Maps byte offsets to 1-based line and character column.
///
/// Offsets are what parsers give; people and editors want lines and columns. Keeping the
/// conversion here means text, JSON and the serve overlay always agree.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `source`.
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// Number of lines; a final line break does not start another line.
    pub fn line_count(&self, source: &str) -> usize {
        if source.ends_with('\n') {
            self.starts.len() - 1
        } else {
            self.starts.len()
        }
    }

    /// 1-based (line, column) of byte `offset` in `source`, the text this index was built over.
    ///
    /// A BOM on line 1 is not counted as a column. An offset at the very end of a text that ends
    /// with a line break is placed at the end of the last line, not on a line N+1 that no editor
    /// shows.
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let mut offset = floor_char_boundary(source, offset.min(source.len()));
        if offset == source.len() && source.ends_with('\n') {
            offset -= 1;
            if source[..offset].ends_with('\r') {
                offset -= 1;
            }
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let mut prefix = source.get(start..offset).unwrap_or("");
        if line == 1 {
            prefix = prefix.strip_prefix('\u{feff}').unwrap_or(prefix);
        }
        (line, prefix.chars().count() + 1)
    }

    /// Byte offset where 1-based line `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }

    /// Byte range of line `line` (1-based), without its line break.
    pub fn line_range(&self, source: &str, line: usize) -> Option<Range<usize>> {
        let start = self.line_start(line)?;
        let end = self
            .starts
            .get(line)
            .map(|&s| s - 1)
            .unwrap_or(source.len());
        let end = if end > start && source.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        Some(start..end.max(start))
    }
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_lines() {
        let src = "a = 1\n好 = 二\nc";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_col(src, 0), (1, 1));
        assert_eq!(idx.line_col(src, 6), (2, 1));
        let pos = src.find('二').unwrap();
        assert_eq!(idx.line_col(src, pos), (2, 5));
        assert_eq!(idx.line_col(src, src.len()), (3, 2));
    }

    #[test]
    fn end_of_file_after_a_newline_is_on_the_last_line() {
        let src = "a = 1\nb = {\n";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_col(src, src.len()), (2, 6));
        assert_eq!(idx.line_count(src), 2);
        let crlf = "a\r\nb\r\n";
        assert_eq!(LineIndex::new(crlf).line_col(crlf, crlf.len()), (2, 2));
    }

    #[test]
    fn bom_is_not_a_column() {
        let src = "\u{feff}key = v";
        assert_eq!(LineIndex::new(src).line_col(src, 3 + 4), (1, 5));
    }

    #[test]
    fn line_range_strips_cr() {
        let src = "one\r\ntwo";
        let idx = LineIndex::new(src);
        assert_eq!(&src[idx.line_range(src, 1).unwrap()], "one");
        assert_eq!(&src[idx.line_range(src, 2).unwrap()], "two");
        assert!(idx.line_range(src, 3).is_none());
    }

    #[test]
    fn ids_survive_replacement_and_removal() {
        let mut map = SourceMap::new();
        let a = map.insert("b.ftl", b"x = 1\n".to_vec());
        let b = map.insert("a.ftl", vec![0xff, b'\n']);
        assert_eq!(map.text(b), None);
        assert_eq!(map.paths().collect::<Vec<_>>(), ["a.ftl", "b.ftl"]);
        assert_eq!(map.insert("b.ftl", b"y = 2\nz = 3\n".to_vec()), a);
        assert_eq!(map.line_col(a, 6), (2, 1));
        map.remove("b.ftl");
        assert_eq!(map.path(a), "b.ftl");
        assert!(!map.contains("b.ftl"));
        assert_eq!(map.files_under("b").count(), 0);
        assert_eq!(map.files_under("a").count(), 1);
    }
}
