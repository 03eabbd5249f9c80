//! Single-entry edits: change one message or term of a Fluent file and leave every other byte
//! as it was.
//!
//! Each edit validates the new Fluent source on its own, writes its canonical layout (the one
//! [`format`](super::format) gives) into the entry's bytes only, using the file's line ending,
//! then parses the result and checks that every other entry parses as before. An edit that
//! fails any step leaves the document unchanged and says why.

use std::ops::Range;

use fluent_syntax::ast;
use fluent_syntax::parser;

use super::error::EditError;
use super::index::{Index, Kind};
use super::meaning::same_entries;
use super::offset::{line_ending, with_line_ending};
use super::printer;

/// A Fluent file open for single-entry edits.
///
/// Entries are named as references name them: `hello` for a message, `-brand` for a term. When
/// a file defines an id twice, edits apply to the first definition, the one a bundle keeps.
///
/// ```
/// use ftlsite::ftl::Document;
///
/// let mut doc = Document::parse("# Greeting\nhello = Hello\n\nbye = Bye\n    .title = Leave\n");
/// doc.replace_value("hello", "Hello, { $name }")?;
/// doc.replace_attribute("bye", "title", "Goodbye")?;
/// doc.insert_after(&["hello"], "welcome = Welcome")?;
/// assert_eq!(
///     doc.text(),
///     "# Greeting\nhello = Hello, { $name }\n\nwelcome = Welcome\n\nbye = Bye\n    .title = Goodbye\n"
/// );
/// let change = doc.remove("welcome")?;
/// assert_eq!(change.old, 37..56);
/// assert_eq!(change.new, 37..37);
/// # Ok::<(), ftlsite::ftl::EditError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Document {
    text: String,
    /// Where the Fluent text starts: after a byte order mark, if any.
    body_start: usize,
    ending: &'static str,
    index: Index,
}

/// The bytes one edit replaced: `old` in the text before, `new` in the text after. Both start
/// at the same offset, and everything outside them is identical.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The replaced range of the previous text.
    pub old: Range<usize>,
    /// The range the replacement occupies in the new text.
    pub new: Range<usize>,
}

impl Document {
    /// Opens `text` for editing. Never fails: text that does not parse is Junk, which edits keep
    /// as it is and cannot address.
    pub fn parse(text: impl Into<String>) -> Self {
        let text = text.into();
        let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let ending = line_ending(&text);
        let index = index(&text, body_start);
        Document {
            text,
            body_start,
            ending,
            index,
        }
    }

    /// The current text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The current text, by value.
    pub fn into_text(self) -> String {
        self.text
    }

