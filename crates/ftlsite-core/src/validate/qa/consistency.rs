//! Consistency within one locale: W610 the same source text translated two ways, W611 one
//! translation used for two different source texts. Both name the other place.
//!
//! Texts are compared by their signature (placeables as written, unresolved), with whitespace
//! collapsed; W611 also ignores case and final punctuation on the source side, since "Learn
//! more" and "Learn more." are one text. Texts without letters (`{ -brand }`) are skipped, and
//! so are terms, which hold names.

use std::collections::BTreeMap;

use super::Pair;
use crate::catalog::EntryKind;
use crate::diagnostics::{Code, Diagnostic};

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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
fn loose(sig: &str) -> String {
    collapse(sig)
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
    let mut by_source: BTreeMap<String, Vec<&Pair<'_>>> = BTreeMap::new();
    let mut by_target: BTreeMap<String, Vec<&Pair<'_>>> = BTreeMap::new();
    for p in &pairs {
        by_source
            .entry(collapse(&p.src.text().signature))
            .or_default()
            .push(p);
        by_target
            .entry(collapse(&p.tgt.text().signature))
            .or_default()
            .push(p);
    }
    for group in by_source.values() {
        let Some(first) = group.first() else { continue };
        let want = collapse(&first.tgt.text().signature);
        for p in &group[1..] {
            let have = collapse(&p.tgt.text().signature);
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
    for group in by_target.values() {
        let Some(first) = group.first() else { continue };
        let want = loose(&first.src.text().signature);
        for p in &group[1..] {
            if loose(&p.src.text().signature) != want {
                out.push(
                    p.at(
                        Code::W611,
                        format!(
                            "{} uses the same translation for another source text, “{}”",
                            place(first),
                            collapse(&first.src.text().signature)
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
        assert_eq!(loose("Learn  More."), "learn more");
    }
}
