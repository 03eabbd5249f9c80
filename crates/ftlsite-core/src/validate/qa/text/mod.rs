//! Masked text: a Fluent pattern as a reader sees it, for the checks that compare prose.
//!
//! References to terms and messages are resolved to their text in the same locale (a brand
//! term reads as the brand), variables and function calls become [`MASK`], markup tags are
//! dropped (`<br>` reads as a line break), and a select reads as one of its variants. Every
//! character remembers where it came from ([`Origin`]): its own bytes in the file when it was
//! written there (*verbatim*), or the reference that produced it, so a finding points at the
//! text a translator would change, and a fix knows which characters it may rewrite.

use std::collections::BTreeSet;
use std::ops::Range;

use fluent_syntax::ast;
use rustc_hash::FxHashMap;

use crate::catalog::{offset_in, Catalog, EntryKind, PLACEABLE};

/// Stands in for a variable or a function call: text of unknown content.
pub const MASK: char = PLACEABLE;

/// How deep references are followed (terms that reference terms); cycles stop here too.
const MAX_DEPTH: usize = 8;

/// Where one character of a [`Masked`] text comes from, as a byte range of the entry's file
/// text (`FtlFile::text`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Start of the character, or of the placeable that produced it.
    pub at: usize,
    /// Length of the character, or of the reference as written.
    pub len: usize,
    /// True when the character is written literally at `at` in the file.
    pub verbatim: bool,
}

/// A pattern's text with placeables resolved or masked, and each character's origin.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Masked {
    /// The text.
    pub text: String,
    /// Where the characters come from, as runs in text order: most of a text is copied from
    /// one place in the file, so a run stands for many characters (a record per character
    /// took several times the text's own size, for every pattern of every locale).
    runs: Vec<Run>,
    /// Numbers passed as literals to `NUMBER()`: the locale formats them itself.
    pub formatted_numbers: Vec<String>,
    /// The text with placeables written as their Fluent source (`{$n}`, `{-brand}`), unresolved:
    /// two patterns with the same signature say the same thing.
    pub signature: String,
}

/// The origin of the characters from text byte `start` to the next run's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    start: usize,
    /// The first character's origin.
    origin: Origin,
    /// True when the characters follow each other in the file as in the text (each one's
    /// origin is its own bytes); false when they all share `origin` (text made by a reference).
    contiguous: bool,
}

impl Masked {
    /// The origin of the character that starts at text byte `i`.
    fn origin_of(&self, i: usize) -> Origin {
        let k = self
            .runs
            .partition_point(|r| r.start <= i)
            .saturating_sub(1);
        let Some(run) = self.runs.get(k) else {
            return Origin {
                at: 0,
                len: 0,
                verbatim: false,
            };
        };
        if !run.contiguous {
            return run.origin;
        }
        let len = self.text[i..].chars().next().map_or(1, char::len_utf8);
        Origin {
            at: run.origin.at + (i - run.start),
            len,
            ..run.origin
        }
    }

    /// The start of the first character at or after text byte `i`.
    fn char_from(&self, i: usize) -> Option<usize> {
        (i..self.text.len()).find(|&j| self.text.is_char_boundary(j))
    }

    /// The start of the last character before text byte `i`.
    fn char_before(&self, i: usize) -> Option<usize> {
        (0..i.min(self.text.len()))
            .rev()
            .find(|&j| self.text.is_char_boundary(j))
    }

