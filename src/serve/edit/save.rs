//! Saving from the panel: `POST /__ftlsite/edit/save`.
//!
//! The body is a [`SaveRequest`]:
//!
//! ```json
//! { "locale": "zh-CN", "id": "privacy-hero-title", "value": "隐私", "attributes": [],
//!   "hash": "1f0c…-4213" }
//! ```
//!
//! `value` (or `null` to keep it) and `attributes` (`[{"name": "title", "value": "…"}]`) are
//! Fluent source as it follows `id =` or `.name =`; lines after the first are indented for the
//! translator when they are not already. `hash` is the file's [`file_hash`] from when the panel
//! opened.
//!
//! 1. The file is the one the panel was shown ([`entry`](super::entry)); if its bytes on disk
//!    no longer match `hash`, the answer is `409` with `"conflict": true` and nothing is
//!    written.
//! 2. The new text is made by the one writer, [`Document`]: the entry's value or attributes
//!    replaced, or a missing message inserted after the last of its source neighbours that the
//!    file has. Every other byte of the file stays as it was.
//! 3. The site is validated in memory with the new file, by the same code as `check`
//!    ([`check`](super::check))
//!    (`catalog::load` + `validate::run`). The save is refused (`422`) when any error lies in
//!    the entry or the edit causes an error that was not there before; missing translations
//!    (E201, E202) do not count, as in the preview. The problems are `check --format short`
//!    lines. Text the writer cannot take (an unbalanced `{`) is validated as it would be
//!    written, so its syntax error is reported at its file:line:col like any other.
//! 4. Otherwise the file is replaced atomically, the preview rebuilds it at once, and the
//!    answer is `200` with `"saved": true`, the new `hash`, the entry's line and the warnings
//!    found in the entry.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::check::{judge, refuse_unwritable};
use super::entry::mirror;
use super::{file_hash, is_identifier, json, json_error, line_of, Editor};
use crate::ftl::{Document, EditError};
use crate::serve::http::Response;
use crate::serve::Problem;
use crate::site::Site;

/// A save, as the panel sends it (see the module docs).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveRequest {
    /// The locale to write.
    pub locale: String,
    /// The message id.
    pub id: String,
    /// The new value, or `None` to keep the value.
    #[serde(default)]
    pub value: Option<String>,
    /// New attribute values, in source order.
    #[serde(default)]
    pub attributes: Vec<AttributeEdit>,
    /// The file's version tag when the panel opened.
    pub hash: String,
}

/// One attribute of a [`SaveRequest`].
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeEdit {
    /// The attribute's name.
    pub name: String,
    /// Its new Fluent source.
    pub value: String,
}

#[derive(Serialize)]
struct Saved {
    saved: bool,
    changed: bool,
    path: String,
    line: usize,
    hash: String,
    warnings: Vec<Problem>,
}

#[derive(Serialize)]
struct Refused {
    saved: bool,
    conflict: bool,
    problems: Vec<Problem>,
}

pub(super) fn refused(status: u16, conflict: bool, problems: Vec<Problem>) -> Response {
    json(
        status,
        &Refused {
            saved: false,
            conflict,
            problems,
        },
    )
}

/// What a save needs from the last good build.
struct Plan {
    site: Site,
    path: String,
    /// The ids before the message in its source file, in order.
    after: Vec<String>,
}

