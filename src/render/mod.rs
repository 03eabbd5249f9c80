//! Render stage: templates plus catalogs into one page set per locale, the shared assets, the
//! sitemap and the root language picker. [`render`] returns them in memory as a
//! [`RenderedSite`]; [`render_to`] streams them to a [`Sink`] as they are rendered.
//!
//! Rendering is a pure function of the loaded site: nothing here touches the disk itself, which
//! lets `serve` and the tests render without writing.

mod activation;
mod edit;
mod env;
pub mod inputs;
mod links;
pub mod localize;
mod memo;
mod sitemap;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use minijinja::value::Value;
use minijinja::Environment;
use serde::Serialize;

use crate::catalog::Catalogs;
use crate::diagnostics::{Code, Diagnostic};
use crate::site::Site;
pub use env::{Failure, Used, UsedFallbacks};

/// The message ids a page formatted, each shared by every page that formats it.
pub type MessageIds = BTreeSet<std::sync::Arc<str>>;
pub use links::{check_links, page_links, relative_prefix, Dangling, Link, PageLinks};
pub use localize::{ArgValue, Fallback, Localizer};

/// Options for one render.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Use the fallback chain for missing messages instead of failing.
    pub allow_fallback: bool,
    /// Render only share `.0` (0-based) of `.1` shares of the pages; shared files (assets,
    /// sitemap, root page) are written by every shard, identically.
    pub shard: Option<(usize, usize)>,
    /// Wrap every `t()` result in `<span data-l10n-id="ID" title="ID">` (live preview only).
    pub ids: bool,
    /// Mark every localized text for the in-context editor, attributes and `<title>` included
    /// (`serve --edit` only; see the `edit` module).
    pub edit: bool,
    /// Pseudo-locales to render; [`crate::pseudo::add`] must have added them to the site.
    pub pseudo: Vec<crate::pseudo::Pseudo>,
    /// Render only these (page index, locale code) pairs — the live preview re-renders just the
    /// pages an edit touches. Shared files are rendered as usual, unless `pages_only`.
    pub only: Option<BTreeSet<(usize, String)>>,
    /// Render the pages alone: no assets, sitemap.xml or root page, and the root page's links
    /// are not checked. The live preview keeps those from its previous build when the page
    /// list, the plan and the language names they are made of are unchanged.
    pub pages_only: bool,
    /// Which pages each locale publishes ([`crate::activation`]); `None` computes the site's
    /// own plan. Pages the plan holds back are not rendered, and a plan with a policy lets
    /// the pages it publishes with fallback use the fallback chain.
    pub activation: Option<Arc<crate::activation::Plan>>,
    /// Pages not rendered because the caller keeps their files from a previous build (an
    /// incremental `build`), by output path. They count as written: their ids and links join
    /// the rendered-page link check, and their fallbacks are listed. Leave them out of `only`.
    pub kept: Option<Arc<BTreeMap<String, KeptPage>>>,
}

/// What the render stage needs of a page it does not render because its file is kept.
#[derive(Clone, Debug, Default)]
pub struct KeptPage {
    /// Its ids and links, for the link check (links to other pages' fragments may break).
    pub links: PageLinks,
    /// `(id, locale used)` of each message it took from a fallback locale.
    pub fallbacks: Vec<(String, String)>,
}

/// The whole output tree in memory: output-relative path → bytes, in path order.
#[derive(Clone, Debug, Default)]
pub struct RenderedSite {
    /// Every file to write.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Pages rendered per locale.
    pub pages_per_locale: BTreeMap<String, usize>,
    /// Messages that came from a fallback locale.
    pub fallbacks: Vec<Fallback>,
    /// The message ids each rendered page formatted, by output path.
    pub usage: BTreeMap<String, MessageIds>,
}

/// What a streamed render produced, besides the files it handed to its sink.
#[derive(Clone, Debug, Default)]
pub struct RenderSummary {
    /// Pages rendered per locale.
    pub pages_per_locale: BTreeMap<String, usize>,
    /// Files handed to the sink.
    pub files: usize,
    /// Messages that came from a fallback locale.
    pub fallbacks: Vec<Fallback>,
    /// The message ids each rendered page formatted, by output path.
    pub usage: BTreeMap<String, MessageIds>,
    /// The ids and links of each rendered page, by output path.
    pub links: BTreeMap<String, PageLinks>,
    /// `(id, locale used)` of the messages each rendered page took from a fallback locale,
    /// for the pages that took any.
    pub page_fallbacks: BTreeMap<String, Vec<(String, String)>>,
}

