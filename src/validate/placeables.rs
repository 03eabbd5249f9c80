//! Placeable checks: variables, references and select expressions.
//!
//! - E301/E302: a variable the translation adds, or a source variable it drops.
//! - E303: a reference to a message, attribute or term that the locale does not define.
//! - W301: a translation that references other messages or terms than its source.
//! - E304: two variants with the same key in one select.
//! - E305: a plural variant key that the locale's CLDR rules never select.
//! - W302: a plural select that lacks a category the locale uses.
//! - E101: a select without a default variant (normally already junk at parse time).

use std::collections::{BTreeMap, BTreeSet};

use icu_plurals::{PluralCategory, PluralRuleType, PluralRules, PluralRulesOptions};

use super::coverage::{at_entry, pairs, same_pattern};
use crate::catalog::{Catalog, Catalogs, Entry, EntryKind, PatternInfo, SelectInfo};
use crate::diagnostics::{Code, Diagnostic};
use crate::site::{Locale, Site};

/// The CLDR plural category names.
const PLURAL_NAMES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// Runs the placeables family: reference and select checks in every locale, then the
/// comparisons of each translation with its source.
pub fn check(site: &Site, catalogs: &Catalogs, diags: &mut Vec<Diagnostic>) {
    let mut plurals = PluralCache::default();
    for locale in site.locales() {
        let Some(cat) = catalogs.get(&locale.code) else { continue };
        let cats = plurals.get(locale);
        for e in cat.entries.values().chain(cat.duplicates.iter()) {
            for (_, p) in e.patterns() {
                references(cat, e, p, diags);
                for sel in &p.selects {
                    select_keys(cat, e, sel, cats.as_ref(), diags);
                }
            }
        }
    }
    let Some(source) = catalogs.get(&site.source.code) else { return };
    let src_cats = plurals.get(&site.source);
    for locale in &site.targets {
        let Some(target) = catalogs.get(&locale.code) else { continue };
        let cats = plurals.get(locale);
        for (src, tgt) in pairs(site, source, target) {
            for (name, tp) in tgt.patterns() {
                let Some(sp) = same_pattern(src, name) else { continue };
                variables(target, tgt, sp, tp, diags);
                references_differ(site, target, tgt, sp, tp, diags);
                if let (Some(sc), Some(tc)) = (&src_cats, &cats) {
                    plural_coverage(target, tgt, sp, tp, sc, tc, diags);
                }
            }
        }
    }
}

/// Plural categories per locale code, from ICU4X's compiled CLDR data; `None` when ICU4X has
/// no rules for the locale (the plural checks are then skipped for it).
#[derive(Default)]
struct PluralCache(BTreeMap<String, Option<BTreeSet<&'static str>>>);

impl PluralCache {
    fn get(&mut self, locale: &Locale) -> Option<BTreeSet<&'static str>> {
        self.0.entry(locale.code.clone()).or_insert_with(|| cardinal_categories(&locale.id.to_string())).clone()
    }
}

/// The CLDR cardinal plural categories of a locale, e.g. `{one, other}` for `en`.
fn cardinal_categories(code: &str) -> Option<BTreeSet<&'static str>> {
    let locale = icu_locale_core::Locale::try_from_str(code).ok()?;
    let options = PluralRulesOptions::default().with_type(PluralRuleType::Cardinal);
    let rules = PluralRules::try_new(locale.into(), options).ok()?;
    Some(rules.categories().map(category_name).collect())
}

fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// Byte offset of the first `needle` at or after `from` and before `to` in `text`, standing as
/// a whole identifier (not inside a longer id or word).
pub(super) fn locate(text: &str, from: usize, to: usize, needle: &str) -> Option<usize> {
    let ident = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let to = crate::diagnostics::floor_char_boundary(text, to);
    let mut start = crate::diagnostics::floor_char_boundary(text, from.min(to));
    while let Some(i) = text.get(start..to)?.find(needle) {
        let at = start + i;
        let before = text.get(..at).and_then(|s| s.chars().next_back());
        let after = text.get(at + needle.len()..).and_then(|s| s.chars().next());
        let free_before = needle.starts_with(['$', '-']) || !before.is_some_and(|c| ident(c) || c == '$');
        if free_before && !after.is_some_and(ident) {
            return Some(at);
        }
        start = at + needle.len();
    }
    None
}

/// Where the entry's text ends: the start of the next entry in the same file, or the file's end.
pub(super) fn entry_end(cat: &Catalog, e: &Entry) -> usize {
    cat.entries
        .values()
        .chain(cat.duplicates.iter())
        .filter(|o| o.file == e.file && o.offset > e.offset)
        .map(|o| o.offset)
        .min()
        .unwrap_or_else(|| cat.file_of(e).text.len())
}

