//! Consistency within one locale: W610 the same source text translated two ways, W611 one
//! translation used for two different source texts. Both name the other place.
//!
//! Texts are compared by their signature (placeables as written, unresolved), with whitespace
//! collapsed; W611 also ignores case and final punctuation on the source side, since "Learn
//! more" and "Learn more." are one text. Texts without letters (`{ -brand }`) are skipped, and
//! so are terms, which hold names.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::Pair;
use crate::catalog::EntryKind;
use crate::diagnostics::{Code, Diagnostic};

/// `s` with its ends trimmed and each run of whitespace written as one space; borrowed when it
/// already is (most texts), so comparing thousands of them allocates for the few that are not.
fn collapse(s: &str) -> Cow<'_, str> {
    let mut space = true;
    let collapsed = s.chars().all(|c| {
        let ws = c.is_whitespace();
        let ok = !ws || (c == ' ' && !space);
        space = ws;
        ok
    }) && !space;
    if collapsed || s.is_empty() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// True when the text outside placeables has a letter.
fn has_letters(sig: &str) -> bool {
    let mut depth = 0usize;
    for c in sig.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_alphabetic() => return true,
            _ => {}
        }
    }
    false
}

/// The source text as W611 compares it: case and final punctuation do not count.
fn loose(collapsed: &str) -> String {
    collapsed
        .trim_end_matches(['.', '。', '!', '！', '?', '？', ':', '：', '…'])
        .to_lowercase()
}

fn place(p: &Pair<'_>) -> String {
    let f = p.target.file_of(p.tgt.entry);
    let id = match p.tgt.attr {
        Some(a) => format!("{}.{a}", p.tgt.entry.display_id()),
        None => p.tgt.entry.display_id(),
    };
    format!("`{id}` ({})", f.path)
}

/// Runs W610 and W611 over the pairs of one locale.
pub fn check(list: &[Pair<'_>], out: &mut Vec<Diagnostic>) {
    let pairs: Vec<&Pair<'_>> = list
        .iter()
        .filter(|p| p.tgt.entry.kind == EntryKind::Message)
        .filter(|p| has_letters(&p.src.text().signature) && has_letters(&p.tgt.text().signature))
        .collect();
    // Each pair's two texts, collapsed once.
    let texts: Vec<(Cow<'_, str>, Cow<'_, str>)> = pairs
        .iter()
        .map(|p| {
            (
                collapse(&p.src.text().signature),
                collapse(&p.tgt.text().signature),
            )
        })
        .collect();
    // Grouped by hash: the report is sorted afterwards, so group order does not show.
    let mut by_source: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut by_target: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (k, (src, tgt)) in texts.iter().enumerate() {
        by_source.entry(src).or_default().push(k);
        by_target.entry(tgt).or_default().push(k);
    }
    for group in by_source.values() {
        let Some(&first) = group.first() else {
            continue;
        };
        let want = &texts[first].1;
        let first = pairs[first];
        for &k in &group[1..] {
            let (have, p) = (&texts[k].1, pairs[k]);
            if have != want {
                out.push(
                    p.at(
                        Code::W610,
                        format!(
                            "the same source text is translated differently in {}: “{want}”",
                            place(first)
                        ),
                        p.tgt.start()..p.tgt.start() + 1,
                    )
                    .help("use one translation for the same text, unless the context differs"),
                );
            }
        }
    }
    for group in by_target.values().filter(|g| g.len() > 1) {
        let first = pairs[group[0]];
        let want = loose(&texts[group[0]].0);
        for &k in &group[1..] {
            let p = pairs[k];
            if loose(&texts[k].0) != want {
                out.push(
                    p.at(
                        Code::W611,
                        format!(
                            "{} uses the same translation for another source text, “{}”",
                            place(first),
                            texts[group[0]].0
                        ),
                        p.tgt.start()..p.tgt.start() + 1,
                    )
                    .help("check that both source texts mean the same; otherwise tell them apart"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_outside_placeables_count() {
        assert!(has_letters("Read {-doc} now"));
        assert!(!has_letters("{-doc-azure-agreement}"));
        assert_eq!(loose(&collapse("Learn  More.")), "learn more");
        for (s, want) in [
            ("a b", "a b"),
            (" a", "a"),
            ("a  b", "a b"),
            ("a\tb", "a b"),
            ("a\n", "a"),
            ("", ""),
            ("  ", ""),
        ] {
            assert_eq!(collapse(s), want, "{s:?}");
            assert_eq!(
                collapse(s),
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }
}
