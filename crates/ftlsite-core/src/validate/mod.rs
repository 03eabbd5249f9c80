//! Validate stage: every check over the loaded site, as data.
//!
//! This module holds the registry and [`run`]; each family of checks lives in its own file. The
//! same code runs in `ftlsite check`, before `ftlsite build`, and in build.rs over the shipped
//! site, so all three report the same codes at the same positions.

pub mod coverage;
mod markup;
mod placeables;
pub mod stale;
mod templates;

use std::collections::BTreeMap;

use crate::catalog::Catalogs;
use crate::diagnostics::json::{LocaleSummary, Summary};
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::site::Site;

/// The sorted findings of a run and the per-locale figures.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every finding, in report order.
    pub diagnostics: Vec<Diagnostic>,
    /// Totals and completion per target locale.
    pub summary: Summary,
}

impl Report {
    /// True when any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }

    /// True when any finding is a warning.
    pub fn has_warnings(&self) -> bool {
        self.summary.warnings > 0
    }
}

/// Runs every check. `load` are the findings of the load stage (syntax, UTF-8), which are kept
/// in the report so one run shows everything.
pub fn run(site: &Site, catalogs: &Catalogs, load: Vec<Diagnostic>) -> Report {
    let mut diags = load;
    let mut counts = BTreeMap::new();
    // The families are independent: they run side by side and their findings are sorted
    // together afterwards, so the report does not depend on scheduling.
    let (placeable_diags, markup_diags) = std::thread::scope(|scope| {
        let placeables = scope.spawn(|| {
            let mut d = Vec::new();
            placeables::check(site, catalogs, &mut d);
            d
        });
        let markup = scope.spawn(|| {
            let mut d = Vec::new();
            markup::check(site, catalogs, &mut d);
            templates::check(site, catalogs, &mut d);
            d
        });
        coverage::check(site, catalogs, &mut diags, &mut counts);
        (
            placeables
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            markup
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
        )
    });
    diags.extend(placeable_diags);
    diags.extend(markup_diags);
    diagnostics::sort(&mut diags);
    let summary = summarize(site, &diags, counts);
    Report {
        diagnostics: diags,
        summary,
    }
}

/// Per-locale translated/missing/obsolete counts, filled by the coverage checks.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    /// Source entries.
    pub messages: usize,
    /// Source entries present in the locale.
    pub translated: usize,
    /// Locale entries the source does not have.
    pub obsolete: usize,
}

fn summarize(site: &Site, diags: &[Diagnostic], counts: BTreeMap<String, Counts>) -> Summary {
    let mut summary = Summary::default();
    for d in diags {
        match d.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
        }
    }
    for locale in &site.targets {
        let c = counts.get(&locale.code).copied().unwrap_or_default();
        let mine = diags
            .iter()
            .filter(|d| d.locale.as_deref() == Some(locale.code.as_str()));
        let (mut errors, mut warnings) = (0, 0);
        for d in mine {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
        }
        summary.locales.insert(
            locale.code.clone(),
            LocaleSummary {
                messages: c.messages,
                translated: c.translated,
                missing: c.messages - c.translated,
                obsolete: c.obsolete,
                errors,
                warnings,
                completion: format!("{}/{}", c.translated, c.messages),
            },
        );
    }
    summary
}
