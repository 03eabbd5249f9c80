//! Template checks: the templates and the source catalog must agree, and templates hold no text of
//! their own.
//!
//! - E501: a template calls `t("id")`, `t("id.attr")` or `t_attr(…)` with an id the source locale
//!   does not have (or an attribute its message lacks). Placed at the id inside the template.
//! - W501: a message of the source locale that no template calls, that no other message references,
//!   and that the renderer does not use itself (`language-name`, for the language switcher).
//!   Reported only for sites with templates, and not at all when some template passes a computed
//!   id (`t(name)`), since then any message may be used.
//! - W502: visible text written in a template: text content outside template tags, `<script>` and
//!   `<style>`, and literal `alt`, `title`, `aria-label` and `placeholder` values. Text made only
//!   of punctuation, symbols, digits and character references (`//`, `·`, `|`, `&nbsp;`) is fine.
//! - E003: a template that is not UTF-8 (it cannot be scanned).
//!
//! This runs inside build.rs too, so it cannot use MiniJinja: [`scan`] is a small scanner of its
//! own. It first masks every `{{ … }}`, `{% … %}` and `{# … #}` tag (string literals inside tags
//! may contain `}}`) with placeholder bytes of the same length, so every byte offset still points
//! into the template, then walks the masked HTML (comments, `<!DOCTYPE>`, tags, attribute values,
//! raw-text elements) to find literal text. Calls are read from the unmasked tag contents. It never
//! fails: unterminated tags run to the end of the file, and the renderer reports the syntax error.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::catalog::{Catalogs, EntryKind};
use crate::diagnostics::{Code, Diagnostic};
use crate::site::{self, Site};

/// Messages the renderer formats itself, without a template naming them.
pub const RENDERER_MESSAGES: &[&str] = &["language-name"];

/// Attributes whose value a visitor sees or hears.
const VISIBLE_ATTRIBUTES: &[&str] = &["alt", "title", "aria-label", "placeholder"];

/// Elements whose content is not text for people.
const RAW_TEXT_ELEMENTS: &[&str] = &["script", "style"];

/// Placeholder byte for template code (`{{ }}` and `{% %}`) in the masked text.
const CODE: u8 = 0x01;
/// Placeholder byte for template comments (`{# #}`) in the masked text.
const COMMENT: u8 = 0x02;

/// A `t()`/`t_attr()` call whose first argument is a string literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The literal, e.g. `site-name` or `privacy-page.title`.
    pub id: String,
    /// Byte range of the literal's content (inside the quotes) in the template.
    pub span: Range<usize>,
}

/// Where hard-coded text was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextKind {
    /// Element content.
    Content,
    /// The value of a visible attribute, by name.
    Attribute(String),
}

/// A piece of literal visible text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    /// Content or attribute.
    pub kind: TextKind,
    /// Byte range of the text (trimmed, first line only) in the template.
    pub span: Range<usize>,
}

/// What [`scan`] finds in one template.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// Calls with a literal id, in order.
    pub calls: Vec<Call>,
    /// Byte offsets of calls whose first argument is not a plain string literal.
    pub dynamic: Vec<usize>,
    /// Hard-coded visible text, in order.
    pub texts: Vec<Text>,
}

