//! Single-entry edits on generated files (property tests) and on small hand-written ones.

use fluent_syntax::ast;
use proptest::prelude::*;

use super::{body, check_format, normalized, same_meaning};
use crate::ftl::{format, Change, Document, EditError};

/// Entries a generated file is made of. `{id}` is replaced by a unique id.
const ADDRESSABLE: &[&str] = &[
    "{id} = Simple value",
    "{id} = Value with { $var } and { -brand }",
    "{id} =\n    Multiline\n    value",
    "{id} = First line\n        indented more\n    back",
    "{id} =\n    .title = Only an attribute",
    "{id} = Value\n    .title = Title\n    .aria-label = Label",
    "{id} =\n    { $count ->\n        [one] One\n       *[other] Many\n    }",
    "{id} = { $n ->\n  [one] x\n *[other] y\n}",
    "-{id} = Term\n    .gender = masculine",
    "# Attached comment\n#\n#  two spaces\n{id} = With comment",
    "{id} = [bracket]\n    next line",
    "{id}   =   spaced   \n  .a=1\n\n  .b =\n      B",
    "{id} = tab\tinside",
    "{id} = x\n\n\n    after blank lines",
];

const OTHER: &[&str] = &[
    "# Standalone comment",
    "## Group comment",
    "### Resource comment",
    "broken = } junk",
    "  indented junk",
    "\ttab junk",
    "#not a comment",
    "#  ",
];

const PATTERNS: &[&str] = &[
    "New value",
    "With { $x } and { -brand }",
    "Two\n    lines",
    "\n    Starts on the next line",
    "{ $n ->\n    [one] a\n   *[other] b\n}",
    "[x]\n    y",
    "  padded  ",
    "crlf\r\n    line",
    "",
    "bad {",
    "x\n    .attr = y",
    "a\nb = 2",
    "}",
];

const NEW_ENTRIES: &[&str] = &[
    "new-id = Inserted",
    "# Comment\nnew-id = With comment\n    .a = A",
    "-new-term = T",
    "m0 = duplicate",
    "bad = {",
    "x = 1\ny = 2",
    "## group only",
    "new-id =\n  .only = attribute\n",
];

#[derive(Clone, Debug)]
struct File {
    pieces: Vec<(bool, usize, usize, &'static str)>,
    crlf: bool,
    bom: bool,
    final_newline: bool,
}

impl File {
    fn text(&self) -> String {
        let mut out = String::new();
        let mut n = 0;
        for (addressable, which, gap, pad) in &self.pieces {
            let piece = if *addressable {
                n += 1;
                ADDRESSABLE[which % ADDRESSABLE.len()].replace("{id}", &format!("m{n}"))
            } else {
                OTHER[which % OTHER.len()].to_string()
            };
            out.push_str(&piece);
            out.push('\n');
            for _ in 0..*gap {
                out.push_str(pad);
                out.push('\n');
            }
        }
        if !self.final_newline {
            while out.ends_with('\n') {
                out.pop();
            }
        }
        if self.crlf {
            out = out.replace('\n', "\r\n");
        }
        if self.bom {
            out.insert(0, '\u{feff}');
        }
        out
    }
}

fn file() -> impl Strategy<Value = File> {
    (
        prop::collection::vec(
            (
                prop::bool::weighted(0.7),
                0..64usize,
                0..4usize,
                prop::sample::select(vec!["", "  "]),
            ),
            0..12,
        ),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.8),
    )
        .prop_map(|(pieces, crlf, bom, final_newline)| File {
            pieces,
            crlf,
            bom,
            final_newline,
        })
}

#[derive(Clone, Debug)]
enum Op {
    Value(usize, usize),
    Attribute(usize, usize, usize),
    Insert(Vec<usize>, usize),
    Remove(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..20usize, 0..PATTERNS.len()).prop_map(|(i, p)| Op::Value(i, p)),
        (0..20usize, 0..4usize, 0..PATTERNS.len()).prop_map(|(i, a, p)| Op::Attribute(i, a, p)),
        (
            prop::collection::vec(0..20usize, 0..4),
            0..NEW_ENTRIES.len()
        )
            .prop_map(|(after, e)| Op::Insert(after, e)),
        (0..20usize).prop_map(Op::Remove),
    ]
}

/// The id a generated index (0..20) names: an existing one mostly, sometimes one that is
/// absent.
fn pick(ids: &[String], i: usize) -> String {
    match ids.len() {
        n if n > 0 && i < 17 => ids[i % n].clone(),
        _ => format!("absent{i}"),
    }
}

