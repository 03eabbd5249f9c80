//! The shipped Trust Center site, built by the real binary from the copy embedded in it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::*;

/// Builds the embedded site into `<dir>/site` and returns the tree.
fn build_embedded(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let o = ftlsite(dir, &["build"]);
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("built 1 page(s) per locale (en-US 1, zh-CN 1)"),
        "{out}"
    );
    read_tree(&dir.join("site"))
}

fn page<'a>(tree: &'a BTreeMap<String, Vec<u8>>, path: &str) -> &'a str {
    std::str::from_utf8(
        tree.get(path)
            .unwrap_or_else(|| panic!("{path} not in output")),
    )
    .unwrap()
}

/// Visible text segments of the seed page: text between tags, outside comments, the front
/// matter and the slideshow's dead buttons, which the rebuilt page deliberately drops.
fn seed_segments() -> Vec<String> {
    let seed =
        std::fs::read_to_string(repo().join("tests/fixtures/seed/trust-center-privacy.html"))
            .unwrap();
    let body = seed.splitn(3, "---").nth(2).unwrap();
    let mut segments = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (textpart, after) = match rest.find('<') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let t = collapse(&decode_entities(textpart));
        if !t.is_empty() {
            segments.push(t);
        }
        rest = if after.starts_with("<!--") {
            after.find("-->").map(|e| &after[e + 3..]).unwrap_or("")
        } else {
            after.find('>').map(|e| &after[e + 1..]).unwrap_or("")
        };
    }
    let dead = ["Previous", "Next", "Pause", "Play"];
    // Typos of the seed that the shipped site corrects on purpose.
    let fixes = [
        ("Potecting", "Protecting"),
        ("your Payment instrument", "your payment instrument"),
    ];
    segments
        .into_iter()
        .filter(|s| !dead.contains(&s.as_str()))
        .map(|s| {
            fixes
                .iter()
                .fold(s, |acc, (from, to)| acc.replace(from, to))
        })
        // "//" is the seed's breadcrumb separator, drawn by CSS in the rebuilt page.
        .map(|s| {
            typographic(
                s.trim_start_matches("// ")
                    .trim_end_matches([',', '.', ' ']),
            )
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// Straight and curly quotes compare equal: the shipped text uses typographic quotes.
fn typographic(s: &str) -> String {
    s.replace(['’', '‘'], "'").replace(['“', '”'], "\"")
}

#[test]
fn english_page_keeps_every_text_segment_of_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let tree = build_embedded(dir.path());
    let en = typographic(&visible_text(page(&tree, "en-US/privacy/default.html")));
    let en_attrs: String = attr_values(page(&tree, "en-US/privacy/default.html"), "alt").join(" ");
    assert!(
        en.contains("Last updated: November 25, 2026"),
        "localized date on the en-US page"
    );
    assert!(
        en.contains("This page describes 4 types of data."),
        "plural message on the en-US page"
    );
    let segments = seed_segments();
    assert!(
        segments.len() > 60,
        "seed parsing found only {} segments",
        segments.len()
    );
    let missing: Vec<_> = segments
        .iter()
        .filter(|s| !en.contains(s.as_str()) && !en_attrs.contains(s.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "segments of the seed missing from the en-US page: {missing:#?}"
    );
}

#[test]
fn chinese_page_has_no_english_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let tree = build_embedded(dir.path());
    let zh = visible_text(page(&tree, "zh-CN/privacy/default.html"));
    let sentences: Vec<_> = seed_segments()
        .into_iter()
        .filter(|s| s.split(' ').count() >= 4)
        .collect();
    assert!(sentences.len() > 30);
    let leaked: Vec<_> = sentences
        .iter()
        .filter(|s| zh.contains(s.as_str()))
        .collect();
    assert!(
        leaked.is_empty(),
        "English sentences on the zh-CN page: {leaked:#?}"
    );
    assert!(zh.contains("世纪互联"), "zh-CN page should name 世纪互联");
    assert!(
        zh.contains("最后更新：2026年11月25日"),
        "localized date on the zh-CN page"
    );
    let zh_html = page(&tree, "zh-CN/privacy/default.html");
    assert!(
        zh_html.contains("<html lang=\"zh-CN\" dir=\"ltr\""),
        "lang/dir on <html>"
    );
}

#[test]
fn every_href_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let tree = build_embedded(dir.path());
    let mut checked = 0;
    for (path, bytes) in &tree {
        if !path.ends_with(".html") {
            continue;
        }
        let html = std::str::from_utf8(bytes).unwrap();
        for href in attr_values(html, "href")
            .into_iter()
            .chain(attr_values(html, "src"))
        {
            checked += 1;
            if href.starts_with("https://") || href.starts_with("http://") {
                continue;
            }
            let (file, frag) = href.split_once('#').unwrap_or((&href, ""));
            let target = if file.is_empty() {
                path.clone()
            } else {
                let mut parts: Vec<&str> = path.split('/').collect();
                parts.pop();
                for seg in file.split('/') {
                    match seg {
                        ".." => {
                            assert!(
                                parts.pop().is_some(),
                                "{href} in {path} climbs above the root"
                            );
                        }
                        "." | "" => {}
                        s => parts.push(s),
                    }
                }
                parts.join("/")
            };
            let body = tree
                .get(&target)
                .unwrap_or_else(|| panic!("{href} in {path} resolves to missing {target}"));
            if !frag.is_empty() {
                let ids = attr_values(std::str::from_utf8(body).unwrap(), "id");
                assert!(
                    ids.iter().any(|i| i == frag),
                    "{href} in {path}: no id {frag} in {target}"
                );
            }
        }
    }
    assert!(checked > 40, "only {checked} links checked");
}

