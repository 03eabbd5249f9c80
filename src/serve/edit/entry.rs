//! What the panel shows when it opens: `GET /__ftlsite/edit/entry?locale=L&id=ID`.
//!
//! `ID` is a message id, or `id.attr` for one attribute. The answer is [`EntryInfo`] as JSON:
//!
//! ```json
//! {
//!   "id": "data-types-count", "attribute": null, "locale": "zh-CN", "direction": "ltr",
//!   "editable": true, "readonly_reason": null, "missing": false,
//!   "file": { "path": "locales/zh-CN/privacy.ftl", "line": 28, "exists": true,
//!             "hash": "1f0c…-4213" },
//!   "source": { "locale": "en-US", "path": "locales/en-US/privacy.ftl", "line": 40,
//!               "resource_comment": "…", "group_comment": "…",
//!               "comment": "Short lead-in of the section. $count is …" },
//!   "patterns": [ { "attribute": null, "source": "{ $count ->\n…", "translation": "{ $count ->\n…",
//!                   "variables": ["count"], "references": [] } ],
//!   "selects": [ { "index": 0, "selector": "$count", "plural": true,
//!                  "keys": [ { "name": "other", "default": true } ] } ],
//!   "plural_categories": ["other"]
//! }
//! ```
//!
//! - `file` is where a save writes: the file defining the translation, or for a missing one
//!   (`missing: true`, `line: 0`) the locale's file mirroring the source file, which may not
//!   exist yet (`exists: false`, `hash: "absent"`). `hash` goes back with the save.
//! - `patterns` are what the panel edits, as Fluent source (selectors and markup included):
//!   the pattern asked for, or for a missing message every pattern of the source (its value
//!   and each attribute), since a translation is inserted whole. `translation` is `null` when
//!   there is none yet.
//! - `selects` are those of the pattern asked for, as the page formats it (the translation, or
//!   the fallback text when missing): what the variant preview can force.
//! - Files are read from disk when the panel opens, so the text shown is the text a save
//!   replaces. The source locale, pseudo-locales (the source's text, in their direction) and
//!   files that are not UTF-8 are shown read-only.

use serde::Serialize;

use super::variant::{selects, SelectView};
use super::{file_hash, json, json_error, line_of, query_value, split_id, Editor};
use crate::catalog::{Catalogs, Entry, PatternInfo};
use crate::ftl::Document;
use crate::render::localize::{direction, fallback_chain};
use crate::serve::http::Response;
use crate::site::Site;

/// The panel's view of one message in one locale (see the module docs).
#[derive(Debug, Serialize)]
pub struct EntryInfo {
    /// The message id.
    pub id: String,
    /// The attribute asked for, if any.
    pub attribute: Option<String>,
    /// The locale of the page.
    pub locale: String,
    /// `ltr` or `rtl`, for the text fields.
    pub direction: &'static str,
    /// Whether a save may write this locale.
    pub editable: bool,
    /// Why not, when it may not.
    pub readonly_reason: Option<String>,
    /// True when the locale has no translation: the page shows fallback text.
    pub missing: bool,
    /// Where a save writes.
    pub file: FileInfo,
    /// The source locale's message.
    pub source: SourceInfo,
    /// The patterns to edit.
    pub patterns: Vec<PatternSlot>,
    /// The select expressions of the pattern asked for.
    pub selects: Vec<SelectView>,
    /// The locale's CLDR plural categories.
    pub plural_categories: Vec<&'static str>,
}

/// The file a save writes.
#[derive(Debug, Serialize)]
pub struct FileInfo {
    /// Site-relative path.
    pub path: String,
    /// 1-based line of the entry's id; 0 for a new entry.
    pub line: usize,
    /// Whether the file exists.
    pub exists: bool,
    /// The version tag of its bytes ([`file_hash`]).
    pub hash: String,
}

/// The source message and what a translator needs to know about it.
#[derive(Debug, Default, Serialize)]
pub struct SourceInfo {
    /// The source locale.
    pub locale: String,
    /// Its file, empty when the source has no such message (an obsolete translation).
    pub path: String,
    /// 1-based line of its id, 0 when absent.
    pub line: usize,
    /// The file's `###` comment.
    pub resource_comment: Option<String>,
    /// The `##` comment of the group the message is in.
    pub group_comment: Option<String>,
    /// The `#` comment attached to the message.
    pub comment: Option<String>,
}