/// Runs the template family over every file under `templates/`.
pub fn check(site: &Site, catalogs: &Catalogs, diags: &mut Vec<Diagnostic>) {
    if site.locales_dir.is_empty() {
        return;
    }
    let Some(source) = catalogs.get(&site.source.code) else {
        return;
    };
    let mut used = BTreeSet::new();
    let mut any_template = false;
    let mut any_dynamic = false;
    for (path, bytes) in site.files_under("templates/") {
        any_template = true;
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                diags.push(site::utf8_diagnostic(path, bytes, &e));
                any_dynamic = true; // unknown calls: do not guess which messages are unused
                continue;
            }
        };
        let found = scan(text);
        any_dynamic |= !found.dynamic.is_empty();
        for call in &found.calls {
            let (id, attr) = match call.id.split_once('.') {
                Some((id, attr)) => (id, Some(attr)),
                None => (call.id.as_str(), None),
            };
            used.insert(id.to_string());
            let problem = match (source.message(id), attr) {
                (None, _) => Some(format!("`{id}` is not a message of {}", site.source.code)),
                (Some(m), Some(a)) if !m.attributes.iter().any(|(n, _)| n == a) => Some(format!(
                    "`{id}` has no attribute `.{a}` in {}",
                    site.source.code
                )),
                _ => None,
            };
            if let Some(message) = problem {
                diags.push(
                    Diagnostic::new(Code::E501, message)
                        .at(path, text, call.span.clone())
                        .key(call.id.clone())
                        .help(format!(
                            "add `{}` to {}, or fix the id",
                            call.id,
                            site.locale_prefix(&site.source.code)
                        )),
                );
            }
        }
        for t in &found.texts {
            let shown = excerpt(text.get(t.span.clone()).unwrap_or_default());
            let (message, help) = match &t.kind {
                TextKind::Content => (
                    format!("text `{shown}` is written in the template; no translator will see it"),
                    "move the text into a message of the source locale and write {{ t(\"id\") }} here".to_string(),
                ),
                TextKind::Attribute(name) => (
                    format!("`{name}` text `{shown}` is written in the template; no translator will see it"),
                    format!("move the text into a message of the source locale and write {name}=\"{{{{ t_attr(\"id\") }}}}\""),
                ),
            };
            diags.push(
                Diagnostic::new(Code::W502, message)
                    .at(path, text, t.span.clone())
                    .help(help),
            );
        }
    }
    if !any_template || any_dynamic {
        return;
    }
    let referenced: BTreeSet<&str> = source
        .entries
        .values()
        .flat_map(|e| e.patterns().flat_map(|(_, p)| p.messages.iter()))
        .map(|m| m.split_once('.').map_or(m.as_str(), |(id, _)| id))
        .collect();
    for entry in source
        .entries
        .values()
        .filter(|e| e.kind == EntryKind::Message)
    {
        let id = entry.id.as_str();
        if used.contains(id) || referenced.contains(id) || RENDERER_MESSAGES.contains(&id) {
            continue;
        }
        diags.push(super::coverage::at_entry(
            Diagnostic::new(Code::W501, format!("`{id}` is not used by any template")),
            source,
            entry,
            entry.offset,
        ));
    }
}

/// At most 40 characters of `s`, for messages.
fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

/// Scans one template: the literal-id calls, the computed-id calls, and the hard-coded text.
///
/// ```text
/// <p title="Help">{{ t("intro", n=2) }} Read more</p>
///           ^^^^          ^^^^^         ^^^^^^^^^
///           W502 (title)  call `intro`  W502 (content)
/// ```
pub fn scan(src: &str) -> Scan {
    let mut out = Scan::default();
    let (masked, code) = mask(src);
    for range in code {
        if let Some(inner) = src.get(range.clone()) {
            calls(inner, range.start, &mut out);
        }
    }
    html_text(&masked, &mut out.texts);
    out
}

