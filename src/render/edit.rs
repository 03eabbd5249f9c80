//! Edit marks: how a page rendered for the in-context editor (`serve --edit`) says which message
//! each text comes from. Release builds never contain any of it.
//!
//! Element text from `t()` is wrapped in `<span data-l10n-id="ID">` by the environment, with
//! `data-l10n-fallback="LOCALE"` when the text came from a fallback locale (the message is
//! missing). Text from `t_attr()` cannot carry markup, since it sits in an attribute value or in
//! `<title>`, so in edit mode `t_attr()` puts a marker before its text: U+FFF9, the index of the
//! call in the page's [`AttrMarks`], U+FFFB (Unicode's interlinear annotation characters, which
//! are not used in interchanged text). Once the page is rendered, [`annotate`] reads it with the
//! HTML front, removes every marker, and gives each element whose attributes or text held one a
//! `data-l10n-attrs` attribute: a JSON array of `{"attr": NAME, "id": ID, "fallback": LOCALE}`
//! (`"attr": "#text"` for element text such as `<title>`'s, `"fallback"` only when missing).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use minijinja::State;
use serde::Serialize;

/// Opens a marker.
const OPEN: char = '\u{FFF9}';
/// Closes a marker.
const CLOSE: char = '\u{FFFB}';

/// One `t_attr()` call of a page: the id formatted and the fallback locale used, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// The message id (`id` or `id.attr`).
    pub id: String,
    /// The locale whose text was used, when it is not the page's.
    pub fallback: Option<String>,
}

/// The `t_attr()` calls of one render, in call order (a render-local `State` extension).
#[derive(Debug, Default)]
pub struct AttrMarks(pub Vec<Mark>);

/// Records a `t_attr()` call and returns the marker to put before its text.
pub fn mark(state: &mut State, id: &str, fallback: Option<&str>) -> String {
    let marks = &mut state.get_or_insert_extension_with(AttrMarks::default).0;
    marks.push(Mark {
        id: id.to_string(),
        fallback: fallback.map(str::to_string),
    });
    format!("{OPEN}{}{CLOSE}", marks.len() - 1)
}

/// One entry of a `data-l10n-attrs` array.
#[derive(Serialize)]
struct Located<'a> {
    attr: &'a str,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fallback: Option<&'a str>,
}

