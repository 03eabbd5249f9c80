//! Typography per locale: W608 straight quotes where the locale uses typographic ones and
//! `...` for `…`, W614 the same (and doubled spaces) in the source locale, W609 the space
//! between CJK and Latin letters or digits against the locale's convention.
//!
//! The replacements [`fixes`] computes are what `check --fix` writes for W608.

use std::ops::Range;

use super::punctuation::doubled;
use super::text::{is_cjk, Masked, MASK};
use super::{Pair, Unit};
use crate::catalog::Catalog;
use crate::diagnostics::{Code, Diagnostic};
use crate::site::qa::CjkSpacing;
use crate::site::Site;

/// One replacement in a rendering's text: the text byte range and what goes there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replace {
    /// Byte range in the masked text.
    pub range: Range<usize>,
    /// The new text.
    pub with: String,
}

/// The straight quotes and `...` of a text, with their typographic replacements under
/// `quotes` (primary open, primary close, secondary open, secondary close); quotes are not
/// touched when `quotes` is `None`.
pub fn fixes(text: &str, quotes: Option<[char; 4]>) -> Vec<Replace> {
    let mut out = Vec::new();
    // Most texts have neither an ellipsis nor a straight quote: nothing to read per character.
    let has_quotes = quotes.is_some() && memchr::memchr2(b'"', b'\'', text.as_bytes()).is_some();
    if !has_quotes && !text.contains("...") {
        return out;
    }
    let mut double_open = true;
    let mut single_open = true;
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < cs.len() {
        let (i, c) = cs[k];
        if c == '.' && text[i..].starts_with("...") {
            let n = text[i..].chars().take_while(|c| *c == '.').count();
            if n == 3 {
                out.push(Replace {
                    range: i..i + 3,
                    with: "…".into(),
                });
            }
            k += n;
            continue;
        }
        if let Some(q) = quotes {
            let prev = k.checked_sub(1).and_then(|j| cs.get(j)).map(|x| x.1);
            let next = cs.get(k + 1).map(|x| x.1);
            if c == '"' {
                let with = if double_open { q[0] } else { q[1] };
                double_open = !double_open;
                out.push(Replace {
                    range: i..i + 1,
                    with: with.to_string(),
                });
            } else if c == '\'' {
                let letters = prev.is_some_and(|p| p.is_alphanumeric() && !is_cjk(p))
                    && next.is_some_and(|n| n.is_alphabetic() && !is_cjk(n));
                let with = if letters {
                    '’'
                } else {
                    let q = if single_open { q[2] } else { q[3] };
                    single_open = !single_open;
                    q
                };
                out.push(Replace {
                    range: i..i + 1,
                    with: with.to_string(),
                });
            }
        }
        k += 1;
    }
    out
}

fn describe(r: &[Replace], text: &str) -> String {
    let straight = r
        .iter()
        .filter(|x| matches!(&text[x.range.clone()], "\"" | "'"))
        .count();
    let dots = r.len() - straight;
    match (straight, dots) {
        (0, _) => "`...` where the locale writes `…`".to_string(),
        (_, 0) => format!("{straight} straight quote(s) where the locale uses typographic quotes"),
        _ => format!("{straight} straight quote(s) and `...` where the locale uses typographic quotes and `…`"),
    }
}

/// W608 on one translated pattern.
pub fn check(p: &Pair<'_>, out: &mut Vec<Diagnostic>) {
    let t = p.tgt.text();
    let r = fixes(&t.text, p.qa.quotes);
    if let Some(first) = r.first() {
        let q = p.qa.quotes.map_or(String::new(), |q| q.iter().collect());
        out.push(
            p.at(
                Code::W608,
                describe(&r, &t.text),
                t.span(first.range.clone()),
            )
            .help(format!(
                "use `…` and the locale's quotes {q}; `ftlsite check --fix` does it"
            )),
        );
    }
}

/// W614: straight quotes, `...` and doubled spaces in the source locale's own text.
pub fn source(site: &Site, source: &Catalog, units: &[Unit<'_>], out: &mut Vec<Diagnostic>) {
    let quotes = site.qa.locale(&site.source.code).quotes;
    for u in units {
        let t = u.text();
        let r = fixes(&t.text, quotes);
        let d = doubled(&t.text);
        let (what, span) = match (r.first(), d.first()) {
            (Some(f), _) => (describe(&r, &t.text), f.range.clone()),
            (None, Some(d)) => (format!("{} spaces in a row", d.len()), d.clone()),
            (None, None) => continue,
        };
        // Text that came from a reference is reported where it is written.
        if t.verbatim(span.clone()).is_none() {
            continue;
        }
        out.push(source.at(
            Diagnostic::new(Code::W614, format!("source typography: {what}")),
            u.entry,
            t.span(span),
        ));
    }
}

/// A meeting of CJK and Latin text: the byte range between them and whether a space is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Boundary {
    /// The bytes between the two characters (empty, or the one space).
    pub gap: Range<usize>,
    /// True when one space separates them.
    pub spaced: bool,
}

