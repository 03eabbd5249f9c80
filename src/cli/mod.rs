//! Command-line interface: clap types, flags shared by subcommands, and exit statuses. Each
//! subcommand lives in its own file with a `run` function.

mod build;
mod check;
mod fix;
mod fmt;
mod incremental;
mod merge;
mod report;
#[cfg(feature = "serve")]
mod serve;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::diagnostics::{text, Diagnostic, SourceMap};
use crate::site::{self, LoadError, Site, SiteSource};

/// What the process exits with. Each code means one thing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Clean (warnings allowed).
    Success = 0,
    /// The site has errors (or warnings under `--deny-warnings`).
    Failure = 1,
    /// Usage or I/O error: ftlsite could not do its job.
    Error = 2,
}

/// Build multilingual static sites from Fluent catalogs and MiniJinja templates, and check
/// their translations.
#[derive(Debug, Parser)]
#[command(name = "ftlsite", version, about, long_about = None)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render every page in every locale into an output folder.
    Build(build::BuildArgs),
    /// Live preview: build in memory, serve on 127.0.0.1, rebuild and reload on every change.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// Report every missing, obsolete, broken or suspicious translation.
    Check(check::CheckArgs),
    /// Join the outputs of `build --shard I/N` into one tree.
    Merge(merge::MergeArgs),
    /// Lay .ftl files out canonically, keeping every comment and broken entry.
    Fmt(fmt::FmtArgs),
    /// Write a static translation status dashboard (HTML) into a folder.
    Report(report::ReportArgs),
}

impl Command {
    /// Whether this command is the long-running preview server.
    pub fn is_server(&self) -> bool {
        #[cfg(feature = "serve")]
        if matches!(self, Command::Serve(_)) {
            return true;
        }
        false
    }

    /// Whether this command renders a whole output tree (`build`, `serve`): its peak memory
    /// is what a large site's build is limited by, so it asks the allocator to return freed
    /// memory at once ([`crate::memory::lean`]).
    pub fn holds_output(&self) -> bool {
        matches!(self, Command::Build(_)) || self.is_server()
    }
}

/// `--site` and `--locale`, shared by subcommands.
#[derive(Debug, Args, Clone)]
pub struct SiteArgs {
    /// Site folder (site.toml, locales/, templates/). Default: the site embedded in ftlsite.
    #[arg(long, value_name = "DIR")]
    pub site: Option<PathBuf>,
    /// Limit the run to these target locales (repeatable).
    #[arg(long = "locale", value_name = "LOCALE")]
    pub locales: Vec<String>,
}

/// Parses arguments and runs the subcommand. Errors that reach here are I/O or usage errors.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Build(args) => build::run(&args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Report(args) => report::run(&args),
    }
}

/// The site embedded in the binary at compile time.
pub fn embedded() -> SiteSource {
    SiteSource::Embedded(crate::embedded::FILES)
}

/// Loads a site, handing its diagnostics to `report` when it is invalid. `Ok(Err(status))` means
/// "invalid, already reported"; `Err` is an I/O error.
pub(crate) fn load_site(
    source: &SiteSource,
    locales: &[String],
    report: &dyn Fn(&[Diagnostic], &SourceMap),
) -> anyhow::Result<Result<Site, ExitStatus>> {
    match site::load(source) {
        Ok(mut site) => {
            for l in locales {
                if !site.targets.iter().any(|t| &t.code == l) {
                    let known: Vec<_> = site.targets.iter().map(|t| t.code.as_str()).collect();
                    eprintln!(
                        "error: --locale {l} is not a target locale of this site (targets: {})",
                        known.join(", ")
                    );
                    return Ok(Err(ExitStatus::Error));
                }
            }
            site.retain_targets(locales);
            Ok(Ok(site))
        }
        Err(LoadError::Invalid {
            mut diagnostics,
            sources,
        }) => {
            crate::diagnostics::sort(&mut diagnostics, &sources);
            report(&diagnostics, &sources);
            Ok(Err(ExitStatus::Failure))
        }
        Err(e @ LoadError::Io { .. }) => Err(e.into()),
    }
}

/// Prints why the output could not be written, with what to do about it. Always exit 2: the
/// site may be fine, ftlsite could not do its job.
pub(crate) fn output_error(e: &crate::output::OutputError) -> ExitStatus {
    use crate::output::OutputError;
    match e {
        OutputError::Stranded { .. } => eprintln!("error: {e}"),
        OutputError::Interrupted => eprintln!("error: interrupted; nothing was written"),
        _ => eprintln!("error: {e}; nothing was written"),
    }
    if let OutputError::NotAnOutput { .. } = e {
        eprintln!(
            "note: ftlsite replaces only empty folders and its own earlier output; choose \
             another folder, or pass `--force` to replace this one (everything in it is deleted)"
        );
    }
    ExitStatus::Error
}

/// Writes `text` to `path` atomically, so a reader never sees half a file: an existing file is
/// replaced as [`crate::output::replace_file`] does (keeping its permissions); a new one is
/// written beside its place and renamed into it, readable by everyone (0644 on Unix).
pub(crate) fn write_atomically(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    if path.exists() {
        return Ok(crate::output::replace_file(path, text.as_bytes())?);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ftlsite-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org).
pub(crate) fn use_color(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Prints diagnostics in full form to stderr, coloured on a terminal.
pub(crate) fn print_diagnostics(diags: &[Diagnostic], sources: &SourceMap) {
    let color = use_color(&std::io::stderr());
    eprint!("{}", text::report(diags, sources, color));
}
