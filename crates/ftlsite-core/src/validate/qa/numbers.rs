//! Numbers and addresses compared with the source: W605 a number of the source missing or
//! changed in the translation, W606 a URL or e-mail address that differs.
//!
//! Numbers are compared as digit strings: digits of any script are read as ASCII (`５`, `٥`)
//! and group and decimal separators dropped, so `1,000`, `1.000` and `1 000` are one number.
//! A number passed to `NUMBER()` as a literal is the locale's to format and is exempt.

use std::ops::Range;
use std::sync::LazyLock;

use super::text::Masked;
use super::Pair;
use crate::diagnostics::{Code, Diagnostic};

/// The ASCII digit of any decimal digit character.
fn digit(c: char) -> Option<char> {
    let v = match u32::from(c) {
        0x30..=0x39 => u32::from(c) - 0x30,
        0xFF10..=0xFF19 => u32::from(c) - 0xFF10,
        0x0660..=0x0669 => u32::from(c) - 0x0660,
        0x06F0..=0x06F9 => u32::from(c) - 0x06F0,
        0x0966..=0x096F => u32::from(c) - 0x0966,
        _ => return None,
    };
    char::from_digit(v, 10)
}

/// Separators that may sit between digit groups of one number.
const SEPARATORS: &[char] = &[
    ',', '.', '\u{a0}', '\u{202f}', '\u{2009}', '\'', '٬', '٫', '，',
];

/// The numbers of a text: (normalized digits, byte range).
pub fn numbers(text: &str) -> Vec<(String, Range<usize>)> {
    // Most texts have no digit at all.
    if !text.chars().any(|c| digit(c).is_some()) {
        return Vec::new();
    }
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < cs.len() {
        if digit(cs[k].1).is_none() {
            k += 1;
            continue;
        }
        let start = cs[k].0;
        let mut norm = String::new();
        let mut end = k;
        while end < cs.len() {
            if let Some(d) = digit(cs[end].1) {
                norm.push(d);
                end += 1;
            } else if SEPARATORS.contains(&cs[end].1)
                && cs.get(end + 1).is_some_and(|(_, c)| digit(*c).is_some())
            {
                end += 1;
            } else {
                break;
            }
        }
        let stop = cs.get(end).map_or(text.len(), |(i, _)| *i);
        // Digits glued to letters are part of a name (`21Vianet`, `MP4`), not a number; CJK
        // text sits next to numbers without a space (`于1998年`).
        let letter = |c: &char| c.is_alphabetic() && !super::text::is_cjk(*c);
        let glued = k
            .checked_sub(1)
            .and_then(|j| cs.get(j))
            .is_some_and(|(_, c)| letter(c))
            || cs.get(end).is_some_and(|(_, c)| letter(c));
        if !glued {
            out.push((norm, start..stop));
        }
        k = end;
    }
    out
}

/// URLs (`http://`, `https://`, `www.`) and e-mail addresses in text.
static ADDRESS: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(
        r#"(?i)(?:https?://|www\.)[^\s<>"'“”‘’()\[\]{}，。、；：！？（）「」\x{FFFC}]+|[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"#,
    )
    .ok()
});

/// The addresses of a text: (address without trailing punctuation, byte range).
pub fn addresses(text: &str) -> Vec<(String, Range<usize>)> {
    // Every match holds `@`, `http` or `www.` (in ASCII: none of their letters has another
    // case in Unicode), and most texts hold none.
    let b = text.as_bytes();
    let starts = |i: usize, w: &[u8]| {
        b.get(i..i + w.len())
            .is_some_and(|x| x.eq_ignore_ascii_case(w))
    };
    // One pass: `c | 0x20` lower-cases an ASCII letter.
    let found = b.iter().enumerate().any(|(i, &c)| match c | 0x20 {
        b'`' => c == b'@',
        b'h' => starts(i, b"http"),
        b'w' => starts(i, b"www."),
        _ => false,
    });
    if !found {
        return Vec::new();
    }
    let Some(re) = ADDRESS.as_ref() else {
        return Vec::new();
    };
    re.find_iter(text)
        .map(|m| {
            let a = m.as_str().trim_end_matches(['.', ',', ':', ';', '!', '?']);
            (a.to_string(), m.start()..m.start() + a.len())
        })
        .collect()
}

