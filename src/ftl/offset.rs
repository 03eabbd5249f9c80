//! Byte offsets in Fluent source: where a parsed slice sits, and where its lines start and end.
//!
//! fluent-syntax's AST carries no spans, but parsing with `S = &str` hands out slices of the
//! input, so a slice's address is its position. Everything else is found by scanning lines.

/// The byte offset of `slice` in `source`, when `slice` was cut from `source`.
///
/// An empty slice at the very end of `source` sits at `source.len()`. Returns `None` for a slice
/// that does not lie inside `source` (a string the parser made up, or one from another text).
pub(crate) fn offset_in(source: &str, slice: &str) -> Option<usize> {
    let base = source.as_ptr() as usize;
    let at = (slice.as_ptr() as usize).checked_sub(base)?;
    let end = at.checked_add(slice.len())?;
    (end <= source.len()).then_some(at)
}

/// The start of the line holding byte `at` (0, or just past the previous `\n`).
pub(crate) fn line_start(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    bytes
        .get(..at)
        .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
        .map_or(0, |i| i + 1)
}

/// Whether `line` (with or without its line ending) is blank as Fluent counts it: spaces only.
pub(crate) fn is_blank_line(line: &str) -> bool {
    let body = line.strip_suffix('\n').unwrap_or(line);
    let body = body.strip_suffix('\r').unwrap_or(body);
    body.bytes().all(|b| b == b' ')
}

/// The end of the last line in `start..end` that is not blank, its line ending included; `start`
/// when every line there is blank. The blank lines cut off are layout, not content.
pub(crate) fn lines_end(text: &str, start: usize, end: usize) -> usize {
    let Some(segment) = text.get(start..end) else {
        return start;
    };
    let mut last = start;
    let mut pos = start;
    for line in segment.split_inclusive('\n') {
        pos += line.len();
        if !is_blank_line(line) {
            last = pos;
        }
    }
    last
}

/// `end` moved back over trailing spaces and line endings, but not before `start`: where the
/// content of a message, term or attribute stops (the parser drops that trailing whitespace).
pub(crate) fn content_end(text: &str, start: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = end.min(bytes.len()).max(start);
    while end > start && matches!(bytes.get(end - 1), Some(b' ' | b'\n' | b'\r')) {
        end -= 1;
    }
    end
}

/// The line ending the text uses: `"\r\n"` when its first line ends that way, else `"\n"`.
pub(crate) fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes().get(i - 1) == Some(&b'\r') => "\r\n",
        _ => "\n",
    }
}

/// `text` with every `\r\n` turned into `ending`. Lone `\r`s are text and stay.
pub(crate) fn with_line_ending(text: &str, ending: &str) -> String {
    let lf = text.replace("\r\n", "\n");
    if ending == "\n" {
        lf
    } else {
        lf.replace('\n', ending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_in_finds_subslices_and_rejects_foreign_strings() {
        let source = "key = value\n";
        assert_eq!(offset_in(source, &source[6..11]), Some(6));
        assert_eq!(offset_in(source, &source[12..]), Some(12));
        assert_eq!(offset_in(source, source), Some(0));
        let other = String::from("value");
        assert_eq!(offset_in(source, &other), None);
        assert_eq!(offset_in(&source[6..], &source[..3]), None);
    }

    #[test]
    fn offset_in_works_on_a_parsed_resource() {
        let source = "# note\nhello = Hi\n-term = T\n";
        let resource = fluent_syntax::parser::parse(source).unwrap();
        let offsets: Vec<_> = resource
            .body
            .iter()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => offset_in(source, m.id.name),
                fluent_syntax::ast::Entry::Term(t) => offset_in(source, t.id.name),
                _ => None,
            })
            .collect();
        assert_eq!(offsets, vec![7, 19]);
    }

    #[test]
    fn line_start_scans_back_to_the_previous_newline() {
        let text = "ab\ncd\n";
        assert_eq!(line_start(text, 0), 0);
        assert_eq!(line_start(text, 2), 0);
        assert_eq!(line_start(text, 3), 3);
        assert_eq!(line_start(text, 5), 3);
        assert_eq!(line_start(text, 6), 6);
        assert_eq!(line_start(text, 99), 6);
    }

    #[test]
    fn lines_end_drops_trailing_blank_lines_only() {
        let text = "a = 1\n  \n\nb";
        assert_eq!(lines_end(text, 0, 10), 6);
        assert_eq!(lines_end(text, 0, text.len()), text.len());
        assert_eq!(lines_end(text, 6, 10), 6);
        assert_eq!(lines_end("x\r\n \r\n", 0, 6), 3);
        assert_eq!(lines_end("x\t\n", 0, 3), 3, "a tab is not blank");
    }

    #[test]
    fn content_end_drops_trailing_whitespace_down_to_start() {
        assert_eq!(content_end("a = 1  \r\n\n", 0, 10), 5);
        assert_eq!(content_end("a =\n", 3, 4), 3);
        assert_eq!(content_end("a =\t\n", 0, 5), 4);
    }

    #[test]
    fn line_endings_are_detected_and_converted() {
        assert_eq!(line_ending("a\r\nb\n"), "\r\n");
        assert_eq!(line_ending("a\nb\r\n"), "\n");
        assert_eq!(line_ending("a"), "\n");
        assert_eq!(with_line_ending("a\r\nb\nc\r", "\n"), "a\nb\nc\r");
        assert_eq!(with_line_ending("a\r\nb\n", "\r\n"), "a\r\nb\r\n");
    }
}
