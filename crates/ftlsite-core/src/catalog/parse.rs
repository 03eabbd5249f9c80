//! Parsing one `.ftl` text into [`Entry`]s: ids, positions, variables, references, function
//! calls and select keys.
//!
//! fluent-syntax's AST has no spans, so entries are parsed with `S = &str` and each position is
//! recovered from where the parsed slice sits inside the source ([`offset_in`]).

use std::collections::BTreeSet;

use fluent_bundle::FluentResource;
use fluent_syntax::ast;
use fluent_syntax::parser;

use super::{
    Arg, ArgKind, Entry, EntryKind, FunctionCall, PatternInfo, Reference, SelectInfo, VariantKey,
    PLACEABLE,
};

/// The entries and syntax errors of one file.
pub struct ParsedFile {
    /// Entries that parsed.
    pub entries: Vec<Entry>,
    /// One error per junk entry.
    pub errors: Vec<parser::ParserError>,
    /// The parsed resource, ready for a Fluent bundle.
    pub resource: FluentResource,
}

/// Parses one file's text; `file` is its index in the catalog. The parse is fluent-bundle's own
/// (a [`FluentResource`]), so the renderer reuses it instead of parsing the file again.
///
/// The text must have passed the nesting guard ([`super::nesting`]): the parser and the walks
/// below recurse once per nesting level.
pub fn parse_file(text: impl Into<String>, file: usize) -> ParsedFile {
    let (resource, errors) = match FluentResource::try_new(text.into()) {
        Ok(r) => (r, Vec::new()),
        Err((r, e)) => (r, e),
    };
    let text = resource.source();
    let mut entries = Vec::new();
    for entry in resource.entries() {
        let (id, kind, value, attributes, offset) = match entry {
            ast::Entry::Message(m) => (
                m.id.name,
                EntryKind::Message,
                m.value.as_ref(),
                &m.attributes,
                offset_in(text, m.id.name).unwrap_or(0),
            ),
            ast::Entry::Term(t) => (
                t.id.name,
                EntryKind::Term,
                Some(&t.value),
                &t.attributes,
                offset_in(text, t.id.name)
                    .map(|o| o.saturating_sub(1))
                    .unwrap_or(0),
            ),
            _ => continue,
        };
        entries.push(Entry {
            id: id.to_string(),
            kind,
            file,
            offset,
            value: value.map(|p| pattern_info(text, p)),
            attributes: attributes
                .iter()
                .map(|a| (a.id.name.to_string(), pattern_info(text, &a.value)))
                .collect(),
            end: entry_end(text, offset),
        });
    }
    ParsedFile {
        entries,
        errors,
        resource,
    }
}

/// Where the entry starting at `start` ends: at the next line that begins an entry (a letter,
/// `-` or `#` in column 0: Fluent's grammar makes every continuation line of a pattern start
/// with a blank, `.`, `[`, `*` or `}`), or at the end of the text.
fn entry_end(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let mut pos = start.min(b.len());
    while let Some(n) = b[pos..].iter().position(|&c| c == b'\n') {
        pos += n + 1;
        if b.get(pos)
            .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'-' || c == b'#')
        {
            return pos;
        }
    }
    b.len()
}

/// Byte offset of `slice` inside `source`, when `slice` was cut from it.
///
/// The parser hands out `&str` slices of the input; their address is their position. Returns
/// `None` for strings that do not point into `source` (e.g. empty statics).
pub fn offset_in(source: &str, slice: &str) -> Option<usize> {
    let start = source.as_ptr() as usize;
    let at = slice.as_ptr() as usize;
    (at >= start && at + slice.len() <= start + source.len()).then(|| at - start)
}

/// True for a select whose variants are chosen by plural category: the selector is numeric (a
/// variable, a number literal or `NUMBER()`), there is at least one identifier key, and every
/// identifier key is a CLDR category name. `{ $gender -> [masculine] … }` is not one; number
/// keys (`[0]`) may sit beside the categories. The one definition the checks and the renderer
/// share.
pub fn is_plural_select(
    selector: &ast::InlineExpression<&str>,
    keys: &[ast::VariantKey<&str>],
) -> bool {
    let numeric_selector = matches!(
        selector,
        ast::InlineExpression::VariableReference { .. }
            | ast::InlineExpression::NumberLiteral { .. }
    ) || matches!(selector, ast::InlineExpression::FunctionReference { id, .. } if id.name == "NUMBER");
    let mut names = keys.iter().filter_map(|k| match k {
        ast::VariantKey::Identifier { name } => Some(*name),
        ast::VariantKey::NumberLiteral { .. } => None,
    });
    let mut any = false;
    numeric_selector
        && names.all(|n| {
            any = true;
            crate::intl::PLURAL_CATEGORIES.contains(&n)
        })
        && any
}

