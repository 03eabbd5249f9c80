//! Preview builds: the site through `site::load` → `catalog::load` → `validate::run` →
//! `render::render` into memory, and incremental rebuilds after `.ftl` edits.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::{http, Files, Options, Outcome, Problem};
use crate::diagnostics::{Code, Diagnostic};
use crate::render::{self, RenderOptions};
use crate::site::{self, LoadError, SiteSource};
use crate::template::{self, Templates};
use crate::{catalog, validate};

/// Builds the site in memory. Only errors stop a preview build (warnings do not), and an I/O
/// error becomes a problem too: bad input never stops the server.
pub fn build(source: &SiteSource, opts: &Options) -> Outcome {
    Builder::new(source.clone(), opts.clone()).build(None)
}

/// Preview builds that remember the previous one, so that an edit re-renders only the pages
/// it can change:
///
/// - `.ftl` files: the pages that format a message whose text changed (or a message referring
///   to it);
/// - templates: the pages whose template is the edited one or uses it, through `extends`,
///   `include` and `import`, transitively;
/// - `pages/*.toml`: the pages whose template or variables changed, as long as the list of
///   output paths is the same.
///
/// Everything else — site.toml, assets, lock files, the glossary, a page added, removed or
/// renamed, a template that names another by a computed value, a change of any page's
/// activation status or of a language name, pseudo-locales — renders everything. Every build
/// validates the whole site, as `check` does, so the problems shown never depend on which
/// pages were re-rendered.
pub struct Builder {
    source: SiteSource,
    opts: Options,
    prev: Option<Prev>,
    rendered: usize,
    /// Whether the latest build failed (its files are not those of `prev`).
    failed: bool,
    /// Paths changed since `prev` was built: those of the builds that failed since then. The
    /// next build takes them with its own, so no edit is forgotten.
    pending: BTreeSet<String>,
    /// Builds that gave up in a row ([`Outcome::Superseded`]).
    superseded: usize,
    /// Whether `prev` holds a successful build that was not published (it was superseded):
    /// the next build then publishes even if nothing changed since.
    unpublished: bool,
    /// The second stage of the last incremental build's validation, left for
    /// [`settle`](Builder::settle).
    unsettled: Option<Unsettled>,
}

/// What an incremental build leaves until its pages are served: its QA warnings
/// ([`validate::Gate::finish`]) and the status dashboard made from them, and
/// freeing what the previous build held.
struct Unsettled {
    gate: validate::Gate,
    garbage: (catalog::Catalogs, Option<site::Site>),
}

/// How many builds in a row may give up for newer changes.
pub const MAX_SUPERSEDED: usize = 3;

struct Prev {
    site: site::Site,
    catalogs: catalog::Catalogs,
    /// The activation plan the pages were rendered with.
    plan: Arc<crate::activation::Plan>,
    /// The static model of the templates the pages were rendered with.
    templates: Templates,
    /// The template link check's findings ([`validate::Gate::links`]), which an edit of
    /// `.ftl` files alone takes over.
    links: Vec<Diagnostic>,
    files: Arc<Files>,
    usage: BTreeMap<String, crate::render::MessageIds>,
}

/// What a set of changed paths asks an incremental build to redo.
#[derive(Default)]
struct Changes {
    ftl: bool,
    templates: BTreeSet<String>,
    pages: bool,
}

impl Changes {
    /// Sorts the changed paths; `None` when one of them needs a full build.
    fn of<'a>(changed: impl Iterator<Item = &'a String>) -> Option<Changes> {
        let mut c = Changes::default();
        for p in changed {
            if p.starts_with("locales/") && p.ends_with(".ftl") {
                c.ftl = true;
            } else if let Some(name) = p.strip_prefix("templates/") {
                c.templates.insert(name.to_string());
            } else if p.starts_with("pages/") && p.ends_with(".toml") {
                c.pages = true;
            } else {
                return None;
            }
        }
        Some(c)
    }
}

impl Builder {
    /// A builder with no previous build.
    pub fn new(source: SiteSource, opts: Options) -> Builder {
        Builder {
            source,
            opts,
            prev: None,
            rendered: 0,
            failed: false,
            pending: BTreeSet::new(),
            superseded: 0,
            unpublished: false,
            unsettled: None,
        }
    }

    /// Whether the last build's warnings and dashboard are still to be made
    /// ([`settle`](Self::settle)).
    pub fn is_settling(&self) -> bool {
        self.unsettled.is_some()
    }

    /// Completes the last incremental build once its pages are served: its QA warnings and
    /// the status dashboard, which shows them. Returns the build's files with the
    /// new dashboard, or `None` when there is nothing to complete. A build settles the
    /// previous one first if nobody did, so the dashboard is never lost, only late.
    ///
    /// Only warnings are left for later (errors stop a build before it renders), so the
    /// pages served before this are exactly those of the finished build.
    pub fn settle(&mut self) -> Option<Arc<Files>> {
        let Unsettled { gate, garbage } = self.unsettled.take()?;
        drop(garbage);
        let prev = self.prev.as_mut()?;
        let report = gate.finish(&prev.site, &prev.catalogs);
        let status = crate::report::dashboard(&prev.site, &prev.catalogs, &report);
        let mut files = Files::clone(&prev.files);
        files.insert(Arc::from(http::STATUS_FILE), Arc::from(status.into_bytes()));
        let files = Arc::new(files);
        prev.files = files.clone();
        Some(files)
    }

