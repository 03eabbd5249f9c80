//! The translation status dashboard: one static HTML page, written by `ftlsite report` and
//! served live by `ftlsite serve` at `/__ftlsite/status`.
//!
//! It is made from what `check` finds and what activation decides ([`validate::Report`]),
//! nothing else, so it agrees with `check` and `build`. The page needs no server and no
//! JavaScript: the CSS is inline, links are fragments within the page, and every value is
//! escaped with [`crate::html::escape`]. The UI is in English; each locale is named in its own
//! language (its `language-name` message) and marked with its `lang`.

mod page;
pub mod summary;

use std::collections::{BTreeMap, BTreeSet};

use crate::activation::Status;
use crate::catalog::Catalogs;
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::render::Localizer;
use crate::site::Site;
use crate::validate;

/// A finding placed in the site, as the dashboard lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Place {
    /// `path:line`.
    at: String,
    /// The id concerned, if any.
    key: String,
    /// The code.
    code: Code,
    /// True for an error, false for a warning.
    error: bool,
    /// What it says.
    message: String,
}

/// What one target file lacks or has out of date.
#[derive(Clone, Debug, Default)]
struct FileStatus {
    /// Source messages and terms the file does not have, placed at the source.
    missing: Vec<Place>,
    /// Translations whose source changed since they were confirmed, placed at the translation.
    stale: Vec<Place>,
}

/// One locale's figures.
#[derive(Clone, Debug, Default)]
struct LocaleFigures {
    code: String,
    name: String,
    messages: usize,
    translated: usize,
    missing: usize,
    stale: usize,
    fallback: usize,
    errors: usize,
    warnings: usize,
    /// Target file path → its status, for files with something to show.
    files: BTreeMap<String, FileStatus>,
}

/// Everything the page shows, gathered once.
struct Model<'a> {
    site: &'a Site,
    report: &'a validate::Report,
    /// The source locale's name in its own language.
    source_name: String,
    /// Target locales, in site order.
    locales: Vec<LocaleFigures>,
    /// Findings other than missing and stale translations, by path.
    other: BTreeMap<String, Vec<Place>>,
    /// `path:line` of each source message, for the reasons.
    defined: BTreeMap<String, String>,
}

/// The dashboard of `site` as one HTML document. `report` is `validate::run`'s over the same
/// site and catalogs.
pub fn dashboard(site: &Site, catalogs: &Catalogs, report: &validate::Report) -> String {
    page::render(&model(site, catalogs, report))
}

fn place(d: &Diagnostic, site: &Site) -> Place {
    let at = match d.location(&site.files) {
        Some(Location { path, line, .. }) if line > 0 => format!("{path}:{line}"),
        Some(Location { path, .. }) => path.to_string(),
        None => String::new(),
    };
    Place {
        at,
        key: d.key.clone().unwrap_or_default(),
        code: d.code,
        error: d.is_error(),
        message: d.message.clone(),
    }
}

fn model<'a>(site: &'a Site, catalogs: &Catalogs, report: &'a validate::Report) -> Model<'a> {
    // A plain `language-name` is its text; only one with placeables needs Fluent (the bundles
    // are built then, once).
    let localizer = std::cell::OnceCell::new();
    let name = |code: &str| {
        let entry = catalogs.get(code).and_then(|c| c.message("language-name"));
        if let Some(p) = entry.and_then(|e| e.value.as_ref()) {
            if !p.flat.contains(crate::catalog::PLACEABLE) && !crate::html::has_markup(&p.flat) {
                return p.flat.trim().to_string();
            }
        }
        localizer
            .get_or_init(|| Localizer::new(site, catalogs, false))
            .format(code, "language-name", &[], false)
            .map(|f| f.text)
            .unwrap_or_else(|_| code.to_string())
    };
    let source_prefix = site.locale_prefix(&site.source.code);
    let mut locales = Vec::new();
    for locale in &site.targets {
        let s = report.summary.locales.get(&locale.code);
        let fallback: BTreeSet<&str> = report
            .activation
            .pages
            .iter()
            .filter_map(|p| p.locales.get(&locale.code))
            .flat_map(|st| st.fallback().iter().map(|f| f.id.as_str()))
            .collect();
        let mut fig = LocaleFigures {
            code: locale.code.clone(),
            name: name(&locale.code),
            messages: s.map_or(0, |s| s.messages),
            translated: s.map_or(0, |s| s.translated),
            missing: s.map_or(0, |s| s.missing),
            fallback: fallback.len(),
            errors: s.map_or(0, |s| s.errors),
            warnings: s.map_or(0, |s| s.warnings),
            ..Default::default()
        };
        let prefix = site.locale_prefix(&locale.code);
        for d in report
            .diagnostics
            .iter()
            .filter(|d| d.locale.as_deref() == Some(locale.code.as_str()))
        {
            let p = place(d, site);
            match d.code {
                Code::E201 | Code::E202 => {
                    let src = d.location(&site.files).map_or("", |l| l.path);
                    let file = match src.strip_prefix(&source_prefix) {
                        Some(rel) => format!("{prefix}{rel}"),
                        None => src.to_string(),
                    };
                    fig.files.entry(file).or_default().missing.push(p);
                }
                Code::W204 => {
                    fig.stale += 1;
                    let file = d.location(&site.files).map_or("", |l| l.path).to_string();
                    fig.files.entry(file).or_default().stale.push(p);
                }
                _ => {}
            }
        }
        locales.push(fig);
    }
    let mut other: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    for d in &report.diagnostics {
        if matches!(d.code, Code::E201 | Code::E202 | Code::W204) {
            continue;
        }
        let path = d.location(&site.files).map_or("", |l| l.path).to_string();
        other.entry(path).or_default().push(place(d, site));
    }
    let mut defined = BTreeMap::new();
    if let Some(source) = catalogs.get(&site.source.code) {
        for entry in source.entries.values() {
            let file = source.file_of(entry);
            let (line, _) = site.files.line_col(file.id, entry.offset + file.base);
            defined.insert(entry.display_id(), format!("{}:{line}", file.path));
        }
    }
    Model {
        site,
        report,
        source_name: name(&site.source.code),
        locales,
        other,
        defined,
    }
}

impl Model<'_> {
    /// Where a source message is defined, `path:line`.
    fn defined(&self, id: &str) -> &str {
        self.defined.get(id).map_or("", String::as_str)
    }

    /// The status of page `index` in `locale`.
    fn status(&self, index: usize, locale: &str) -> Option<&Status> {
        self.report.activation.pages.get(index)?.locales.get(locale)
    }
}
