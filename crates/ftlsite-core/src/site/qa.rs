//! The `[qa]` table of site.toml: per-locale typography, CJK spacing and length bands, the
//! source-side rules (brand terms, the id naming rule) and which QA codes run, resolved into
//! [`QaConfig`] with built-in defaults for sites (and bare trees) that set nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Code, Diagnostic, FileId};

/// `[qa]` as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct QaTable {
    /// Codes to turn off for the whole site, e.g. `["W612"]`.
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    /// Codes outside the default set to turn on (see [`OFF_BY_DEFAULT`]).
    #[serde(default)]
    pub enable: Vec<Spanned<String>>,
    /// Prefixes of the term ids that hold brand names (W613), without the dash.
    #[serde(default)]
    pub brand_terms: Option<Vec<String>>,
    /// Regular expression every message and term id must match (W615), terms without the dash.
    #[serde(default)]
    pub id_pattern: Option<Spanned<String>>,
    /// Settings per locale code.
    #[serde(default)]
    pub locales: BTreeMap<Spanned<String>, LocaleTable>,
}

/// `[qa.locales.<code>]` as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LocaleTable {
    /// Quote marks: primary opening, primary closing, secondary opening, secondary closing,
    /// e.g. `"“”‘’"`, `"„“‚‘"`, `"「」『』"`; `""` turns the straight-quote check off.
    #[serde(default)]
    pub quotes: Option<Spanned<String>>,
    /// `"space"`, `"none"` or `"any"`: the space between CJK and Latin letters or digits.
    #[serde(default)]
    pub cjk_spacing: Option<Spanned<String>>,
    /// Translation length over source length, `[low, high]`, in characters.
    #[serde(default)]
    pub length: Option<Spanned<Vec<f64>>>,
}

/// How CJK and Latin text meet in a locale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CjkSpacing {
    /// One space between them: `使用 Firefox 浏览器`.
    Space,
    /// Nothing between them: `使用Firefox浏览器`.
    None,
    /// Whatever the locale does most; the minority is reported.
    Majority,
    /// Not checked.
    Any,
}

/// The resolved settings of one locale.
#[derive(Clone, Debug, PartialEq)]
pub struct LocaleQa {
    /// Primary and secondary quote pairs, `None` when straight quotes are not checked.
    pub quotes: Option<[char; 4]>,
    /// The CJK spacing convention.
    pub cjk_spacing: CjkSpacing,
    /// Allowed translation/source length ratio.
    pub length: (f64, f64),
}

/// Codes that run only when `[qa] enable` lists them: on real catalogs they flag more
/// acceptable variation than defects (see docs/diagnostics.md).
pub const OFF_BY_DEFAULT: &[Code] = &[Code::W611];

/// The default id naming rule: lowercase words of letters and digits joined by `-`.
pub const DEFAULT_ID_PATTERN: &str = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$";

/// The QA settings of a site.
#[derive(Clone, Debug)]
pub struct QaConfig {
    /// Codes that do not run.
    pub disabled: BTreeSet<Code>,
    /// Prefixes of brand term ids.
    pub brand_terms: Vec<String>,
    /// The id naming rule.
    pub id_pattern: regex::Regex,
    /// Settings given per locale; [`QaConfig::locale`] adds the defaults.
    pub locales: BTreeMap<String, LocaleTable>,
}

impl Default for QaConfig {
    fn default() -> Self {
        QaConfig {
            disabled: OFF_BY_DEFAULT.iter().copied().collect(),
            brand_terms: vec!["brand-".to_string()],
            id_pattern: default_id_pattern(),
            locales: BTreeMap::new(),
        }
    }
}

fn default_id_pattern() -> regex::Regex {
    regex::Regex::new(DEFAULT_ID_PATTERN).expect("the default id pattern is a valid constant")
}

impl QaConfig {
    /// True when `code` runs.
    pub fn enabled(&self, code: Code) -> bool {
        !self.disabled.contains(&code)
    }

    /// The settings of `locale`: what site.toml says, else the built-in default for the
    /// language.
    pub fn locale(&self, locale: &str) -> LocaleQa {
        let lang = locale.split('-').next().unwrap_or(locale);
        let given = self.locales.get(locale);
        let quotes = match given.and_then(|l| l.quotes.as_ref()) {
            Some(q) => quote_chars(q.get_ref()),
            None => default_quotes(locale, lang),
        };
        let cjk_spacing = match given.and_then(|l| l.cjk_spacing.as_ref()) {
            Some(s) => parse_spacing(s.get_ref()).unwrap_or(CjkSpacing::Any),
            None if matches!(lang, "zh" | "ja") => CjkSpacing::Majority,
            None => CjkSpacing::Any,
        };
        let length = match given.and_then(|l| l.length.as_ref()) {
            Some(b) => match b.get_ref().as_slice() {
                [lo, hi] => (*lo, *hi),
                _ => default_length(lang),
            },
            None => default_length(lang),
        };
        LocaleQa {
            quotes,
            cjk_spacing,
            length,
        }
    }
}

