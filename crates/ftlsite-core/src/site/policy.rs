//! The activation policy of site.toml (`[activation]`): when a page is published in a locale
//! that has not translated all of it. Read here with spans, checked, and resolved into a
//! [`Policy`]; the decision itself is [`crate::activation`]'s.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Code, Diagnostic, FileId};

/// `[activation]`, as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ActivationConfig {
    /// Share of a page's messages (0–100) a locale must have for the page to be published;
    /// the rest come from the fallback chain. Default 100.
    #[serde(default)]
    pub percent_required: Option<Spanned<i64>>,
    /// Target locales published nowhere, whatever they have translated.
    #[serde(default)]
    pub inactive: Vec<Spanned<String>>,
    /// Per-locale overrides, by target locale code.
    #[serde(default)]
    pub locales: BTreeMap<Spanned<String>, LocaleActivationConfig>,
}

/// `[activation.locales.<code>]`, as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LocaleActivationConfig {
    /// This locale's threshold, instead of the global one.
    #[serde(default)]
    pub percent_required: Option<Spanned<i64>>,
}

/// The resolved policy. A site without `[activation]` has none: a missing message then stops
/// `build` (or, with `--allow-fallback`, falls back on every page), as it always has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The threshold for locales without an override, 0–100.
    pub percent_required: u8,
    /// Overrides by locale code.
    pub locales: BTreeMap<String, u8>,
    /// Locales forced off.
    pub inactive: BTreeSet<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            percent_required: 100,
            locales: BTreeMap::new(),
            inactive: BTreeSet::new(),
        }
    }
}

impl Policy {
    /// The threshold that applies to `locale`.
    pub fn percent_for(&self, locale: &str) -> u8 {
        self.locales
            .get(locale)
            .copied()
            .unwrap_or(self.percent_required)
    }
}

/// Checks `[activation]` against the site's locales and resolves it. `targets` are the target
/// locale codes as declared, `source` the source locale's; every finding points at the value
/// in site.toml (`at` turns a toml span into the span of the text to change).
pub(super) fn resolve(
    config: &ActivationConfig,
    source: &str,
    targets: &BTreeSet<&str>,
    file: FileId,
    at: &dyn Fn(Range<usize>) -> Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Policy {
    let percent = |v: &Spanned<i64>, diags: &mut Vec<Diagnostic>| -> u8 {
        match u8::try_from(*v.get_ref()) {
            Ok(p) if p <= 100 => p,
            _ => {
                diags.push(
                    Diagnostic::new(
                        Code::E001,
                        format!("percent-required is {}, not 0 to 100", v.get_ref()),
                    )
                    .at(file, at(v.span()))
                    .help("write a whole number from 0 (only `## Required` messages) to 100 (every message)"),
                );
                100
            }
        }
    };
    let target = |code: &Spanned<String>, what: &str, diags: &mut Vec<Diagnostic>| -> bool {
        let c = code.get_ref().as_str();
        if targets.contains(c) {
            return true;
        }
        let (message, help) = if c == source {
            (
                format!("{what} names the source locale `{c}`, which is always published"),
                "remove it; activation applies to target locales only".to_string(),
            )
        } else {
            (
                format!("{what} names `{c}`, which is not a target locale of this site"),
                "list the locale under `locales` first, or fix the code".to_string(),
            )
        };
        diags.push(
            Diagnostic::new(Code::E002, message)
                .at(file, at(code.span()))
                .help(help),
        );
        false
    };
    let mut policy = Policy::default();
    if let Some(p) = &config.percent_required {
        policy.percent_required = percent(p, diags);
    }
    for code in &config.inactive {
        if target(code, "activation.inactive", diags) {
            policy.inactive.insert(code.get_ref().clone());
        }
    }
    for (code, local) in &config.locales {
        if !target(code, "[activation.locales]", diags) {
            continue;
        }
        if let Some(p) = &local.percent_required {
            let p = percent(p, diags);
            policy.locales.insert(code.get_ref().clone(), p);
        }
    }
    policy
}