/// Answers the save request `body`.
pub fn answer(editor: &Editor, body: &[u8]) -> Response {
    let req: SaveRequest = match serde_json::from_slice(body) {
        Ok(r) => r,
        Err(e) => return json_error(400, &format!("invalid save request: {e}")),
    };
    let names_ok = is_identifier(&req.id) && req.attributes.iter().all(|a| is_identifier(&a.name));
    if !names_ok || (req.value.is_none() && req.attributes.is_empty()) {
        return json_error(400, "give a message id and a value or attributes to save");
    }
    let Ok(_one_at_a_time) = editor.saving.lock() else {
        return json_error(500, "a previous save failed");
    };
    let plan = match editor.with_loaded(|_, site, catalogs| plan(editor, site, catalogs, &req)) {
        Ok(Ok(p)) => p,
        Ok(Err(r)) | Err(r) => return r,
    };
    let disk = match resolve(editor.root(), &plan.site, &req.locale, &plan.path) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let current = match read(&disk) {
        Ok(c) => c,
        Err(e) => return json_error(500, &format!("cannot read {}: {e}", plan.path)),
    };
    if file_hash(current.as_deref()) != req.hash {
        return conflict(&plan.path);
    }
    let Some(text) = std::str::from_utf8(current.as_deref().unwrap_or_default()).ok() else {
        return json_error(422, &format!("{} is not UTF-8", plan.path));
    };
    let after: Vec<&str> = plan.after.iter().map(String::as_str).collect();
    let mut before = plan.site.clone();
    match &current {
        Some(bytes) => {
            before.files.insert(plan.path.clone(), bytes.clone());
        }
        None => {
            before.files.remove(&plan.path);
        }
    }
    let new = match apply(text, &req, &after) {
        Ok(new) => new,
        Err(e) => return refuse_unwritable(&before, &plan.path, text, &req, &after, &e),
    };
    if current.is_some() && new == text {
        return saved(&plan.path, &new, &req.id, false, Vec::new());
    }
    let mut with_edit = before.clone();
    with_edit
        .files
        .insert(plan.path.clone(), new.clone().into_bytes());
    let range = Document::parse(new.as_str())
        .range(&req.id)
        .unwrap_or(0..new.len());
    let (errors, warnings) = judge(&before, &with_edit, &plan.path, &req, range);
    if !errors.is_empty() {
        return refused(422, false, errors);
    }
    // The file may have changed while the edit was checked.
    if read(&disk).ok().flatten() != current {
        return conflict(&plan.path);
    }
    if let Err(e) = crate::output::replace_file(&disk, new.as_bytes()) {
        return json_error(500, &e.to_string());
    }
    editor.rebuilt(&plan.path);
    saved(&plan.path, &new, &req.id, true, warnings)
}

fn saved(path: &str, new: &str, id: &str, changed: bool, warnings: Vec<Problem>) -> Response {
    let doc = Document::parse(new);
    json(
        200,
        &Saved {
            saved: true,
            changed,
            path: path.to_string(),
            line: doc.entry_offset(id).map_or(0, |o| line_of(new, o)),
            hash: file_hash(Some(new.as_bytes())),
            warnings,
        },
    )
}

fn conflict(path: &str) -> Response {
    refused(
        409,
        true,
        vec![Problem {
            line: format!(
                "{path} changed on disk since this panel was opened; nothing was written"
            ),
            help: "reload the entry to see the file's current text, then make your change again"
                .into(),
        }],
    )
}

