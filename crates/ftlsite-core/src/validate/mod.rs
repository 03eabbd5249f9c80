//! Validate stage: every check over the loaded site, as data.
//!
//! This module holds [`run`]; each family of checks lives in its own file. The same code runs
//! in `ftlsite check`, before `ftlsite build` and `ftlsite serve`, and in build.rs over the
//! shipped site, so all of them report the same codes at the same positions. Everything that
//! can be decided without rendering a page is decided here: templates are compiled and scanned
//! ([`crate::template`]), links in them resolved, and what Fluent would fail on when formatting
//! (reference cycles, unknown functions, arguments that cannot format) found statically.

pub mod coverage;
mod glossary;
mod links;
mod markup;
mod placeables;
pub mod qa;
mod resolve;
pub mod stale;
mod templates;

pub use resolve::MAX_EXPANDED_BYTES;
pub use templates::RENDERER_MESSAGES;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::activation::{self, Plan};
use crate::catalog::Catalogs;
use crate::diagnostics::json::{LocaleSummary, Summary};
use crate::diagnostics::{self, Code, Diagnostic, Severity};
use crate::site::Site;

/// The sorted findings of a run, the per-locale figures and the activation plan.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every finding, in report order.
    pub diagnostics: Vec<Diagnostic>,
    /// Totals and completion per target locale.
    pub summary: Summary,
    /// Every page's status in every target locale ([`crate::activation`]), shared with the
    /// renderer and with later validations that take it over ([`gate_since`]).
    pub activation: Arc<Plan>,
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
/// in the report, with the site's own load warnings, so one run shows everything.
///
/// When the site declares an activation policy, a missing message or term (E201, E202) is a
/// warning, not an error: an incomplete locale is expected, and what it means for each page is
/// in [`Report::activation`].
pub fn run(site: &Site, catalogs: &Catalogs, load: Vec<Diagnostic>) -> Report {
    let pairing = coverage::Pairing::new(site, catalogs);
    // The two stages are independent: they run side by side and their findings are sorted
    // together afterwards, so the report does not depend on scheduling.
    let (gate, qa) = rayon::join(
        || gate_with(site, catalogs, &pairing, load, None),
        || quality(site, catalogs, &pairing),
    );
    gate.finish_with(site, qa)
}

/// The first stage of [`run`] alone: every family that can report an error, and the activation
/// plan. What is left, the QA checks (W6xx), reports warnings only, so a caller that
/// only needs to know whether the site builds (the preview, which shows a page before its
/// warnings) can render first and [`Gate::finish`] afterwards. The finished report is the one
/// [`run`] gives.
pub fn gate(site: &Site, catalogs: &Catalogs, load: Vec<Diagnostic>) -> Gate {
    let pairing = coverage::Pairing::new(site, catalogs);
    gate_with(site, catalogs, &pairing, load, None)
}

/// [`gate`] after an edit of `.ftl` files alone, taking over from the gate before it what the
/// edit cannot change: the template link check (E504), which reads no catalog, and the
/// activation plan when no catalog gained or lost a message and the source locale's files
/// are as they were (the plan reads only which messages exist, and the source's
/// `## Required` groups). The result is the one [`gate`] gives.
pub fn gate_since(
    site: &Site,
    catalogs: &Catalogs,
    load: Vec<Diagnostic>,
    since: &Since<'_>,
) -> Gate {
    let pairing = coverage::Pairing::new(site, catalogs);
    gate_with(site, catalogs, &pairing, load, Some(since))
}

/// The gate before an edit that changed `.ftl` files and nothing else (the caller's word:
/// site.toml, templates, pages, assets, the glossary and the lock files are as they were).
#[derive(Clone, Copy, Debug)]
pub struct Since<'a> {
    /// The catalogs the earlier gate was made from.
    pub catalogs: &'a Catalogs,
    /// Its link findings ([`Gate::links`]).
    pub links: &'a [Diagnostic],
    /// Its plan ([`Gate::plan`]).
    pub plan: &'a Arc<Plan>,
}

impl Since<'_> {
    /// Whether the plan made from `catalogs` is this one: the source locale's files are the
    /// same text, and every catalog has the same messages.
    fn plan_holds(&self, site: &Site, catalogs: &Catalogs) -> bool {
        use crate::catalog::{Catalog, EntryKind};
        fn texts(c: Option<&Catalog>) -> impl Iterator<Item = (&str, &str)> {
            c.into_iter()
                .flat_map(|c| c.files.iter().map(|f| (f.path.as_str(), f.text())))
        }
        fn messages(c: &Catalog) -> impl Iterator<Item = &str> {
            c.entries
                .keys()
                .filter(|(kind, _)| *kind == EntryKind::Message)
                .map(|(_, id)| id.as_str())
        }
        let source = &site.source.code;
        texts(self.catalogs.get(source)).eq(texts(catalogs.get(source)))
            && self.catalogs.locales.len() == catalogs.locales.len()
            && self
                .catalogs
                .locales
                .iter()
                .zip(&catalogs.locales)
                .all(|((a, old), (b, new))| a == b && messages(old).eq(messages(new)))
    }
}