    /// The site and catalogs of the last successful build, as loaded (without pseudo-locales):
    /// what the in-context editor validates an edit against.
    pub fn loaded(&self) -> Option<(&site::Site, &catalog::Catalogs)> {
        self.prev.as_ref().map(|p| (&p.site, &p.catalogs))
    }

    /// The options this builder builds with.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Renders page `page` of `locale` alone from `site` and `catalogs` (loaded like
    /// [`loaded`](Self::loaded)'s), with this builder's marks and fallback rules: the variant
    /// preview of the editor. `None` when the page or locale does not exist.
    pub fn render_page(
        &self,
        site: &site::Site,
        catalogs: &catalog::Catalogs,
        page: usize,
        locale: &str,
    ) -> Option<Result<Vec<u8>, Vec<Problem>>> {
        let output = format!("{locale}/{}", site.pages.get(page)?.output);
        site.locales().find(|l| l.code == locale)?;
        let only = BTreeSet::from([(page, locale.to_string())]);
        let plan = self
            .prev
            .as_ref()
            .map(|p| p.plan.clone())
            .unwrap_or_default();
        Some(
            match render::render(site, catalogs, &self.render_options(Some(only), &plan)) {
                Ok(mut r) => Ok(r.files.remove(&output).unwrap_or_default()),
                Err(diags) => Err(diags.iter().map(|d| Problem::new(d, &site.files)).collect()),
            },
        )
    }

    /// How many pages the last successful build rendered (all of them, or only those an
    /// incremental build found affected).
    pub fn rendered_pages(&self) -> usize {
        self.rendered
    }

    /// Builds the site. `changed` holds the site-relative paths that changed since the last
    /// build, when the watcher knows them; `None` means "anything may have changed".
    pub fn build(&mut self, changed: Option<&BTreeSet<String>>) -> Outcome {
        self.build_unless(changed, &mut || false)
    }

    /// Like [`build`](Self::build), but gives up with [`Outcome::Superseded`] when `newer`
    /// says that more changes have arrived once the changed files are read or the catalogs
    /// loaded, before the site is validated, or once the build is done: its result would show
    /// a state the folder has already left (an editor that truncates a file, then writes it).
    /// At most [`MAX_SUPERSEDED`] builds in a row give up, so a folder that never stops
    /// changing is still built.
    pub fn build_unless(
        &mut self,
        changed: Option<&BTreeSet<String>>,
        newer: &mut dyn FnMut() -> bool,
    ) -> Outcome {
        let changed = changed.map(|c| {
            let mut all = self.pending.clone();
            all.extend(c.iter().cloned());
            all
        });
        self.settle();
        let may_give_up = self.superseded < MAX_SUPERSEDED;
        let mut newer = || may_give_up && newer();
        let outcome = match self.incremental(changed.as_ref(), &mut newer) {
            Some(outcome) => outcome,
            None => self.full(),
        };
        match &outcome {
            Outcome::Built(_) => {
                self.failed = false;
                self.unpublished = false;
                self.pending.clear();
            }
            Outcome::Failed(_) => {
                self.failed = true;
                self.pending.extend(changed.into_iter().flatten());
            }
            Outcome::Superseded => self.pending.extend(changed.into_iter().flatten()),
            Outcome::Unchanged => self.pending.clear(),
        }
        // A result that newer changes already overtake (a file caught half-written, which may
        // even build) is not published: the follow-up build publishes everything since.
        let outcome = match outcome {
            Outcome::Built(_) | Outcome::Failed(_) if newer() => {
                if !self.failed {
                    self.unpublished = true;
                }
                Outcome::Superseded
            }
            outcome => outcome,
        };
        self.superseded = match outcome {
            Outcome::Superseded => self.superseded + 1,
            _ => 0,
        };
        outcome
    }

