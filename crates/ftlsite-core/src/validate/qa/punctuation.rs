//! Punctuation and spacing compared with the source: W601 sentence-final punctuation, W602
//! leading/trailing whitespace, W603 doubled spaces, W604 repeated words, W607 unbalanced
//! brackets and quotes.

use std::ops::Range;

use super::text::{is_cjk, Masked, MASK};
use super::Pair;
use crate::diagnostics::{Code, Diagnostic};

/// The kind of mark that ends a text: `.` and `。` are the same kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// `.` `。` `．` `۔` `।`
    Period,
    /// `?` `？` `؟`
    Question,
    /// `!` `！`
    Exclamation,
    /// `:` `：`
    Colon,
    /// `;` `；` `؛`
    Semicolon,
    /// `…` or `...`
    Ellipsis,
}

/// Closing brackets and quotes that may follow the final mark (`(“Payment Data”).`, `「…。」`).
const CLOSERS: &[char] = &[
    ')', '）', ']', '”', '’', '"', '\'', '»', '」', '』', '】', '》', '“',
];

fn mark_of(c: char) -> Option<Mark> {
    Some(match c {
        '.' | '。' | '．' | '۔' | '।' => Mark::Period,
        '?' | '？' | '؟' => Mark::Question,
        '!' | '！' => Mark::Exclamation,
        ':' | '：' => Mark::Colon,
        ';' | '；' | '؛' => Mark::Semicolon,
        '…' => Mark::Ellipsis,
        _ => return None,
    })
}

/// How a text ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// With a placeable: what it shows is unknown, so nothing is compared.
    Unknown,
    /// With no final mark; the byte range of the last character.
    Bare(Range<usize>),
    /// With a mark, its kind and its byte range in the text.
    Mark(Mark, Range<usize>),
}

/// How `text` ends, after trailing whitespace and closing brackets and quotes.
pub fn ending(text: &str) -> Ending {
    let trimmed = text.trim_end();
    let mut end = trimmed.len();
    for (i, c) in trimmed.char_indices().rev() {
        if CLOSERS.contains(&c) {
            end = i;
        } else {
            break;
        }
    }
    let body = &trimmed[..end];
    let Some((i, c)) = body.char_indices().next_back() else {
        return Ending::Unknown;
    };
    if c == MASK {
        return Ending::Unknown;
    }
    if body.ends_with("...") {
        return Ending::Mark(Mark::Ellipsis, end - 3..end);
    }
    match mark_of(c) {
        Some(m) => Ending::Mark(m, i..end),
        None => Ending::Bare(i..end),
    }
}

/// The mark a locale writes for `m` after text in its own script: full-width in Chinese and
/// Japanese, `None` when the ASCII mark is right.
pub fn locale_mark(locale: &str, m: Mark) -> Option<char> {
    let lang = locale.split('-').next().unwrap_or(locale);
    if !matches!(lang, "zh" | "ja") {
        return None;
    }
    Some(match m {
        Mark::Period => '。',
        Mark::Question => '？',
        Mark::Exclamation => '！',
        Mark::Colon => '：',
        Mark::Semicolon => '；',
        Mark::Ellipsis => return None,
    })
}

/// The mark a final mark should be replaced with for the locale's style (W601's fix): the
/// full-width mark after CJK text in zh/ja, the ASCII one after other text elsewhere.
pub fn style_fix(locale: &str, text: &str) -> Option<(Range<usize>, char)> {
    let Ending::Mark(m, r) = ending(text) else {
        return None;
    };
    let c = text[r.clone()].chars().next()?;
    let before = text[..r.start].chars().next_back()?;
    let want = match locale_mark(locale, m) {
        Some(full) if is_cjk(before) => full,
        Some(_) => return None,
        None if c as u32 >= 0x3000 && !is_cjk(before) && m != Mark::Ellipsis => match m {
            Mark::Period => '.',
            Mark::Question => '?',
            Mark::Exclamation => '!',
            Mark::Colon => ':',
            Mark::Semicolon => ';',
            Mark::Ellipsis => return None,
        },
        None => return None,
    };
    (want != c && r.len() == c.len_utf8()).then_some((r, want))
}

/// Runs W601, W602, W603, W604 and W607 on one pair.
pub fn check(p: &Pair<'_>, out: &mut Vec<Diagnostic>) {
    let (s, t) = (p.src.text(), p.tgt.text());
    end_punctuation(p, s, t, out);
    outer_whitespace(p, s, t, out);
    doubled_spaces(p, s, t, out);
    repeated_words(p, s, t, out);
    balance(p, s, t, out);
}

