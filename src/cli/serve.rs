//! `ftlsite serve`: live preview on 127.0.0.1, rebuilt in memory on every change.

use std::io::Write;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use clap::Args;

use super::{ExitStatus, SiteArgs};
use crate::pseudo::Pseudo;
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
}

/// Runs the server until the process is stopped; returns only if the listener breaks.
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitStatus> {
    let source = match &args.site.site {
        Some(dir) => SiteSource::Dir(dir.clone()),
        None => super::embedded(),
    };
    let opts = serve::Options {
        locales: args.site.locales.clone(),
        ids: args.ids,
        pseudo: args.pseudo.clone(),
    };
    let preview = Preview::new(args.ids);
    let mut builder = serve::Builder::new(source.clone(), opts.clone());
    // Watch before the first build and before the URL is printed: an edit made as soon as the
    // preview is announced is always seen.
    let (tx, rx) = mpsc::channel();
    let watch = match args.site.site.clone() {
        Some(dir) => {
            let w = serve::watch(&dir, Duration::from_millis(50), move |paths| {
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
    rebuild(&mut builder, None, &preview);
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
    if args.open {
        open_browser(&url);
    }
    if watch.is_some() {
        let preview = preview.clone();
        std::thread::spawn(move || {
            while let Ok(mut paths) = rx.recv() {
                while let Ok(more) = rx.try_recv() {
                    paths.extend(more);
                }
                rebuild(&mut builder, Some(&paths), &preview);
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
    builder: &mut serve::Builder,
    changed: Option<&std::collections::BTreeSet<String>>,
    preview: &Preview,
) {
    let started = Instant::now();
    let outcome = builder.build(changed);
    match &outcome {
        Outcome::Built(files) => eprintln!(
            "built {} file(s) in {} ms",
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
    }
    preview.update(outcome);
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
