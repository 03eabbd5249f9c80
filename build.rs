//! Build script: validates the shipped site (site.toml, locales/, templates/, assets/) with the same
//! code `ftlsite check` runs, failing the build on any error, and embeds the site's files into the
//! binary as `$OUT_DIR/embedded.rs`.
//!
//! The checks are the `ftlsite-core` crate's, an ordinary build-dependency, so `cargo build` and
//! `ftlsite check` report the same codes at the same positions.
//!
//! Output: every error is printed in the full text form (snippet, carets, `help:`) as
//! `cargo::error=` lines, one per line of text, so `cargo build` fails naming `path:line:col` and
//! the code; every warning is one `cargo::warning=` line in the short form.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ftlsite_core::diagnostics::{self, text, Diagnostic, SourceMap};
use ftlsite_core::site::{self, LoadError, SiteSource};
use ftlsite_core::{catalog, validate};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    for name in site::INPUTS {
        println!("cargo::rerun-if-changed={name}");
    }
    println!("cargo::rerun-if-changed=build.rs");

    let files = match site::load(&SiteSource::Dir(root.clone())) {
        Ok(site) => {
            let (catalogs, load_diags) = catalog::load(&site);
            let report = validate::run(&site, &catalogs, load_diags);
            emit(&report.diagnostics, &site.files);
            site.files.paths().map(str::to_string).collect()
        }
        Err(LoadError::Invalid {
            mut diagnostics,
            sources,
        }) => {
            diagnostics::sort(&mut diagnostics, &sources);
            emit(&diagnostics, &sources);
            Vec::new()
        }
        Err(e) => {
            println!("cargo::error=cannot load the shipped site: {e}");
            Vec::new()
        }
    };
    write_embedded(&root, &files);
}

/// Errors in full form as `cargo::error=` lines, warnings in short form as `cargo::warning=`.
fn emit(diags: &[Diagnostic], sources: &SourceMap) {
    for d in diags {
        if d.is_error() {
            for line in text::full(d, sources, false).lines() {
                // An empty `cargo::error=` line would print a bare "error:"; keep the gap visible.
                let line = if line.trim().is_empty() { " " } else { line };
                println!("cargo::error={line}");
            }
        } else {
            println!("cargo::warning={}", text::short(d, sources));
        }
    }
}

/// The table of every site file the loader read, as `(site-relative path, include_bytes!(...))`.
fn write_embedded(root: &Path, files: &[String]) {
    let mut table = String::from(
        "/// Every file of the shipped site: (site-relative path, bytes).\n\
         pub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for key in files {
        let path = key
            .split('/')
            .fold(root.to_path_buf(), |p, seg| p.join(seg));
        let _ = writeln!(
            table,
            "    ({key:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    table.push_str("];\n");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(e) = std::fs::write(Path::new(&out).join("embedded.rs"), table) {
        println!("cargo::error=cannot write embedded.rs: {e}");
    }
}
