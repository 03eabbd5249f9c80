//! E504, decided without rendering: every `href` and `src` written literally in a template
//! (layouts and includes too) is resolved from each page that uses the template, in every
//! locale, and must land on a file the build writes (and a `#fragment` on an id the target
//! page's templates write). Reported once per place, at the template file and line where the
//! link is written. Links built from template values are checked after rendering.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::links::{self, Target};
use crate::site::Site;
use crate::template::Templates;

/// What the link check needs of one page template, worked out once however many pages use it:
/// the literal ids its closure writes (`None` when some id is computed, so any fragment may
/// exist), and the literal `href`/`src` attributes of its closure with their files.
struct Shape<'t> {
    ids: Option<BTreeSet<&'t str>>,
    links: Vec<(FileId, &'t crate::template::LiteralAttr)>,
}

fn shape<'t>(templates: &'t Templates, name: &'t str) -> Shape<'t> {
    let closure = templates.closure(name);
    let used: Vec<_> = closure
        .iter()
        .filter_map(|n| templates.by_name.get(*n))
        .collect();
    let ids = (!used.iter().any(|t| t.dynamic_ids)).then(|| {
        used.iter()
            .flat_map(|t| t.attrs.iter())
            .filter(|a| a.name == "id" || a.name == "name")
            .map(|a| a.value.as_str())
            .collect()
    });
    let links = used
        .iter()
        .filter_map(|t| Some((t.file?, t)))
        .flat_map(|(file, t)| {
            t.attrs
                .iter()
                .filter(|a| a.name == "href" || a.name == "src")
                .map(move |a| (file, a))
        })
        .collect();
    Shape { ids, links }
}

/// Runs the link check over the templates of every page.
pub fn check(site: &Site, templates: &Templates, diags: &mut Vec<Diagnostic>) {
    let known = links::outputs(site);
    let mut shapes: BTreeMap<&str, Shape<'_>> = BTreeMap::new();
    for page in &site.pages {
        shapes
            .entry(page.template.as_str())
            .or_insert_with(|| shape(templates, &page.template));
    }
    // Fragment targets per page output (relative to the locale folder).
    let ids: BTreeMap<&str, Option<&BTreeSet<&str>>> = site
        .pages
        .iter()
        .map(|p| {
            let set = shapes.get(p.template.as_str()).and_then(|s| s.ids.as_ref());
            (p.output.as_str(), set)
        })
        .collect();
    let mut reported: BTreeSet<(FileId, usize)> = BTreeSet::new();
    for page in &site.pages {
        let Some(shape) = shapes.get(page.template.as_str()) else {
            continue;
        };
        for &(file, a) in &shape.links {
            if reported.contains(&(file, a.span.start)) {
                continue;
            }
            let problem = site.locales().find_map(|l| {
                let from = format!("{}/{}", l.code, page.output);
                // `{{ root }}path` leads from the page back to the output root.
                let url = if a.from_root {
                    format!("{}{}", crate::links::relative_prefix(&from), a.value)
                } else {
                    a.value.clone()
                };
                problem(site, &known, &ids, &from, &url).map(|p| format!("{p} (on {from})"))
            });
            if let Some(message) = problem {
                reported.insert((file, a.span.start));
                diags.push(Diagnostic::new(Code::E504, message).at(file, a.span.clone()));
            }
        }
    }
}

/// What is wrong with `url` written on the page at `from`, if anything.
pub fn problem(
    site: &Site,
    known: &BTreeSet<String>,
    ids: &BTreeMap<&str, Option<&BTreeSet<&str>>>,
    from: &str,
    url: &str,
) -> Option<String> {
    match links::resolve(site, from, url) {
        Target::External => None,
        Target::Script => Some(format!("`{url}` is not a link to a page")),
        Target::Empty => Some("the link is empty".to_string()),
        Target::Outside => Some(format!("`{url}` leads outside the site")),
        Target::Path(path, fragment) => {
            if !known.contains(&path) {
                return Some(format!(
                    "`{url}` resolves to `{path}`, which is not generated"
                ));
            }
            let fragment = fragment.filter(|f| !f.is_empty())?;
            let rel = path.split_once('/').map_or(path.as_str(), |(_, r)| r);
            match ids.get(rel) {
                Some(Some(set)) if !set.contains(fragment.as_str()) => {
                    Some(format!("`{url}`: no id `{fragment}` on `{path}`"))
                }
                _ => None,
            }
        }
    }
}
