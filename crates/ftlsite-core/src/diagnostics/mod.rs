//! Diagnostics: the one shape every finding takes, from site.toml to the link checker.
//!
//! A [`Diagnostic`] is data. Stages collect them in a `Vec` and never stop at the first one; the
//! renderers in [`text`] and [`json`] are the only code that formats them.

pub mod codes;
pub mod json;
pub mod text;

use std::ops::Range;

pub use codes::{Code, Severity};
use serde::Serialize;

/// A finding about the user's site, with the place it was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable code; the severity follows from it.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// The locale the finding is about, if any.
    pub locale: Option<String>,
    /// Path relative to the site root, `/`-separated; empty when the finding has no file.
    pub path: String,
    /// 1-based line; 0 when the finding has no position.
    pub line: usize,
    /// 1-based column, counted in characters; 0 when the finding has no position.
    pub column: usize,
    /// The message or term id concerned, if any.
    pub key: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Byte range of the fault in the file, for snippets.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
}

impl Diagnostic {
    /// A diagnostic with no position yet; the help text defaults to the code's fix.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            locale: None,
            path: String::new(),
            line: 0,
            column: 0,
            key: None,
            message: message.into(),
            help: code.fix().to_string(),
            span: None,
        }
    }

    /// Places the diagnostic at a byte range of `source`, the text of `path`.
    pub fn at(mut self, path: &str, source: &str, span: Range<usize>) -> Self {
        let (line, column) = LineIndex::new(source).line_col(source, span.start);
        self.path = path.to_string();
        self.line = line;
        self.column = column;
        self.span = Some(span);
        self
    }

    /// Names the file without a position.
    pub fn in_file(mut self, path: &str) -> Self {
        self.path = path.to_string();
        self
    }

    /// Places the diagnostic at a known line (1-based) of `path`, e.g. from a template engine.
    pub fn at_line(mut self, path: &str, source: Option<&str>, line: usize) -> Self {
        self.path = path.to_string();
        self.line = line;
        self.column = if line > 0 { 1 } else { 0 };
        if let Some(src) = source {
            let idx = LineIndex::new(src);
            self.span = idx.line_range(src, line);
        }
        self
    }

    /// Sets the locale.
    pub fn locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = Some(locale.into());
        self
    }

    /// Sets the message or term id.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Replaces the default help text.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order every report uses: path, line, column, code, message.
    pub fn sort_key(&self) -> (&str, usize, usize, Code, &str) {
        (&self.path, self.line, self.column, self.code, &self.message)
    }
}

/// Sorts diagnostics into report order and drops exact duplicates.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.locale.cmp(&b.locale))
            .then_with(|| a.key.cmp(&b.key))
    });
    diags.dedup();
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
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based (line, column) of byte `offset`; a BOM on line 1 is not counted as a column.
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let mut prefix = &source[start..offset];
        if line == 1 {
            prefix = prefix.strip_prefix('\u{feff}').unwrap_or(prefix);
        }
        (line, prefix.chars().count() + 1)
    }

    /// Byte range of line `line` (1-based), without its newline.
    pub fn line_range(&self, source: &str, line: usize) -> Option<Range<usize>> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
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
}
