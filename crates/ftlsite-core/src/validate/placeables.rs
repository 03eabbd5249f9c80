//! Placeable checks: variables, references and select expressions.
//!
//! - E301/E302: a variable the translation adds, or a source variable it drops.
//! - E303: a reference to a message, attribute or term that the locale does not define.
//! - W301: a translation that references other messages or terms than its source.
//! - E304: two variants with the same key in one select.
//! - E305: a plural variant key that the locale's CLDR rules never select.
//! - W302: a plural select that lacks a category the locale uses.
//! - E101: a select without a default variant (normally already junk at parse time).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::coverage::{at_entry, same_pattern, Pairing};
use crate::catalog::{Catalog, Catalogs, Entry, EntryKind, PatternInfo, SelectInfo};
use crate::diagnostics::{Code, Diagnostic};
use crate::site::{Locale, Site};

/// Runs the placeables family: reference and select checks in every locale, then the
/// comparisons of each translation with its source.
pub fn check(site: &Site, catalogs: &Catalogs, pairing: &Pairing<'_>, diags: &mut Vec<Diagnostic>) {
    let mut plurals = PluralCache::default();
    for locale in site.locales() {
        let Some(cat) = catalogs.get(&locale.code) else {
            continue;
        };
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
    let src_cats = plurals.get(&site.source);
    for locale in &site.targets {
        let Some(target) = catalogs.get(&locale.code) else {
            continue;
        };
        let cats = plurals.get(locale);
        for &(src, tgt) in pairing.pairs(&locale.code) {
            for (name, tp) in tgt.patterns() {
                let Some(sp) = same_pattern(src, name) else {
                    continue;
                };
                variables(target, tgt, sp, tp, diags);
                references_differ(site, target, tgt, sp, tp, diags);
                if let (Some(sc), Some(tc)) = (&src_cats, &cats) {
                    plural_coverage(target, tgt, sp, tp, sc, tc, diags);
                }
            }
        }
    }
}

/// Plural categories per locale code, from ICU4X's compiled CLDR data (see
/// [`crate::intl::plural_categories`]).
#[derive(Default)]
struct PluralCache(BTreeMap<String, BTreeSet<&'static str>>);

impl PluralCache {
    fn get(&mut self, locale: &Locale) -> Option<BTreeSet<&'static str>> {
        Some(
            self.0
                .entry(locale.code.clone())
                .or_insert_with(|| {
                    crate::intl::plural_categories(&locale.id)
                        .into_iter()
                        .collect()
                })
                .clone(),
        )
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
        let free_before =
            needle.starts_with(['$', '-']) || !before.is_some_and(|c| ident(c) || c == '$');
        if free_before && !after.is_some_and(ident) {
            return Some(at);
        }
        start = at + needle.len();
    }
    None
}

/// Places a diagnostic at the first `needle` inside the pattern, or at the pattern's start.
fn at_token(d: Diagnostic, cat: &Catalog, e: &Entry, p: &PatternInfo, needle: &str) -> Diagnostic {
    let text = cat.file_of(e).text();
    match locate(text, p.offset, e.end, needle) {
        Some(at) => cat.at(d, e, at..at + needle.len()),
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
            (None, _) => format!(
                "`{m}` refers to a message `{id}` that {} does not define",
                cat.locale
            ),
            (Some(target), Some(a)) if !target.attributes.iter().any(|(n, _)| n == a) => {
                format!(
                    "`{m}` refers to an attribute `.{a}` that `{id}` does not have in {}",
                    cat.locale
                )
            }
            _ => continue,
        };
        diags.push(
            at_token(Diagnostic::new(Code::E303, problem), cat, e, p, m).help(format!(
                "define `{m}` in {}, or reference an id that exists",
                cat.locale
            )),
        );
    }
    for t in &p.terms {
        if cat.entries.contains_key(&(EntryKind::Term, t.clone())) {
            continue;
        }
        diags.push(
            at_token(
                Diagnostic::new(
                    Code::E303,
                    format!(
                        "`-{t}` refers to a term that {} does not define",
                        cat.locale
                    ),
                ),
                cat,
                e,
                p,
                &format!("-{t}"),
            )
            .help(format!(
                "define `-{t}` in {} (e.g. in its brands file), or fix the name",
                cat.locale
            )),
        );
    }
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
    let mut seen: HashSet<String> = HashSet::with_capacity(sel.keys.len());
    for k in &sel.keys {
        let norm = if k.numeric {
            k.name
                .parse::<f64>()
                .map(|n| format!("#{n}"))
                .unwrap_or_else(|_| k.name.clone())
        } else {
            k.name.clone()
        };
        if !seen.insert(norm) {
            diags.push(
                at_entry(
                    Diagnostic::new(Code::E304, format!("the variant key `[{}]` appears twice in one select", k.name)),
                    cat,
                    e,
                    k.offset,
                )
                .help("only the first variant with a key is ever used; merge the two or give this one another key"),
            );
        }
    }
    if !sel.keys.iter().any(|k| k.default) {
        diags.push(
            at_entry(
                Diagnostic::new(Code::E101, "select expression has no default variant"),
                cat,
                e,
                sel.offset,
            )
            .help("mark one variant as the default with `*`, e.g. `*[other]`"),
        );
    }
    let Some(cats) = cats else { return };
    if !sel.plural {
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
fn variables(
    target: &Catalog,
    tgt: &Entry,
    sp: &PatternInfo,
    tp: &PatternInfo,
    diags: &mut Vec<Diagnostic>,
) {
    for v in tp.variables.difference(&sp.variables) {
        let known: Vec<String> = sp.variables.iter().map(|v| format!("${v}")).collect();
        let help = if known.is_empty() {
            "the source passes no variables here; remove it".to_string()
        } else {
            format!("the source uses {}; check the spelling", known.join(", "))
        };
        diags.push(
            at_token(
                Diagnostic::new(
                    Code::E301,
                    format!(
                        "`${v}` is not a variable of the source `{}`",
                        tgt.display_id()
                    ),
                ),
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
                Diagnostic::new(
                    Code::E302,
                    format!(
                        "`{}` does not use the source's variable `${v}`",
                        tgt.display_id()
                    ),
                ),
                target,
                tgt,
                tp.offset,
            )
            .help(format!(
                "place {{ ${v} }} where it belongs in the translation"
            )),
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
        p.messages
            .iter()
            .cloned()
            .chain(p.terms.iter().map(|t| format!("-{t}")))
            .collect()
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
        format!(
            "`{}` references other ids than its source: it {}",
            tgt.display_id(),
            parts.join(" and ")
        ),
    )
    .help(format!(
        "reference the same messages and terms as the {} source",
        site.source.code
    ));
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
#[allow(
    clippy::too_many_arguments,
    reason = "one comparison needs both sides and both locales"
)]
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
        if !ss.plural || !ts.plural || ts.keys.len() < 2 {
            continue;
        }
        let keys = |s: &SelectInfo| -> BTreeSet<String> {
            s.keys
                .iter()
                .filter(|k| !k.numeric)
                .map(|k| k.name.clone())
                .collect()
        };
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
                    format!(
                        "this plural select has no variant for {} that {} uses",
                        list.join(", "),
                        target.locale
                    ),
                ),
                target,
                tgt,
                ts.offset,
            )
            .help(format!(
                "add {} variants, or collapse the select to one `*[other]` variant on purpose",
                list.join(", ")
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::coverage::tests::{found, run, seen, Seen};

    fn pair(en: &str, zh: &str) -> Vec<Seen> {
        run(&[("en/a.ftl", en), ("zh-CN/a.ftl", zh)])
    }

    #[test]
    fn variables_added_and_dropped() {
        let d = pair(
            "m = Hi { $name }, { $count } new\n",
            "m = 你好 { $nmae }，{ $count } 条\n",
        );
        assert_eq!(found(&d, Code::E301), ["zh-CN/a.ftl:1:10 m"]);
        assert_eq!(found(&d, Code::E302), ["zh-CN/a.ftl:1:5 m"]);
        let ok = pair(
            "m = Hi { $name }\n    .title = { $t }\n",
            "m = 你好 { $name }\n    .title = { $t }\n",
        );
        assert!(
            found(&ok, Code::E301).is_empty() && found(&ok, Code::E302).is_empty(),
            "{ok:?}"
        );
        // Per pattern: a variable moved from the attribute to the value is both.
        let moved = pair(
            "m = Hi\n    .title = { $t }\n",
            "m = 你好 { $t }\n    .title = 题\n",
        );
        assert_eq!(found(&moved, Code::E301), ["zh-CN/a.ftl:1:10 m"]);
        assert_eq!(found(&moved, Code::E302), ["zh-CN/a.ftl:2:14 m"]);
    }

    #[test]
    fn collapsed_plural_keeps_its_variable() {
        let en = "m = { $n ->\n    [one] One item\n   *[other] { $n } items\n}\n";
        let d = pair(en, "m = { $n } 项\n");
        assert!(
            found(&d, Code::E302).is_empty() && found(&d, Code::W302).is_empty(),
            "{d:?}"
        );
    }

    #[test]
    fn unknown_references_are_e303() {
        let d = run(&[
            ("en/brands.ftl", "-brand = Firefox\n"),
            ("en/a.ftl", "a = { -brand } { b.title }\nb = B\n    .title = T\nc = { b.nope } { -nobrand } { zzz }\n"),
            ("zh-CN/brands.ftl", "-brand = Firefox\n"),
            ("zh-CN/a.ftl", "a = { -brand } { b.title }\nb = 乙\n    .title = 题\nc = { b.nope } { -nobrand } { zzz }\n"),
        ]);
        assert_eq!(
            found(&d, Code::E303),
            [
                "en/a.ftl:4:7 c",
                "en/a.ftl:4:18 c",
                "en/a.ftl:4:31 c",
                "zh-CN/a.ftl:4:7 c",
                "zh-CN/a.ftl:4:18 c",
                "zh-CN/a.ftl:4:31 c",
            ]
        );
    }

    #[test]
    fn differing_references_are_w301() {
        let d = pair(
            "-b = Firefox\nm = Get { -b }\nn = { m }\n",
            "-b = Firefox\nm = 下载 Firefox\nn = { m }\n",
        );
        assert_eq!(found(&d, Code::W301), ["zh-CN/a.ftl:2:5 m"]);
        assert!(d
            .iter()
            .any(|x| x.code == Code::W301 && x.message.contains("drops -b")));
    }

    #[test]
    fn duplicate_variant_keys_are_e304() {
        let d = pair(
            "m = { $n ->\n    [one] a\n   *[other] b\n}\n",
            "m = { $n ->\n    [0] 无\n    [0.0] 零\n   *[other] 多\n}\n",
        );
        assert_eq!(found(&d, Code::E304), ["zh-CN/a.ftl:3:6 m"]);
        let ok = pair(
            "m = { $g ->\n    [a] a\n   *[b] b\n}\n",
            "m = { $g ->\n    [a] 甲\n   *[b] 乙\n}\n",
        );
        assert!(found(&ok, Code::E304).is_empty());
    }

    #[test]
    fn plural_key_the_locale_does_not_use_is_e305() {
        let en = "m = { $n ->\n    [one] a\n   *[other] b\n}\n";
        let d = pair(
            en,
            "m = { $n ->\n    [one] 一\n    [1] 一个\n   *[other] 多\n}\n",
        );
        assert_eq!(found(&d, Code::E305), ["zh-CN/a.ftl:2:6 m"]);
        assert!(d
            .iter()
            .any(|x| x.code == Code::E305 && x.help.contains("zh-CN uses only: other")));
        // Number keys, [other], and non-plural selects are fine; `en` uses [one].
        let ok = pair(
            "m = { $n ->\n    [one] a\n   *[other] b\n}\ng = { $g ->\n    [one] x\n    [masculine] y\n   *[other] z\n}\n",
            "m = { NUMBER($n) ->\n    [1] 一\n   *[other] 多\n}\ng = { $g ->\n    [one] 甲\n    [masculine] 乙\n   *[other] 丙\n}\n",
        );
        assert!(found(&ok, Code::E305).is_empty(), "{ok:?}");
    }

    #[test]
    fn missing_plural_category_is_w302_unless_collapsed() {
        let en = "m = { $n ->\n    [one] One\n   *[other] Many\n}\n";
        let d = run(&[
            ("en/a.ftl", en),
            (
                "ru/a.ftl",
                "m = { $n ->\n    [one] Один\n   *[other] Много\n}\n",
            ),
        ]);
        assert_eq!(found(&d, Code::W302), ["ru/a.ftl:1:8 m"]);
        assert!(
            d.iter()
                .any(|x| x.code == Code::W302 && x.message.contains("[few], [many]")),
            "{d:?}"
        );
        let full = "m = { $n ->\n    [one] 1\n    [few] 2\n    [many] 5\n   *[other] x\n}\n";
        let collapsed = "m = { $n ->\n   *[other] Много\n}\n";
        for ru in [full, collapsed, "m = Много\n"] {
            let d = run(&[("en/a.ftl", en), ("ru/a.ftl", ru)]);
            assert!(found(&d, Code::W302).is_empty(), "{ru}: {d:?}");
        }
        // The source does not spell out its categories: no expectation on the translation.
        let d = run(&[
            (
                "en/a.ftl",
                "m = { $n ->\n    [0] None\n   *[other] Many\n}\n",
            ),
            (
                "ru/a.ftl",
                "m = { $n ->\n    [0] Нет\n   *[other] Много\n}\n",
            ),
        ]);
        assert!(found(&d, Code::W302).is_empty());
    }

    #[test]
    fn select_without_default_is_reported() {
        let text = "m = { $n ->\n    [one] a\n   *[other] b\n}\n".to_string();
        let crate::catalog::ParsedFile {
            mut entries,
            resource,
            ..
        } = crate::catalog::parse_file(&text, 0);
        let mut e = entries.remove(0);
        if let Some(v) = e.value.as_mut() {
            for k in &mut v.selects[0].keys {
                k.default = false;
            }
        }
        let mut sources = crate::diagnostics::SourceMap::new();
        let id = sources.insert("en/a.ftl", text.clone().into_bytes());
        let cat = Catalog {
            locale: "en".into(),
            files: vec![crate::catalog::FtlFile {
                path: "en/a.ftl".into(),
                id,
                base: 0,
                resource: std::sync::Arc::new(resource),
            }],
            ..Default::default()
        };
        let mut diags = Vec::new();
        let sel = e.value.as_ref().map(|v| v.selects[0].clone()).unwrap();
        select_keys(&cat, &e, &sel, None, &mut diags);
        assert_eq!(
            found(&seen(&diags, &sources), Code::E101),
            ["en/a.ftl:1:8 m"]
        );
        let mut ok = Vec::new();
        let mut sel = sel;
        sel.keys[1].default = true;
        select_keys(&cat, &e, &sel, None, &mut ok);
        assert!(ok.is_empty());
    }

    #[test]
    fn locate_respects_identifier_boundaries() {
        let t = "m = { $nn } { $n } { brand-x } { brand }";
        assert_eq!(locate(t, 0, t.len(), "$n"), t.find("$n }"));
        assert_eq!(locate(t, 0, t.len(), "brand"), t.find("brand }"));
        assert_eq!(locate(t, 0, 3, "brand"), None);
        assert_eq!(locate(t, 99, 200, "x"), None);
    }
}