    /// The characters that start in `r`, with their origins.
    fn chars_in(&self, r: Range<usize>) -> impl Iterator<Item = (usize, Origin)> + '_ {
        let from = self.char_from(r.start).unwrap_or(self.text.len());
        let end = r.end.max(from);
        self.text[from..]
            .char_indices()
            .map(move |(k, _)| from + k)
            .take_while(move |&i| i < end)
            .map(|i| (i, self.origin_of(i)))
    }

    /// The file span of the text bytes `r` (a reference's span when the text came from one).
    pub fn span(&self, r: Range<usize>) -> Range<usize> {
        let Some(last_char) = self.char_before(self.text.len()) else {
            return 0..0;
        };
        let first = self.char_from(r.start);
        let a = self.origin_of(first.unwrap_or(last_char));
        let b_at = match self.char_before(r.end.max(r.start + 1)) {
            Some(p) if p >= r.start => Some(p),
            _ => first,
        };
        let b = self.origin_of(b_at.unwrap_or(last_char));
        let end = (b.at + b.len).max(a.at + a.len);
        a.at..end
    }

    /// The file range of the text bytes `r` when every character in it is verbatim and
    /// contiguous in the file: the bytes a fix may replace.
    pub fn verbatim(&self, r: Range<usize>) -> Option<Range<usize>> {
        let mut run = self.chars_in(r);
        let (_, a) = run.next()?;
        if !a.verbatim {
            return None;
        }
        let mut next = a.at + a.len;
        for (_, o) in run {
            if !o.verbatim || o.at != next {
                return None;
            }
            next = o.at + o.len;
        }
        Some(a.at..next)
    }

    /// True when every character of the text bytes `r` came from a reference or a literal,
    /// not from the pattern's own text.
    pub fn borrowed(&self, r: Range<usize>) -> bool {
        self.chars_in(r).all(|(_, o)| !o.verbatim)
    }

    /// The origin of the character at text byte `i`.
    pub fn origin(&self, i: usize) -> Option<Origin> {
        self.char_from(i).map(|j| self.origin_of(j))
    }

    /// Every character with its text byte index and origin, in order.
    fn chars_with_origins(&self) -> impl Iterator<Item = (usize, char, Origin)> + '_ {
        self.text
            .char_indices()
            .map(|(i, c)| (i, c, self.origin_of(i)))
    }

    /// Pushes `s`, written literally at file byte `at`: the same runs as pushing each
    /// character with its own verbatim origin, and the rest in one step once the last run
    /// continues into it.
    fn push_verbatim(&mut self, s: &str, at: usize) {
        for (i, c) in s.char_indices() {
            let continues = self.runs.last().is_some_and(|r| {
                r.contiguous
                    && r.origin.verbatim
                    && r.origin.at + (self.text.len() - r.start) == at + i
            });
            if i > 0 && continues {
                self.text.push_str(&s[i..]);
                return;
            }
            let o = Origin {
                at: at + i,
                len: c.len_utf8(),
                verbatim: true,
            };
            self.push(c, o);
        }
    }

    fn push(&mut self, c: char, o: Origin) {
        let i = self.text.len();
        if let Some(last) = self.runs.last_mut() {
            let follows = last.contiguous
                && o.verbatim == last.origin.verbatim
                && o.at == last.origin.at + (i - last.start)
                && o.len == c.len_utf8();
            if follows {
                self.text.push(c);
                return;
            }
            // A run of one character reads the same either way, so it can turn constant.
            let one_char = || self.text[last.start..].chars().nth(1).is_none();
            if o == last.origin && (!last.contiguous || one_char()) {
                last.contiguous = false;
                self.text.push(c);
                return;
            }
        }
        self.runs.push(Run {
            start: i,
            origin: o,
            contiguous: o.len == c.len_utf8(),
        });
        self.text.push(c);
    }
}

/// The parsed entries of one locale, for resolving references.
pub struct Resolver<'a> {
    /// Looked up once or more per pattern and reference: hashed, not ordered.
    entries: FxHashMap<(EntryKind, &'a str), (&'a str, &'a ast::Entry<&'a str>)>,
}

impl<'a> Resolver<'a> {
    /// Indexes a catalog's entries (first definition wins, as in a bundle).
    pub fn new(cat: &'a Catalog) -> Self {
        let mut entries = FxHashMap::default();
        for f in &cat.files {
            let text = f.text();
            for e in f.resource.entries() {
                let key = match e {
                    ast::Entry::Message(m) => (EntryKind::Message, m.id.name),
                    ast::Entry::Term(t) => (EntryKind::Term, t.id.name),
                    _ => continue,
                };
                entries.entry(key).or_insert((text, e));
            }
        }
        Resolver { entries }
    }

    /// The parsed entry `id` of `kind`, with its file text.
    pub fn entry(&self, kind: EntryKind, id: &str) -> Option<(&'a str, &'a ast::Entry<&'a str>)> {
        self.entries.get(&(kind, id)).copied()
    }

