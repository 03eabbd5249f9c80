//! Pseudo-locales: en-XA (accented, about a third longer) and ar-XB (mirrored, right-to-left),
//! derived from the source locale's catalog so layout problems show before any translation
//! exists.
//!
//! A pseudo-locale is added after validation: [`add`] appends it to the site's targets and gives
//! it a copy of the source catalog, and the renderer passes every formatted message of the
//! locale through [`Pseudo::apply`], which rewrites its text with fluent-pseudo. A message with
//! inline markup is read with the one HTML front ([`crate::html`]): only its text nodes change,
//! tags, attributes and character references stay as they are.

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

    /// The transform of one run of text.
    fn transform(self) -> fn(&str) -> Cow<'_, str> {
        match self {
            Pseudo::Accented => accented,
            Pseudo::Bidi => bidi,
        }
    }

    /// A formatted message in the pseudo-locale: plain text transformed as a whole, or, for
    /// HTML (`markup`), the text nodes only.
    pub fn apply(self, text: &str, markup: bool) -> String {
        let f = self.transform();
        if !markup {
            return f(text).into_owned();
        }
        crate::html::map_nodes(text, |node, body| match node {
            crate::html::Node::Text(..) => Some(outside_entities(body, f)),
            _ => None,
        })
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
    if !s.chars().any(|c| c.is_ascii_alphabetic()) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(fluent_pseudo::transform(s, false, true).into_owned())
}

/// Flipped letters inside RIGHT-TO-LEFT OVERRIDE … POP DIRECTIONAL FORMATTING, so Latin text
/// runs right to left the way Arabic or Hebrew would.
fn bidi(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_alphabetic()) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(format!(
        "\u{202e}{}\u{202c}",
        fluent_pseudo::transform(s, true, false)
    ))
}

/// Applies `f` to an HTML text node as written, leaving its character references (`&amp;`,
/// `&#183;`) as they are.
fn outside_entities(s: &str, f: fn(&str) -> Cow<'_, str>) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&f(&rest[..amp]));
        let tail = &rest[amp..];
        let end = match tail.find(';') {
            Some(e)
                if e > 1
                    && e <= 33
                    && tail[1..e]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '#') =>
            {
                e + 1
            }
            _ => 1,
        };
        out.push_str(&tail[..end]);
        rest = &tail[end..];
    }
    out.push_str(&f(rest));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_is_longer_and_keeps_markup() {
        let t = Pseudo::Accented.apply("Hello World", false);
        assert_eq!(t, "Ħeeŀŀoo Ẇoořŀḓ");
        assert_eq!(
            Pseudo::Accented.apply("The <a href=\"https://x.example/\">Privacy</a> text", true),
            "Ŧħee <a href=\"https://x.example/\">Ƥřiṽaaƈẏ</a> ŧeeẋŧ"
        );
        assert_eq!(Pseudo::Accented.apply("A &amp; B", true), "A &amp; Ɓ");
        // Plain text is escaped later as a whole; its `&` is text.
        assert_eq!(Pseudo::Accented.apply("A & B", false), "A & Ɓ");
    }

    #[test]
    fn bidi_wraps_text_in_an_override() {
        let t = Pseudo::Bidi.apply("Hello", false);
        assert!(
            t.starts_with('\u{202e}') && t.ends_with('\u{202c}'),
            "{t:?}"
        );
        assert!(t.contains("Hǝʅʅo"), "{t:?}");
        assert_eq!(Pseudo::Bidi.apply(" 42 ", false), " 42 ");
        let html = Pseudo::Bidi.apply("<strong>Hi</strong> 1", true);
        assert!(
            html.starts_with("<strong>\u{202e}") && html.ends_with("</strong> 1"),
            "{html:?}"
        );
    }

    #[test]
    fn codes_round_trip() {
        for p in [Pseudo::Accented, Pseudo::Bidi] {
            assert_eq!(Pseudo::from_code(p.code()), Some(p));
        }
    }
}
