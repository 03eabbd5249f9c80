//! Config stage: read a site folder (or the site embedded in the binary) and `site.toml` into a
//! [`Site`]: typed locales, pages and links, plus every file's bytes.
//!
//! Reading everything up front keeps the later stages pure: validation, rendering and the serve
//! loop work on memory, and the embedded site and a folder on disk look the same to them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;
use unic_langid::LanguageIdentifier;

use crate::diagnostics::{Code, Diagnostic};

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

/// `site.toml`, as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SiteConfig {
    /// The reference locale every translation is compared with.
    pub source_locale: String,
    /// Target locales, in the order the language switcher lists them after the source.
    #[serde(default)]
    pub locales: Vec<String>,
    /// Absolute URL the site is published under; enables canonical and absolute alternates.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Pages rendered for every locale.
    #[serde(default)]
    pub pages: Vec<PageConfig>,
    /// URLs outside this site, by name, for `link()` in templates.
    #[serde(default)]
    pub links: BTreeMap<String, String>,
    /// Per-locale fallback chains used with `--allow-fallback`, e.g. `zh-TW = ["zh-CN"]`.
    #[serde(default)]
    pub fallback: BTreeMap<String, Vec<String>>,
    /// Texts that may stay identical to the source in a translation (brand names, codes).
    #[serde(default)]
    pub identical_allowed: Vec<String>,
}

/// One `[[pages]]` entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PageConfig {
    /// Template file under `templates/`.
    pub template: String,
    /// Output path under `<out>/<locale>/`.
    pub output: String,
    /// Page variables, visible as `page.vars` in templates.
    #[serde(default)]
    pub vars: BTreeMap<String, toml::Value>,
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
    /// Every file of the site by root-relative `/`-separated path.
    pub files: BTreeMap<String, Vec<u8>>,
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
    #[error("the site has {} error(s)", .0.len())]
    Invalid(Vec<Diagnostic>),
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
        self.files
            .get(path)
            .and_then(|b| std::str::from_utf8(b).ok())
    }

    /// Site-relative paths of the files under `prefix` (which ends in `/`), sorted.
    pub fn files_under<'a>(
        &'a self,
        prefix: &str,
    ) -> impl Iterator<Item = (&'a String, &'a Vec<u8>)> + 'a {
        let prefix = prefix.to_string();
        self.files
            .range(prefix.clone()..)
            .take_while(move |(k, _)| k.starts_with(&prefix))
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
    "locales",
    "templates",
    "assets",
    "pages",
];

/// `path` relative to `base` as a `/`-separated key, the form every site file is known by.
pub fn relative_key(base: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// Reads a site from its source and resolves its configuration.
pub fn load(source: &SiteSource) -> Result<Site, LoadError> {
    match source {
        SiteSource::Dir(dir) => {
            let files = read_dir(dir, INPUTS)?;
            resolve(dir.display().to_string(), Some(dir.clone()), files)
        }
        SiteSource::Embedded(table) => {
            let files = table
                .iter()
                .map(|(p, b)| (p.to_string(), b.to_vec()))
                .collect();
            resolve("embedded".to_string(), None, files)
        }
        SiteSource::Bare { dir, source_locale } => load_bare(dir, source_locale),
    }
}

fn load_bare(dir: &Path, source_locale: &str) -> Result<Site, LoadError> {
    let files = read_dir(dir, &[])?;
    let mut codes: BTreeSet<String> = BTreeSet::new();
    for path in files.keys() {
        if let Some((first, _)) = path.split_once('/') {
            if path.ends_with(".ftl") {
                codes.insert(first.to_string());
            }
        }
    }
    let mut diags = Vec::new();
    let source = parse_locale(source_locale, &codes, &mut diags);
    let targets = codes
        .iter()
        .filter(|c| c.as_str() != source_locale)
        .filter_map(|c| parse_locale(c, &codes, &mut diags))
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
            files,
        }),
        _ => Err(LoadError::Invalid(diags)),
    }
}

