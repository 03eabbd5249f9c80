//! QA checks beyond syntax (6xx): what a reviewer finds after the structural checks pass. The
//! translation's text is compared with its source's, both read as [`text::Masked`] text
//! (placeables resolved or masked, markup dropped):
//!
//! - [`punctuation`]: W601 end punctuation, W602 outer whitespace, W603 doubled spaces,
//!   W604 repeated words, W607 unbalanced brackets and quotes;
//! - [`numbers`]: W605 numbers, W606 URLs and e-mail addresses;
//! - [`typography`]: W608 quote and ellipsis style, W609 CJK–Latin spacing, W614 the source's
//!   own typography;
//! - [`consistency`]: W610 one source text translated two ways, W611 one translation for two
//!   source texts;
//! - [`length`]: W612 a translation far longer or shorter than its source;
//! - [`source_style`]: W613 brand names written as text, W615 ids against the naming rule,
//!   W616 a file without a final newline.
//!
//! Everything here is a warning: these findings need a reader's judgement. The mechanical
//! ones have fixes in [`fix`], which `ftlsite check --fix` writes.

pub mod consistency;
pub mod fix;
pub mod length;
pub mod numbers;
pub mod punctuation;
pub mod source_style;
#[cfg(test)]
mod tests;
pub mod text;
pub mod typography;

use rustc_hash::FxHashMap;

use super::coverage::Pairing;
use crate::catalog::{Catalog, Catalogs, Entry, EntryKind};
use crate::diagnostics::{Code, Diagnostic};
use crate::site::qa::LocaleQa;
use crate::site::Site;
use text::{Masked, Resolver};

/// One pattern (a value or an attribute) of one entry, read as text.
pub struct Unit<'a> {
    /// The entry.
    pub entry: &'a Entry,
    /// The attribute name, `None` for the value.
    pub attr: Option<&'a str>,
    /// The renderings: the default first, then one per other select variant.
    pub renderings: Vec<Masked>,
    /// The lines of the comment attached to the entry.
    pub comment: &'a [&'a str],
}

impl Unit<'_> {
    /// The default rendering.
    pub fn text(&self) -> &Masked {
        // Every unit is built with at least its default rendering.
        &self.renderings[0]
    }

    /// The pattern's start in the file text, for findings about the whole pattern.
    pub fn start(&self) -> usize {
        self.entry
            .pattern(self.attr)
            .map_or(self.entry.offset, |p| p.offset)
    }
}

