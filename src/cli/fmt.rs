//! `ftlsite fmt [--check] [--diff] [--site DIR | PATH...]`: lay Fluent files out canonically
//! with [`crate::ftl::format`], which keeps every comment, blank-line group and broken entry.
//!
//! Every file is read and formatted before anything is written, so a file that cannot be read
//! or is not UTF-8 stops the run with nothing changed. Only files whose text changes are
//! rewritten, each atomically ([`crate::output::replace_file`]).

use std::path::{Path, PathBuf};

use clap::Args;

use super::ExitStatus;
use crate::{ftl, output};

/// Arguments of `ftlsite fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Write nothing; list the files that would change and exit 1 if there are any.
    #[arg(long)]
    pub check: bool,
    /// Write nothing; print a unified diff of what would change and exit 1 if anything would.
    #[arg(long)]
    pub diff: bool,
    /// Format the .ftl files under DIR/locales/. Default: ./locales/.
    #[arg(long, value_name = "DIR", conflicts_with = "paths")]
    pub site: Option<PathBuf>,
    /// Format these files, and the .ftl files in these folders (recursively).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// One file read and formatted.
struct Formatted {
    path: PathBuf,
    before: String,
    after: String,
}

/// Runs the formatter.
pub fn run(args: &FmtArgs) -> anyhow::Result<ExitStatus> {
    let files = match collect(args) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitStatus::Error);
        }
    };

    let mut formatted = Vec::with_capacity(files.len());
    let mut unreadable = false;
    for path in files {
        match read(&path) {
            Ok(before) => {
                let after = ftl::format(&before);
                formatted.push(Formatted {
                    path,
                    before,
                    after,
                });
            }
            Err(message) => {
                eprintln!("error: {message}");
                unreadable = true;
            }
        }
    }
    if unreadable {
        eprintln!("error: nothing was written");
        return Ok(ExitStatus::Error);
    }

    let changed: Vec<&Formatted> = formatted.iter().filter(|f| f.before != f.after).collect();
    if args.check || args.diff {
        for f in &changed {
            if args.diff {
                print!("{}", diff(f));
            } else {
                println!("{}", f.path.display());
            }
        }
        eprintln!(
            "{} of {} file(s) would be reformatted",
            changed.len(),
            formatted.len()
        );
        return Ok(if changed.is_empty() {
            ExitStatus::Success
        } else {
            ExitStatus::Failure
        });
    }

    for f in &changed {
        if let Err(e) = output::replace_file(&f.path, f.after.as_bytes()) {
            eprintln!("error: {e}");
            return Ok(ExitStatus::Error);
        }
        println!("formatted {}", f.path.display());
    }
    eprintln!(
        "{} file(s) reformatted, {} unchanged",
        changed.len(),
        formatted.len() - changed.len()
    );
    Ok(ExitStatus::Success)
}

/// The files to format, sorted, each once (however many of the paths reach it): the `.ftl` files under the site's
/// `locales/` when no path is given, else the named files and the `.ftl` files in the named
/// folders. An error names the path that cannot be used.
fn collect(args: &FmtArgs) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    if args.paths.is_empty() {
        let locales = match &args.site {
            Some(root) => root.join("locales"),
            None => PathBuf::from("locales"),
        };
        if !locales.is_dir() {
            let root = args
                .site
                .as_deref()
                .unwrap_or(Path::new("the current folder"));
            return Err(format!(
                "{} has no locales/ folder; pass --site DIR or the files to format",
                root.display()
            ));
        }
        walk(&locales, &mut files)?;
    }
    for path in &args.paths {
        if path.is_dir() {
            walk(path, &mut files)?;
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(format!("{}: no such file or folder", path.display()));
        }
    }
    files.sort();
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    Ok(files)
}

/// Adds the `*.ftl` files under `dir`, recursively.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "ftl") {
            files.push(entry.into_path());
        }
    }
    Ok(())
}

/// The text of `path`, or why it cannot be formatted.
fn read(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes
            .get(..at)
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
            + 1;
        format!(
            "{} is not UTF-8: invalid byte at offset {at} (line {line})",
            path.display()
        )
    })
}

/// A unified diff of one file's change, with `a/` and `b/` headers like `git diff`.
fn diff(f: &Formatted) -> String {
    let name = f.path.display().to_string();
    similar::TextDiff::from_lines(&f.before, &f.after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}