/// The file `req` writes and the source neighbours of the message, from the last good build.
fn plan(
    editor: &Editor,
    site: &Site,
    catalogs: &crate::catalog::Catalogs,
    req: &SaveRequest,
) -> Result<Plan, Response> {
    if req.locale == site.source.code {
        return Err(json_error(
            403,
            &format!("{} is the source locale and is not edited here", req.locale),
        ));
    }
    let Some(catalog) = catalogs.get(&req.locale) else {
        return Err(json_error(
            404,
            &format!("`{}` is not a target locale", req.locale),
        ));
    };
    let source = catalogs.get(&site.source.code);
    let source_entry = source.and_then(|c| c.message(&req.id).map(|e| (c, e)));
    let source_path = source_entry.map(|(c, e)| c.file_of(e).path.clone());
    let path = match (catalog.message(&req.id), &source_path) {
        (Some(e), _) => catalog.file_of(e).path.clone(),
        (None, Some(p)) => mirror(site, p, &req.locale)
            .ok_or_else(|| json_error(404, "no file for this locale"))?,
        (None, None) => {
            return Err(json_error(
                404,
                &format!("no message `{}` to translate", req.id),
            ))
        }
    };
    let after = source_path
        .and_then(|p| super::entry::disk_text(editor, site, &p))
        .map(|text| {
            Document::parse(text)
                .ids()
                .take_while(|id| *id != req.id)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Ok(Plan {
        site: site.clone(),
        path,
        after,
    })
}

/// The file on disk for `rel`, which must be a `.ftl` file of `locale`'s folder of the site,
/// inside the site folder once links are followed. Missing folders below the locale's folder
/// are created.
fn resolve(root: &Path, site: &Site, locale: &str, rel: &str) -> Result<PathBuf, Response> {
    let refuse = || {
        json_error(
            403,
            &format!("{rel}: the editor writes only the .ftl files of the served site"),
        )
    };
    let prefix = site.locale_prefix(locale);
    if !rel.starts_with(&prefix)
        || !rel.ends_with(".ftl")
        || crate::site::check_relative(rel).is_err()
    {
        return Err(refuse());
    }
    let folder = std::fs::canonicalize(root.join(prefix.trim_end_matches('/')))
        .map_err(|_| json_error(404, &format!("there is no folder {prefix}")))?;
    if !folder.starts_with(root) {
        return Err(refuse());
    }
    let full = root.join(rel);
    let parent = full.parent().ok_or_else(refuse)?;
    let mut existing = parent;
    while !existing.exists() {
        existing = existing.parent().ok_or_else(refuse)?;
    }
    let inside = |p: &Path| std::fs::canonicalize(p).is_ok_and(|c| c.starts_with(&folder));
    if !inside(existing) {
        return Err(refuse());
    }
    std::fs::create_dir_all(parent).map_err(|e| json_error(500, &e.to_string()))?;
    if full.exists() && !inside(&full) {
        return Err(refuse());
    }
    Ok(full)
}

/// The file's bytes, `None` when it does not exist.
fn read(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The translator's Fluent source as the writer takes it: CRLF as LF, blank lines and blanks
/// at both ends trimmed, and every line after the first indented by four spaces unless it is
/// already indented (a continuation line must be).
pub fn normalize(src: &str) -> String {
    let src = src.replace("\r\n", "\n");
    let mut out = String::with_capacity(src.len() + 16);
    for (i, line) in src.trim().lines().enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() && !line.starts_with([' ', '\t']) {
                out.push_str("    ");
            }
        }
        out.push_str(line.trim_end());
    }
    out
}

/// The Fluent source of a new message.
fn entry_source(id: &str, value: Option<&str>, attributes: &[AttributeEdit]) -> String {
    let mut src = format!("{id} =");
    if let Some(v) = value {
        src.push(' ');
        src.push_str(&normalize(v));
    }
    for a in attributes {
        src.push_str(&format!("\n    .{} = {}", a.name, normalize(&a.value)));
    }
    src
}

/// `text` with the edit of `req`: the entry's patterns replaced, or the message inserted
/// after the last of `after` the file has.
pub(super) fn apply(text: &str, req: &SaveRequest, after: &[&str]) -> Result<String, EditError> {
    let mut doc = Document::parse(text);
    if doc.entry_offset(&req.id).is_some() {
        if let Some(v) = &req.value {
            doc.replace_value(&req.id, &normalize(v))?;
        }
        for a in &req.attributes {
            doc.replace_attribute(&req.id, &a.name, &normalize(&a.value))?;
        }
    } else {
        let src = entry_source(&req.id, req.value.as_deref(), &req.attributes);
        doc.insert_after(after, &src)?;
    }
    Ok(doc.into_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_lines_are_indented_for_the_translator() {
        assert_eq!(normalize("  one  "), "one");
        assert_eq!(
            normalize("one\r\ntwo\n\n  three\n"),
            "one\n    two\n\n  three"
        );
        assert_eq!(
            normalize("{ $n ->\n[one] A\n*[other] B\n}"),
            "{ $n ->\n    [one] A\n    *[other] B\n    }"
        );
    }

    fn req(id: &str, value: &str) -> SaveRequest {
        SaveRequest {
            locale: "zh-CN".into(),
            id: id.into(),
            value: Some(value.into()),
            attributes: Vec::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn edits_change_one_entry_and_insert_after_the_neighbours() {
        let text = "# c\na = A\n\nc = C\n";
        assert_eq!(
            apply(text, &req("a", "甲"), &[]).unwrap(),
            "# c\na = 甲\n\nc = C\n"
        );
        assert_eq!(
            apply(text, &req("b", "乙\nline"), &["a"]).unwrap(),
            "# c\na = A\n\nb =\n    乙\n    line\n\nc = C\n"
        );
        assert!(matches!(
            apply(text, &req("a", "甲 {"), &[]),
            Err(EditError::Syntax { .. })
        ));
    }
}