/// Places a diagnostic at the first `needle` inside the pattern, or at the pattern's start.
fn at_token(d: Diagnostic, cat: &Catalog, e: &Entry, p: &PatternInfo, needle: &str) -> Diagnostic {
    let text = &cat.file_of(e).text;
    let at = locate(text, p.offset, entry_end(cat, e), needle);
    match at {
        Some(at) => {
            let file = cat.file_of(e);
            d.at(&file.path, &file.text, at..at + needle.len()).locale(&cat.locale).key(e.display_id())
        }
        None => at_entry(d, cat, e, p.offset),
    }
}

/// E303: a reference to a message, a message attribute or a term that this locale does not
/// define.
///
/// Fluent resolves it to `{id}` at runtime and logs an error: the reader sees the raw id.
/// Checked locale-wide, not per file: Mozilla's pages load shared files such as brands.ftl next
/// to their own, so a reference into another file is normal.
fn references(cat: &Catalog, e: &Entry, p: &PatternInfo, diags: &mut Vec<Diagnostic>) {
    for m in &p.messages {
        let (id, attr) = match m.split_once('.') {
            Some((id, a)) => (id, Some(a)),
            None => (m.as_str(), None),
        };
        let problem = match (cat.message(id), attr) {
            (None, _) => format!("`{m}` refers to a message `{id}` that {} does not define", cat.locale),
            (Some(target), Some(a)) if !target.attributes.iter().any(|(n, _)| n == a) => {
                format!("`{m}` refers to an attribute `.{a}` that `{id}` does not have in {}", cat.locale)
            }
            _ => continue,
        };
        diags.push(
            at_token(Diagnostic::new(Code::E303, problem), cat, e, p, m)
                .help(format!("define `{m}` in {}, or reference an id that exists", cat.locale)),
        );
    }
    for t in &p.terms {
        if cat.entries.contains_key(&(EntryKind::Term, t.clone())) {
            continue;
        }
        diags.push(
            at_token(
                Diagnostic::new(Code::E303, format!("`-{t}` refers to a term that {} does not define", cat.locale)),
                cat,
                e,
                p,
                &format!("-{t}"),
            )
            .help(format!("define `-{t}` in {} (e.g. in its brands file), or fix the name", cat.locale)),
        );
    }
}

/// True when a select is a plural: its selector is numeric and every identifier key is a CLDR
/// category name (a `$gender` select with `[masculine]` is not).
fn is_plural(sel: &SelectInfo) -> bool {
    sel.numeric_selector
        && sel.keys.iter().any(|k| !k.numeric)
        && sel.keys.iter().filter(|k| !k.numeric).all(|k| PLURAL_NAMES.contains(&k.name.as_str()))
}

/// E304, E305 and a missing default (E101) in one select.
///
/// - E304: two variants with one key; only the first can ever be chosen, so the second is dead
///   text a translator may have meant to show. Number keys are compared as numbers.
/// - E305: in a plural select, an identifier key that is not one of the locale's CLDR cardinal
///   categories (say `[one]` in Chinese, which has only `other`); that variant is never shown.
///   `[other]` and number keys (`[0]`, `[1]`) are always allowed.
/// - E101: a select needs a `*` default; the parser normally rejects one without it as junk.
fn select_keys(
    cat: &Catalog,
    e: &Entry,
    sel: &SelectInfo,
    cats: Option<&BTreeSet<&'static str>>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: Vec<String> = Vec::new();
    for k in &sel.keys {
        let norm = if k.numeric {
            k.name.parse::<f64>().map(|n| format!("#{n}")).unwrap_or_else(|_| k.name.clone())
        } else {
            k.name.clone()
        };
        if seen.contains(&norm) {
            diags.push(
                at_entry(
                    Diagnostic::new(Code::E304, format!("the variant key `[{}]` appears twice in one select", k.name)),
                    cat,
                    e,
                    k.offset,
                )
                .help("only the first variant with a key is ever used; merge the two or give this one another key"),
            );
        } else {
            seen.push(norm);
        }
    }
    if !sel.keys.iter().any(|k| k.default) {
        diags.push(
            at_entry(Diagnostic::new(Code::E101, "select expression has no default variant"), cat, e, sel.offset)
                .help("mark one variant as the default with `*`, e.g. `*[other]`"),
        );
    }
    let Some(cats) = cats else { return };
    if !is_plural(sel) {
        return;
    }
    for k in sel.keys.iter().filter(|k| !k.numeric && k.name != "other") {
        if !cats.contains(k.name.as_str()) {
            let uses: Vec<&str> = cats.iter().copied().collect();
            diags.push(
                at_entry(
                    Diagnostic::new(
                        Code::E305,
                        format!("`[{}]` is not a plural category of {}, so this variant is never used", k.name, cat.locale),
                    ),
                    cat,
                    e,
                    k.offset,
                )
                .help(format!(
                    "{} uses only: {}; delete or rename this variant (match an exact number with a key like [1])",
                    cat.locale,
                    uses.join(", ")
                )),
            );
        }
    }
}