    /// The ids of the messages and terms, in file order (terms with their `-`).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.index.items.iter().filter_map(|i| i.id.as_deref())
    }

    /// The bytes of entry `id`: from its attached comment, if any, to the end of its last line.
    pub fn range(&self, id: &str) -> Option<Range<usize>> {
        let item = self.index.items.get(self.index.find(id)?)?;
        Some(item.start..item.lines_end(&self.text))
    }

    /// Where entry `id` starts: the byte offset of the line holding its id (after any attached
    /// comment).
    pub fn entry_offset(&self, id: &str) -> Option<usize> {
        Some(self.index.items.get(self.index.find(id)?)?.entry_start)
    }

    /// The Fluent source of the value of `id` (`attribute: None`) or of one attribute, as
    /// written and as [`replace_value`](Self::replace_value) and
    /// [`replace_attribute`](Self::replace_attribute) take it: the text after `=`, leading
    /// blanks removed, continuation lines with their indentation.
    ///
    /// ```
    /// let doc = ftlsite::ftl::Document::parse("a =\n    { $n ->\n       *[other] N\n    }\n    .title = T\n");
    /// assert_eq!(doc.pattern_source("a", None), Some("{ $n ->\n       *[other] N\n    }"));
    /// assert_eq!(doc.pattern_source("a", Some("title")), Some("T"));
    /// assert_eq!(doc.pattern_source("b", None), None);
    /// ```
    pub fn pattern_source(&self, id: &str, attribute: Option<&str>) -> Option<&str> {
        let item = self.index.items.get(self.index.find(id)?)?;
        let range = match attribute {
            None => item.value_range(&self.text)?,
            Some(a) => {
                let r = item.attribute_range(&self.text, a)?;
                let line = self.text.get(r.clone())?;
                let eq = line.find('=')?;
                r.start + eq + 1..r.end
            }
        };
        Some(self.text.get(range)?.trim_start())
    }

    /// Replaces the value of message or term `id` with `pattern`, Fluent source as it would
    /// follow `id =` (continuation lines indented). A message that had no value gets one.
    ///
    /// ```
    /// let mut doc = ftlsite::ftl::Document::parse("a = 1\nb = 2\n");
    /// let change = doc.replace_value("a", "one\n    two")?;
    /// assert_eq!(doc.text(), "a =\n    one\n    two\nb = 2\n");
    /// assert_eq!((change.old, change.new), (3..5, 3..19));
    /// # Ok::<(), ftlsite::ftl::EditError>(())
    /// ```
    pub fn replace_value(&mut self, id: &str, pattern: &str) -> Result<Change, EditError> {
        let i = self.find(id)?;
        let item = self.item(i, id)?;
        let range = item
            .value_range(&self.text)
            .ok_or_else(|| EditError::UnknownId(id.to_string()))?;
        let src = pattern.replace("\r\n", "\n");
        let head = format!("{id} =");
        let probe = format!("{head} {src}");
        let parsed = single_entry(&probe, head.len() + 1)?;
        let value = match &parsed {
            ast::Entry::Message(m) if m.attributes.is_empty() => m.value.as_ref(),
            ast::Entry::Term(t) if t.attributes.is_empty() => Some(&t.value),
            ast::Entry::Message(ast::Message { attributes, .. })
            | ast::Entry::Term(ast::Term { attributes, .. }) => {
                return Err(EditError::NotAPattern {
                    found: format!("a pattern and {} attribute(s)", attributes.len()),
                })
            }
            _ => None,
        }
        .ok_or_else(|| EditError::NotAPattern {
            found: "no pattern".to_string(),
        })?;
        let lf = printer::value(id, value).unwrap_or_else(|| format!(" {}", src.trim_end()));
        let written = with_line_ending(&lf, self.ending);

        let old = self.text.clone();
        let new = splice(&old, &range, &written);
        let expected_src = format!("{head}{written}");
        let expected_value = match single_entry(&expected_src, 0)? {
            ast::Entry::Message(m) => m.value,
            ast::Entry::Term(t) => Some(t.value),
            _ => None,
        };
        let mut expected = body(&old, self.body_start);
        match (expected.get_mut(i), expected_value) {
            (Some(ast::Entry::Message(m)), v) => m.value = v,
            (Some(ast::Entry::Term(t)), Some(v)) => t.value = v,
            _ => return Err(EditError::DisturbsNeighbours(id.to_string())),
        }
        self.commit(id, &expected, new, range, written.len())
    }

    /// Replaces attribute `attribute` of message or term `id` with `pattern`, Fluent source as
    /// it would follow `.attribute =`.
    ///
    /// ```
    /// let mut doc = ftlsite::ftl::Document::parse("a = 1\n  .title = Old\n");
    /// doc.replace_attribute("a", "title", "New { -brand }")?;
    /// assert_eq!(doc.text(), "a = 1\n    .title = New { -brand }\n");
    /// # Ok::<(), ftlsite::ftl::EditError>(())
    /// ```
    pub fn replace_attribute(
        &mut self,
        id: &str,
        attribute: &str,
        pattern: &str,
    ) -> Result<Change, EditError> {
        let i = self.find(id)?;
        let item = self.item(i, id)?;
        let k = item
            .attributes
            .iter()
            .position(|(n, _)| n == attribute)
            .ok_or_else(|| EditError::UnknownAttribute {
                id: id.to_string(),
                attribute: attribute.to_string(),
            })?;
        let range = item
            .attribute_range(&self.text, attribute)
            .ok_or_else(|| EditError::UnknownId(id.to_string()))?;
        let src = pattern.replace("\r\n", "\n");
        let head = format!("x =\n    .{attribute} =");
        let probe = format!("{head} {src}");
        let parsed = single_entry(&probe, head.len() + 1)?;
        let attr = match &parsed {
            ast::Entry::Message(m) if m.value.is_none() && m.attributes.len() == 1 => {
                m.attributes.first()
            }
            ast::Entry::Message(m) => {
                return Err(EditError::NotAPattern {
                    found: format!(
                        "a pattern and {} attribute(s)",
                        m.attributes.len().saturating_sub(1)
                    ),
                })
            }
            _ => None,
        }
        .ok_or_else(|| EditError::NotAPattern {
            found: "no pattern".to_string(),
        })?;
        let lf = printer::attribute(attr)
            .unwrap_or_else(|| format!("    .{attribute} = {}", src.trim_end()));
        let written = with_line_ending(&lf, self.ending);

        let old = self.text.clone();
        let new = splice(&old, &range, &written);
        let expected_src = format!("x ={}{written}", self.ending);
        let expected_attr = match single_entry(&expected_src, 0)? {
            ast::Entry::Message(m) => m.attributes.into_iter().next(),
            _ => None,
        };
        let mut expected = body(&old, self.body_start);
        let slot = match expected.get_mut(i) {
            Some(ast::Entry::Message(m)) => m.attributes.get_mut(k),
            Some(ast::Entry::Term(t)) => t.attributes.get_mut(k),
            _ => None,
        };
        match (slot, expected_attr) {
            (Some(slot), Some(a)) => *slot = a,
            _ => return Err(EditError::DisturbsNeighbours(id.to_string())),
        }
        self.commit(id, &expected, new, range, written.len())
    }

    /// Inserts `entry`, the full Fluent source of one message or term (an attached comment
    /// allowed), after the last of `after` that the file defines. `after` lists the ids that
    /// precede the entry in the source locale's file, in order, so the translation keeps the
    /// source's order. When none is present the entry goes before the first message or term
    /// (after the file's header comments), or at the end of a file that has none.
    ///
    /// The entry is separated from its neighbour the way that neighbour is separated from the
    /// entries around it: by a blank line, or by none in a file that uses none.
    ///
    /// ```
    /// let mut doc = ftlsite::ftl::Document::parse("### Header\n\nb = B\n");
    /// doc.insert_after(&["a"], "# First\na = A")?;
    /// doc.insert_after(&["a", "b"], "c = C")?;
    /// assert_eq!(doc.text(), "### Header\n\n# First\na = A\n\nb = B\n\nc = C\n");
    /// # Ok::<(), ftlsite::ftl::EditError>(())
    /// ```
    pub fn insert_after(&mut self, after: &[&str], entry: &str) -> Result<Change, EditError> {
        let src = entry.replace("\r\n", "\n");
        let parsed = single_entry(&src, 0)?;
        let id = match &parsed {
            ast::Entry::Message(m) => m.id.name.to_string(),
            ast::Entry::Term(t) => format!("-{}", t.id.name),
            _ => return Err(EditError::NotOneEntry { found: 0 }),
        };
        if self.index.find(&id).is_some() {
            return Err(EditError::DuplicateId(id));
        }
        let entry_text = with_line_ending(&super::format(&src), self.ending);
        let nl = self.ending;
        let text = &self.text;
        let items = &self.index.items;
        let blank = |k: usize| -> Option<bool> {
            let a = items.get(k)?;
            let b = items.get(k + 1)?;
            Some(b.start > a.lines_end(text))
        };
        let anchor = after.iter().rev().find_map(|a| self.index.find(a));
        let first = items
            .iter()
            .position(|i| matches!(i.kind, Kind::Message | Kind::Term));
        let (at, position, written) = match (anchor, first) {
            (Some(k), _) => {
                let item = self.item(k, &id)?;
                let end = item.lines_end(text);
                let sep = blank(k)
                    .or_else(|| k.checked_sub(1).and_then(blank))
                    .unwrap_or(true);
                let lead = if ends_line(text, end) { "" } else { nl };
                let gap = if sep { nl } else { "" };
                (end, k + 1, format!("{lead}{gap}{entry_text}"))
            }
            (None, Some(f)) => {
                let item = self.item(f, &id)?;
                let gap = if blank(f).unwrap_or(true) { nl } else { "" };
                (item.start, f, format!("{entry_text}{gap}"))
            }
            (None, None) => {
                let lead = if items.is_empty() {
                    String::new()
                } else if ends_line(text, text.len()) {
                    nl.to_string()
                } else {
                    format!("{nl}{nl}")
                };
                (text.len(), items.len(), format!("{lead}{entry_text}"))
            }
        };

        let old = self.text.clone();
        let range = at..at;
        let new = splice(&old, &range, &written);
        let mut expected = body(&old, self.body_start);
        let inserted = single_entry(&entry_text, 0)?;
        if position > expected.len() {
            return Err(EditError::DisturbsNeighbours(id));
        }
        expected.insert(position, inserted);
        self.commit(&id, &expected, new, range, written.len())
    }

    /// Removes message or term `id` with its attached comment. Of the blank lines before and
    /// after it, one run goes with it: its neighbours end up as far apart as the farther of
    /// them was, so removing the last entry of a group keeps the group apart from the next.
    /// A removal that would merge the Junk around the entry into one is refused.
    ///
    /// ```
    /// let mut doc = ftlsite::ftl::Document::parse("a = A\nb = B\n\n# About c\nc = C\n\nd = D\n");
    /// doc.remove("c")?;
    /// assert_eq!(doc.text(), "a = A\nb = B\n\nd = D\n");
    /// doc.remove("b")?;
    /// assert_eq!(doc.text(), "a = A\n\nd = D\n");
    /// # Ok::<(), ftlsite::ftl::EditError>(())
    /// ```
    pub fn remove(&mut self, id: &str) -> Result<Change, EditError> {
        let i = self.find(id)?;
        let item = self.item(i, id)?;
        let text = &self.text;
        let prev_end = i
            .checked_sub(1)
            .and_then(|p| self.index.items.get(p))
            .map(|p| p.lines_end(text));
        let last = i + 1 >= self.index.items.len();
        let range = match prev_end {
            // The last entry goes with the blank lines before it; the file still ends a line.
            Some(end) if last && ends_line(text, end) => end..text.len(),
            _ if last => item.start..text.len(),
            // No blank line before it: keep the ones after it.
            Some(end) if end == item.start => item.start..item.lines_end(text),
            _ => item.start..item.next,
        };
        let old = self.text.clone();
        let new = splice(&old, &range, "");
        let mut expected = body(&old, self.body_start);
        if i < expected.len() {
            expected.remove(i);
        }
        self.commit(id, &expected, new, range, 0)
    }

    fn find(&self, id: &str) -> Result<usize, EditError> {
        self.index
            .find(id)
            .ok_or_else(|| EditError::UnknownId(id.to_string()))
    }

    fn item(&self, i: usize, id: &str) -> Result<&super::index::Item, EditError> {
        self.index
            .items
            .get(i)
            .ok_or_else(|| EditError::UnknownId(id.to_string()))
    }

    /// Takes `new` as the text when it parses to `expected`, and reindexes.
    fn commit(
        &mut self,
        id: &str,
        expected: &[ast::Entry<&str>],
        new: String,
        range: Range<usize>,
        written: usize,
    ) -> Result<Change, EditError> {
        if !same_entries(expected, &body(&new, self.body_start)) {
            return Err(EditError::DisturbsNeighbours(id.to_string()));
        }
        self.index = index(&new, self.body_start);
        self.text = new;
        Ok(Change {
            new: range.start..range.start + written,
            old: range,
        })
    }
}