/// Every pattern of a locale's first definitions, read as text, in entry order. Entries are
/// read on all cores: rendering every pattern is most of what the QA checks cost.
pub fn units<'a>(cat: &'a Catalog, resolver: &Resolver<'a>) -> Vec<Unit<'a>> {
    use rayon::prelude::*;
    let entries: Vec<&'a Entry> = cat.entries.values().collect();
    entries
        .par_iter()
        .flat_map_iter(|e| {
            let comment = resolver.comment(e.kind, &e.id);
            e.patterns()
                .filter_map(|(attr, _)| {
                    let renderings = resolver.entry_renderings(e.kind, &e.id, attr)?;
                    (!renderings.is_empty()).then_some(Unit {
                        entry: e,
                        attr,
                        renderings,
                        comment,
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A source pattern and its translation, with what the checks need about the pair.
pub struct Pair<'a> {
    /// The source pattern.
    pub src: &'a Unit<'a>,
    /// The translated pattern.
    pub tgt: &'a Unit<'a>,
    /// The target locale's catalog, to place findings.
    pub target: &'a Catalog,
    /// The target locale's settings.
    pub qa: &'a LocaleQa,
    /// The target locale code.
    pub locale: &'a str,
}

impl Pair<'_> {
    /// A finding at a span of the translation's file text.
    pub fn at(&self, code: Code, message: String, span: std::ops::Range<usize>) -> Diagnostic {
        self.target
            .at(Diagnostic::new(code, message), self.tgt.entry, span)
    }
}

/// The source unit for each (kind, id, attribute), for pairing.
type UnitKey<'a> = (EntryKind, &'a str, Option<&'a str>);

fn by_key<'a, 'u>(units: &'u [Unit<'a>]) -> FxHashMap<UnitKey<'a>, &'u Unit<'a>> {
    units
        .iter()
        .map(|u| ((u.entry.kind, u.entry.id.as_str(), u.attr), u))
        .collect()
}

/// Runs the 6xx family.
pub fn check(site: &Site, catalogs: &Catalogs, pairing: &Pairing<'_>, diags: &mut Vec<Diagnostic>) {
    use rayon::prelude::*;
    let cfg = &site.qa;
    let mut out = Vec::new();
    for locale in site.locales() {
        if let Some(cat) = catalogs.get(&locale.code) {
            source_style::final_newline(cat, &mut out);
        }
    }
    let Some(source) = catalogs.get(&site.source.code) else {
        diags.extend(out.into_iter().filter(|d| cfg.enabled(d.code)));
        return;
    };
    let targets: Vec<(&crate::site::Locale, &Catalog)> = site
        .targets
        .iter()
        .filter_map(|l| Some((l, catalogs.get(&l.code)?)))
        .collect();
    // The source first, then every target.
    let cats: Vec<&Catalog> = std::iter::once(source)
        .chain(targets.iter().map(|(_, c)| *c))
        .collect();
    let resolvers: Vec<Resolver<'_>> = cats.iter().map(|c| Resolver::new(c)).collect();
    // The source's units and every target's, side by side.
    let mut all: Vec<Vec<Unit<'_>>> = cats
        .par_iter()
        .zip(&resolvers)
        .map(|(cat, resolver)| units(cat, resolver))
        .collect();
    let tgt_all = all.split_off(1);
    let src_units = &all[0];
    let (src_found, per_locale) = rayon::join(
        || {
            let mut out = Vec::new();
            source_style::check(site, source, src_units, &mut out);
            typography::source(site, source, src_units, &mut out);
            out
        },
        || {
            let src_by_key = by_key(src_units);
            targets
                .par_iter()
                .zip(&tgt_all)
                .map(|(&(locale, target), tgt_units)| {
                    let qa = cfg.locale(&locale.code);
                    let list = pairs(pairing, locale, target, &qa, &src_by_key, tgt_units);
                    let (each, (spacing, consistent)) = rayon::join(
                        || {
                            list.par_iter()
                                .flat_map_iter(|p| {
                                    let mut o = Vec::new();
                                    punctuation::check(p, &mut o);
                                    numbers::check(p, &mut o);
                                    typography::check(p, &mut o);
                                    length::check(p, &mut o);
                                    o
                                })
                                .collect::<Vec<_>>()
                        },
                        || {
                            let (mut a, mut b) = (Vec::new(), Vec::new());
                            rayon::join(
                                || typography::spacing(&list, &mut a),
                                || consistency::check(&list, &mut b),
                            );
                            (a, b)
                        },
                    );
                    [each, spacing, consistent].concat()
                })
                .collect::<Vec<_>>()
        },
    );
    out.extend(src_found);
    out.extend(per_locale.into_iter().flatten());
    diags.extend(out.into_iter().filter(|d| cfg.enabled(d.code)));
}

/// The source and target units of every pair `pairing` made for `locale`, in pairing order.
fn pairs<'u, 'a>(
    pairing: &Pairing<'_>,
    locale: &'a crate::site::Locale,
    target: &'a Catalog,
    qa: &'a LocaleQa,
    src_by_key: &FxHashMap<UnitKey<'a>, &'u Unit<'a>>,
    tgt_units: &'u [Unit<'a>],
) -> Vec<Pair<'u>>
where
    'a: 'u,
{
    let tgt_by_key = by_key(tgt_units);
    let mut list = Vec::new();
    for &(s, t) in pairing.pairs(&locale.code) {
        for (attr, _) in t.patterns() {
            let key = (t.kind, t.id.as_str(), attr);
            let (Some(su), Some(tu)) = (src_by_key.get(&key), tgt_by_key.get(&key)) else {
                continue;
            };
            if !std::ptr::eq(su.entry, s) || !std::ptr::eq(tu.entry, t) {
                continue;
            }
            list.push(Pair {
                src: su,
                tgt: tu,
                target,
                qa,
                locale: &locale.code,
            });
        }
    }
    list
}

/// True for letters and digits of any script: what length and consistency count.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}
