//! The rendered-page link check: every relative `href` or `src` in the output must land on a
//! generated file and every `#fragment` on an id of its page.
//!
//! Links written literally in templates are checked before rendering (validate); what is left
//! here are links built from values (`{{ root }}x.html`, a URL passed into a message). Pages
//! are read with the one HTML front ([`crate::html`]), and links are resolved with the same
//! functions as the static check ([`crate::links`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::html::{self, Node};
use crate::links::Target;
use crate::site::Site;

pub use crate::links::relative_prefix;

/// A link found on a rendered page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Lower-cased tag name.
    pub tag: String,
    /// `href` or `src`.
    pub attr: String,
    /// The value, character references decoded.
    pub value: String,
    /// Which `href`/`src` of the page this is, counting from 0 in source order: enough to
    /// find it again with positions ([`link_offset`]) when it has to be reported.
    pub index: usize,
}

/// The ids and the `href`/`src` attributes of one rendered page: all the link check needs, so
/// pages can be written out as soon as they are rendered.
#[derive(Clone, Debug, Default)]
pub struct PageLinks {
    /// Every `id` (and `<a name>`) on the page.
    pub ids: BTreeSet<String>,
    /// Every `href` and `src`.
    pub links: Vec<Link>,
}

/// Collects the ids and links of one HTML document. Every page goes through here, so it reads
/// start tags only, without positions ([`html::tag_attributes`]).
pub fn page_links(page: &str) -> PageLinks {
    let mut out = PageLinks::default();
    for (tag, attrs) in html::tag_attributes(page, &["id", "name", "href", "src"]) {
        for (name, value) in attrs {
            match name.as_str() {
                "id" => {
                    out.ids.insert(value);
                }
                "name" if tag == "a" => {
                    out.ids.insert(value);
                }
                "href" | "src" => out.links.push(Link {
                    tag: tag.clone(),
                    attr: name,
                    value,
                    index: out.links.len(),
                }),
                _ => {}
            }
        }
    }
    out
}

/// The byte offset in `page` of the value of its `index`-th `href`/`src` (see [`Link::index`]).
pub fn link_offset(page: &str, index: usize) -> Option<usize> {
    html::parse(page)
        .into_iter()
        .filter_map(|node| match node {
            Node::Start(tag) => Some(tag.attrs),
            _ => None,
        })
        .flatten()
        .filter(|a| a.name == "href" || a.name == "src")
        .nth(index)
        .and_then(|a| a.value_span.map(|s| s.start))
}

/// Where one link of a rendered page stands before the other pages are known.
enum Standing {
    /// Right whatever the other pages hold: external, or a generated path without a fragment.
    Fine,
    /// Lands on generated path `.0`; right when that page has id `.1`.
    Fragment(String, String),
    /// Wrong, for this reason.
    Broken(String),
}

/// The one decision about a link, shared by [`settle`] and [`check_links`].
fn standing(site: &Site, known: &BTreeSet<String>, page: &str, link: &Link) -> Standing {
    let url = link.value.trim();
    match crate::links::resolve(site, page, url) {
        Target::External => Standing::Fine,
        Target::Script => Standing::Broken(format!("`{url}` is not a link to a page")),
        Target::Empty => Standing::Broken(format!("empty {} on a <{}>", link.attr, link.tag)),
        Target::Outside => Standing::Broken(format!("`{url}` leads outside the site")),
        Target::Path(t, _) if !known.contains(&t) => {
            Standing::Broken(format!("`{url}` resolves to `{t}`, which is not generated"))
        }
        Target::Path(t, frag) => match frag.filter(|f| !f.is_empty()) {
            Some(f) => Standing::Fragment(t, f),
            None => Standing::Fine,
        },
    }
}