/// The name of an attribute of `id` in `text` that a generated index (0..4) names: one of its
/// attributes mostly, sometimes one it lacks.
fn attribute_of(text: &str, id: &str, a: usize) -> String {
    let source = normalized(text);
    let names: Vec<String> = body(&source)
        .iter()
        .find(|e| entry_id(e).as_deref() == Some(id))
        .map(|e| parts(e).1.iter().map(|at| at.id.name.to_string()).collect())
        .unwrap_or_default();
    match names.len() {
        n if n > 0 && a < 3 => names[a % n].clone(),
        _ => "absent".to_string(),
    }
}

/// The id an entry source defines, if it parses to a message or term.
fn defined_id(src: &str) -> Option<String> {
    body(src).iter().find_map(|e| match e {
        ast::Entry::Message(m) => Some(m.id.name.to_string()),
        ast::Entry::Term(t) => Some(format!("-{}", t.id.name)),
        _ => None,
    })
}

fn entry_id(e: &ast::Entry<&str>) -> Option<String> {
    match e {
        ast::Entry::Message(m) => Some(m.id.name.to_string()),
        ast::Entry::Term(t) => Some(format!("-{}", t.id.name)),
        _ => None,
    }
}

type Parts<'a> = (
    Option<ast::Pattern<&'a str>>,
    Vec<ast::Attribute<&'a str>>,
    Option<ast::Comment<&'a str>>,
);

/// The value, attributes and comment of a message or term.
fn parts<'a>(e: &ast::Entry<&'a str>) -> Parts<'a> {
    match e {
        ast::Entry::Message(m) => (m.value.clone(), m.attributes.clone(), m.comment.clone()),
        ast::Entry::Term(t) => (
            Some(t.value.clone()),
            t.attributes.clone(),
            t.comment.clone(),
        ),
        _ => (None, Vec::new(), None),
    }
}