    fn full(&mut self) -> Outcome {
        let mut site = match site::load(&self.source) {
            Ok(s) => s,
            Err(LoadError::Invalid {
                mut diagnostics,
                sources,
            }) => {
                crate::diagnostics::sort(&mut diagnostics, &sources);
                return Outcome::Failed(
                    diagnostics
                        .iter()
                        .map(|d| Problem::new(d, &sources))
                        .collect(),
                );
            }
            Err(e @ LoadError::Io { .. }) => {
                return Outcome::Failed(vec![Problem {
                    line: format!("error: {e}"),
                    help: "check that the site folder is readable".into(),
                }])
            }
        };
        site.retain_targets(&self.opts.locales);
        let (mut catalogs, load_diags) = catalog::load(&site);
        let gate = validate::gate(&site, &catalogs, load_diags);
        let problems = problems(&gate.errors(&site), &site, self.opts.edit);
        if !problems.is_empty() {
            return Outcome::Failed(problems);
        }
        let links = gate.links().to_vec();
        let report = gate.finish(&site, &catalogs);
        let status = crate::report::dashboard(&site, &catalogs, &report);
        let plan = report.activation;
        let plain = (site.clone(), catalogs.clone());
        crate::pseudo::add(&mut site, &mut catalogs, &self.opts.pseudo);
        match render::render(&site, &catalogs, &self.render_options(None, &plan)) {
            Ok(rendered) => {
                let mut files: Files = rendered
                    .files
                    .into_iter()
                    .map(|(path, bytes)| (Arc::from(path), Arc::from(bytes)))
                    .collect();
                files.insert(Arc::from(http::STATUS_FILE), Arc::from(status.into_bytes()));
                let files = Arc::new(files);
                self.rendered = rendered.usage.len();
                self.prev = Some(Prev {
                    templates: template::analyze(&plain.0).0,
                    site: plain.0,
                    catalogs: plain.1,
                    plan,
                    links,
                    files: files.clone(),
                    usage: rendered.usage,
                });
                Outcome::Built(files)
            }
            Err(diags) => {
                Outcome::Failed(diags.iter().map(|d| Problem::new(d, &site.files)).collect())
            }
        }
    }

    fn render_options(
        &self,
        only: Option<BTreeSet<(usize, String)>>,
        plan: &Arc<crate::activation::Plan>,
    ) -> RenderOptions {
        RenderOptions {
            activation: Some(plan.clone()),
            ids: self.opts.ids,
            edit: self.opts.edit,
            allow_fallback: self.opts.edit,
            pseudo: self.opts.pseudo.clone(),
            only,
            ..Default::default()
        }
    }

    /// The fast path: only `.ftl` files, templates and page files changed, a previous build
    /// exists and no pseudo-locale is derived from the source. `None` means "do a full build".
    fn incremental(
        &mut self,
        changed: Option<&BTreeSet<String>>,
        newer: &mut dyn FnMut() -> bool,
    ) -> Option<Outcome> {
        let mut prev = self.prev.take()?;
        let mut undo = Vec::new();
        let outcome = self.incremental_on(&mut prev, &mut undo, changed, newer);
        if !matches!(outcome, Some(Outcome::Built(_))) {
            // The previous build stays the last good one: put its files back.
            for (path, bytes) in undo.into_iter().rev() {
                match bytes {
                    Some(bytes) => {
                        prev.site.files.insert(path, bytes);
                    }
                    None => {
                        prev.site.files.remove(&path);
                    }
                }
            }
        }
        self.prev = Some(prev);
        outcome
    }

