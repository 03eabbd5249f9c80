//! Live preview: build the site in memory through the same stages as `build`
//! (`site::load` → `catalog::load` → `validate::run` → `render::render`), serve the
//! [`RenderedSite`](crate::render::RenderedSite) from memory, and rebuild when the site folder
//! changes. Nothing is written to disk.
//!
//! The last good pages stay up while the site has errors; every HTML page then carries an
//! overlay listing the errors in `check`'s short form. Open pages reload themselves through
//! server-sent events on `/__ftlsite/events` (see [`http`]). Every build also makes the
//! translation status dashboard ([`crate::report`]), served at `/__ftlsite/status`.
//!
//! The HTTP/1.1 server is std only: [`server`] owns the listener on 127.0.0.1 and the
//! connection threads, bounded and timed out as its docs describe, [`request`] reads request
//! heads, and [`http`] decides what each request gets.

mod conns;
pub mod http;
mod inject;
pub mod request;
pub mod server;

pub use server::Server;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::diagnostics::{text, Diagnostic};
use crate::pseudo::Pseudo;
use crate::render::{self, RenderOptions};
use crate::site::{self, LoadError, SiteSource};
use crate::{catalog, validate};

/// What a preview build does besides the release build.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Limit the targets to these locales (empty: all).
    pub locales: Vec<String>,
    /// Mark every localized element with its message id.
    pub ids: bool,
    /// Pseudo-locales to add.
    pub pseudo: Vec<Pseudo>,
}

/// One problem shown in the overlay: `check`'s short line and the help text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// `path:line:col: error[CODE]: message [locale]`.
    pub line: String,
    /// How to fix it.
    pub help: String,
}

impl Problem {
    /// The overlay line of a diagnostic, placed in `sources`.
    pub fn new(d: &Diagnostic, sources: &crate::diagnostics::SourceMap) -> Self {
        Problem {
            line: text::short(d, sources),
            help: d.help.clone(),
        }
    }
}

/// The result of one preview build: the files, or the errors that stopped it.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Every output file, by output-relative path.
    Built(BTreeMap<String, Vec<u8>>),
    /// The build stopped; the previous pages stay up.
    Failed(Vec<Problem>),
}

/// Builds the site in memory. Only errors stop a preview build (warnings do not), and an I/O
/// error becomes a problem too: bad input never stops the server.
pub fn build(source: &SiteSource, opts: &Options) -> Outcome {
    Builder::new(source.clone(), opts.clone()).build(None)
}

/// Preview builds that remember the previous one, so that an edit to `.ftl` files re-renders
/// only the pages that format a message whose text changed (or a message referring to it).
/// Anything else — site.toml, templates, assets, pages — rebuilds everything.
pub struct Builder {
    source: SiteSource,
    opts: Options,
    prev: Option<Prev>,
    rendered: usize,
}

struct Prev {
    site: site::Site,
    catalogs: catalog::Catalogs,
    /// The activation plan the pages were rendered with.
    plan: std::sync::Arc<crate::activation::Plan>,
    files: BTreeMap<String, Vec<u8>>,
    usage: BTreeMap<String, BTreeSet<String>>,
}

impl Builder {
    /// A builder with no previous build.
    pub fn new(source: SiteSource, opts: Options) -> Builder {
        Builder {
            source,
            opts,
            prev: None,
            rendered: 0,
        }
    }

    /// How many pages the last successful build rendered (all of them, or only those an
    /// incremental build found affected).
    pub fn rendered_pages(&self) -> usize {
        self.rendered
    }

