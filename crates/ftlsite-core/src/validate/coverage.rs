//! Coverage checks: what the source has and a translation lacks, or the reverse, file by file.
//!
//! Coverage is compared per file, as Mozilla's compare-locales does: the source file
//! `<source>/a/b.ftl` is compared with the target file at the same relative path,
//! `<target>/a/b.ftl`. Pages load their own files, so a translation that sits in another file
//! than its source is not found by the page that needs it.
//!
//! - E201/E202: a source message/term missing in the target file, at the source's position.
//! - W201: an entry of a target file that the source's same file does not have (obsolete).
//! - E203: an id defined twice in one file, or in one locale of a site (where all files share
//!   one bundle).
//! - E204/E205: a value or attribute present on one side only.
//! - W202: an empty translation. W203: a translation identical to the source.
//! - W204 (in [`super::stale`]): a stale translation, whose source changed since it was
//!   confirmed in the lock file.

use std::collections::BTreeMap;

use super::stale::{read_lock, stale};
use super::Counts;
use crate::catalog::{Catalog, Catalogs, Entry, EntryKind, PatternInfo, PLACEABLE};
use crate::diagnostics::{Code, Diagnostic};
use crate::site::Site;

/// Places a diagnostic at an entry's id.
pub fn at_entry(d: Diagnostic, catalog: &Catalog, e: &Entry, offset: usize) -> Diagnostic {
    let len = if offset == e.offset {
        e.display_id().len()
    } else {
        1
    };
    catalog.at(d, e, offset..offset + len)
}

/// The entries of a locale by file path relative to the locale folder, then by kind and id.
/// Every `.ftl` file of the locale is listed, even one without entries; within a file the
/// first definition of an id wins. Keys borrow from the catalog: building it copies nothing.
type FileIndex<'a> = BTreeMap<&'a str, BTreeMap<(EntryKind, &'a str), &'a Entry>>;

fn index<'a>(site: &Site, catalog: &'a Catalog) -> FileIndex<'a> {
    let prefix = site.locale_prefix(&catalog.locale);
    let rel: Vec<&'a str> = catalog
        .files
        .iter()
        .map(|f| f.path.strip_prefix(prefix.as_str()).unwrap_or(&f.path))
        .collect();
    let mut idx: FileIndex<'a> = rel.iter().map(|r| (*r, BTreeMap::new())).collect();
    for e in catalog.entries.values().chain(catalog.duplicates.iter()) {
        let Some(r) = rel.get(e.file) else { continue };
        idx.entry(r)
            .or_default()
            .entry((e.kind, e.id.as_str()))
            .or_insert(e);
    }
    idx
}

