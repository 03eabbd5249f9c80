//! Markup checks: HTML tags inside Fluent text.
//!
//! Translations are untrusted input that ends up in HTML. The renderer sanitizes it, but a
//! translator should learn about markup that will be stripped or that is dangerous before a
//! release, at the line that has it.
//!
//! - E401: a tag the translation adds that its source pattern does not have.
//! - W401: a `<br>` the translation adds: a line break for this language's line lengths is
//!   the translator's call, harmless and kept by the sanitizer, so it is a warning.
//! - E402: an `on*` event-handler attribute, in any locale (the source included).
//! - E403: a `javascript:` or `data:` URL in a link or source attribute, in any locale.
//!
//! The scan runs over [`PatternInfo::text`], where each placeable is U+FFFC, with a small
//! tolerant tokenizer: a placeable inside a tag (`<a { $attrs }>`), unquoted attribute values
//! and a bare `<` in prose (`1 < 2`) are all fine.

use std::collections::BTreeMap;

use super::coverage::{pairs, same_pattern};
use crate::catalog::{Catalog, Catalogs, Entry, PatternInfo, PLACEABLE};
use crate::diagnostics::{Code, Diagnostic};
use crate::site::Site;

use crate::html::{inline_tags_list, INLINE_TAGS as ALLOWED};

/// The allow-listed tag a translation may add on its own (W401 instead of E401).
const LINE_BREAK: &str = "br";

/// Attributes that hold a URL the browser loads or navigates to.
const URL_ATTRIBUTES: [&str; 5] = ["href", "src", "action", "formaction", "xlink:href"];

/// A start tag found in pattern text.
#[derive(Debug, PartialEq)]
struct Tag {
    /// Lowercased tag name.
    name: String,
    /// Attributes: lowercased name and raw value (empty when there is none).
    attrs: Vec<(String, String)>,
}

/// The start tags in `text`, in order. End tags and comments are skipped; a `<` not followed by
/// a letter is text.
fn tags(text: &str) -> Vec<Tag> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '<' {
            i += 1;
            continue;
        }
        if chars.get(i + 1..i + 4) == Some(&['!', '-', '-']) {
            i += 4;
            while i < chars.len()
                && !(chars[i] == '>' && i >= 2 && chars[i - 1] == '-' && chars[i - 2] == '-')
            {
                i += 1;
            }
            continue;
        }
        if !chars.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        i += 1;
        let mut name = String::new();
        while let Some(&c) = chars
            .get(i)
            .filter(|c| c.is_ascii_alphanumeric() || **c == '-' || **c == ':')
        {
            name.push(c.to_ascii_lowercase());
            i += 1;
        }
        let mut attrs = Vec::new();
        loop {
            while chars
                .get(i)
                .is_some_and(|c| c.is_whitespace() || *c == PLACEABLE || *c == '/')
            {
                i += 1;
            }
            match chars.get(i) {
                None => break,
                Some('>') => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            let mut attr = String::new();
            while let Some(&c) = chars.get(i).filter(|c| {
                !c.is_whitespace() && !matches!(**c, '=' | '>' | '/' | '"' | '\'' | PLACEABLE)
            }) {
                attr.push(c.to_ascii_lowercase());
                i += 1;
            }
            if attr.is_empty() && chars.get(i) != Some(&'=') {
                i += 1; // a stray quote
                continue;
            }
            while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                i += 1;
            }
            let mut value = String::new();
            if chars.get(i) == Some(&'=') {
                i += 1;
                while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                    i += 1;
                }
                match chars.get(i) {
                    Some(&q) if q == '"' || q == '\'' => {
                        i += 1;
                        while let Some(&c) = chars.get(i).filter(|c| **c != q) {
                            value.push(c);
                            i += 1;
                        }
                        i += 1;
                    }
                    _ => {
                        while let Some(&c) =
                            chars.get(i).filter(|c| !c.is_whitespace() && **c != '>')
                        {
                            value.push(c);
                            i += 1;
                        }
                    }
                }
            }
            if !attr.is_empty() {
                attrs.push((attr, value));
            }
        }
        out.push(Tag { name, attrs });
    }
    out
}

