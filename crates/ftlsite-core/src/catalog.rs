//! Load stage: read every `.ftl` file of every locale, parse it, and keep for each entry what the
//! checks and the renderer need (id, position, variables, references, select keys, text).
//!
//! fluent-syntax's AST has no spans, so entries are parsed with `S = &str` and each position is
//! recovered from where the parsed slice sits inside the source ([`offset_in`]). A file that fails
//! to parse still yields every entry that did parse, plus one E101 per junk entry.

use std::collections::{BTreeMap, BTreeSet};

use std::sync::Arc;

use fluent_bundle::FluentResource;
use fluent_syntax::ast;
use fluent_syntax::parser;

use crate::diagnostics::{Code, Diagnostic};
use crate::site::{self, Site};

/// Stands in for a placeable in [`PatternInfo::text`].
pub const PLACEABLE: char = '\u{FFFC}';

/// One Fluent file of one locale.
#[derive(Clone, Debug)]
pub struct FtlFile {
    /// Site-relative path, e.g. `locales/zh-CN/privacy.ftl`.
    pub path: String,
    /// The parsed file, shared with the renderer's bundles so each file is parsed once. Its
    /// source is the file's text (empty when the file is not UTF-8).
    pub resource: Arc<FluentResource>,
}

impl FtlFile {
    /// The file's text, as parsed.
    pub fn text(&self) -> &str {
        self.resource.source()
    }
}

/// Message or term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    /// A message, `id = …`.
    Message,
    /// A term, `-id = …`.
    Term,
}

/// A variant key of a select expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantKey {
    /// The key as written.
    pub name: String,
    /// True for number literals (`[0]`), false for identifiers (`[one]`).
    pub numeric: bool,
    /// Marked default with `*`.
    pub default: bool,
    /// Byte offset of the key in the file.
    pub offset: usize,
}

/// A select expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectInfo {
    /// Byte offset of the selector.
    pub offset: usize,
    /// True when the selector is a variable or NUMBER(), so identifier keys are plural categories.
    pub numeric_selector: bool,
    /// The variants' keys in order.
    pub keys: Vec<VariantKey>,
}

/// What the checks need to know about one pattern (a value or an attribute).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatternInfo {
    /// Byte offset of the pattern's start in the file.
    pub offset: usize,
    /// All text elements, with [`PLACEABLE`] for each placeable (select variants concatenated).
    pub text: String,
    /// Like `text`, but string and number literal placeables (`{ "" }`, `{ "{" }`) are written
    /// out, so an empty or identical translation is seen as such.
    pub flat: String,
    /// `$variables` used anywhere in the pattern.
    pub variables: BTreeSet<String>,
    /// Referenced messages (`id` or `id.attr`).
    pub messages: BTreeSet<String>,
    /// Referenced terms (without the dash).
    pub terms: BTreeSet<String>,
    /// Called functions.
    pub functions: BTreeSet<String>,
    /// Select expressions, outermost first.
    pub selects: Vec<SelectInfo>,
}

/// A message or term of one locale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The id without the term dash.
    pub id: String,
    /// Message or term.
    pub kind: EntryKind,
    /// Index into [`Catalog::files`].
    pub file: usize,
    /// Byte offset of the id in the file.
    pub offset: usize,
    /// The value, if any.
    pub value: Option<PatternInfo>,
    /// Attributes in order: name and pattern.
    pub attributes: Vec<(String, PatternInfo)>,
    /// Byte offset where the entry's source ends (the start of the next entry's line, or the
    /// end of the file): `offset..end` is the entry as written, trailing comments included.
    pub end: usize,
}

impl Entry {
    /// The entry re-serialized by fluent-syntax without its comment and with its attributes
    /// sorted by name: value + attributes, insensitive to whitespace, comments and attribute
    /// order. The stale-translation fingerprint (W204) is taken from it. `text` is the text of
    /// the entry's file. Computed on demand: only `check` with a lock file needs it.
    pub fn normalized(&self, text: &str) -> String {
        let Some(slice) = text.get(self.offset..self.end) else {
            return String::new();
        };
        let resource = match parser::parse(slice) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        for entry in resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    return normalize(ast::Entry::Message(ast::Message {
                        attributes: sorted_attributes(&m.attributes),
                        comment: None,
                        ..m
                    }))
                }
                ast::Entry::Term(t) => {
                    return normalize(ast::Entry::Term(ast::Term {
                        attributes: sorted_attributes(&t.attributes),
                        comment: None,
                        ..t
                    }))
                }
                _ => {}
            }
        }
        String::new()
    }

    /// The entry's source as written in `text`, the text of its file.
    pub fn source<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.offset..self.end).unwrap_or("")
    }

    /// `id` for messages, `-id` for terms, as a translator writes it.
    pub fn display_id(&self) -> String {
        match self.kind {
            EntryKind::Message => self.id.clone(),
            EntryKind::Term => format!("-{}", self.id),
        }
    }

    /// The value and every attribute's pattern.
    pub fn patterns(&self) -> impl Iterator<Item = (Option<&str>, &PatternInfo)> {
        self.value
            .iter()
            .map(|p| (None, p))
            .chain(self.attributes.iter().map(|(n, p)| (Some(n.as_str()), p)))
    }
}

