//! Where each entry of a parsed Fluent file sits in its text: the byte positions the formatter
//! and the single-entry edits work from.
//!
//! Every entry starts at the beginning of a line and runs to the start of the next one; the
//! blank lines before the next entry belong to the layout, not to the entry. Positions come from
//! the slices the parser hands out ([`offset_in`]) and from scanning lines.

use std::ops::Range;

use fluent_syntax::ast;

use super::offset::{content_end, line_start, lines_end, offset_in};

/// What an entry is, as far as layout and edits care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Message,
    Term,
    Comment,
    Junk,
}

/// The position of one entry of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Item {
    pub kind: Kind,
    /// The id as templates and references name it: `hello`, or `-brand` for a term.
    pub id: Option<String>,
    /// The first line of the entry: its attached comment's, if it has one.
    pub start: usize,
    /// The line holding the id (equal to `start` when there is no attached comment).
    pub entry_start: usize,
    /// Where the next entry starts (or the end of the text): the entry plus the blank lines
    /// after it.
    pub next: usize,
    /// The byte just after the `=` that follows the id.
    pub value_start: Option<usize>,
    /// Each attribute's name and the start of its line, in source order.
    pub attributes: Vec<(String, usize)>,
}

impl Item {
    /// The end of the entry's last line, line ending included, without the blank lines after it.
    pub fn lines_end(&self, text: &str) -> usize {
        lines_end(text, self.start, self.next)
    }

    /// The bytes of the value, from just after `=` to the end of its last character (before the
    /// first attribute). Empty, just after `=`, for a message without a value.
    pub fn value_range(&self, text: &str) -> Option<Range<usize>> {
        let start = self.value_start?;
        let stop = self.attributes.first().map_or(self.next, |(_, at)| *at);
        Some(start..content_end(text, start, stop))
    }

    /// The bytes of attribute `name`, from the start of its line to its last character.
    pub fn attribute_range(&self, text: &str, name: &str) -> Option<Range<usize>> {
        let i = self.attributes.iter().position(|(n, _)| n == name)?;
        let start = self.attributes.get(i)?.1;
        let stop = self.attributes.get(i + 1).map_or(self.next, |(_, at)| *at);
        Some(start..content_end(text, start, stop))
    }
}

/// The positions of all entries of one text, in the order of the parsed resource's body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Index {
    pub items: Vec<Item>,
}

impl Index {
    /// Locates every entry of `resource`, parsed from `text[body_start..]`. `None` when a
    /// position cannot be recovered, which the parser's slices never cause.
    pub fn build(text: &str, body_start: usize, resource: &ast::Resource<&str>) -> Option<Index> {
        let mut items: Vec<Item> = Vec::with_capacity(resource.body.len());
        for entry in &resource.body {
            let item = locate(text, body_start, entry)?;
            if let Some(prev) = items.last_mut() {
                if item.start < prev.start {
                    return None;
                }
                prev.next = item.start;
            }
            items.push(item);
        }
        if let Some(last) = items.last_mut() {
            last.next = text.len();
        }
        Some(Index { items })
    }

    /// The first message or term named `id` (`-name` for a term): the one a bundle would use.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|i| i.id.as_deref() == Some(id))
    }
}