/// Runs W605 and W606 on one pair.
pub fn check(p: &Pair<'_>, out: &mut Vec<Diagnostic>) {
    let (s, t) = (p.src.text(), p.tgt.text());
    check_numbers(p, s, t, out);
    check_addresses(p, s, t, out);
}

/// Removes one occurrence of `v` from `list`, true when there was one.
fn take(list: &mut Vec<(String, Range<usize>)>, v: &str) -> bool {
    match list.iter().position(|(x, _)| x == v) {
        Some(i) => {
            list.remove(i);
            true
        }
        None => false,
    }
}

/// The numbers of a rendering written in the pattern itself: those a referenced term brings
/// are the term's, checked where it is translated.
fn own_numbers(m: &Masked) -> Vec<(String, Range<usize>)> {
    numbers(&m.text)
        .into_iter()
        .filter(|(_, r)| !m.borrowed(r.clone()))
        .collect()
}

fn check_numbers(p: &Pair<'_>, s: &Masked, t: &Masked, out: &mut Vec<Diagnostic>) {
    let mut left = own_numbers(t);
    let exempt: Vec<String> = t
        .formatted_numbers
        .iter()
        .chain(&s.formatted_numbers)
        .map(|n| numbers(n).into_iter().map(|(d, _)| d).collect::<String>())
        .collect();
    let mut missing = Vec::new();
    for (n, _) in own_numbers(s) {
        if !take(&mut left, &n) && !exempt.contains(&n) {
            missing.push(n);
        }
    }
    for n in missing {
        let (message, span) = match left.first() {
            Some((other, r)) if left.len() == 1 => (
                format!("the source has the number {n}, the translation {other} instead"),
                t.span(r.clone()),
            ),
            _ => (
                format!("the number {n} of the source is missing in the translation"),
                p.tgt.start()..p.tgt.start() + 1,
            ),
        };
        out.push(p.at(Code::W605, message, span));
    }
}

fn check_addresses(p: &Pair<'_>, s: &Masked, t: &Masked, out: &mut Vec<Diagnostic>) {
    let mut left = addresses(&t.text);
    let mut missing = Vec::new();
    for (a, _) in addresses(&s.text) {
        if !take(&mut left, &a) {
            missing.push(a);
        }
    }
    for a in missing {
        let (message, span) = match left.first() {
            Some((other, r)) => (
                format!("the translation has `{other}` where the source has `{a}`"),
                t.span(r.clone()),
            ),
            None => (
                format!("`{a}` of the source is missing in the translation"),
                p.tgt.start()..p.tgt.start() + 1,
            ),
        };
        if !left.is_empty() {
            left.remove(0);
        }
        out.push(p.at(Code::W606, message, span));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_normalized() {
        let n: Vec<String> = numbers("1,000 and 1.000 and 1\u{a0}000, ５０%, ٣ — 24/7 v2.")
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        assert_eq!(n, ["1000", "1000", "1000", "50", "3", "24", "7"]);
        assert!(numbers("21Vianet MP4 Windows10").is_empty());
        assert_eq!(numbers("2026年").len(), 1);
        assert_eq!(numbers("始创于1998年")[0].0, "1998");
        assert_eq!(numbers("abc 12.")[0].1, 4..6);
    }

    #[test]
    fn addresses_lose_trailing_punctuation() {
        let a: Vec<String> = addresses(
            "See https://example.com/a?b=1. Or mail help@example.org，或访问 www.mozilla.org。",
        )
        .into_iter()
        .map(|(a, _)| a)
        .collect();
        assert_eq!(
            a,
            [
                "https://example.com/a?b=1",
                "help@example.org",
                "www.mozilla.org"
            ]
        );
    }
}
