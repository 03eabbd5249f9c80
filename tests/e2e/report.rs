//! `ftlsite report`: the status dashboard of tests/fixtures/sites/activation, read with
//! html5ever's tree builder (markup5ever_rcdom) as a browser would build it, independent of
//! the code that writes it.

use std::collections::BTreeSet;

use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};

use crate::activation::fixture_copy;
use crate::support::*;

/// The document tree.
pub struct Doc(Handle);

impl Doc {
    pub fn parse(html: &str) -> Doc {
        let dom = html5ever::parse_document(RcDom::default(), Default::default())
            .from_utf8()
            .read_from(&mut html.as_bytes())
            .unwrap();
        Doc(dom.document)
    }

    /// Every element under `node`, in document order.
    fn elements(node: &Handle) -> Vec<Handle> {
        let mut out = Vec::new();
        let mut todo = vec![node.clone()];
        while let Some(n) = todo.pop() {
            if matches!(n.data, NodeData::Element { .. }) {
                out.push(n.clone());
            }
            todo.extend(n.children.borrow().iter().rev().cloned());
        }
        out
    }

    fn name(node: &Handle) -> String {
        match &node.data {
            NodeData::Element { name, .. } => name.local.to_string(),
            _ => String::new(),
        }
    }

    pub fn attr(node: &Handle, attr: &str) -> Option<String> {
        match &node.data {
            NodeData::Element { attrs, .. } => attrs
                .borrow()
                .iter()
                .find(|a| &*a.name.local == attr)
                .map(|a| a.value.to_string()),
            _ => None,
        }
    }

    /// The text under `node`, whitespace collapsed.
    pub fn text(node: &Handle) -> String {
        let mut out = String::new();
        let mut todo = vec![node.clone()];
        while let Some(n) = todo.pop() {
            if let NodeData::Text { contents } = &n.data {
                out.push_str(&contents.borrow());
            }
            todo.extend(n.children.borrow().iter().rev().cloned());
        }
        collapse(&out)
    }

    pub fn by_id(&self, id: &str) -> Handle {
        Self::elements(&self.0)
            .into_iter()
            .find(|e| Self::attr(e, "id").as_deref() == Some(id))
            .unwrap_or_else(|| panic!("no #{id}"))
    }

    /// Elements named `tag` under `node`.
    pub fn all(node: &Handle, tag: &str) -> Vec<Handle> {
        Self::elements(node)
            .into_iter()
            .filter(|e| Self::name(e) == tag)
            .collect()
    }

    pub fn root(&self) -> &Handle {
        &self.0
    }
}

fn report(dir: &std::path::Path) -> String {
    let o = ftlsite(dir, &["report", "--site", "site", "--out", "status"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        text(&o).contains("0 error(s), 15 warning(s)"),
        "{}",
        text(&o)
    );
    std::fs::read_to_string(dir.join("status/index.html")).unwrap()
}

#[test]
fn dashboard_shows_every_locale_page_and_file() {
    let (dir, _) = fixture_copy();
    let html = report(dir.path());
    assert!(!html.contains("<script"), "readable without JavaScript");
    assert!(!html.contains("<link"), "no file besides itself");
    let doc = Doc::parse(&html);

    // Per locale: its own name with its lang, and the counts.
    for (code, name, counts) in [
        ("zh-CN", "简体中文", [19, 0, 1, 0, 0, 1]),
        ("de", "Deutsch", [17, 2, 1, 2, 0, 3]),
        ("zh-TW", "繁體中文", [8, 11, 0, 4, 0, 11]),
    ] {
        let card = doc.by_id(&format!("locale-{code}"));
        let bdi = &Doc::all(&card, "bdi")[0];
        assert_eq!(Doc::attr(bdi, "lang").as_deref(), Some(code));
        assert_eq!(Doc::text(bdi), name);
        let pairs: Vec<(String, String)> = Doc::all(&card, "dt")
            .iter()
            .zip(Doc::all(&card, "dd").iter())
            .map(|(t, d)| (Doc::text(t), Doc::text(d)))
            .collect();
        let want: Vec<(String, String)> = [
            "translated",
            "missing",
            "stale",
            "fallback",
            "errors",
            "warnings",
        ]
        .iter()
        .zip(counts)
        .map(|(l, n)| (l.to_string(), n.to_string()))
        .collect();
        assert_eq!(pairs, want, "{code}");
    }
    assert!(Doc::text(&doc.by_id("locale-de")).contains("89.5% translated (17 of 19)"));

    // Per page and locale, a status; the cells that are not plainly published link to their
    // reasons, which name the messages.
    let table = &Doc::all(doc.root(), "table")[0];
    let rows: Vec<Vec<String>> = Doc::all(table, "tr")
        .iter()
        .skip(1)
        .map(|tr| {
            let mut cells: Vec<String> = Doc::all(tr, "td").iter().map(Doc::text).collect();
            cells.insert(0, Doc::text(&Doc::all(tr, "code")[0]));
            cells
        })
        .collect();
    assert_eq!(
        rows,
        [
            ["index.html", "published", "fallback", "fallback"],
            ["about/index.html", "published", "fallback", "held back"],
            ["contact.html", "published", "published", "held back"],
        ]
    );
    let ids: BTreeSet<String> = Doc::elements(doc.root())
        .iter()
        .filter_map(|e| Doc::attr(e, "id"))
        .collect();
    let mut links = 0;
    for a in Doc::all(doc.root(), "a") {
        let href = Doc::attr(&a, "href").unwrap();
        let target = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{href} leaves the page"));
        assert!(ids.contains(target), "{href} has no target");
        links += 1;
    }
    assert!(links > 10);
    let held = Doc::text(&doc.by_id("s-1-zh-TW"));
    assert!(
        held.contains("6 of 13 message(s) translated (46.2%), 60% required"),
        "{held}"
    );
    assert!(
        held.contains("Missing from a ## Required group: about-title"),
        "{held}"
    );
    assert!(
        held.contains("about-lead locales/en-US/about.ftl:7"),
        "{held}"
    );
    let fallback = Doc::text(&doc.by_id("s-0-zh-TW"));
    assert!(
        fallback.contains("home-news from zh-CN locales/en-US/home.ftl:8"),
        "{fallback}"
    );

    // Per file, the missing ids where the source defines them and the stale ones where the
    // translation is.
    let de = Doc::text(&doc.by_id("files-de"));
    assert!(
        de.contains("locales/de/home.ftl Missing (1) home-news locales/en-US/home.ftl:8"),
        "{de}"
    );
    assert!(de.contains("locales/de/about.ftl Missing (1) about-history locales/en-US/about.ftl:9 Stale (1) about-team locales/de/about.ftl:3"), "{de}");
    assert!(Doc::text(&doc.by_id("files-zh-TW")).contains("locales/zh-TW/contact.ftl Missing (3)"));

    // The same inputs give the same page.
    assert_eq!(report(dir.path()), html);
}
