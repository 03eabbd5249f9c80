//! `activation.lock`: the pages each locale has published, kept so that activation is sticky.
//!
//! A page published in a locale once stays published there when the source gains messages the
//! locale has not translated yet: they come from the fallback chain until they are. `build`
//! adds every pair it publishes; only `ftlsite check --deactivate` removes pairs.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic};
use crate::site::Site;

/// The record's file name, at the site root beside `l10n.lock`.
///
/// Format: TOML, one table `published` mapping each target locale to the sorted outputs of
/// the pages published in it (paths as `[[pages]] output` writes them):
///
/// ```toml
/// [published]
/// "de" = ["about/index.html", "index.html"]
/// "zh-TW" = ["index.html"]
/// ```
///
/// No timestamps: the same activations give the same bytes. Commit it with the site.
pub const RECORD_FILE: &str = "activation.lock";

/// The parsed record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Locale code → outputs of the pages published in it.
    #[serde(default)]
    pub published: BTreeMap<String, BTreeSet<String>>,
}

impl Record {
    /// True when `output` has been published in `locale`.
    pub fn contains(&self, locale: &str, output: &str) -> bool {
        self.published
            .get(locale)
            .is_some_and(|pages| pages.contains(output))
    }

    /// The record with `pairs` (locale, output) added, and pages the site no longer declares
    /// dropped (a page removed from site.toml and added again starts afresh). Locales the run
    /// did not look at keep their entries.
    pub fn with(&self, site: &Site, pairs: &BTreeSet<(String, String)>) -> Record {
        let declared: BTreeSet<&str> = site.pages.iter().map(|p| p.output.as_str()).collect();
        let mut out = self.clone();
        for (locale, output) in pairs {
            out.published
                .entry(locale.clone())
                .or_default()
                .insert(output.clone());
        }
        for pages in out.published.values_mut() {
            pages.retain(|p| declared.contains(p.as_str()));
        }
        out.published.retain(|_, pages| !pages.is_empty());
        out
    }

    /// Removes the pages `outputs` (every page when empty) of the locales `locales` (every
    /// locale when empty); returns how many pairs were removed.
    pub fn remove(&mut self, locales: &[String], outputs: &[String]) -> usize {
        let mut removed = 0;
        for (locale, pages) in self.published.iter_mut() {
            if !locales.is_empty() && !locales.contains(locale) {
                continue;
            }
            let before = pages.len();
            if outputs.is_empty() {
                pages.clear();
            } else {
                pages.retain(|p| !outputs.contains(p));
            }
            removed += before - pages.len();
        }
        self.published.retain(|_, pages| !pages.is_empty());
        removed
    }
}

/// Reads [`RECORD_FILE`] from the site's files: an empty record when there is none, an E001 at
/// the fault when it does not parse.
pub fn read(site: &Site) -> Result<Record, Box<Diagnostic>> {
    let Some(id) = site.files.id(RECORD_FILE) else {
        return Ok(Record::default());
    };
    let text = match std::str::from_utf8(site.files.bytes(id)) {
        Ok(t) => t,
        Err(e) => return Err(Box::new(crate::site::utf8_diagnostic(id, &e))),
    };
    toml::from_str::<Record>(text).map_err(|e| {
        Box::new(
            Diagnostic::new(
                Code::E001,
                format!("{RECORD_FILE} is not valid: {}", e.message().trim()),
            )
            .at(id, e.span().unwrap_or(0..0))
            .help("fix the file, or delete it: the next build records the pages it publishes"),
        )
    })
}

/// The record as TOML, sorted and deterministic.
pub fn render(record: &Record) -> String {
    let mut out = String::from(
        "# Written by `ftlsite build`: the pages published in each locale. A page listed here stays\n\
         # published when the source gains messages the locale has not translated yet (they come from\n\
         # the fallback chain); `ftlsite check --deactivate` removes pages. Commit it with the site.\n\
         \n[published]\n",
    );
    for (locale, pages) in &record.published {
        let list: Vec<String> = pages.iter().map(|p| quote(p)).collect();
        out.push_str(&format!("{} = [{}]\n", quote(locale), list.join(", ")));
    }
    out
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_what_it_reads() {
        let mut r = Record::default();
        r.published.insert(
            "zh-TW".into(),
            ["index.html".to_string(), "a \"b\".html".to_string()].into(),
        );
        let text = render(&r);
        assert_eq!(toml::from_str::<Record>(&text).unwrap(), r);
        assert!(text.ends_with("\"zh-TW\" = [\"a \\\"b\\\".html\", \"index.html\"]\n"));
        assert_eq!(
            toml::from_str::<Record>(&render(&Record::default())).unwrap(),
            Record::default()
        );
    }

    #[test]
    fn removes_by_locale_and_page() {
        let mut r = Record::default();
        r.published.insert(
            "de".into(),
            ["a.html".to_string(), "b.html".to_string()].into(),
        );
        r.published
            .insert("fr".into(), ["a.html".to_string()].into());
        assert_eq!(r.remove(&["de".into()], &["a.html".into()]), 1);
        assert!(r.contains("de", "b.html") && r.contains("fr", "a.html"));
        assert_eq!(r.remove(&[], &[]), 2);
        assert!(r.published.is_empty());
    }
}
