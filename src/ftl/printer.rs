//! The canonical text of one entry: fluent-syntax's serializer where it reproduces the entry,
//! our own code for comments, and nothing at all (so the caller keeps the source) where not.
//!
//! fluent-syntax 0.12's serializer is exact for most messages and terms, but not for all: it
//! moves a multiline pattern to the next line, and there a first line starting with `[`, `*`
//! or `.`-after-indent stops being text; it writes a comment line holding only spaces as a bare
//! `#`. Converting such text to placeables (`{"["}`) would change the AST, so every serialized
//! entry is parsed back and compared, and a caller gets `None` when it does not match.

use fluent_syntax::ast;
use fluent_syntax::parser;
use fluent_syntax::serializer;

/// Writes `comment` with `prefix` (`#`, `##` or `###`) before each line: `# text`, or the bare
/// prefix for an empty line. Every line ends with `\n`.
pub(crate) fn comment(out: &mut String, comment: &ast::Comment<&str>, prefix: &str) {
    for line in &comment.content {
        out.push_str(prefix);
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
    if comment.content.is_empty() {
        out.push_str(prefix);
        out.push('\n');
    }
}

/// The canonical text of a message or term without its comment, ending with `\n`, or `None`
/// when fluent-syntax's serializer would not give the same entry back.
///
/// Canonical means: `id = value` on one line when the value has one line, the value on
/// indented lines below `id =` when it has several, 4 spaces per level, attributes and variants
/// in source order, `*` in the indent before the default variant, and no spaces on blank lines.
pub(crate) fn entry(entry: &ast::Entry<&str>) -> Option<String> {
    let bare = match entry {
        ast::Entry::Message(m) => ast::Entry::Message(ast::Message {
            comment: None,
            ..m.clone()
        }),
        ast::Entry::Term(t) => ast::Entry::Term(ast::Term {
            comment: None,
            ..t.clone()
        }),
        _ => return None,
    };
    let resource = ast::Resource { body: vec![bare] };
    let raw = serializer::serialize(&resource);
    let text = strip_blank_line_indent(&raw);
    match parser::parse(text.as_str()) {
        Ok(back) if back.body == resource.body => Some(text),
        _ => None,
    }
}

/// The canonical text after `=` of `pattern` as the value of message or term `id` (`-name` for a
/// term): ` text` or `\n    line\n    line`, with no trailing line ending. `None` when the
/// serializer cannot reproduce it.
pub(crate) fn value(id: &str, pattern: &ast::Pattern<&str>) -> Option<String> {
    let entry = match id.strip_prefix('-') {
        Some(name) => ast::Entry::Term(ast::Term {
            id: ast::Identifier { name },
            value: pattern.clone(),
            attributes: Vec::new(),
            comment: None,
        }),
        None => ast::Entry::Message(ast::Message {
            id: ast::Identifier { name: id },
            value: Some(pattern.clone()),
            attributes: Vec::new(),
            comment: None,
        }),
    };
    let text = self::entry(&entry)?;
    let rest = text.split_once('=')?.1;
    Some(rest.strip_suffix('\n').unwrap_or(rest).to_string())
}

/// The canonical text of `attribute`, from the indent of its `.name =` line to its last
/// character, with no trailing line ending. `None` when the serializer cannot reproduce it.
pub(crate) fn attribute(attribute: &ast::Attribute<&str>) -> Option<String> {
    let entry = ast::Entry::Message(ast::Message {
        id: ast::Identifier { name: "x" },
        value: None,
        attributes: vec![attribute.clone()],
        comment: None,
    });
    let text = self::entry(&entry)?;
    let rest = text.strip_prefix("x =\n")?;
    Some(rest.strip_suffix('\n').unwrap_or(rest).to_string())
}

/// `text` with lines made only of spaces emptied: the serializer indents the blank lines of a
/// multiline pattern, and those spaces carry no meaning.
fn strip_blank_line_indent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if body.bytes().all(|b| b == b' ') {
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> ast::Entry<&str> {
        match parser::parse(text) {
            Ok(r) | Err((r, _)) => r.body.into_iter().next().unwrap(),
        }
    }

    #[test]
    fn comments_keep_every_line_and_their_spaces() {
        let r = parser::parse("# one\n#\n#   indented\n#  \n").unwrap();
        let ast::Entry::Comment(c) = &r.body[0] else {
            panic!("not a comment: {:?}", r.body)
        };
        let mut out = String::new();
        comment(&mut out, c, "#");
        assert_eq!(out, "# one\n#\n#   indented\n#  \n");
    }

    #[test]
    fn entries_are_laid_out_canonically() {
        let text = "hello   =\n  Hi\n   there\n\n  .title=T\n";
        assert_eq!(
            entry(&first(text)).unwrap(),
            "hello =\n    Hi\n     there\n    .title = T\n"
        );
        let select = "n = {$n ->\n[one]one\n*[other]many\n}\n";
        assert_eq!(
            entry(&first(select)).unwrap(),
            "n =\n    { $n ->\n        [one] one\n       *[other] many\n    }\n"
        );
    }

    #[test]
    fn blank_lines_inside_a_pattern_carry_no_indent() {
        let text = "p =\n    one\n\n    two\n";
        assert_eq!(entry(&first(text)).unwrap(), "p =\n    one\n\n    two\n");
    }

    #[test]
    fn patterns_the_serializer_would_change_are_refused() {
        // The serializer moves this value to the next line, where `[x]` stops being text.
        assert_eq!(entry(&first("m = [x]\n    y\n")), None);
        assert_eq!(entry(&first("m = *x\n    y\n")), None);
        assert_eq!(entry(&first("m =\n    .a = [x]\n        y\n")), None);
    }

    #[test]
    fn values_and_attributes_render_without_their_line() {
        let ast::Entry::Message(m) = first("m = {$x}\n    .a = A\n        B\n") else {
            panic!("not a message")
        };
        assert_eq!(value("m", m.value.as_ref().unwrap()).unwrap(), " { $x }");
        assert_eq!(value("-m", m.value.as_ref().unwrap()).unwrap(), " { $x }");
        assert_eq!(
            attribute(&m.attributes[0]).unwrap(),
            "    .a =\n        A\n        B"
        );
    }
}
