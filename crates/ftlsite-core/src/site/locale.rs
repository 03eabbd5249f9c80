//! Locale codes: strict BCP 47 parsing with a suggestion for the likely intended code.

use std::collections::BTreeSet;
use std::str::FromStr;

use unic_langid::LanguageIdentifier;

use super::Locale;

/// Why a locale code was refused, with the help text to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocaleError {
    /// What is wrong, in one sentence.
    pub message: String,
    /// A suggestion.
    pub help: String,
}

/// Parses a locale code strictly: it must be well-formed BCP 47 in canonical case, and its
/// language must be one CLDR knows. `folders` are the locale folders that exist, for the
/// suggestion.
pub fn parse_locale(code: &str, folders: &BTreeSet<String>) -> Result<Locale, LocaleError> {
    let suggestion = suggest(code, folders);
    let hint = |s: Option<String>| match s {
        Some(s) => format!("did you mean `{s}`?"),
        None => "use a BCP 47 code such as en-US, zh-CN or ar".to_string(),
    };
    let id = LanguageIdentifier::from_str(code).map_err(|_| LocaleError {
        message: format!("`{code}` is not a valid locale code"),
        help: hint(suggestion.clone()),
    })?;
    let canonical = id.to_string();
    if canonical != code {
        return Err(LocaleError {
            message: format!("locale code `{code}` is not written in canonical form"),
            help: format!("did you mean `{canonical}`?"),
        });
    }
    let mut max = id.clone();
    if !max.maximize() && !is_pseudo(&id) {
        return Err(LocaleError {
            message: format!("`{code}` is not a known language"),
            help: hint(suggestion),
        });
    }
    Ok(Locale {
        code: code.to_string(),
        id,
    })
}

/// Pseudo-locales (en-XA, ar-XB) are known by their private-use regions.
fn is_pseudo(id: &LanguageIdentifier) -> bool {
    matches!(
        id.region.as_ref().map(|r| r.as_str()),
        Some("XA") | Some("XB")
    )
}

/// The closest locale folder to a mistyped code (case, separator or one or two letters off).
fn suggest(code: &str, folders: &BTreeSet<String>) -> Option<String> {
    let norm = code.replace('_', "-");
    if let Ok(id) = LanguageIdentifier::from_str(&norm) {
        let canonical = id.to_string();
        if canonical != code {
            return Some(canonical);
        }
    }
    folders
        .iter()
        .map(|f| (edit_distance(&norm.to_lowercase(), &f.to_lowercase()), f))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, f)| f.clone())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = if ca == *cb { 0 } else { 1 };
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders() -> BTreeSet<String> {
        ["en-US", "zh-CN"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn locale_codes_are_strict_with_suggestions() {
        assert!(parse_locale("zh-CN", &folders()).is_ok());
        let e = parse_locale("zh_CN", &folders()).unwrap_err();
        assert!(e.help.contains("zh-CN"), "{e:?}");
        let e = parse_locale("zz-CN", &folders()).unwrap_err();
        assert!(e.message.contains("not a known language"), "{e:?}");
        assert!(e.help.contains("zh-CN"), "{e:?}");
        let e = parse_locale("en-US-!", &folders()).unwrap_err();
        assert!(e.message.contains("not a valid locale code"), "{e:?}");
        assert!(parse_locale("en-XA", &folders()).is_ok());
    }
}
