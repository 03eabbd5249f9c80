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
