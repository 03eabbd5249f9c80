//! Links between generated files: what a build writes, and where an `href` or `src` written on
//! one of its pages lands. The static link check (validate) and the rendered-page link check
//! (render) resolve links with the same functions, so they agree on every URL.

use std::collections::BTreeSet;

use crate::site::Site;

/// Every output path a full build writes: each page in each locale, every asset, and, when the
/// site has pages, `sitemap.xml` and the root `index.html`.
pub fn outputs(site: &Site) -> BTreeSet<String> {
    // Locale by locale, each list in page order: the paths of one locale share their prefix,
    // and concatenating without `format!` matters at 20,000 paths per validation.
    let mut paths: Vec<String> = Vec::with_capacity(site.pages.len() * (site.targets.len() + 1));
    for l in site.locales() {
        for p in &site.pages {
            let mut path = String::with_capacity(l.code.len() + 1 + p.output.len());
            path.push_str(&l.code);
            path.push('/');
            path.push_str(&p.output);
            paths.push(path);
        }
    }
    paths.sort_unstable();
    let mut known: BTreeSet<String> = paths.into_iter().collect();
    known.extend(site.files_under("assets/").map(|(_, p, _)| p.to_string()));
    if !site.pages.is_empty() {
        known.insert("sitemap.xml".into());
        known.insert("index.html".into());
    }
    known
}

/// The prefix that leads from an output file back to the output root: `""` for `index.html`,
/// `../../` for `en-US/privacy/default.html`.
pub fn relative_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Where a link written on a generated page goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Another site or scheme (`https:`, `mailto:`, `//host/…`): not checked.
    External,
    /// `javascript:` or `data:`: never a link to a page.
    Script,
    /// An empty value.
    Empty,
    /// A path above the output root (`../../..`), or outside the base URL's path.
    Outside,
    /// An output path (percent-decoded) and the fragment, if any.
    Path(String, Option<String>),
}

/// Resolves `url`, written on the page at output path `from`, to its target. Root-relative
/// URLs (`/en-US/index.html`) are resolved against the site root, that is against the path of
/// site.toml's `base-url` when it has one; the path is percent-decoded (`a%20b.html` is
/// `a b.html`).
pub fn resolve(site: &Site, from: &str, url: &str) -> Target {
    let url = url.trim();
    if url.is_empty() {
        return Target::Empty;
    }
    if starts_as(url, "javascript:") || starts_as(url, "data:") {
        return Target::Script;
    }
    if has_scheme(url) || url.starts_with("//") {
        return Target::External;
    }
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let path = percent_decode(path);
    if path.is_empty() {
        return Target::Path(from.to_string(), fragment);
    }
    let resolved = if let Some(abs) = path.strip_prefix('/') {
        let base_path = site
            .base_url
            .as_deref()
            .and_then(|b| b.split_once("://").map(|(_, rest)| rest))
            .and_then(|rest| rest.find('/').map(|i| &rest[i + 1..]))
            .unwrap_or("");
        match abs.strip_prefix(base_path) {
            Some(rest) => normalize(rest.split('/')),
            None => None,
        }
    } else {
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        normalize(parts.into_iter().chain(path.split('/')))
    };
    match resolved {
        Some(p) => Target::Path(p, fragment),
        None => Target::Outside,
    }
}

/// True when `url` begins with the lower-case ASCII `prefix` as a browser reads a scheme: any
/// case, with tabs and line breaks inside it ignored (`java\tscript:` runs script). Every link
/// of every generated page is asked this, so nothing is allocated.
fn starts_as(url: &str, prefix: &str) -> bool {
    let mut bytes = url.bytes().filter(|b| !matches!(b, b'\t' | b'\n' | b'\r'));
    prefix
        .bytes()
        .all(|p| bytes.next().is_some_and(|b| b.to_ascii_lowercase() == p))
}

/// Joins path segments, applying `.` and `..`; `None` when `..` climbs above the root.
fn normalize<'a>(segments: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for seg in segments {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            s => out.push(s),
        }
    }
    Some(out.join("/"))
}

/// True for `scheme:…` (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Decodes `%XX` escapes; invalid escapes and non-UTF-8 results are kept as written.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{load, SiteSource};

    fn site(base: Option<&str>) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let base = base
            .map(|b| format!("base-url = \"{b}\"\n"))
            .unwrap_or_default();
        std::fs::write(
            dir.path().join("site.toml"),
            format!("source-locale = \"en-US\"\n{base}"),
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("locales/en-US")).unwrap();
        std::fs::write(dir.path().join("locales/en-US/a.ftl"), "a = A\n").unwrap();
        load(&SiteSource::Dir(dir.path().to_path_buf())).unwrap()
    }

    #[test]
    fn relative_root_relative_and_encoded_links() {
        let s = site(None);
        let from = "en-US/privacy/default.html";
        let path = |p: &str| Target::Path(p.to_string(), None);
        assert_eq!(
            resolve(&s, from, "../../zh-CN/privacy/default.html"),
            path("zh-CN/privacy/default.html")
        );
        assert_eq!(
            resolve(&s, from, "/en-US/index.html"),
            path("en-US/index.html")
        );
        assert_eq!(
            resolve(&s, from, "a%20b.html"),
            path("en-US/privacy/a b.html")
        );
        assert_eq!(resolve(&s, "en-US/a.html", "../../x.html"), Target::Outside);
        assert_eq!(
            resolve(&s, from, "#top"),
            Target::Path(from.to_string(), Some("top".into()))
        );
        assert_eq!(resolve(&s, from, "java\tscript:alert(1)"), Target::Script);
        assert_eq!(resolve(&s, from, "JavaScript:alert(1)"), Target::Script);
        assert_eq!(resolve(&s, from, " DA\nTA:text/html,x"), Target::Script);
        assert_eq!(
            resolve(&s, from, "javascripts.html"),
            path("en-US/privacy/javascripts.html")
        );
        assert_eq!(resolve(&s, from, "data"), path("en-US/privacy/data"));
        assert_eq!(resolve(&s, from, "mailto:a@b.c"), Target::External);
        assert_eq!(resolve(&s, from, "//evil.com/x"), Target::External);
        let based = site(Some("https://example.com/docs"));
        assert_eq!(
            resolve(&based, from, "/docs/en-US/x.html"),
            path("en-US/x.html")
        );
        assert_eq!(resolve(&based, from, "/other.html"), Target::Outside);
    }

    #[test]
    fn prefixes() {
        assert_eq!(relative_prefix("index.html"), "");
        assert_eq!(relative_prefix("en-US/privacy/default.html"), "../../");
    }
}