fn end_punctuation(p: &Pair<'_>, s: &Masked, t: &Masked, out: &mut Vec<Diagnostic>) {
    let show = |m: &Masked, r: &Range<usize>| m.text[r.clone()].to_string();
    let (se, te) = (ending(&s.text), ending(&t.text));
    // A final mark that comes from a referenced entry belongs to that entry.
    let borrowed = |m: &Masked, e: &Ending| match e {
        Ending::Mark(_, r) | Ending::Bare(r) => m.borrowed(r.clone()),
        Ending::Unknown => false,
    };
    if borrowed(s, &se) || borrowed(t, &te) {
        return;
    }
    match (se, te) {
        (Ending::Mark(a, ra), Ending::Mark(b, rb)) if a != b => out.push(p.at(
            Code::W601,
            format!(
                "the translation ends with `{}`, the source with `{}`",
                show(t, &rb),
                show(s, &ra)
            ),
            t.span(rb),
        )),
        // `Example Co.` → `示例公司`: the source's period closes an abbreviation, not a sentence.
        (Ending::Mark(Mark::Period, ra), Ending::Bare(_)) if source_abbreviation(&s.text, &ra) => {}
        (Ending::Mark(_, ra), Ending::Bare(rb)) => out.push(p.at(
            Code::W601,
            format!(
                "the source ends with `{}`, the translation with no final punctuation",
                show(s, &ra)
            ),
            t.span(rb),
        )),
        // Chinese and Japanese end a sentence with 。 where English leaves a clause bare.
        (Ending::Bare(_), Ending::Mark(Mark::Period, _))
            if locale_mark(p.locale, Mark::Period).is_some() => {}
        (Ending::Bare(_), Ending::Mark(b, rb))
            if b != Mark::Period || !abbreviation(&t.text, &rb) =>
        {
            out.push(p.at(
                Code::W601,
                format!(
                    "the translation ends with `{}`, the source with no final punctuation",
                    show(t, &rb)
                ),
                t.span(rb),
            ))
        }
        (Ending::Mark(_, _), Ending::Mark(_, _)) => {
            if let Some((r, want)) = style_fix(p.locale, &t.text) {
                out.push(
                    p.at(
                        Code::W601,
                        format!(
                            "the translation ends with `{}`; {} writes `{want}` here",
                            &t.text[r.clone()],
                            p.locale
                        ),
                        t.span(r),
                    )
                    .help(format!("write `{want}`; `ftlsite check --fix` does it")),
                );
            }
        }
        _ => {}
    }
}

/// Abbreviations that end a name or a list in English, whose period a translation drops.
const ABBREVIATIONS: [&str; 12] = [
    "co", "inc", "ltd", "corp", "llc", "plc", "etc", "vs", "jr", "sr", "gmbh", "bv",
];