/// The template with every tag replaced byte for byte by [`CODE`] or [`COMMENT`], and the byte
/// ranges of the code tags (`{{ }}`, `{% %}`). Content between `{% raw %}` and `{% endraw %}`
/// stays text.
fn mask(src: &str) -> (String, Vec<Range<usize>>) {
    let b = src.as_bytes();
    let mut masked = b.to_vec();
    let mut code = Vec::new();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] != b'{' || !matches!(b[i + 1], b'{' | b'%' | b'#') {
            i += 1;
            continue;
        }
        let (close, fill) = match b[i + 1] {
            b'{' => (b'}', CODE),
            b'%' => (b'%', CODE),
            _ => (b'#', COMMENT),
        };
        let end = tag_end(b, i + 2, close, fill == CODE);
        for m in &mut masked[i..end] {
            *m = fill;
        }
        if fill == CODE {
            code.push(i..end);
            if b[i + 1] == b'%' && is_raw_start(&src[i..end]) {
                // Leave the raw content as text; mask only the closing tag.
                if let Some(rel) = src[end..].find("endraw") {
                    let open = src[..end + rel].rfind("{%").unwrap_or(end + rel);
                    let close_end = tag_end(b, end + rel, b'%', true);
                    for m in &mut masked[open.max(end)..close_end] {
                        *m = CODE;
                    }
                    i = close_end;
                    continue;
                }
            }
        }
        i = end;
    }
    // Only ASCII bytes were written over whole tags, which begin and end on ASCII braces, so the
    // result is still UTF-8; fall back to a lossy copy rather than trust that blindly.
    let masked = String::from_utf8(masked)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (masked, code)
}

/// The end (exclusive) of a tag whose body starts at `from` and closes with `close` `}`;
/// string literals are skipped when `strings` is set. Unterminated tags end at the end of input.
fn tag_end(b: &[u8], from: usize, close: u8, strings: bool) -> usize {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'') if strings => i = string_end(b, i + 1, q),
            c if c == close && b.get(i + 1) == Some(&b'}') => return i + 2,
            _ => i += 1,
        }
    }
    b.len()
}

/// The index just past the closing quote `q` of a string literal whose content starts at `from`.
fn string_end(b: &[u8], from: usize, q: u8) -> usize {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            c if c == q => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// True for `{% raw %}` / `{%- raw -%}`.
fn is_raw_start(tag: &str) -> bool {
    let inner = tag.trim_start_matches("{%").trim_end_matches("%}");
    inner.trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace()) == "raw"
}

/// Finds `t(`/`t_attr(` calls in the code of one tag; `base` is the tag's offset in the template.
fn calls(code: &str, base: usize, out: &mut Scan) {
    let b = code.as_bytes();
    let mut i = 0;
    let mut prev = b' ';
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c == b'\'' {
            i = string_end(b, i + 1, c);
            prev = c;
            continue;
        }
        if !(c.is_ascii_alphabetic() || c == b'_') {
            if !c.is_ascii_whitespace() {
                prev = c;
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        let ident = &code[start..i];
        let is_call = (ident == "t" || ident == "t_attr") && prev != b'.';
        prev = b'a';
        if !is_call {
            continue;
        }
        let mut j = skip_ws(b, i);
        if b.get(j) != Some(&b'(') {
            continue;
        }
        j = skip_ws(b, j + 1);
        match b.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = string_end(b, j + 1, q);
                let after = skip_ws(b, end);
                let closed = end > j + 1 && b.get(end - 1) == Some(&q);
                if closed && matches!(b.get(after), Some(b',') | Some(b')')) {
                    let content = j + 1..end - 1;
                    out.calls.push(Call {
                        id: code.get(content.clone()).unwrap_or_default().to_string(),
                        span: base + content.start..base + content.end,
                    });
                } else {
                    out.dynamic.push(base + start);
                }
            }
            Some(b')') | None => {}
            Some(_) => out.dynamic.push(base + start),
        }
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn is_mask(c: u8) -> bool {
    c == CODE || c == COMMENT
}

/// Walks the masked HTML and records literal visible text.
fn html_text(m: &str, texts: &mut Vec<Text>) {
    let b = m.as_bytes();
    let mut i = 0;
    let mut text_start: Option<usize> = None;
    while i < b.len() {
        if b[i] == b'<' {
            let next = b.get(i + 1).copied().unwrap_or(b' ');
            if next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?') {
                if let Some(s) = text_start.take() {
                    visible(m, s..i, TextKind::Content, texts);
                }
                i = markup(m, i, texts);
                continue;
            }
        }
        text_start.get_or_insert(i);
        i += m
            .get(i..)
            .and_then(|r| r.chars().next())
            .map_or(1, char::len_utf8);
    }
    if let Some(s) = text_start {
        visible(m, s..b.len(), TextKind::Content, texts);
    }
}