/// Reads the named top-level entries of `dir` (all of it when `roots` is empty), sorted, skipping
/// hidden files.
fn read_dir(dir: &Path, roots: &[&str]) -> Result<BTreeMap<String, Vec<u8>>, LoadError> {
    let io = |path: &Path, source: std::io::Error| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(dir).map_err(|e| io(dir, e))?;
    if !meta.is_dir() {
        return Err(io(
            dir,
            std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory"),
        ));
    }
    let mut files = BTreeMap::new();
    let starts: Vec<PathBuf> = if roots.is_empty() {
        vec![dir.to_path_buf()]
    } else {
        roots.iter().map(|r| dir.join(r)).collect()
    };
    for start in starts {
        if !start.exists() {
            continue;
        }
        let walker = walkdir::WalkDir::new(&start)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(dir).to_path_buf();
                let err = e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("filesystem loop"));
                io(&path, err)
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let Some(key) = relative_key(dir, entry.path()) else {
                continue;
            };
            let bytes = std::fs::read(entry.path()).map_err(|e| io(entry.path(), e))?;
            files.insert(key, bytes);
        }
    }
    Ok(files)
}

fn resolve(
    origin: String,
    dir: Option<PathBuf>,
    files: BTreeMap<String, Vec<u8>>,
) -> Result<Site, LoadError> {
    let Some(bytes) = files.get(CONFIG_FILE) else {
        return Err(LoadError::Invalid(vec![Diagnostic::new(
            Code::E005,
            format!("no {CONFIG_FILE} in {origin}"),
        )
        .help(
            "run ftlsite in a site folder, or pass --site DIR (see docs/site-format.md)",
        )]));
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Err(LoadError::Invalid(vec![utf8_diagnostic(
                CONFIG_FILE,
                bytes,
                &e,
            )]))
        }
    };
    let config: SiteConfig = match toml::from_str(text) {
        Ok(c) => c,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().to_string();
            return Err(LoadError::Invalid(vec![
                Diagnostic::new(Code::E001, msg).at(CONFIG_FILE, text, span)
            ]));
        }
    };
    let mut diags = Vec::new();
    let folders: BTreeSet<String> = files
        .keys()
        .filter_map(|k| k.strip_prefix("locales/"))
        .filter_map(|k| k.split_once('/').map(|(l, _)| l.to_string()))
        .collect();
    let at_value = |needle: &str| value_span(text, needle);
    let locale_diag = |code: &str, diags: &mut Vec<Diagnostic>| {
        let span = at_value(code);
        let before = diags.len();
        let parsed = parse_locale(code, &folders, diags);
        for d in diags.iter_mut().skip(before) {
            *d = d
                .clone()
                .at(CONFIG_FILE, text, span.clone().unwrap_or(0..0));
        }
        parsed
    };
    let source = locale_diag(&config.source_locale, &mut diags);
    let mut targets = Vec::new();
    let mut seen = BTreeSet::new();
    for code in &config.locales {
        if !seen.insert(code.clone()) || *code == config.source_locale {
            diags.push(
                Diagnostic::new(Code::E001, format!("locale `{code}` is listed twice")).at(
                    CONFIG_FILE,
                    text,
                    at_value(code).unwrap_or(0..0),
                ),
            );
            continue;
        }
        if let Some(l) = locale_diag(code, &mut diags) {
            targets.push(l);
        }
    }
    for l in source.iter().chain(targets.iter()) {
        if !folders.contains(&l.code) {
            diags.push(
                Diagnostic::new(
                    Code::E005,
                    format!("no folder locales/{}/ for locale `{}`", l.code, l.code),
                )
                .at(CONFIG_FILE, text, at_value(&l.code).unwrap_or(0..0))
                .help(format!(
                    "create locales/{}/ with the locale's .ftl files",
                    l.code
                )),
            );
        }
    }
    let mut pages = Vec::new();
    let mut outputs = BTreeSet::new();
    for p in &config.pages {
        add_page(
            p,
            CONFIG_FILE,
            text,
            &files,
            &mut outputs,
            &mut pages,
            &mut diags,
        );
    }
    // pages/**/*.toml: one small file per page, for sites with many pages.
    for (path, bytes) in files
        .range("pages/".to_string()..)
        .take_while(|(k, _)| k.starts_with("pages/"))
    {
        if !path.ends_with(".toml") {
            continue;
        }
        let page_text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                diags.push(utf8_diagnostic(path, bytes, &e));
                continue;
            }
        };
        match toml::from_str::<PageConfig>(page_text) {
            Ok(p) => add_page(
                &p,
                path,
                page_text,
                &files,
                &mut outputs,
                &mut pages,
                &mut diags,
            ),
            Err(e) => diags.push(
                Diagnostic::new(Code::E001, e.message().trim().to_string()).at(
                    path,
                    page_text,
                    e.span().unwrap_or(0..0),
                ),
            ),
        }
    }
    let base_url = config.base_url.as_ref().map(|u| {
        if u.ends_with('/') {
            u.clone()
        } else {
            format!("{u}/")
        }
    });
    if let Some(u) = &base_url {
        if !(u.starts_with("https://") || u.starts_with("http://")) {
            diags.push(
                Diagnostic::new(Code::E001, format!("base-url `{u}` is not an http(s) URL")).at(
                    CONFIG_FILE,
                    text,
                    at_value(u.trim_end_matches('/')).unwrap_or(0..0),
                ),
            );
        }
    }
    let mut fallback = BTreeMap::new();
    for (code, chain) in &config.fallback {
        let known: BTreeSet<&str> = std::iter::once(config.source_locale.as_str())
            .chain(config.locales.iter().map(String::as_str))
            .collect();
        for c in std::iter::once(code).chain(chain.iter()) {
            if !known.contains(c.as_str()) {
                diags.push(
                    Diagnostic::new(
                        Code::E002,
                        format!("fallback names `{c}`, which is not a locale of this site"),
                    )
                    .at(CONFIG_FILE, text, at_value(c).unwrap_or(0..0))
                    .help("list the locale under `locales` first"),
                );
            }
        }
        fallback.insert(code.clone(), chain.clone());
    }
    let Some(source) = source else {
        return Err(LoadError::Invalid(diags));
    };
    if !diags.is_empty() {
        return Err(LoadError::Invalid(diags));
    }
    Ok(Site {
        origin,
        dir,
        locales_dir: "locales".to_string(),
        source,
        targets,
        pages,
        links: config.links.clone(),
        base_url,
        fallback,
        identical_allowed: config.identical_allowed.iter().cloned().collect(),
        files,
    })
}