#[test]
fn hreflang_alternates_are_reciprocal_and_switcher_marks_current() {
    let dir = tempfile::tempdir().unwrap();
    let tree = build_embedded(dir.path());
    let pages = ["en-US/privacy/default.html", "zh-CN/privacy/default.html"];
    let mut graph: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for p in pages {
        let html = page(&tree, p);
        let mut langs = BTreeSet::new();
        for line in html.lines().filter(|l| l.contains("rel=\"alternate\"")) {
            let lang = line
                .split("hreflang=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string();
            let href = line
                .split("href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string();
            if lang != "x-default" {
                assert!(
                    href.ends_with(&format!("{lang}/privacy/default.html")),
                    "{p}: {lang} -> {href}"
                );
            } else {
                assert!(
                    href.ends_with("en-US/privacy/default.html"),
                    "x-default -> {href}"
                );
            }
            langs.insert(lang);
        }
        graph.insert(p, langs);
        let current: Vec<_> = html
            .lines()
            .filter(|l| l.contains("hreflang=") && l.contains("aria-current=\"page\""))
            .collect();
        assert_eq!(
            current.len(),
            1,
            "{p} marks one current locale in the switcher"
        );
        assert!(
            current[0].contains(&format!("lang=\"{}\"", &p[..5])),
            "{p}: {current:?}"
        );
        assert!(
            html.contains("English") && html.contains("简体中文"),
            "{p}: switcher names each locale in its own language"
        );
        assert!(
            html.contains("rel=\"canonical\""),
            "{p}: canonical with base-url"
        );
    }
    for (p, langs) in &graph {
        let want: BTreeSet<String> = ["en-US", "zh-CN", "x-default"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(langs, &want, "{p}");
    }
    let sitemap = page(&tree, "sitemap.xml");
    assert_eq!(sitemap.matches("<url>").count(), 2);
    assert_eq!(sitemap.matches("hreflang=\"zh-CN\"").count(), 2);
    let index = page(&tree, "index.html");
    assert!(
        index.contains("href=\"zh-CN/privacy/default.html\""),
        "root page lists the locales without JS"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let ta = build_embedded(a.path());
    let tb = build_embedded(b.path());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between two builds");
    }
}

#[test]
fn embedded_site_equals_the_repository_site() {
    let a = tempfile::tempdir().unwrap();
    let from_embedded = build_embedded(a.path());
    let b = tempfile::tempdir().unwrap();
    let o = ftlsite(
        b.path(),
        &["build", "--site", repo().to_str().unwrap(), "--out", "out"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(from_embedded, read_tree(&b.path().join("out")));
}