    /// [`incremental`](Self::incremental) on the previous build, whose site it edits in place
    /// (no copy of its pages and file table per build), recording in `undo` each file's
    /// previous bytes.
    fn incremental_on(
        &mut self,
        prev: &mut Prev,
        undo: &mut Vec<(String, Option<Vec<u8>>)>,
        changed: Option<&BTreeSet<String>>,
        newer: &mut dyn FnMut() -> bool,
    ) -> Option<Outcome> {
        let changed = changed.filter(|c| !c.is_empty())?;
        let SiteSource::Dir(dir) = &self.source else {
            return None;
        };
        if !self.opts.pseudo.is_empty() {
            return None;
        }
        let mut read = Vec::with_capacity(changed.len());
        for path in changed {
            match std::fs::read(dir.join(path)) {
                Ok(bytes) => read.push((path, Some(bytes))),
                // A file that came and went between two builds (an editor's temporary copy)
                // changes nothing.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if prev.site.files.contains(path) {
                        read.push((path, None));
                    }
                }
                Err(_) => return None,
            }
        }
        let kinds = Changes::of(read.iter().map(|(path, _)| *path))?;
        let same = read
            .iter()
            .all(|(path, bytes)| prev.site.files.get(path) == bytes.as_deref());
        if same && !self.failed {
            if self.unpublished {
                return Some(Outcome::Built(prev.files.clone()));
            }
            return Some(Outcome::Unchanged);
        }
        if newer() {
            return Some(Outcome::Superseded);
        }
        let loaded = if kinds.pages {
            // Page files are resolved with site.toml: load the folder as a full build does.
            let mut site = site::load(&self.source).ok()?;
            site.retain_targets(&self.opts.locales);
            Some(site)
        } else {
            // Only the changed files are replaced, in place; the caller undoes it if this
            // build does not succeed.
            for (path, bytes) in read {
                let old = prev.site.files.get(path).map(<[u8]>::to_vec);
                match bytes {
                    Some(bytes) => {
                        prev.site.files.insert(path.clone(), bytes);
                    }
                    None => {
                        prev.site.files.remove(path);
                    }
                }
                undo.push((path.clone(), old));
            }
            None
        };
        let site: &site::Site = loaded.as_ref().unwrap_or(&prev.site);
        let (catalogs, load_diags) = catalog::load(site);
        if newer() {
            return Some(Outcome::Superseded);
        }
        // The warnings wait until the pages are served (`settle`): only errors stop a build.
        let gate = if kinds.templates.is_empty() && !kinds.pages {
            let since = validate::Since {
                catalogs: &prev.catalogs,
                links: &prev.links,
                plan: &prev.plan,
            };
            validate::gate_since(site, &catalogs, load_diags, &since)
        } else {
            validate::gate(site, &catalogs, load_diags)
        };
        let problems = problems(&gate.errors(site), site, self.opts.edit);
        if !problems.is_empty() {
            return Some(Outcome::Failed(problems));
        }
        // A page that changes status changes every page that lists its locales.
        if !Arc::ptr_eq(gate.plan(), &prev.plan) && **gate.plan() != *prev.plan {
            return None;
        }
        let index: BTreeMap<&str, usize> = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.output.as_str(), i))
            .collect();
        let mut pages: BTreeSet<usize> = BTreeSet::new();
        let mut only: BTreeSet<(usize, String)> = BTreeSet::new();
        if kinds.ftl {
            let ids = changed_ids(&prev.catalogs, &catalogs);
            // Every page lists the language names.
            if ids.contains("language-name") {
                return None;
            }
            let locales = affected_locales(site, &prev.catalogs, &catalogs);
            for (path, used) in &prev.usage {
                let (locale, output) = path.split_once('/')?;
                // An edit changes a few ids: look them up in each page's set, not the reverse,
                // and only for the pages of a locale the edit reaches.
                let uses_one = || {
                    if ids.len() < used.len() {
                        ids.iter().any(|id| used.contains(id.as_str()))
                    } else {
                        used.iter().any(|id| ids.contains(&**id))
                    }
                };
                if locales.contains(locale) && uses_one() {
                    only.insert((*index.get(output)?, locale.to_string()));
                }
            }
        }
        let templates = template::analyze(site).0;
        if !kinds.templates.is_empty() {
            if templates.by_name.values().any(|t| t.dynamic_uses)
                || prev.templates.by_name.values().any(|t| t.dynamic_uses)
            {
                return None;
            }
            for (i, page) in site.pages.iter().enumerate() {
                let uses = |t: &Templates| {
                    t.closure(&page.template)
                        .iter()
                        .any(|n| kinds.templates.contains(*n))
                };
                if uses(&templates) || uses(&prev.templates) {
                    pages.insert(i);
                }
            }
        }
        if kinds.pages {
            // The same outputs in the same order: each page's links, alternates and sitemap
            // entry are unchanged, so only a page whose own template or variables changed
            // renders differently.
            if site.pages.len() != prev.site.pages.len() {
                return None;
            }
            for (i, (new, old)) in site.pages.iter().zip(&prev.site.pages).enumerate() {
                if new.output != old.output {
                    return None;
                }
                if new.template != old.template || new.vars != old.vars {
                    pages.insert(i);
                }
            }
        }
        let plan = prev.plan.clone();
        only.extend(
            pages
                .iter()
                .flat_map(|&i| site.locales().map(move |l| (i, l.code.clone()))),
        );
        // The page list, the plan and the language names are those of the previous build: so
        // are its assets, sitemap and root page.
        let opts = RenderOptions {
            pages_only: true,
            ..self.render_options(Some(only), &plan)
        };
        let rendered = match render::render(site, &catalogs, &opts) {
            Ok(r) => r,
            Err(diags) => {
                return Some(Outcome::Failed(
                    diags.iter().map(|d| Problem::new(d, &site.files)).collect(),
                ))
            }
        };
        self.rendered = rendered.usage.len();
        // One pointer per file kept; only the re-rendered pages and shared files are new.
        let mut files = Files::clone(&prev.files);
        files.extend(
            rendered
                .files
                .into_iter()
                .map(|(path, bytes)| (Arc::from(path), Arc::from(bytes))),
        );
        // The dashboard of the previous build stays until `settle` replaces it.
        let files = Arc::new(files);
        prev.files = files.clone();
        prev.usage.extend(rendered.usage);
        let old_site = loaded.map(|site| std::mem::replace(&mut prev.site, site));
        let old_catalogs = std::mem::replace(&mut prev.catalogs, catalogs);
        prev.templates = templates;
        prev.links = gate.links().to_vec();
        self.unsettled = Some(Unsettled {
            gate,
            garbage: (old_catalogs, old_site),
        });
        Some(Outcome::Built(files))
    }
}

/// `errors` as overlay problems. With `allow_missing` (the editor's builds, which render with
/// the fallback chain), missing messages and terms (E201, E202) do not count, as under
/// `build --allow-fallback`.
fn problems(errors: &[Diagnostic], site: &site::Site, allow_missing: bool) -> Vec<Problem> {
    errors
        .iter()
        .filter(|d| !(allow_missing && is_missing(d)))
        .map(|d| Problem::new(d, &site.files))
        .collect()
}

/// A missing message or term (E201, E202): what the fallback chain stands in for.
pub fn is_missing(d: &Diagnostic) -> bool {
    matches!(d.code, Code::E201 | Code::E202)
}