/// The findings of the first stage of validation ([`gate`]), unsorted, and what the report
/// is completed with.
#[derive(Debug)]
pub struct Gate {
    diagnostics: Vec<Diagnostic>,
    /// The template link check's findings, apart: [`gate_since`] takes them over.
    links: Vec<Diagnostic>,
    counts: BTreeMap<String, Counts>,
    plan: Arc<Plan>,
}

impl Gate {
    /// The errors found, in report order: every error the finished report will hold (the
    /// second stage adds warnings only).
    pub fn errors(&self, site: &Site) -> Vec<Diagnostic> {
        let mut errors: Vec<Diagnostic> = self
            .diagnostics
            .iter()
            .chain(&self.links)
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        diagnostics::sort(&mut errors, &site.files);
        errors
    }

    /// Every page's status in every target locale.
    pub fn plan(&self) -> &Arc<Plan> {
        &self.plan
    }

    /// The template link check's findings (E504).
    pub fn links(&self) -> &[Diagnostic] {
        &self.links
    }

    /// Runs the second stage (the QA checks) and completes the report.
    pub fn finish(self, site: &Site, catalogs: &Catalogs) -> Report {
        let qa = quality(site, catalogs, &coverage::Pairing::new(site, catalogs));
        self.finish_with(site, qa)
    }

    fn finish_with(self, site: &Site, qa: Vec<Diagnostic>) -> Report {
        let Gate {
            mut diagnostics,
            links,
            counts,
            plan,
        } = self;
        diagnostics.extend(links);
        diagnostics.extend(qa);
        diagnostics::sort(&mut diagnostics, &site.files);
        let summary = summarize(site, &diagnostics, counts, &plan);
        Report {
            diagnostics,
            summary,
            activation: plan,
        }
    }
}

/// Every family but QA, side by side.
fn gate_with(
    site: &Site,
    catalogs: &Catalogs,
    pairing: &coverage::Pairing<'_>,
    load: Vec<Diagnostic>,
    since: Option<&Since<'_>>,
) -> Gate {
    let mut diags = load;
    diags.extend(site.warnings.iter().cloned());
    let mut counts = BTreeMap::new();
    let ((coverage, content), ((templates, links, plan), resolved)) = rayon::join(
        || {
            rayon::join(
                || {
                    let mut d = Vec::new();
                    coverage::check(site, catalogs, pairing, &mut d, &mut counts);
                    d
                },
                || {
                    let mut d = Vec::new();
                    placeables::check(site, catalogs, pairing, &mut d);
                    markup::check(site, catalogs, pairing, &mut d);
                    d
                },
            )
        },
        || {
            rayon::join(
                || {
                    let (model, mut d) = crate::template::analyze(site);
                    templates::check(site, catalogs, &model, &mut d);
                    let record = activation::record::read(site).unwrap_or_else(|e| {
                        d.push(*e);
                        activation::Record::default()
                    });
                    let (links, plan) = rayon::join(
                        || match since {
                            Some(since) => since.links.to_vec(),
                            None => {
                                let mut links = Vec::new();
                                links::check(site, &model, &mut links);
                                links
                            }
                        },
                        || match since {
                            Some(since) if since.plan_holds(site, catalogs) => since.plan.clone(),
                            _ => Arc::new(activation::plan(site, catalogs, &model, &record)),
                        },
                    );
                    (d, links, plan)
                },
                || {
                    let (mut d, g) = rayon::join(
                        || {
                            let mut d = Vec::new();
                            resolve::check(site, catalogs, &mut d);
                            d
                        },
                        || {
                            // A strict glossary term is an error (E701, E702).
                            let mut d = Vec::new();
                            glossary::check(site, catalogs, pairing, &mut d);
                            d
                        },
                    );
                    d.extend(g);
                    d
                },
            )
        },
    );
    diags.extend(coverage);
    if site.activation.is_some() {
        for d in diags.iter_mut() {
            if matches!(d.code, Code::E201 | Code::E202) {
                d.severity = Severity::Warning;
            }
        }
    }
    diags.extend(content);
    diags.extend(templates);
    diags.extend(resolved);
    Gate {
        diagnostics: diags,
        links,
        counts,
        plan,
    }
}