fn pattern_info(src: &str, p: &ast::Pattern<&str>) -> PatternInfo {
    let mut info = PatternInfo {
        offset: usize::MAX,
        ..Default::default()
    };
    walk_pattern(src, p, &mut info);
    if info.offset == usize::MAX {
        info.offset = 0;
    }
    info
}

fn note_offset(src: &str, s: &str, info: &mut PatternInfo) {
    if let Some(o) = offset_in(src, s) {
        info.offset = info.offset.min(o);
    }
}

fn walk_pattern(src: &str, p: &ast::Pattern<&str>, info: &mut PatternInfo) {
    for el in &p.elements {
        match el {
            ast::PatternElement::TextElement { value } => {
                note_offset(src, value, info);
                info.text.push_str(value);
                info.flat.push_str(value);
            }
            ast::PatternElement::Placeable { expression } => {
                info.text.push(PLACEABLE);
                match expression {
                    ast::Expression::Inline(
                        ast::InlineExpression::StringLiteral { value }
                        | ast::InlineExpression::NumberLiteral { value },
                    ) => info.flat.push_str(value),
                    _ => info.flat.push(PLACEABLE),
                }
                walk_expression(src, expression, info);
            }
        }
    }
}

fn walk_expression(src: &str, e: &ast::Expression<&str>, info: &mut PatternInfo) {
    match e {
        ast::Expression::Inline(i) => walk_inline(src, i, info),
        ast::Expression::Select { selector, variants } => {
            walk_inline(src, selector, info);
            let keys: Vec<ast::VariantKey<&str>> = variants.iter().map(|v| v.key.clone()).collect();
            let mut sel = SelectInfo {
                offset: inline_offset(src, selector).unwrap_or(0),
                plural: is_plural_select(selector, &keys),
                keys: Vec::with_capacity(variants.len()),
            };
            for v in variants {
                let (name, numeric) = match &v.key {
                    ast::VariantKey::Identifier { name } => (*name, false),
                    ast::VariantKey::NumberLiteral { value } => (*value, true),
                };
                sel.keys.push(VariantKey {
                    name: name.to_string(),
                    numeric,
                    default: v.default,
                    offset: offset_in(src, name).unwrap_or(0),
                });
            }
            info.selects.push(sel);
            for v in variants {
                walk_pattern(src, &v.value, info);
            }
        }
    }
}

fn inline_offset(src: &str, i: &ast::InlineExpression<&str>) -> Option<usize> {
    use ast::InlineExpression as I;
    match i {
        I::StringLiteral { value } | I::NumberLiteral { value } => offset_in(src, value),
        I::FunctionReference { id, .. }
        | I::MessageReference { id, .. }
        | I::VariableReference { id } => offset_in(src, id.name),
        I::TermReference { id, .. } => offset_in(src, id.name).map(|o| o.saturating_sub(1)),
        I::Placeable { expression } => match expression.as_ref() {
            ast::Expression::Inline(i) => inline_offset(src, i),
            ast::Expression::Select { selector, .. } => inline_offset(src, selector),
        },
    }
}

fn walk_inline(src: &str, i: &ast::InlineExpression<&str>, info: &mut PatternInfo) {
    use ast::InlineExpression as I;
    let offset = inline_offset(src, i);
    if let Some(o) = offset {
        info.offset = info.offset.min(o);
    }
    match i {
        I::StringLiteral { .. } | I::NumberLiteral { .. } => {}
        I::FunctionReference { id, arguments } => {
            info.functions.insert(id.name.to_string());
            info.calls.push(FunctionCall {
                name: id.name.to_string(),
                offset: offset.unwrap_or(0),
                positional: arguments.positional.iter().map(|a| arg(src, a)).collect(),
                named: arguments
                    .named
                    .iter()
                    .map(|n| (n.name.name.to_string(), arg(src, &n.value)))
                    .collect(),
            });
            walk_args(src, arguments, info);
        }
        I::MessageReference { id, attribute } => {
            let name = match attribute {
                Some(a) => format!("{}.{}", id.name, a.name),
                None => id.name.to_string(),
            };
            info.refs.push(Reference {
                kind: EntryKind::Message,
                id: id.name.to_string(),
                attribute: attribute.as_ref().map(|a| a.name.to_string()),
                offset: offset.unwrap_or(0),
                len: name.len(),
            });
            info.messages.insert(name);
        }
        I::TermReference {
            id,
            attribute,
            arguments,
        } => {
            info.terms.insert(id.name.to_string());
            info.refs.push(Reference {
                kind: EntryKind::Term,
                id: id.name.to_string(),
                attribute: attribute.as_ref().map(|a| a.name.to_string()),
                offset: offset.unwrap_or(0),
                len: id.name.len() + 1 + attribute.as_ref().map_or(0, |a| a.name.len() + 1),
            });
            if let Some(args) = arguments {
                walk_args(src, args, info);
            }
        }
        I::VariableReference { id } => {
            info.variables.insert(id.name.to_string());
        }
        I::Placeable { expression } => walk_expression(src, expression, info),
    }
}

