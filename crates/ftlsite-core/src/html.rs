//! The HTML front: html5ever's tokenizer decides what is a tag, an attribute, text, a comment
//! or raw script text; every check and the renderer read HTML through [`parse`]. The one
//! exception is the rendered-page link check, which reads every generated page and wants only
//! some attributes of start tags: [`tag_attributes`] reads them with html5gum, another WHATWG
//! tokenizer, made to agree with [`parse`] (same raw-text elements; tested on both).
//!
//! html5ever reports line numbers, not byte offsets. Diagnostics want exact places, so each
//! token is mapped back onto the source by a cursor that only moves forward ([`Locator`]):
//! tokens come in source order, a tag is found as the next `<name` at or after the cursor, its
//! attributes as `name=` inside it, and text is what lies between. Structure never comes from
//! the locator — only positions of what html5ever already found.
//!
//! Also here: the inline tags a translation may carry, and escaping for the contexts generated
//! pages write values into.

use std::cell::RefCell;
use std::ops::Range;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag as HtmlTag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};

mod attributes;

/// The inline tags a translation may use (when its source does): the renderer's sanitizer keeps
/// exactly these, and the markup checks report any other.
pub const INLINE_TAGS: &[&str] = &["a", "strong", "em", "code", "br"];

/// Attributes that hold a URL the browser loads or navigates to.
pub const URL_ATTRIBUTES: &[&str] = &["href", "src", "action", "formaction", "xlink:href"];

/// The allow-list as prose, for messages: "a, strong, em, code and br".
pub fn inline_tags_list() -> String {
    match INLINE_TAGS.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.to_string(),
        None => String::new(),
    }
}

/// An attribute of a start tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attr {
    /// Lower-cased name.
    pub name: String,
    /// The value with character references decoded.
    pub value: String,
    /// Byte range of the value as written (inside the quotes), when there is a value.
    pub value_span: Option<Range<usize>>,
}

/// A start tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// Lower-cased tag name.
    pub name: String,
    /// Attributes in source order (a repeated name keeps its first value, as browsers do).
    pub attrs: Vec<Attr>,
    /// Byte range from `<` to just after `>`.
    pub span: Range<usize>,
}

impl Tag {
    /// The attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// One piece of an HTML text, in source order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A start tag.
    Start(Tag),
    /// An end tag, by lower-cased name, with its byte range.
    End(String, Range<usize>),
    /// Text content (character references decoded) and its byte range. Text inside `<script>`
    /// and `<style>` is [`Node::RawText`] instead.
    Text(String, Range<usize>),
    /// The content of a raw-text element (`script`, `style`, ...), not text for people.
    RawText(Range<usize>),
    /// A comment, doctype or processing instruction.
    Markup(Range<usize>),
}