/// The QA checks (W6xx): warnings only.
fn quality(site: &Site, catalogs: &Catalogs, pairing: &coverage::Pairing<'_>) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    qa::check(site, catalogs, pairing, &mut d);
    debug_assert!(d.iter().all(|d| !d.is_error()));
    d
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

fn summarize(
    site: &Site,
    diags: &[Diagnostic],
    counts: BTreeMap<String, Counts>,
    plan: &Plan,
) -> Summary {
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
                pages: plan.policy.is_some().then(|| plan.counts(&locale.code)),
            },
        );
    }
    summary
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::site::SiteSource;

    /// The preview's two stages give the report of one `run`: every check fixture (each code's
    /// site) and the mozilla.org corpus.
    #[test]
    fn gate_then_finish_is_run() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        let mut sources: Vec<SiteSource> = std::fs::read_dir(fixtures.join("check"))
            .unwrap()
            .map(|e| SiteSource::Dir(e.unwrap().path()))
            .collect();
        sources.sort_by_key(|s| format!("{s:?}"));
        sources.push(SiteSource::Bare {
            dir: fixtures.join("www-l10n"),
            source_locale: "en".into(),
        });
        let mut compared = 0;
        for source in &sources {
            let Ok(site) = crate::site::load(source) else {
                continue;
            };
            let (catalogs, load) = crate::catalog::load(&site);
            let once = super::run(&site, &catalogs, load.clone());
            let gate = super::gate(&site, &catalogs, load);
            let errors: Vec<_> = once
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            assert_eq!(gate.errors(&site), errors, "{source:?}");
            let staged = gate.finish(&site, &catalogs);
            assert_eq!(staged.diagnostics, once.diagnostics, "{source:?}");
            assert_eq!(staged.summary, once.summary, "{source:?}");
            assert!(staged.activation == once.activation, "{source:?}");
            compared += 1;
        }
        assert!(compared > 50, "{compared} sites compared");
    }

    /// After an edit of `.ftl` files, `gate_since` gives `gate`'s report, taking over the
    /// plan only when the edit leaves every catalog's messages and the source's text as they
    /// were.
    #[test]
    fn gate_since_an_ftl_edit_is_gate() {
        let dir =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/sites/activation");
        let mut site = crate::site::load(&SiteSource::Dir(dir)).unwrap();
        let (before, load) = crate::catalog::load(&site);
        let first = super::gate(&site, &before, load);
        let edits: [(&str, &str, bool); 4] = [
            // Another text for a message: the same plan.
            ("locales/de/about.ftl", "about-title = Wir\nabout-lead = L\nabout-team = T\n", true),
            // A message removed: de lacks more of the about page.
            ("locales/de/about.ftl", "about-title = Wir\nabout-lead = L\n", false),
            // The source's text changed (its `## Required` groups may have).
            ("locales/en-US/contact.ftl", "contact-title = Contact us\ncontact-email = Write to hello@example.com.\ncontact-address = Or visit us at 1 Main Street.\n", false),
            // A message added where it was missing (zh-TW falls back for the footer).
            ("locales/zh-TW/layout.ftl", "language-name = 繁體中文\nsite-name = 範例公司\nnav-label = 網站\nnav-home = 首頁\nnav-about = 關於我們\nnav-contact = 聯絡方式\nfooter = © 範例公司\n", false),
        ];
        for (path, text, same_plan) in edits {
            let (edited, after, lent, fresh) = regate(&site, &before, &first, path, text);
            assert_eq!(
                std::sync::Arc::ptr_eq(lent.plan(), first.plan()),
                same_plan,
                "{path}: {text}"
            );
            assert!(**lent.plan() == **fresh.plan(), "{path}: {text}");
            assert_eq!(lent.errors(&edited), fresh.errors(&edited));
            let (lent, fresh) = (lent.finish(&edited, &after), fresh.finish(&edited, &after));
            assert_eq!(lent.diagnostics, fresh.diagnostics, "{path}: {text}");
            assert_eq!(lent.summary, fresh.summary, "{path}: {text}");
        }
        site.files
            .insert("locales/de/about.ftl", b"about-title = W\n".to_vec());
        let fresh = super::gate(&site, &crate::catalog::load(&site).0, Vec::new());
        assert!(
            **fresh.plan() != **first.plan(),
            "the fixture's plan depends on de's messages"
        );
    }

    /// The link findings taken over are those a fresh gate finds (E504's fixture has some).
    #[test]
    fn gate_since_keeps_the_link_findings() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/check/E504-dangling-link");
        let site = crate::site::load(&SiteSource::Dir(dir)).unwrap();
        let (before, load) = crate::catalog::load(&site);
        let first = super::gate(&site, &before, load);
        assert!(!first.links().is_empty());
        let path = "locales/zh-CN/main.ftl";
        let text = format!(
            "{}added-for-the-test = x\n",
            site.files.text_of(path).unwrap()
        );
        let (edited, _, lent, fresh) = regate(&site, &before, &first, path, &text);
        assert_eq!(lent.links(), fresh.links());
        assert_eq!(lent.errors(&edited), fresh.errors(&edited));
    }

    /// `site` with `path` holding `text`, its catalogs, and its gate made both ways: taking
    /// over from `first` (made from `before`), and fresh.
    fn regate(
        site: &crate::site::Site,
        before: &crate::catalog::Catalogs,
        first: &super::Gate,
        path: &str,
        text: &str,
    ) -> (
        crate::site::Site,
        crate::catalog::Catalogs,
        super::Gate,
        super::Gate,
    ) {
        let mut edited = site.clone();
        edited.files.insert(path, text.as_bytes().to_vec());
        let (after, load) = crate::catalog::load(&edited);
        let since = super::Since {
            catalogs: before,
            links: first.links(),
            plan: first.plan(),
        };
        let lent = super::gate_since(&edited, &after, load.clone(), &since);
        let fresh = super::gate(&edited, &after, load);
        (edited, after, lent, fresh)
    }
}
