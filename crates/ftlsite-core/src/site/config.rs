//! `site.toml` and `pages/**/*.toml`: serde types with `deny_unknown_fields`, every value a
//! diagnostic may point at kept as a `toml::Spanned`, then resolved into a [`Site`].

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use super::CONFIG_FILE;
use super::{check_relative, parse_locale, utf8_diagnostic, LoadError, Locale, Page, Site};
use crate::diagnostics::{Code, Diagnostic, FileId, SourceMap};

/// `site.toml`, as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SiteConfig {
    /// The reference locale every translation is compared with.
    pub source_locale: Spanned<String>,
    /// Target locales, in the order the language switcher lists them after the source.
    #[serde(default)]
    pub locales: Vec<Spanned<String>>,
    /// Absolute URL the site is published under; enables canonical and absolute alternates.
    #[serde(default)]
    pub base_url: Option<Spanned<String>>,
    /// Pages rendered for every locale.
    #[serde(default)]
    pub pages: Vec<PageConfig>,
    /// URLs outside this site, by name, for `link()` in templates.
    #[serde(default)]
    pub links: BTreeMap<String, String>,
    /// Per-locale fallback chains used with `--allow-fallback`, e.g. `zh-TW = ["zh-CN"]`.
    #[serde(default)]
    pub fallback: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    /// Texts that may stay identical to the source in a translation (brand names, codes).
    #[serde(default)]
    pub identical_allowed: Vec<String>,
    /// The terminology glossary, a site file (default `glossary.toml`, read when it exists).
    #[serde(default)]
    pub glossary: Option<Spanned<String>>,
    /// Translation QA settings (typography, CJK spacing, length bands, source rules).
    #[serde(default)]
    pub qa: super::qa::QaTable,
    /// When a page is published in a locale that has not translated all of it.
    #[serde(default)]
    pub activation: Option<super::policy::ActivationConfig>,
}

/// One `[[pages]]` entry, or one `pages/**/*.toml` file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PageConfig {
    /// Template file under `templates/`.
    pub template: Spanned<String>,
    /// Output path under `<out>/<locale>/`.
    pub output: Spanned<String>,
    /// Page variables, visible as `page.vars` in templates.
    #[serde(default)]
    pub vars: BTreeMap<String, toml::Value>,
}

/// The longest file or folder name most file systems accept, in bytes.
const MAX_NAME_BYTES: usize = 255;

/// Characters an output path may not contain: they cannot appear in a portable URL path without
/// escaping, and several would end an attribute or a script string in the pages that link to it.
const FORBIDDEN_IN_OUTPUT: &[char] = &[
    '<', '>', '"', '\'', '`', '\\', '?', '#', '%', '{', '}', '|', '^',
];

/// E001 for a TOML text that does not deserialize, at the span toml reports.
fn toml_diagnostic(file: FileId, e: &toml::de::Error) -> Diagnostic {
    Diagnostic::new(Code::E001, e.message().trim().to_string()).at(file, e.span().unwrap_or(0..0))
}