    /// The pattern `attr` (`None`: the value) of an entry, with its file text.
    pub fn pattern(
        &self,
        kind: EntryKind,
        id: &str,
        attr: Option<&str>,
    ) -> Option<(&'a str, &'a ast::Pattern<&'a str>)> {
        let (text, e) = self.entry(kind, id)?;
        let (value, attrs) = match e {
            ast::Entry::Message(m) => (m.value.as_ref(), &m.attributes),
            ast::Entry::Term(t) => (Some(&t.value), &t.attributes),
            _ => return None,
        };
        let p = match attr {
            None => value?,
            Some(a) => &attrs.iter().find(|x| x.id.name == a)?.value,
        };
        Some((text, p))
    }

    /// The lines of the comment attached to an entry (none without one).
    pub fn comment(&self, kind: EntryKind, id: &str) -> &'a [&'a str] {
        let Some((_, e)) = self.entry(kind, id) else {
            return &[];
        };
        let c = match e {
            ast::Entry::Message(m) => m.comment.as_ref(),
            ast::Entry::Term(t) => t.comment.as_ref(),
            _ => None,
        };
        c.map_or(&[], |c| c.content.as_slice())
    }

    /// The renderings of a pattern: the default (every select on its default variant) first,
    /// then one per other variant key the pattern's selects use.
    pub fn renderings(&self, text: &str, p: &ast::Pattern<&str>) -> Vec<Masked> {
        self.renderings_in(text, p, &[])
    }

    /// The renderings of pattern `attr` of entry `id`: a reference back to the entry itself
    /// (a cycle, E306) reads as [`MASK`].
    pub fn entry_renderings(
        &self,
        kind: EntryKind,
        id: &str,
        attr: Option<&str>,
    ) -> Option<Vec<Masked>> {
        let (text, p) = self.pattern(kind, id, attr)?;
        Some(self.renderings_in(text, p, &[(kind, id)]))
    }

    fn renderings_in(
        &self,
        text: &str,
        p: &ast::Pattern<&str>,
        path: &[(EntryKind, &str)],
    ) -> Vec<Masked> {
        let mut keys = BTreeSet::new();
        variant_keys(p, &mut keys);
        let mut out = vec![self.render_in(text, p, None, path)];
        for k in &keys {
            out.push(self.render_in(text, p, Some(k), path));
        }
        out
    }

    /// One rendering: selects choose the variant named `choice`, else their default.
    pub fn render(&self, text: &str, p: &ast::Pattern<&str>, choice: Option<&str>) -> Masked {
        self.render_in(text, p, choice, &[])
    }

    fn render_in(
        &self,
        text: &str,
        p: &ast::Pattern<&str>,
        choice: Option<&str>,
        path: &[(EntryKind, &str)],
    ) -> Masked {
        // A rendering is about as long as its pattern's source: reserve once, not per push.
        let source_len = p_len(p);
        let mut out = Masked {
            text: String::with_capacity(source_len),
            ..Masked::default()
        };
        self.pattern_into(text, p, choice, None, path, &mut out);
        strip_tags(out)
    }

    fn pattern_into(
        &self,
        text: &str,
        p: &ast::Pattern<&str>,
        choice: Option<&str>,
        over: Option<Origin>,
        path: &[(EntryKind, &str)],
        out: &mut Masked,
    ) {
        let mut last = over.map_or(0, |o| o.at);
        for el in &p.elements {
            match el {
                ast::PatternElement::TextElement { value } => {
                    match (over, offset_in(text, value)) {
                        // Written in the pattern itself: each character is its own bytes.
                        (None, Some(b)) => {
                            out.push_verbatim(value, b);
                            if let Some((i, _)) = value.char_indices().next_back() {
                                last = b + i;
                            }
                        }
                        // Inside a reference, text has the reference's origin; text that is
                        // not in the file, the origin of what came before it.
                        (over, _) => {
                            let o = over.unwrap_or(Origin {
                                at: last,
                                len: 1,
                                verbatim: false,
                            });
                            for c in value.chars() {
                                out.push(c, o);
                                last = o.at;
                            }
                        }
                    }
                    if over.is_none() {
                        out.signature.push_str(value);
                    }
                }
                ast::PatternElement::Placeable { expression } => {
                    let at = expression_offset(text, expression).unwrap_or(last);
                    let o = over.unwrap_or(Origin {
                        at,
                        len: 1,
                        verbatim: false,
                    });
                    self.expression_into(text, expression, choice, o, over.is_some(), path, out);
                }
            }
        }
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "one recursive walk with its context"
    )]
    fn expression_into(
        &self,
        text: &str,
        e: &ast::Expression<&str>,
        choice: Option<&str>,
        o: Origin,
        nested: bool,
        path: &[(EntryKind, &str)],
        out: &mut Masked,
    ) {
        match e {
            ast::Expression::Inline(i) => self.inline_into(text, i, o, nested, path, out),
            ast::Expression::Select { variants, .. } => {
                let chosen = choice
                    .and_then(|k| variants.iter().find(|v| key_name(&v.key) == k))
                    .or_else(|| variants.iter().find(|v| v.default))
                    .or(variants.first());
                if let Some(v) = chosen {
                    let over = nested.then_some(o);
                    self.pattern_into(text, &v.value, choice, over, path, out);
                }
            }
        }
    }

    fn inline_into(
        &self,
        text: &str,
        i: &ast::InlineExpression<&str>,
        o: Origin,
        nested: bool,
        path: &[(EntryKind, &str)],
        out: &mut Masked,
    ) {
        use ast::InlineExpression as I;
        let sig = !nested;
        // Text produced inside a reference keeps the reference's origin.
        let fit = |len: usize| if nested { o } else { Origin { len, ..o } };
        match i {
            I::StringLiteral { value } => {
                let v = unescape(value);
                let o = fit(value.len().max(1));
                for c in v.chars() {
                    out.push(c, o);
                }
                if sig {
                    out.signature.push_str(&v);
                }
            }
            I::NumberLiteral { value } => {
                for c in value.chars() {
                    out.push(c, fit(value.len()));
                }
                if sig {
                    out.signature.push_str(value);
                }
            }
            I::VariableReference { id } => {
                out.push(MASK, fit(id.name.len() + 1));
                if sig {
                    out.signature.push_str(&format!("{{${}}}", id.name));
                }
            }
            I::FunctionReference { id, arguments } => {
                if id.name == "NUMBER" {
                    if let Some(I::NumberLiteral { value }) = arguments.positional.first() {
                        out.formatted_numbers.push((*value).to_string());
                    }
                }
                out.push(MASK, fit(id.name.len()));
                if sig {
                    let arg = match arguments.positional.first() {
                        Some(I::VariableReference { id }) => format!("${}", id.name),
                        Some(I::NumberLiteral { value }) => (*value).to_string(),
                        _ => String::new(),
                    };
                    out.signature.push_str(&format!("{{{}({arg})}}", id.name));
                }
            }
            I::MessageReference { id, attribute } | I::TermReference { id, attribute, .. } => {
                let kind = if matches!(i, I::TermReference { .. }) {
                    EntryKind::Term
                } else {
                    EntryKind::Message
                };
                let dash = usize::from(kind == EntryKind::Term);
                let len = dash + id.name.len() + attribute.as_ref().map_or(0, |a| a.name.len() + 1);
                let o = Origin {
                    verbatim: false,
                    ..fit(len)
                };
                if sig {
                    let attr = attribute
                        .as_ref()
                        .map_or(String::new(), |a| format!(".{}", a.name));
                    let d = if dash == 1 { "-" } else { "" };
                    out.signature.push_str(&format!("{{{d}{}{attr}}}", id.name));
                }
                let seen = path.iter().any(|(k, i)| *k == kind && *i == id.name);
                // Past E309's limit the text is an error already; stop expanding, so that a
                // 2 MB message referenced 99 times is not rendered as 200 MB here either.
                let within = out.text.len() < crate::validate::resolve::MAX_EXPANDED_BYTES;
                let target = (path.len() < MAX_DEPTH && !seen && within)
                    .then(|| self.pattern(kind, id.name, attribute.as_ref().map(|a| a.name)))
                    .flatten();
                match target {
                    Some((t, p)) => {
                        let mut next = path.to_vec();
                        next.push((kind, id.name));
                        self.pattern_into(t, p, None, Some(o), &next, out)
                    }
                    None => out.push(MASK, o),
                }
            }
            I::Placeable { expression } => {
                self.expression_into(text, expression, None, o, nested, path, out)
            }
        }
    }
}