/// One pattern to edit.
#[derive(Debug, Serialize)]
pub struct PatternSlot {
    /// `None` for the value, else the attribute's name.
    pub attribute: Option<String>,
    /// The source's Fluent source of this pattern, if the source has it.
    pub source: Option<String>,
    /// The translation's Fluent source of this pattern, if there is one.
    pub translation: Option<String>,
    /// The `$variables` the source uses.
    pub variables: Vec<String>,
    /// The messages and terms the source refers to (terms with their `-`).
    pub references: Vec<String>,
}

/// Answers the entry request.
pub fn answer(editor: &Editor, query: &str) -> Response {
    let (Some(locale), Some(id)) = (query_value(query, "locale"), query_value(query, "id")) else {
        return json_error(400, "give locale= and id=");
    };
    let Some((msg, attr)) = split_id(&id) else {
        return json_error(400, "id must be a message id, or id.attribute");
    };
    let found = editor.with_loaded(|builder, site, catalogs| {
        let pseudo = builder.options().pseudo.iter().find(|p| p.code() == locale);
        match pseudo {
            Some(p) => pseudo_info(editor, site, catalogs, p.code(), msg, attr),
            None => info(editor, site, catalogs, &locale, msg, attr),
        }
    });
    match found {
        Ok(Ok(info)) => json(200, &info),
        Ok(Err(refused)) | Err(refused) => refused,
    }
}

/// The comments around message `id` in a Fluent `text`.
fn comments(text: &str, id: &str) -> (Option<String>, Option<String>, Option<String>) {
    use fluent_syntax::ast;
    let resource = match fluent_syntax::parser::parse(text) {
        Ok(r) | Err((r, _)) => r,
    };
    let join = |c: &ast::Comment<&str>| Some(c.content.join("\n")).filter(|s| !s.is_empty());
    let mut file = None;
    let mut group = None;
    for entry in &resource.body {
        match entry {
            ast::Entry::ResourceComment(c) => file = join(c),
            ast::Entry::GroupComment(c) => group = join(c),
            ast::Entry::Message(m) if m.id.name == id => {
                return (file, group, m.comment.as_ref().and_then(join));
            }
            _ => {}
        }
    }
    (file, None, None)
}

/// The text of a site file as it is on disk now (the build's copy when it cannot be read).
pub(super) fn disk_text(editor: &Editor, site: &Site, path: &str) -> Option<String> {
    match std::fs::read(editor.root().join(path)) {
        Ok(bytes) => String::from_utf8(bytes).ok(),
        Err(_) => site.text(path).map(str::to_string),
    }
}

/// The source-locale file a missing translation mirrors: `locales/en-US/a/b.ftl` →
/// `locales/zh-CN/a/b.ftl`.
pub(super) fn mirror(site: &Site, source_path: &str, locale: &str) -> Option<String> {
    let rest = source_path.strip_prefix(&site.locale_prefix(&site.source.code))?;
    Some(format!("{}{rest}", site.locale_prefix(locale)))
}

fn names(p: Option<&PatternInfo>) -> (Vec<String>, Vec<String>) {
    let Some(p) = p else {
        return (Vec::new(), Vec::new());
    };
    let vars = p.variables.iter().cloned().collect();
    let refs = p
        .messages
        .iter()
        .cloned()
        .chain(p.terms.iter().map(|t| format!("-{t}")))
        .collect();
    (vars, refs)
}