/// Resolves site.toml and pages/*.toml from the site's files into a [`Site`].
pub(super) fn resolve(
    origin: String,
    dir: Option<PathBuf>,
    files: SourceMap,
    read: Vec<Diagnostic>,
) -> Result<Site, LoadError> {
    let (mut diags, warnings): (Vec<_>, Vec<_>) = read.into_iter().partition(|d| d.is_error());
    let fail = |mut diags: Vec<Diagnostic>, warnings: Vec<Diagnostic>, files: SourceMap| {
        diags.extend(warnings);
        Err(LoadError::Invalid {
            diagnostics: diags,
            sources: files,
        })
    };
    let Some(config_id) = files.id(CONFIG_FILE) else {
        diags.push(
            Diagnostic::new(Code::E005, format!("no {CONFIG_FILE} in {origin}"))
                .help("run ftlsite in a site folder, or pass --site DIR (see docs/site-format.md)"),
        );
        return fail(diags, warnings, files);
    };
    let text = match std::str::from_utf8(files.bytes(config_id)) {
        Ok(t) => t,
        Err(e) => {
            diags.push(utf8_diagnostic(config_id, &e));
            return fail(diags, warnings, files);
        }
    };
    let config: SiteConfig = match toml::from_str(text) {
        Ok(c) => c,
        Err(e) => {
            diags.push(toml_diagnostic(config_id, &e));
            return fail(diags, warnings, files);
        }
    };
    let folders: BTreeSet<String> = files
        .paths()
        .filter_map(|k| k.strip_prefix("locales/"))
        .filter_map(|k| k.split_once('/').map(|(l, _)| l.to_string()))
        .collect();
    let at = |s: Range<usize>| -> Range<usize> { value_span(text, s) };
    let locale = |code: &Spanned<String>, diags: &mut Vec<Diagnostic>| -> Option<Locale> {
        match parse_locale(code.get_ref(), &folders) {
            Ok(l) => Some(l),
            Err(e) => {
                diags.push(
                    Diagnostic::new(Code::E002, e.message)
                        .at(config_id, at(code.span()))
                        .help(e.help),
                );
                None
            }
        }
    };
    let source = locale(&config.source_locale, &mut diags);
    let mut targets = Vec::new();
    let mut seen = BTreeSet::new();
    for code in &config.locales {
        if !seen.insert(code.get_ref().clone())
            || *code.get_ref() == *config.source_locale.get_ref()
        {
            diags.push(
                Diagnostic::new(
                    Code::E001,
                    format!("locale `{}` is listed twice", code.get_ref()),
                )
                .at(config_id, at(code.span())),
            );
            continue;
        }
        if let Some(l) = locale(code, &mut diags) {
            targets.push((l, code.span()));
        }
    }
    let declared = source
        .iter()
        .map(|l| (l, config.source_locale.span()))
        .chain(targets.iter().map(|(l, s)| (l, s.clone())));
    for (l, span) in declared {
        if !folders.contains(&l.code) {
            diags.push(
                Diagnostic::new(
                    Code::E005,
                    format!("no folder locales/{}/ for locale `{}`", l.code, l.code),
                )
                .at(config_id, at(span))
                .help(format!(
                    "create locales/{}/ with the locale's .ftl files",
                    l.code
                )),
            );
        }
    }
    let in_config: Vec<Declared> = config
        .pages
        .iter()
        .map(|p| Declared::new(p.clone(), config_id, text, &files))
        .collect();
    // pages/**/*.toml: one small file per page, for sites with many pages. Parsed on all
    // cores (a site of 10,000 pages spent a tenth of its build here), added in path order.
    let page_files: Vec<(FileId, &str, &[u8])> = files
        .files_under("pages/")
        .filter(|(_, path, _)| path.ends_with(".toml"))
        .collect();
    let in_files: Vec<Result<Declared, Box<Diagnostic>>> = {
        use rayon::prelude::*;
        page_files
            .par_iter()
            .map(|&(id, _, bytes)| {
                let page_text =
                    std::str::from_utf8(bytes).map_err(|e| Box::new(utf8_diagnostic(id, &e)))?;
                let p = match super::page_file::parse(page_text) {
                    Some(p) => p,
                    None => toml::from_str::<PageConfig>(page_text)
                        .map_err(|e| Box::new(toml_diagnostic(id, &e)))?,
                };
                Ok(Declared::new(p, id, page_text, &files))
            })
            .collect()
    };
    let all: Vec<&Declared> = in_config
        .iter()
        .chain(in_files.iter().filter_map(|d| d.as_ref().ok()))
        .collect();
    let mut pages = Pages::new(&files, &all);
    for d in in_config {
        pages.add(d, &mut diags);
    }
    for d in in_files {
        match d {
            Ok(d) => pages.add(d, &mut diags),
            Err(d) => diags.push(*d),
        }
    }
    let pages = pages.list;
    let base_url = config.base_url.as_ref().map(|u| {
        let v = u.get_ref();
        if !(v.starts_with("https://") || v.starts_with("http://")) {
            diags.push(
                Diagnostic::new(Code::E001, format!("base-url `{v}` is not an http(s) URL"))
                    .at(config_id, at(u.span())),
            );
        }
        if v.ends_with('/') {
            v.clone()
        } else {
            format!("{v}/")
        }
    });
    let known: BTreeSet<&str> = std::iter::once(config.source_locale.get_ref().as_str())
        .chain(config.locales.iter().map(|l| l.get_ref().as_str()))
        .collect();
    let mut fallback = BTreeMap::new();
    for (code, chain) in &config.fallback {
        for c in std::iter::once(code).chain(chain.iter()) {
            if !known.contains(c.get_ref().as_str()) {
                diags.push(
                    Diagnostic::new(
                        Code::E002,
                        format!(
                            "fallback names `{}`, which is not a locale of this site",
                            c.get_ref()
                        ),
                    )
                    .at(config_id, at(c.span()))
                    .help("list the locale under `locales` first"),
                );
            }
        }
        fallback.insert(
            code.get_ref().clone(),
            chain.iter().map(|c| c.get_ref().clone()).collect(),
        );
    }
    let qa = super::qa::resolve(&config.qa, config_id, &at, &mut diags);
    let glossary = load_glossary(&files, config.glossary.as_ref(), config_id, &at, &mut diags);
    let activation = config.activation.as_ref().map(|a| {
        let targets: BTreeSet<&str> = config
            .locales
            .iter()
            .map(|l| l.get_ref().as_str())
            .collect();
        super::policy::resolve(
            a,
            config.source_locale.get_ref(),
            &targets,
            config_id,
            &at,
            &mut diags,
        )
    });
    let source = match source {
        Some(s) if diags.is_empty() => s,
        _ => return fail(diags, warnings, files),
    };
    Ok(Site {
        origin,
        dir,
        locales_dir: "locales".to_string(),
        source,
        targets: targets.into_iter().map(|(l, _)| l).collect(),
        pages,
        links: config.links.clone(),
        base_url,
        fallback,
        identical_allowed: config.identical_allowed.iter().cloned().collect(),
        qa,
        glossary,
        activation,
        files,
        warnings,
    })
}

