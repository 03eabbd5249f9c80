//! The start-tag reader behind [`super::tag_attributes`]: html5gum's WHATWG tokenizer with an
//! emitter that keeps the wanted attributes of start tags and drops everything else as it is
//! read (text, comments, doctypes, end tags, unwanted attributes), so a whole generated page
//! costs no allocation beyond the values it returns.
//!
//! It switches to raw text after the same elements as [`super::parse`] (see
//! [`super::raw_kind`]), so both read the same tags; a unit test holds them to that.

use std::convert::Infallible;

use html5gum::{Emitter, Error, State, Tokenizer};

use super::TagAttributes;

/// Collects into `out` the start tags that carry an attribute in `wanted`.
pub(super) fn collect(html: &str, wanted: &[&str], out: &mut Vec<TagAttributes>) {
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
    // Reading from a `&str` cannot fail.
    let _ = Tokenizer::new_with_emitter(html, emitter).finish();
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
