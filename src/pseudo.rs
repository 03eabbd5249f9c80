//! Pseudo-locales: en-XA (accented, about a third longer) and ar-XB (mirrored, right-to-left),
//! derived from the source locale's catalog so layout problems show before any translation
//! exists.
//!
//! A pseudo-locale is added after validation: [`add`] appends it to the site's targets and gives
//! it a copy of the source catalog, and the renderer installs [`Pseudo::transform`] on its
//! Fluent bundle (`FluentBundle::set_transform`), which rewrites every text element of every
//! pattern with fluent-pseudo. Inline markup (`<a href="…">`, entities) is left intact.

use std::borrow::Cow;
use std::str::FromStr;

use unic_langid::LanguageIdentifier;

use crate::catalog::Catalogs;
use crate::site::{Locale, Site};

/// A pseudo-locale strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Pseudo {
    /// `en-XA`: accented Latin letters, vowels doubled (~35% longer text).
    Accented,
    /// `ar-XB`: flipped letters shown right to left, in a `dir="rtl"` page.
    Bidi,
}

impl Pseudo {
    /// The locale code the pseudo-locale is published under.
    pub fn code(self) -> &'static str {
        match self {
            Pseudo::Accented => "en-XA",
            Pseudo::Bidi => "ar-XB",
        }
    }

    /// The transform to install on the locale's bundle.
    pub fn transform(self) -> fn(&str) -> Cow<'_, str> {
        match self {
            Pseudo::Accented => accented,
            Pseudo::Bidi => bidi,
        }
    }

    /// The pseudo-locale whose code is `code`, if any.
    pub fn from_code(code: &str) -> Option<Pseudo> {
        [Pseudo::Accented, Pseudo::Bidi]
            .into_iter()
            .find(|p| p.code() == code)
    }
}

/// Adds the pseudo-locales to the site's targets (after the real ones) and gives each a copy of
/// the source catalog. Call it after validation: the copies are not translations to check.
pub fn add(site: &mut Site, catalogs: &mut Catalogs, kinds: &[Pseudo]) {
    let mut kinds = kinds.to_vec();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let code = kind.code();
        if site.locales().any(|l| l.code == code) {
            continue;
        }
        let Ok(id) = LanguageIdentifier::from_str(code) else {
            continue;
        };
        site.targets.push(Locale {
            code: code.to_string(),
            id,
        });
        if let Some(source) = catalogs.get(&site.source.code).cloned() {
            let mut copy = source;
            copy.locale = code.to_string();
            catalogs.locales.insert(code.to_string(), copy);
        }
    }
}

fn accented(s: &str) -> Cow<'_, str> {
    outside_markup(s, |t| fluent_pseudo::transform(t, false, true).into_owned())
}

/// Flipped letters inside RIGHT-TO-LEFT OVERRIDE … POP DIRECTIONAL FORMATTING, so Latin text
/// runs right to left the way Arabic or Hebrew would.
fn bidi(s: &str) -> Cow<'_, str> {
    outside_markup(s, |t| {
        if t.chars().any(|c| c.is_alphabetic()) {
            format!(
                "\u{202e}{}\u{202c}",
                fluent_pseudo::transform(t, true, false)
            )
        } else {
            t.to_string()
        }
    })
}

/// Applies `f` to the text of `s` outside tags and entities. A Fluent text element can hold part
/// of a tag (`The <a href="` before a placeable, `">Statement</a>` after it), so an unclosed `<`
/// runs to the end and a `>` with no `<` before it closes a tag begun in an earlier element.
fn outside_markup(s: &str, f: impl Fn(&str) -> String) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_ascii_alphabetic()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() * 2);
    let mut rest = s;
    if let Some(gt) = rest.find('>') {
        if !rest[..gt].contains('<') && (rest[..gt].contains('"') || rest[..gt].contains('=')) {
            out.push_str(&rest[..=gt]);
            rest = &rest[gt + 1..];
        }
    }
    loop {
        let next = rest.find(['<', '&']);
        let Some(start) = next else {
            out.push_str(&f(rest));
            break;
        };
        out.push_str(&f(&rest[..start]));
        let tail = &rest[start..];
        let end = if tail.starts_with('<') {
            tail.find('>').map(|e| e + 1).unwrap_or(tail.len())
        } else {
            match tail.find(';') {
                Some(e)
                    if tail[1..e]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '#') =>
                {
                    e + 1
                }
                _ => 1,
            }
        };
        out.push_str(&tail[..end]);
        rest = &tail[end..];
        if rest.is_empty() {
            break;
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_is_longer_and_keeps_markup() {
        let t = accented("Hello World");
        assert_eq!(t, "Ħeeŀŀoo Ẇoořŀḓ");
        assert_eq!(
            accented("The <a href=\""),
            "Ŧĥee <a href=\"".replace('ĥ', "ħ")
        );
        assert_eq!(accented("\">Privacy</a> text"), "\">Ƥřiṽaaƈẏ</a> ŧeeẋŧ");
        assert_eq!(accented("A &amp; B"), "A &amp; Ɓ");
    }

    #[test]
    fn bidi_wraps_text_in_an_override() {
        let t = bidi("Hello");
        assert!(
            t.starts_with('\u{202e}') && t.ends_with('\u{202c}'),
            "{t:?}"
        );
        assert!(t.contains("Hǝʅʅo"), "{t:?}");
        assert_eq!(bidi(" 42 "), " 42 ");
    }

    #[test]
    fn codes_round_trip() {
        for p in [Pseudo::Accented, Pseudo::Bidi] {
            assert_eq!(Pseudo::from_code(p.code()), Some(p));
        }
    }
}