/// The key entries are stored under: kind first, so a term and a message may share a name.
pub type EntryKey = (EntryKind, String);

/// All entries of one locale.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    /// Locale code.
    pub locale: String,
    /// Files in path order.
    pub files: Vec<FtlFile>,
    /// Entries by key; the first definition wins, later ones are in `duplicates`.
    pub entries: BTreeMap<EntryKey, Entry>,
    /// Second and later definitions of an id.
    pub duplicates: Vec<Entry>,
}

impl Catalog {
    /// A message by id.
    pub fn message(&self, id: &str) -> Option<&Entry> {
        self.entries.get(&(EntryKind::Message, id.to_string()))
    }

    /// The file an entry lives in.
    pub fn file_of(&self, e: &Entry) -> &FtlFile {
        &self.files[e.file]
    }
}

/// Catalogs of every locale of a site, by locale code.
#[derive(Clone, Debug, Default)]
pub struct Catalogs {
    /// Catalog per locale code.
    pub locales: BTreeMap<String, Catalog>,
}

impl Catalogs {
    /// The catalog of a locale.
    pub fn get(&self, code: &str) -> Option<&Catalog> {
        self.locales.get(code)
    }
}

/// Reads and parses every locale of the site. Returns the catalogs and the E003/E101 findings.
pub fn load(site: &Site) -> (Catalogs, Vec<Diagnostic>) {
    // Files are decoded and parsed on all cores, then assembled in path order, so the result
    // does not depend on scheduling.
    let mut jobs: Vec<(&str, &String, &Vec<u8>)> = Vec::new();
    for locale in site.locales() {
        let prefix = site.locale_prefix(&locale.code);
        for (path, bytes) in site.files_under(&prefix) {
            if path.ends_with(".ftl") {
                jobs.push((locale.code.as_str(), path, bytes));
            }
        }
    }
    let parsed = parallel_map(&jobs, |&(locale, path, bytes)| {
        let (text, utf8) = match std::str::from_utf8(bytes) {
            Ok(t) => (t.to_string(), None),
            Err(e) => (
                String::new(),
                Some(site::utf8_diagnostic(path, bytes, &e).locale(locale)),
            ),
        };
        (utf8, parse_file(text, 0))
    });
    let mut diags = Vec::new();
    let mut catalogs = Catalogs::default();
    for locale in site.locales() {
        catalogs.locales.insert(
            locale.code.clone(),
            Catalog {
                locale: locale.code.clone(),
                ..Default::default()
            },
        );
    }
    for ((locale, path, _), (utf8, parsed)) in jobs.into_iter().zip(parsed) {
        let Some(catalog) = catalogs.locales.get_mut(locale) else {
            continue;
        };
        diags.extend(utf8);
        let index = catalog.files.len();
        for err in &parsed.errors {
            let msg = lower_first(&err.kind.to_string());
            diags.push(
                Diagnostic::new(Code::E101, msg)
                    .at(path, parsed.resource.source(), err.pos.clone())
                    .locale(locale)
                    .help(syntax_help(err)),
            );
        }
        catalog.files.push(FtlFile {
            path: path.clone(),
            resource: Arc::new(parsed.resource),
        });
        for mut entry in parsed.entries {
            entry.file = index;
            match catalog.entries.entry((entry.kind, entry.id.clone())) {
                std::collections::btree_map::Entry::Occupied(_) => catalog.duplicates.push(entry),
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(entry);
                }
            }
        }
    }
    (catalogs, diags)
}

/// Maps `f` over `items` on up to `available_parallelism` scoped threads, keeping order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    if threads < 2 || items.len() < 16 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            match h.join() {
                Ok(v) => out.extend(v),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn syntax_help(err: &parser::ParserError) -> String {
    use parser::ErrorKind as K;
    match &err.kind {
        K::ExpectedToken('=') => "a message is written `id = value`".into(),
        K::ExpectedToken('}') => {
            "close the placeable with `}`; a literal brace is written { \"{\" }".into()
        }
        K::ExpectedCharRange { .. } => {
            "ids start with a letter and use only a-z, A-Z, 0-9, `-` and `_`".into()
        }
        K::MissingDefaultVariant => {
            "mark one variant as the default with `*`, e.g. `*[other]`".into()
        }
        K::MissingValue => "give the message a value, or at least one attribute".into(),
        K::UnterminatedStringLiteral => {
            "close the string literal with `\"` on the same line".into()
        }
        _ => "correct the marked line; the whole entry is ignored until it parses".into(),
    }
}

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
pub fn parse_file(text: impl Into<String>, file: usize) -> ParsedFile {
    let (resource, errors) = match FluentResource::try_new(text.into()) {
        Ok(r) => (r, Vec::new()),
        Err((r, e)) => (r, e),
    };
    let text = resource.source();
    let mut entries = Vec::new();
    for entry in resource.entries() {
        match entry {
            ast::Entry::Message(m) => entries.push(Entry {
                id: m.id.name.to_string(),
                kind: EntryKind::Message,
                file,
                offset: offset_in(text, m.id.name).unwrap_or(0),
                value: m.value.as_ref().map(|p| pattern_info(text, p)),
                attributes: m
                    .attributes
                    .iter()
                    .map(|a| (a.id.name.to_string(), pattern_info(text, &a.value)))
                    .collect(),
                end: entry_end(text, offset_in(text, m.id.name).unwrap_or(0)),
            }),
            ast::Entry::Term(t) => entries.push(Entry {
                id: t.id.name.to_string(),
                kind: EntryKind::Term,
                file,
                offset: offset_in(text, t.id.name)
                    .map(|o| o.saturating_sub(1))
                    .unwrap_or(0),
                value: Some(pattern_info(text, &t.value)),
                attributes: t
                    .attributes
                    .iter()
                    .map(|a| (a.id.name.to_string(), pattern_info(text, &a.value)))
                    .collect(),
                end: entry_end(text, offset_in(text, t.id.name).unwrap_or(0)),
            }),
            _ => {}
        }
    }
    ParsedFile {
        entries,
        errors,
        resource,
    }
}

