//! The static model of a site's templates: what can be known about them without rendering.
//!
//! Each template is compiled by MiniJinja (so a syntax error is found by `check` and build.rs,
//! at its line and column) and read through MiniJinja's own tokenizer for:
//! - calls of `t("id")`, `t_attr("id")` and `link("name")` with a literal argument, and calls
//!   whose argument is computed;
//! - the templates it extends, includes or imports;
//! - its HTML: every `{{ }}`, `{% %}` and `{# #}` is blanked to spaces (same byte length, so
//!   offsets still point into the template), and the rest is read with [`crate::html`] for
//!   literal visible text and literal `href`/`src`/`id` values.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use minijinja::machinery::{tokenize, Token};
use minijinja::syntax::SyntaxConfig;

use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::html::{self, Node};
use crate::site::{self, Site};

/// A call of `t`, `t_attr` or `link` whose first argument is a string literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// `t`, `t_attr` or `link`.
    pub function: &'static str,
    /// The literal, e.g. `site-name` or `privacy-page.title`.
    pub arg: String,
    /// Byte range of the literal's content (inside the quotes).
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
    /// Byte range of the text (trimmed, first line only).
    pub span: Range<usize>,
}

/// A URL attribute (`href`, `src`) or an `id`, written literally in the template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiteralAttr {
    /// The tag it is on.
    pub tag: String,
    /// The attribute name.
    pub name: String,
    /// The value, character references decoded.
    pub value: String,
    /// Byte range of the value as written (for a `{{ root }}` link, of the part after it).
    pub span: Range<usize>,
    /// True for `{{ root }}path`: the path is relative to the output root.
    pub from_root: bool,
}

/// One template, analysed.
#[derive(Clone, Debug, Default)]
pub struct Template {
    /// The file.
    pub file: Option<FileId>,
    /// The template's text (empty when it is not UTF-8).
    pub text: String,
    /// Literal calls, in order.
    pub calls: Vec<Call>,
    /// Byte offsets of `t`/`t_attr` calls whose id is computed.
    pub dynamic: Vec<usize>,
    /// Templates it extends, includes or imports by a literal name: (name, span of the name).
    pub uses: Vec<(String, Range<usize>)>,
    /// True when an `extends`, `include` or `import` names its template by a computed value,
    /// so which templates this one uses is not known statically.
    pub dynamic_uses: bool,
    /// Hard-coded visible text.
    pub texts: Vec<Text>,
    /// Literal `href`, `src` and `id` values.
    pub attrs: Vec<LiteralAttr>,
    /// True when an `id` attribute's value is computed, so fragment targets are not all known.
    pub dynamic_ids: bool,
}

/// Every template of a site by name (the path under `templates/`).
#[derive(Clone, Debug, Default)]
pub struct Templates {
    /// By name.
    pub by_name: BTreeMap<String, Template>,
}

impl Templates {
    /// The template and every template it uses, transitively (layouts, includes), each once,
    /// starting with `name`. Unknown names are skipped; the template checks report them.
    pub fn closure<'a>(&'a self, name: &'a str) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        let mut todo = vec![name];
        let mut seen = BTreeSet::new();
        while let Some(n) = todo.pop() {
            if !seen.insert(n) {
                continue;
            }
            let Some(t) = self.by_name.get(n) else {
                continue;
            };
            out.push(n);
            todo.extend(t.uses.iter().rev().map(|(u, _)| u.as_str()));
        }
        out
    }
}

/// Attributes whose value a visitor sees or hears.
pub const VISIBLE_ATTRIBUTES: &[&str] = &["alt", "title", "aria-label", "placeholder"];

/// The syntax MiniJinja uses; the renderer's environment uses the same default.
fn syntax() -> SyntaxConfig {
    SyntaxConfig::default()
}

/// Analyses every template of the site. Returns the model and the findings that stop a build:
/// E003 for a template that is not UTF-8, E502 for a syntax error.
pub fn analyze(site: &Site) -> (Templates, Vec<Diagnostic>) {
    let mut out = Templates::default();
    let mut diags = Vec::new();
    for (id, path, bytes) in site.files_under("templates/") {
        let name = path.trim_start_matches("templates/").to_string();
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                diags.push(site::utf8_diagnostic(id, &e));
                out.by_name.insert(
                    name,
                    Template {
                        file: Some(id),
                        dynamic: vec![0],
                        ..Default::default()
                    },
                );
                continue;
            }
        };
        let env = minijinja::Environment::new();
        if let Err(e) = env.template_from_named_str(&name, text) {
            diags.push(syntax_diagnostic(id, text, &e));
        }
        let mut t = scan(text);
        t.file = Some(id);
        out.by_name.insert(name, t);
    }
    (out, diags)
}

