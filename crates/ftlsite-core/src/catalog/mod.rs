//! Load stage: read every `.ftl` file of every locale, parse it, and keep for each entry what the
//! checks and the renderer need (id, position, variables, references, calls, select keys, text).
//!
//! A file that fails to parse still yields every entry that did parse, plus one E101 per junk
//! entry. Before parsing, a leading BOM is set aside (as Fluent tools do) and entries nested
//! deeper than [`nesting::MAX_NESTING`] are refused (E102), so no input can overflow the stack.

pub mod nesting;
mod parse;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use fluent_bundle::FluentResource;
use fluent_syntax::ast;
use fluent_syntax::parser;
use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::site::{self, Site};
pub use parse::{is_plural_select, offset_in, parse_file, referenced_ids, ParsedFile};

/// Stands in for a placeable in [`PatternInfo::text`].
pub const PLACEABLE: char = '\u{FFFC}';

/// One Fluent file of one locale.
#[derive(Clone, Debug)]
pub struct FtlFile {
    /// Site-relative path, e.g. `locales/zh-CN/privacy.ftl`.
    pub path: String,
    /// The file's id in the site's source map.
    pub id: FileId,
    /// Bytes of the file before the parsed text (3 when a BOM was set aside): offsets into
    /// [`FtlFile::text`] plus `base` are offsets into the file.
    pub base: usize,
    /// The parsed file, shared with the renderer's bundles so each file is parsed once. Its
    /// source is the file's text without a BOM, with entries refused by the nesting guard
    /// blanked out (empty when the file is not UTF-8).
    pub resource: Arc<FluentResource>,
}

impl FtlFile {
    /// The file's text, as parsed.
    pub fn text(&self) -> &str {
        self.resource.source()
    }

    /// Places a diagnostic at a byte range of [`FtlFile::text`].
    pub fn place(&self, d: Diagnostic, span: Range<usize>) -> Diagnostic {
        d.at(self.id, span.start + self.base..span.end + self.base)
    }
}

/// Message or term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// True when its variants are chosen by plural category ([`is_plural_select`]).
    pub plural: bool,
    /// The variants' keys in order.
    pub keys: Vec<VariantKey>,
}

/// A reference from a pattern to a message (`id`, `id.attr`) or a term (`-id`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// Message or term.
    pub kind: EntryKind,
    /// The id, without the term dash.
    pub id: String,
    /// The attribute, for `id.attr` and `-id.attr`.
    pub attribute: Option<String>,
    /// Byte offset of the reference (of the dash for terms).
    pub offset: usize,
    /// Length of the reference as written (`-id.attr`).
    pub len: usize,
}

/// What a function argument is, as far as the checks can tell without formatting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// A string literal, its content.
    String(String),
    /// A number literal, as written.
    Number(String),
    /// A `$variable`.
    Variable(String),
    /// Anything else (a reference, a nested call).
    Other,
}

/// One function argument with its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arg {
    /// What it is.
    pub kind: ArgKind,
    /// Byte offset.
    pub offset: usize,
    /// Length as written.
    pub len: usize,
}

/// A function call in a pattern, `NUMBER($n, style: "percent")`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionCall {
    /// The function's name.
    pub name: String,
    /// Byte offset of the name.
    pub offset: usize,
    /// Positional arguments.
    pub positional: Vec<Arg>,
    /// Named arguments.
    pub named: Vec<(String, Arg)>,
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
    /// Every message and term reference, in source order, with its place.
    pub refs: Vec<Reference>,
    /// Called functions.
    pub functions: BTreeSet<String>,
    /// Every function call, in source order, with its arguments.
    pub calls: Vec<FunctionCall>,
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

    /// The pattern named `attr` (`None`: the value).
    pub fn pattern(&self, attr: Option<&str>) -> Option<&PatternInfo> {
        match attr {
            None => self.value.as_ref(),
            Some(a) => self.attributes.iter().find(|(n, _)| n == a).map(|(_, p)| p),
        }
    }
}

fn sorted_attributes<'s>(attrs: &[ast::Attribute<&'s str>]) -> Vec<ast::Attribute<&'s str>> {
    let mut attrs = attrs.to_vec();
    attrs.sort_by(|a, b| a.id.name.cmp(b.id.name));
    attrs
}

