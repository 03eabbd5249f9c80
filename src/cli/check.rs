//! `ftlsite check`: every finding about a site or a bare Fluent tree, as text, JSON, SARIF or
//! GitHub Actions annotations.

use std::path::{Component, Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{load_site, ExitStatus, SiteArgs};
use crate::diagnostics::{github, json, sarif, text, Diagnostic, RepoPaths, SourceMap};
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
    /// One SARIF 2.1.0 document, for code scanning (paths relative to the repository root).
    Sarif,
    /// GitHub Actions workflow commands (inline annotations), then the table.
    Github,
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
    /// Apply the mechanical QA fixes (whitespace, `...`, quotes, final punctuation style, CJK
    /// spacing, final newline) to the target locales' files, then report what is left.
    #[arg(long, conflicts_with = "confirm")]
    pub fix: bool,
    /// With --fix: write nothing, print the fixes as a unified diff (exit 1 when there is one).
    #[arg(long, requires = "fix")]
    pub dry_run: bool,
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
    // Only the CI formats name files from the repository root.
    let paths = match (&source, args.format) {
        (SiteSource::Bare { dir, .. } | SiteSource::Dir(dir), Format::Sarif | Format::Github) => {
            repo_paths(dir)
        }
        _ => RepoPaths::default(),
    };
    let report = |diags: &[Diagnostic], summary: &json::Summary, sources: &SourceMap| {
        print_report(args.format, diags, summary, sources, &paths);
    };
    let on_invalid = |diags: &[Diagnostic], sources: &SourceMap| {
        let mut summary = json::Summary::default();
        summary.errors = diags.iter().filter(|d| d.is_error()).count();
        summary.warnings = diags.len() - summary.errors;
        report(diags, &summary, sources);
    };
    let site = match load_site(&source, &args.site.locales, &on_invalid)? {
        Ok(s) => s,
        Err(status) => return Ok(status),
    };
    let (catalogs, load_diags) = catalog::load(&site);
    if args.confirm {
        return confirm(&site, &catalogs);
    }
    if args.fix {
        return fix(args, &source, &site, &catalogs, &on_invalid, &report);
    }
    if args.deactivate {
        return deactivate(&site, &args.site.locales, &args.pages);
    }
    let outcome = validate::run(&site, &catalogs, load_diags);
    report(&outcome.diagnostics, &outcome.summary, &site.files);
    if matches!(args.format, Format::Text | Format::Short) {
        print!(
            "{}",
            crate::report::summary::activation_text(&site, &outcome.activation)
        );
    }
    let failed = outcome.has_errors() || (args.deny_warnings && outcome.has_warnings());
    // The process ends right after this: freeing thousands of small allocations one by one
    // would only add to every check's run time.
    std::mem::forget((site, catalogs, outcome));
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
    paths: &RepoPaths,
) {
    match format {
        Format::Json => print!("{}", json::render(diags, summary, sources)),
        Format::Sarif => {
            let tool = sarif::Tool {
                version: env!("CARGO_PKG_VERSION"),
                repository: option_env!("CARGO_PKG_REPOSITORY"),
            };
            print!("{}", sarif::render(diags, sources, paths, &tool));
        }
        Format::Github => {
            print!(
                "{}{}",
                github::render(diags, sources, paths),
                table(summary)
            );
        }
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

/// Where the site folder `dir` sits for the CI formats: below the root of the git work tree
/// that holds the current folder, or else below the current folder, so that paths are
/// relative to what CI checked out. A folder outside both is its own root.
fn repo_paths(dir: &Path) -> RepoPaths {
    let Ok(site) = std::fs::canonicalize(dir) else {
        return RepoPaths::default();
    };
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize).ok();
    let root = cwd
        .as_deref()
        .and_then(|cwd| cwd.ancestors().find(|a| a.join(".git").exists()))
        .filter(|root| site.starts_with(root))
        .or_else(|| cwd.as_deref().filter(|cwd| site.starts_with(cwd)))
        .unwrap_or(&site);
    let (Some(prefix), Some(root_text)) = (
        site.strip_prefix(root).ok().and_then(slash_path),
        slash_path(root),
    ) else {
        // A name that is not UTF-8 cannot be written into a URI: name files from the site.
        return RepoPaths::new("", slash_path(&site));
    };
    RepoPaths::new(&prefix, Some(root_text))
}

/// A path with `/` between its parts (and a Windows drive or share first), if it is UTF-8.
fn slash_path(path: &Path) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let mut lead = String::new();
    for c in path.components() {
        match c {
            Component::Prefix(p) => lead.push_str(&p.as_os_str().to_str()?.replace('\\', "/")),
            Component::RootDir => lead.push('/'),
            Component::CurDir => {}
            Component::ParentDir => parts.push(".."),
            Component::Normal(n) => parts.push(n.to_str()?),
        }
    }
    Some(format!("{lead}{}", parts.join("/")))
}

/// `check --fix`: write the fixes, then check again and report what is left (`--dry-run`:
/// print the diff only).
fn fix(
    args: &CheckArgs,
    source: &SiteSource,
    site: &crate::site::Site,
    catalogs: &catalog::Catalogs,
    on_invalid: &dyn Fn(&[Diagnostic], &SourceMap),
    report: &dyn Fn(&[Diagnostic], &json::Summary, &SourceMap),
) -> anyhow::Result<ExitStatus> {
    let Some(dir) = &site.dir else {
        eprintln!(
            "error: --fix rewrites files in a site folder; pass --site DIR or --locales-dir DIR"
        );
        return Ok(ExitStatus::Error);
    };
    let outcome = super::fix::apply(dir, site, catalogs, args.dry_run)?;
    for r in &outcome.refused {
        eprintln!("warning: not fixed: {r}");
    }
    if args.dry_run {
        print!("{}", outcome.diff);
        return Ok(if outcome.files > 0 {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        });
    }
    eprintln!(
        "fixed {} pattern(s) in {} file(s)",
        outcome.patterns, outcome.files
    );
    let site = match load_site(source, &args.site.locales, on_invalid)? {
        Ok(s) => s,
        Err(status) => return Ok(status),
    };
    let (catalogs, load_diags) = catalog::load(&site);
    let outcome = validate::run(&site, &catalogs, load_diags);
    report(&outcome.diagnostics, &outcome.summary, &site.files);
    let failed = outcome.has_errors() || (args.deny_warnings && outcome.has_warnings());
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
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