/// Where a streamed render puts each file as soon as it exists. Called from several threads.
pub trait Sink: Sync {
    /// Stores one output file.
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Called after each page, for progress reporting.
    fn page_done(&self) {}
}

/// Why a render failed.
#[derive(Debug)]
pub enum RenderError {
    /// Template, message or link errors.
    Invalid(Vec<Diagnostic>),
    /// The sink could not store a file.
    Io(String, std::io::Error),
}

#[derive(Serialize)]
struct Alternate {
    lang: String,
    name: String,
    href: String,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    output: &'a str,
    template: &'a str,
    vars: &'a BTreeMap<String, toml::Value>,
}

/// One rendered page: its path, its ids and links, the message ids it formatted and the
/// fallbacks it used.
type RenderedPage = (String, PageLinks, MessageIds, Vec<(String, String)>);

/// Why one page was not rendered and stored.
enum PageError {
    /// A template, message or link error.
    Invalid(Box<Diagnostic>),
    /// The sink could not store the page at this output path.
    Io(String, std::io::Error),
}

struct MemorySink(Mutex<BTreeMap<String, Vec<u8>>>);

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let mut files = self
            .0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?;
        files.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

/// Renders every page of every locale, the assets, sitemap.xml and the root index.html into
/// memory.
pub fn render(
    site: &Site,
    catalogs: &Catalogs,
    opts: &RenderOptions,
) -> Result<RenderedSite, Vec<Diagnostic>> {
    let sink = MemorySink(Mutex::new(BTreeMap::new()));
    match render_to(site, catalogs, opts, &sink) {
        Ok(summary) => Ok(RenderedSite {
            files: sink.0.into_inner().unwrap_or_default(),
            pages_per_locale: summary.pages_per_locale,
            fallbacks: summary.fallbacks,
            usage: summary.usage,
        }),
        Err(RenderError::Invalid(d)) => Err(d),
        Err(RenderError::Io(path, e)) => Err(vec![Diagnostic::new(
            Code::E502,
            format!("cannot keep {path} in memory: {e}"),
        )]),
    }
}