    /// Builds the site. `changed` holds the site-relative paths that changed since the last
    /// build, when the watcher knows them; `None` means "anything may have changed".
    pub fn build(&mut self, changed: Option<&BTreeSet<String>>) -> Outcome {
        if let Some(outcome) = self.incremental(changed) {
            return outcome;
        }
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
        let report = match errors(&site, &catalogs, load_diags) {
            Ok(report) => report,
            Err(problems) => return Outcome::Failed(problems),
        };
        let status = crate::report::dashboard(&site, &catalogs, &report);
        let plan = std::sync::Arc::new(report.activation);
        let plain = (site.clone(), catalogs.clone());
        crate::pseudo::add(&mut site, &mut catalogs, &self.opts.pseudo);
        match render::render(&site, &catalogs, &self.render_options(None, &plan)) {
            Ok(mut rendered) => {
                rendered
                    .files
                    .insert(http::STATUS_FILE.to_string(), status.into_bytes());
                self.rendered = rendered.usage.len();
                self.prev = Some(Prev {
                    site: plain.0,
                    catalogs: plain.1,
                    plan,
                    files: rendered.files.clone(),
                    usage: rendered.usage,
                });
                Outcome::Built(rendered.files)
            }
            Err(diags) => {
                Outcome::Failed(diags.iter().map(|d| Problem::new(d, &site.files)).collect())
            }
        }
    }

    fn render_options(
        &self,
        only: Option<BTreeSet<(usize, String)>>,
        plan: &std::sync::Arc<crate::activation::Plan>,
    ) -> RenderOptions {
        RenderOptions {
            ids: self.opts.ids,
            pseudo: self.opts.pseudo.clone(),
            only,
            activation: Some(plan.clone()),
            ..Default::default()
        }
    }

    /// The fast path: only `.ftl` files changed, a previous build exists and no pseudo-locale
    /// is derived from the source. `None` means "do a full build".
    fn incremental(&mut self, changed: Option<&BTreeSet<String>>) -> Option<Outcome> {
        let changed = changed.filter(|c| !c.is_empty())?;
        let SiteSource::Dir(dir) = &self.source else {
            return None;
        };
        if !self.opts.pseudo.is_empty()
            || !changed
                .iter()
                .all(|p| p.starts_with("locales/") && p.ends_with(".ftl"))
        {
            return None;
        }
        let prev = self.prev.as_ref()?;
        let mut site = prev.site.clone();
        for path in changed {
            match std::fs::read(dir.join(path)) {
                Ok(bytes) => {
                    site.files.insert(path.clone(), bytes);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    site.files.remove(path);
                }
                Err(_) => return None,
            }
        }
        let (catalogs, load_diags) = catalog::load(&site);
        let report = match errors(&site, &catalogs, load_diags) {
            Ok(report) => report,
            Err(problems) => return Some(Outcome::Failed(problems)),
        };
        let ids = changed_ids(&prev.catalogs, &catalogs);
        // A page that changes status changes every page that lists its locales.
        if ids.contains("language-name") || report.activation != *prev.plan {
            return None;
        }
        let status = crate::report::dashboard(&site, &catalogs, &report);
        let plan = prev.plan.clone();
        let index: BTreeMap<&str, usize> = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.output.as_str(), i))
            .collect();
        let mut only = BTreeSet::new();
        for (path, used) in &prev.usage {
            if used.iter().any(|id| ids.contains(id)) {
                let (locale, output) = path.split_once('/')?;
                only.insert((*index.get(output)?, locale.to_string()));
            }
        }
        let rendered =
            match render::render(&site, &catalogs, &self.render_options(Some(only), &plan)) {
                Ok(r) => r,
                Err(diags) => {
                    return Some(Outcome::Failed(
                        diags.iter().map(|d| Problem::new(d, &site.files)).collect(),
                    ))
                }
            };
        let mut prev = self.prev.take()?;
        self.rendered = rendered.usage.len();
        prev.files.extend(rendered.files);
        prev.files
            .insert(http::STATUS_FILE.to_string(), status.into_bytes());
        prev.usage.extend(rendered.usage);
        prev.site = site;
        prev.catalogs = catalogs;
        let files = prev.files.clone();
        self.prev = Some(prev);
        Some(Outcome::Built(files))
    }
}

