//! The mechanical fixes of `ftlsite check --fix`, as pure data: for each translated pattern
//! that has one, the pattern's new Fluent source; for each file, whether it needs a final
//! newline. The binary writes them through its single-entry writer.
//!
//! Fixed: outer whitespace the source does not have (W602), doubled spaces (W603), `...` and
//! straight quotes (W608), the locale's style of the final mark (W601), CJK–Latin spacing
//! against an explicit or clear majority convention (W609), a missing final newline (W616).
//! Only characters written literally in the pattern are changed, never text that comes from a
//! reference or a string literal, and only in target locales: a source edit would make every
//! translation stale. Applying the fixes and computing them again gives nothing.

use std::collections::BTreeMap;
use std::ops::Range;

use super::punctuation::{doubled, style_fix};
use super::text::{Masked, Resolver};
use super::typography::{fixes as typo, offending};
use super::{units, Unit};
use crate::catalog::{Catalogs, Entry};
use crate::diagnostics::Code;
use crate::site::qa::CjkSpacing;
use crate::site::Site;

/// The new source of one pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryFix {
    /// The entry as references name it (`id`, `-term`).
    pub id: String,
    /// The attribute, `None` for the value.
    pub attribute: Option<String>,
    /// The pattern's new Fluent source, as it follows `id =` (or `.attr =`).
    pub pattern: String,
}

/// The fixes of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileFix {
    /// Site-relative path.
    pub path: String,
    /// Patterns to rewrite, in file order.
    pub entries: Vec<EntryFix>,
    /// True when the file needs a final newline.
    pub final_newline: bool,
}

/// Every fix for the target locales of a site, by file path.
pub fn fixes(site: &Site, catalogs: &Catalogs) -> Vec<FileFix> {
    let cfg = &site.qa;
    let mut files: BTreeMap<String, FileFix> = BTreeMap::new();
    let Some(source) = catalogs.get(&site.source.code) else {
        return Vec::new();
    };
    let src_resolver = Resolver::new(source);
    let src_units = units(source, &src_resolver);
    let src_by: BTreeMap<_, &Unit<'_>> = src_units
        .iter()
        .map(|u| ((u.entry.kind, u.entry.id.as_str(), u.attr), u))
        .collect();
    for locale in &site.targets {
        let Some(target) = catalogs.get(&locale.code) else {
            continue;
        };
        let qa = cfg.locale(&locale.code);
        let resolver = Resolver::new(target);
        let tgt_units = units(target, &resolver);
        let spacing = match qa.cjk_spacing {
            CjkSpacing::Space | CjkSpacing::None => Some(qa.cjk_spacing),
            _ => None,
        };
        for u in &tgt_units {
            let src = src_by
                .get(&(u.entry.kind, u.entry.id.as_str(), u.attr))
                .map(|s| s.text());
            let mut edits: BTreeMap<usize, (Range<usize>, String)> = BTreeMap::new();
            for (k, m) in u.renderings.iter().enumerate() {
                let mut add = |r: Range<usize>, with: String| {
                    if let Some(fr) = m.verbatim(r) {
                        let clash = edits
                            .range(..fr.end)
                            .next_back()
                            .is_some_and(|(_, (x, _))| x.end > fr.start && *x != fr);
                        if !clash {
                            edits.insert(fr.start, (fr, with));
                        }
                    }
                };
                if let Some(s) = src {
                    if k == 0 {
                        outer(s, m, &mut add, cfg.enabled(Code::W602));
                    }
                    if cfg.enabled(Code::W603) && doubled(&s.text).is_empty() {
                        for r in doubled(&m.text) {
                            add(r, " ".into());
                        }
                    }
                }
                if cfg.enabled(Code::W608) {
                    for r in typo(&m.text, qa.quotes) {
                        add(r.range, r.with);
                    }
                }
                if cfg.enabled(Code::W601) && src.is_some() {
                    if let Some((r, c)) = style_fix(&locale.code, &m.text) {
                        add(r, c.to_string());
                    }
                }
                if let (Some(conv), true) = (spacing, cfg.enabled(Code::W609)) {
                    for b in offending(m, conv) {
                        if b.spaced {
                            add(b.gap, String::new());
                        } else {
                            // Insert by rewriting the character before the gap, or the one
                            // after it when the one before comes from a reference.
                            let prev = m.text[..b.gap.start].chars().next_back();
                            let next = m.text[b.gap.start..].chars().next();
                            if let (Some(p), Some(n)) = (prev, next) {
                                let before = b.gap.start - p.len_utf8()..b.gap.start;
                                let after = b.gap.start..b.gap.start + n.len_utf8();
                                if m.verbatim(before.clone()).is_some() {
                                    add(before, format!("{p} "));
                                } else {
                                    add(after, format!(" {n}"));
                                }
                            }
                        }
                    }
                }
            }
            if edits.is_empty() {
                continue;
            }
            let file = target.file_of(u.entry);
            let Some(range) = pattern_range(file.text(), u.entry, u.attr) else {
                continue;
            };
            let Some(pattern) = apply(file.text(), &range, edits.values()) else {
                continue;
            };
            files
                .entry(file.path.clone())
                .or_insert_with(|| FileFix {
                    path: file.path.clone(),
                    ..Default::default()
                })
                .entries
                .push(EntryFix {
                    id: u.entry.display_id(),
                    attribute: u.attr.map(str::to_string),
                    pattern,
                });
        }
        if cfg.enabled(Code::W616) {
            for f in &target.files {
                let t = f.text();
                if !t.is_empty() && !t.ends_with('\n') {
                    files
                        .entry(f.path.clone())
                        .or_insert_with(|| FileFix {
                            path: f.path.clone(),
                            ..Default::default()
                        })
                        .final_newline = true;
                }
            }
        }
    }
    files.into_values().collect()
}