fn key_name<'k>(k: &ast::VariantKey<&'k str>) -> &'k str {
    match k {
        ast::VariantKey::Identifier { name } => name,
        ast::VariantKey::NumberLiteral { value } => value,
    }
}

fn variant_keys(p: &ast::Pattern<&str>, keys: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expression_keys(expression, keys);
        }
    }
}

fn expression_keys(e: &ast::Expression<&str>, keys: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { variants, .. } => {
            for v in variants {
                if !v.default {
                    keys.insert(key_name(&v.key).to_string());
                }
                variant_keys(&v.value, keys);
            }
        }
        ast::Expression::Inline(ast::InlineExpression::Placeable { expression }) => {
            expression_keys(expression, keys)
        }
        ast::Expression::Inline(_) => {}
    }
}

/// Byte offset of the first thing inside a placeable.
fn expression_offset(text: &str, e: &ast::Expression<&str>) -> Option<usize> {
    use ast::InlineExpression as I;
    let i = match e {
        ast::Expression::Inline(i) => i,
        ast::Expression::Select { selector, .. } => selector,
    };
    match i {
        I::StringLiteral { value } | I::NumberLiteral { value } => offset_in(text, value),
        I::FunctionReference { id, .. }
        | I::MessageReference { id, .. }
        | I::VariableReference { id } => offset_in(text, id.name),
        I::TermReference { id, .. } => offset_in(text, id.name).map(|o| o.saturating_sub(1)),
        I::Placeable { expression } => expression_offset(text, expression),
    }
}

