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
//! - E404: a translated link whose target moved away from the source's: a placeable turned into
//!   fixed text (`<a href="{ $url }">` → `<a title="{ $url }" href="//evil.com">`), another
//!   host, or a link the translation drops.
//! - W402: a translated link whose target differs from the source's in another way (a local
//!   path, a fragment) — often a deliberate localized URL, worth a look.
//!
//! Patterns are read with the one HTML front ([`crate::html`], html5ever's tokenizer), over
//! [`PatternInfo::flat`]: string-literal placeables are written out, so
//! `java{ "script" }:alert(1)` is read as `javascript:alert(1)`, and every other placeable is
//! U+FFFC. A placeable inside a tag (`<a { $attrs }>`), unquoted values and a bare `<` in prose
//! (`1 < 2`) are all fine.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::coverage::{same_pattern, Pairing};
use crate::catalog::{Catalog, Catalogs, Entry, PatternInfo, PLACEABLE};
use crate::diagnostics::{Code, Diagnostic};
use crate::html::{self, inline_tags_list, Tag, INLINE_TAGS, URL_ATTRIBUTES};
use crate::site::Site;

/// The allow-listed tag a translation may add on its own (W401 instead of E401).
const LINE_BREAK: &str = "br";

/// The start tags of a pattern, attributes written by a placeable (`<a { $attrs }>`) dropped.
fn tags(p: &PatternInfo) -> Vec<Tag> {
    if !p.flat.contains('<') {
        return Vec::new();
    }
    let mut tags = html::start_tags(&p.flat);
    for t in &mut tags {
        t.attrs.retain(|a| !a.name.contains(PLACEABLE));
        if let Some(cut) = t.name.find(PLACEABLE) {
            t.name.truncate(cut);
        }
    }
    tags.retain(|t| !t.name.is_empty());
    tags
}