/// Where each id of a locale is defined: relative file paths, sorted.
fn locations<'a>(idx: &FileIndex<'a>) -> BTreeMap<(EntryKind, &'a str), Vec<&'a str>> {
    let mut out: BTreeMap<(EntryKind, &'a str), Vec<&'a str>> = BTreeMap::new();
    for (rel, entries) in idx {
        for key in entries.keys() {
            out.entry(*key).or_default().push(rel);
        }
    }
    out
}

/// The translated entries of every target locale paired with their source entries, file by
/// file: the pairs every content check (coverage, placeables, markup, QA) compares. Built once
/// per run and shared by the families.
pub struct Pairing<'a> {
    source: FileIndex<'a>,
    targets: BTreeMap<&'a str, (FileIndex<'a>, Vec<Pair<'a>>)>,
}

/// A source entry and its translation.
pub type Pair<'a> = (&'a Entry, &'a Entry);

impl<'a> Pairing<'a> {
    /// Indexes the source and every target locale of the site.
    pub fn new(site: &Site, catalogs: &'a Catalogs) -> Self {
        use rayon::prelude::*;
        let source = catalogs.get(&site.source.code);
        let targets: Vec<(&'a str, &'a Catalog)> = site
            .targets
            .iter()
            .filter_map(|l| catalogs.locales.get_key_value(&l.code))
            .map(|(code, c)| (code.as_str(), c))
            .collect();
        // Every locale's index, and each target's pairs, on all cores.
        let (source, indexed) = rayon::join(
            || source.map(|c| index(site, c)).unwrap_or_default(),
            || {
                targets
                    .par_iter()
                    .map(|&(code, c)| (code, index(site, c)))
                    .collect::<Vec<_>>()
            },
        );
        let targets = indexed
            .into_par_iter()
            .map(|(code, tgt)| {
                let mut pairs = Vec::new();
                for (rel, entries) in &source {
                    let Some(tfile) = tgt.get(rel) else { continue };
                    for (key, s) in entries {
                        if let Some(t) = tfile.get(key) {
                            pairs.push((*s, *t));
                        }
                    }
                }
                (code, (tgt, pairs))
            })
            .collect();
        Pairing { source, targets }
    }

    /// The (source, translation) pairs of a target locale.
    pub fn pairs(&self, locale: &str) -> &[Pair<'a>] {
        self.targets.get(locale).map_or(&[], |(_, p)| p.as_slice())
    }
}

/// Runs the coverage family for every target locale.
pub fn check(
    site: &Site,
    catalogs: &Catalogs,
    pairing: &Pairing<'_>,
    diags: &mut Vec<Diagnostic>,
    counts: &mut BTreeMap<String, Counts>,
) {
    let Some(source) = catalogs.get(&site.source.code) else {
        return;
    };
    duplicates(site, source, diags);
    let lock = match read_lock(site) {
        Ok(lock) => lock,
        Err(d) => {
            diags.push(*d);
            None
        }
    };
    let src_idx = &pairing.source;
    let src_where = locations(src_idx);
    for locale in &site.targets {
        let (Some(target), Some((tgt_idx, _))) = (
            catalogs.get(&locale.code),
            pairing.targets.get(locale.code.as_str()),
        ) else {
            continue;
        };
        duplicates(site, target, diags);
        let tgt_where = locations(tgt_idx);
        let recorded = lock.as_ref().and_then(|l| l.get(&locale.code));
        let mut c = Counts::default();
        for (rel, entries) in src_idx {
            let tfile = tgt_idx.get(rel);
            let want = format!("{}{rel}", site.locale_prefix(&locale.code));
            for (key, src) in entries {
                c.messages += 1;
                if let Some(tgt) = tfile.and_then(|f| f.get(key)) {
                    c.translated += 1;
                    shape(src, target, tgt, diags);
                    empty(src, target, tgt, diags);
                    identical(site, src, target, tgt, diags);
                    if let Some(recorded) = recorded {
                        stale(&site.files, source, src, target, tgt, recorded, diags);
                    }
                    continue;
                }
                let code = if src.kind == EntryKind::Term {
                    Code::E202
                } else {
                    Code::E201
                };
                let id = src.display_id();
                let elsewhere: Vec<String> = tgt_where
                    .get(key)
                    .map(|v| {
                        v.iter()
                            .map(|r| format!("{}{r}", site.locale_prefix(&locale.code)))
                            .collect()
                    })
                    .unwrap_or_default();
                let (message, help) = if tfile.is_none() {
                    (
                        format!(
                            "`{id}` is missing in {}: the file {want} does not exist",
                            locale.code
                        ),
                        format!(
                            "create {want} and translate the messages of {}",
                            source.file_of(src).path
                        ),
                    )
                } else if !elsewhere.is_empty() {
                    (
                        format!("`{id}` is missing in {want}"),
                        format!(
                            "{} defines it in {}, which pages loading {want} do not see; move it to {want}",
                            locale.code,
                            elsewhere.join(", ")
                        ),
                    )
                } else {
                    (
                        format!("`{id}` is missing in {want}"),
                        format!("translate it in {want}"),
                    )
                };
                diags.push(
                    at_entry(Diagnostic::new(code, message), source, src, src.offset)
                        .locale(&locale.code)
                        .help(help),
                );
            }
        }
        for (rel, entries) in tgt_idx {
            let sfile = src_idx.get(rel);
            let src_path = format!("{}{rel}", site.locale_prefix(&site.source.code));
            for (key, tgt) in entries {
                if sfile.is_some_and(|f| f.contains_key(key)) {
                    continue;
                }
                c.obsolete += 1;
                let id = tgt.display_id();
                let (message, help) = match (sfile, src_where.get(key)) {
                    (_, Some(other)) => {
                        let tgt_paths: Vec<String> = other
                            .iter()
                            .map(|r| format!("{}{r}", site.locale_prefix(&locale.code)))
                            .collect();
                        (
                            format!("`{id}` is not in {src_path}, the source of this file"),
                            format!(
                                "the source defines it in {}; move the translation to {}",
                                other
                                    .iter()
                                    .map(|r| format!(
                                        "{}{r}",
                                        site.locale_prefix(&site.source.code)
                                    ))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                                tgt_paths.join(", ")
                            ),
                        )
                    }
                    (None, None) => (
                        format!("`{id}` is obsolete: this file has no source file {src_path}"),
                        format!("delete the file, or restore {src_path}"),
                    ),
                    (Some(_), None) => (
                        format!("`{id}` is not in {} (obsolete)", site.source.code),
                        format!("delete it, or restore it in {src_path}"),
                    ),
                };
                diags.push(
                    at_entry(
                        Diagnostic::new(Code::W201, message),
                        target,
                        tgt,
                        tgt.offset,
                    )
                    .help(help),
                );
            }
        }
        counts.insert(locale.code.clone(), c);
    }
}

/// E203: an id defined twice.
///
/// In a site every file of a locale is added to one bundle, so a second definition anywhere in
/// the locale shadows or is shadowed by the first. In a bare tree (Mozilla's layout) each page
/// loads its own files, so the same id in two files is normal; only a repeat inside one file is
/// an error there.
fn duplicates(site: &Site, catalog: &Catalog, diags: &mut Vec<Diagnostic>) {
    let shared = !site.locales_dir.is_empty();
    let mut all: Vec<&Entry> = catalog
        .entries
        .values()
        .chain(catalog.duplicates.iter())
        .collect();
    all.sort_by(|a, b| (a.kind, &a.id, a.file, a.offset).cmp(&(b.kind, &b.id, b.file, b.offset)));
    for group in all.chunk_by(|a, b| a.kind == b.kind && a.id == b.id) {
        for (i, dup) in group.iter().enumerate() {
            let Some(first) = group[..i].iter().find(|e| shared || e.file == dup.file) else {
                continue;
            };
            let first_file = catalog.file_of(first);
            let (line, col) = site
                .files
                .line_col(first_file.id, first.offset + first_file.base);
            diags.push(
                at_entry(
                    Diagnostic::new(
                        Code::E203,
                        format!(
                            "`{}` is defined twice; first at {}:{line}:{col}",
                            dup.display_id(),
                            first_file.path
                        ),
                    ),
                    catalog,
                    dup,
                    dup.offset,
                )
                .help("remove or rename one of the two definitions; only the first is used"),
            );
        }
    }
}

/// E204/E205: the value or an attribute exists on one side only.
fn shape(src: &Entry, target: &Catalog, tgt: &Entry, diags: &mut Vec<Diagnostic>) {
    if src.kind == EntryKind::Message {
        match (&src.value, &tgt.value) {
            (Some(_), None) => diags.push(at_entry(
                Diagnostic::new(
                    Code::E204,
                    format!(
                        "`{}` has no value, but the source has one",
                        tgt.display_id()
                    ),
                ),
                target,
                tgt,
                tgt.offset,
            )),
            (None, Some(_)) => diags.push(at_entry(
                Diagnostic::new(
                    Code::E205,
                    format!(
                        "`{}` has a value, but the source has only attributes",
                        tgt.display_id()
                    ),
                ),
                target,
                tgt,
                tgt.offset,
            )),
            _ => {}
        }
    }
    for (name, _) in &src.attributes {
        if !tgt.attributes.iter().any(|(n, _)| n == name) {
            diags.push(at_entry(
                Diagnostic::new(
                    Code::E204,
                    format!(
                        "`{}` lacks the attribute `.{name}` the source has",
                        tgt.display_id()
                    ),
                ),
                target,
                tgt,
                tgt.offset,
            ));
        }
    }
    for (name, p) in &tgt.attributes {
        if !src.attributes.iter().any(|(n, _)| n == name) {
            diags.push(at_entry(
                Diagnostic::new(
                    Code::E205,
                    format!(
                        "`{}` has an attribute `.{name}` the source does not have",
                        tgt.display_id()
                    ),
                ),
                target,
                tgt,
                p.offset,
            ));
        }
    }
}

/// The source pattern with the same name (`None` = the value) as a target pattern.
pub(super) fn same_pattern<'a>(src: &'a Entry, name: Option<&str>) -> Option<&'a PatternInfo> {
    src.patterns().find(|(n, _)| *n == name).map(|(_, p)| p)
}

