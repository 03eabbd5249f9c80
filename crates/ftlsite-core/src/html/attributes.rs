//! The start-tag reader behind [`super::tag_attributes`]: html5gum's WHATWG tokenizer with an
//! emitter that keeps the wanted attributes of start tags and drops everything else as it is
//! read (text, comments, doctypes, end tags, unwanted attributes), so a whole generated page
//! costs no allocation beyond the values it returns.
//!
//! It switches to raw text after the same elements as [`super::parse`] (see
//! [`super::raw_kind`]), so both read the same tags; a unit test holds them to that.

use std::convert::Infallible;

use html5gum::{Emitter, Error, Readable, Reader, State, Tokenizer};

use super::TagAttributes;

/// Collects into `out` the start tags that carry an attribute in `wanted`.
pub(super) fn collect(html: &str, wanted: &[&str], out: &mut Vec<TagAttributes>) {
    collect_from(Page(html.as_bytes()), wanted, out);
}

fn collect_from<'r, S: Readable<'r>>(input: S, wanted: &[&str], out: &mut Vec<TagAttributes>) {
    let emitter = Wanted {
        wanted,
        out,
        tag: Vec::new(),
        start: false,
        last_start: Vec::new(),
        name: Vec::new(),
        value: Vec::new(),
        kept: Vec::new(),
    };
    // Reading from memory cannot fail.
    let _ = Tokenizer::new_with_emitter(input, emitter).finish();
}

/// A page in memory, read by the tokenizer. It differs from html5gum's own string reader in
/// how it finds the next byte the tokenizer stops at (`<` and `&` in text, the quote and `&`
/// in an attribute value, the end of a tag name...): the set, a handful of ASCII bytes, becomes
/// a 128-bit mask tested byte by byte. The runs between those bytes in a generated page are
/// short (a tag name, a URL, a sentence), and a mask costs nothing to set up, where a SIMD
/// search pays for its setup at every call.
struct Page<'a>(&'a [u8]);

impl Reader for Page<'_> {
    type Error = Infallible;

    fn read_byte(&mut self) -> Result<Option<u8>, Infallible> {
        Ok(self.0.split_first().map(|(&b, rest)| {
            self.0 = rest;
            b
        }))
    }

    fn try_read_string(&mut self, s: &[u8], case_sensitive: bool) -> Result<bool, Infallible> {
        match self.0.get(..s.len()) {
            Some(next) if next == s || (!case_sensitive && next.eq_ignore_ascii_case(s)) => {
                self.0 = &self.0[s.len()..];
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn read_until<'b>(
        &'b mut self,
        needle: &[u8],
        _: &'b mut [u8; 4],
    ) -> Result<Option<&'b [u8]>, Infallible> {
        if self.0.is_empty() {
            return Ok(None);
        }
        // A needle byte first is returned alone; otherwise everything before the next one.
        let at = find_any(needle, self.0).unwrap_or(self.0.len()).max(1);
        let (chunk, rest) = self.0.split_at(at);
        self.0 = rest;
        Ok(Some(chunk))
    }
}

/// Where the first byte of `hay` that is in `needle` is.
fn find_any(needle: &[u8], hay: &[u8]) -> Option<usize> {
    if !needle.is_ascii() {
        return hay.iter().position(|b| needle.contains(b));
    }
    let set = needle.iter().fold(0u128, |set, &b| set | 1 << b);
    hay.iter().position(|&b| b < 128 && (set >> b) & 1 == 1)
}

struct Wanted<'a> {
    wanted: &'a [&'a str],
    out: &'a mut Vec<TagAttributes>,
    /// The current tag's name, and whether it is a start tag.
    tag: Vec<u8>,
    start: bool,
    /// The name of the last start tag, for the end tag that closes raw text.
    last_start: Vec<u8>,
    /// The current attribute's name and value.
    name: Vec<u8>,
    value: Vec<u8>,
    kept: Vec<(String, String)>,
}

impl Wanted<'_> {
    /// Ends the current attribute: kept when wanted and not a repeat (the first value wins, as
    /// browsers do).
    fn flush_attribute(&mut self) {
        let wanted = self.wanted.iter().any(|w| w.as_bytes() == self.name);
        if wanted && !self.kept.iter().any(|(k, _)| k.as_bytes() == self.name) {
            let name = String::from_utf8_lossy(&self.name).into_owned();
            let value = String::from_utf8_lossy(&self.value).into_owned();
            self.kept.push((name, value));
        }
        self.name.clear();
        self.value.clear();
    }
}