/// One entry's position; `next` is filled in by [`Index::build`].
fn locate(text: &str, body_start: usize, entry: &ast::Entry<&str>) -> Option<Item> {
    let line = |at: usize| line_start(text, at).max(body_start);
    let comment_start = |c: &ast::Comment<&str>| match c.content.first() {
        Some(first) => offset_in(text, first).map(line),
        // Only a bare `#` with no line ending, at the very end of the file, has no lines.
        None => Some(line(text.len())),
    };
    let item = |kind, id, start, entry_start| Item {
        kind,
        id,
        start,
        entry_start,
        next: text.len(),
        value_start: None,
        attributes: Vec::new(),
    };
    match entry {
        ast::Entry::Message(m) => {
            let at = offset_in(text, m.id.name)?;
            let entry_start = line(at);
            let start = match &m.comment {
                Some(c) => comment_start(c)?,
                None => entry_start,
            };
            let mut it = item(
                Kind::Message,
                Some(m.id.name.to_string()),
                start,
                entry_start,
            );
            it.value_start = Some(after_equals(text, at + m.id.name.len())?);
            it.attributes = attributes(text, &m.attributes)?;
            Some(it)
        }
        ast::Entry::Term(t) => {
            let at = offset_in(text, t.id.name)?;
            let entry_start = line(at);
            let start = match &t.comment {
                Some(c) => comment_start(c)?,
                None => entry_start,
            };
            let mut it = item(
                Kind::Term,
                Some(format!("-{}", t.id.name)),
                start,
                entry_start,
            );
            it.value_start = Some(after_equals(text, at + t.id.name.len())?);
            it.attributes = attributes(text, &t.attributes)?;
            Some(it)
        }
        ast::Entry::Comment(c) | ast::Entry::GroupComment(c) | ast::Entry::ResourceComment(c) => {
            let start = comment_start(c)?;
            Some(item(Kind::Comment, None, start, start))
        }
        ast::Entry::Junk { content } => {
            let start = offset_in(text, content)?;
            Some(item(Kind::Junk, None, start, start))
        }
    }
}

/// The byte after the `=` that follows an id ending at `at` (only spaces may come between).
fn after_equals(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let skipped = rest.len() - rest.trim_start_matches(' ').len();
    rest.get(skipped..)?
        .starts_with('=')
        .then_some(at + skipped + 1)
}

fn attributes(text: &str, attrs: &[ast::Attribute<&str>]) -> Option<Vec<(String, usize)>> {
    attrs
        .iter()
        .map(|a| {
            Some((
                a.id.name.to_string(),
                line_start(text, offset_in(text, a.id.name)?),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> Index {
        let resource = match fluent_syntax::parser::parse(text) {
            Ok(r) | Err((r, _)) => r,
        };
        Index::build(text, 0, &resource).unwrap()
    }

    #[test]
    fn items_cover_comments_junk_and_the_blank_lines_after_them() {
        let text =
            "### File\n\n# about hello\nhello = Hi\n    .title = T\n\n\nbad = }\n-term = X\n";
        let idx = index(text);
        let kinds: Vec<_> = idx.items.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            [Kind::Comment, Kind::Message, Kind::Junk, Kind::Term]
        );
        let hello = &idx.items[1];
        assert_eq!(&text[hello.start..hello.entry_start], "# about hello\n");
        assert_eq!(
            &text[hello.entry_start..hello.next],
            "hello = Hi\n    .title = T\n\n\n"
        );
        assert_eq!(
            &text[hello.start..hello.lines_end(text)],
            "# about hello\nhello = Hi\n    .title = T\n"
        );
        assert_eq!(&text[hello.value_range(text).unwrap()], " Hi");
        assert_eq!(
            &text[hello.attribute_range(text, "title").unwrap()],
            "    .title = T"
        );
        assert_eq!(&text[idx.items[2].start..idx.items[2].next], "bad = }\n");
        assert_eq!(idx.items[3].id.as_deref(), Some("-term"));
        assert_eq!(idx.find("-term"), Some(3));
        assert_eq!(idx.find("term"), None);
    }

    #[test]
    fn an_empty_value_sits_just_after_the_equals_sign() {
        let text = "empty =\n    .a = 1\n    .b =\n        two\n        lines\n";
        let item = &index(text).items[0];
        let value = item.value_range(text).unwrap();
        assert_eq!(value, 7..7);
        assert_eq!(
            &text[item.attribute_range(text, "b").unwrap()],
            "    .b =\n        two\n        lines"
        );
        assert_eq!(item.attribute_range(text, "c"), None);
    }

    #[test]
    fn a_bare_comment_sign_at_the_end_of_the_file_is_located() {
        let text = "a = 1\n#";
        let idx = index(text);
        assert_eq!(idx.items[1].kind, Kind::Comment);
        assert_eq!(idx.items[1].start, 6);
    }
}
