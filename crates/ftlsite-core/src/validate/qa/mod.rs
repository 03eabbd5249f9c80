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

use std::collections::BTreeMap;

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
    /// The comment attached to the entry.
    pub comment: Option<String>,
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

/// Every pattern of a locale's first definitions, read as text, in entry order.
pub fn units<'a>(cat: &'a Catalog, resolver: &Resolver<'a>) -> Vec<Unit<'a>> {
    let mut out = Vec::new();
    for e in cat.entries.values() {
        let comment = resolver.comment(e.kind, &e.id);
        for (attr, _) in e.patterns() {
            let Some(renderings) = resolver.entry_renderings(e.kind, &e.id, attr) else {
                continue;
            };
            if renderings.is_empty() {
                continue;
            }
            out.push(Unit {
                entry: e,
                attr,
                renderings,
                comment: comment.clone(),
            });
        }
    }
    out
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

fn by_key<'a, 'u>(units: &'u [Unit<'a>]) -> BTreeMap<UnitKey<'a>, &'u Unit<'a>> {
    units
        .iter()
        .map(|u| ((u.entry.kind, u.entry.id.as_str(), u.attr), u))
        .collect()
}

/// Runs the 6xx family.
pub fn check(site: &Site, catalogs: &Catalogs, pairing: &Pairing<'_>, diags: &mut Vec<Diagnostic>) {
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
    let src_resolver = Resolver::new(source);
    let src_units = units(source, &src_resolver);
    source_style::check(site, source, &src_units, &mut out);
    typography::source(site, source, &src_units, &mut out);
    let src_by_key = by_key(&src_units);
    for locale in &site.targets {
        let Some(target) = catalogs.get(&locale.code) else {
            continue;
        };
        let qa = cfg.locale(&locale.code);
        let resolver = Resolver::new(target);
        let tgt_units = units(target, &resolver);
        let tgt_by_key = by_key(&tgt_units);
        let mut list: Vec<Pair<'_>> = Vec::new();
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
                    qa: &qa,
                    locale: &locale.code,
                });
            }
        }
        for p in &list {
            punctuation::check(p, &mut out);
            numbers::check(p, &mut out);
            typography::check(p, &mut out);
            length::check(p, &mut out);
        }
        typography::spacing(&list, &mut out);
        consistency::check(&list, &mut out);
    }
    diags.extend(out.into_iter().filter(|d| cfg.enabled(d.code)));
}

/// True for letters and digits of any script: what length and consistency count.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}