/// Decodes numeric character references (`&#x61;`, `&#97;`, with or without `;`) and the named
/// ones that can hide a scheme (`&colon;`, `&Tab;`, `&NewLine;`), as a browser does in an
/// attribute value.
fn decode_entities(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let lower = rest.to_ascii_lowercase();
        let named = [("&colon;", ':'), ("&tab;", '\t'), ("&newline;", '\n')];
        if let Some((ent, c)) = named.iter().find(|(e, _)| lower.starts_with(e)) {
            out.push(*c);
            rest = &rest[ent.len()..];
            continue;
        }
        if let Some(num) = lower.strip_prefix("&#") {
            let (hex, digits) = match num.strip_prefix('x') {
                Some(h) => (true, h),
                None => (false, num),
            };
            let len = digits
                .chars()
                .take_while(|c| {
                    if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    }
                })
                .count();
            let parsed = u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 })
                .ok()
                .and_then(char::from_u32);
            if let (true, Some(c)) = (len > 0, parsed) {
                let mut used = 2 + usize::from(hex) + len;
                if rest[used..].starts_with(';') {
                    used += 1;
                }
                out.push(c);
                rest = &rest[used..];
                continue;
            }
        }
        out.push('&');
        rest = &rest[1..];
    }
    out.push_str(rest);
    out
}

/// True for a URL whose scheme is `javascript:` or `data:`, after decoding entities, dropping
/// leading whitespace and control characters and the tabs and newlines a browser ignores inside
/// a URL (`java&#x09;script:`), and ignoring case.
fn dangerous_url(v: &str) -> bool {
    let decoded = decode_entities(v);
    let cleaned: String = decoded
        .trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:") || cleaned.starts_with("data:")
}

/// Byte offset of the `n`th (0-based) `<name` tag opening in the entry's text, for positions.
fn tag_offset(cat: &Catalog, e: &Entry, p: &PatternInfo, name: &str, n: usize) -> Option<usize> {
    let text = cat.file_of(e).text();
    let end = crate::diagnostics::floor_char_boundary(text, e.end);
    let start = crate::diagnostics::floor_char_boundary(text, p.offset.min(end));
    let hay = text.get(start..end)?.to_ascii_lowercase();
    let needle = format!("<{name}");
    let mut found = 0;
    let mut from = 0;
    while let Some(i) = hay.get(from..)?.find(&needle) {
        let at = from + i;
        let next = hay.get(at + needle.len()..).and_then(|s| s.chars().next());
        if !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':') {
            if found == n {
                return Some(start + at);
            }
            found += 1;
        }
        from = at + needle.len();
    }
    None
}

/// Places a diagnostic at the `n`th `<name` of the pattern (or the pattern's start).
fn at_tag(
    d: Diagnostic,
    cat: &Catalog,
    e: &Entry,
    p: &PatternInfo,
    name: &str,
    n: usize,
) -> Diagnostic {
    let (at, len) = match tag_offset(cat, e, p, name, n) {
        Some(at) => (at, name.len() + 1),
        None => (p.offset, 1),
    };
    cat.at(d, e, at..at + len)
}

/// Runs the markup family.
pub fn check(site: &Site, catalogs: &Catalogs, diags: &mut Vec<Diagnostic>) {
    for locale in site.locales() {
        let Some(cat) = catalogs.get(&locale.code) else {
            continue;
        };
        for e in cat.entries.values().chain(cat.duplicates.iter()) {
            for (_, p) in e.patterns() {
                attributes(cat, e, p, diags);
            }
        }
    }
    let Some(source) = catalogs.get(&site.source.code) else {
        return;
    };
    for locale in &site.targets {
        let Some(target) = catalogs.get(&locale.code) else {
            continue;
        };
        for (src, tgt) in pairs(site, source, target) {
            for (name, tp) in tgt.patterns() {
                let Some(sp) = same_pattern(src, name) else {
                    continue;
                };
                added_tags(target, tgt, sp, tp, diags);
            }
        }
    }
}

