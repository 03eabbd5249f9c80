//! Live preview: build the site in memory through the same stages as `build`
//! (`site::load` → `catalog::load` → `validate::run` → `render::render`), serve the
//! [`RenderedSite`](crate::render::RenderedSite) from memory, and rebuild when the site folder
//! changes. Nothing is written to disk.
//!
//! The last good pages stay up while the site has errors; every HTML page then carries an
//! overlay listing the errors in `check`'s short form. Open pages reload themselves through
//! server-sent events on `/__ftlsite/events` (see [`http`]).

pub mod http;
mod inject;

use std::collections::BTreeMap;
use std::path::Path;
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

impl From<&Diagnostic> for Problem {
    fn from(d: &Diagnostic) -> Self {
        Problem {
            line: text::short(d),
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
    let mut site = match site::load(source) {
        Ok(s) => s,
        Err(LoadError::Invalid(mut diags)) => {
            crate::diagnostics::sort(&mut diags);
            return Outcome::Failed(diags.iter().map(Problem::from).collect());
        }
        Err(e @ LoadError::Io { .. }) => {
            return Outcome::Failed(vec![Problem {
                line: format!("error: {e}"),
                help: "check that the site folder is readable".into(),
            }])
        }
    };
    site.retain_targets(&opts.locales);
    let (mut catalogs, load_diags) = catalog::load(&site);
    let report = validate::run(&site, &catalogs, load_diags);
    let errors: Vec<Problem> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(Problem::from)
        .collect();
    if !errors.is_empty() {
        return Outcome::Failed(errors);
    }
    crate::pseudo::add(&mut site, &mut catalogs, &opts.pseudo);
    let render_opts = RenderOptions {
        ids: opts.ids,
        pseudo: opts.pseudo.clone(),
        ..Default::default()
    };
    match render::render(&site, &catalogs, &render_opts) {
        Ok(rendered) => Outcome::Built(rendered.files),
        Err(diags) => Outcome::Failed(diags.iter().map(Problem::from).collect()),
    }
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
        let Ok(guard) = self.state.lock() else {
            return seen;
        };
        match self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.version <= seen)
        {
            Ok((s, _)) => s.version,
            Err(_) => seen,
        }
    }
}

/// The top-level entries of a site folder whose changes trigger a rebuild.
const WATCHED: &[&str] = &["site.toml", "locales", "templates", "assets", "pages"];

/// Keeps a folder watch alive; dropping it stops the watch.
pub struct Watch {
    _watcher: notify::RecommendedWatcher,
}

/// Watches `dir` and calls `on_change` once per burst of changes to the site's inputs: the
/// first relevant event starts a burst, which ends after `quiet` without another one. Access
/// events (inotify reports every open, including the rebuild's own reads) are ignored.
pub fn watch(
    dir: &Path,
    quiet: Duration,
    on_change: impl Fn() + Send + 'static,
) -> notify::Result<Watch> {
    use notify::Watcher;
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let filter_root = root.clone();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            if !event.kind.is_access() && event.paths.iter().any(|p| relevant(&filter_root, p)) {
                let _ = tx.send(());
            }
        }
    })?;
    watcher.watch(&root, notify::RecursiveMode::Recursive)?;
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            while rx.recv_timeout(quiet).is_ok() {}
            on_change();
        }
    });
    Ok(Watch { _watcher: watcher })
}

/// True for a path under one of the [`WATCHED`] entries that is not hidden (editor swap files).
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    WATCHED.contains(&first.as_ref())
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
