//! Config stage: read a site folder (or the site embedded in the binary) and `site.toml` into a
//! [`Site`]: typed locales, pages and links, plus every file's bytes in a [`SourceMap`].
//!
//! Reading everything up front keeps the later stages pure: validation, rendering and the serve
//! loop work on memory, and the embedded site and a folder on disk look the same to them.

mod config;
mod fallback;
mod files;
mod locale;
mod page_file;
mod policy;
pub mod qa;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use unic_langid::LanguageIdentifier;

use crate::diagnostics::{Code, Diagnostic, FileId, SourceMap};
pub use config::{PageConfig, SiteConfig};
pub use fallback::fallback_chain;
pub use locale::{parse_locale, LocaleError};
pub use policy::{ActivationConfig, LocaleActivationConfig, Policy};

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// Where the site's files come from.
#[derive(Clone, Debug)]
pub enum SiteSource {
    /// A site folder on disk.
    Dir(PathBuf),
    /// Files compiled into the binary: (site-relative path, bytes).
    Embedded(&'static [(&'static str, &'static [u8])]),
    /// A bare Fluent tree laid out `DIR/<locale>/**/*.ftl`, with the given source locale and
    /// no site.toml or templates.
    Bare {
        /// The folder holding one sub-folder per locale.
        dir: PathBuf,
        /// The reference locale's folder name.
        source_locale: String,
    },
}

/// A parsed locale: the code as written and its identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locale {
    /// The code as the folder and output use it, e.g. `zh-CN`.
    pub code: String,
    /// The parsed identifier.
    pub id: LanguageIdentifier,
}

/// A page to render for every locale.
#[derive(Clone, Debug)]
pub struct Page {
    /// Template name under `templates/`.
    pub template: String,
    /// Output path relative to the locale folder, `/`-separated.
    pub output: String,
    /// Page variables.
    pub vars: BTreeMap<String, toml::Value>,
    /// The file that declares the page (site.toml or a pages/ file) and the span of its
    /// `output` value, for diagnostics about the page.
    pub declared: (FileId, std::ops::Range<usize>),
}

/// A loaded site: configuration resolved into typed values, and every file's bytes.
#[derive(Clone, Debug)]
pub struct Site {
    /// Where it came from, for messages (a path, or `embedded`).
    pub origin: String,
    /// The folder on disk, when there is one.
    pub dir: Option<PathBuf>,
    /// Folder of the locale trees relative to the root: `locales`, or empty for a bare tree.
    pub locales_dir: String,
    /// The reference locale.
    pub source: Locale,
    /// Target locales, in site order.
    pub targets: Vec<Locale>,
    /// Pages, in site order.
    pub pages: Vec<Page>,
    /// Outside links by name.
    pub links: BTreeMap<String, String>,
    /// Base URL with a trailing slash.
    pub base_url: Option<String>,
    /// Fallback chains by locale code (not including the source, which always ends a chain).
    pub fallback: BTreeMap<String, Vec<String>>,
    /// Texts allowed to stay identical to the source.
    pub identical_allowed: BTreeSet<String>,
    /// Translation QA settings (`[qa]` of site.toml, or the defaults).
    pub qa: qa::QaConfig,
    /// The terminology glossary, when the site has one.
    pub glossary: Option<crate::glossary::Glossary>,
    /// The activation policy (`[activation]`), when the site declares one.
    pub activation: Option<Policy>,
    /// Every file of the site by root-relative `/`-separated path.
    pub files: SourceMap,
    /// Warnings found while loading (skipped links), reported with the validation findings.
    pub warnings: Vec<Diagnostic>,
}

/// Why a site could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The folder or a file in it could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The site's content is invalid; each diagnostic says where.
    #[error("the site has {} error(s)", diagnostics.len())]
    Invalid {
        /// Every finding, errors and warnings.
        diagnostics: Vec<Diagnostic>,
        /// The files the findings point into.
        sources: SourceMap,
    },
}

impl Site {
    /// Source first, then targets.
    pub fn locales(&self) -> impl Iterator<Item = &Locale> {
        std::iter::once(&self.source).chain(self.targets.iter())
    }

    /// The folder prefix of a locale's Fluent files, e.g. `locales/zh-CN/`.
    pub fn locale_prefix(&self, code: &str) -> String {
        if self.locales_dir.is_empty() {
            format!("{code}/")
        } else {
            format!("{}/{code}/", self.locales_dir)
        }
    }

    /// The text of a site file, if it exists and is UTF-8.
    pub fn text(&self, path: &str) -> Option<&str> {
        self.files.text_of(path)
    }

    /// The files under `prefix` (which ends in `/`), sorted by path.
    pub fn files_under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (FileId, &'a str, &'a [u8])> + 'a {
        self.files.files_under(prefix)
    }

    /// Keeps only the given target locales (the `--locale` filter).
    pub fn retain_targets(&mut self, codes: &[String]) {
        if !codes.is_empty() {
            self.targets.retain(|l| codes.contains(&l.code));
        }
    }
}