fn latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || (u32::from(c) < 0x250 && c.is_alphabetic())
}

/// Every place in `text` where a CJK character meets a Latin letter or a digit, directly or
/// across one space. Places next to a placeable of unknown content are skipped.
pub fn boundaries(text: &str) -> Vec<Boundary> {
    let meets = |x: char, y: char| (is_cjk(x) && latin(y)) || (latin(x) && is_cjk(y));
    let mut out = Vec::new();
    let mut cs = text.char_indices();
    let (mut first, mut second) = (cs.next(), cs.next());
    while let (Some((i, a)), Some((j, b))) = (first, second) {
        let third = cs.next();
        if a != MASK && b != MASK && meets(a, b) {
            out.push(Boundary {
                gap: j..j,
                spaced: false,
            });
        } else if b == ' ' {
            if let Some((m, c)) = third {
                if meets(a, c) {
                    out.push(Boundary {
                        gap: i + a.len_utf8()..m,
                        spaced: true,
                    });
                }
            }
        }
        (first, second) = (second, third);
    }
    out
}

/// The convention a locale follows: its setting, or for `majority` what most of its
/// boundaries do (when at least two thirds agree).
fn convention(list: &[Pair<'_>]) -> Option<CjkSpacing> {
    let setting = list.first()?.qa.cjk_spacing;
    match setting {
        CjkSpacing::Space | CjkSpacing::None => Some(setting),
        CjkSpacing::Any => None,
        CjkSpacing::Majority => {
            let (mut spaced, mut tight) = (0usize, 0usize);
            for p in list {
                for b in boundaries(&p.tgt.text().text) {
                    if b.spaced {
                        spaced += 1;
                    } else {
                        tight += 1;
                    }
                }
            }
            if spaced * 3 >= (spaced + tight) * 2 && spaced > 0 {
                Some(CjkSpacing::Space)
            } else if tight * 3 >= (spaced + tight) * 2 && tight > 0 {
                Some(CjkSpacing::None)
            } else {
                None
            }
        }
    }
}

/// The boundaries of `m` that break `convention`.
pub fn offending(m: &Masked, convention: CjkSpacing) -> Vec<Boundary> {
    let want_space = convention == CjkSpacing::Space;
    boundaries(&m.text)
        .into_iter()
        .filter(|b| b.spaced != want_space)
        .collect()
}

/// W609 over every translated pattern of one locale: one finding per pattern, at its first
/// boundary that breaks the convention.
pub fn spacing(list: &[Pair<'_>], out: &mut Vec<Diagnostic>) {
    let Some(conv) = convention(list) else { return };
    for p in list {
        let t = p.tgt.text();
        let bad = offending(t, conv);
        let Some(first) = bad.first() else { continue };
        let span = if first.spaced {
            t.span(first.gap.clone())
        } else {
            t.span(first.gap.start.saturating_sub(1)..first.gap.start)
        };
        let (what, how) = if conv == CjkSpacing::Space {
            ("no space between CJK and Latin text", "add a space")
        } else {
            ("a space between CJK and Latin text", "remove the space")
        };
        let more = if bad.len() > 1 {
            format!(" ({} places)", bad.len())
        } else {
            String::new()
        };
        let rule = if p.qa.cjk_spacing == CjkSpacing::Majority {
            "most of its translations"
        } else {
            "site.toml's `cjk-spacing`"
        };
        out.push(
            p.at(
                Code::W609,
                format!("{what}{more}, unlike {rule} in {}", p.locale),
                span,
            )
            .help(format!("{how} where CJK meets Latin letters or digits")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_quotes_alternate_and_apostrophes_curl() {
        let q = Some(['“', '”', '‘', '’']);
        let r = fixes("Say \"hi\" it's 'x' ... ....", q);
        let with: Vec<&str> = r.iter().map(|x| x.with.as_str()).collect();
        assert_eq!(with, ["“", "”", "’", "‘", "’", "…"]);
        assert!(fixes("it's \"x\"", None).is_empty());
        let ja = fixes("\"はい\"", Some(['「', '」', '『', '』']));
        assert_eq!(ja[0].with, "「");
        assert_eq!(ja[1].with, "」");
    }

    #[test]
    fn boundaries_see_spaces_and_skip_placeables() {
        let b = boundaries("使用 Firefox浏览器 3 个");
        assert_eq!(
            b.iter().map(|b| b.spaced).collect::<Vec<_>>(),
            [true, false, true, true]
        );
        assert!(boundaries(&format!("使用{MASK}浏览器")).is_empty());
        assert!(boundaries("世纪互联运营的，Azure").is_empty());
    }
}
