//! Masked text: references, masks, tags, selects, cycles and exact offsets.

use super::*;
use crate::catalog::parse_file;

fn cat(src: &str) -> Catalog {
    let parsed = parse_file(src, 0);
    let mut c = Catalog::default();
    c.files.push(crate::catalog::FtlFile {
        path: "a.ftl".into(),
        id: crate::diagnostics::SourceMap::new().insert("a.ftl", Vec::new()),
        base: 0,
        resource: std::sync::Arc::new(parsed.resource),
    });
    c
}

fn render(src: &str, id: &str) -> Vec<Masked> {
    let c = cat(src);
    let r = Resolver::new(&c);
    let (t, p) = r.pattern(EntryKind::Message, id, None).unwrap();
    r.renderings(t, p)
}

#[test]
fn references_resolve_variables_mask_and_tags_drop() {
    let src = "-b = Fire{ \"fox\" }\nm = Use <a href=\"{ $u }\">{ -b }</a> { $n } times.<br>Next\n";
    let m = &render(src, "m")[0];
    assert_eq!(m.text, format!("Use Firefox {MASK} times.\nNext"));
    assert_eq!(
        m.signature,
        "Use <a href=\"{$u}\">{-b}</a> {$n} times.<br>Next"
    );
    // "Use" is verbatim at its bytes; "Firefox" points at the reference `-b`.
    let at = src.find("Use").unwrap();
    assert_eq!(m.verbatim(0..3), Some(at..at + 3));
    let f = m.text.find("Firefox").unwrap();
    let b = src.rfind("-b }").unwrap();
    assert_eq!(m.span(f..f + 7), b..b + 2);
    assert_eq!(m.verbatim(f..f + 7), None);
}

#[test]
fn selects_give_one_rendering_per_key_and_cycles_stop() {
    let src =
        "m = { $n ->\n    [one] One file.\n   *[other] { $n } files.\n}\nx = { y }\ny = { x }\n";
    let r = render(src, "m");
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].text, format!("{MASK} files."));
    assert_eq!(r[1].text, "One file.");
    let x = &render(src, "x")[0];
    assert!(x.text.chars().all(|c| c == MASK), "{x:?}");
    let c = cat(src);
    let once = Resolver::new(&c)
        .entry_renderings(EntryKind::Message, "x", None)
        .unwrap();
    assert_eq!(once[0].text, MASK.to_string());
}

#[test]
fn multiline_text_keeps_exact_offsets() {
    let src = "m =\n    First line\n    second  line\n";
    let m = &render(src, "m")[0];
    assert_eq!(m.text, "First line\nsecond  line");
    let i = m.text.find("  ").unwrap();
    let at = src.find("  line").unwrap();
    assert_eq!(m.verbatim(i..i + 2), Some(at..at + 2));
}

#[test]
fn literals_unescape() {
    assert_eq!(unescape(r#"a\"b\\c\u00A0d"#), "a\"b\\c\u{a0}d");
    assert_eq!(unescape(r"\uZZZZ"), "\u{FFFD}");
    assert_eq!(unescape("\\"), "\\");
}

/// The runs give back exactly the origin each character was pushed with, whatever mix of
/// contiguous text, shared origins and multibyte characters made them.
#[test]
fn runs_keep_every_characters_origin() {
    let v = |at, len| Origin {
        at,
        len,
        verbatim: true,
    };
    let r = |at, len| Origin {
        at,
        len,
        verbatim: false,
    };
    let pushes: Vec<(char, Origin)> = vec![
        ('a', v(10, 1)),
        ('b', v(11, 1)),
        ('中', v(12, 3)),
        ('c', v(15, 1)),
        ('F', r(30, 2)),
        ('o', r(30, 2)),
        ('x', r(30, 2)),
        ('y', v(40, 1)),
        ('z', v(40, 1)),
        ('é', v(50, 2)),
        ('q', r(60, 1)),
        ('w', v(61, 1)),
        ('k', v(70, 1)),
        (MASK, r(80, 3)),
        ('d', v(90, 1)),
        ('s', r(100, 2)),
        ('t', r(100, 2)),
        ('u', r(100, 5)),
        ('g', v(100, 1)),
    ];
    let mut m = Masked::default();
    let mut want = Vec::new();
    for &(c, o) in &pushes {
        want.push((m.text.len(), o));
        m.push(c, o);
    }
    for &(i, o) in &want {
        assert_eq!(m.origin(i), Some(o), "char at {i}");
    }
    assert!(m.runs.len() < pushes.len(), "{:?}", m.runs);
    // span, verbatim and borrowed as the per-character definitions give them.
    let naive_verbatim = |a: usize, b: usize| {
        let run: Vec<Origin> = want
            .iter()
            .filter(|(i, _)| (a..b).contains(i))
            .map(|(_, o)| *o)
            .collect();
        let first = run.first()?;
        let mut next = first.at;
        for o in &run {
            if !o.verbatim || o.at != next {
                return None;
            }
            next = o.at + o.len;
        }
        Some(first.at..next)
    };
    let len = m.text.len();
    for a in 0..=len {
        for b in a..=len + 1 {
            assert_eq!(m.verbatim(a..b), naive_verbatim(a, b), "verbatim {a}..{b}");
            let borrowed = want
                .iter()
                .filter(|(i, _)| (a..b).contains(i))
                .all(|(_, o)| !o.verbatim);
            assert_eq!(m.borrowed(a..b), borrowed, "borrowed {a}..{b}");
            let first = want.partition_point(|(i, _)| *i < a);
            let last = want.partition_point(|(i, _)| *i < b.max(a + 1));
            let x = want.get(first).or(want.last()).unwrap().1;
            let y = want
                .get(last.saturating_sub(1).max(first))
                .or(want.last())
                .unwrap()
                .1;
            assert_eq!(
                m.span(a..b),
                x.at..(y.at + y.len).max(x.at + x.len),
                "span {a}..{b}"
            );
        }
    }
}

/// Pushing a text written at one place in one step gives the runs that pushing its characters
/// one by one gives, after any kind of run (one that it extends, one it cannot, a shared one).
#[test]
fn verbatim_text_pushes_like_its_characters() {
    let before: [&[(char, Origin)]; 4] = [
        &[],
        &[(
            'a',
            Origin {
                at: 9,
                len: 1,
                verbatim: true,
            },
        )],
        &[(
            'a',
            Origin {
                at: 3,
                len: 1,
                verbatim: true,
            },
        )],
        &[(
            MASK,
            Origin {
                at: 10,
                len: 4,
                verbatim: false,
            },
        )],
    ];
    for prefix in before {
        for (text, at) in [("bc中d", 10), ("中", 10), ("x", 10), ("", 10)] {
            let (mut one, mut each) = (Masked::default(), Masked::default());
            for &(c, o) in prefix {
                one.push(c, o);
                each.push(c, o);
            }
            one.push_verbatim(text, at);
            for (i, c) in text.char_indices() {
                let o = Origin {
                    at: at + i,
                    len: c.len_utf8(),
                    verbatim: true,
                };
                each.push(c, o);
            }
            assert_eq!(one, each, "{prefix:?} then {text:?}");
        }
    }
}