/// One entry as fluent-syntax serializes it (see [`Entry::normalized`]).
fn normalize(entry: ast::Entry<&str>) -> String {
    fluent_syntax::serializer::serialize(&ast::Resource { body: vec![entry] })
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

    /// A term by id (without the dash).
    pub fn term(&self, id: &str) -> Option<&Entry> {
        self.entries.get(&(EntryKind::Term, id.to_string()))
    }

    /// The file an entry lives in.
    pub fn file_of(&self, e: &Entry) -> &FtlFile {
        &self.files[e.file]
    }

    /// Every entry, first definitions and duplicates.
    pub fn all_entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values().chain(self.duplicates.iter())
    }

    /// Places a diagnostic at a byte range of an entry's file, naming the locale and the id.
    pub fn at(&self, d: Diagnostic, e: &Entry, span: Range<usize>) -> Diagnostic {
        self.file_of(e)
            .place(d, span)
            .locale(&self.locale)
            .key(e.display_id())
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

/// One file's parse, before it is assembled into its catalog.
struct Loaded {
    base: usize,
    diags: Vec<Diagnostic>,
    parsed: ParsedFile,
}

/// Decodes, guards and parses one file.
fn load_file(id: FileId, locale: &str, bytes: &[u8]) -> Loaded {
    let mut diags = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            diags.push(site::utf8_diagnostic(id, &e).locale(locale));
            ""
        }
    };
    let (base, text) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (3, rest),
        None => (0, text),
    };
    let deep = nesting::too_deep(text);
    let text = if deep.is_empty() {
        text.to_string()
    } else {
        for d in &deep {
            diags.push(
                Diagnostic::new(
                    Code::E102,
                    format!(
                        "placeables are nested more than {} levels deep; the entry is ignored",
                        nesting::MAX_NESTING
                    ),
                )
                .at(id, d.at + base..d.at + base + 1)
                .locale(locale)
                .help("write the text with less nesting; a literal brace is written { \"{\" }"),
            );
        }
        let ranges: Vec<Range<usize>> = deep.into_iter().map(|d| d.entry).collect();
        nesting::blank(text, &ranges)
    };
    let parsed = parse_file(text, 0);
    for err in &parsed.errors {
        let msg = lower_first(&err.kind.to_string());
        diags.push(
            Diagnostic::new(Code::E101, msg)
                .at(id, err.pos.start + base..err.pos.end + base)
                .locale(locale)
                .help(syntax_help(err)),
        );
    }
    Loaded {
        base,
        diags,
        parsed,
    }
}

/// Reads and parses every locale of the site. Returns the catalogs and the E003/E101/E102
/// findings. Files are parsed on all cores, then assembled in path order, so the result does
/// not depend on scheduling.
pub fn load(site: &Site) -> (Catalogs, Vec<Diagnostic>) {
    let mut jobs: Vec<(&str, FileId, &str, &[u8])> = Vec::new();
    let prefixes: Vec<(String, &str)> = site
        .locales()
        .map(|l| (site.locale_prefix(&l.code), l.code.as_str()))
        .collect();
    for (prefix, code) in &prefixes {
        for (id, path, bytes) in site.files_under(prefix) {
            if path.ends_with(".ftl") {
                jobs.push((code, id, path, bytes));
            }
        }
    }
    let parsed: Vec<Loaded> = jobs
        .par_iter()
        .map(|&(locale, id, _, bytes)| load_file(id, locale, bytes))
        .collect();
    // Each locale's files, in job order (locale, then path), assembled on all cores.
    let mut per_locale: Vec<(&str, LocaleFiles<'_>)> = site
        .locales()
        .map(|l| (l.code.as_str(), Vec::new()))
        .collect();
    for ((locale, id, path, _), loaded) in jobs.into_iter().zip(parsed) {
        if let Some((_, files)) = per_locale.iter_mut().find(|(code, _)| *code == locale) {
            files.push((id, path, loaded));
        }
    }
    let assembled: Vec<(Catalog, Vec<Diagnostic>)> = per_locale
        .into_par_iter()
        .map(|(code, files)| assemble(code, files))
        .collect();
    let mut diags = Vec::new();
    let mut catalogs = Catalogs::default();
    for (catalog, d) in assembled {
        diags.extend(d);
        catalogs.locales.insert(catalog.locale.clone(), catalog);
    }
    (catalogs, diags)
}

/// One locale's parsed files, in path order, with their ids and paths.
type LocaleFiles<'a> = Vec<(FileId, &'a str, Loaded)>;

/// One locale's catalog from its parsed files. The first definition of a key wins and later
/// ones are kept as duplicates, in definition order. The map is built at once from the sorted
/// entries instead of by one insertion each: entries are large, and inserting moves them.
fn assemble(locale: &str, files: LocaleFiles<'_>) -> (Catalog, Vec<Diagnostic>) {
    let mut catalog = Catalog {
        locale: locale.to_string(),
        ..Default::default()
    };
    let mut diags = Vec::new();
    let mut all: Vec<Option<Entry>> = Vec::new();
    for (id, path, loaded) in files {
        diags.extend(loaded.diags);
        let index = catalog.files.len();
        catalog.files.push(FtlFile {
            path: path.to_string(),
            id,
            base: loaded.base,
            resource: Arc::new(loaded.parsed.resource),
        });
        all.extend(loaded.parsed.entries.into_iter().map(|mut e| {
            e.file = index;
            Some(e)
        }));
    }
    let key = |i: usize| all[i].as_ref().map(|e| (e.kind, e.id.as_str()));
    let mut order: Vec<usize> = (0..all.len()).collect();
    // Stable: among equal keys, definition order stays, so the first is the one kept.
    order.sort_by(|&a, &b| key(a).cmp(&key(b)));
    let mut firsts = Vec::with_capacity(order.len());
    let mut later = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        if k > 0 && key(order[k - 1]) == key(i) {
            later.push(i);
        } else {
            firsts.push(i);
        }
    }
    later.sort_unstable();
    catalog.entries = firsts
        .into_iter()
        .filter_map(|i| all[i].take())
        .map(|e| ((e.kind, e.id.clone()), e))
        .collect();
    catalog.duplicates = later.into_iter().filter_map(|i| all[i].take()).collect();
    (catalog, diags)
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
