//! Activation in the render stage: only the (page, locale) pairs the [`Plan`] publishes are
//! rendered, every list of locales a page shows (the switcher, hreflang alternates, the
//! sitemap, the root language picker) comes from the published set, and a link to a page that
//! is not published in its locale is re-pointed to the same page in the first locale of that
//! locale's fallback chain that publishes it. The rendered-page link check then runs against
//! the published outputs only, so it proves no link leads to a page that was not written.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::activation::{FallbackId, Plan};
use crate::catalog::Catalogs;
use crate::html::{self, Node};
use crate::links::{relative_prefix, Target};
use crate::site::{Locale, Page, Site};

use super::{absolute, Alternate, RenderOptions};

/// The plan of a render: the one given in the options, or the site's own (what `check` would
/// decide, with the record as it is) when none is given.
pub(super) fn plan_for(site: &Site, catalogs: &Catalogs, opts: &RenderOptions) -> Arc<Plan> {
    if let Some(plan) = &opts.activation {
        return plan.clone();
    }
    let (templates, _) = crate::template::analyze(site);
    let record = crate::activation::record::read(site).unwrap_or_default();
    Arc::new(crate::activation::plan(site, catalogs, &templates, &record))
}

/// The locales `page` is published in, in site order (the source first).
pub(super) fn published_locales<'a>(
    site: &'a Site,
    plan: &'a Plan,
    page: &'a Page,
) -> impl Iterator<Item = &'a Locale> + 'a {
    site.locales()
        .filter(move |l| plan.is_published(&page.output, &l.code))
}

/// The `alternates` of a page's context: one entry per locale that publishes the page.
pub(super) fn alternates(
    site: &Site,
    names: &BTreeMap<String, String>,
    plan: &Plan,
    page: &Page,
    locale: &Locale,
    root: &str,
) -> Vec<Alternate> {
    published_locales(site, plan, page)
        .map(|l| {
            let rel = format!("{}{}/{}", root, l.code, page.output);
            Alternate {
                lang: l.code.clone(),
                name: names
                    .get(&l.code)
                    .cloned()
                    .unwrap_or_else(|| l.code.clone()),
                url: absolute(site, &format!("{}/{}", l.code, page.output))
                    .unwrap_or_else(|| rel.clone()),
                href: rel,
                current: l.code == locale.code,
            }
        })
        .collect()
}

/// The `fallback` of a page's context: the messages it takes from other locales.
pub(super) fn fallback(plan: &Plan, page: &Page, locale: &Locale) -> Vec<FallbackId> {
    plan.fallback(&page.output, &locale.code).to_vec()
}

/// Every path the full build writes: [`crate::links::outputs`] without the pages the plan
/// does not publish.
pub(super) fn known(site: &Site, plan: &Plan) -> BTreeSet<String> {
    let mut known = crate::links::outputs(site);
    if plan.holds_back_any() {
        for page in &plan.pages {
            for (locale, status) in &page.locales {
                if !status.is_published() {
                    known.remove(&format!("{locale}/{}", page.output));
                }
            }
        }
    }
    known
}

/// `page` (written at output path `from`) with every `href` and `src` that leads to a page not
/// published in its locale pointing at the locale that stands in for it
/// ([`Plan::link_locale`]); the fragment is kept. Returns the page unchanged when the plan
/// publishes everything ([`Plan::holds_back_any`], decided when the plan is made).
pub(super) fn repoint(site: &Site, plan: &Plan, from: &str, page: String) -> String {
    if !plan.holds_back_any() {
        return page;
    }
    let mut changed = false;
    let out = html::map_nodes(&page, |node, body| {
        let Node::Start(tag) = node else { return None };
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for a in &tag.attrs {
            if a.name != "href" && a.name != "src" {
                continue;
            }
            let Some(span) = a.value_span.clone() else {
                continue;
            };
            let Target::Path(target, fragment) = crate::links::resolve(site, from, &a.value) else {
                continue;
            };
            let Some((locale, output)) = target.split_once('/') else {
                continue;
            };
            if plan.status(output, locale).is_none_or(|s| s.is_published()) {
                continue;
            }
            let to = plan.link_locale(site, output, locale);
            let mut url = format!("{}{to}/{output}", relative_prefix(from));
            if let Some(f) = fragment {
                url.push('#');
                url.push_str(&f);
            }
            let start = span.start.checked_sub(tag.span.start)?;
            let end = span.end.checked_sub(tag.span.start)?;
            edits.push((start..end, html::escape(&url)));
        }
        if edits.is_empty() {
            return None;
        }
        let mut text = body.to_string();
        for (range, value) in edits.into_iter().rev() {
            text.get(range.clone())?;
            text.replace_range(range, &value);
        }
        changed = true;
        Some(text)
    });
    if changed {
        out
    } else {
        page
    }
}