/// Checks one edit: bytes outside the change are untouched, the target changed as asked, and
/// every other entry parses as before. A refused edit must leave the text alone.
fn check_edit(before: &str, op: &Op) -> Result<String, TestCaseError> {
    let mut doc = Document::parse(before);
    let ids: Vec<String> = doc.ids().map(str::to_string).collect();
    let (result, target, expect): (Result<Change, EditError>, String, Option<String>) = match op {
        Op::Value(i, p) => {
            let id = pick(&ids, *i);
            let src = PATTERNS[*p];
            (
                doc.replace_value(&id, src),
                id.clone(),
                Some(format!("{id} = {}", src.replace("\r\n", "\n"))),
            )
        }
        Op::Attribute(i, a, p) => {
            let id = pick(&ids, *i);
            let attr = attribute_of(before, &id, *a);
            let src = PATTERNS[*p];
            let probe = format!("x =\n    .{attr} = {}", src.replace("\r\n", "\n"));
            (doc.replace_attribute(&id, &attr, src), id, Some(probe))
        }
        Op::Insert(after, e) => {
            let after: Vec<String> = after.iter().map(|i| pick(&ids, *i)).collect();
            let refs: Vec<&str> = after.iter().map(String::as_str).collect();
            let src = NEW_ENTRIES[*e];
            let id = defined_id(src).unwrap_or_default();
            (doc.insert_after(&refs, src), id, Some(src.to_string()))
        }
        Op::Remove(i) => {
            let id = pick(&ids, *i);
            (doc.remove(&id), id, None)
        }
    };
    let after = doc.text();
    let change = match result {
        Err(_) => {
            prop_assert_eq!(after, before, "a refused edit changed the text");
            return Ok(after.to_string());
        }
        Ok(c) => c,
    };
    // Only the reported bytes changed.
    prop_assert_eq!(change.old.start, change.new.start);
    prop_assert_eq!(&before[..change.old.start], &after[..change.new.start]);
    prop_assert_eq!(&before[change.old.end..], &after[change.new.end..]);
    prop_assert_eq!(
        before.len() - change.old.len(),
        after.len() - change.new.len()
    );

    // Every other entry parses as before; the target is what was asked for.
    let (old_src, new_src) = (normalized(before), normalized(after));
    let (old, new) = (body(&old_src), body(&new_src));
    let strip = |entries: &[ast::Entry<&'_ str>]| -> Vec<usize> {
        (0..entries.len())
            .filter(|&k| entry_id(&entries[k]).as_deref() != Some(target.as_str()))
            .collect()
    };
    let (keep_old, keep_new) = (strip(&old), strip(&new));
    let first_old = old
        .iter()
        .position(|e| entry_id(e).as_deref() == Some(target.as_str()));
    let first_new = new
        .iter()
        .position(|e| entry_id(e).as_deref() == Some(target.as_str()));
    let others_old: Vec<_> = keep_old.iter().map(|&k| old[k].clone()).collect();
    let others_new: Vec<_> = keep_new.iter().map(|&k| new[k].clone()).collect();
    if let Err(e) = same_meaning(&others_old, &others_new) {
        return Err(TestCaseError::fail(format!("other entries changed: {e}")));
    }
    let probe = expect.unwrap_or_default();
    let wanted = body(&probe);
    match op {
        Op::Remove(_) => {
            prop_assert!(first_old.is_some());
            // A later duplicate of the id may remain; the first definition is gone.
            prop_assert_eq!(
                new.iter()
                    .filter(|e| entry_id(e).as_deref() == Some(target.as_str()))
                    .count()
                    + 1,
                old.iter()
                    .filter(|e| entry_id(e).as_deref() == Some(target.as_str()))
                    .count()
            );
        }
        Op::Insert(..) => {
            prop_assert!(first_old.is_none());
            let got = first_new.map(|k| &new[k]);
            prop_assert_eq!(got, wanted.first());
        }
        Op::Value(..) => {
            let (Some(a), Some(b)) = (first_old, first_new) else {
                return Err(TestCaseError::fail("target vanished"));
            };
            let (_, new_attrs, new_comment) = parts(&new[b]);
            let (_, old_attrs, old_comment) = parts(&old[a]);
            prop_assert_eq!(parts(&new[b]).0, wanted.first().and_then(|w| parts(w).0));
            prop_assert_eq!((new_attrs, new_comment), (old_attrs, old_comment));
        }
        Op::Attribute(_, a, _) => {
            let (Some(x), Some(y)) = (first_old, first_new) else {
                return Err(TestCaseError::fail("target vanished"));
            };
            let attr = attribute_of(before, &target, *a);
            let (old_value, old_attrs, old_comment) = parts(&old[x]);
            let (new_value, new_attrs, new_comment) = parts(&new[y]);
            prop_assert_eq!(old_value, new_value);
            prop_assert_eq!(old_comment, new_comment);
            let wanted_attr = match wanted.first() {
                Some(ast::Entry::Message(m)) => m.attributes.first().cloned(),
                _ => None,
            };
            let k = old_attrs.iter().position(|at| at.id.name == attr.as_str());
            prop_assert!(k.is_some());
            let mut expected_attrs = old_attrs.clone();
            if let (Some(k), Some(w)) = (k, wanted_attr) {
                expected_attrs[k] = w;
            }
            prop_assert_eq!(new_attrs, expected_attrs);
        }
    }
    Ok(after.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// An edit changes exactly the bytes it reports, and only the entry it names.
    #[test]
    fn an_edit_changes_only_its_own_bytes(file in file(), ops in prop::collection::vec(op(), 1..4)) {
        let mut text = file.text();
        for op in &ops {
            text = check_edit(&text, op)?;
        }
    }

    /// An edit of a formatted file leaves it formatted.
    #[test]
    fn an_edit_keeps_a_formatted_file_formatted(file in file(), op in op()) {
        let text = format(&file.text());
        let mut doc = Document::parse(text.clone());
        let ids: Vec<String> = doc.ids().map(str::to_string).collect();
        let _ = match &op {
            Op::Value(i, p) => doc.replace_value(&pick(&ids, *i), PATTERNS[*p]),
            Op::Attribute(i, a, p) => {
                let id = pick(&ids, *i);
                doc.replace_attribute(&id, &attribute_of(&text, &id, *a), PATTERNS[*p])
            }
            Op::Insert(after, e) => {
                let after: Vec<String> = after.iter().map(|i| pick(&ids, *i)).collect();
                let refs: Vec<&str> = after.iter().map(String::as_str).collect();
                doc.insert_after(&refs, NEW_ENTRIES[*e])
            }
            Op::Remove(i) => doc.remove(&pick(&ids, *i)),
        };
        prop_assert_eq!(format(doc.text()), doc.text());
    }

    /// Formatting generated files is idempotent and keeps their ASTs.
    #[test]
    fn formatting_generated_files_keeps_their_meaning(file in file()) {
        let text = file.text();
        if let Err(e) = check_format("generated", &text) {
            return Err(TestCaseError::fail(e));
        }
    }
}

#[test]
fn edits_report_their_errors() {
    let mut doc = Document::parse("a = A\n    .title = T\n-t = Term\n");
    assert_eq!(
        doc.replace_value("b", "x"),
        Err(EditError::UnknownId("b".into()))
    );
    assert_eq!(
        doc.replace_value("t", "x"),
        Err(EditError::UnknownId("t".into()))
    );
    assert!(matches!(
        doc.replace_attribute("a", "alt", "x"),
        Err(EditError::UnknownAttribute { .. })
    ));
    match doc.replace_value("a", "one { two") {
        Err(EditError::Syntax { error }) => assert_eq!(error.pos.start, 9),
        other => panic!("expected a syntax error, got {other:?}"),
    }
    assert!(matches!(
        doc.replace_value("-t", ""),
        Err(EditError::Syntax { .. })
    ));
    assert!(matches!(
        doc.replace_value("a", "x\n    .alt = y"),
        Err(EditError::NotAPattern { .. })
    ));
    assert!(matches!(
        doc.replace_value("a", "x\nb = y"),
        Err(EditError::NotAPattern { .. })
    ));
    assert_eq!(
        doc.insert_after(&[], "a = again"),
        Err(EditError::DuplicateId("a".into()))
    );
    assert_eq!(
        doc.insert_after(&[], "x = 1\ny = 2"),
        Err(EditError::NotOneEntry { found: 2 })
    );
    match doc.insert_after(&[], "x = {") {
        Err(EditError::Syntax { error }) => assert_eq!(error.pos.start, 5),
        other => panic!("expected a syntax error, got {other:?}"),
    }
    assert_eq!(doc.text(), "a = A\n    .title = T\n-t = Term\n");
}

#[test]
fn edits_keep_crlf_and_the_byte_order_mark() {
    let mut doc = Document::parse("\u{feff}a = A\r\n\r\nb = B\r\n");
    doc.replace_value("a", "one\n    two").unwrap();
    doc.insert_after(&["b"], "c = C").unwrap();
    assert_eq!(
        doc.text(),
        "\u{feff}a =\r\n    one\r\n    two\r\n\r\nb = B\r\n\r\nc = C\r\n"
    );
    doc.remove("a").unwrap();
    assert_eq!(doc.text(), "\u{feff}b = B\r\n\r\nc = C\r\n");
}

#[test]
fn insert_mirrors_the_spacing_of_its_neighbours() {
    let mut dense = Document::parse("a = A\nb = B\n");
    dense.insert_after(&["a"], "x = X").unwrap();
    dense.insert_after(&["b"], "y = Y").unwrap();
    assert_eq!(dense.text(), "a = A\nx = X\nb = B\ny = Y\n");

    let mut empty = Document::parse("");
    empty.insert_after(&["a"], "x = X").unwrap();
    assert_eq!(empty.text(), "x = X\n");

    let mut comments_only = Document::parse("### Header");
    comments_only.insert_after(&[], "x = X").unwrap();
    assert_eq!(comments_only.text(), "### Header\n\nx = X\n");
}

#[test]
fn removing_the_last_entry_drops_the_blank_lines_before_it() {
    let mut doc = Document::parse("a = A\n\n# About b\nb = B");
    let change = doc.remove("b").unwrap();
    assert_eq!(doc.text(), "a = A\n");
    assert_eq!(
        change,
        Change {
            old: 6..22,
            new: 6..6
        }
    );
}

#[test]
fn removal_keeps_the_wider_separation_of_its_neighbours() {
    let cases = [
        ("a = A\nb = B\nc = C\n", "b", "a = A\nc = C\n"),
        ("a = A\nb = B\n\nc = C\n", "b", "a = A\n\nc = C\n"),
        ("a = A\n\nb = B\nc = C\n", "b", "a = A\n\nc = C\n"),
        ("a = A\n\n\nb = B\n\n\nc = C\n", "b", "a = A\n\n\nc = C\n"),
        ("a = A\n\nb = B\n\n", "b", "a = A\n"),
        ("\n\na = A\n\nb = B\n", "a", "\n\nb = B\n"),
        ("a = A", "a", ""),
    ];
    for (before, id, after) in cases {
        let mut doc = Document::parse(before);
        doc.remove(id).unwrap();
        assert_eq!(doc.text(), after, "removing {id} from {before:?}");
    }
}

#[test]
fn a_removal_that_would_merge_junk_is_refused() {
    // Without `b`, the tab-indented line would continue the Junk above it.
    let text = "broken = }\nb = B\n\tindented junk\n";
    let mut doc = Document::parse(text);
    assert_eq!(
        doc.remove("b"),
        Err(EditError::DisturbsNeighbours("b".into()))
    );
    assert_eq!(doc.text(), text);
}