/// Builds the [`EntryInfo`] of `msg` (`attr`) in `locale`.
fn info(
    editor: &Editor,
    site: &Site,
    catalogs: &Catalogs,
    locale: &str,
    msg: &str,
    attr: Option<&str>,
) -> Result<EntryInfo, Response> {
    let Some(lang) = site.locales().find(|l| l.code == locale) else {
        return Err(json_error(
            404,
            &format!("`{locale}` is not a locale of the site (pseudo-locales are derived from the source and cannot be edited)"),
        ));
    };
    let source_code = &site.source.code;
    let source_catalog = catalogs.get(source_code);
    let source_entry = source_catalog.and_then(|c| c.message(msg));
    let own = catalogs
        .get(locale)
        .and_then(|c| c.message(msg).map(|e| (c, e)));
    let (path, exists_in_catalog) = match (own, source_entry.zip(source_catalog)) {
        (Some((c, e)), _) => (c.file_of(e).path.clone(), true),
        (None, Some((e, c))) => match mirror(site, &c.file_of(e).path, locale) {
            Some(p) => (p, false),
            None => return Err(json_error(404, "no file for this locale")),
        },
        (None, None) => {
            return Err(json_error(
                404,
                &format!("no message `{msg}` in {locale} or {source_code}"),
            ))
        }
    };

    let mut source = SourceInfo {
        locale: source_code.clone(),
        ..Default::default()
    };
    let source_doc = match source_entry.zip(source_catalog) {
        Some((e, c)) => {
            let p = c.file_of(e).path.clone();
            let text = disk_text(editor, site, &p).unwrap_or_default();
            let (file, group, comment) = comments(&text, msg);
            let doc = Document::parse(text);
            source.line = doc.entry_offset(msg).map_or(0, |o| line_of(doc.text(), o));
            source.path = p;
            (
                source.resource_comment,
                source.group_comment,
                source.comment,
            ) = (file, group, comment);
            Some(doc)
        }
        None => None,
    };

    let bytes = std::fs::read(editor.root().join(&path)).ok();
    let hash = file_hash(bytes.as_deref());
    let text = bytes.as_ref().map(|b| std::str::from_utf8(b));
    let utf8 = !matches!(text, Some(Err(_)));
    let doc = match text {
        Some(Ok(t)) => Document::parse(t),
        _ => Document::parse(""),
    };
    let exists_on_disk = doc.entry_offset(msg).is_some();
    let missing = !exists_in_catalog && !exists_on_disk;

    let slot = |a: Option<&str>, with_translation: bool| {
        let (variables, references) = names(source_entry.and_then(|e| e.pattern(a)));
        PatternSlot {
            attribute: a.map(str::to_string),
            source: source_doc
                .as_ref()
                .and_then(|d| d.pattern_source(msg, a))
                .map(str::to_string),
            translation: with_translation
                .then(|| doc.pattern_source(msg, a).map(str::to_string))
                .flatten(),
            variables,
            references,
        }
    };
    let patterns = match (missing, source_entry) {
        (true, Some(e)) => e.patterns().map(|(a, _)| slot(a, false)).collect(),
        _ => vec![slot(attr, true)],
    };

    let (editable, readonly_reason) = if locale == source_code {
        (
            false,
            Some(format!("{locale} is the source locale: edit its files in your editor, then translate the changes")),
        )
    } else if !utf8 {
        (false, Some(format!("{path} is not UTF-8")))
    } else {
        (true, None)
    };

    Ok(EntryInfo {
        id: msg.to_string(),
        attribute: attr.map(str::to_string),
        locale: locale.to_string(),
        direction: direction(&lang.id),
        editable,
        readonly_reason,
        missing,
        file: FileInfo {
            line: doc.entry_offset(msg).map_or(0, |o| line_of(doc.text(), o)),
            path,
            exists: bytes.is_some(),
            hash,
        },
        source,
        patterns,
        selects: rendered_selects(editor, site, catalogs, lang, msg, attr),
        plural_categories: crate::intl::plural_categories(&lang.id),
    })
}

/// The view of a pseudo-locale's page: the source message, read-only, in the pseudo-locale's
/// direction (its text is derived from the source at build time).
fn pseudo_info(
    editor: &Editor,
    site: &Site,
    catalogs: &Catalogs,
    code: &str,
    msg: &str,
    attr: Option<&str>,
) -> Result<EntryInfo, Response> {
    let mut info = info(editor, site, catalogs, &site.source.code, msg, attr)?;
    let rtl = code
        .parse::<unic_langid::LanguageIdentifier>()
        .is_ok_and(|id| crate::intl::is_rtl(&id));
    info.locale = code.to_string();
    info.direction = if rtl { "rtl" } else { "ltr" };
    info.editable = false;
    info.readonly_reason = Some(format!(
        "{code} is a pseudo-locale made from {} when the site is built: edit the source text, or a real locale",
        site.source.code
    ));
    Ok(info)
}

/// The selects of the text the page shows for `msg`: the first locale of the fallback chain
/// that has it, read from disk.
fn rendered_selects(
    editor: &Editor,
    site: &Site,
    catalogs: &Catalogs,
    lang: &crate::site::Locale,
    msg: &str,
    attr: Option<&str>,
) -> Vec<SelectView> {
    fallback_chain(site, lang)
        .iter()
        .find_map(|code| {
            let catalog = catalogs.get(code)?;
            let entry: &Entry = catalog.message(msg)?;
            disk_text(editor, site, &catalog.file_of(entry).path)
        })
        .map(|text| selects(&text, msg, attr))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_of_the_file_the_group_and_the_entry() {
        let text = "### File\n\n## Group\n\n# About a\na = A\n\n##\n\nb = B\n";
        assert_eq!(
            comments(text, "a"),
            (
                Some("File".into()),
                Some("Group".into()),
                Some("About a".into())
            )
        );
        assert_eq!(comments(text, "b"), (Some("File".into()), None, None));
        assert_eq!(comments(text, "c"), (Some("File".into()), None, None));
    }
}
