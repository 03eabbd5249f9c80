//! Glossary checks (7xx): translations against the site's terminology ([`crate::glossary`]).
//!
//! For every translated pattern whose source contains a glossary term (terms and messages
//! referenced by placeables resolved first):
//!
//! - E701/W701: the translation lacks the locale's required rendering;
//! - E702/W702: the translation contains a forbidden rendering;
//! - W703: a do-not-translate term is missing from the translation as written.
//!
//! `strict` terms give the errors, others the warnings. Text that a pattern takes from a
//! referenced term is checked where the term is defined, not again in every message that
//! uses it. Where a Fluent term holds the rendering, the hint names it.

use super::coverage::Pairing;
use super::qa::text::{Masked, Resolver};
use crate::catalog::{Catalog, Catalogs, EntryKind};
use crate::diagnostics::{Code, Diagnostic};
use crate::glossary::{Matcher, Term};
use crate::site::Site;

/// Where `text` occurs in `m` outside borrowed text.
fn own(m: &Masked, matcher: &Matcher) -> Vec<std::ops::Range<usize>> {
    matcher
        .find(&m.text)
        .into_iter()
        .filter(|r| !m.borrowed(r.clone()))
        .collect()
}

/// The Fluent term of `cat` whose text is `text` (case-insensitive), as `-id`.
fn term_for(cat: &Catalog, resolver: &Resolver<'_>, text: &str) -> Option<String> {
    cat.entries
        .values()
        .filter(|e| e.kind == EntryKind::Term)
        .find_map(|e| {
            let (t, p) = resolver.pattern(EntryKind::Term, &e.id, None)?;
            let r = resolver.render(t, p, None);
            r.text
                .trim()
                .eq_ignore_ascii_case(text.trim())
                .then(|| e.display_id())
        })
}

/// Runs the glossary family for every target locale.
pub fn check(site: &Site, catalogs: &Catalogs, pairing: &Pairing<'_>, diags: &mut Vec<Diagnostic>) {
    let Some(glossary) = &site.glossary else {
        return;
    };
    let Some(source) = catalogs.get(&site.source.code) else {
        return;
    };
    let src_resolver = Resolver::new(source);
    for locale in &site.targets {
        let Some(target) = catalogs.get(&locale.code) else {
            continue;
        };
        let resolver = Resolver::new(target);
        let terms: Vec<(&Term, Vec<Matcher>, Option<String>)> = glossary
            .terms
            .iter()
            .filter(|t| t.do_not_translate || t.translations.contains_key(&locale.code))
            .map(|t| {
                let ms = std::iter::once(&t.source)
                    .chain(&t.forms)
                    .map(|s| Matcher::new(s))
                    .collect();
                let hint = t.fluent_term.clone().or_else(|| {
                    term_for(source, &src_resolver, &t.source).or_else(|| {
                        let req = t.translations.get(&locale.code)?.required.as_ref()?;
                        term_for(target, &resolver, req)
                    })
                });
                (t, ms, hint)
            })
            .collect();
        for &(s, t) in pairing.pairs(&locale.code) {
            for (attr, _) in t.patterns() {
                let (Some((st, sp)), Some((tt, tp))) = (
                    src_resolver.pattern(s.kind, &s.id, attr),
                    resolver.pattern(t.kind, &t.id, attr),
                ) else {
                    continue;
                };
                let sm = src_resolver.render(st, sp, None);
                let tm = resolver.render(tt, tp, None);
                let start = t.pattern(attr).map_or(t.offset, |p| p.offset);
                for (term, matchers, hint) in &terms {
                    let found = matchers.iter().any(|m| !own(&sm, m).is_empty());
                    if !found {
                        continue;
                    }
                    let use_term = hint
                        .as_ref()
                        .map_or(String::new(), |h| format!("; the term {{ {h} }} holds it"));
                    let note = term
                        .note
                        .as_ref()
                        .map_or(String::new(), |n| format!(" ({n})"));
                    let at = |code: Code,
                              message: String,
                              span: std::ops::Range<usize>,
                              help: String| {
                        target
                            .at(Diagnostic::new(code, message), t, span)
                            .help(help)
                    };
                    if let Some(r) = term.translations.get(&locale.code) {
                        let mut forbidden_seen = false;
                        for f in &r.forbidden {
                            for range in own(&tm, &Matcher::new(f)) {
                                forbidden_seen = true;
                                let code = if term.strict { Code::E702 } else { Code::W702 };
                                let want = r
                                    .required
                                    .as_ref()
                                    .map_or("another rendering".to_string(), |w| format!("`{w}`"));
                                diags.push(at(
                                    code,
                                    format!("`{f}` is a forbidden rendering of the glossary term “{}”{note}", term.source),
                                    tm.span(range),
                                    format!("write {want}{use_term}"),
                                ));
                            }
                        }
                        if let Some(req) = &r.required {
                            if !forbidden_seen && Matcher::new(req).find(&tm.text).is_empty() {
                                let code = if term.strict { Code::E701 } else { Code::W701 };
                                diags.push(at(
                                    code,
                                    format!("the source has the glossary term “{}”, but the translation lacks `{req}`{note}", term.source),
                                    start..start + 1,
                                    format!("render “{}” as `{req}`{use_term}", term.source),
                                ));
                            }
                        }
                    }
                    if term.do_not_translate && matchers.iter().all(|m| m.find(&tm.text).is_empty())
                    {
                        diags.push(at(
                            Code::W703,
                            format!("“{}” is not to be translated, but the translation does not have it", term.source),
                            start..start + 1,
                            format!("keep “{}” as written{use_term}", term.source),
                        ));
                    }
                }
            }
        }
    }
}