/// True when the source's final `.` closes a known abbreviation (`Example Co.`, `etc.`). Stricter
/// than [`abbreviation`]: a short word such as `Done.` is a sentence here.
fn source_abbreviation(text: &str, r: &Range<usize>) -> bool {
    let word: String = text[..r.start]
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

/// True when the final `.` closes an abbreviation or a number (`etc.`, `v2.`), which a bare
/// source can still have in translation. Only single short tokens count.
fn abbreviation(text: &str, r: &Range<usize>) -> bool {
    let word: String = text[..r.start]
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    !word.is_empty() && word.chars().count() <= 4 && !word.chars().any(is_cjk)
}

fn outer_whitespace(p: &Pair<'_>, s: &Masked, t: &Masked, out: &mut Vec<Diagnostic>) {
    let lead = |m: &Masked| m.text.chars().next().is_some_and(char::is_whitespace);
    let trail = |m: &Masked| m.text.chars().next_back().is_some_and(char::is_whitespace);
    if t.text.trim().is_empty() {
        return;
    }
    if lead(s) != lead(t) {
        let n = t.text.len() - t.text.trim_start().len();
        let span = if n > 0 { t.span(0..n) } else { t.span(0..1) };
        let what = if lead(s) {
            "the source starts with whitespace, the translation does not"
        } else {
            "the translation starts with whitespace, the source does not"
        };
        out.push(p.at(Code::W602, what.to_string(), span));
    }
    if trail(s) != trail(t) {
        let keep = t.text.trim_end().len();
        let span = if keep < t.text.len() {
            t.span(keep..t.text.len())
        } else {
            let last = t.text.char_indices().next_back().map_or(0, |(i, _)| i);
            t.span(last..t.text.len())
        };
        let what = if trail(s) {
            "the source ends with whitespace, the translation does not"
        } else {
            "the translation ends with whitespace, the source does not"
        };
        out.push(p.at(Code::W602, what.to_string(), span));
    }
}

/// Byte ranges of runs of two or more spaces inside the text (not leading or trailing).
pub fn doubled(text: &str) -> Vec<Range<usize>> {
    let inner_start = text.len() - text.trim_start().len();
    let inner_end = text.trim_end().len();
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = inner_start;
    while i < inner_end {
        if b[i] == b' ' {
            let mut j = i;
            while j < inner_end && b[j] == b' ' {
                j += 1;
            }
            if j - i >= 2 {
                out.push(i..j);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn doubled_spaces(p: &Pair<'_>, s: &Masked, t: &Masked, out: &mut Vec<Diagnostic>) {
    let found = doubled(&t.text);
    if found.is_empty() || !doubled(&s.text).is_empty() {
        return;
    }
    for r in found {
        out.push(p.at(
            Code::W603,
            format!("{} spaces in a row", r.len()),
            t.span(r),
        ));
    }
}

/// Words repeated for grammatical reasons, per language (`nous nous`, `die die`).
fn allowed_repeat(locale: &str, word: &str) -> bool {
    let lang = locale.split('-').next().unwrap_or(locale);
    let list: &[&str] = match lang {
        "fr" => &["nous", "vous"],
        "de" => &["die", "der", "das", "dem", "den"],
        "nl" => &["dat", "die"],
        "en" => &["that", "had"],
        _ => &[],
    };
    list.contains(&word)
}

/// `(previous word, repeated word range)` for each word that repeats the one before it,
/// separated only by spaces.
pub fn repeats(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut prev: Option<Range<usize>> = None;
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        // `is_cjk` first: it is a range test, and most characters of a CJK text are CJK.
        let is_word =
            !is_cjk(c) && c.is_alphabetic() || (start.is_some() && (c == '\'' || c == '’'));
        match (is_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if let Some(p) = prev.replace(s..i) {
                    let between = &text[p.end..s];
                    if !between.is_empty() && between.bytes().all(|b| b == b' ') {
                        if let Some(word) = same_word(&text[p], &text[s..i]) {
                            out.push((word, s..i));
                        }
                    }
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The lower-cased word when `a` and `b` are one word of more than one letter, case aside.
fn same_word(a: &str, b: &str) -> Option<String> {
    if a.is_ascii() && b.is_ascii() {
        return (a.len() > 1 && a.eq_ignore_ascii_case(b)).then(|| a.to_ascii_lowercase());
    }
    let (la, lb) = (a.to_lowercase(), b.to_lowercase());
    (la == lb && la.chars().count() > 1).then_some(la)
}

fn repeated_words(p: &Pair<'_>, s: &Masked, t: &Masked, out: &mut Vec<Diagnostic>) {
    let found = repeats(&t.text);
    if found.is_empty() {
        return;
    }
    let in_source: Vec<String> = repeats(&s.text).into_iter().map(|(w, _)| w).collect();
    for (w, r) in found {
        if in_source.contains(&w) || allowed_repeat(p.locale, &w) {
            continue;
        }
        out.push(p.at(
            Code::W604,
            format!("`{}` is written twice in a row", &t.text[r.clone()]),
            t.span(r),
        ));
    }
}

/// The first unbalanced bracket or quote of `text`, as (byte range, what is wrong).
pub fn unbalanced(text: &str) -> Vec<(Range<usize>, String)> {
    /// The marks: the bracket pairs first (opening, closing), then the quotes.
    const MARKS: [char; 25] = [
        '(', ')', '[', ']', '（', '）', '「', '」', '『', '』', '【', '】', '《', '》', '〈', '〉',
        '“', '”', '„', '"', '«', '»', '‚', '‘', '’',
    ];
    const PAIRS: usize = 8;
    /// Per mark: how often it occurs, and where it last does.
    #[derive(Clone, Copy, Default)]
    struct Seen {
        count: usize,
        last: Option<usize>,
    }
    /// Per bracket pair: the open depth, where the outermost open bracket is, and the first
    /// closing bracket that closed nothing (after which the pair is settled).
    #[derive(Clone, Copy, Default)]
    struct Depth {
        open: usize,
        outermost: usize,
        stray: Option<usize>,
    }
    // Most texts hold none of the marks: one pass settles them.
    if !text.contains(MARKS) {
        return Vec::new();
    }
    let mut seen = [Seen::default(); MARKS.len()];
    let mut pairs = [Depth::default(); PAIRS];
    for (i, c) in text.char_indices() {
        if c.is_ascii() && !matches!(c, '(' | ')' | '[' | ']' | '"') {
            continue;
        }
        let Some(k) = MARKS.iter().position(|&m| m == c) else {
            continue;
        };
        seen[k].count += 1;
        seen[k].last = Some(i);
        if k < 2 * PAIRS {
            let d = &mut pairs[k / 2];
            if d.stray.is_some() {
                continue;
            }
            if k % 2 == 0 {
                if d.open == 0 {
                    d.outermost = i;
                }
                d.open += 1;
            } else if d.open == 0 {
                d.stray = Some(i);
            } else {
                d.open -= 1;
            }
        }
    }
    let index = |c: char| MARKS.iter().position(|&m| m == c).unwrap_or(0);
    let count = |c: char| seen[index(c)].count;
    // The last of the marks in `set`, as a byte range.
    let last = |set: &[char]| {
        set.iter()
            .filter_map(|&c| seen[index(c)].last.map(|i| (i, c)))
            .max()
            .map_or(0..0, |(i, c)| i..i + c.len_utf8())
    };
    let mut out = Vec::new();
    for (k, d) in pairs.iter().enumerate() {
        let (open, close) = (MARKS[2 * k], MARKS[2 * k + 1]);
        if let Some(i) = d.stray {
            out.push((i..i + close.len_utf8(), format!("`{close}` closes nothing")));
        } else if d.open > 0 {
            let i = d.outermost;
            out.push((i..i + open.len_utf8(), format!("`{open}` is never closed")));
        }
    }
    if (count('“') + count('”') + count('„')) % 2 == 1 {
        out.push((
            last(&['“', '”', '„']),
            "an odd number of double quotes (“ ” „)".to_string(),
        ));
    }
    if count('"') % 2 == 1 {
        out.push((
            last(&['"']),
            "an odd number of straight double quotes".to_string(),
        ));
    }
    if count('«') != count('»') {
        out.push((last(&['«', '»']), "« and » do not pair".to_string()));
    }
    // ’ is also the apostrophe: only an opening ‘ without its closing mark is counted.
    // German opens with ‚ and closes with ‘; English opens with ‘ and closes with ’.
    let open_unclosed = if count('‚') > 0 {
        count('‚') > count('‘')
    } else {
        count('‘') > count('’')
    };
    if open_unclosed {
        out.push((
            last(&['‘', '‚']),
            "an opening single quote is never closed".to_string(),
        ));
    }
    out
}

fn balance(p: &Pair<'_>, s: &Masked, t: &Masked, out: &mut Vec<Diagnostic>) {
    let found = unbalanced(&t.text);
    if found.is_empty() {
        return;
    }
    let src: Vec<String> = unbalanced(&s.text).into_iter().map(|(_, w)| w).collect();
    for (r, what) in found {
        if src.contains(&what) {
            continue;
        }
        out.push(p.at(
            Code::W607,
            format!("unbalanced in the translation: {what}"),
            t.span(r),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_abbreviation_is_not_a_sentence_end() {
        assert!(source_abbreviation("Example Co.", &(10..11)));
        assert!(source_abbreviation("© Example Inc.", &(14..15)));
        assert!(!source_abbreviation("Done.", &(4..5)));
        assert!(!source_abbreviation("Save the file.", &(13..14)));
    }

    #[test]
    fn endings_compare_by_kind() {
        assert_eq!(ending("Done."), Ending::Mark(Mark::Period, 4..5));
        assert!(matches!(ending("完成。"), Ending::Mark(Mark::Period, _)));
        assert!(matches!(
            ending("(“Payment Data”)."),
            Ending::Mark(Mark::Period, _)
        ));
        assert!(matches!(
            ending("「はい。」"),
            Ending::Mark(Mark::Period, _)
        ));
        assert!(matches!(ending("Wait..."), Ending::Mark(Mark::Ellipsis, _)));
        assert!(matches!(ending("Learn more"), Ending::Bare(_)));
        assert_eq!(ending(&format!("Total: {MASK}")), Ending::Unknown);
        assert_eq!(style_fix("zh-CN", "完成."), Some((6..7, '。')));
        assert_eq!(style_fix("zh-CN", "Firefox 3.5."), None);
        assert_eq!(style_fix("de", "Fertig。"), Some((6..9, '.')));
        assert_eq!(style_fix("en", "Done."), None);
    }

    #[test]
    fn doubled_spaces_and_repeats() {
        assert_eq!(doubled("  a  b c   d  "), [3..5, 8..11]);
        let r = repeats("see the the page, then then");
        assert_eq!(
            r.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>(),
            ["the", "then"]
        );
        assert!(repeats("a a, is. Is 中文 中文").is_empty());
    }

    #[test]
    fn brackets_and_quotes_balance() {
        assert!(unbalanced("（“付款数据”）and (x) «a» „b“ it’s ‘q’").is_empty());
        let u = unbalanced("see (this and “that");
        assert_eq!(u.len(), 2, "{u:?}");
        assert!(unbalanced("a) b").iter().any(|(r, _)| *r == (1..2)));
    }
}