/// E402 and E403 in one pattern of any locale.
///
/// - E402: an `on*` attribute (`onclick`, `onerror`, …) runs script when the page is shown:
///   in a translation it is an injection, in the source a mistake. Always removed.
/// - E403: a `javascript:` or `data:` URL in `href`, `src`, `action`, `formaction` or
///   `xlink:href` runs script or shows attacker-controlled content when followed. Entities and
///   the whitespace tricks browsers ignore are decoded first (`jav&#x61;script:`).
fn attributes(cat: &Catalog, e: &Entry, p: &PatternInfo, diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let found = tags(&p.text);
    for tag in &found {
        let n = seen.entry(tag.name.as_str()).or_insert(0);
        let nth = *n;
        *n += 1;
        for (attr, value) in &tag.attrs {
            if attr.len() > 2
                && attr.starts_with("on")
                && attr.chars().all(|c| c.is_ascii_alphabetic())
            {
                diags.push(
                    at_tag(
                        Diagnostic::new(
                            Code::E402,
                            format!("`<{}>` has an event-handler attribute `{attr}`", tag.name),
                        ),
                        cat,
                        e,
                        p,
                        &tag.name,
                        nth,
                    )
                    .help(format!(
                        "remove `{attr}`: text may carry markup, never script"
                    )),
                );
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) && dangerous_url(value) {
                diags.push(
                    at_tag(
                        Diagnostic::new(
                            Code::E403,
                            format!("`<{}>` has a script or data URL in `{attr}`", tag.name),
                        ),
                        cat,
                        e,
                        p,
                        &tag.name,
                        nth,
                    )
                    .help("link to an http(s) or relative URL, or pass the URL in as a variable"),
                );
            }
        }
    }
}

