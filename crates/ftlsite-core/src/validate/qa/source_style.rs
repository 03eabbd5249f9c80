//! Source-side style, on the source locale only: W613 a brand name written as text where a
//! Fluent term holds it, W615 an id that breaks the site's naming rule; and W616, in every
//! locale, a file that does not end with a newline.

use super::text::Resolver;
use super::Unit;
use crate::catalog::{Catalog, EntryKind};
use crate::diagnostics::{Code, Diagnostic};
use crate::site::Site;

/// W616 for each file of a locale whose text does not end with a newline.
pub fn final_newline(cat: &Catalog, out: &mut Vec<Diagnostic>) {
    for f in &cat.files {
        let t = f.text();
        if !t.is_empty() && !t.ends_with('\n') {
            let end = t.len();
            let start = crate::diagnostics::floor_char_boundary(t, end.saturating_sub(1));
            out.push(
                f.place(
                    Diagnostic::new(
                        Code::W616,
                        format!("{} does not end with a newline", f.path),
                    ),
                    start..end,
                )
                .locale(&cat.locale),
            );
        }
    }
}

/// The brand terms of the source: (term id without the dash, the text it renders).
fn brands(site: &Site, source: &Catalog, resolver: &Resolver<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in source.entries.values() {
        if e.kind != EntryKind::Term
            || !site
                .qa
                .brand_terms
                .iter()
                .any(|p| e.id.starts_with(p.as_str()))
        {
            continue;
        }
        let Some((t, p)) = resolver.pattern(EntryKind::Term, &e.id, None) else {
            continue;
        };
        let text = resolver.render(t, p, None).text;
        let text = text.trim();
        if text.chars().count() >= 2 && !text.contains(super::text::MASK) {
            out.push((e.id.clone(), text.to_string()));
        }
    }
    // Longest first, so "Firefox Focus" is reported before "Firefox".
    out.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    out
}

/// True when the `len` bytes at `i` in `text` are a whole word: no letter or digit touches
/// them on either side (case-sensitive matching is the finder's).
fn whole_word(text: &str, i: usize, len: usize) -> bool {
    let before = text[..i].chars().next_back();
    let after = text[i + len..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Runs W613 and W615 over the source locale.
pub fn check(site: &Site, source: &Catalog, units: &[Unit<'_>], out: &mut Vec<Diagnostic>) {
    let resolver = Resolver::new(source);
    let brands = brands(site, source, &resolver);
    for e in source.entries.values() {
        if !site.qa.id_pattern.is_match(&e.id) {
            out.push(
                crate::validate::coverage::at_entry(
                    Diagnostic::new(Code::W615, format!("`{}` does not match the id rule `{}`", e.display_id(), site.qa.id_pattern.as_str())),
                    source,
                    e,
                    e.offset,
                )
                .help("rename the id (in every locale and template), or change `id-pattern` in site.toml"),
            );
        }
    }
    // Every place a brand is written as text, and how often its term is referenced. One
    // automaton finds every brand in a text at once; matches are then taken brand by brand,
    // longest brand first, as the list is ordered.
    let finder = aho_corasick::AhoCorasick::new(brands.iter().map(|(_, b)| b.as_str())).ok();
    let index: std::collections::HashMap<&str, usize> = brands
        .iter()
        .enumerate()
        .map(|(k, (id, _))| (id.as_str(), k))
        .collect();
    let mut found: Vec<(usize, &Unit<'_>, std::ops::Range<usize>)> = Vec::new();
    let mut refs = vec![0usize; brands.len()];
    for u in units {
        let brand_term = u.entry.kind == EntryKind::Term
            && site
                .qa
                .brand_terms
                .iter()
                .any(|p| u.entry.id.starts_with(p.as_str()));
        if brand_term {
            continue;
        }
        if let Some(p) = u.entry.pattern(u.attr) {
            for r in p.refs.iter().filter(|r| r.kind == EntryKind::Term) {
                if let Some(&k) = index.get(r.id.as_str()) {
                    refs[k] += 1;
                }
            }
        }
        let Some(finder) = &finder else { continue };
        let t = u.text();
        let mut hits: Vec<(usize, usize)> = finder
            .find_overlapping_iter(t.text.as_str())
            .map(|m| (m.pattern().as_usize(), m.start()))
            .collect();
        hits.sort_unstable();
        // Occurrences of one brand do not overlap each other (as `str::match_indices` reads).
        let mut end = (usize::MAX, 0);
        hits.retain(|&(k, i)| {
            if end.0 == k && i < end.1 {
                return false;
            }
            end = (k, i + brands[k].1.len());
            whole_word(&t.text, i, brands[k].1.len())
        });
        let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
        for (k, i) in hits {
            let r = i..i + brands[k].1.len();
            let overlaps = taken.iter().any(|x| x.start < r.end && r.start < x.end);
            if overlaps || t.verbatim(r.clone()).is_none() {
                continue;
            }
            taken.push(r.clone());
            found.push((k, u, r));
        }
    }
    // A brand the source writes as text as often as not (third-party names, or words such as
    // "Focus") is the author's choice; one it writes through its term at least four times in
    // five is a brand the text should reference too.
    let mut written = vec![0usize; brands.len()];
    for (k, _, _) in &found {
        written[*k] += 1;
    }
    for (k, u, r) in found {
        if refs[k] < 4 * written[k] {
            continue;
        }
        let (id, brand) = &brands[k];
        let message = format!("`{brand}` is written as text; the term `-{id}` holds it");
        out.push(
            source
                .at(
                    Diagnostic::new(Code::W613, message),
                    u.entry,
                    u.text().span(r),
                )
                .help(format!(
                    "write {{ -{id} }} so that every locale shows the brand as the term defines it"
                )),
        );
    }
}