/// E301/E302: the variables of a translated pattern differ from its source pattern's.
///
/// A variable the source does not pass (E301) formats as `{$name}` and logs an error; a source
/// variable the translation drops (E302) loses information the reader needs (a count, a name).
/// Compared per pattern (value with value, attribute with the same-named attribute), over the
/// union of all variants of all selects.
fn variables(target: &Catalog, tgt: &Entry, sp: &PatternInfo, tp: &PatternInfo, diags: &mut Vec<Diagnostic>) {
    for v in tp.variables.difference(&sp.variables) {
        let known: Vec<String> = sp.variables.iter().map(|v| format!("${v}")).collect();
        let help = if known.is_empty() {
            "the source passes no variables here; remove it".to_string()
        } else {
            format!("the source uses {}; check the spelling", known.join(", "))
        };
        diags.push(
            at_token(
                Diagnostic::new(Code::E301, format!("`${v}` is not a variable of the source `{}`", tgt.display_id())),
                target,
                tgt,
                tp,
                &format!("${v}"),
            )
            .help(help),
        );
    }
    for v in sp.variables.difference(&tp.variables) {
        diags.push(
            at_entry(
                Diagnostic::new(Code::E302, format!("`{}` does not use the source's variable `${v}`", tgt.display_id())),
                target,
                tgt,
                tp.offset,
            )
            .help(format!("place {{ ${v} }} where it belongs in the translation")),
        );
    }
}

/// W301: the translation references other messages or terms than the source (compared as sets
/// per pattern).
///
/// A dropped `{ -brand-name }` usually means a hard-coded brand that no longer follows the brand
/// file; an added reference may pull in text the source does not show.
fn references_differ(
    site: &Site,
    target: &Catalog,
    tgt: &Entry,
    sp: &PatternInfo,
    tp: &PatternInfo,
    diags: &mut Vec<Diagnostic>,
) {
    let refs = |p: &PatternInfo| -> BTreeSet<String> {
        p.messages.iter().cloned().chain(p.terms.iter().map(|t| format!("-{t}"))).collect()
    };
    let (s, t) = (refs(sp), refs(tp));
    if s == t {
        return;
    }
    let added: Vec<&str> = t.difference(&s).map(String::as_str).collect();
    let dropped: Vec<&str> = s.difference(&t).map(String::as_str).collect();
    let mut parts = Vec::new();
    if !dropped.is_empty() {
        parts.push(format!("drops {}", dropped.join(", ")));
    }
    if !added.is_empty() {
        parts.push(format!("adds {}", added.join(", ")));
    }
    let d = Diagnostic::new(
        Code::W301,
        format!("`{}` references other ids than its source: it {}", tgt.display_id(), parts.join(" and ")),
    )
    .help(format!("reference the same messages and terms as the {} source", site.source.code));
    diags.push(match added.first() {
        Some(first) => at_token(d, target, tgt, tp, first),
        None => at_entry(d, target, tgt, tp.offset),
    });
}

/// W302: a plural select that lacks a variant for a category the locale uses, so those numbers
/// fall back to the default variant's wording.
///
/// Reported only when the corresponding source select (same position) spells out every category
/// of the source locale, and the translation's select has more than one variant: a translation
/// that collapses a plural to a single `*[other]` or to plain text is valid and common (Chinese,
/// Japanese) and is not flagged.
#[allow(clippy::too_many_arguments, reason = "one comparison needs both sides and both locales")]
fn plural_coverage(
    target: &Catalog,
    tgt: &Entry,
    sp: &PatternInfo,
    tp: &PatternInfo,
    src_cats: &BTreeSet<&'static str>,
    cats: &BTreeSet<&'static str>,
    diags: &mut Vec<Diagnostic>,
) {
    for (ss, ts) in sp.selects.iter().zip(tp.selects.iter()) {
        if !is_plural(ss) || !is_plural(ts) || ts.keys.len() < 2 {
            continue;
        }
        let keys = |s: &SelectInfo| -> BTreeSet<String> { s.keys.iter().filter(|k| !k.numeric).map(|k| k.name.clone()).collect() };
        let (sk, tk) = (keys(ss), keys(ts));
        if !src_cats.iter().all(|c| sk.contains(*c)) {
            continue;
        }
        let missing: Vec<&str> = cats.iter().copied().filter(|c| !tk.contains(*c)).collect();
        if missing.is_empty() {
            continue;
        }
        let list: Vec<String> = missing.iter().map(|c| format!("[{c}]")).collect();
        diags.push(
            at_entry(
                Diagnostic::new(
                    Code::W302,
                    format!("this plural select has no variant for {} that {} uses", list.join(", "), target.locale),
                ),
                target,
                tgt,
                ts.offset,
            )
            .help(format!("add {} variants, or collapse the select to one `*[other]` variant on purpose", list.join(", "))),
        );
    }
}