fn arg(src: &str, a: &ast::InlineExpression<&str>) -> Arg {
    use ast::InlineExpression as I;
    let (kind, len) = match a {
        I::StringLiteral { value } => (ArgKind::String((*value).to_string()), value.len()),
        I::NumberLiteral { value } => (ArgKind::Number((*value).to_string()), value.len()),
        I::VariableReference { id } => (ArgKind::Variable(id.name.to_string()), id.name.len()),
        I::FunctionReference { id, .. } | I::MessageReference { id, .. } => {
            (ArgKind::Other, id.name.len())
        }
        I::TermReference { id, .. } => (ArgKind::Other, id.name.len() + 1),
        I::Placeable { .. } => (ArgKind::Other, 1),
    };
    Arg {
        kind,
        offset: inline_offset(src, a).unwrap_or(0),
        len,
    }
}

fn walk_args(src: &str, args: &ast::CallArguments<&str>, info: &mut PatternInfo) {
    for a in &args.positional {
        walk_inline(src, a, info);
    }
    for n in &args.named {
        walk_inline(src, &n.value, info);
    }
}

/// The names of every id an entry's patterns reference, `id` or `id.attr` (messages) and `-id`
/// (terms).
pub fn referenced_ids(e: &Entry) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, p) in e.patterns() {
        out.extend(p.messages.iter().cloned());
        out.extend(p.terms.iter().map(|t| format!("-{t}")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_keep_positions_and_placeables() {
        let src = "# c\nhello = Hi { $name }, see { -brand } and { other.title }\n    .alt = Alt\n-brand = B\nsel = { $n ->\n    [one] one\n   *[other] { $n } many\n}\n";
        let parsed = parse_file(src, 0);
        assert!(parsed.errors.is_empty());
        let hello = &parsed.entries[0];
        assert_eq!(hello.offset, 4);
        let v = hello.value.as_ref().unwrap();
        assert_eq!(v.offset, src.find("Hi").unwrap());
        assert!(v.variables.contains("name"));
        assert!(v.terms.contains("brand"));
        assert!(v.messages.contains("other.title"));
        assert_eq!(v.refs[0].offset, src.find("-brand }").unwrap());
        assert_eq!(v.refs[1].offset, src.find("other.title").unwrap());
        assert_eq!(v.refs[1].len, "other.title".len());
        assert_eq!(hello.attributes[0].0, "alt");
        let brand = &parsed.entries[1];
        assert_eq!(brand.kind, EntryKind::Term);
        assert_eq!(brand.offset, src.find("-brand =").unwrap());
        let sel = parsed.entries[2].value.as_ref().unwrap();
        assert_eq!(sel.selects.len(), 1);
        assert!(sel.selects[0].plural);
        assert_eq!(sel.selects[0].keys[1].name, "other");
        assert!(sel.selects[0].keys[1].default);
        assert_eq!(sel.selects[0].keys[0].offset, src.find("one]").unwrap());
    }

    #[test]
    fn function_calls_keep_their_arguments() {
        let src = "m = { NUMBER($n, style: \"percent\") } { DATETIME(\"2026-02-30\") }\n";
        let parsed = parse_file(src, 0);
        let calls = &parsed.entries[0].value.as_ref().unwrap().calls;
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].name, "NUMBER");
        assert_eq!(calls[0].offset, src.find("NUMBER").unwrap());
        assert_eq!(calls[0].positional[0].kind, ArgKind::Variable("n".into()));
        assert_eq!(calls[0].named[0].0, "style");
        assert_eq!(
            calls[1].positional[0].kind,
            ArgKind::String("2026-02-30".into())
        );
        assert_eq!(calls[1].positional[0].offset, src.find("2026").unwrap());
    }

    #[test]
    fn plural_selects_have_one_definition() {
        let src = "a = { $n ->\n    [0] none\n    [one] one\n   *[other] many\n}\nb = { $g ->\n    [masculine] m\n   *[other] o\n}\nc = { -t.gender ->\n    [one] x\n   *[other] y\n}\nd = { $n ->\n    [0] a\n   *[1] b\n}\n";
        let parsed = parse_file(src, 0);
        let plural: Vec<bool> = parsed
            .entries
            .iter()
            .map(|e| e.value.as_ref().unwrap().selects[0].plural)
            .collect();
        assert_eq!(plural, [true, false, false, false]);
    }

    #[test]
    fn junk_is_reported_and_the_rest_kept() {
        let src = "ok = fine\nbad = }\nbad2 = fine too\nalso-ok = yes\n";
        let parsed = parse_file(src, 0);
        let ids: Vec<_> = parsed.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["ok", "bad2", "also-ok"]);
        assert_eq!(parsed.errors.len(), 1);
        let src = "a = }\nb = }\nc = ok\n";
        assert_eq!(parse_file(src, 0).errors.len(), 2);
    }
}
