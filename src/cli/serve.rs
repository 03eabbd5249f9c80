//! `ftlsite serve`: live preview on 127.0.0.1, rebuilt in memory on every change; with
//! `--edit`, the in-context editor writes translations back to the site folder.

use std::io::Write;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Instant;

use clap::Args;

use super::{ExitStatus, SiteArgs};
use crate::pseudo::Pseudo;
use crate::serve::edit::Editor;
use crate::serve::{self, Outcome, Preview};
use crate::site::SiteSource;

/// Arguments of `ftlsite serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site folder and locale filter.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port on 127.0.0.1; 0 picks any free port.
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Mark every localized element with its message id (`data-l10n-id`, shown on hover).
    #[arg(long)]
    pub ids: bool,
    /// Add a pseudo-locale: `accented` (en-XA) or `bidi` (ar-XB). Repeatable.
    #[arg(long, value_enum, value_name = "KIND")]
    pub pseudo: Vec<Pseudo>,
    /// Edit translations in the page: click a text (or focus it and press Enter) to open it,
    /// save to write it into the locale's .ftl file. Missing messages show their fallback
    /// text, marked, and can be translated in place. Needs --site.
    #[arg(long)]
    pub edit: bool,
}

/// Runs the server until the process is stopped; returns only if the listener breaks.
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitStatus> {
    let source = match &args.site.site {
        Some(dir) => SiteSource::Dir(dir.clone()),
        None => super::embedded(),
    };
    if args.edit && args.site.site.is_none() {
        eprintln!("error: --edit writes translations into a site folder; give it with --site DIR");
        return Ok(ExitStatus::Error);
    }
    let opts = serve::Options {
        locales: args.site.locales.clone(),
        ids: args.ids,
        pseudo: args.pseudo.clone(),
        edit: args.edit,
    };
    let builder = Arc::new(Mutex::new(serve::Builder::new(
        source.clone(),
        opts.clone(),
    )));
    // Watch before the first build and before the URL is printed: an edit made as soon as the
    // preview is announced is always seen.
    let (tx, rx) = mpsc::channel();
    let preview = match (&args.site.site, args.edit) {
        (Some(dir), true) => {
            let editor = Editor::new(dir, builder.clone(), tx.clone())
                .map_err(|e| anyhow::anyhow!("cannot make the editor's token: {e}"))?;
            Preview::with_editor(args.ids, Arc::new(editor))
        }
        _ => Preview::new(args.ids),
    };
    let watch = match args.site.site.clone() {
        Some(dir) => {
            let w = serve::watch(&dir, move |paths| {
                let _ = tx.send(paths);
            })
            .map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", dir.display()))?;
            eprintln!(
                "watching {} (site.toml, locales/, templates/, assets/, pages/)",
                dir.display()
            );
            Some(w)
        }
        None => {
            eprintln!("note: serving the site embedded in ftlsite, which does not change; pass --site DIR to preview and watch a folder");
            None
        }
    };
    rebuild(&builder, None, &preview, &mut || false);
    let server = match serve::Server::bind(args.port, preview.clone()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {e}", args.port);
            return Ok(ExitStatus::Error);
        }
    };
    let url = format!("http://127.0.0.1:{}/", server.port());
    println!("serving {url}");
    std::io::stdout().flush()?;
    if args.edit {
        eprintln!("editing: click a text on a page (or focus it and press Enter) to edit it; saves go to the site's .ftl files");
    }
    if args.open {
        open_browser(&url);
    }
    if watch.is_some() {
        let preview = preview.clone();
        // The first change starts a build at once; whatever changes while it runs (an editor
        // writing a file in several steps, a burst of saves) is coalesced into one follow-up
        // build, so the final state of the folder is always the one served.
        std::thread::spawn(move || {
            let mut queued = std::collections::BTreeSet::new();
            loop {
                if queued.is_empty() {
                    match rx.recv() {
                        Ok(paths) => queued.extend(paths),
                        Err(_) => break,
                    }
                }
                while let Ok(more) = rx.try_recv() {
                    queued.extend(more);
                }
                let paths = std::mem::take(&mut queued);
                // Changes that arrive during the build are queued for the next one.
                let mut newer = || {
                    while let Ok(more) = rx.try_recv() {
                        queued.extend(more);
                    }
                    !queued.is_empty()
                };
                rebuild(&builder, Some(&paths), &preview, &mut newer);
            }
        });
    }
    let e = server.run(|e| eprintln!("warning: cannot accept a connection ({e}); retrying"));
    drop(watch);
    eprintln!("error: the preview on {url} cannot accept connections any more: {e}");
    Ok(ExitStatus::Error)
}

/// Builds, reports on stderr, and publishes the result.
fn rebuild(
    shared: &Mutex<serve::Builder>,
    changed: Option<&std::collections::BTreeSet<String>>,
    preview: &Preview,
    newer: &mut dyn FnMut() -> bool,
) {
    let started = Instant::now();
    let Ok(mut builder) = shared.lock() else {
        eprintln!("error: a previous build failed; restart ftlsite serve");
        return;
    };
    let outcome = builder.build_unless(changed, newer);
    let pages = builder.rendered_pages();
    let settling = matches!(outcome, Outcome::Built(_)) && builder.is_settling();
    // The editor reads the builder while the dashboard is made.
    drop(builder);
    match &outcome {
        Outcome::Built(files) => eprintln!(
            "built {} file(s) in {} ms ({pages} page(s) rendered)",
            files.len(),
            started.elapsed().as_millis()
        ),
        Outcome::Failed(problems) => {
            for p in problems {
                eprintln!("{}\n  help: {}", p.line, p.help);
            }
            eprintln!(
                "error: {} error(s); still serving the last good build",
                problems.len()
            );
        }
        Outcome::Unchanged | Outcome::Superseded => {}
    }
    preview.publish(outcome, settling);
    // The pages are up: now their warnings and the dashboard.
    if settling {
        let files = shared.lock().ok().and_then(|mut b| b.settle());
        preview.refresh(files);
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("note: cannot open a browser ({opener}: {e}); open {url} yourself");
    }
}
