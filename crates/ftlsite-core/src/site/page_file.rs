//! Load stage: one `pages/**/*.toml` file read straight from `toml_parser`'s events into a
//! [`PageConfig`], on the path nearly every page file takes.
//!
//! `toml::from_str` builds a spanned document tree, then deserializes it through serde: for a
//! page file of a template, an output and a list of message ids that is three quarters of the
//! time of reading it, and a site of 10,000 page files spends a tenth of a rebuild there. Here
//! the same tokens and events (the same lexer, parser and whitespace rules) go into the page's
//! values at once.
//!
//! Only what page files hold is read this way: top-level keys `template`, `output` and `vars`,
//! a `[vars]` table, and in it strings, integers, floats, booleans, arrays and inline tables
//! under simple keys. Anything else (a dotted key, another table header, a date, a duplicate,
//! any syntax error) gives `None`, and the caller asks `toml::from_str` instead, so that every
//! file means what TOML says and every error is reported with toml's own message and span.

use std::borrow::Cow;
use std::collections::BTreeMap;

use toml::{Spanned, Value};
use toml_parser::decoder::ScalarKind;
use toml_parser::parser::{Event, EventKind, RecursionGuard, ValidateWhitespace};
use toml_parser::{ParseError, Source};

use super::config::PageConfig;

/// How deep arrays and inline tables may nest: toml's own limit, past which it reports an error.
const NESTING: u32 = 80;

/// The page `text` declares, or `None` when it holds anything but the common forms (see the
/// module notes) or is not valid TOML.
pub(super) fn parse(text: &str) -> Option<PageConfig> {
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut events: Vec<Event> = Vec::with_capacity(tokens.len());
    let mut error: Option<ParseError> = None;
    {
        let mut whitespace = ValidateWhitespace::new(&mut events, source);
        let mut guard = RecursionGuard::new(&mut whitespace, NESTING);
        toml_parser::parser::parse_document(&tokens, &mut guard, &mut error);
    }
    if error.is_some() {
        return None;
    }
    events.retain(|e| {
        !matches!(
            e.kind(),
            EventKind::Whitespace | EventKind::Comment | EventKind::Newline
        )
    });
    Walk {
        events: &events,
        at: 0,
        source,
    }
    .document()
}

/// A cursor over a document's events, trivia removed.
struct Walk<'e, 'i> {
    events: &'e [Event],
    at: usize,
    source: Source<'i>,
}