/// Renders every page on all cores, handing each file to `sink` as soon as it is rendered, so
/// a large site is never held in memory. Every template is compiled once and every catalog
/// loaded into one bundle per locale, shared by all threads.
pub fn render_to(
    site: &Site,
    catalogs: &Catalogs,
    opts: &RenderOptions,
    sink: &dyn Sink,
) -> Result<RenderSummary, RenderError> {
    let plan = activation::plan_for(site, catalogs, opts);
    let allow_fallback = opts.allow_fallback || plan.policy.is_some();
    let localizer = Localizer::with_pseudo(site, catalogs, allow_fallback, &opts.pseudo);
    let env = env::environment(site, localizer.clone(), opts.ids, opts.edit);
    let names = language_names(site, &localizer);
    let locales: Vec<&crate::site::Locale> = site.locales().collect();
    // With `only`, its pairs are the candidates (a preview edit renders a few hundred pages of
    // tens of thousands); otherwise every page in every locale.
    let candidates: Vec<(usize, &crate::site::Locale)> = match &opts.only {
        Some(only) => only
            .iter()
            .filter_map(|(i, code)| {
                let l = locales.iter().find(|l| l.code == *code)?;
                (*i < site.pages.len()).then_some((*i, *l))
            })
            .collect(),
        None => (0..site.pages.len())
            .flat_map(|i| locales.iter().map(move |l| (i, *l)))
            .collect(),
    };
    let jobs: Vec<(usize, &crate::site::Locale)> = candidates
        .into_iter()
        .filter(|(i, _)| opts.shard.is_none_or(|(k, n)| i % n == k))
        .filter(|(i, l)| plan.is_published(&site.pages[*i].output, &l.code))
        .collect();
    // Every path the build writes: links that land on one of them without a fragment are
    // settled as each page is rendered, and only the rest is kept for the link check.
    let known = activation::known(site, &plan);
    let render_one = |page: &crate::site::Page, page_ctx: &Value, locale: &crate::site::Locale| {
        let path = format!("{}/{}", locale.code, page.output);
        let (html, used, fallbacks) =
            render_page(site, &env, &names, &plan, (page, page_ctx), locale, &path)
                .map_err(PageError::Invalid)?;
        let html = activation::repoint(site, &plan, &path, html);
        // A sink failure is an I/O error (disk full, permissions), not a content error.
        sink.put(&path, html.as_bytes())
            .map_err(|e| PageError::Io(path.clone(), e))?;
        sink.page_done();
        let links = links::settle(site, &known, &path, links::page_links(&html));
        Ok((path, links, used, fallbacks))
    };
    // A page's locales are rendered together, from one copy of its `page` value.
    let render_pages = || -> Vec<Result<RenderedPage, PageError>> {
        let render_one = &render_one;
        jobs.par_chunk_by(|a, b| a.0 == b.0)
            .flat_map_iter(|group| {
                let page = &site.pages[group[0].0];
                let page_ctx = page_value(page);
                group
                    .iter()
                    .map(move |&(_, locale)| render_one(page, &page_ctx, locale))
            })
            .collect()
    };
    // The shared files depend on the page list and the plan only: made while pages render.
    let shared_files = || -> (Vec<(String, Vec<u8>)>, Option<PageLinks>) {
        let mut shared: Vec<(String, Vec<u8>)> = site
            .files_under("assets/")
            .filter(|_| !opts.pages_only)
            .map(|(_, p, b)| (p.to_string(), b.to_vec()))
            .collect();
        let mut root_links = None;
        if !opts.pages_only && !site.pages.is_empty() {
            shared.push((
                "sitemap.xml".into(),
                sitemap::sitemap(site, &plan).into_bytes(),
            ));
            let root = sitemap::root_page(site, &names, &plan);
            root_links = Some(links::page_links(&root));
            shared.push(("index.html".into(), root.into_bytes()));
        }
        (shared, root_links)
    };
    let (results, (shared, root_links)) = rayon::join(render_pages, shared_files);
    let mut diags = Vec::new();
    let mut io_error: Option<(String, std::io::Error)> = None;
    let mut summary = RenderSummary::default();
    for l in &locales {
        summary.pages_per_locale.insert(l.code.clone(), 0);
    }
    // Gathered in lists and turned into maps at once (sorted, built bottom-up).
    let mut usage = Vec::with_capacity(results.len());
    let mut page_fallbacks = Vec::new();
    let mut pages = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok((path, links, used, fallbacks)) => {
                if let Some((code, _)) = path.split_once('/') {
                    if let Some(n) = summary.pages_per_locale.get_mut(code) {
                        *n += 1;
                    } else {
                        summary.pages_per_locale.insert(code.to_string(), 1);
                    }
                }
                usage.push((path.clone(), used));
                if !fallbacks.is_empty() {
                    page_fallbacks.push((path.clone(), fallbacks));
                }
                pages.push((path, links));
            }
            Err(PageError::Invalid(d)) => diags.push(*d),
            // Report the first failing path, so the message does not depend on thread timing.
            Err(PageError::Io(path, e)) => {
                if io_error.as_ref().is_none_or(|(first, _)| path < *first) {
                    io_error = Some((path, e));
                }
            }
        }
    }
    if let Some((path, e)) = io_error {
        return Err(RenderError::Io(path, e));
    }
    summary.files = pages.len();
    summary.usage = usage.into_iter().collect();
    summary.page_fallbacks = page_fallbacks.into_iter().collect();
    let mut fallbacks: BTreeSet<Fallback> = BTreeSet::new();
    for (path, kept) in opts.kept.iter().flat_map(|k| k.iter()) {
        if let Some((code, _)) = path.split_once('/') {
            *summary
                .pages_per_locale
                .entry(code.to_string())
                .or_default() += 1;
            fallbacks.extend(kept.fallbacks.iter().map(|(id, used)| Fallback {
                locale: code.to_string(),
                id: id.clone(),
                used: used.clone(),
            }));
        }
        pages.push((path.clone(), kept.links.clone()));
    }
    if let Some(root) = root_links {
        pages.push(("index.html".into(), root));
    }
    let pages: BTreeMap<String, PageLinks> = pages.into_iter().collect();
    for dangling in check_links(site, &known, &pages) {
        diags.push(link_diagnostic(site, &env, &names, &plan, &dangling));
    }
    // Also holds the kept pages and the root page: the cache reads only the rendered ones.
    summary.links = pages;
    if !diags.is_empty() {
        crate::diagnostics::sort(&mut diags, &site.files);
        return Err(RenderError::Invalid(diags));
    }
    for (path, bytes) in &shared {
        sink.put(path, bytes)
            .map_err(|e| RenderError::Io(path.clone(), e))?;
    }
    summary.files += shared.len();
    fallbacks.extend(localizer.fallbacks());
    summary.fallbacks = fallbacks.into_iter().collect();
    Ok(summary)
}