/// Leading and trailing whitespace the source does not have.
fn outer(s: &Masked, m: &Masked, add: &mut impl FnMut(Range<usize>, String), on: bool) {
    if !on || m.text.trim().is_empty() {
        return;
    }
    if !s.text.starts_with(char::is_whitespace) {
        let n = m.text.len() - m.text.trim_start().len();
        if n > 0 {
            add(0..n, String::new());
        }
    }
    if !s.text.ends_with(char::is_whitespace) {
        let keep = m.text.trim_end().len();
        if keep < m.text.len() {
            add(keep..m.text.len(), String::new());
        }
    }
}

/// The byte range of a pattern's source in its file text: from after `=` to the end of its
/// last line (the next attribute, or the entry's end, trailing blank lines excluded).
pub fn pattern_range(text: &str, e: &Entry, attr: Option<&str>) -> Option<Range<usize>> {
    let src = text.get(e.offset..e.end)?;
    // (attribute name, start of its line, start of its pattern)
    let mut heads: Vec<(Option<&str>, usize, usize)> = Vec::new();
    let mut pos = 0;
    for (k, line) in src.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start_matches(' ');
        if k == 0 {
            heads.push((None, 0, line.find('=')? + 1));
        } else if let Some(rest) = trimmed.strip_prefix('.') {
            let name_len = rest.find([' ', '=']).unwrap_or(rest.len());
            let eq = line.find('=')?;
            heads.push((Some(&rest[..name_len]), pos, pos + eq + 1));
        }
        pos += line.len();
    }
    let i = heads.iter().position(|(n, _, _)| *n == attr)?;
    let (_, _, start) = heads[i];
    let end = heads.get(i + 1).map_or(src.len(), |(_, line, _)| *line);
    let body = src.get(start..end)?;
    let end = start + body.trim_end().len();
    Some(e.offset + start..e.offset + end)
}

/// The pattern source in `range` with `edits` (file ranges inside it) applied, leading spaces
/// dropped. `None` when an edit falls outside the range.
fn apply<'e>(
    text: &str,
    range: &Range<usize>,
    edits: impl Iterator<Item = &'e (Range<usize>, String)>,
) -> Option<String> {
    let mut out = String::new();
    let mut at = range.start;
    for (r, with) in edits {
        if r.start < at || r.end > range.end {
            return None;
        }
        out.push_str(text.get(at..r.start)?);
        out.push_str(with);
        at = r.end;
    }
    out.push_str(text.get(at..range.end)?);
    Some(out.trim_start_matches(' ').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::parse_file;

    #[test]
    fn pattern_ranges_cover_values_and_attributes() {
        let src = "m = One\n    two\n    .title = T  x\n    .alt =\n        A\n\nn = N\n";
        let parsed = parse_file(src, 0);
        let m = &parsed.entries[0];
        let r = pattern_range(src, m, None).unwrap();
        assert_eq!(&src[r], " One\n    two");
        let r = pattern_range(src, m, Some("title")).unwrap();
        assert_eq!(&src[r], " T  x");
        let r = pattern_range(src, m, Some("alt")).unwrap();
        assert_eq!(&src[r], "\n        A");
        assert!(pattern_range(src, m, Some("nope")).is_none());
    }
}
