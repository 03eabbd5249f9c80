//! `ftlsite build`: load → validate → render → write, refusing to write anything when any stage
//! reports an error. With an activation policy, pages a locale lacks too much of are held back
//! instead, and the pages published are recorded in `activation.lock`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;

use super::{load_site, print_diagnostics, ExitStatus, SiteArgs};
use crate::diagnostics::Code;
use crate::render::{self, RenderError, RenderOptions};
use crate::site::SiteSource;
use crate::{catalog, output, validate};

/// Arguments of `ftlsite build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site folder and locale filter.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder; replaced as a whole only when the build succeeds. A non-empty folder
    /// must be an earlier ftlsite output (it holds `.ftlsite-output`); a symlink is followed.
    #[arg(long, value_name = "DIR", default_value = "site")]
    pub out: PathBuf,
    /// Replace `--out` even when it is not empty and not an ftlsite output: everything in it
    /// is deleted.
    #[arg(long)]
    pub force: bool,
    /// Render only the I-th of N deterministic shares of the pages (e.g. `2/4`), for CI
    /// matrices; join the shards with `ftlsite merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Build even when messages are missing: use the fallback chain (ending in the source
    /// locale), list each fallback, and mark the element `lang` of the text used.
    #[arg(long)]
    pub allow_fallback: bool,
    /// Also build a pseudo-locale derived from the source: `accented` (en-XA) or `bidi`
    /// (ar-XB, right to left). Repeatable; never part of a release unless asked for.
    #[arg(long, value_enum, value_name = "KIND")]
    pub pseudo: Vec<crate::pseudo::Pseudo>,
    /// Render every page, even those whose inputs did not change since the build in `--out`
    /// (files whose bytes did not change still keep their inode and modification time).
    #[arg(long)]
    pub no_incremental: bool,
}

/// `--shard I/N`: share `index` (0-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 0-based share.
    pub index: usize,
    /// Number of shares.
    pub count: usize,
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    let (i, n) = s.split_once('/').ok_or("expected I/N, e.g. 1/4")?;
    let i: usize = i
        .trim()
        .parse()
        .map_err(|_| format!("`{i}` is not a number"))?;
    let n: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a number"))?;
    if n == 0 || i == 0 || i > n {
        return Err(format!("shard {i}/{n}: I must be between 1 and N"));
    }
    Ok(Shard {
        index: i - 1,
        count: n,
    })
}

/// Streams pages into the staging directory (linking those whose bytes did not change from the
/// previous output) and, on a terminal, shows a progress bar once the build has taken more
/// than a second.
struct Progress<'a> {
    staging: &'a output::Staging,
    bar: indicatif::ProgressBar,
    started: Instant,
    terminal: bool,
    shown: std::sync::atomic::AtomicBool,
}

impl<'a> Progress<'a> {
    fn new(staging: &'a output::Staging, total: u64) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed}")
        {
            bar.set_style(style);
        }
        let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
        Progress {
            staging,
            bar,
            started: Instant::now(),
            terminal,
            shown: false.into(),
        }
    }

    fn finish(&self) {
        if self.shown.load(std::sync::atomic::Ordering::Relaxed) {
            self.bar.finish_and_clear();
        }
    }
}