/// Built-in quote styles: the locales whose typography is well established. Others are not
/// checked for straight quotes unless site.toml gives `quotes`.
fn default_quotes(locale: &str, lang: &str) -> Option<[char; 4]> {
    let s = match lang {
        "en" => "“”‘’",
        "zh" if locale.contains("TW") || locale.contains("HK") || locale.contains("Hant") => {
            "「」『』"
        }
        "zh" => "“”‘’",
        "ja" => "「」『』",
        "de" | "cs" | "sk" | "sl" | "lt" | "is" => "„“‚‘",
        "fr" => "«»“”",
        "ar" => "«»“”",
        _ => return None,
    };
    quote_chars(s)
}

fn quote_chars(s: &str) -> Option<[char; 4]> {
    let c: Vec<char> = s.chars().collect();
    match c.as_slice() {
        [a, b, c, d] => Some([*a, *b, *c, *d]),
        [a, b] => Some([*a, *b, *a, *b]),
        _ => None,
    }
}

/// Length bands by target language, relative to an alphabetic source: CJK scripts need far
/// fewer characters; everything else stays within a factor of about two and a half.
fn default_length(lang: &str) -> (f64, f64) {
    match lang {
        "zh" | "ja" | "ko" => (0.12, 1.2),
        _ => (0.35, 3.0),
    }
}

fn parse_spacing(s: &str) -> Option<CjkSpacing> {
    match s {
        "space" => Some(CjkSpacing::Space),
        "none" => Some(CjkSpacing::None),
        "majority" => Some(CjkSpacing::Majority),
        "any" => Some(CjkSpacing::Any),
        _ => None,
    }
}

/// Resolves `[qa]`; every bad value is an E001 at its place in site.toml. `at` turns a toml
/// span into the span of the value without its quotes.
pub(super) fn resolve(
    table: &QaTable,
    file: FileId,
    at: &dyn Fn(Range<usize>) -> Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> QaConfig {
    let mut cfg = QaConfig::default();
    let code = |s: &Spanned<String>, diags: &mut Vec<Diagnostic>| -> Option<Code> {
        let c = Code::parse(s.get_ref());
        if c.is_none() {
            diags.push(
                Diagnostic::new(
                    Code::E001,
                    format!("`{}` is not a diagnostic code", s.get_ref()),
                )
                .at(file, at(s.span()))
                .help("use a code from docs/diagnostics.md, such as W612"),
            );
        }
        c
    };
    for s in &table.enable {
        if let Some(c) = code(s, diags) {
            cfg.disabled.remove(&c);
        }
    }
    for s in &table.disable {
        if let Some(c) = code(s, diags) {
            cfg.disabled.insert(c);
        }
    }
    if let Some(b) = &table.brand_terms {
        cfg.brand_terms = b
            .iter()
            .map(|p| p.trim_start_matches('-').to_string())
            .collect();
    }
    if let Some(p) = &table.id_pattern {
        match regex::Regex::new(p.get_ref()) {
            Ok(r) => cfg.id_pattern = r,
            Err(e) => diags.push(
                Diagnostic::new(
                    Code::E001,
                    format!(
                        "`id-pattern` is not a regular expression: {}",
                        first_line(&e.to_string())
                    ),
                )
                .at(file, at(p.span()))
                .help("write a regular expression such as ^[a-z][a-z0-9-]*$"),
            ),
        }
    }
    for (locale, l) in &table.locales {
        if let Some(q) = &l.quotes {
            if !q.get_ref().is_empty() && quote_chars(q.get_ref()).is_none() {
                diags.push(
                    Diagnostic::new(Code::E001, "`quotes` must be 2 or 4 characters, or empty")
                        .at(file, at(q.span()))
                        .help("write opening and closing marks, e.g. \"“”‘’\" or \"「」『』\""),
                );
            }
        }
        if let Some(s) = &l.cjk_spacing {
            if parse_spacing(s.get_ref()).is_none() {
                diags.push(
                    Diagnostic::new(Code::E001, format!("`cjk-spacing` is `{}`", s.get_ref()))
                        .at(file, at(s.span()))
                        .help("use \"space\", \"none\", \"majority\" or \"any\""),
                );
            }
        }
        if let Some(b) = &l.length {
            let ok = matches!(b.get_ref().as_slice(), [lo, hi] if *lo >= 0.0 && lo < hi);
            if !ok {
                diags.push(
                    Diagnostic::new(
                        Code::E001,
                        "`length` must be [low, high] with 0 <= low < high",
                    )
                    .at(file, b.span())
                    .help("write a ratio band such as [0.12, 1.2]"),
                );
            }
        }
        cfg.locales.insert(locale.get_ref().clone(), l.clone());
    }
    cfg
}

fn first_line(s: &str) -> String {
    s.lines().last().unwrap_or(s).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_language() {
        let cfg = QaConfig::default();
        assert_eq!(cfg.locale("zh-CN").quotes, Some(['“', '”', '‘', '’']));
        assert_eq!(cfg.locale("zh-TW").quotes, Some(['「', '」', '『', '』']));
        assert_eq!(cfg.locale("de").quotes, Some(['„', '“', '‚', '‘']));
        assert_eq!(cfg.locale("sv").quotes, None);
        assert_eq!(cfg.locale("ja").cjk_spacing, CjkSpacing::Majority);
        assert_eq!(cfg.locale("fr").cjk_spacing, CjkSpacing::Any);
        assert!(!cfg.enabled(Code::W611));
        assert!(cfg.enabled(Code::W601));
        assert!(cfg.id_pattern.is_match("privacy-hero-title"));
        assert!(!cfg.id_pattern.is_match("privacy_hero"));
    }
}