/// A Fluent string literal's value with its escapes (`\"`, `\\`, `\uXXXX`, `\UXXXXXX`) decoded.
pub fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut it = raw.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some(n @ ('u' | 'U')) => {
                let digits: String = (0..if n == 'u' { 4 } else { 6 })
                    .filter_map(|_| it.next())
                    .collect();
                match u32::from_str_radix(&digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                {
                    Some(ch) => out.push(ch),
                    None => out.push('\u{FFFD}'),
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Drops markup tags and comments (`<a href="…">`, `</strong>`, `<!-- -->`); a `<br>` becomes a
/// line break. A `<` that does not open a tag stays text.
/// The length of the text elements of `p` (the top level), in bytes.
fn p_len(p: &ast::Pattern<&str>) -> usize {
    p.elements
        .iter()
        .map(|el| match el {
            ast::PatternElement::TextElement { value } => value.len(),
            ast::PatternElement::Placeable { .. } => 8,
        })
        .sum()
}

fn strip_tags(m: Masked) -> Masked {
    if !m.text.contains('<') {
        return m;
    }
    let cs: Vec<(usize, char, Origin)> = m.chars_with_origins().collect();
    if !cs.iter().any(|(_, c, _)| *c == '<') {
        return m;
    }
    let mut out = Masked {
        formatted_numbers: m.formatted_numbers,
        signature: m.signature,
        ..Masked::default()
    };
    let mut k = 0;
    while k < cs.len() {
        let (_, c, o) = cs[k];
        let next = cs.get(k + 1).map(|x| x.1);
        let opens =
            c == '<' && next.is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!');
        let close = opens
            .then(|| cs[k..].iter().position(|x| x.1 == '>'))
            .flatten();
        match close {
            Some(len) => {
                let name: String = cs[k + 1..k + len]
                    .iter()
                    .map(|x| x.1)
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if name.eq_ignore_ascii_case("br") {
                    out.push(
                        '\n',
                        Origin {
                            verbatim: false,
                            ..o
                        },
                    );
                }
                k += len + 1;
            }
            None => {
                out.push(c, o);
                k += 1;
            }
        }
    }
    out
}

/// True for the CJK scripts written without spaces between words: Han, kana, and their
/// punctuation-free symbols (Hangul is written with spaces and is not included).
pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xF900..=0xFAFF // CJK Compatibility Ideographs
        | 0x31F0..=0x31FF // Katakana extensions
        | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests;