impl render::Sink for Progress<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.staging
            .store_or_keep(path, bytes)
            .map_err(output::OutputError::into_io)
    }

    fn page_done(&self) {
        self.bar.inc(1);
        if self.terminal
            && self.started.elapsed().as_secs_f64() > 1.0
            && !self.shown.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

/// Runs the build.
pub fn run(args: &BuildArgs) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    if let Err(e) = output::interrupt::install() {
        eprintln!("warning: cannot watch for Ctrl-C ({e}); an interrupted build leaves its staging folder for the next build to delete");
    }
    let source = match &args.site.site {
        Some(dir) => {
            if let Err(msg) = check_out_dir(dir, &args.out) {
                eprintln!("error: {msg}");
                return Ok(ExitStatus::Error);
            }
            SiteSource::Dir(dir.clone())
        }
        None => super::embedded(),
    };
    // Shards and pseudo-locales render everything (a shard's output is merged, and pseudo
    // text is derived at format time); files whose bytes did not change are still linked.
    let incremental = args.shard.is_none() && args.pseudo.is_empty() && !args.no_incremental;
    let prefetch = incremental.then(|| output::Prefetch::start(&args.out));
    let mut site = match load_site(&source, &args.site.locales, &|d, s| print_diagnostics(d, s))? {
        Ok(s) => s,
        Err(status) => return Ok(status),
    };
    let (mut catalogs, load_diags) = catalog::load(&site);
    let report = validate::run(&site, &catalogs, load_diags);
    let policy = site.activation.is_some();
    let blocking: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| {
            d.is_error() && !(args.allow_fallback && matches!(d.code, Code::E201 | Code::E202))
        })
        .cloned()
        .collect();
    // Warnings do not stop a build; they are listed, one line each, so they are not lost.
    // Under a policy, missing messages are in the activation summary instead.
    let summarized =
        |d: &&crate::diagnostics::Diagnostic| policy && matches!(d.code, Code::E201 | Code::E202);
    for d in report
        .diagnostics
        .iter()
        .filter(|d| !d.is_error() && !summarized(d))
    {
        eprintln!("{}", crate::diagnostics::text::short(d, &site.files));
    }
    if !blocking.is_empty() {
        print_diagnostics(&blocking, &site.files);
        let missing = blocking
            .iter()
            .filter(|d| matches!(d.code, Code::E201 | Code::E202))
            .count();
        eprintln!(
            "error: build stopped: {} error(s); nothing was written",
            blocking.len()
        );
        if missing > 0 {
            eprintln!("note: {missing} missing translation(s); `--allow-fallback` builds with the source text instead");
        }
        return Ok(ExitStatus::Failure);
    }
    let plan = report.activation.clone();
    let fingerprint = inputs_fingerprint(&site, args, &plan);
    let marker = output::Marker::new(
        fingerprint.clone(),
        args.shard.map(|s| output::ShardMark {
            index: s.index + 1,
            count: s.count,
        }),
    );
    let options = output::Options {
        marker,
        force: args.force,
    };
    let mut staging = match output::Staging::new(&args.out, &options) {
        Ok(s) => s,
        Err(e) => return Ok(super::output_error(&e)),
    };
    for folder in staging.swept() {
        eprintln!(
            "note: removed {}, left by an interrupted build",
            folder.display()
        );
    }
    crate::pseudo::add(&mut site, &mut catalogs, &args.pseudo);
    let mut opts = RenderOptions {
        allow_fallback: args.allow_fallback,
        shard: args.shard.map(|s| (s.index, s.count)),
        pseudo: args.pseudo.clone(),
        activation: Some(plan.clone()),
        ..Default::default()
    };
    let reuse = if let Some(prefetch) = prefetch {
        staging.record_stamps(super::incremental::is_page);
        staging.defer_keeps();
        match super::incremental::prepare(
            &site,
            &catalogs,
            &opts,
            &plan,
            &staging,
            prefetch,
            &fingerprint,
        ) {
            Ok(reuse) => Some(reuse),
            Err(e) => return Ok(super::output_error(&e)),
        }
    } else {
        None
    };
    if let Some(reuse) = &reuse {
        if let Some(e) = &reuse.ignored {
            eprintln!("{}", super::incremental::ignored_note(e));
        }
        opts.only = Some(reuse.only.clone());
        opts.kept = Some(reuse.kept.clone());
    }
    let total = match &reuse {
        Some(reuse) => reuse.only.len(),
        None => site
            .pages
            .iter()
            .map(|p| {
                site.locales()
                    .filter(|l| plan.is_published(&p.output, &l.code))
                    .count()
            })
            .sum::<usize>(),
    };
    let progress = Progress::new(&staging, total as u64);
    let rendered = match render::render_to(&site, &catalogs, &opts, &progress) {
        Ok(r) => r,
        Err(RenderError::Invalid(diags)) => {
            progress.finish();
            print_diagnostics(&diags, &site.files);
            eprintln!(
                "error: build stopped: {} error(s); nothing was written",
                diags.len()
            );
            return Ok(ExitStatus::Failure);
        }
        Err(RenderError::Io(path, e)) => {
            progress.finish();
            eprintln!(
                "error: cannot write {}: {e}; the previous output is untouched",
                args.out.join(path).display()
            );
            return Ok(ExitStatus::Error);
        }
    };
    progress.finish();
    for f in &rendered.fallbacks {
        eprintln!("fallback: {} uses {} text for `{}`", f.locale, f.used, f.id);
    }
    let previous = staging.previous().is_some();
    if let Some(reuse) = &reuse {
        if let Err(e) = reuse.store_cache(&staging, &rendered, &opts) {
            return Ok(super::output_error(&e));
        }
    }
    let written = match staging.commit() {
        Ok(w) => w,
        Err(e) => return Ok(super::output_error(&e)),
    };
    // Recorded before anything is printed: a reader that closes stdout early ends the process
    // at its next print, and the output now in place must not lose its record.
    let recorded = if policy {
        record_activation(&site, &plan)
    } else {
        None
    };
    let per_locale: Vec<String> = rendered
        .pages_per_locale
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    print!("{}", crate::report::summary::activation_text(&site, &plan));
    let pages = if plan.holds_back_any() {
        format!(
            "{} page(s) ({})",
            rendered.pages_per_locale.values().sum::<usize>(),
            per_locale.join(", ")
        )
    } else {
        format!(
            "{} page(s) per locale ({})",
            site.pages.len(),
            per_locale.join(", ")
        )
    };
    // Over an earlier output, say how much of it changed: what a deploy has to upload.
    let files = if previous {
        format!(
            "{} files: {} written, {} unchanged; {} page(s) rendered",
            written.files,
            written.files - written.kept,
            written.kept,
            total
        )
    } else {
        format!("{} files", written.files)
    };
    println!(
        "built {pages} into {} ({files}) in {:.2}s",
        written.out.display(),
        started.elapsed().as_secs_f64()
    );
    if let Some(line) = recorded {
        println!("{line}");
    }
    // The process ends here: freeing the site, its catalogs and the render summary one
    // allocation at a time would only delay the exit (a tenth of a build of 20,000 pages).
    std::mem::forget((reuse, rendered, report));
    std::mem::forget((site, catalogs));
    Ok(ExitStatus::Success)
}

