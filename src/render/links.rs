//! Link resolution: relative prefixes between pages, and the check that every relative `href`
//! or `src` in the output lands on a generated file and every `#fragment` on an id.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Code, Diagnostic};
use crate::site::Site;

/// The prefix that leads from an output file back to the output root: `""` for `index.html`,
/// `../../` for `en-US/privacy/default.html`.
pub fn relative_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// An attribute found in a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// Lower-cased tag name.
    pub tag: String,
    /// Lower-cased attribute name.
    pub name: String,
    /// The raw value (entities not decoded except `&amp;`).
    pub value: String,
}

/// Every attribute of every tag in `html`, skipping comments and the bodies of `script` and
/// `style`. Written for the well-formed HTML the renderer produces, not as a general parser.
pub fn attributes(html: &str) -> Vec<Attr> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off;
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map(|e| i + e + 3).unwrap_or(b.len());
            continue;
        }
        let mut j = i + 1;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        let tag = html[i + 1..j].to_ascii_lowercase();
        if tag.is_empty() {
            i += 1;
            continue;
        }
        // attributes until '>'
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' || b[j] == b'/' {
                break;
            }
            let start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'=' && b[j] != b'>' {
                j += 1;
            }
            let name = html[start..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let vstart = j + 1;
                    let vend = b[vstart..]
                        .iter()
                        .position(|&c| c == q)
                        .map(|p| vstart + p)
                        .unwrap_or(b.len());
                    value = html[vstart..vend].replace("&amp;", "&");
                    j = (vend + 1).min(b.len());
                } else {
                    let vstart = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = html[vstart..j].replace("&amp;", "&");
                }
            }
            if name.is_empty() {
                j += 1;
                continue;
            }
            out.push(Attr {
                tag: tag.clone(),
                name,
                value,
            });
        }
        i = html[j.min(b.len())..]
            .find('>')
            .map(|e| j + e + 1)
            .unwrap_or(b.len());
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            i = html[i..].find(&close).map(|e| i + e).unwrap_or(b.len());
        }
    }
    out
}

/// Resolves `href` against the directory of `from`; `None` when it climbs above the root.
pub fn resolve(from: &str, href: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn is_external(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || lower.starts_with("//")
}

/// The ids and the `href`/`src` attributes of one rendered page: all the link check needs, so
/// pages can be written out as soon as they are rendered.
#[derive(Clone, Debug, Default)]
pub struct PageLinks {
    /// Every `id` (and `<a name>`) on the page.
    pub ids: BTreeSet<String>,
    /// Every `href` and `src`.
    pub links: Vec<Attr>,
}

/// Collects the ids and links of one HTML document.
pub fn page_links(html: &str) -> PageLinks {
    let mut out = PageLinks::default();
    for a in attributes(html) {
        match a.name.as_str() {
            "id" => {
                out.ids.insert(a.value);
            }
            "name" if a.tag == "a" => {
                out.ids.insert(a.value);
            }
            "href" | "src" => out.links.push(a),
            _ => {}
        }
    }
    out
}

/// E504 for every relative link or fragment in the rendered pages that resolves to nothing.
///
/// `known` holds every path the full build writes (so a shard can link to pages another shard
/// renders); fragments are checked on the pages in `pages`.
pub fn check_links(
    site: &Site,
    known: &BTreeSet<String>,
    pages: &BTreeMap<String, PageLinks>,
) -> Vec<Diagnostic> {
    let ids: BTreeMap<&str, &BTreeSet<String>> =
        pages.iter().map(|(p, l)| (p.as_str(), &l.ids)).collect();
    let links = pages
        .iter()
        .flat_map(|(p, l)| l.links.iter().map(move |a| (p.as_str(), a.clone())));
    let templates: BTreeMap<&str, &str> = site
        .pages
        .iter()
        .map(|p| (p.output.as_str(), p.template.as_str()))
        .collect();
    let template_of = |out_path: &str| {
        let rel = out_path.split_once('/').map(|(_, r)| r).unwrap_or(out_path);
        templates
            .get(rel)
            .map(|t| format!("templates/{t}"))
            .unwrap_or_default()
    };
    let mut diags = Vec::new();
    let mut seen = BTreeSet::new();
    for (page, a) in links {
        let url = a.value.trim();
        if is_external(url) {
            continue;
        }
        let lower = url.to_ascii_lowercase();
        let bad = if lower.starts_with("javascript:") || lower.starts_with("data:") {
            Some(format!("`{url}` is not a link to a page"))
        } else if url.is_empty() {
            Some(format!("empty {} on a <{}>", a.name, a.tag))
        } else {
            let (path, frag) = match url.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (url, None),
            };
            let path = path.split('?').next().unwrap_or(path);
            let target = if path.is_empty() {
                Some(page.to_string())
            } else {
                resolve(page, path)
            };
            match target {
                None => Some(format!("`{url}` climbs above the output root")),
                Some(t) if !known.contains(&t) => {
                    Some(format!("`{url}` resolves to `{t}`, which is not generated"))
                }
                Some(t) => match frag {
                    Some(f)
                        if !f.is_empty() && ids.get(t.as_str()).is_some_and(|s| !s.contains(f)) =>
                    {
                        Some(format!("`{url}`: no id `{f}` on `{t}`"))
                    }
                    _ => None,
                },
            }
        };
        if let Some(msg) = bad {
            let template = template_of(page);
            let locale = page.split_once('/').map(|(l, _)| l).unwrap_or("");
            let key = (template.clone(), msg.clone());
            if !seen.insert(key) {
                continue;
            }
            let mut d = Diagnostic::new(Code::E504, format!("{msg} (in {page})"));
            if !template.is_empty() {
                let src = site.text(&template).unwrap_or("");
                d = match src.find(url) {
                    Some(pos) if !url.is_empty() => d.at(&template, src, pos..pos + url.len()),
                    _ => d.in_file(&template),
                };
            }
            if site.locales().any(|l| l.code == locale) {
                d = d.locale(locale);
            }
            diags.push(d);
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_resolution() {
        assert_eq!(relative_prefix("index.html"), "");
        assert_eq!(relative_prefix("en-US/privacy/default.html"), "../../");
        assert_eq!(
            resolve(
                "en-US/privacy/default.html",
                "../../zh-CN/privacy/default.html"
            )
            .as_deref(),
            Some("zh-CN/privacy/default.html")
        );
        assert_eq!(resolve("en-US/a.html", "../../x.html"), None);
        assert_eq!(
            resolve("en-US/privacy/default.html", "default.html").as_deref(),
            Some("en-US/privacy/default.html")
        );
    }

    #[test]
    fn scans_attributes_but_not_comments_or_scripts() {
        let html = r#"<a href="x.html" id=top>t</a><!-- <a href="no.html"> --><script>var s = "<a href='no2'>";</script><img src='i.svg' alt="a &amp; b">"#;
        let attrs = attributes(html);
        let pairs: Vec<_> = attrs
            .iter()
            .map(|a| (a.name.as_str(), a.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("href", "x.html"),
                ("id", "top"),
                ("src", "i.svg"),
                ("alt", "a & b")
            ]
        );
    }
}