/// Tokenizes `html` with html5ever and places every token in the source.
pub fn parse(html: &str) -> Vec<Node> {
    // Text with nothing the tokenizer would treat specially is one text node, as html5ever
    // would read it; most translations are such text.
    if html.is_empty() {
        return Vec::new();
    }
    if !html.contains(['<', '&', '\0', '\r']) {
        return vec![Node::Text(html.to_string(), 0..html.len())];
    }
    let sink = Sink {
        tokens: RefCell::new(Vec::new()),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    let tokens = tokenizer.sink.tokens.take();
    Locator::new(html).place(tokens)
}

/// A start tag's lower-cased name and the (name, decoded value) pairs [`tag_attributes`] kept.
pub type TagAttributes = (String, Vec<(String, String)>);

/// The start tags of `html` that carry one of the attributes in `wanted`, each with only those
/// attributes (name, decoded value), in source order: no text and no positions. What a check
/// that reads whole generated pages needs (the rendered-page link check), several times faster
/// than [`parse`]: html5gum's tokenizer with an emitter that drops what is not wanted as it reads
/// (see [`attributes`]). It is a WHATWG tokenizer like html5ever's and switches to raw text after
/// the same elements, so both read the same tags; `tag_attributes_reads_the_tags_parse_reads`
/// holds them to that.
pub fn tag_attributes(html: &str, wanted: &[&str]) -> Vec<TagAttributes> {
    let mut out = Vec::new();
    if html.contains('<') {
        attributes::collect(html, wanted, &mut out);
    }
    out
}

/// `html` rewritten node by node: `f` gets each node and its source text and returns the text
/// to write instead (`None` keeps it); whatever lies between nodes is kept as written.
pub fn map_nodes(html: &str, mut f: impl FnMut(&Node, &str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut pos = 0;
    for node in parse(html) {
        let span = node.span();
        let (Some(gap), Some(body)) = (html.get(pos..span.start), html.get(span.clone())) else {
            continue;
        };
        out.push_str(gap);
        match f(&node, body) {
            Some(new) => out.push_str(&new),
            None => out.push_str(body),
        }
        pos = span.end;
    }
    out.push_str(html.get(pos..).unwrap_or(""));
    out
}

impl Node {
    /// The node's byte range in the source.
    pub fn span(&self) -> Range<usize> {
        match self {
            Node::Start(t) => t.span.clone(),
            Node::End(_, s) | Node::Text(_, s) | Node::RawText(s) | Node::Markup(s) => s.clone(),
        }
    }
}

/// The start tags of `html`, in order.
pub fn start_tags(html: &str) -> Vec<Tag> {
    parse(html)
        .into_iter()
        .filter_map(|n| match n {
            Node::Start(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// A token as the sink keeps it until it is placed.
#[derive(Debug)]
enum Raw {
    Start(String, Vec<(String, String)>),
    End(String),
    Text(String),
    Comment(usize),
    Doctype,
}

struct Sink {
    tokens: RefCell<Vec<Raw>>,
}

/// Elements whose content the tokenizer must read as raw text, as a browser does.
fn raw_kind(name: &str) -> Option<RawKind> {
    raw_kind_of(name.as_bytes())
}

/// [`raw_kind`] of a name as bytes.
fn raw_kind_of(name: &[u8]) -> Option<RawKind> {
    match name {
        b"script" => Some(RawKind::ScriptData),
        b"style" | b"xmp" | b"iframe" | b"noembed" | b"noframes" => Some(RawKind::Rawtext),
        b"title" | b"textarea" => Some(RawKind::Rcdata),
        _ => None,
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut tokens = self.tokens.borrow_mut();
        match token {
            Token::TagToken(HtmlTag {
                kind: TagKind::StartTag,
                name,
                attrs,
                ..
            }) => {
                let name = name.to_string();
                let raw = raw_kind(&name);
                tokens.push(Raw::Start(
                    name,
                    attrs
                        .into_iter()
                        .map(|a| (a.name.local.to_string(), a.value.to_string()))
                        .collect(),
                ));
                if let Some(kind) = raw {
                    return TokenSinkResult::RawData(kind);
                }
            }
            Token::TagToken(HtmlTag { name, .. }) => tokens.push(Raw::End(name.to_string())),
            Token::CharacterTokens(t) => match tokens.last_mut() {
                Some(Raw::Text(s)) => s.push_str(&t),
                _ => tokens.push(Raw::Text(t.to_string())),
            },
            Token::NullCharacterToken => match tokens.last_mut() {
                Some(Raw::Text(s)) => s.push('\0'),
                _ => tokens.push(Raw::Text("\0".into())),
            },
            Token::CommentToken(c) => tokens.push(Raw::Comment(c.len())),
            Token::DoctypeToken(_) => tokens.push(Raw::Doctype),
            Token::EOFToken | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

/// Maps tokens back onto the source with a cursor that only moves forward.
struct Locator<'a> {
    src: &'a str,
    lower: Vec<u8>,
    cursor: usize,
}

impl<'a> Locator<'a> {
    fn new(src: &'a str) -> Self {
        Locator {
            src,
            lower: src.as_bytes().to_ascii_lowercase(),
            cursor: 0,
        }
    }

    fn place(mut self, tokens: Vec<Raw>) -> Vec<Node> {
        let mut out = Vec::with_capacity(tokens.len());
        let mut text: Option<String> = None;
        let mut raw_text = false;
        for token in tokens {
            let start = match &token {
                Raw::Text(t) => {
                    text = Some(t.clone());
                    continue;
                }
                Raw::Start(name, _) => self.find_tag(name, false),
                Raw::End(name) => self.find_tag(name, true),
                Raw::Comment(_) | Raw::Doctype => self.find_from_cursor(b"<"),
            };
            if let Some(t) = text.take() {
                let span = self.cursor..start.max(self.cursor);
                out.push(if raw_text {
                    Node::RawText(span)
                } else {
                    Node::Text(t, span)
                });
            }
            match token {
                Raw::Start(name, attrs) => {
                    let (attrs, end) = self.attributes(start, &name, attrs);
                    raw_text = raw_kind(&name).is_some_and(|k| !matches!(k, RawKind::Rcdata));
                    self.cursor = end;
                    out.push(Node::Start(Tag {
                        name,
                        attrs,
                        span: start..end,
                    }));
                }
                Raw::End(name) => {
                    raw_text = false;
                    let end = self.after(start, b">");
                    self.cursor = end;
                    out.push(Node::End(name, start..end));
                }
                Raw::Comment(len) => {
                    let body = self.src.get(start..).unwrap_or("");
                    let end = if body.starts_with("<!--") {
                        let from = start + 4 + len;
                        ["-->", "--!>"]
                            .iter()
                            .filter_map(|close| {
                                self.src
                                    .get(from.min(self.src.len())..)
                                    .and_then(|r| r.find(close))
                                    .map(|i| from + i + close.len())
                            })
                            .min()
                            .unwrap_or(self.src.len())
                    } else {
                        self.after(start, b">")
                    };
                    self.cursor = end;
                    out.push(Node::Markup(start..end));
                }
                Raw::Doctype => {
                    let end = self.after(start, b">");
                    self.cursor = end;
                    out.push(Node::Markup(start..end));
                }
                Raw::Text(_) => {}
            }
        }
        if let Some(t) = text {
            let span = self.cursor..self.src.len();
            out.push(if raw_text {
                Node::RawText(span)
            } else {
                Node::Text(t, span)
            });
        }
        out
    }

    /// Position of the next `<name` (or `</name`) at or after the cursor that ends at a
    /// boundary; the end of the source when there is none (a tag html5ever made up at EOF).
    fn find_tag(&self, name: &str, end: bool) -> usize {
        let needle: Vec<u8> = if end {
            format!("</{name}")
        } else {
            format!("<{name}")
        }
        .into_bytes();
        let mut from = self.cursor;
        while let Some(i) = find(&self.lower, &needle, from) {
            let next = self.lower.get(i + needle.len()).copied();
            if next.is_none_or(|c| c.is_ascii_whitespace() || c == b'/' || c == b'>') {
                return i;
            }
            from = i + 1;
        }
        self.src.len()
    }

    fn find_from_cursor(&self, needle: &[u8]) -> usize {
        find(&self.lower, needle, self.cursor).unwrap_or(self.src.len())
    }

    /// Just after the first `needle` at or after `from`, or the end of the source.
    fn after(&self, from: usize, needle: &[u8]) -> usize {
        find(&self.lower, needle, from).map_or(self.src.len(), |i| i + needle.len())
    }

    /// Places each attribute's value inside the tag that starts at `start`, and finds the
    /// tag's end: the first `>` after the last value.
    fn attributes(
        &self,
        start: usize,
        name: &str,
        attrs: Vec<(String, String)>,
    ) -> (Vec<Attr>, usize) {
        let mut pos = (start + 1 + name.len()).min(self.src.len());
        let mut out = Vec::with_capacity(attrs.len());
        for (attr_name, value) in attrs {
            let value_span = self.value_of(&attr_name, pos).map(|(span, after)| {
                pos = after;
                span
            });
            out.push(Attr {
                name: attr_name,
                value,
                value_span,
            });
        }
        (out, self.after(pos, b">"))
    }

    /// The value span of attribute `name` at or after `from`, and where the attribute ends.
    /// `None` for an attribute written without a value.
    fn value_of(&self, name: &str, from: usize) -> Option<(Range<usize>, usize)> {
        let b = &self.lower;
        let needle = name.as_bytes();
        let mut at = from;
        loop {
            let i = find(b, needle, at)?;
            let before_ok = i == 0
                || b[i - 1].is_ascii_whitespace()
                || b[i - 1] == b'/'
                || b[i - 1] == b'"'
                || b[i - 1] == b'\'';
            let mut j = i + needle.len();
            while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            if !before_ok {
                at = i + 1;
                continue;
            }
            if b.get(j) != Some(&b'=') {
                // Written without a value; only trust it when it ends where a name ends.
                return None;
            }
            j += 1;
            while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            return Some(match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = find(b, &[q], j + 1).unwrap_or(b.len());
                    (j + 1..end, (end + 1).min(b.len()))
                }
                _ => {
                    let mut end = j;
                    while end < b.len() && !b[end].is_ascii_whitespace() && b[end] != b'>' {
                        end += 1;
                    }
                    (j..end, end)
                }
            });
        }
    }
}

/// The first position of `needle` in `hay` at or after `from`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

/// True when a pattern's text contains an HTML tag (`<a`, `</a`, `<br>`, `<!--`).
pub fn has_markup(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

/// Escapes text for HTML content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_to(&mut out, s);
    out
}

/// [`escape`] written straight into `out`: the runs between the five significant characters
/// are copied whole, so a text without any costs one copy and no allocation of its own (the
/// template formatter escapes every value of every page this way).
pub fn escape_to<W: std::fmt::Write + ?Sized>(out: &mut W, s: &str) -> std::fmt::Result {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        // `i` is at an ASCII byte, so both ends are on character boundaries.
        out.write_str(&s[start..i])?;
        out.write_str(escaped)?;
        start = i + 1;
    }
    out.write_str(&s[start..])
}

/// Escapes text for a JavaScript string literal inside an HTML `<script>` element: quotes,
/// backslashes, line terminators and `<` (so `</script>` cannot end the element) become
/// `\uXXXX` escapes.
pub fn escape_js(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | '\'' | '\\' | '<' | '>' | '&' | '`' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)))
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(src: &'a str, r: &Range<usize>) -> &'a str {
        &src[r.clone()]
    }

    #[test]
    fn tags_attributes_and_text_are_placed() {
        let src = "<p class=x>Hi <a HREF=\"a.html?x=1&amp;y\" id='top'>there</a></p>";
        let nodes = parse(src);
        let Node::Start(a) = &nodes[2] else {
            panic!("{nodes:?}")
        };
        assert_eq!(a.name, "a");
        assert_eq!(a.attrs[0].value, "a.html?x=1&y");
        assert_eq!(
            at(src, a.attrs[0].value_span.as_ref().unwrap()),
            "a.html?x=1&amp;y"
        );
        assert_eq!(at(src, a.attrs[1].value_span.as_ref().unwrap()), "top");
        assert_eq!(at(src, &a.span), "<a HREF=\"a.html?x=1&amp;y\" id='top'>");
        let Node::Text(t, span) = &nodes[1] else {
            panic!("{nodes:?}")
        };
        assert_eq!((t.as_str(), at(src, span)), ("Hi ", "Hi "));
    }

    #[test]
    fn comments_and_scripts_hide_their_tags() {
        let src = "<!-- <a href=\"no.html\"> --><script>var s = \"<a href='no2'>\";</script><img src='i.svg' alt=\"a &amp; b\">";
        let tags = start_tags(src);
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["script", "img"]);
        assert_eq!(tags[1].attr("alt").unwrap().value, "a & b");
        assert_eq!(
            at(src, tags[1].attrs[0].value_span.as_ref().unwrap()),
            "i.svg"
        );
    }

    /// What [`tag_attributes`] should give, worked out from [`parse`].
    fn tag_attributes_by_parse(src: &str, wanted: &[&str]) -> Vec<TagAttributes> {
        start_tags(src)
            .into_iter()
            .map(|t| {
                let kept: Vec<(String, String)> = t
                    .attrs
                    .into_iter()
                    .filter(|a| wanted.contains(&a.name.as_str()))
                    .map(|a| (a.name, a.value))
                    .collect();
                (t.name, kept)
            })
            .filter(|(_, a)| !a.is_empty())
            .collect()
    }

    #[test]
    fn tag_attributes_reads_the_tags_parse_reads() {
        let wanted = ["id", "name", "href", "src", "xlink:href"];
        for src in [
            "<!-- <a href=\"no.html\"> --><script>var s = \"<a href='no2'>\";</script><img src='i.svg' alt=\"a &amp; b\">",
            "<title><a href=x></title><textarea><p id=t></textarea><a href=\"a&amp;b\" href=c id=z>",
            "<p =\"x\"é>text<A HREF='Up.html'><style>a{}</style><b id=q>",
            "plain text only",
            "<div id=\"a\"><span>no wanted attribute</span></div>",
            "<a href>empty</a><a href=\"\">also</a><img src id>",
            "<a href=\"?a=1&copy=2&amp;b&notin;&#x41;&#65;&bogus;\">refs</a><a href=x&copy>",
            "<a href=\"a\0b\" id=\"\0\">nul</a>",
            "<script><!--<script>document.write('<a href=no>')</script>--></script><a href=yes>",
            "<script>a</script ><a id=after></script><b id=b2>",
            "<xmp><a href=no></xmp><iframe><a href=no2></iframe><noembed><a href=n3></noembed><noframes><a href=n4></noframes><a href=y>",
            "<noscript><a href=ns></noscript><plaintext><a href=pt>",
            "<![CDATA[<a href=cdata>]]><svg><a xlink:href=\"#s\"></a></svg>",
            "<!DOCTYPE html><html lang=en><a name=anchor id=one name=two>",
            "<a href='unterminated",
            "<a href=ok/><a/href=slash><a\thref=tab\nid=nl>",
            "</a href=end-tag-attr><a href=after-end>",
            "<a id=\"é\" href=\"/中文/页.html\">multibyte</a>",
            "<<a href=double>< a href=space-not-tag>",
            "<?php echo '<a href=pi>'; ?><a href=after-pi>",
        ] {
            assert_eq!(
                tag_attributes(src, &wanted),
                tag_attributes_by_parse(src, &wanted),
                "{src}"
            );
        }
    }

    #[test]
    fn tag_attributes_reads_every_fixture_page_as_parse_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        for dir in ["templates", "tests/fixtures"] {
            let mut stack = vec![root.join(dir)];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "html") {
                        files.push(p);
                    }
                }
            }
        }
        assert!(
            files.len() > 50,
            "fixture pages not found under {}",
            root.display()
        );
        let wanted = ["id", "name", "href", "src"];
        for f in files {
            let Ok(src) = std::fs::read_to_string(&f) else {
                continue;
            };
            assert_eq!(
                tag_attributes(&src, &wanted),
                tag_attributes_by_parse(&src, &wanted),
                "{}",
                f.display()
            );
        }
    }

    #[test]
    fn multibyte_text_and_odd_input_do_not_panic() {
        for src in [
            "<p =\"x\"é>",
            "é<p>ü",
            "<",
            "<a",
            "<a href=",
            "<a href=\"x",
            "<!--",
            "</",
            "<a =x>",
            "<p title=\"ü\">ü</p",
        ] {
            for i in 0..=src.len() {
                if let Some(cut) = src.get(..i) {
                    let _ = parse(cut);
                }
            }
        }
        let tags = start_tags("<p =\"x\"é>text");
        assert_eq!(tags[0].name, "p");
    }

    #[test]
    fn plain_text_reads_as_the_tokenizer_would() {
        for text in ["plain words", "a > b", "ü \" ' = /"] {
            assert_eq!(
                parse(text),
                vec![Node::Text(text.to_string(), 0..text.len())]
            );
            // The same text through the tokenizer, with a tag to force it.
            let nodes = parse(&format!("<b>{text}"));
            assert_eq!(nodes[1], Node::Text(text.to_string(), 3..3 + text.len()));
        }
        assert!(parse("").is_empty());
    }

    #[test]
    fn js_escaping_cannot_close_the_script() {
        let v = escape_js("x</script><script>alert(\"1\")</script>");
        assert!(!v.contains('<') && !v.contains('"'), "{v}");
    }

    #[test]
    fn escapes_and_lists() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;"
        );
        // Runs around the five characters, at either end and next to each other, and text
        // that is not ASCII are kept as they are.
        assert_eq!(escape("&x<"), "&amp;x&lt;");
        assert_eq!(escape("\"'"), "&quot;&#x27;");
        assert_eq!(escape("隐私 <b>ü</b>"), "隐私 &lt;b&gt;ü&lt;/b&gt;");
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape(""), "");
        assert_eq!(inline_tags_list(), "a, strong, em, code and br");
        assert!(has_markup("a <br> b") && !has_markup("1 < 2"));
    }
}