/// Adds the pages this build published to `activation.lock` in the site folder, so that they
/// stay published (see [`crate::activation::record`]). Writes only when something is new; a
/// site without a folder (the embedded one) has nothing to record into. A failure to write is
/// a warning: the output is already in place. Returns the line that says what was recorded.
fn record_activation(site: &crate::site::Site, plan: &crate::activation::Plan) -> Option<String> {
    use crate::activation::record::{self, RECORD_FILE};
    let dir = site.dir.as_ref()?;
    let updated = plan.record.with(site, &plan.published());
    if updated == plan.record {
        return None;
    }
    let added: usize = updated
        .published
        .iter()
        .map(|(l, pages)| pages.iter().filter(|p| !plan.record.contains(l, p)).count())
        .sum();
    match super::write_atomically(&dir.join(RECORD_FILE), &record::render(&updated)) {
        Ok(()) if added > 0 => Some(format!(
            "recorded {added} newly published page(s) in {RECORD_FILE}; commit it with the site"
        )),
        Ok(()) => None,
        Err(e) => {
            eprintln!(
                "warning: cannot update {}: {e}",
                dir.join(RECORD_FILE).display()
            );
            None
        }
    }
}

/// The fingerprint recorded in the output's marker: every site input, plus the options that
/// change what is written other than `--shard`, so that the shards of one build agree with
/// each other and with a single build.
///
/// `activation.lock` stands in by what it decides, the pages published: a build records new
/// activations there, and the shards of one build run one after the other must still agree.
fn inputs_fingerprint(
    site: &crate::site::Site,
    args: &BuildArgs,
    plan: &crate::activation::Plan,
) -> String {
    let locales: Vec<&str> = site.locales().map(|l| l.code.as_str()).collect();
    let pseudo: Vec<&str> = args.pseudo.iter().map(|p| p.code()).collect();
    let mut options = format!(
        "locales={}\nallow-fallback={}\npseudo={}\n",
        locales.join(","),
        args.allow_fallback,
        pseudo.join(",")
    );
    if plan.policy.is_some() {
        for (locale, page) in plan.published() {
            options.push_str(&format!("published={locale}/{page}\n"));
        }
    }
    output::fingerprint(
        site.files
            .paths()
            .filter(|path| *path != crate::activation::RECORD_FILE)
            .map(|path| (path, site.files.get(path).unwrap_or_default()))
            .chain([("build options", options.as_bytes())]),
    )
}

/// The output folder (after following symlinks) may be neither inside the site folder nor
/// contain it: replacing it would destroy the sources or feed the output back into the next
/// build.
fn check_out_dir(site: &Path, out: &Path) -> Result<(), String> {
    let site_abs = std::fs::canonicalize(site)
        .map_err(|e| format!("cannot read site folder {}: {e}", site.display()))?;
    // The folder the build would replace: a symlink's target, not the link.
    let out_abs = output::resolve(out).map_err(|e| e.to_string())?;
    if out_abs.starts_with(&site_abs) {
        return Err(format!(
            "--out {} is inside the site folder {}; choose an output folder outside it",
            out.display(),
            site.display()
        ));
    }
    if site_abs.starts_with(&out_abs) {
        return Err(format!(
            "--out {} contains the site folder {}; it would be replaced",
            out.display(),
            site.display()
        ));
    }
    Ok(())
}
