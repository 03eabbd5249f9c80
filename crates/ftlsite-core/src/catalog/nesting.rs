//! The nesting guard: placeables nested deeper than [`MAX_NESTING`] are refused before parsing.
//!
//! fluent-syntax's parser recurses once per nested placeable (projectfluent/fluent#284), and so
//! does every walk over its AST, so `{ { { … "x" … } } }` a few thousand levels deep overflows
//! the stack and aborts the process. No real message nests more than a handful of levels. The
//! scan below measures nesting in one linear pass over the text; each entry that goes too deep
//! is blanked out (replaced by spaces, line breaks kept, so every byte offset stays valid) and
//! reported as E102 at the line where it passes the limit. The rest of the file parses as usual.

use std::ops::Range;

/// The deepest placeable nesting a message may have. Fluent's own examples nest at most three
/// levels (a select inside a placeable inside a variant).
pub const MAX_NESTING: usize = 32;

/// An entry that nests too deep: where it passes the limit, and its byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooDeep {
    /// Byte offset of the `{` that opens level `MAX_NESTING + 1`.
    pub at: usize,
    /// The entry's bytes, from the start of its first line to the start of the next entry.
    pub entry: Range<usize>,
}

/// Finds every entry of `text` that nests placeables deeper than [`MAX_NESTING`].
///
/// Inside a placeable, a `"` opens a string literal (whose braces do not count) when it follows
/// `{`, `(`, `,` or `:` — where the grammar allows a literal; elsewhere it is text.
pub fn too_deep(text: &str) -> Vec<TooDeep> {
    let b = text.as_bytes();
    let mut out: Vec<TooDeep> = Vec::new();
    let mut depth = 0usize;
    let mut last_sig = b'\n';
    let mut entry_start = 0;
    let mut i = 0;
    while i < b.len() {
        if depth == 0 {
            // Outside placeables only a `{` and the start of an entry matter: jump from line
            // to line (most of a file is text at depth 0).
            if (i == 0 || b[i - 1] == b'\n') && (b[i].is_ascii_alphabetic() || b[i] == b'-') {
                entry_start = i;
            }
            match memchr::memchr2(b'{', b'\n', &b[i..]) {
                None => break,
                Some(k) if b[i + k] == b'\n' => {
                    i += k + 1;
                    continue;
                }
                Some(k) => i += k,
            }
        }
        let c = b[i];
        let line_start = i == 0 || b[i - 1] == b'\n';
        if line_start && (c.is_ascii_alphabetic() || c == b'-') {
            // A new entry at column 0 also ends any unbalanced placeable of the previous one,
            // as the parser's junk recovery does.
            entry_start = i;
            depth = 0;
        }
        match c {
            b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    let end = next_entry(b, i);
                    out.push(TooDeep {
                        at: i,
                        entry: entry_start..end,
                    });
                    depth = 0;
                    last_sig = b'\n';
                    i = end;
                    continue;
                }
            }
            b'}' => depth = depth.saturating_sub(1),
            b'"' if depth > 0 && matches!(last_sig, b'{' | b'(' | b',' | b':') => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        if !c.is_ascii_whitespace() {
            last_sig = c;
        }
        i += 1;
    }
    out
}

/// The start of the first line after byte `at` that begins an entry (an id's first letter, a
/// term's `-`, or a comment's `#` in column 0), or the end of the text.
fn next_entry(b: &[u8], at: usize) -> usize {
    let mut pos = at;
    while let Some(n) = b[pos..].iter().position(|&c| c == b'\n') {
        pos += n + 1;
        if b.get(pos)
            .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'-' || c == b'#')
        {
            return pos;
        }
    }
    b.len()
}

/// `text` with the given ranges replaced by spaces, line breaks kept.
pub fn blank(text: &str, ranges: &[Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        for b in &mut bytes[r.clone()] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    // Every blanked range starts at a line start and ends at one (or at the end), so no
    // multi-byte character is cut; a lossy conversion is never needed but costs nothing.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(n: usize) -> String {
        format!("{}\"x\"{}", "{ ".repeat(n), " }".repeat(n))
    }

    #[test]
    fn deep_entries_are_found_and_the_rest_kept() {
        let text = format!(
            "ok = fine\nbody = {}\n    .title = t\nnext = {}\n",
            nested(40),
            nested(MAX_NESTING)
        );
        let found = too_deep(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        let entry = &text[found[0].entry.clone()];
        assert!(entry.starts_with("body = "), "{entry}");
        assert!(entry.ends_with("    .title = t\n"), "{entry}");
        let blanked = blank(&text, &[found[0].entry.clone()]);
        assert_eq!(blanked.len(), text.len());
        let parsed = fluent_syntax::parser::parse(blanked.as_str()).unwrap();
        assert_eq!(parsed.body.len(), 2);
    }

    #[test]
    fn braces_in_string_literals_do_not_count() {
        let lit = "{ \"{\" }".repeat(100);
        assert!(too_deep(&format!("a = {lit}\n")).is_empty());
        let text = "a = { $n ->\n    [one] He said \"{ $x }\n   *[other] { \"}\" }\n}\n";
        assert!(too_deep(text).is_empty());
    }

    #[test]
    fn thousands_of_levels_are_one_finding_in_linear_time() {
        let text = format!("body = {}\n", nested(20_000));
        let found = too_deep(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].entry, 0..text.len());
    }
}