/// The validation report, or its errors as overlay problems when it has any.
fn errors(
    site: &site::Site,
    catalogs: &catalog::Catalogs,
    load_diags: Vec<Diagnostic>,
) -> Result<validate::Report, Vec<Problem>> {
    let report = validate::run(site, catalogs, load_diags);
    let errors: Vec<Problem> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| Problem::new(d, &site.files))
        .collect();
    if errors.is_empty() {
        Ok(report)
    } else {
        Err(errors)
    }
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
    // Who refers to whom, in either load, by display id.
    let mut referrers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for catalog in old.locales.values().chain(new.locales.values()) {
        for e in catalog.entries.values() {
            for (_, p) in e.patterns() {
                let targets = p
                    .messages
                    .iter()
                    .map(|m| m.split('.').next().unwrap_or(m).to_string())
                    .chain(p.terms.iter().map(|t| format!("-{t}")));
                for t in targets {
                    referrers.entry(t).or_default().insert(e.display_id());
                }
            }
        }
    }
    let mut queue: Vec<String> = changed.iter().cloned().collect();
    while let Some(id) = queue.pop() {
        for r in referrers.get(&id).into_iter().flatten() {
            if changed.insert(r.clone()) {
                queue.push(r.clone());
            }
        }
    }
    changed
}

#[derive(Debug, Default)]
struct State {
    version: u64,
    files: Option<Arc<BTreeMap<String, Vec<u8>>>>,
    problems: Arc<Vec<Problem>>,
}

/// The pages being served and the problems of the latest build, shared by the request threads
/// and the rebuild loop.
#[derive(Debug, Default)]
pub struct Preview {
    state: Mutex<State>,
    changed: Condvar,
    ids: bool,
}

/// What a request sees: one consistent version of the preview.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Increases with every build.
    pub version: u64,
    /// The last good files, if any build has succeeded.
    pub files: Option<Arc<BTreeMap<String, Vec<u8>>>>,
    /// The errors of the latest build (empty when it succeeded).
    pub problems: Arc<Vec<Problem>>,
    /// Whether `--ids` styling is injected.
    pub ids: bool,
}

impl Preview {
    /// An empty preview; `ids` adds the hover outline for `[data-l10n-id]`.
    pub fn new(ids: bool) -> Arc<Preview> {
        Arc::new(Preview {
            ids,
            ..Default::default()
        })
    }

    /// Publishes a build: new files replace the old ones; a failure keeps them and records the
    /// problems. Wakes every open event stream.
    pub fn update(&self, outcome: Outcome) {
        if let Ok(mut s) = self.state.lock() {
            match outcome {
                Outcome::Built(files) => {
                    s.files = Some(Arc::new(files));
                    s.problems = Arc::new(Vec::new());
                }
                Outcome::Failed(problems) => s.problems = Arc::new(problems),
            }
            s.version += 1;
        }
        self.changed.notify_all();
    }

    /// The current version, files and problems.
    pub fn snapshot(&self) -> Snapshot {
        let (version, files, problems) = match self.state.lock() {
            Ok(s) => (s.version, s.files.clone(), s.problems.clone()),
            Err(_) => (0, None, Arc::new(Vec::new())),
        };
        Snapshot {
            version,
            files,
            problems,
            ids: self.ids,
        }
    }

    /// Waits until the version is greater than `seen` or `timeout` passes; returns the version.
    pub fn wait_newer(&self, seen: u64, timeout: Duration) -> u64 {
        self.wait_newer_unless(seen, timeout, &AtomicBool::new(false))
            .unwrap_or(seen)
    }

