//! `ftlsite report`: the translation status dashboard as a static HTML file.

use std::path::PathBuf;

use clap::Args;

use super::{load_site, print_diagnostics, ExitStatus, SiteArgs};
use crate::site::SiteSource;
use crate::{catalog, validate};

/// Arguments of `ftlsite report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Site folder and locale filter.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Folder to write `index.html` into (created when missing; other files in it are left
    /// alone).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Writes the dashboard. Exit 0 once it is written, whatever it shows (the findings are in
/// it); 1 when the site cannot be loaded at all (its diagnostics are printed); 2 when the file
/// cannot be written.
pub fn run(args: &ReportArgs) -> anyhow::Result<ExitStatus> {
    let source = match &args.site.site {
        Some(dir) => SiteSource::Dir(dir.clone()),
        None => super::embedded(),
    };
    let site = match load_site(&source, &args.site.locales, &|d, s| print_diagnostics(d, s))? {
        Ok(s) => s,
        Err(status) => return Ok(status),
    };
    let (catalogs, load_diags) = catalog::load(&site);
    let report = validate::run(&site, &catalogs, load_diags);
    let html = crate::report::dashboard(&site, &catalogs, &report);
    std::fs::create_dir_all(&args.out)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", args.out.display()))?;
    let path = args.out.join("index.html");
    super::write_atomically(&path, &html)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    println!(
        "wrote {} ({} error(s), {} warning(s))",
        path.display(),
        report.summary.errors,
        report.summary.warnings
    );
    Ok(ExitStatus::Success)
}
