//! The canonical layout of a whole Fluent file: [`format`].

use fluent_syntax::ast;
use fluent_syntax::parser;

use super::index::Index;
use super::meaning::same_entries;
use super::printer;

/// Lays `source` out canonically, losing nothing a translator wrote.
///
/// - Every comment is kept (`#` attached or standalone, `##` group, `###` resource), line for
///   line, spaces included.
/// - Entries stay in order, and so do attributes and select variants. Messages and terms are
///   written the way fluent-syntax's serializer writes them (`id = value`, multiline values on
///   indented lines below, 4 spaces per level); one it cannot write back identically keeps its
///   source text.
/// - Between two entries there is one blank line where the source had one or more, and none
///   where it had none, so a comment stays attached to its message or apart from it.
/// - Junk (text that does not parse) is kept byte for byte, up to its line endings and the
///   blank lines after it.
/// - Line endings become `\n`, a leading byte order mark is dropped, leading and trailing
///   blank lines go, and a file with any entry ends with exactly one `\n`.
///
/// The result parses to the same AST as the input, and formatting it again changes nothing.
/// Should a layout ever parse differently, `format` returns the input with only its line
/// endings, byte order mark and final line ending normalised.
///
/// ```
/// let messy = "### Strings\r\nhello=Hello,\r\n  world\r\n\r\n\r\n\r\n# Attached\r\nbye =   Bye\r\n";
/// assert_eq!(
///     ftlsite::ftl::format(messy),
///     "### Strings\nhello =\n    Hello,\n    world\n\n# Attached\nbye = Bye\n"
/// );
/// ```
pub fn format(source: &str) -> String {
    let text = normalize(source);
    layout(&text).unwrap_or_else(|| {
        let mut out = text.clone();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out
    })
}

/// `source` without a leading byte order mark and with `\n` line endings: a run of `\r`s
/// followed by `\n`, or ending the file, is part of a line ending and is dropped. Other `\r`s
/// are text to Fluent and stay. No `\r\n` is left, so normalising again changes nothing.
fn normalize(source: &str) -> String {
    let body = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut out = String::with_capacity(body.len());
    let mut crs = 0;
    for c in body.chars() {
        if c == '\r' {
            crs += 1;
            continue;
        }
        if c != '\n' {
            out.extend(std::iter::repeat_n('\r', crs));
        }
        crs = 0;
        out.push(c);
    }
    out
}

/// The canonical layout of `text` (already normalised), or `None` when it would not parse
/// back to the same entries.
fn layout(text: &str) -> Option<String> {
    let resource = match parser::parse(text) {
        Ok(r) | Err((r, _)) => r,
    };
    let index = Index::build(text, 0, &resource)?;
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut prev_end = None;
    for (entry, item) in resource.body.iter().zip(&index.items) {
        let end = item.lines_end(text);
        if end == item.start {
            // Junk made of spaces only (a last line with no line ending): layout, not text.
            continue;
        }
        if prev_end.is_some_and(|prev| item.start > prev) {
            out.push('\n');
        }
        match entry {
            ast::Entry::Message(ast::Message { comment, .. })
            | ast::Entry::Term(ast::Term { comment, .. }) => {
                if let Some(c) = comment {
                    printer::comment(&mut out, c, "#");
                }
                match printer::entry(entry) {
                    Some(canonical) if !canonical.contains("\r\n") => out.push_str(&canonical),
                    _ => push_line(&mut out, text.get(item.entry_start..end)?),
                }
            }
            ast::Entry::Comment(c) => printer::comment(&mut out, c, "#"),
            ast::Entry::GroupComment(c) => printer::comment(&mut out, c, "##"),
            ast::Entry::ResourceComment(c) => printer::comment(&mut out, c, "###"),
            ast::Entry::Junk { .. } => push_line(&mut out, text.get(item.start..end)?),
        }
        prev_end = Some(end);
    }
    let back = match parser::parse(out.as_str()) {
        Ok(r) | Err((r, _)) => r,
    };
    // A `\r\n` in the output would be normalised away by the next run.
    (!out.contains("\r\n") && same_entries(&resource.body, &back.body)).then_some(out)
}

/// Appends `text`, ending it with `\n` when it lacks one.
fn push_line(out: &mut String, text: &str) {
    out.push_str(text);
    if !text.ends_with('\n') {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_line_runs_collapse_and_adjacency_stays() {
        let input = "\n\n# c\n\n\n\na = 1\nb = 2\n\n\n\nc = 3\n\n\n";
        assert_eq!(format(input), "# c\n\na = 1\nb = 2\n\nc = 3\n");
    }

    #[test]
    fn byte_order_mark_and_crlf_go_and_one_final_newline_is_added() {
        assert_eq!(format("\u{feff}a = 1\r\nb = 2"), "a = 1\nb = 2\n");
        assert_eq!(format(""), "");
        assert_eq!(format("\n\n  \n"), "");
    }

    #[test]
    fn carriage_returns_before_a_line_end_or_the_end_of_the_file_go() {
        assert_eq!(normalize("a\r\r\nb\rc\r\r"), "a\nb\rc");
        assert_eq!(normalize("\u{feff}a\r\n"), "a\n");
        assert_eq!(format("x = {\r\r"), "x = {\n");
        assert_eq!(format("a = b\rc\r"), "a = b\rc\n");
    }

    #[test]
    fn junk_is_kept_as_written() {
        let input = "a = 1\nbroken = {  $x\n  oops\n\n\n\nb  =  2\n";
        assert_eq!(format(input), "a = 1\nbroken = {  $x\n  oops\n\nb = 2\n");
        assert_eq!(format("x = {"), "x = {\n");
    }

    #[test]
    fn text_the_serializer_cannot_write_keeps_its_source() {
        let input = "m = [x]\n      y\n";
        assert_eq!(format(input), input);
    }

    #[test]
    fn comments_of_every_kind_stay_where_they_are() {
        let input = "### res\n\n## group\n# standalone\n\n# attached\nm = 1\n#";
        assert_eq!(
            format(input),
            "### res\n\n## group\n# standalone\n\n# attached\nm = 1\n#\n"
        );
    }
}