/// The locales whose pages can show a change between two loads: those whose catalog changed,
/// and those that fall back to one of them. A change in the source locale, which ends every
/// fallback chain, reaches every locale.
fn affected_locales(
    site: &site::Site,
    old: &catalog::Catalogs,
    new: &catalog::Catalogs,
) -> BTreeSet<String> {
    let changed: BTreeSet<&String> = old
        .locales
        .keys()
        .chain(new.locales.keys())
        .filter(
            |code| match (old.locales.get(*code), new.locales.get(*code)) {
                (Some(a), Some(b)) => {
                    a.entries.len() != b.entries.len()
                        || a.entries
                            .iter()
                            .zip(&b.entries)
                            .any(|((ka, ea), (kb, eb))| {
                                ka != kb
                                    || ea.source(a.file_of(ea).text())
                                        != eb.source(b.file_of(eb).text())
                            })
                }
                (None, None) => false,
                _ => true,
            },
        )
        .collect();
    site.locales()
        .filter(|l| {
            changed.contains(&site.source.code)
                || changed.contains(&l.code)
                || site
                    .fallback
                    .get(&l.code)
                    .is_some_and(|chain| chain.iter().any(|c| changed.contains(c)))
        })
        .map(|l| l.code.clone())
        .collect()
}

/// Message ids (terms as `-id`) whose text differs between two loads in any locale, plus every
/// message that refers to one of them, directly or through other messages and terms.
pub fn changed_ids(old: &catalog::Catalogs, new: &catalog::Catalogs) -> BTreeSet<String> {
    let mut changed = BTreeSet::new();
    let codes: BTreeSet<&String> = old.locales.keys().chain(new.locales.keys()).collect();
    for code in &codes {
        let empty = catalog::Catalog::default();
        let a = old.locales.get(*code).unwrap_or(&empty);
        let b = new.locales.get(*code).unwrap_or(&empty);
        for key in a.entries.keys().chain(b.entries.keys()) {
            let before = a.entries.get(key).map(|e| e.source(a.file_of(e).text()));
            let after = b.entries.get(key).map(|e| e.source(b.file_of(e).text()));
            if before != after {
                let e = a.entries.get(key).or_else(|| b.entries.get(key));
                if let Some(e) = e {
                    changed.insert(e.display_id());
                }
            }
        }
    }
    // Whatever refers to a changed entry, in either load, changed too: passes over every entry
    // until one adds nothing (one or two for an edit), without building a reverse index of
    // every reference in the site for each edit.
    let mut terms: BTreeSet<String> = changed
        .iter()
        .filter_map(|id| id.strip_prefix('-').map(str::to_string))
        .collect();
    loop {
        let mut added = Vec::new();
        for catalog in old.locales.values().chain(new.locales.values()) {
            for e in catalog.entries.values() {
                let refers = e.patterns().any(|(_, p)| {
                    p.messages
                        .iter()
                        .any(|m| changed.contains(m.split('.').next().unwrap_or(m)))
                        || p.terms.iter().any(|t| terms.contains(t.as_str()))
                });
                if refers {
                    let id = e.display_id();
                    if !changed.contains(&id) {
                        added.push(id);
                    }
                }
            }
        }
        if added.is_empty() {
            break;
        }
        for id in added {
            if let Some(term) = id.strip_prefix('-') {
                terms.insert(term.to_string());
            }
            changed.insert(id);
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn write(dir: &Path, path: &str, text: &str) {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Three pages formatting different messages; `a` is used by pages 0 and 1, `c` refers to
    /// the term `-t`.
    fn three_page_site(dir: &Path) {
        write(
            dir,
            "site.toml",
            "source-locale = \"en-US\"\nlocales = [\"zh-CN\"]\n",
        );
        write(dir, "templates/p.html", "<html lang=\"{{ lang }}\"><body>{% for id in page.vars.ids %}<p>{{ t(id) }}</p>{% endfor %}</body></html>\n");
        for (i, ids) in [["a", "b"], ["a", "language-name"], ["c", "b"]]
            .iter()
            .enumerate()
        {
            write(dir, &format!("pages/{i}.toml"), &format!("template = \"p.html\"\noutput = \"{i}.html\"\n[vars]\nids = [\"{}\", \"{}\"]\n", ids[0], ids[1]));
        }
        write(
            dir,
            "locales/en-US/m.ftl",
            "language-name = English\n-t = T\na = A\nb = B\nc = C { -t }\n",
        );
        write(
            dir,
            "locales/zh-CN/m.ftl",
            "language-name = 中文\n-t = 甲\na = 一\nb = 二\nc = 三 { -t }\n",
        );
    }

    /// An edit reaches what refers to the edited entry, through any number of references
    /// (message → message → term), in either load; nothing else.
    #[test]
    fn changed_ids_follow_references_transitively() {
        let load = |zh: &str| {
            let mut files = crate::diagnostics::SourceMap::new();
            files.insert(
                "site.toml",
                b"source-locale = \"en-US\"\nlocales = [\"zh-CN\"]\n".to_vec(),
            );
            files.insert(
                "locales/en-US/m.ftl",
                b"-t = T\nc = C { -t }\nd = D { c }\ne = E\nf = { e }\n".to_vec(),
            );
            files.insert("locales/zh-CN/m.ftl", zh.as_bytes().to_vec());
            let site = site::from_files("test", files).unwrap();
            catalog::load(&site).0
        };
        let old = load("-t = 甲\nc = 三 { -t }\nd = 四 { c }\ne = 五\nf = { e }\n");
        let new = load("-t = 乙\nc = 三 { -t }\nd = 四 { c }\ne = 五\nf = { e }\n");
        let ids: Vec<String> = changed_ids(&old, &new).into_iter().collect();
        assert_eq!(ids, ["-t", "c", "d"]);
        let new = load("-t = 甲\nc = 三 { -t }\nd = 四 { c }\ne = 伍\nf = { e }\n");
        let ids: Vec<String> = changed_ids(&old, &new).into_iter().collect();
        assert_eq!(ids, ["e", "f"]);
        assert!(changed_ids(&old, &old).is_empty());
    }

    #[test]
    fn an_ftl_edit_rerenders_only_the_pages_that_use_it() {
        let dir = tempfile::tempdir().unwrap();
        three_page_site(dir.path());
        let mut b = builder(dir.path());
        assert!(matches!(b.build(None), Outcome::Built(_)));
        assert_eq!(b.rendered_pages(), 6);

        write(
            dir.path(),
            "locales/zh-CN/m.ftl",
            "language-name = 中文\n-t = 甲\na = 壹\nb = 二\nc = 三 { -t }\n",
        );
        let changed: BTreeSet<String> = ["locales/zh-CN/m.ftl".to_string()].into();
        let Outcome::Built(files) = b.build(Some(&changed)) else {
            panic!("build failed")
        };
        assert_eq!(
            b.rendered_pages(),
            2,
            "pages 0 and 1 use `a`; only zh-CN changed"
        );
        let page = |f: &Files, p: &str| String::from_utf8(f[p].to_vec()).unwrap();
        assert!(page(&files, "zh-CN/0.html").contains("<p>壹</p>"));
        assert!(
            page(&files, "zh-CN/2.html").contains("<p>三 甲</p>"),
            "untouched page kept"
        );

        // A term edit reaches the messages that use it.
        write(
            dir.path(),
            "locales/zh-CN/m.ftl",
            "language-name = 中文\n-t = 乙\na = 壹\nb = 二\nc = 三 { -t }\n",
        );
        let Outcome::Built(files) = b.build(Some(&changed)) else {
            panic!("build failed")
        };
        assert_eq!(
            b.rendered_pages(),
            1,
            "page 2 uses `c`, which uses `-t`, in zh-CN"
        );
        assert!(page(&files, "zh-CN/2.html").contains("<p>三 乙</p>"));

        // The incremental result equals a full build.
        let full = build(
            &SiteSource::Dir(dir.path().to_path_buf()),
            &Options::default(),
        );
        let Outcome::Built(full) = full else {
            panic!("full build failed")
        };
        let files = b.settle().expect("the incremental build settles");
        assert_eq!(files, full);

        // A broken edit keeps the previous build for the next edit.
        write(
            dir.path(),
            "locales/zh-CN/m.ftl",
            "language-name = 中文\n-t = 乙\na = {\n",
        );
        assert!(matches!(b.build(Some(&changed)), Outcome::Failed(_)));
        write(
            dir.path(),
            "locales/zh-CN/m.ftl",
            "language-name = 中文\n-t = 乙\na = 壹\nb = 贰\nc = 三 { -t }\n",
        );
        let Outcome::Built(files) = b.build(Some(&changed)) else {
            panic!("build failed")
        };
        assert!(page(&files, "zh-CN/0.html").contains("<p>贰</p>"));
    }

    /// A preview builder of the site in `dir`, with default options.
    fn builder(dir: &Path) -> Builder {
        Builder::new(SiteSource::Dir(dir.to_path_buf()), Options::default())
    }

    fn full_files(dir: &Path) -> Arc<Files> {
        match build(&SiteSource::Dir(dir.to_path_buf()), &Options::default()) {
            Outcome::Built(files) => files,
            other => panic!("full build failed: {other:?}"),
        }
    }

    /// An incremental build, settled as the preview does once its pages are up.
    fn built(b: &mut Builder, changed: &[&str]) -> Arc<Files> {
        let changed: BTreeSet<String> = changed.iter().map(|p| p.to_string()).collect();
        match b.build(Some(&changed)) {
            Outcome::Built(files) => b.settle().unwrap_or(files),
            other => panic!("build failed: {other:?}"),
        }
    }

    /// An edit's pages are served before its warnings: the dashboard of the previous build
    /// stays until `settle`, which gives the full build's files, dashboard included.
    #[test]
    fn an_incremental_build_serves_its_pages_first_and_its_warnings_on_settle() {
        let dir = tempfile::tempdir().unwrap();
        three_page_site(dir.path());
        let mut b = builder(dir.path());
        let Outcome::Built(first) = b.build(None) else {
            panic!("build failed")
        };
        assert!(b.settle().is_none(), "a full build is complete");
        let ftl = "locales/zh-CN/m.ftl";
        let edit = |b: &mut Builder, a: &str| {
            write(
                dir.path(),
                ftl,
                &format!("language-name = 中文\n-t = 甲\na = {a}\nb = 二\nc = 三 {{ -t }}\n"),
            );
            b.build(Some(&[ftl.to_string()].into()))
        };
        // An unbalanced bracket: W607, a QA warning.
        let Outcome::Built(served) = edit(&mut b, "壹 (") else {
            panic!("build failed")
        };
        let full = full_files(dir.path());
        let status = |f: &Files| String::from_utf8(f[http::STATUS_FILE].to_vec()).unwrap();
        assert!(status(&full).contains("W607"), "{}", status(&full));
        assert_eq!(
            status(&served),
            status(&first),
            "the old dashboard until settled"
        );
        assert_eq!(served.len(), full.len());
        for (path, bytes) in full.iter() {
            if &**path != http::STATUS_FILE {
                assert_eq!(served.get(path), Some(bytes), "{path}");
            }
        }
        assert_eq!(b.settle().expect("warnings to settle"), full);
        assert!(b.settle().is_none(), "settled once");

        // A build that nobody settled is settled by the next one, even one that changes
        // nothing.
        assert!(matches!(edit(&mut b, "壹 ["), Outcome::Built(_)));
        assert!(matches!(edit(&mut b, "壹 ["), Outcome::Unchanged));
        assert!(b.settle().is_none());
        assert_eq!(b.prev.as_ref().unwrap().files, full_files(dir.path()));
    }

    /// Pages 0 and 1 use `a.html`, which extends `base.html` and includes `inc.html`; page 2
    /// uses `b.html` alone.
    fn template_site(dir: &Path) {
        write(
            dir,
            "site.toml",
            "source-locale = \"en-US\"\nlocales = [\"zh-CN\"]\n",
        );
        write(
            dir,
            "templates/base.html",
            "<html lang=\"{{ lang }}\"><body>{% block main %}{% endblock %}</body></html>\n",
        );
        write(dir, "templates/a.html", "{% extends \"base.html\" %}{% block main %}<p>{{ t(page.vars.id) }}</p>{% include \"inc.html\" %}{% endblock %}\n");
        write(dir, "templates/inc.html", "<p>{{ t(\"b\") }}</p>\n");
        write(
            dir,
            "templates/b.html",
            "<html lang=\"{{ lang }}\"><body><p>{{ t(\"c\") }}</p></body></html>\n",
        );
        for (i, (template, id)) in [("a.html", "a"), ("a.html", "c"), ("b.html", "a")]
            .iter()
            .enumerate()
        {
            write(
                dir,
                &format!("pages/{i}.toml"),
                &format!(
                    "template = \"{template}\"\noutput = \"{i}.html\"\n[vars]\nid = \"{id}\"\n"
                ),
            );
        }
        write(
            dir,
            "locales/en-US/m.ftl",
            "language-name = English\na = A\nb = B\nc = C\n",
        );
        write(
            dir,
            "locales/zh-CN/m.ftl",
            "language-name = 中文\na = 一\nb = 二\nc = 三\n",
        );
    }

    #[test]
    fn a_template_edit_rerenders_only_the_pages_that_use_it() {
        let dir = tempfile::tempdir().unwrap();
        template_site(dir.path());
        let mut b = builder(dir.path());
        assert!(matches!(b.build(None), Outcome::Built(_)));
        assert_eq!(b.rendered_pages(), 6);

        // Included by a.html: pages 0 and 1, in both locales.
        write(
            dir.path(),
            "templates/inc.html",
            "<p class=\"x\">{{ t(\"b\") }}</p>\n",
        );
        let files = built(&mut b, &["templates/inc.html"]);
        assert_eq!(b.rendered_pages(), 4);
        assert!(String::from_utf8_lossy(&files["zh-CN/1.html"]).contains("<p class=\"x\">二</p>"));
        assert_eq!(files, full_files(dir.path()));

        // The layout, through `extends`.
        write(dir.path(), "templates/base.html", "<html lang=\"{{ lang }}\"><body><main>{% block main %}{% endblock %}</main></body></html>\n");
        let files = built(&mut b, &["templates/base.html"]);
        assert_eq!(b.rendered_pages(), 4);
        assert_eq!(files, full_files(dir.path()));

        // A standalone template: page 2 only.
        write(
            dir.path(),
            "templates/b.html",
            "<html lang=\"{{ lang }}\"><body><p>{{ t(\"a\") }}</p></body></html>\n",
        );
        let files = built(&mut b, &["templates/b.html"]);
        assert_eq!(b.rendered_pages(), 2);
        assert!(String::from_utf8_lossy(&files["zh-CN/2.html"]).contains("<p>一</p>"));
        assert_eq!(files, full_files(dir.path()));

        // A template that names another by a value: every page.
        write(
            dir.path(),
            "templates/b.html",
            "<html lang=\"{{ lang }}\"><body>{% include page.vars.inc %}</body></html>\n",
        );
        write(
            dir.path(),
            "pages/2.toml",
            "template = \"b.html\"\noutput = \"2.html\"\n[vars]\nid = \"a\"\ninc = \"inc.html\"\n",
        );
        let files = built(&mut b, &["templates/b.html", "pages/2.toml"]);
        assert_eq!(b.rendered_pages(), 6);
        assert_eq!(files, full_files(dir.path()));
    }

    #[test]
    fn a_page_file_edit_rerenders_that_page_and_a_new_page_everything() {
        let dir = tempfile::tempdir().unwrap();
        template_site(dir.path());
        let mut b = builder(dir.path());
        assert!(matches!(b.build(None), Outcome::Built(_)));

        write(
            dir.path(),
            "pages/0.toml",
            "template = \"a.html\"\noutput = \"0.html\"\n[vars]\nid = \"c\"\n",
        );
        let files = built(&mut b, &["pages/0.toml"]);
        assert_eq!(b.rendered_pages(), 2);
        assert!(String::from_utf8_lossy(&files["zh-CN/0.html"]).contains("<p>三</p>"));
        assert_eq!(files, full_files(dir.path()));

        write(
            dir.path(),
            "pages/3.toml",
            "template = \"b.html\"\noutput = \"3.html\"\n",
        );
        let files = built(&mut b, &["pages/3.toml"]);
        assert_eq!(
            b.rendered_pages(),
            8,
            "a new page changes the sitemap and the root page"
        );
        assert_eq!(files, full_files(dir.path()));

        // site.toml renders everything.
        write(
            dir.path(),
            "site.toml",
            "source-locale = \"en-US\"\nlocales = [\"zh-CN\"]\nbase-url = \"https://example.com/\"\n",
        );
        let files = built(&mut b, &["site.toml"]);
        assert_eq!(b.rendered_pages(), 8);
        assert_eq!(files, full_files(dir.path()));
    }

    #[test]
    fn edits_made_while_the_site_is_broken_are_all_built() {
        let dir = tempfile::tempdir().unwrap();
        template_site(dir.path());
        let mut b = builder(dir.path());
        assert!(matches!(b.build(None), Outcome::Built(_)));
        // A half-written catalog fails the build...
        write(
            dir.path(),
            "locales/zh-CN/m.ftl",
            "language-name = 中文\na = {\n",
        );
        assert!(matches!(
            b.build(Some(&["locales/zh-CN/m.ftl".to_string()].into())),
            Outcome::Failed(_)
        ));
        // ...an edit elsewhere still fails (the catalog is still broken)...
        write(
            dir.path(),
            "templates/inc.html",
            "<p class=\"y\">{{ t(\"b\") }}</p>\n",
        );
        assert!(matches!(
            b.build(Some(&["templates/inc.html".to_string()].into())),
            Outcome::Failed(_)
        ));
        // ...and once the catalog is whole, both edits are served, with a temporary file that
        // came and went on the way.
        write(
            dir.path(),
            "locales/zh-CN/m.ftl",
            "language-name = 中文\na = 一\nb = 贰\nc = 三\n",
        );
        let files = built(&mut b, &["locales/zh-CN/m.ftl", "locales/zh-CN/m.ftl~tmp"]);
        assert!(String::from_utf8_lossy(&files["zh-CN/1.html"]).contains("<p class=\"y\">贰</p>"));
        assert_eq!(files, full_files(dir.path()));
        assert!(
            b.rendered_pages() < 6,
            "the temporary file asks for no full build"
        );
    }

    #[test]
    fn a_build_overtaken_by_newer_changes_gives_up_and_the_next_one_builds_them() {
        let dir = tempfile::tempdir().unwrap();
        template_site(dir.path());
        let mut b = builder(dir.path());
        assert!(matches!(b.build(None), Outcome::Built(_)));
        let ftl: BTreeSet<String> = ["locales/zh-CN/m.ftl".to_string()].into();
        // Truncated by the editor, which is still writing.
        write(dir.path(), "locales/zh-CN/m.ftl", "");
        assert!(matches!(
            b.build_unless(Some(&ftl), &mut || true),
            Outcome::Superseded
        ));
        write(
            dir.path(),
            "locales/zh-CN/m.ftl",
            "language-name = 中文\na = 一\nb = 贰\nc = 三\n",
        );
        let files = built(&mut b, &["templates/inc.html"]);
        assert!(String::from_utf8_lossy(&files["zh-CN/0.html"]).contains("<p>贰</p>"));
        assert_eq!(files, full_files(dir.path()));

        // A folder that never stops changing is still built.
        for i in 0..=MAX_SUPERSEDED {
            write(
                dir.path(),
                "locales/zh-CN/m.ftl",
                &format!("language-name = 中文\na = {i}\nb = 贰\nc = 三\n"),
            );
            match b.build_unless(Some(&ftl), &mut || true) {
                Outcome::Superseded => assert!(i < MAX_SUPERSEDED, "{i}"),
                Outcome::Built(files) => {
                    assert_eq!(i, MAX_SUPERSEDED);
                    assert_eq!(files, full_files(dir.path()));
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