/// E502 for a MiniJinja compile error, at the range it names (or its line).
pub fn syntax_diagnostic(file: FileId, text: &str, e: &minijinja::Error) -> Diagnostic {
    let detail = e
        .detail()
        .map(str::to_string)
        .unwrap_or_else(|| e.kind().to_string());
    let d = Diagnostic::new(Code::E502, format!("template syntax error: {detail}"));
    match e.range() {
        Some(r) => d.at(file, r.start.min(text.len())..r.end.min(text.len())),
        None => match e.line() {
            Some(line) => {
                let idx = crate::diagnostics::LineIndex::new(text);
                match idx.line_range(text, line) {
                    Some(r) => d.at(file, r),
                    None => d.in_file(file),
                }
            }
            None => d.in_file(file),
        },
    }
}

/// Scans one template (see the module docs). Never fails: what does not tokenize is left to the
/// compile step, which reports it.
pub fn scan(src: &str) -> Template {
    let mut t = Template {
        text: src.to_string(),
        ..Default::default()
    };
    let mut data: Vec<Range<usize>> = Vec::new();
    let mut tokens: Vec<(Token<'_>, Range<usize>)> = Vec::new();
    for item in tokenize(src, false, syntax()) {
        let Ok((token, span)) = item else { break };
        let range = span.start_offset as usize..span.end_offset as usize;
        if let Token::TemplateData(_) = token {
            data.push(range.clone());
        }
        tokens.push((token, range));
    }
    calls(src, &tokens, &mut t);
    // Blank everything that is not template data: code and comments become spaces.
    let mut masked = vec![b' '; src.len()];
    for r in &data {
        if let (Some(dst), Some(s)) = (masked.get_mut(r.clone()), src.as_bytes().get(r.clone())) {
            dst.copy_from_slice(s);
        }
    }
    // Template data starts and ends on token boundaries, which are char boundaries, so the
    // result is UTF-8; a lossy copy is never needed but costs nothing to keep honest.
    let masked = String::from_utf8(masked)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let code: Vec<Range<usize>> = gaps(&data, src.len());
    markup(&masked, &code, &mut t);
    t
}

/// The ranges of `0..len` not covered by the sorted, disjoint `data` ranges.
fn gaps(data: &[Range<usize>], len: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = 0;
    for r in data {
        if r.start > pos {
            out.push(pos..r.start);
        }
        pos = pos.max(r.end);
    }
    if pos < len {
        out.push(pos..len);
    }
    out
}

fn overlaps(code: &[Range<usize>], span: &Range<usize>) -> bool {
    let i = code.partition_point(|c| c.end <= span.start);
    code.get(i)
        .is_some_and(|c| c.start < span.end.max(span.start + 1))
}

/// Literal calls, computed calls and template names, from the token stream.
fn calls(src: &str, tokens: &[(Token<'_>, Range<usize>)], t: &mut Template) {
    for (i, (token, range)) in tokens.iter().enumerate() {
        let Token::Ident(name) = token else { continue };
        let prev = i.checked_sub(1).map(|p| &tokens[p].0);
        let next = tokens.get(i + 1).map(|n| &n.0);
        match *name {
            "t" | "t_attr" | "link" if !matches!(prev, Some(Token::Dot)) => {
                if !matches!(next, Some(Token::ParenOpen)) {
                    continue;
                }
                let function = match *name {
                    "t" => "t",
                    "t_attr" => "t_attr",
                    _ => "link",
                };
                let literal = tokens.get(i + 2).and_then(|(tok, r)| string(tok, r));
                let closed = matches!(
                    tokens.get(i + 3).map(|n| &n.0),
                    Some(Token::Comma | Token::ParenClose)
                );
                match (literal, closed) {
                    (Some((arg, span)), true) => t.calls.push(Call {
                        function,
                        arg,
                        span,
                    }),
                    _ if matches!(tokens.get(i + 2).map(|n| &n.0), Some(Token::ParenClose)) => {}
                    _ if function != "link" => t.dynamic.push(range.start),
                    _ => {}
                }
            }
            "extends" | "include" | "import" | "from"
                if matches!(prev, Some(Token::BlockStart)) =>
            {
                // `{% include "a" %}`, `{% include ["a", "b"] %}`, `{% from "m" import x %}`.
                let mut j = i + 1;
                while let Some((tok, r)) = tokens.get(j) {
                    match tok {
                        Token::BlockEnd => break,
                        Token::Ident(
                            "ignore" | "missing" | "as" | "import" | "with" | "context",
                        ) => break,
                        Token::BracketOpen | Token::BracketClose | Token::Comma => {}
                        _ => match string(tok, r) {
                            Some((name, span)) => t.uses.push((name, span)),
                            None => t.dynamic_uses = true,
                        },
                    }
                    j += 1;
                }
            }
            _ => {}
        }
    }
    let _ = src;
}

/// A string literal token's value and the span of its content.
fn string(token: &Token<'_>, r: &Range<usize>) -> Option<(String, Range<usize>)> {
    let value = match token {
        Token::Str(s) => (*s).to_string(),
        Token::String(s) => s.to_string(),
        _ => return None,
    };
    let inner = if r.end >= r.start + 2 {
        r.start + 1..r.end - 1
    } else {
        r.clone()
    };
    Some((value, inner))
}

/// Literal text and attributes, from the masked HTML. `code` are the blanked ranges.
fn markup(masked: &str, code: &[Range<usize>], t: &mut Template) {
    for node in html::parse(masked) {
        match node {
            Node::Text(_, span) => visible(masked, span, code, TextKind::Content, &mut t.texts),
            Node::Start(tag) => {
                for a in &tag.attrs {
                    let Some(span) = a.value_span.clone() else {
                        continue;
                    };
                    let rooted = from_root(masked_src(t), code, &span);
                    let literal = !overlaps(code, &span);
                    if VISIBLE_ATTRIBUTES.contains(&a.name.as_str()) {
                        visible(
                            masked,
                            span.clone(),
                            code,
                            TextKind::Attribute(a.name.clone()),
                            &mut t.texts,
                        );
                    }
                    let wanted = matches!(a.name.as_str(), "href" | "src" | "id")
                        || (a.name == "name" && tag.name == "a");
                    if !wanted {
                        continue;
                    }
                    if let Some(rest) = rooted {
                        if a.name != "id" && a.name != "name" {
                            let value = masked.get(rest.clone()).unwrap_or("").to_string();
                            t.attrs.push(LiteralAttr {
                                tag: tag.name.clone(),
                                name: a.name.clone(),
                                value,
                                span: rest,
                                from_root: true,
                            });
                        }
                        continue;
                    }
                    if !literal {
                        t.dynamic_ids |= a.name == "id" || a.name == "name";
                        continue;
                    }
                    t.attrs.push(LiteralAttr {
                        tag: tag.name.clone(),
                        name: a.name.clone(),
                        value: a.value.clone(),
                        span,
                        from_root: false,
                    });
                }
            }
            Node::End(..) | Node::RawText(_) | Node::Markup(_) => {}
        }
    }
}

/// The template's own text, for looking at code the mask blanked.
fn masked_src(t: &Template) -> &str {
    &t.text
}

/// For an attribute value written `{{ root }}rest` (the context's prefix back to the output
/// root, then a literal path), the span of `rest`; `None` for any other value.
fn from_root(src: &str, code: &[Range<usize>], span: &Range<usize>) -> Option<Range<usize>> {
    let i = code.partition_point(|c| c.end <= span.start);
    let first = code.get(i)?;
    if first.start != span.start || first.end >= span.end {
        return None;
    }
    if code.get(i + 1).is_some_and(|c| c.start < span.end) {
        return None;
    }
    let tag = src.get(first.clone())?;
    let inner = tag.strip_prefix("{{")?.strip_suffix("}}")?;
    let inner = inner.trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
    let rest = first.end..span.end;
    let value = src.get(rest.clone())?;
    (inner == "root" && !value.is_empty() && !value.contains(['&', '#'])).then_some(rest)
}

/// Records the first run of `span` (split at template code) that holds a letter.
fn visible(
    masked: &str,
    span: Range<usize>,
    code: &[Range<usize>],
    kind: TextKind,
    texts: &mut Vec<Text>,
) {
    let mut runs = Vec::new();
    let mut pos = span.start;
    let i = code.partition_point(|c| c.end <= span.start);
    for c in &code[i..] {
        if c.start >= span.end {
            break;
        }
        if c.start > pos {
            runs.push(pos..c.start);
        }
        pos = pos.max(c.end);
    }
    if pos < span.end {
        runs.push(pos..span.end);
    }
    for run in runs {
        let Some(s) = masked.get(run.clone()) else {
            continue;
        };
        if !has_letter(s) {
            continue;
        }
        let lead = s.len() - s.trim_start().len();
        let body = s.trim();
        let first_line = body.lines().next().unwrap_or(body).trim_end();
        let from = run.start + lead;
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

    fn ids(t: &Template) -> Vec<(&str, &str)> {
        t.calls
            .iter()
            .map(|c| (c.function, c.arg.as_str()))
            .collect()
    }

    fn texts<'a>(src: &'a str, t: &Template) -> Vec<&'a str> {
        t.texts.iter().map(|x| &src[x.span.clone()]).collect()
    }

    #[test]
    fn finds_literal_calls_in_every_form() {
        let src = r#"{{ t("a") }} {{ t('b', n=1) }} {{t_attr("c.title")}} {% set x = t( "d" ) %}{{ x.t("no") }}<a href="{{ link("home") }}">"#;
        let t = scan(src);
        assert_eq!(
            ids(&t),
            [
                ("t", "a"),
                ("t", "b"),
                ("t_attr", "c.title"),
                ("t", "d"),
                ("link", "home")
            ]
        );
        assert_eq!(&src[t.calls[0].span.clone()], "a");
        assert_eq!(&src[t.calls[4].span.clone()], "home");
        assert!(t.dynamic.is_empty());
    }

    #[test]
    fn computed_ids_are_dynamic_and_strings_are_not_calls() {
        let t = scan(r#"{{ t(name) }} {{ t("p-" ~ x) }} {{ "t('x')" }} {# t("gone") #}"#);
        assert!(t.calls.is_empty(), "{t:?}");
        assert_eq!(t.dynamic.len(), 2);
    }

    #[test]
    fn strings_may_hold_closing_braces() {
        let src = r#"{{ t("a", x="}}") }}<p>Hi</p>"#;
        let t = scan(src);
        assert_eq!(ids(&t), [("t", "a")]);
        assert_eq!(texts(src, &t), ["Hi"]);
    }

    #[test]
    fn finds_hard_coded_text_and_attributes() {
        let src = "<!DOCTYPE html>\n<!-- a comment -->\n<p class=\"x\">  Hello {{ name }} world</p>\n<img alt=\"Logo\" src=\"a.png\"><span title='{{ t_attr(\"x\") }}'>//</span>\n<input placeholder=\"Name {{ n }}\">";
        let t = scan(src);
        assert_eq!(texts(src, &t), ["Hello", "Logo", "Name"]);
        assert_eq!(t.texts[1].kind, TextKind::Attribute("alt".into()));
        let attrs: Vec<(&str, &str)> = t
            .attrs
            .iter()
            .map(|a| (a.name.as_str(), &src[a.span.clone()]))
            .collect();
        assert_eq!(attrs, [("src", "a.png")]);
    }

    #[test]
    fn ignores_symbols_scripts_styles_and_tags() {
        let src = "<style>p { color: red }</style><script>let a = \"x\";</script><p>· | 2026 &nbsp; &copy; //</p>{% if a %}{% endif %}<a{% if c %} aria-current=\"page\"{% endif %}>{{ t(\"x\") }}</a>";
        let t = scan(src);
        assert!(t.texts.is_empty(), "{:?}", texts(src, &t));
        assert_eq!(ids(&t), [("t", "x")]);
    }

    #[test]
    fn raw_blocks_are_text() {
        let src = "{% raw %}Literal {{ t(\"no\") }}{% endraw %}";
        let t = scan(src);
        assert_eq!(texts(src, &t), ["Literal {{ t(\"no\") }}"]);
        assert!(t.calls.is_empty());
    }

    #[test]
    fn literal_links_and_dynamic_ids_are_told_apart() {
        let src = "<a href=\"missing.html\" id=\"top\">{{ t(\"x\") }}</a><a href=\"{{ root }}x.html\" id=\"{{ i }}\"></a><img src='a%20b.png'>";
        let t = scan(src);
        let attrs: Vec<(&str, &str)> = t
            .attrs
            .iter()
            .map(|a| (a.name.as_str(), a.value.as_str()))
            .collect();
        assert_eq!(
            attrs,
            [
                ("href", "missing.html"),
                ("id", "top"),
                ("href", "x.html"),
                ("src", "a%20b.png")
            ]
        );
        assert!(t.dynamic_ids);
        assert_eq!(&src[t.attrs[0].span.clone()], "missing.html");
        let src = "<link href=\"{{ root }}assets/site.css\"><img src=\"{{ root }}{{ x }}.png\">";
        let t = scan(src);
        let rooted: Vec<(&str, bool)> = t
            .attrs
            .iter()
            .map(|a| (a.value.as_str(), a.from_root))
            .collect();
        assert_eq!(rooted, [("assets/site.css", true)]);
    }

    #[test]
    fn uses_lists_layouts_and_includes() {
        let t = scan(
            r#"{% extends "base.html" %}{% include "a.html" %}{% include ["b.html", "c.html"] ignore missing %}{% from "m.html" import x %}{% import 'n.html' as n %}"#,
        );
        let names: Vec<&str> = t.uses.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "base.html",
                "a.html",
                "b.html",
                "c.html",
                "m.html",
                "n.html"
            ]
        );
        assert!(!t.dynamic_uses);
        assert!(scan(r#"{% include page.vars.partial %}"#).dynamic_uses);
        assert!(scan(r#"{% extends "a" ~ x %}"#).dynamic_uses);
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
            "<p =\"x\"é>",
            "{{ t('a' }}",
            "&",
            "&#;",
        ] {
            for i in 0..=src.len() {
                if let Some(cut) = src.get(..i) {
                    let _ = scan(cut);
                }
            }
        }
    }
}