/// Reads the glossary site.toml names (or `glossary.toml` when it exists): E005 when a named
/// file is missing, E001 at each fault inside it.
pub(super) fn load_glossary(
    files: &SourceMap,
    named: Option<&Spanned<String>>,
    config_id: FileId,
    at: &dyn Fn(Range<usize>) -> Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<crate::glossary::Glossary> {
    let path = named.map_or(crate::glossary::GLOSSARY_FILE, |n| n.get_ref().as_str());
    let Some(id) = files.id(path) else {
        if let Some(n) = named {
            diags.push(
                Diagnostic::new(Code::E005, format!("the glossary `{path}` does not exist"))
                    .at(config_id, at(n.span()))
                    .help("create it, or name a file at the site root or under locales/"),
            );
        }
        return None;
    };
    let text = match std::str::from_utf8(files.bytes(id)) {
        Ok(t) => t,
        Err(e) => {
            diags.push(utf8_diagnostic(id, &e));
            return None;
        }
    };
    match crate::glossary::parse(id, text) {
        Ok(g) => Some(g),
        Err(mut d) => {
            diags.append(&mut d);
            None
        }
    }
}

/// The span of a string value without its quotes, when `span` covers a quoted TOML string
/// (toml's spans include the quotes; a diagnostic points at the text a user would change).
fn value_span(text: &str, span: Range<usize>) -> Range<usize> {
    let Some(raw) = text.get(span.clone()) else {
        return span;
    };
    for q in ["\"\"\"", "'''", "\"", "'"] {
        if raw.len() >= 2 * q.len() && raw.starts_with(q) && raw.ends_with(q) {
            return span.start + q.len()..span.end - q.len();
        }
    }
    span
}

/// One page declaration, checked on its own: the page, or the E004 that rejects its paths,
/// and an E005 when its template is missing. What depends on the other pages (E006, two pages
/// claiming one path) is left to [`Pages`].
struct Declared {
    page: Result<Page, Diagnostic>,
    missing_template: Option<Diagnostic>,
}

impl Declared {
    /// Checks `p`, declared in `file` (whose text is `text`). Every diagnostic points at the
    /// value in the file that declares it. Pure, so that page files are checked on all cores.
    fn new(p: PageConfig, file: FileId, text: &str, files: &SourceMap) -> Declared {
        let output = p.output.get_ref();
        let template = p.template.get_ref();
        let out_span = value_span(text, p.output.span());
        let tpl_span = value_span(text, p.template.span());
        let rejected = |d| Declared {
            page: Err(d),
            missing_template: None,
        };
        if let Err(why) = check_relative(output).and_then(|()| check_portable(output)) {
            return rejected(
                Diagnostic::new(Code::E004, format!("page output `{}` {why}", output.escape_debug()))
                    .at(file, out_span)
                    .help("page outputs are relative paths under <out>/<locale>/, such as privacy/default.html"),
            );
        }
        if let Err(why) = check_relative(template) {
            return rejected(
                Diagnostic::new(Code::E004, format!("template `{template}` {why}"))
                    .at(file, tpl_span),
            );
        }
        let missing_template = (!files.contains(&format!("templates/{template}"))).then(|| {
            Diagnostic::new(
                Code::E005,
                format!("template `templates/{template}` does not exist"),
            )
            .at(file, tpl_span)
        });
        Declared {
            page: Ok(Page {
                template: p.template.into_inner(),
                output: p.output.into_inner(),
                vars: p.vars,
                declared: (file, out_span),
            }),
            missing_template,
        }
    }
}

/// The pages declared so far, and the output paths they claim.
struct Pages<'a> {
    files: &'a SourceMap,
    list: Vec<Page>,
    /// Whether two of the pages to be added claim one path (see [`Pages::any_clash`]); when
    /// none do, the paths need not be kept.
    clashes: bool,
    /// Output path → where it was first declared, kept only when [`Pages::clashes`].
    outputs: BTreeMap<String, (FileId, Range<usize>)>,
}