/// Byte range of the first quoted string value `needle` in a TOML text, to place a diagnostic
/// about a value the deserializer accepted but a later check rejects.
fn value_span(text: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    let quoted = format!("\"{needle}\"");
    text.find(&quoted).map(|i| i + 1..i + 1 + needle.len())
}

/// Checks one page declaration (from site.toml or a pages/ file) and adds it.
fn add_page(
    p: &PageConfig,
    file: &str,
    text: &str,
    files: &BTreeMap<String, Vec<u8>>,
    outputs: &mut BTreeSet<String>,
    pages: &mut Vec<Page>,
    diags: &mut Vec<Diagnostic>,
) {
    let at_value = |needle: &str| value_span(text, needle).unwrap_or(0..0);
    if let Err(why) = check_relative(&p.output) {
        diags.push(
            Diagnostic::new(Code::E004, format!("page output `{}` {why}", p.output))
                .at(file, text, at_value(&p.output))
                .help("page outputs are relative paths under <out>/<locale>/, such as privacy/default.html"),
        );
        return;
    }
    if let Err(why) = check_relative(&p.template) {
        diags.push(
            Diagnostic::new(Code::E004, format!("template `{}` {why}", p.template)).at(
                file,
                text,
                at_value(&p.template),
            ),
        );
        return;
    }
    if !files.contains_key(&format!("templates/{}", p.template)) {
        diags.push(
            Diagnostic::new(
                Code::E005,
                format!("template `templates/{}` does not exist", p.template),
            )
            .at(file, text, at_value(&p.template)),
        );
    }
    if !outputs.insert(p.output.clone()) {
        diags.push(
            Diagnostic::new(Code::E006, format!("two pages write `{}`", p.output)).at(
                file,
                text,
                at_value(&p.output),
            ),
        );
    }
    pages.push(Page {
        template: p.template.clone(),
        output: p.output.clone(),
        vars: p.vars.clone(),
    });
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

/// Parses a locale code strictly: it must be well-formed BCP 47 in canonical case, and its
/// language must be one CLDR knows. Problems become E002 diagnostics with a suggestion.
pub fn parse_locale(
    code: &str,
    folders: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Locale> {
    let suggestion = suggest(code, folders);
    let hint = |s: Option<String>| match s {
        Some(s) => format!("did you mean `{s}`?"),
        None => "use a BCP 47 code such as en-US, zh-CN or ar".to_string(),
    };
    match LanguageIdentifier::from_str(code) {
        Err(_) => {
            diags.push(
                Diagnostic::new(Code::E002, format!("`{code}` is not a valid locale code"))
                    .help(hint(suggestion)),
            );
            None
        }
        Ok(id) => {
            let canonical = id.to_string();
            if canonical != code {
                diags.push(
                    Diagnostic::new(
                        Code::E002,
                        format!("locale code `{code}` is not written in canonical form"),
                    )
                    .help(format!("did you mean `{canonical}`?")),
                );
                return None;
            }
            let mut max = id.clone();
            if !max.maximize() && !is_pseudo(&id) {
                diags.push(
                    Diagnostic::new(Code::E002, format!("`{code}` is not a known language"))
                        .help(hint(suggestion)),
                );
                return None;
            }
            Some(Locale {
                code: code.to_string(),
                id,
            })
        }
    }
}

/// Pseudo-locales (en-XA, ar-XB) are known by their private-use regions.
fn is_pseudo(id: &LanguageIdentifier) -> bool {
    matches!(
        id.region.as_ref().map(|r| r.as_str()),
        Some("XA") | Some("XB")
    )
}

/// The closest locale folder to a mistyped code (case, separator or one or two letters off).
fn suggest(code: &str, folders: &BTreeSet<String>) -> Option<String> {
    let norm = code.replace('_', "-");
    if let Ok(id) = LanguageIdentifier::from_str(&norm) {
        let canonical = id.to_string();
        if canonical != code {
            return Some(canonical);
        }
    }
    folders
        .iter()
        .map(|f| (edit_distance(&norm.to_lowercase(), &f.to_lowercase()), f))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, f)| f.clone())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = if ca == *cb { 0 } else { 1 };
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// E003 for a file that is not UTF-8, placed at the first bad byte.
pub fn utf8_diagnostic(path: &str, bytes: &[u8], err: &std::str::Utf8Error) -> Diagnostic {
    let good = &bytes[..err.valid_up_to()];
    let prefix = String::from_utf8_lossy(good);
    let end = prefix.len();
    Diagnostic::new(
        Code::E003,
        format!("invalid UTF-8 at byte {}", err.valid_up_to()),
    )
    .at(path, &prefix, end..end)
    .help("re-save the file as UTF-8; the bytes after this point were not read")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders() -> BTreeSet<String> {
        ["en-US", "zh-CN"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn locale_codes_are_strict_with_suggestions() {
        let mut d = Vec::new();
        assert!(parse_locale("zh-CN", &folders(), &mut d).is_some());
        assert!(d.is_empty());
        assert!(parse_locale("zh_CN", &folders(), &mut d).is_none());
        assert!(d[0].help.contains("zh-CN"), "{:?}", d[0]);
        d.clear();
        assert!(parse_locale("zz-CN", &folders(), &mut d).is_none());
        assert!(d[0].message.contains("not a known language"), "{:?}", d);
        assert!(d[0].help.contains("zh-CN"), "{:?}", d);
        d.clear();
        assert!(parse_locale("en-US-!", &folders(), &mut d).is_none());
        assert_eq!(d[0].code, Code::E002);
    }

    #[test]
    fn relative_paths_may_not_escape() {
        assert!(check_relative("privacy/default.html").is_ok());
        assert!(check_relative("../x.html").is_err());
        assert!(check_relative("a/../../x.html").is_err());
        assert!(check_relative("/etc/passwd").is_err());
        assert!(check_relative("a\\b").is_err());
    }
}