fn pattern_label(name: Option<&str>) -> String {
    match name {
        Some(n) => format!("attribute `.{n}`"),
        None => "value".to_string(),
    }
}

/// W202: a value or attribute that shows nothing: only whitespace, or an empty string literal
/// such as `{ "" }`.
///
/// Fluent treats such a message as translated, so the page silently shows a blank where text
/// belongs, and no coverage figure reveals it. Not reported when the source pattern is empty too.
fn empty(src: &Entry, target: &Catalog, tgt: &Entry, diags: &mut Vec<Diagnostic>) {
    for (name, p) in tgt.patterns() {
        let source_empty = same_pattern(src, name).is_none_or(|s| s.flat.trim().is_empty());
        if p.flat.trim().is_empty() && !source_empty {
            diags.push(
                at_entry(
                    Diagnostic::new(Code::W202, format!("the {} of `{}` is empty", pattern_label(name), tgt.display_id())),
                    target,
                    tgt,
                    p.offset,
                )
                .help("write the translation, or delete the message so that it is reported as missing"),
            );
        }
    }
}

/// W203: a message pattern whose text, with placeables, is exactly the source's.
///
/// Usually a string that was copied and never translated. Compared on the flattened text
/// (string literals written out), per value and per same-named attribute. Not reported:
/// - for terms, which hold brand and product names that stay as they are;
/// - when the text has no letters once placeables and markup tags are removed
///   (`{ -brand-name }`, `<span>{ -brand-firefox }</span>`, `{ $n } %`);
/// - when the text is listed in site.toml's `identical-allowed`.
fn identical(site: &Site, src: &Entry, target: &Catalog, tgt: &Entry, diags: &mut Vec<Diagnostic>) {
    if tgt.kind == EntryKind::Term {
        return;
    }
    for (name, p) in tgt.patterns() {
        let Some(s) = same_pattern(src, name) else {
            continue;
        };
        let text = p.flat.trim();
        if s.flat.trim() != text
            || !without_tags(text)
                .chars()
                .any(|c| c != PLACEABLE && c.is_alphabetic())
        {
            continue;
        }
        if site.identical_allowed.contains(text) {
            continue;
        }
        diags.push(
            at_entry(
                Diagnostic::new(
                    Code::W203,
                    format!("the {} of `{}` is identical to the source", pattern_label(name), tgt.display_id()),
                ),
                target,
                tgt,
                p.offset,
            )
            .help("translate it; if it is a name or code that stays as is, add the text to `identical-allowed` in site.toml"),
        );
    }
}