impl<'a> Pages<'a> {
    fn new(files: &'a SourceMap, declared: &[&Declared]) -> Self {
        Pages {
            files,
            list: Vec::with_capacity(declared.len()),
            clashes: Self::any_clash(declared),
            outputs: BTreeMap::new(),
        }
    }

    /// True when two of the pages claim the same output, or one's output is a folder of
    /// another's. A site's pages nearly never clash: this asks it of a hash set at once, so
    /// that only a site whose pages do clash pays for finding out which page came first.
    fn any_clash(declared: &[&Declared]) -> bool {
        let outputs: Vec<&str> = declared
            .iter()
            .filter_map(|d| d.page.as_ref().ok())
            .map(|p| p.output.as_str())
            .collect();
        let mut set = rustc_hash::FxHashSet::default();
        set.reserve(outputs.len());
        if !outputs.iter().all(|o| set.insert(*o)) {
            return true;
        }
        outputs
            .iter()
            .any(|o| o.match_indices('/').any(|(i, _)| set.contains(&o[..i])))
    }

    /// Adds one checked page declaration, in declaration order.
    fn add(&mut self, declared: Declared, diags: &mut Vec<Diagnostic>) {
        let page = match declared.page {
            Ok(page) => page,
            Err(d) => return diags.push(d),
        };
        diags.extend(declared.missing_template);
        if self.clashes {
            let (file, out_span) = page.declared.clone();
            let output = &page.output;
            if let Some(clash) = self.clash(output) {
                let (first_file, _) = &self.outputs[&clash];
                let first = self.files.path(*first_file);
                let message = if clash == *output {
                    format!("two pages write `{output}` (the first is declared in {first})")
                } else if clash.starts_with(&format!("{output}/")) {
                    format!("`{output}` is a file here, but `{clash}` (declared in {first}) needs it as a folder")
                } else {
                    format!("`{output}` needs `{}` as a folder, but a page (declared in {first}) writes it as a file", clash)
                };
                diags.push(Diagnostic::new(Code::E006, message).at(file, out_span));
            } else {
                self.outputs.insert(output.clone(), (file, out_span));
            }
        }
        self.list.push(page);
    }

    /// An output already claimed that `output` collides with: the same path, a path that needs
    /// `output` as a folder, or a file where `output` needs a folder.
    fn clash(&self, output: &str) -> Option<String> {
        if self.outputs.contains_key(output) {
            return Some(output.to_string());
        }
        let as_folder = format!("{output}/");
        if let Some((k, _)) = self.outputs.range(as_folder.clone()..).next() {
            if k.starts_with(&as_folder) {
                return Some(k.clone());
            }
        }
        let mut prefix = output;
        while let Some((parent, _)) = prefix.rsplit_once('/') {
            if self.outputs.contains_key(parent) {
                return Some(parent.to_string());
            }
            prefix = parent;
        }
        None
    }
}