/// `links` of `page` without the links that are right whatever the other pages hold (external
/// ones, and those landing on a generated path without a `#fragment`): what is left is all
/// [`check_links`] needs, so a large build does not keep every link of every page until
/// the end.
pub fn settle(
    site: &Site,
    known: &BTreeSet<String>,
    page: &str,
    mut links: PageLinks,
) -> PageLinks {
    links
        .links
        .retain(|l| !matches!(standing(site, known, page, l), Standing::Fine));
    links.links.shrink_to_fit();
    links
}

/// A link of a rendered page that resolves to nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dangling {
    /// The page's output path.
    pub page: String,
    /// The link.
    pub link: Link,
    /// What is wrong.
    pub message: String,
}

/// Every relative link or fragment in the rendered pages that resolves to nothing.
///
/// `known` holds every path the full build writes (so a shard can link to pages another shard
/// renders); fragments are checked on the pages in `pages`.
pub fn check_links(
    site: &Site,
    known: &BTreeSet<String>,
    pages: &BTreeMap<String, PageLinks>,
) -> Vec<Dangling> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (page, links) in pages {
        for link in &links.links {
            let message = match standing(site, known, page, link) {
                Standing::Fine => None,
                Standing::Broken(why) => Some(why),
                Standing::Fragment(t, f) => pages
                    .get(&t)
                    .is_some_and(|p| !p.ids.contains(&f))
                    .then(|| format!("`{}`: no id `{f}` on `{t}`", link.value.trim())),
            };
            if let Some(message) = message {
                // One report per broken URL and locale-independent page path.
                let rel = page.split_once('/').map_or(page.as_str(), |(_, r)| r);
                if seen.insert((rel.to_string(), message.clone())) {
                    out.push(Dangling {
                        page: page.clone(),
                        link: link.clone(),
                        message,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_links_and_ids_but_not_comments_or_scripts() {
        let page = r#"<a href="x.html" id=top>t</a><!-- <a href="no.html"> --><script>var s = "<a href='no2'>";</script><img src='i.svg' alt="a &amp; b"><a name="n">"#;
        let links = page_links(page);
        let found: Vec<(&str, &str)> = links
            .links
            .iter()
            .map(|l| (l.attr.as_str(), l.value.as_str()))
            .collect();
        assert_eq!(found, [("href", "x.html"), ("src", "i.svg")]);
        let at = link_offset(page, links.links[1].index).unwrap();
        assert_eq!(&page[at..][..5], "i.svg");
        assert_eq!(links.ids.iter().collect::<Vec<_>>(), ["n", "top"]);
    }

    #[test]
    fn settle_keeps_only_fragments_and_broken_links() {
        let site = crate::site::load(&crate::site::SiteSource::Dir(std::path::PathBuf::from(
            env!("CARGO_MANIFEST_DIR"),
        )))
        .unwrap();
        let known: BTreeSet<String> =
            ["en-US/index.html".to_string(), "en-US/b.html".into()].into();
        let page = r#"<a href="b.html">b</a><a href="https://example.com/#x">x</a><a href="b.html#top">t</a><a href="missing.html">m</a><a href="javascript:void(0)">j</a><a href="b.html#">e</a>"#;
        let settled = settle(&site, &known, "en-US/index.html", page_links(page));
        let kept: Vec<(&str, usize)> = settled
            .links
            .iter()
            .map(|l| (l.value.as_str(), l.index))
            .collect();
        assert_eq!(
            kept,
            [
                ("b.html#top", 2),
                ("missing.html", 3),
                ("javascript:void(0)", 4)
            ]
        );
        let mut pages = BTreeMap::new();
        pages.insert("en-US/index.html".to_string(), settled);
        pages.insert("en-US/b.html".to_string(), PageLinks::default());
        let all = {
            let mut p = pages.clone();
            p.insert("en-US/index.html".into(), page_links(page));
            check_links(&site, &known, &p)
        };
        assert_eq!(check_links(&site, &known, &pages), all);
        assert_eq!(all.len(), 3);
    }
}
