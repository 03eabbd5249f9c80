//! `ftlsite check --fix [--dry-run]`: write the mechanical QA fixes core computes
//! ([`crate::validate::qa::fix`]) through the single-entry writer, one pattern at a time.
//!
//! Each file is read from disk, opened as a [`Document`], and only the affected entries are
//! replaced (`replace_value`, `replace_attribute`); a missing final newline is added. Changed
//! files are replaced atomically ([`crate::output::replace_file`]). With `--dry-run` nothing is
//! written and a unified diff is printed instead.

use std::path::Path;

use crate::catalog::Catalogs;
use crate::ftl::Document;
use crate::site::Site;
use crate::validate::qa::fix::{fixes, FileFix};

/// What one run did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Files whose text changed (or would change).
    pub files: usize,
    /// Patterns rewritten.
    pub patterns: usize,
    /// The unified diff (only for `--dry-run`).
    pub diff: String,
    /// Fixes the writer refused, as `path: id: why`.
    pub refused: Vec<String>,
}

/// Applies (or, with `dry_run`, shows) every mechanical fix of the site in `dir`.
pub fn apply(
    dir: &Path,
    site: &Site,
    catalogs: &Catalogs,
    dry_run: bool,
) -> anyhow::Result<Outcome> {
    let mut out = Outcome::default();
    for f in fixes(site, catalogs) {
        let path = f
            .path
            .split('/')
            .fold(dir.to_path_buf(), |p, seg| p.join(seg));
        let old = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        let new = rewrite(&old, &f, &mut out);
        if new == old {
            continue;
        }
        out.files += 1;
        if dry_run {
            let diff = similar::TextDiff::from_lines(&old, &new);
            out.diff.push_str(
                &diff
                    .unified_diff()
                    .context_radius(1)
                    .header(&f.path, &f.path)
                    .to_string(),
            );
        } else {
            crate::output::replace_file(&path, new.as_bytes())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    Ok(out)
}

/// The file's text with the fixes of `f` written in.
fn rewrite(old: &str, f: &FileFix, out: &mut Outcome) -> String {
    let mut doc = Document::parse(old);
    for e in &f.entries {
        let done = match &e.attribute {
            None => doc.replace_value(&e.id, &e.pattern),
            Some(a) => doc.replace_attribute(&e.id, a, &e.pattern),
        };
        match done {
            Ok(_) => out.patterns += 1,
            Err(why) => out.refused.push(format!("{}: {}: {why}", f.path, e.id)),
        }
    }
    let mut text = doc.into_text();
    if f.final_newline && !text.is_empty() && !text.ends_with('\n') {
        text.push_str(if text.contains("\r\n") { "\r\n" } else { "\n" });
    }
    text
}