/// `text` without its markup (tags, comments), so tag names do not count as words: the text
/// nodes as the one HTML front reads them.
fn without_tags(text: &str) -> String {
    if !text.contains('<') {
        return text.to_string();
    }
    crate::html::parse(text)
        .into_iter()
        .filter_map(|n| match n {
            crate::html::Node::Text(t, _) => Some(t),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::site::SiteSource;
    use crate::validate::stale::{confirm, fnv1a, render_lock, Lock};

    /// Writes `files` into a temp dir and loads it: a site when there is a site.toml, else a
    /// bare tree with source locale `en`.
    pub(crate) fn load(files: &[(&str, &str)]) -> (Site, Catalogs, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let source = if files.iter().any(|(p, _)| *p == "site.toml") {
            SiteSource::Dir(dir.path().to_path_buf())
        } else {
            SiteSource::Bare {
                dir: dir.path().to_path_buf(),
                source_locale: "en".into(),
            }
        };
        let site = crate::site::load(&source).unwrap();
        let (catalogs, load) = crate::catalog::load(&site);
        (site, catalogs, load)
    }

    /// A diagnostic with its place resolved, for assertions.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub(crate) struct Seen {
        pub code: Code,
        pub path: String,
        pub line: usize,
        pub column: usize,
        pub key: Option<String>,
        pub message: String,
        pub help: String,
    }

    /// Resolves the places of `diags` in `sources`.
    pub(crate) fn seen(diags: &[Diagnostic], sources: &crate::diagnostics::SourceMap) -> Vec<Seen> {
        diags
            .iter()
            .map(|d| {
                let loc = d.location(sources);
                Seen {
                    code: d.code,
                    path: loc.map_or(String::new(), |l| l.path.to_string()),
                    line: loc.map_or(0, |l| l.line),
                    column: loc.map_or(0, |l| l.column),
                    key: d.key.clone(),
                    message: d.message.clone(),
                    help: d.help.clone(),
                }
            })
            .collect()
    }

    /// Runs every check over `files` (see [`load`]).
    pub(crate) fn run(files: &[(&str, &str)]) -> Vec<Seen> {
        let (site, catalogs, load) = load(files);
        seen(
            &super::super::run(&site, &catalogs, load).diagnostics,
            &site.files,
        )
    }

    /// The diagnostics with `code`, as `path:line:col key`.
    pub(crate) fn found(diags: &[Seen], code: Code) -> Vec<String> {
        diags
            .iter()
            .filter(|d| d.code == code)
            .map(|d| {
                format!(
                    "{}:{}:{} {}",
                    d.path,
                    d.line,
                    d.column,
                    d.key.clone().unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn coverage_is_per_file() {
        let diags = run(&[
            ("en/a.ftl", "one = One\ntwo = Two\n"),
            ("en/b.ftl", "three = Three\n-brand = Brand\n"),
            ("en/c.ftl", "four = Four\n"),
            ("zh-CN/a.ftl", "one = 一\nthree = 三\n"),
            ("zh-CN/b.ftl", "-brand = Brand\nold = 旧\n"),
        ]);
        // `two` missing in a.ftl; `three` is in the wrong file; c.ftl is missing entirely.
        assert_eq!(
            found(&diags, Code::E201),
            [
                "en/a.ftl:2:1 two",
                "en/b.ftl:1:1 three",
                "en/c.ftl:1:1 four"
            ]
        );
        let three = diags
            .iter()
            .find(|d| d.key.as_deref() == Some("three") && d.code == Code::E201)
            .unwrap();
        assert!(
            three.help.contains("zh-CN/a.ftl") && three.help.contains("move it to zh-CN/b.ftl"),
            "{three:?}"
        );
        let four = diags
            .iter()
            .find(|d| d.key.as_deref() == Some("four"))
            .unwrap();
        assert!(
            four.message.contains("zh-CN/c.ftl does not exist"),
            "{four:?}"
        );
        assert_eq!(
            found(&diags, Code::W201),
            ["zh-CN/a.ftl:2:1 three", "zh-CN/b.ftl:2:1 old"]
        );
        let moved = diags
            .iter()
            .find(|d| d.code == Code::W201 && d.key.as_deref() == Some("three"))
            .unwrap();
        assert!(moved.help.contains("en/b.ftl"), "{moved:?}");
        assert!(found(&diags, Code::E202).is_empty());
    }

    #[test]
    fn counts_follow_the_file_pairs() {
        let (site, catalogs, load) = load(&[
            ("en/a.ftl", "one = One\ntwo = Two\n"),
            ("en/b.ftl", "one = One\n"),
            ("zh-CN/a.ftl", "one = 一\nextra = 多\n"),
        ]);
        let report = super::super::run(&site, &catalogs, load);
        let s = &report.summary.locales["zh-CN"];
        assert_eq!(
            (s.messages, s.translated, s.missing, s.obsolete),
            (3, 1, 2, 1)
        );
    }

    #[test]
    fn missing_term_is_e202() {
        let diags = run(&[
            ("en/a.ftl", "-brand = B\nm = { -brand }\n"),
            ("zh-CN/a.ftl", "m = 乙\n"),
        ]);
        assert_eq!(found(&diags, Code::E202), ["en/a.ftl:1:1 -brand"]);
    }

    #[test]
    fn duplicates_across_files_only_in_a_site() {
        let bare = run(&[
            ("en/a.ftl", "x = X\nx = X again\n"),
            ("en/b.ftl", "x = X\n"),
            ("zh-CN/a.ftl", "x = 甲\n"),
            ("zh-CN/b.ftl", "x = 甲\n"),
        ]);
        assert_eq!(found(&bare, Code::E203), ["en/a.ftl:2:1 x"]);
        let site = run(&[
            (
                "site.toml",
                "source-locale = \"en\"\nlocales = [\"zh-CN\"]\n",
            ),
            ("locales/en/a.ftl", "x = X\n"),
            ("locales/en/b.ftl", "x = X\n"),
            ("locales/zh-CN/a.ftl", "x = 甲\n"),
            ("locales/zh-CN/b.ftl", "x = 甲\n"),
        ]);
        assert_eq!(
            found(&site, Code::E203),
            ["locales/en/b.ftl:1:1 x", "locales/zh-CN/b.ftl:1:1 x"]
        );
    }

    #[test]
    fn empty_translation_is_w202() {
        let diags = run(&[
            ("en/a.ftl", "a = A\nb = B\n    .title = T\nc = { \"\" }\n"),
            (
                "zh-CN/a.ftl",
                "a = { \"\" }\nb = 乙\n    .title = { \" \" }\nc = { \"\" }\n",
            ),
        ]);
        assert_eq!(
            found(&diags, Code::W202),
            ["zh-CN/a.ftl:1:8 a", "zh-CN/a.ftl:3:17 b"]
        );
        let ok = run(&[("en/a.ftl", "a = A\n"), ("zh-CN/a.ftl", "a = 甲\n")]);
        assert!(found(&ok, Code::W202).is_empty());
    }

    #[test]
    fn identical_translation_is_w203_with_exceptions() {
        let diags = run(&[
            ("en/a.ftl", "same = Download now\nbrand = { -b }\ntagged = <span>{ -b }</span>\nnum = { $n } %\n-b = Firefox\nok = Hello\n"),
            ("zh-CN/a.ftl", "same = Download now\nbrand = { -b }\ntagged = <span>{ -b }</span>\nnum = { $n } %\n-b = Firefox\nok = 你好\n"),
        ]);
        assert_eq!(found(&diags, Code::W203), ["zh-CN/a.ftl:1:8 same"]);
    }

    #[test]
    fn identical_allowed_texts_are_skipped() {
        let (mut site, catalogs, load) = load(&[
            ("en/a.ftl", "mail = you@example.com\n"),
            ("zh-CN/a.ftl", "mail = you@example.com\n"),
        ]);
        let before = seen(
            &super::super::run(&site, &catalogs, load.clone()).diagnostics,
            &site.files,
        );
        assert_eq!(found(&before, Code::W203).len(), 1);
        site.identical_allowed.insert("you@example.com".into());
        let after = seen(
            &super::super::run(&site, &catalogs, load).diagnostics,
            &site.files,
        );
        assert!(found(&after, Code::W203).is_empty());
    }

    #[test]
    fn stale_translation_is_w204() {
        let en = "a = Old text\nb = Kept\n    .title = T\n";
        let zh = "a = 旧\nb = 留\n    .title = 题\n";
        let (site, catalogs, _) = load(&[("en/a.ftl", en), ("zh-CN/a.ftl", zh)]);
        let (lock, n) = confirm(&site, &catalogs, Lock::new());
        assert_eq!(n, 2);
        let text = render_lock(&lock);
        assert_eq!(toml::from_str::<Lock>(&text).unwrap(), lock);
        // No lock: no W204.
        let none = run(&[("en/a.ftl", en), ("zh-CN/a.ftl", zh)]);
        assert!(found(&none, Code::W204).is_empty());
        // Source reformatted (whitespace, comment, attribute order): not stale.
        let reformatted = "# note\na =    Old text\nb = Kept\n        .title = T\n";
        let same = run(&[
            ("en/a.ftl", reformatted),
            ("zh-CN/a.ftl", zh),
            ("l10n.lock", &text),
        ]);
        assert!(found(&same, Code::W204).is_empty(), "{same:?}");
        // Source edited: stale, at the translation.
        let edited = "a = New text\nb = Kept\n    .title = T\nc = New\n";
        let stale = run(&[
            ("en/a.ftl", edited),
            ("zh-CN/a.ftl", zh),
            ("l10n.lock", &text),
        ]);
        assert_eq!(found(&stale, Code::W204), ["zh-CN/a.ftl:1:1 a"]);
        // JSON works too; a broken lock is an E001 at the fault.
        let json = serde_json::to_string(&lock).unwrap();
        let stale = run(&[
            ("en/a.ftl", edited),
            ("zh-CN/a.ftl", zh),
            ("l10n.lock", &json),
        ]);
        assert_eq!(found(&stale, Code::W204), ["zh-CN/a.ftl:1:1 a"]);
        let broken = run(&[
            ("en/a.ftl", en),
            ("zh-CN/a.ftl", zh),
            ("l10n.lock", "[zh-CN]\na = \n"),
        ]);
        assert_eq!(found(&broken, Code::E001), ["l10n.lock:2:5 "]);
    }

    #[test]
    fn fingerprint_is_fnv1a_of_the_normalized_entry() {
        let parsed = crate::catalog::parse_file("a = A\n# trailing\nb = B\n", 0);
        let e = &parsed.entries[0];
        assert_eq!(e.normalized("a = A\n# trailing\nb = B\n"), "a = A\n");
        // FNV-1a 64 of "a = A\n".
        let mut h: u64 = 0xcbf29ce484222325;
        for b in b"a = A\n" {
            h = (h ^ u64::from(*b)).wrapping_mul(0x100000001b3);
        }
        assert_eq!(
            fnv1a(&e.normalized("a = A\n# trailing\nb = B\n")),
            format!("{h:016x}")
        );
    }

    #[test]
    fn mozilla_corpus_has_only_the_untranslated_files_missing() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/www-l10n");
        let site = crate::site::load(&SiteSource::Bare {
            dir,
            source_locale: "en".into(),
        })
        .unwrap();
        let (catalogs, load) = crate::catalog::load(&site);
        let report = super::super::run(&site, &catalogs, load);
        let all = seen(&report.diagnostics, &site.files);
        let errors: Vec<&Seen> = all
            .iter()
            .zip(&report.diagnostics)
            .filter(|(_, d)| d.is_error())
            .map(|(s, _)| s)
            .collect();
        let e201 = errors.iter().filter(|d| d.code == Code::E201).count();
        assert_eq!(e201, 215);
        // zh-CN adds a <br> its source does not have, twice: a line break for Chinese line
        // lengths, a warning (W401), not a release-blocking E401.
        assert!(found(&all, Code::E401).is_empty());
        assert_eq!(
            found(&all, Code::W401),
            [
                "zh-CN/firefox/set-as-default/landing.ftl:12:84 set-as-default-landing-thanks-for-using-the",
                "zh-CN/mozorg/about/manifesto.ftl:21:47 manifesto-pledge-for-a-healthy-internet",
            ]
        );
        assert_eq!(
            errors.len(),
            215,
            "{:#?}",
            errors
                .iter()
                .filter(|d| d.code != Code::E201)
                .collect::<Vec<_>>()
        );
        let s = &report.summary.locales["zh-CN"];
        assert_eq!(
            (s.messages, s.translated, s.missing, s.obsolete),
            (3052, 2837, 215, 0)
        );
    }
}
