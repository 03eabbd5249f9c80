//! `ftlsite build`: load → validate → render → write, refusing to write anything when any stage
//! reports an error.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;

use super::{load_site, print_diagnostics, ExitStatus, SiteArgs, SiteSources};
use crate::diagnostics::Code;
use crate::render::{self, RenderOptions};
use crate::site::SiteSource;
use crate::{catalog, output, validate};

/// Arguments of `ftlsite build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site folder and locale filter.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder; replaced as a whole only when the build succeeds.
    #[arg(long, value_name = "DIR", default_value = "site")]
    pub out: PathBuf,
    /// Build even when messages are missing: use the fallback chain (ending in the source
    /// locale), list each fallback, and mark the element `lang` of the text used.
    #[arg(long)]
    pub allow_fallback: bool,
    /// Also build a pseudo-locale derived from the source: `accented` (en-XA) or `bidi`
    /// (ar-XB, right to left). Repeatable; never part of a release unless asked for.
    #[arg(long, value_enum, value_name = "KIND")]
    pub pseudo: Vec<crate::pseudo::Pseudo>,
}

/// Runs the build.
pub fn run(args: &BuildArgs) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
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
    let mut site = match load_site(&source, &args.site.locales)? {
        Ok(s) => s,
        Err(status) => return Ok(status),
    };
    let (mut catalogs, load_diags) = catalog::load(&site);
    let report = validate::run(&site, &catalogs, load_diags);
    let blocking: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| {
            d.is_error() && !(args.allow_fallback && matches!(d.code, Code::E201 | Code::E202))
        })
        .cloned()
        .collect();
    if !blocking.is_empty() {
        print_diagnostics(&blocking, &SiteSources(&site));
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
    crate::pseudo::add(&mut site, &mut catalogs, &args.pseudo);
    let rendered = match render::render(
        &site,
        &catalogs,
        &RenderOptions {
            allow_fallback: args.allow_fallback,
            pseudo: args.pseudo.clone(),
            ..Default::default()
        },
    ) {
        Ok(r) => r,
        Err(diags) => {
            print_diagnostics(&diags, &SiteSources(&site));
            eprintln!(
                "error: build stopped: {} error(s); nothing was written",
                diags.len()
            );
            return Ok(ExitStatus::Failure);
        }
    };
    for f in &rendered.fallbacks {
        eprintln!("fallback: {} uses {} text for `{}`", f.locale, f.used, f.id);
    }
    let written = match output::write(&rendered.files, &args.out) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitStatus::Error);
        }
    };
    let per_locale: Vec<String> = rendered
        .pages_per_locale
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    println!(
        "built {} page(s) per locale ({}) into {} ({} files) in {:.2}s",
        site.pages.len(),
        per_locale.join(", "),
        written.out.display(),
        written.files,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitStatus::Success)
}

/// The output folder may be neither inside the site folder nor contain it: replacing it would
/// destroy the sources or feed the output back into the next build.
fn check_out_dir(site: &Path, out: &Path) -> Result<(), String> {
    let site_abs = std::fs::canonicalize(site)
        .map_err(|e| format!("cannot read site folder {}: {e}", site.display()))?;
    let out_abs = absolute(out);
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

/// `out` made absolute, resolving symlinks in the part of it that exists.
fn absolute(out: &Path) -> PathBuf {
    let joined = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(out)
    };
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut base = std::fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.iter().rev() {
        if name == ".." {
            base.pop();
        } else if name != "." {
            base.push(name);
        }
    }
    base
}