/// True for a URL whose scheme is `javascript:` or `data:`, once character references are
/// decoded (html5ever did that), leading whitespace and control characters and the tabs and
/// newlines a browser ignores inside a URL (`java&#x09;script:`) are dropped, ignoring case.
fn dangerous_url(v: &str) -> bool {
    let cleaned: String = v
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
pub fn check(site: &Site, catalogs: &Catalogs, pairing: &Pairing<'_>, diags: &mut Vec<Diagnostic>) {
    let mut parsed: FxHashMap<*const PatternInfo, Vec<Tag>> = FxHashMap::default();
    for locale in site.locales() {
        let Some(cat) = catalogs.get(&locale.code) else {
            continue;
        };
        for e in cat.all_entries() {
            for (_, p) in e.patterns() {
                let t = tags(p);
                attributes(cat, e, p, &t, diags);
                if !t.is_empty() {
                    parsed.insert(std::ptr::from_ref(p), t);
                }
            }
        }
    }
    // Each pattern's tags were read once above; the pairs below look them up.
    let tags_of = |p: &PatternInfo| {
        parsed
            .get(&std::ptr::from_ref(p))
            .map_or(&[][..], Vec::as_slice)
    };
    for locale in &site.targets {
        let Some(target) = catalogs.get(&locale.code) else {
            continue;
        };
        for &(src, tgt) in pairing.pairs(&locale.code) {
            for (name, tp) in tgt.patterns() {
                let Some(sp) = same_pattern(src, name) else {
                    continue;
                };
                let (st, tt) = (tags_of(sp), tags_of(tp));
                added_tags(target, tgt, sp, tp, st, tt, diags);
                link_targets(target, tgt, sp, tp, st, tt, diags);
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
fn attributes(
    cat: &Catalog,
    e: &Entry,
    p: &PatternInfo,
    tags: &[Tag],
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for tag in tags {
        let n = seen.entry(tag.name.clone()).or_insert(0);
        let nth = *n;
        *n += 1;
        for a in &tag.attrs {
            let attr = a.name.as_str();
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
            if URL_ATTRIBUTES.contains(&attr) && dangerous_url(&a.value) {
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
/// Markup is the author's decision: the sanitizer strips tags outside the inline allow-list,
/// and a tag the source does not have changes layout or links the author never reviewed. A tag
/// the source itself uses (Mozilla's `<span>`) is accepted in the translation, and the source
/// is never flagged. When either side has a select, variants repeat tags, so only tag names
/// absent from the source count. An added `<br>` is W401, not E401: translators add line
/// breaks where their language wraps differently (five Mozilla locales do), and the renderer
/// keeps them.
fn added_tags(
    target: &Catalog,
    tgt: &Entry,
    sp: &PatternInfo,
    tp: &PatternInfo,
    st: &[Tag],
    tt: &[Tag],
    diags: &mut Vec<Diagnostic>,
) {
    let count = |tags: &[Tag]| {
        let mut m: BTreeMap<String, usize> = BTreeMap::new();
        for t in tags {
            *m.entry(t.name.clone()).or_insert(0) += 1;
        }
        m
    };
    let (sc, tc) = (count(st), count(tt));
    let selects = !sp.selects.is_empty() || !tp.selects.is_empty();
    for (name, &n) in &tc {
        let have = sc.get(name).copied().unwrap_or(0);
        if n <= have || (selects && have > 0) {
            continue;
        }
        let allowed = INLINE_TAGS.contains(&name.as_str());
        let message = if have > 0 {
            format!("`<{name}>` appears {n} times, but {have} times in the source")
        } else if allowed {
            format!("`<{name}>` is not in the source")
        } else {
            format!("`<{name}>` is not in the source and is not an allowed inline tag")
        };
        let help = if allowed {
            format!("use the source's markup; remove this `<{name}>` or ask for it in the source")
        } else {
            format!(
                "remove `<{name}>`: it is stripped when rendered; only {} are kept",
                inline_tags_list()
            )
        };
        let code = if name == LINE_BREAK {
            Code::W401
        } else {
            Code::E401
        };
        let help = if code == Code::W401 {
            "keep the line break if this language needs it here, or remove it".to_string()
        } else {
            help
        };
        diags.push(at_tag(Diagnostic::new(code, message), target, tgt, tp, name, have).help(help));
    }
}

/// The host of an absolute or protocol-relative URL, lower-cased; `None` for a relative one.
fn host(url: &str) -> Option<String> {
    let rest = match url.split_once("://") {
        Some((scheme, rest))
            if scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
        {
            rest
        }
        _ => url.strip_prefix("//")?,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(rest[..end].to_ascii_lowercase())
}

/// E404 and W402: the `href` of each `<a>` of the translation against the `<a>` at the same
/// position in the source.
///
/// The renderer keeps a translation's `href` if it is http(s) or relative, so a translation
/// that rewrites a link target sends readers where the author never did. When the source
/// passes the URL in (`{ $url }`), the translation must too; a literal URL must keep its host.
/// Skipped when either side has a select (variants repeat links) or when the source has no
/// links.
fn link_targets(
    target: &Catalog,
    tgt: &Entry,
    sp: &PatternInfo,
    tp: &PatternInfo,
    st: &[Tag],
    tt: &[Tag],
    diags: &mut Vec<Diagnostic>,
) {
    if !sp.selects.is_empty() || !tp.selects.is_empty() {
        return;
    }
    let hrefs = |tags: &[Tag]| -> Vec<Option<String>> {
        tags.iter()
            .filter(|t| t.name == "a")
            .map(|t| t.attr("href").map(|a| a.value.trim().to_string()))
            .collect()
    };
    let (sh, th) = (hrefs(st), hrefs(tt));
    if sh.is_empty() {
        return;
    }
    let shown = |h: &Option<String>| -> String {
        match h {
            Some(v) => v.replace(PLACEABLE, "{…}"),
            None => "(no href)".to_string(),
        }
    };
    for (i, s) in sh.iter().enumerate() {
        let Some(t) = th.get(i) else {
            let d = Diagnostic::new(
                Code::E404,
                format!(
                    "the translation drops the link to `{}` that the source has",
                    shown(s)
                ),
            );
            diags.push(
                target
                    .at(d, tgt, tp.offset..tp.offset + 1)
                    .help("keep every <a href> of the source, in the same order"),
            );
            continue;
        };
        if s == t {
            continue;
        }
        let (s_var, t_var) = (
            s.as_deref().is_some_and(|v| v.contains(PLACEABLE)),
            t.as_deref().is_some_and(|v| v.contains(PLACEABLE)),
        );
        let (s_host, t_host) = (s.as_deref().and_then(host), t.as_deref().and_then(host));
        // What comes before the placeable decides where the link goes (scheme, host): a
        // translation may append (`{ $url }#top`) but not prepend (`javascript:open({ $url })`).
        let before = |v: &Option<String>| {
            v.as_deref()
                .and_then(|v| v.split(PLACEABLE).next())
                .map(str::to_string)
        };
        let moved = if s_var {
            !t_var || before(s) != before(t)
        } else {
            !t_var && s_host != t_host
        };
        let (code, message, help) = if moved {
            (
                Code::E404,
                format!(
                    "link {} points at `{}`, but the source's points at `{}`",
                    i + 1,
                    shown(t),
                    shown(s)
                ),
                if s_var {
                    "keep the source's placeable in href (href=\"{ $url }\"): the page passes the address in".to_string()
                } else {
                    "link to the same site as the source; ask for a localized address in the source"
                        .to_string()
                },
            )
        } else {
            (
                Code::W402,
                format!(
                    "link {} points at `{}`, the source's at `{}`",
                    i + 1,
                    shown(t),
                    shown(s)
                ),
                "check that the localized address is intended".to_string(),
            )
        };
        diags.push(at_tag(Diagnostic::new(code, message), target, tgt, tp, "a", i).help(help));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::coverage::tests::{found, run, Seen};

    fn pair(en: &str, zh: &str) -> Vec<Seen> {
        run(&[("en/a.ftl", en), ("zh-CN/a.ftl", zh)])
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
        // Prose with a bare `<` and comments hide nothing.
        let ok = pair("m = 1 < 2\n", "m = 1 < 2 <!-- <b> -->\n");
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
    fn script_urls_are_e403_however_they_are_spelled() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "jav&#x61;script:alert(1)",
            "jav&#97script:alert(1)",
            "java&#x09;script:x",
            "java\tscript:x",
            "javascript&colon;x",
            "data:text/html,<b>",
            "java{ \"script\" }:alert(1)",
            "{ \"javascript\" }:alert(1)",
        ] {
            let d = pair(
                "m = <a href=\"/x\">x</a>\n",
                &format!("m = <a href=\"{bad}\">甲</a>\n"),
            );
            assert_eq!(found(&d, Code::E403), ["zh-CN/a.ftl:1:5 m"], "{bad}");
        }
        for good in [
            "https://example.com",
            "/privacy/",
            "#top",
            "mailto:a@b.c",
            "{ $url }",
        ] {
            let d = pair(
                &format!("m = <a href=\"{good}\">x</a>\n"),
                &format!("m = <a href=\"{good}\">甲</a>\n"),
            );
            assert!(found(&d, Code::E403).is_empty(), "{good}: {d:?}");
        }
        let d = pair(
            "m = <img src=data:image/png;base64,AAAA>\n",
            "m = <img src=data:image/png;base64,AAAA>\n",
        );
        assert_eq!(
            found(&d, Code::E403),
            ["en/a.ftl:1:5 m", "zh-CN/a.ftl:1:5 m"]
        );
    }

    #[test]
    fn a_translation_cannot_retarget_a_link() {
        let en = "m = See <a href=\"{ $url }\">the page</a>.\n";
        let d = pair(
            en,
            "m = 请看 <a title=\"{ $url }\" href=\"//evil.com\">页面</a>。\n",
        );
        assert_eq!(found(&d, Code::E404), ["zh-CN/a.ftl:1:8 m"]);
        let d = pair(
            "m = <a href=\"https://www.example.com/about\">About</a>\n",
            "m = <a href=\"https://evil.example/about\">关于</a>\n",
        );
        assert_eq!(found(&d, Code::E404), ["zh-CN/a.ftl:1:5 m"]);
        let d = pair(en, "m = 请看页面。\n");
        assert_eq!(found(&d, Code::E404), ["zh-CN/a.ftl:1:5 m"]);
        // A localized path on the same host is a warning; the same target is fine.
        let d = pair(
            "m = <a href=\"https://www.example.com/en/about\">About</a>\n",
            "m = <a href=\"https://www.example.com/zh/about\">关于</a>\n",
        );
        assert!(found(&d, Code::E404).is_empty(), "{d:?}");
        assert_eq!(found(&d, Code::W402), ["zh-CN/a.ftl:1:5 m"]);
        let d = pair(
            en,
            "m = 请看<a href=\"javascript:open({ $url })\">页面</a>。\n",
        );
        assert_eq!(found(&d, Code::E404), ["zh-CN/a.ftl:1:7 m"]);
        let ok = pair(en, "m = 请看<a href=\"{ $url }\">页面</a>。\n");
        assert!(found(&ok, Code::E404).is_empty() && found(&ok, Code::W402).is_empty());
    }
}
