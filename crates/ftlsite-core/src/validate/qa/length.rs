//! W612: a translation much longer or shorter than its source, for the locale pair.
//!
//! Length is counted in letters and digits (placeables, markup, spaces and punctuation do not
//! count) and compared as translation/source. The band is the locale's (`length` in
//! `[qa.locales.<code>]`, or the default: 0.12–1.2 for Chinese, Japanese and Korean, 0.35–3.0
//! otherwise). Sources shorter than [`MIN_SOURCE`] letters are skipped: short labels vary too
//! much. A comment on the source or the translated entry overrides the band for that entry:
//! `# ftlsite-length: 0.05-2` (or `ftlsite-length: any` to skip it).

use super::{is_word_char, Pair};
use crate::diagnostics::{Code, Diagnostic};

/// Sources with fewer letters and digits than this are not measured.
pub const MIN_SOURCE: usize = 20;

/// The letters and digits of a text.
pub fn measure(text: &str) -> usize {
    text.chars().filter(|c| is_word_char(*c)).count()
}

/// What a comment writes before a length band.
const MARKER: &str = "ftlsite-length:";

/// The band a comment sets: `Some(None)` for `any`, `Some(Some(band))` for `LOW-HIGH`.
pub fn override_band(comment: &str) -> Option<Option<(f64, f64)>> {
    let at = comment.find(MARKER)?;
    let value = comment[at + MARKER.len()..].lines().next()?.trim();
    if value == "any" {
        return Some(None);
    }
    let (lo, hi) = value.split_once('-')?;
    let (lo, hi) = (
        lo.trim().parse::<f64>().ok()?,
        hi.trim().parse::<f64>().ok()?,
    );
    (lo < hi).then_some(Some((lo, hi)))
}

/// Runs W612 on one pair.
pub fn check(p: &Pair<'_>, out: &mut Vec<Diagnostic>) {
    let src = measure(&p.src.text().text);
    if src < MIN_SOURCE {
        return;
    }
    let tgt = measure(&p.tgt.text().text);
    if p.tgt.text().text.trim().is_empty() {
        return; // W202 reports an empty translation.
    }
    // The first comment line that names the band sets it, as in the comment as a whole.
    let set = [p.tgt.comment, p.src.comment]
        .into_iter()
        .find_map(|lines| {
            let line = lines.iter().find(|l| l.contains(MARKER))?;
            override_band(line)
        });
    let (lo, hi) = match set {
        Some(None) => return,
        Some(Some(b)) => b,
        None => p.qa.length,
    };
    #[allow(
        clippy::cast_precision_loss,
        reason = "character counts are far below 2^52"
    )]
    let ratio = tgt as f64 / src as f64;
    if ratio < lo || ratio > hi {
        let what = if ratio < lo { "shorter" } else { "longer" };
        out.push(
            p.at(
                Code::W612,
                format!(
                    "the translation is much {what} than its source: {tgt} letters for {src} ({ratio:.2}, expected {lo}–{hi} for {})",
                    p.locale
                ),
                p.tgt.start()..p.tgt.start() + 1,
            )
            .help("check for missing or extra text; if it is right, add `# ftlsite-length: LOW-HIGH` to the entry's comment"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_override_the_band() {
        assert_eq!(
            override_band("Note\nftlsite-length: 0.05-2"),
            Some(Some((0.05, 2.0)))
        );
        assert_eq!(override_band("ftlsite-length: any"), Some(None));
        assert_eq!(override_band("ftlsite-length: 2-1"), None);
        assert_eq!(override_band("nothing"), None);
        assert_eq!(measure("Use { x } 中文, ok!"), 8);
    }
}