/// E401: a start tag the translation has more often than its source pattern (compared as
/// multisets of tag names, per value and same-named attribute).
///
/// Markup is the author's decision: the sanitizer strips tags outside the inline allow-list
/// (a, strong, em, code, br), and a tag the source does not have changes layout or links the
/// author never reviewed. A tag the source itself uses (Mozilla's `<span>`) is accepted in the
/// translation, and the source is never flagged. When either side has a select, variants
/// repeat tags, so only tag names absent from the source count. An added `<br>` is W401, not
/// E401: translators add line breaks where their language wraps differently (five Mozilla
/// locales do), and the renderer keeps them.
fn added_tags(
    target: &Catalog,
    tgt: &Entry,
    sp: &PatternInfo,
    tp: &PatternInfo,
    diags: &mut Vec<Diagnostic>,
) {
    let count = |p: &PatternInfo| {
        let mut m: BTreeMap<String, usize> = BTreeMap::new();
        for t in tags(&p.text) {
            *m.entry(t.name).or_insert(0) += 1;
        }
        m
    };
    let (sc, tc) = (count(sp), count(tp));
    let selects = !sp.selects.is_empty() || !tp.selects.is_empty();
    for (name, &n) in &tc {
        let have = sc.get(name).copied().unwrap_or(0);
        if n <= have || (selects && have > 0) {
            continue;
        }
        let message = if have > 0 {
            format!("`<{name}>` appears {n} times, but {have} times in the source")
        } else if ALLOWED.contains(&name.as_str()) {
            format!("`<{name}>` is not in the source")
        } else {
            format!("`<{name}>` is not in the source and is not an allowed inline tag")
        };
        let help = if ALLOWED.contains(&name.as_str()) {
            format!("use the source's markup; remove this `<{name}>` or ask for it in the source")
        } else {
            format!("remove `<{name}>`: it is stripped when rendered; only {} are kept", inline_tags_list())
        };
        let code = if name == LINE_BREAK { Code::W401 } else { Code::E401 };
        let help = if code == Code::W401 {
            "keep the line break if this language needs it here, or remove it".to_string()
        } else {
            help
        };
        diags.push(
            at_tag(
                Diagnostic::new(code, message),
                target,
                tgt,
                tp,
                name,
                have,
            )
            .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::coverage::tests::{found, run, Seen};

    fn pair(en: &str, zh: &str) -> Vec<Seen> {
        run(&[("en/a.ftl", en), ("zh-CN/a.ftl", zh)])
    }

    fn names(text: &str) -> Vec<String> {
        tags(text).into_iter().map(|t| t.name).collect()
    }

    #[test]
    fn tokenizer_is_tolerant() {
        let p = PLACEABLE;
        assert_eq!(
            names(&format!("<a {p}>x</a> and <STRONG>y</strong>")),
            ["a", "strong"]
        );
        assert_eq!(names("1 < 2 and 3 <4 <!-- <b> --> <br/>"), ["br"]);
        let t = tags("<a href=https://x.org/?a=1 title='T' data-x>");
        assert_eq!(
            t[0].attrs,
            [
                ("href".into(), "https://x.org/?a=1".into()),
                ("title".into(), "T".into()),
                ("data-x".into(), String::new())
            ]
        );
        // Unterminated and odd input does not panic.
        for s in [
            "<",
            "<a",
            "<a href=",
            "<a href=\"x",
            "<a \"'>",
            "<!--",
            "<a =x>",
        ] {
            let _ = tags(s);
        }
    }

    #[test]
    fn added_tags_are_e401() {
        let d = pair(
            "m = Read <a { $attrs }>the policy</a>.\n",
            "m = 阅读<a { $attrs }>政策</a>。<br>下一行\n",
        );
        assert_eq!(found(&d, Code::W401), ["zh-CN/a.ftl:1:28 m"]);
        assert!(found(&d, Code::E401).is_empty(), "{d:?}");
        let d = pair("m = Text\n", "m = 文本<strong>强</strong>\n");
        assert_eq!(found(&d, Code::E401), ["zh-CN/a.ftl:1:7 m"]);
        let d = pair("m = Text\n", "m = <div>文本</div>\n");
        assert!(
            d.iter()
                .any(|x| x.code == Code::E401 && x.message.contains("not an allowed inline tag")),
            "{d:?}"
        );
        // A tag the source uses is the author's choice; the source itself is never flagged.
        let ok = pair(
            "m = <span>{ -b }</span> Browser\n-b = F\n",
            "m = <span>{ -b }</span> 浏览器\n-b = F\n",
        );
        assert!(found(&ok, Code::E401).is_empty(), "{ok:?}");
    }

    #[test]
    fn repeated_tags_in_selects_are_fine() {
        let en = "m = { $n ->\n    [one] <b>one</b>\n   *[other] <b>{ $n }</b>\n}\n";
        let ru =
            "m = { $n ->\n    [one] <b>1</b>\n    [few] <b>2</b>\n   *[other] <b>{ $n }</b>\n}\n";
        let d = run(&[("en/a.ftl", en), ("ru/a.ftl", ru)]);
        assert!(found(&d, Code::E401).is_empty(), "{d:?}");
    }

    #[test]
    fn event_handlers_are_e402_everywhere() {
        let d = pair(
            "m = <a href=\"/x\" onclick=\"go()\">x</a>\n",
            "m = <a href=\"/x\">甲</a><img src=x ONERROR=alert(1)>\n",
        );
        assert_eq!(
            found(&d, Code::E402),
            ["en/a.ftl:1:5 m", "zh-CN/a.ftl:1:23 m"]
        );
        let ok = pair(
            "m = <a title=\"online\" on>x</a>\n",
            "m = <a title=\"online\" on>甲</a>\n",
        );
        assert!(found(&ok, Code::E402).is_empty());
    }

    #[test]
    fn script_urls_are_e403() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "jav&#x61;script:alert(1)",
            "jav&#97script:alert(1)",
            "java&#x09;script:x",
            "java\tscript:x",
            "javascript&colon;x",
            "data:text/html,<b>",
        ] {
            assert!(dangerous_url(bad), "{bad}");
        }
        for good in [
            "https://example.com",
            "/privacy/",
            "#top",
            "mailto:a@b.c",
            "\u{FFFC}",
            "&",
            "&#xZZ;",
            "&#99999999999;",
        ] {
            assert!(!dangerous_url(good), "{good}");
        }
        let d = pair(
            "m = <a href=\"/x\">x</a>\n",
            "m = <a href=\"jav&#x61;script:alert(1)\">甲</a>\n",
        );
        assert_eq!(found(&d, Code::E403), ["zh-CN/a.ftl:1:5 m"]);
        let d = pair(
            "m = <img src=data:image/png;base64,AAAA>\n",
            "m = <img src=data:image/png;base64,AAAA>\n",
        );
        assert_eq!(
            found(&d, Code::E403),
            ["en/a.ftl:1:5 m", "zh-CN/a.ftl:1:5 m"]
        );
        let ok = pair(
            "m = <a href=\"https://x.org\">x</a>\n",
            "m = <a href=\"{ $url }\">甲</a>\n",
        );
        assert!(found(&ok, Code::E403).is_empty());
    }
}