    /// Like [`wait_newer`](Self::wait_newer), but returns `None` as soon as `stop` is set and
    /// [`wake`](Self::wake) is called: how an event stream is told to end.
    pub fn wait_newer_unless(
        &self,
        seen: u64,
        timeout: Duration,
        stop: &AtomicBool,
    ) -> Option<u64> {
        let Ok(guard) = self.state.lock() else {
            return Some(seen);
        };
        let stopped = |_: &State| stop.load(Ordering::Acquire);
        if stopped(&guard) {
            return None;
        }
        match self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.version <= seen && !stopped(s))
        {
            Ok(_) if stop.load(Ordering::Acquire) => None,
            Ok((s, _)) => Some(s.version),
            Err(_) => Some(seen),
        }
    }

    /// Wakes every waiter so that it checks its `stop` flag.
    pub fn wake(&self) {
        // Taking the lock orders this after a waiter's check of its flag.
        drop(self.state.lock());
        self.changed.notify_all();
    }
}

/// Keeps a folder watch alive; dropping it stops the watch.
pub struct Watch {
    _watcher: notify::RecommendedWatcher,
}

/// Watches `dir` and calls `on_change` once per burst of changes to the site's inputs, with the
/// site-relative `/`-separated paths that changed: the first relevant event starts a burst,
/// which ends after `quiet` without another one. Access events (inotify reports every open,
/// including the rebuild's own reads) are ignored.
pub fn watch(
    dir: &Path,
    quiet: Duration,
    on_change: impl Fn(BTreeSet<String>) + Send + 'static,
) -> notify::Result<Watch> {
    use notify::Watcher;
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let filter_root = root.clone();
    let (tx, rx) = std::sync::mpsc::channel::<Vec<String>>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            if event.kind.is_access() {
                return;
            }
            let paths: Vec<String> = event
                .paths
                .iter()
                .filter(|p| relevant(&filter_root, p))
                .filter_map(|p| site::relative_key(&filter_root, p))
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        }
    })?;
    watcher.watch(&root, notify::RecursiveMode::Recursive)?;
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            let mut burst: BTreeSet<String> = first.into_iter().collect();
            while let Ok(more) = rx.recv_timeout(quiet) {
                burst.extend(more);
            }
            on_change(burst);
        }
    });
    Ok(Watch { _watcher: watcher })
}

/// True for a path under one of the site's [inputs](site::INPUTS) that is not hidden (editor swap files).
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    site::INPUTS.contains(&first.as_ref())
        && !rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_inputs_trigger_rebuilds() {
        let root = Path::new("/s");
        assert!(relevant(root, Path::new("/s/locales/zh-CN/a.ftl")));
        assert!(relevant(root, Path::new("/s/site.toml")));
        assert!(!relevant(root, Path::new("/s/site/en-US/index.html")));
        assert!(!relevant(root, Path::new("/s/locales/zh-CN/.a.ftl.swp")));
        assert!(!relevant(root, Path::new("/elsewhere/site.toml")));
    }

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

    #[test]
    fn an_ftl_edit_rerenders_only_the_pages_that_use_it() {
        let dir = tempfile::tempdir().unwrap();
        three_page_site(dir.path());
        let mut b = Builder::new(
            SiteSource::Dir(dir.path().to_path_buf()),
            Options::default(),
        );
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
            4,
            "pages 0 and 1 in both locales use `a`"
        );
        let page =
            |f: &BTreeMap<String, Vec<u8>>, p: &str| String::from_utf8(f[p].clone()).unwrap();
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
            2,
            "page 2 in both locales uses `c`, which uses `-t`"
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

    #[test]
    fn failed_builds_keep_the_last_good_files() {
        let p = Preview::new(false);
        let mut files = BTreeMap::new();
        files.insert("index.html".to_string(), b"ok".to_vec());
        p.update(Outcome::Built(files));
        p.update(Outcome::Failed(vec![Problem {
            line: "x".into(),
            help: "y".into(),
        }]));
        let s = p.snapshot();
        assert_eq!(s.version, 2);
        assert!(s.files.is_some_and(|f| f.contains_key("index.html")));
        assert_eq!(s.problems.len(), 1);
        assert_eq!(p.wait_newer(1, Duration::from_millis(1)), 2);
    }
}