/// E504 for a link of a rendered page, placed at the template source that wrote it: the page
/// is rendered once more with MiniJinja's output spans, and the span holding the link's value
/// names the template and the range.
fn link_diagnostic(
    site: &Site,
    env: &Environment<'static>,
    names: &BTreeMap<String, String>,
    plan: &crate::activation::Plan,
    dangling: &Dangling,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E504,
        format!("{} (on {})", dangling.message, dangling.page),
    );
    let (locale, rel) = dangling
        .page
        .split_once('/')
        .unwrap_or(("", dangling.page.as_str()));
    let page = site.pages.iter().find(|p| p.output == rel);
    let locale = site.locales().find(|l| l.code == locale);
    let (Some(page), Some(locale)) = (page, locale) else {
        return d;
    };
    let d = d.locale(&locale.code);
    let Ok(template) = env.get_template(&page.template) else {
        return d;
    };
    let ctx = context(
        site,
        names,
        plan,
        page,
        &page_value(page),
        locale,
        &dangling.page,
    );
    let Ok((output, spans)) = template.render_with_spans(ctx) else {
        return d;
    };
    let Some(at) = links::link_offset(&output, dangling.link.index) else {
        return d;
    };
    let Some(span) = spans.iter().find(|s| s.output_range().contains(&at)) else {
        return d;
    };
    match site.files.id(&format!("templates/{}", span.name())) {
        Some(file) => d.at(file, span.source_range()),
        None => d,
    }
}

/// A page's HTML, the message ids it formatted and the `(id, locale used)` of its fallbacks.
type PageOutput = (String, MessageIds, Vec<(String, String)>);

/// One rendered page, the message ids it formatted and the fallbacks it used. `page` comes
/// with its [`page_value`], made once for all its locales.
fn render_page(
    site: &Site,
    env: &Environment<'static>,
    names: &BTreeMap<String, String>,
    plan: &crate::activation::Plan,
    (page, page_ctx): (&crate::site::Page, &Value),
    locale: &crate::site::Locale,
    path: &str,
) -> Result<PageOutput, Box<Diagnostic>> {
    let ctx = context(site, names, plan, page, page_ctx, locale, path);
    let captured = env
        .get_template(&page.template)
        .and_then(|t| t.render_captured(ctx))
        .map_err(|e| Box::new(env::diagnostic(site, &e, &locale.code, path)))?;
    let mut captured = captured;
    let (used, fallbacks, marks) = captured.with_state_mut(|s| {
        let used = s
            .get_extension_mut::<Used>()
            .map(Used::take)
            .unwrap_or_default();
        let fallbacks = s
            .get_extension_mut::<UsedFallbacks>()
            .map(|u| std::mem::take(&mut u.0).into_iter().collect())
            .unwrap_or_default();
        let marks = s
            .get_extension_mut::<edit::AttrMarks>()
            .map(|m| std::mem::take(&mut m.0));
        (used, fallbacks, marks)
    });
    let html = match marks {
        Some(marks) => edit::annotate(captured.output(), &marks),
        None => captured.into_output(),
    };
    Ok((html, used, fallbacks))
}

/// The template context of one page in one locale.
fn context(
    site: &Site,
    names: &BTreeMap<String, String>,
    plan: &crate::activation::Plan,
    page: &crate::site::Page,
    page_ctx: &Value,
    locale: &crate::site::Locale,
    path: &str,
) -> Value {
    let root = relative_prefix(path);
    let alternates = activation::alternates(site, names, plan, page, locale, &root);
    let fallback = activation::fallback(plan, page, locale);
    let x_default = alternates
        .first()
        .map(|a| a.url.clone())
        .unwrap_or_default();
    minijinja::context! {
        lang => &locale.code,
        dir => localize::direction(&locale.id),
        root => &root,
        page => page_ctx.clone(),
        alternates => Value::from(minijinja::value::Serde(&alternates)),
        x_default => x_default,
        canonical => absolute(site, path),
        fallback => Value::from(minijinja::value::Serde(&fallback)),
    }
}

/// A page's `page` value (its output path, template and variables), the same in every locale.
fn page_value(page: &crate::site::Page) -> Value {
    Value::from(minijinja::value::Serde(PageCtx {
        output: &page.output,
        template: &page.template,
        vars: &page.vars,
    }))
}

/// Each locale's name in its own language, from its `language-name` message.
fn language_names(site: &Site, localizer: &Localizer) -> BTreeMap<String, String> {
    site.locales()
        .map(|l| {
            let name = localizer
                .format(&l.code, "language-name", &[], false)
                .map(|f| f.text)
                .unwrap_or_else(|_| l.code.clone());
            (l.code.clone(), name)
        })
        .collect()
}

/// The absolute URL of an output path when the site has a base URL.
fn absolute(site: &Site, path: &str) -> Option<String> {
    site.base_url.as_ref().map(|b| format!("{b}{path}"))
}