/// Whether the byte before `at` ends a line.
fn ends_line(text: &str, at: usize) -> bool {
    at.checked_sub(1)
        .and_then(|i| text.as_bytes().get(i))
        .is_some_and(|&b| b == b'\n')
}

/// `text` with `range` replaced by `with`.
fn splice(text: &str, range: &Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(text.get(..range.start).unwrap_or(text));
    out.push_str(with);
    out.push_str(text.get(range.end..).unwrap_or(""));
    out
}

/// The entries of `text`, whose Fluent starts at `body_start`.
fn body(text: &str, body_start: usize) -> Vec<ast::Entry<&str>> {
    match parser::parse(text.get(body_start..).unwrap_or(text)) {
        Ok(r) | Err((r, _)) => r.body,
    }
}

fn index(text: &str, body_start: usize) -> Index {
    let resource = match parser::parse(text.get(body_start..).unwrap_or(text)) {
        Ok(r) | Err((r, _)) => r,
    };
    Index::build(text, body_start, &resource).unwrap_or_default()
}

/// The one message or term that `source` holds; a syntax error's positions are moved back by
/// `prefix` bytes.
fn single_entry(source: &str, prefix: usize) -> Result<ast::Entry<&str>, EditError> {
    let resource = match parser::parse(source) {
        Ok(r) => r,
        Err((_, errors)) => {
            return Err(match errors.into_iter().next() {
                Some(e) => EditError::syntax(e, prefix),
                None => EditError::NotOneEntry { found: 0 },
            })
        }
    };
    let found = resource.body.len();
    let mut entries = resource.body.into_iter();
    match (entries.next(), entries.next()) {
        (Some(e @ (ast::Entry::Message(_) | ast::Entry::Term(_))), None) => Ok(e),
        _ if prefix > 0 => Err(EditError::NotAPattern {
            found: format!("{found} entries"),
        }),
        _ => Err(EditError::NotOneEntry { found }),
    }
}