impl Emitter for Wanted<'_> {
    type Token = Infallible;

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.last_start.clear();
        self.last_start.extend(last_start_tag.unwrap_or_default());
    }

    fn emit_eof(&mut self) {}

    fn emit_error(&mut self, _error: Error) {}

    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn pop_token(&mut self) -> Option<Infallible> {
        None
    }

    fn emit_string(&mut self, _c: &[u8]) {}

    fn init_start_tag(&mut self) {
        self.tag.clear();
        self.start = true;
        self.kept.clear();
        self.name.clear();
        self.value.clear();
    }

    fn init_end_tag(&mut self) {
        self.tag.clear();
        self.start = false;
        self.name.clear();
        self.value.clear();
    }

    fn init_comment(&mut self) {}

    fn emit_current_tag(&mut self) -> Option<State> {
        if !self.start {
            self.last_start.clear();
            return None;
        }
        self.flush_attribute();
        self.last_start.clear();
        self.last_start.extend_from_slice(&self.tag);
        if !self.kept.is_empty() {
            let name = String::from_utf8_lossy(&self.tag).into_owned();
            self.out.push((name, std::mem::take(&mut self.kept)));
        }
        super::raw_kind_of(&self.tag).map(|kind| match kind {
            super::RawKind::ScriptData => State::ScriptData,
            super::RawKind::Rawtext => State::RawText,
            _ => State::RcData,
        })
    }

    fn emit_current_comment(&mut self) {}

    fn emit_current_doctype(&mut self) {}

    fn set_self_closing(&mut self) {}

    fn set_force_quirks(&mut self) {}

    fn push_tag_name(&mut self, s: &[u8]) {
        self.tag.extend_from_slice(s);
    }

    fn push_comment(&mut self, _s: &[u8]) {}

    fn push_doctype_name(&mut self, _s: &[u8]) {}

    fn init_doctype(&mut self) {}

    fn init_attribute(&mut self) {
        if self.start {
            self.flush_attribute();
        }
    }

    fn push_attribute_name(&mut self, s: &[u8]) {
        if self.start {
            self.name.extend_from_slice(s);
        }
    }

    fn push_attribute_value(&mut self, s: &[u8]) {
        if self.start {
            self.value.extend_from_slice(s);
        }
    }

    fn set_doctype_public_identifier(&mut self, _value: &[u8]) {}

    fn set_doctype_system_identifier(&mut self, _value: &[u8]) {}

    fn push_doctype_public_identifier(&mut self, _s: &[u8]) {}

    fn push_doctype_system_identifier(&mut self, _s: &[u8]) {}

    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        !self.start && !self.last_start.is_empty() && self.tag == self.last_start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What html5gum's own string reader gives for `html`.
    fn by_string_reader(html: &str, wanted: &[&str]) -> Vec<TagAttributes> {
        let mut out = Vec::new();
        collect_from(html, wanted, &mut out);
        out
    }

    #[test]
    fn the_page_reader_reads_as_html5guns_string_reader() {
        let wanted = ["id", "href", "src", "title"];
        let pages = [
            "<!DOCTYPE html>\r\n<html lang=\"zh-CN\">\r\n<a href=\"a\r\nb\" title='x\ry'>隐私</a>\r",
            "<a href=\"?a=1&copy=2&amp;b&#x41;\">refs</a><a href=x&copy id=\0>",
            "<script>if (a < b && c) { x = '</scr' }</script ><img src=i.svg\tid=\"é\">",
            "<A HREF='Up.html'><!-- <a href=no> --><textarea><a href=no2></textarea><b id=q/>",
            "text only, with < and & and > but no tag",
            "<a href='unterminated",
        ];
        for page in pages {
            // Every cut, so that each state meets the end of the input.
            for end in (0..=page.len()).filter(|&i| page.is_char_boundary(i)) {
                let cut = &page[..end];
                let mut got = Vec::new();
                collect(cut, &wanted, &mut got);
                assert_eq!(got, by_string_reader(cut, &wanted), "{cut:?}");
            }
        }
    }

    #[test]
    fn find_any_finds_the_first_byte_of_the_set() {
        assert_eq!(find_any(b"<&\r", b"abc&d<"), Some(3));
        assert_eq!(find_any(b"<&\r", b"abc"), None);
        assert_eq!(find_any(b"\0", b"a\0"), Some(1));
        assert_eq!(find_any(b"\x7f", "é\x7f".as_bytes()), Some(2));
        // Bytes past ASCII are never in an ASCII set, and a set may hold them.
        assert_eq!(find_any(b">", "éé>".as_bytes()), Some(4));
        assert_eq!(find_any(&[0xa9, b'<'], "a©é".as_bytes()), Some(2));
    }
}
