//! `ftlsite check`: every finding about a site or a bare Fluent tree, as text or JSON.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{load_site, ExitStatus, SiteArgs};
use crate::diagnostics::{json, text, Diagnostic, SourceMap};
use crate::site::SiteSource;
use crate::{catalog, validate};

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Full diagnostics with snippets, then a table per locale.
    Text,
    /// One `path:line:col: level[CODE]: message` line each, then the table.
    Short,
    /// One JSON document (schema in the README and diagnostics/json.rs).
    Json,
}

/// Arguments of `ftlsite check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Site folder and locale filter.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Check a bare Fluent tree laid out DIR/<locale>/**/*.ftl instead of a site.
    #[arg(long, value_name = "DIR", conflicts_with = "site")]
    pub locales_dir: Option<PathBuf>,
    /// The reference locale of --locales-dir.
    #[arg(
        long,
        value_name = "LOCALE",
        requires = "locales_dir",
        default_value = "en-US"
    )]
    pub source_locale: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Record the current source text of every translated entry in l10n.lock (all target
    /// locales, or those given with --locale), so later source edits are reported as stale.
    #[arg(long, conflicts_with_all = ["format", "deny_warnings"])]
    pub confirm: bool,
    /// Remove pages from activation.lock (those given with --page, or all; for the locales
    /// given with --locale, or all), so that the next build publishes them only if they meet
    /// the activation policy.
    #[arg(long, conflicts_with_all = ["format", "deny_warnings", "confirm", "locales_dir"])]
    pub deactivate: bool,
    /// With --deactivate: the page to deactivate, by its output path (repeatable).
    #[arg(long = "page", value_name = "OUTPUT", requires = "deactivate")]
    pub pages: Vec<String>,
}

/// Runs the check.
pub fn run(args: &CheckArgs) -> anyhow::Result<ExitStatus> {
    let source = match (&args.locales_dir, &args.site.site) {
        (Some(dir), _) => SiteSource::Bare {
            dir: dir.clone(),
            source_locale: args.source_locale.clone(),
        },
        (None, Some(dir)) => SiteSource::Dir(dir.clone()),
        (None, None) => super::embedded(),
    };
    let on_invalid = |diags: &[crate::diagnostics::Diagnostic], sources: &SourceMap| {
        let mut summary = json::Summary::default();
        summary.errors = diags.iter().filter(|d| d.is_error()).count();
        summary.warnings = diags.len() - summary.errors;
        print_report(args.format, diags, &summary, sources);
    };
    let site = match load_site(&source, &args.site.locales, &on_invalid)? {
        Ok(s) => s,
        Err(status) => return Ok(status),
    };
    let (catalogs, load_diags) = catalog::load(&site);
    if args.confirm {
        return confirm(&site, &catalogs);
    }
    if args.deactivate {
        return deactivate(&site, &args.site.locales, &args.pages);
    }
    let report = validate::run(&site, &catalogs, load_diags);
    print_report(
        args.format,
        &report.diagnostics,
        &report.summary,
        &site.files,
    );
    if args.format != Format::Json {
        print!(
            "{}",
            crate::report::summary::activation_text(&site, &report.activation)
        );
    }
    let failed = report.has_errors() || (args.deny_warnings && report.has_warnings());
    // The process ends right after this: freeing thousands of small allocations one by one
    // would only add to every check's run time.
    std::mem::forget((site, catalogs, report));
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Prints a report on stdout in the chosen format.
fn print_report(
    format: Format,
    diags: &[Diagnostic],
    summary: &json::Summary,
    sources: &SourceMap,
) {
    match format {
        Format::Json => print!("{}", json::render(diags, summary, sources)),
        Format::Text | Format::Short => {
            let color = super::use_color(&std::io::stdout());
            let mut out = String::new();
            for d in diags {
                if format == Format::Short {
                    out.push_str(&text::short(d, sources));
                    out.push('\n');
                } else {
                    out.push_str(&text::full(d, sources, color));
                    out.push_str("\n\n");
                }
            }
            out.push_str(&table(summary));
            print!("{out}");
        }
    }
}

/// `check --confirm`: rewrite the lock file with the current source fingerprints.
fn confirm(site: &crate::site::Site, catalogs: &catalog::Catalogs) -> anyhow::Result<ExitStatus> {
    use validate::stale::{self, LOCK_FILE};
    let Some(dir) = &site.dir else {
        eprintln!("error: --confirm writes {LOCK_FILE} into a site folder; pass --site DIR or --locales-dir DIR");
        return Ok(ExitStatus::Error);
    };
    let previous = match stale::read_lock(site) {
        Ok(lock) => lock.unwrap_or_default(),
        Err(d) => {
            super::print_diagnostics(&[*d], &site.files);
            return Ok(ExitStatus::Failure);
        }
    };
    let (lock, confirmed) = stale::confirm(site, catalogs, previous);
    let path = dir.join(LOCK_FILE);
    std::fs::write(&path, stale::render_lock(&lock))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    let locales: Vec<&str> = site.targets.iter().map(|l| l.code.as_str()).collect();
    println!(
        "confirmed {confirmed} translation(s) in {} for {}",
        path.display(),
        locales.join(", ")
    );
    Ok(ExitStatus::Success)
}

/// `check --deactivate`: remove pages from the activation record.
fn deactivate(
    site: &crate::site::Site,
    locales: &[String],
    pages: &[String],
) -> anyhow::Result<ExitStatus> {
    use crate::activation::record::{self, RECORD_FILE};
    let Some(dir) = &site.dir else {
        eprintln!("error: --deactivate edits {RECORD_FILE} in a site folder; pass --site DIR");
        return Ok(ExitStatus::Error);
    };
    for p in pages {
        if !site.pages.iter().any(|page| &page.output == p) {
            eprintln!("error: --page {p} is not the output of a page of this site");
            return Ok(ExitStatus::Error);
        }
    }
    let mut rec = match record::read(site) {
        Ok(r) => r,
        Err(d) => {
            super::print_diagnostics(&[*d], &site.files);
            return Ok(ExitStatus::Failure);
        }
    };
    let removed = rec.remove(locales, pages);
    if removed > 0 {
        super::write_atomically(&dir.join(RECORD_FILE), &record::render(&rec)).map_err(|e| {
            anyhow::anyhow!("cannot write {}: {e}", dir.join(RECORD_FILE).display())
        })?;
    }
    println!(
        "deactivated {removed} page(s) in {}; the next build publishes them only where they meet the activation policy",
        dir.join(RECORD_FILE).display()
    );
    Ok(ExitStatus::Success)
}

/// The per-locale table and the totals line.
pub fn table(summary: &json::Summary) -> String {
    let mut out = format!(
        "{:<10} {:>8} {:>10} {:>8} {:>8} {:>7} {:>8} {:>10}\n",
        "locale",
        "messages",
        "translated",
        "missing",
        "obsolete",
        "errors",
        "warnings",
        "completion"
    );
    for (locale, s) in &summary.locales {
        let pct = if s.messages == 0 {
            100.0
        } else {
            s.translated as f64 * 100.0 / s.messages as f64
        };
        out.push_str(&format!(
            "{:<10} {:>8} {:>10} {:>8} {:>8} {:>7} {:>8} {:>9.1}%\n",
            locale, s.messages, s.translated, s.missing, s.obsolete, s.errors, s.warnings, pct
        ));
    }
    out.push_str(&format!(
        "{} error(s), {} warning(s)\n",
        summary.errors, summary.warnings
    ));
    out
}
