//! Diagnostics: the one shape every finding takes, from site.toml to the link checker.
//!
//! A [`Diagnostic`] is data: a code, the file it is about (a [`FileId`] of the site's
//! [`SourceMap`]) and a byte span. Stages collect them in a `Vec` and never stop at the first
//! one; line and column are computed from the source map only when a renderer ([`text`],
//! [`json`], [`sarif`], [`github`]) shows them.

pub mod codes;
pub mod github;
pub mod json;
pub mod sarif;
pub mod source_map;
pub mod text;

use std::ops::Range;

pub use codes::{Code, Severity};
pub use source_map::{floor_char_boundary, FileId, LineIndex, Location, SourceMap};

/// A finding about the user's site, with the place it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stable code; the severity follows from it.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// The locale the finding is about, if any.
    pub locale: Option<String>,
    /// The file the finding is about, if any.
    pub file: Option<FileId>,
    /// Byte range of the fault in the file; `None` when the finding names the file only.
    pub span: Option<Range<usize>>,
    /// The message or term id concerned, if any.
    pub key: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl Diagnostic {
    /// A diagnostic with no position yet; the help text defaults to the code's fix.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            locale: None,
            file: None,
            span: None,
            key: None,
            message: message.into(),
            help: code.fix().to_string(),
        }
    }

    /// Places the diagnostic at a byte range of a file.
    pub fn at(mut self, file: FileId, span: Range<usize>) -> Self {
        self.file = Some(file);
        self.span = Some(span);
        self
    }

    /// Names the file without a position.
    pub fn in_file(mut self, file: FileId) -> Self {
        self.file = Some(file);
        self.span = None;
        self
    }

    /// Places the diagnostic at a 1-based line of a file (the whole line), e.g. from a parser
    /// that reports lines only. Line 0 names the file only.
    pub fn at_line(self, sources: &SourceMap, file: FileId, line: usize) -> Self {
        match sources.line_range(file, line) {
            Some(range) => self.at(file, range),
            None => self.in_file(file),
        }
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

    /// The span as 1-based lines and character columns: where it starts and, when it covers at
    /// least one character, the position just past its end (SARIF's `endLine`/`endColumn`).
    /// `None` without a span.
    pub fn region(&self, sources: &SourceMap) -> Option<Region> {
        let file = self.file?;
        let span = self.span.as_ref()?;
        let start = sources.line_col(file, span.start);
        if start.0 == 0 {
            return None;
        }
        let end = (span.end > span.start)
            .then(|| sources.line_col(file, span.end))
            .filter(|&end| end > start);
        Some(Region {
            start_line: start.0,
            start_column: start.1,
            end,
        })
    }

    /// Where the diagnostic points: path, and line and column when it has a span.
    pub fn location<'a>(&self, sources: &'a SourceMap) -> Option<Location<'a>> {
        let file = self.file?;
        let (line, column) = match &self.span {
            Some(span) => sources.line_col(file, span.start),
            None => (0, 0),
        };
        Some(Location {
            path: sources.path(file),
            line,
            column,
        })
    }
}

/// A span as lines and columns, see [`Diagnostic::region`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// 1-based line of the first character.
    pub start_line: usize,
    /// 1-based column of the first character, counted in characters.
    pub start_column: usize,
    /// Line and column just past the last character; `None` for an empty span.
    pub end: Option<(usize, usize)>,
}

/// Where a site's files sit in the repository, for the CI formats ([`sarif`], [`github`]),
/// which name files relative to the repository root rather than to the site.
///
/// `prefix` is the site folder's path below that root (`tests/fixtures/x/`, or empty when the
/// site is the root); `root` is the root's absolute path, `/`-separated, when it is known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepoPaths {
    prefix: String,
    root: Option<String>,
}

impl RepoPaths {
    /// The site folder at `prefix` (a relative, `/`-separated path; `""` or `"."` for the root
    /// itself) under the absolute `root`. Empty and `.` segments are dropped, and the prefix
    /// ends with `/` unless it is empty.
    pub fn new(prefix: &str, root: Option<String>) -> Self {
        let mut out = String::new();
        for segment in prefix.split('/').filter(|s| !s.is_empty() && *s != ".") {
            out.push_str(segment);
            out.push('/');
        }
        RepoPaths { prefix: out, root }
    }

    /// A site-relative path as a path relative to the root.
    pub fn path(&self, site_path: &str) -> String {
        format!("{}{site_path}", self.prefix)
    }

    /// The site folder below the root: empty, or a path ending with `/`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The root's absolute, `/`-separated path, when known.
    pub fn root(&self) -> Option<&str> {
        self.root.as_deref()
    }
}

/// Sorts diagnostics into report order — path, position, code, message — and drops exact
/// duplicates. Byte offsets order a file's findings exactly as (line, column) would, so no
/// line index is needed to sort.
pub fn sort(diags: &mut Vec<Diagnostic>, sources: &SourceMap) {
    diags.sort_by(|a, b| {
        let path = |d: &Diagnostic| d.file.map_or("", |f| sources.path(f));
        let start = |d: &Diagnostic| d.span.as_ref().map_or(0, |s| s.start + 1);
        path(a)
            .cmp(path(b))
            .then_with(|| start(a).cmp(&start(b)))
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.message.cmp(&b.message))
            .then_with(|| a.locale.cmp(&b.locale))
            .then_with(|| a.key.cmp(&b.key))
    });
    diags.dedup();
}