/// Skips the comment, declaration or tag at `i` (a `<`), recording literal visible attribute
/// values; returns where text resumes.
fn markup(m: &str, i: usize, texts: &mut Vec<Text>) -> usize {
    let b = m.as_bytes();
    let find = |from: usize, pat: &str| m.get(from..).and_then(|r| r.find(pat)).map(|p| from + p);
    if m.get(i..).is_some_and(|r| r.starts_with("<!--")) {
        return find(i + 4, "-->").map_or(b.len(), |p| p + 3);
    }
    if matches!(b.get(i + 1), Some(b'!' | b'?' | b'/')) {
        return find(i + 1, ">").map_or(b.len(), |p| p + 1);
    }
    // A start tag: name, then attributes.
    let mut j = i + 1;
    while j < b.len()
        && !(b[j].is_ascii_whitespace() || b[j] == b'>' || b[j] == b'/' || is_mask(b[j]))
    {
        j += 1;
    }
    let name = m.get(i + 1..j).unwrap_or_default().to_ascii_lowercase();
    loop {
        while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/' || is_mask(b[j])) {
            j += 1;
        }
        if j >= b.len() {
            return b.len();
        }
        if b[j] == b'>' {
            j += 1;
            break;
        }
        let name_start = j;
        while j < b.len()
            && !(b[j].is_ascii_whitespace() || matches!(b[j], b'=' | b'>' | b'/') || is_mask(b[j]))
        {
            j += 1;
        }
        let attr = m
            .get(name_start..j)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let k = skip_ws(b, j);
        if b.get(k) != Some(&b'=') {
            continue;
        }
        j = skip_ws(b, k + 1);
        let value = match b.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = find(j + 1, if q == b'"' { "\"" } else { "'" }).unwrap_or(b.len());
                let v = j + 1..end;
                j = (end + 1).min(b.len());
                v
            }
            _ => {
                let s = j;
                while j < b.len() && !(b[j].is_ascii_whitespace() || b[j] == b'>') {
                    j += 1;
                }
                s..j
            }
        };
        if VISIBLE_ATTRIBUTES.contains(&attr.as_str()) {
            visible(m, value, TextKind::Attribute(attr), texts);
        }
    }
    if RAW_TEXT_ELEMENTS.contains(&name.as_str()) {
        let close = format!("</{name}");
        let lower = m.get(j..).unwrap_or_default().to_ascii_lowercase();
        return lower.find(&close).map_or(b.len(), |p| j + p);
    }
    j
}

/// Records the first run of `range` (split at template tags) that holds a letter.
fn visible(m: &str, range: Range<usize>, kind: TextKind, texts: &mut Vec<Text>) {
    let Some(s) = m.get(range.clone()) else {
        return;
    };
    let mut offset = range.start;
    for run in s.split(['\u{1}', '\u{2}']) {
        let start = offset;
        offset += run.len() + 1;
        if !has_letter(run) {
            continue;
        }
        let lead = run.len() - run.trim_start().len();
        let body = run.trim();
        let first_line = body.lines().next().unwrap_or(body).trim_end();
        let from = start + lead;
        texts.push(Text {
            kind,
            span: from..from + first_line.len(),
        });
        return;
    }
}