impl<'i> Walk<'_, 'i> {
    fn next(&mut self) -> Option<Event> {
        let e = self.events.get(self.at).copied();
        self.at += 1;
        e
    }

    fn peek(&self) -> Option<EventKind> {
        self.events.get(self.at).map(Event::kind)
    }

    fn expect(&mut self, kind: EventKind) -> Option<()> {
        (self.next()?.kind() == kind).then_some(())
    }

    fn document(&mut self) -> Option<PageConfig> {
        let mut template = None;
        let mut output = None;
        let mut vars: Option<BTreeMap<String, Value>> = None;
        let mut in_vars = false;
        while let Some(e) = self.next() {
            match e.kind() {
                EventKind::SimpleKey => {
                    let key = self.key(e)?;
                    self.expect(EventKind::KeyValSep)?;
                    let (value, span) = self.value(0)?;
                    if in_vars {
                        let vars = vars.as_mut()?;
                        if vars.contains_key(key.as_ref()) {
                            return None;
                        }
                        vars.insert(key.into_owned(), value);
                        continue;
                    }
                    let slot = match key.as_ref() {
                        "template" => &mut template,
                        "output" => &mut output,
                        "vars" => match value {
                            Value::Table(t) if vars.is_none() => {
                                vars = Some(t.into_iter().collect());
                                continue;
                            }
                            _ => return None,
                        },
                        _ => return None,
                    };
                    match value {
                        Value::String(s) if slot.is_none() => {
                            *slot = Some(Spanned::new(span, s));
                        }
                        _ => return None,
                    }
                }
                EventKind::StdTableOpen => {
                    let name = self.next()?;
                    if name.kind() != EventKind::SimpleKey || self.key(name)? != "vars" {
                        return None;
                    }
                    self.expect(EventKind::StdTableClose)?;
                    if vars.is_some() {
                        return None;
                    }
                    vars = Some(BTreeMap::new());
                    in_vars = true;
                }
                _ => return None,
            }
        }
        Some(PageConfig {
            template: template?,
            output: output?,
            vars: vars.unwrap_or_default(),
        })
    }

    /// A simple key, decoded; `None` when it is the first part of a dotted key.
    fn key(&self, e: Event) -> Option<Cow<'i, str>> {
        if self.peek() == Some(EventKind::KeySep) {
            return None;
        }
        let mut decoded = Cow::Borrowed("");
        let mut error: Option<ParseError> = None;
        self.source.get(e)?.decode_key(&mut decoded, &mut error);
        error.is_none().then_some(decoded)
    }

    /// A value and the span of its text.
    fn value(&mut self, depth: u32) -> Option<(Value, std::ops::Range<usize>)> {
        if depth >= NESTING {
            return None;
        }
        let e = self.next()?;
        let start = e.span().start();
        let value = match e.kind() {
            EventKind::Scalar => self.scalar(e)?,
            EventKind::ArrayOpen => {
                let mut items = Vec::new();
                loop {
                    if self.peek() == Some(EventKind::ArrayClose) {
                        self.next();
                        break;
                    }
                    items.push(self.value(depth + 1)?.0);
                    match self.next()?.kind() {
                        EventKind::ValueSep => {}
                        EventKind::ArrayClose => break,
                        _ => return None,
                    }
                }
                Value::Array(items)
            }
            EventKind::InlineTableOpen => {
                let mut table = toml::Table::new();
                loop {
                    if self.peek() == Some(EventKind::InlineTableClose) {
                        self.next();
                        break;
                    }
                    let k = self.next()?;
                    if k.kind() != EventKind::SimpleKey {
                        return None;
                    }
                    let key = self.key(k)?;
                    self.expect(EventKind::KeyValSep)?;
                    let (v, _) = self.value(depth + 1)?;
                    if table.contains_key(key.as_ref()) {
                        return None;
                    }
                    table.insert(key.into_owned(), v);
                    match self.next()?.kind() {
                        EventKind::ValueSep => {}
                        EventKind::InlineTableClose => break,
                        _ => return None,
                    }
                }
                Value::Table(table)
            }
            _ => return None,
        };
        let end = self.events[self.at - 1].span().end();
        Some((value, start..end))
    }

    /// A string, boolean, integer or float, converted as toml converts it; `None` for a date
    /// or a number out of range.
    fn scalar(&self, e: Event) -> Option<Value> {
        let mut decoded = Cow::Borrowed("");
        let mut error: Option<ParseError> = None;
        let kind = self.source.get(e)?.decode_scalar(&mut decoded, &mut error);
        if error.is_some() {
            return None;
        }
        Some(match kind {
            ScalarKind::String => Value::String(decoded.into_owned()),
            ScalarKind::Boolean(b) => Value::Boolean(b),
            ScalarKind::Integer(radix) => {
                Value::Integer(i64::from_str_radix(&decoded, radix.value()).ok()?)
            }
            ScalarKind::Float => {
                let f: f64 = decoded.parse().ok()?;
                if f.is_infinite() && !decoded.contains("inf") {
                    return None;
                }
                Value::Float(f)
            }
            ScalarKind::DateTime => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `toml::from_str` makes of `text`, in a form that compares spans and NaNs too.
    fn reference(text: &str) -> Option<String> {
        toml::from_str::<PageConfig>(text).ok().map(|p| shown(&p))
    }

    fn shown(p: &PageConfig) -> String {
        format!(
            "{:?}@{:?} {:?}@{:?} {:?}",
            p.template.get_ref(),
            p.template.span(),
            p.output.get_ref(),
            p.output.span(),
            p.vars
        )
    }

    /// Every text the fast path reads, it reads as toml does; the texts it declines are
    /// the ones it should decline.
    #[test]
    fn reads_page_files_as_toml_does() {
        let read = [
            "template = \"page.html\"\noutput = \"a/b.html\"\n",
            "output = 'x.html' # comment\ntemplate = \"\"\"p.html\"\"\"\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[vars]\ntitle = \"msg-1\"\nmessages = [\"a\", \"b\",\n  \"c\", ]\n",
            "template = \"p.html\"\r\noutput = \"x.html\"\r\n[ vars ]\r\nn = 0x1F\r\nf = 1e3\r\ng = -0.5\r\nb = true\r\n",
            "template = \"p.html\"\noutput = \"x.html\"\nvars = { a = 1, \"quoted key\" = [[1, 2], []], t = { u = 'v' } }\n",
            "template = \"p.\\u00e9\\n\"\noutput = \"x.html\"\n[vars]\ns = '''\nline\n'''\ni = 1_000\n",
            "\u{feff}template = \"p.html\"\noutput = \"x.html\"\n[vars]\nnan = nan\ninf = -inf\n",
            "template = \"p.html\"\noutput = \"x.html\"\nvars = {}\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[vars]\nt = { a = 1, b = 2, }\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[\"vars\"]\nx = \"y\"\n",
        ];
        for text in read {
            let fast = parse(text).map(|p| shown(&p));
            assert!(fast.is_some(), "declined: {text:?}");
            assert_eq!(fast, reference(text), "{text:?}");
        }
        let declined = [
            "",
            "template = \"p.html\"\n",
            "template = \"p.html\"\noutput = \"x.html\"\nother = 1\n",
            "template = \"p.html\"\noutput = \"x.html\"\ntemplate = \"q.html\"\n",
            "template = 1\noutput = \"x.html\"\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[vars]\na.b = 1\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[vars.sub]\na = 1\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[vars]\na = 1\na = 2\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[vars]\n[vars]\n",
            "template = \"p.html\"\noutput = \"x.html\"\nvars = {}\n[vars]\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[vars]\nd = 1979-05-27\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[vars]\nn = 9223372036854775808\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[vars]\nt = { a = 1, a = 2 }\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[[vars]]\n",
            "template = \"p.html\" output = \"x.html\"\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[vars]\ns = \"bad \\q escape\"\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[vars]\ns = \"unterminated\n",
            "template = \"p\u{1}.html\"\noutput = \"x.html\"\n",
            "template = \"p.html\"\noutput = \"x.html\"\n[vars]\na = [1, 2\n",
        ];
        for text in declined {
            assert_eq!(parse(text).map(|p| shown(&p)), None, "read: {text:?}");
        }
        let deep = format!(
            "template = \"p\"\noutput = \"o\"\n[vars]\na = {}{}\n",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert!(parse(&deep).is_none());
    }

    /// Texts cut and spliced from valid page files: whatever the fast path reads, toml
    /// reads the same way.
    #[test]
    fn never_disagrees_with_toml_on_damaged_files() {
        let base = "template = \"page.html\"\noutput = \"p/1.html\"\n[vars]\ntitle = \"msg-1\"\nmessages = [\"a\", 'b', { k = 2, l = [true, 1.5] }]\nn = -7\n";
        let mut checked = 0;
        for cut in 0..=base.len() {
            for len in [1usize, 2, 5] {
                let end = (cut + len).min(base.len());
                if !base.is_char_boundary(cut) || !base.is_char_boundary(end) {
                    continue;
                }
                let damaged = format!("{}{}", &base[..cut], &base[end..]);
                let doubled = format!("{}{}", &base[..end], &base[cut..]);
                for text in [damaged, doubled] {
                    if let Some(p) = parse(&text) {
                        assert_eq!(Some(shown(&p)), reference(&text), "{text:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 50, "only {checked} damaged texts were read");
    }
}