/// The top-level entries of a site folder that make up the site: what is read, embedded and
/// watched.
pub const INPUTS: &[&str] = &[
    "site.toml",
    "l10n.lock",
    crate::glossary::GLOSSARY_FILE,
    "activation.lock",
    "locales",
    "templates",
    "assets",
    "pages",
];

/// `path` relative to `base` as a `/`-separated key, the form every site file is known by.
/// `None` when `path` is not under `base` or a component is not UTF-8.
pub fn relative_key(base: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// Reads a site from its source and resolves its configuration.
pub fn load(source: &SiteSource) -> Result<Site, LoadError> {
    match source {
        SiteSource::Dir(dir) => {
            let read = files::read(dir, INPUTS)?;
            config::resolve(
                dir.display().to_string(),
                Some(dir.clone()),
                read.sources,
                read.diagnostics,
            )
        }
        SiteSource::Embedded(table) => {
            let mut sources = SourceMap::new();
            for (p, b) in table.iter() {
                sources.insert(*p, b.to_vec());
            }
            config::resolve("embedded".to_string(), None, sources, Vec::new())
        }
        SiteSource::Bare { dir, source_locale } => load_bare(dir, source_locale),
    }
}

/// Resolves a site from files already in memory (site-relative paths): what the loader does
/// after reading a folder, for sites that never touch the disk (tests, sweeps, editors).
pub fn from_files(origin: &str, files: SourceMap) -> Result<Site, LoadError> {
    config::resolve(origin.to_string(), None, files, Vec::new())
}

fn load_bare(dir: &Path, source_locale: &str) -> Result<Site, LoadError> {
    let read = files::read(dir, &[])?;
    let files = read.sources;
    let (mut diags, warnings): (Vec<_>, Vec<_>) =
        read.diagnostics.into_iter().partition(|d| d.is_error());
    let mut codes: BTreeSet<String> = BTreeSet::new();
    for path in files.paths() {
        if let Some((first, _)) = path.split_once('/') {
            if path.ends_with(".ftl") {
                codes.insert(first.to_string());
            }
        }
    }
    let mut parse = |code: &str| match parse_locale(code, &codes) {
        Ok(l) => Some(l),
        Err(e) => {
            diags.push(Diagnostic::new(Code::E002, e.message).help(e.help));
            None
        }
    };
    let source = parse(source_locale);
    let targets: Vec<Locale> = codes
        .iter()
        .filter(|c| c.as_str() != source_locale)
        .filter_map(|c| parse(c))
        .collect();
    if !codes.contains(source_locale) {
        diags.push(
            Diagnostic::new(
                Code::E005,
                format!(
                    "no folder `{source_locale}` for the source locale in {}",
                    dir.display()
                ),
            )
            .help(format!(
                "the folders found are: {}",
                codes.iter().cloned().collect::<Vec<_>>().join(", ")
            )),
        );
    }
    // A bare tree may carry a glossary at its root, like a site.
    let no_config = |s: std::ops::Range<usize>| s;
    let glossary = match files.id(crate::glossary::GLOSSARY_FILE) {
        Some(id) => config::load_glossary(&files, None, id, &no_config, &mut diags),
        None => None,
    };
    match source {
        Some(source) if diags.is_empty() => Ok(Site {
            origin: dir.display().to_string(),
            dir: Some(dir.to_path_buf()),
            locales_dir: String::new(),
            source,
            targets,
            pages: Vec::new(),
            links: BTreeMap::new(),
            base_url: None,
            fallback: BTreeMap::new(),
            identical_allowed: BTreeSet::new(),
            qa: qa::QaConfig::default(),
            glossary,
            activation: None,
            files,
            warnings,
        }),
        _ => {
            diags.extend(warnings);
            Err(LoadError::Invalid {
                diagnostics: diags,
                sources: files,
            })
        }
    }
}

/// `Ok` when `p` is a relative `/`-separated path that stays inside its folder.
pub fn check_relative(p: &str) -> Result<(), &'static str> {
    if p.is_empty() {
        return Err("is empty");
    }
    if p.starts_with('/') || p.contains('\\') || p.contains(':') {
        return Err("must be a relative path with `/` separators");
    }
    if p.split('/')
        .any(|seg| seg == ".." || seg == "." || seg.is_empty())
    {
        return Err("escapes its folder (`..`, `.` or an empty segment)");
    }
    Ok(())
}

/// E003 for a file that is not UTF-8, placed at the first bad byte.
pub fn utf8_diagnostic(file: FileId, err: &std::str::Utf8Error) -> Diagnostic {
    let at = err.valid_up_to();
    Diagnostic::new(Code::E003, format!("invalid UTF-8 at byte {at}"))
        .at(file, at..at)
        .help("re-save the file as UTF-8; the bytes after this point were not read")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_may_not_escape() {
        assert!(check_relative("privacy/default.html").is_ok());
        assert!(check_relative("../x.html").is_err());
        assert!(check_relative("a/../../x.html").is_err());
        assert!(check_relative("/etc/passwd").is_err());
        assert!(check_relative("a\\b").is_err());
    }
}