/// True when `s` has a letter outside character references (`&amp;`, `&#183;`).
fn has_letter(s: &str) -> bool {
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '&' {
            let rest = s.get(i + 1..).unwrap_or_default();
            let body: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
                .take(33)
                .collect();
            if !body.is_empty() && body.len() <= 32 && rest[body.len()..].starts_with(';') {
                for _ in 0..=body.len() {
                    chars.next();
                }
                continue;
            }
        }
        if c.is_alphabetic() {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(s: &Scan) -> Vec<&str> {
        s.calls.iter().map(|c| c.id.as_str()).collect()
    }

    fn texts<'a>(src: &'a str, s: &Scan) -> Vec<&'a str> {
        s.texts.iter().map(|t| &src[t.span.clone()]).collect()
    }

    #[test]
    fn finds_literal_calls_in_every_form() {
        let src = r#"{{ t("a") }} {{ t('b', n=1) }} {{t_attr("c.title")}} {% set x = t( "d" ) %}{{ x.t("no") }}"#;
        let s = scan(src);
        assert_eq!(ids(&s), ["a", "b", "c.title", "d"]);
        assert_eq!(&src[s.calls[0].span.clone()], "a");
        assert!(s.dynamic.is_empty());
    }

    #[test]
    fn computed_ids_are_dynamic_and_strings_are_not_calls() {
        let s = scan(r#"{{ t(name) }} {{ t("p-" ~ x) }} {{ "t('x')" }} {# t("gone") #}"#);
        assert!(s.calls.is_empty(), "{s:?}");
        assert_eq!(s.dynamic.len(), 2);
    }

    #[test]
    fn strings_may_hold_closing_braces() {
        let src = r#"{{ t("a", x="}}") }}<p>Hi</p>"#;
        let s = scan(src);
        assert_eq!(ids(&s), ["a"]);
        assert_eq!(texts(src, &s), ["Hi"]);
    }

    #[test]
    fn finds_hard_coded_text_and_attributes() {
        let src = "<!DOCTYPE html>\n<!-- a comment -->\n<p class=\"x\">  Hello {{ name }} world</p>\n<img alt=\"Logo\" src=\"a.png\"><span title='{{ t_attr(\"x\") }}'>//</span>\n<input placeholder=\"Name {{ n }}\">";
        let s = scan(src);
        assert_eq!(texts(src, &s), ["Hello", "Logo", "Name"]);
        assert_eq!(s.texts[1].kind, TextKind::Attribute("alt".into()));
    }

    #[test]
    fn ignores_symbols_scripts_styles_and_tags() {
        let src = "<style>p { color: red }</style><script>let a = \"x\";</script><p>· | 2026 &nbsp; &copy; //</p>{% if a %}{% endif %}<a{% if c %} aria-current=\"page\"{% endif %}>{{ t(\"x\") }}</a>";
        let s = scan(src);
        assert!(s.texts.is_empty(), "{:?}", texts(src, &s));
        assert_eq!(ids(&s), ["x"]);
    }

    #[test]
    fn raw_blocks_are_text() {
        let src = "{% raw %}Literal {{ t(\"no\") }}{% endraw %}";
        let s = scan(src);
        assert_eq!(texts(src, &s), ["Literal {{ t(\"no\") }}"]);
        assert!(s.calls.is_empty());
    }

    #[test]
    fn unterminated_input_does_not_panic() {
        for src in [
            "{{ t(\"a",
            "<p title=\"x",
            "{% raw %}abc",
            "<",
            "{{",
            "<a b=",
            "é<p>ü",
            "{{ t('a' }}",
            "&",
            "&#;",
        ] {
            let _ = scan(src);
            for i in 0..=src.len() {
                if let Some(cut) = src.get(..i) {
                    let _ = scan(cut);
                }
            }
        }
    }

    #[test]
    fn shipped_templates_have_no_text_and_no_dynamic_ids() {
        for src in [
            include_str!("../../../../templates/TrustCenterPage.html"),
            include_str!("../../../../templates/privacy.html"),
        ] {
            let s = scan(src);
            assert!(s.texts.is_empty(), "{:?}", texts(src, &s));
            assert!(s.dynamic.is_empty());
            assert!(!s.calls.is_empty());
        }
    }
}