/// Elements that have no end tag: they never hold text.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// `text` without its markers, and the marker indices it held, in order. An `OPEN` not
/// followed by digits and `CLOSE` is text and is kept.
fn scan(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + OPEN.len_utf8()..).unwrap_or("");
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let index = after.get(..digits).and_then(|d| d.parse().ok());
        match (index, after.get(digits..)) {
            (Some(i), Some(tail)) if tail.starts_with(CLOSE) => {
                found.push(i);
                rest = tail.get(CLOSE.len_utf8()..).unwrap_or("");
            }
            _ => {
                out.push(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, found)
}

/// The marker indices in `text`, in order.
fn indices(text: &str) -> Vec<usize> {
    scan(text).1
}

/// `text` without its markers.
fn strip(text: &str) -> String {
    scan(text).0
}

/// The page with its markers replaced by `data-l10n-attrs` on the elements that hold them (see
/// the module docs). A page without markers is returned unchanged.
pub fn annotate(html: &str, marks: &[Mark]) -> String {
    if !html.contains(OPEN) {
        return html.to_string();
    }
    // Where each annotated start tag ends (the insertion point), and what it gets.
    let mut found: BTreeMap<usize, Vec<(String, usize)>> = BTreeMap::new();
    // Open elements: name and insertion point of their start tag.
    let mut open: Vec<(String, usize)> = Vec::new();
    for node in crate::html::parse(html) {
        match node {
            crate::html::Node::Start(tag) => {
                let body = html.get(tag.span.clone()).unwrap_or("");
                let closing = if body.ends_with("/>") { 2 } else { 1 };
                let at = tag.span.end.saturating_sub(closing);
                for a in &tag.attrs {
                    for i in indices(&a.value) {
                        found.entry(at).or_default().push((a.name.clone(), i));
                    }
                }
                if !VOID.contains(&tag.name.as_str()) && closing == 1 {
                    open.push((tag.name, at));
                }
            }
            crate::html::Node::End(name, _) => {
                if let Some(k) = open.iter().rposition(|(n, _)| *n == name) {
                    open.truncate(k);
                }
            }
            crate::html::Node::Text(text, _) => {
                if let Some((_, at)) = open.last() {
                    for i in indices(&text) {
                        found.entry(*at).or_default().push(("#text".to_string(), i));
                    }
                }
            }
            crate::html::Node::RawText(_) | crate::html::Node::Markup(_) => {}
        }
    }
    let mut out = String::with_capacity(html.len() + 64 * found.len());
    let mut pos = 0;
    for (at, entries) in &found {
        let located: Vec<Located> = entries
            .iter()
            .filter_map(|(attr, i)| {
                let m = marks.get(*i)?;
                Some(Located {
                    attr,
                    id: &m.id,
                    fallback: m.fallback.as_deref(),
                })
            })
            .collect();
        let (Some(before), Ok(json)) = (html.get(pos..*at), serde_json::to_string(&located)) else {
            continue;
        };
        out.push_str(before);
        let _ = write!(out, " data-l10n-attrs=\"{}\"", crate::html::escape(&json));
        pos = *at;
    }
    out.push_str(html.get(pos..).unwrap_or(""));
    strip(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(ids: &[(&str, Option<&str>)]) -> Vec<Mark> {
        ids.iter()
            .map(|(id, f)| Mark {
                id: id.to_string(),
                fallback: f.map(str::to_string),
            })
            .collect()
    }

    #[test]
    fn markers_become_data_attributes_on_their_elements() {
        let m = marks(&[
            ("page-title", None),
            ("hero-alt", Some("en-US")),
            ("nav", None),
        ]);
        let html = "<html><head><title>\u{FFF9}0\u{FFFB}Privacy</title></head>\
<body><img alt=\"\u{FFF9}1\u{FFFB}A shield\" src=x.svg/><nav aria-label='\u{FFF9}2\u{FFFB}Crumbs'>x</nav></body></html>";
        let out = annotate(html, &m);
        assert_eq!(
            out,
            "<html><head><title data-l10n-attrs=\"[{&quot;attr&quot;:&quot;#text&quot;,&quot;id&quot;:&quot;page-title&quot;}]\">Privacy</title></head>\
<body><img alt=\"A shield\" src=x.svg data-l10n-attrs=\"[{&quot;attr&quot;:&quot;alt&quot;,&quot;id&quot;:&quot;hero-alt&quot;,&quot;fallback&quot;:&quot;en-US&quot;}]\"/>\
<nav aria-label='Crumbs' data-l10n-attrs=\"[{&quot;attr&quot;:&quot;aria-label&quot;,&quot;id&quot;:&quot;nav&quot;}]\">x</nav></body></html>"
        );
    }

    #[test]
    fn two_messages_in_one_attribute_and_pages_without_markers() {
        let m = marks(&[("a", None), ("b", None)]);
        let out = annotate(
            "<p title=\"\u{FFF9}0\u{FFFB}A \u{FFF9}1\u{FFFB}B\">t</p>",
            &m,
        );
        assert_eq!(
            out,
            "<p title=\"A B\" data-l10n-attrs=\"[{&quot;attr&quot;:&quot;title&quot;,&quot;id&quot;:&quot;a&quot;},{&quot;attr&quot;:&quot;title&quot;,&quot;id&quot;:&quot;b&quot;}]\">t</p>"
        );
        let plain = "<p title=\"x\">y</p>";
        assert_eq!(annotate(plain, &m), plain);
        // A lone marker character in a translation is kept.
        assert_eq!(strip("a\u{FFF9}b\u{FFF9}1\u{FFFB}c"), "a\u{FFF9}bc");
        assert_eq!(indices("a\u{FFF9}b\u{FFF9}1\u{FFFB}c"), [1]);
    }
}