fn sorted_attributes<'s>(attrs: &[ast::Attribute<&'s str>]) -> Vec<ast::Attribute<&'s str>> {
    let mut attrs = attrs.to_vec();
    attrs.sort_by(|a, b| a.id.name.cmp(b.id.name));
    attrs
}

/// Where the entry starting at `start` ends: at the next line that begins an entry (a letter,
/// `-` or `#` in column 0: Fluent's grammar makes every continuation line of a pattern start
/// with a blank, `.`, `[`, `*` or `}`), or at the end of the text.
fn entry_end(text: &str, start: usize) -> usize {
    let mut pos = text[start.min(text.len())..]
        .find('\n')
        .map(|i| start + i + 1)
        .unwrap_or(text.len());
    while pos < text.len() {
        let b = text.as_bytes()[pos];
        if b.is_ascii_alphabetic() || b == b'-' || b == b'#' {
            return pos;
        }
        pos = text[pos..]
            .find('\n')
            .map(|i| pos + i + 1)
            .unwrap_or(text.len());
    }
    text.len()
}

/// One entry as fluent-syntax serializes it (see [`Entry::normalized`]).
fn normalize(entry: ast::Entry<&str>) -> String {
    fluent_syntax::serializer::serialize(&ast::Resource { body: vec![entry] })
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
            let numeric_selector = matches!(
                selector,
                ast::InlineExpression::VariableReference { .. }
                    | ast::InlineExpression::NumberLiteral { .. }
            ) || matches!(selector, ast::InlineExpression::FunctionReference { id, .. } if id.name == "NUMBER");
            let mut sel = SelectInfo {
                offset: inline_offset(src, selector).unwrap_or(0),
                numeric_selector,
                keys: Vec::new(),
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
        | I::TermReference { id, .. }
        | I::VariableReference { id } => offset_in(src, id.name),
        I::Placeable { expression } => match expression.as_ref() {
            ast::Expression::Inline(i) => inline_offset(src, i),
            ast::Expression::Select { selector, .. } => inline_offset(src, selector),
        },
    }
}

fn walk_inline(src: &str, i: &ast::InlineExpression<&str>, info: &mut PatternInfo) {
    use ast::InlineExpression as I;
    if let Some(o) = inline_offset(src, i) {
        info.offset = info.offset.min(o);
    }
    match i {
        I::StringLiteral { .. } | I::NumberLiteral { .. } => {}
        I::FunctionReference { id, arguments } => {
            info.functions.insert(id.name.to_string());
            walk_args(src, arguments, info);
        }
        I::MessageReference { id, attribute } => {
            let name = match attribute {
                Some(a) => format!("{}.{}", id.name, a.name),
                None => id.name.to_string(),
            };
            info.messages.insert(name);
        }
        I::TermReference { id, arguments, .. } => {
            info.terms.insert(id.name.to_string());
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

fn walk_args(src: &str, args: &ast::CallArguments<&str>, info: &mut PatternInfo) {
    for a in &args.positional {
        walk_inline(src, a, info);
    }
    for n in &args.named {
        walk_inline(src, &n.value, info);
    }
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
        assert_eq!(hello.attributes[0].0, "alt");
        let brand = &parsed.entries[1];
        assert_eq!(brand.kind, EntryKind::Term);
        assert_eq!(brand.offset, src.find("-brand =").unwrap());
        let sel = parsed.entries[2].value.as_ref().unwrap();
        assert_eq!(sel.selects.len(), 1);
        assert!(sel.selects[0].numeric_selector);
        assert_eq!(sel.selects[0].keys[1].name, "other");
        assert!(sel.selects[0].keys[1].default);
        assert_eq!(sel.selects[0].keys[0].offset, src.find("one]").unwrap());
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