/// `Ok` when every segment of an output path is a portable file name that needs no escaping in
/// a URL path: no control characters, none of [`FORBIDDEN_IN_OUTPUT`], at most
/// [`MAX_NAME_BYTES`] bytes.
fn check_portable(p: &str) -> Result<(), &'static str> {
    if p.chars().any(char::is_control) {
        return Err("contains a control character");
    }
    if p.contains(FORBIDDEN_IN_OUTPUT) {
        return Err("contains a character that cannot be part of a URL path (one of < > \" ' ` \\ ? # % { } | ^)");
    }
    if p.split('/').any(|seg| seg.len() > MAX_NAME_BYTES) {
        return Err("has a name longer than 255 bytes");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(toml: &str, extra: &[(&str, &str)]) -> Result<Site, Vec<(Code, String, usize, usize)>> {
        let mut files = SourceMap::new();
        files.insert(CONFIG_FILE, toml.as_bytes().to_vec());
        for l in ["en-US", "zh-CN"] {
            files.insert(format!("locales/{l}/a.ftl"), b"a = 1\n".to_vec());
        }
        files.insert("templates/page.html", b"x".to_vec());
        for (p, t) in extra {
            files.insert(*p, t.as_bytes().to_vec());
        }
        match resolve("test".into(), None, files, Vec::new()) {
            Ok(s) => Ok(s),
            Err(LoadError::Invalid {
                diagnostics,
                sources,
            }) => Err(diagnostics
                .iter()
                .map(|d| {
                    let l = d.location(&sources).unwrap();
                    (d.code, d.message.clone(), l.line, l.column)
                })
                .collect()),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn duplicate_output_points_at_the_second_declaration() {
        let toml = "source-locale = \"en-US\"\nlocales = [\"zh-CN\"]\n\n[[pages]]\ntemplate = \"page.html\"\noutput = \"index.html\"\n\n[[pages]]\ntemplate = \"page.html\"\noutput = \"index.html\"\n";
        let d = load(toml, &[]).unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].0, d[0].2, d[0].3), (Code::E006, 10, 11));
    }

    #[test]
    fn locale_errors_point_at_their_value() {
        let toml = "source-locale = \"en-US\"\nlocales = [\"zh-CN\", \"zh_TW\"]\n";
        let d = load(toml, &[]).unwrap_err();
        assert_eq!((d[0].0, d[0].2, d[0].3), (Code::E002, 2, 22));
    }

    #[test]
    fn outputs_must_be_portable_and_not_collide_with_folders() {
        for (bad, code) in [
            ("x</script><script>alert(1)</script>.html", Code::E004),
            ("a\\u0001.html", Code::E004),
            ("q?.html", Code::E004),
        ] {
            let toml = format!("source-locale = \"en-US\"\n[[pages]]\ntemplate = \"page.html\"\noutput = \"{bad}\"\n");
            let d = load(&toml, &[]).unwrap_err();
            assert_eq!((d[0].0, d[0].2), (code, 4), "{bad}: {d:?}");
        }
        let long = format!("{}.html", "a".repeat(300));
        let toml = format!(
            "source-locale = \"en-US\"\n[[pages]]\ntemplate = \"page.html\"\noutput = \"{long}\"\n"
        );
        assert_eq!(load(&toml, &[]).unwrap_err()[0].0, Code::E004);
        let toml = "source-locale = \"en-US\"\n[[pages]]\ntemplate = \"page.html\"\noutput = \"index.html\"\n";
        let d = load(
            toml,
            &[(
                "pages/x.toml",
                "template = \"page.html\"\noutput = \"index.html/x.html\"\n",
            )],
        )
        .unwrap_err();
        assert_eq!((d[0].0, d[0].2, d[0].3), (Code::E006, 2, 11), "{d:?}");
        assert!(d[0].1.contains("as a folder"), "{d:?}");
    }

    /// Page files are checked on all cores, yet their diagnostics come in declaration order,
    /// and a clash names the page declared first, whichever way round the paths collide.
    #[test]
    fn page_file_diagnostics_keep_declaration_order() {
        let page = |tpl: &str, out: &str| format!("template = \"{tpl}\"\noutput = \"{out}\"\n");
        let toml = "source-locale = \"en-US\"\n";
        let load_pages = |pages: &[(&str, String)]| {
            let extra: Vec<(&str, &str)> = pages.iter().map(|(p, t)| (*p, t.as_str())).collect();
            load(toml, &extra)
        };
        let files = [
            ("pages/1.toml", page("page.html", "docs/a.html")),
            ("pages/2.toml", page("missing.html", "docs/b.html")),
            ("pages/3.toml", page("page.html", "docs")),
            ("pages/4.toml", page("page.html", "../up.html")),
            ("pages/5.toml", page("page.html", "docs/a.html")),
            ("pages/6.toml", page("page.html", "docs.html")),
        ];
        let d = load_pages(&files).unwrap_err();
        let codes: Vec<Code> = d.iter().map(|x| x.0).collect();
        assert_eq!(
            codes,
            [Code::E005, Code::E006, Code::E004, Code::E006],
            "{d:?}"
        );
        assert!(d[0].1.contains("`templates/missing.html`"), "{d:?}");
        assert!(d[2].1.contains("`../up.html`"), "{d:?}");
        assert!(
            d[1].1
                .contains("`docs` is a file here, but `docs/a.html` (declared in pages/1.toml)"),
            "{d:?}"
        );
        assert!(
            d[3].1.contains("the first is declared in pages/1.toml"),
            "{d:?}"
        );
        // Paths that only share a prefix do not clash.
        let apart = [
            ("pages/1.toml", page("page.html", "a/x.html")),
            ("pages/2.toml", page("page.html", "ab/x.html")),
            ("pages/3.toml", page("page.html", "a.html")),
            ("pages/4.toml", page("page.html", "a/b/x.html")),
        ];
        let site = load_pages(&apart).unwrap();
        assert_eq!(site.pages.len(), 4);
    }
}
