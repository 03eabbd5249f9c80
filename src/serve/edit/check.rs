//! Whether an edit may be written: the site validated in memory with the edited file, by the
//! same code as `check`, and the findings that refuse it.

use std::collections::BTreeSet;
use std::ops::Range;

use super::save::{apply, normalize, refused, AttributeEdit, SaveRequest};
use crate::diagnostics::Diagnostic;
use crate::ftl::{Document, EditError};
use crate::serve::builder::is_missing;
use crate::serve::http::Response;
use crate::serve::Problem;
use crate::site::Site;

/// Every finding of `check` on `site`, missing translations left out.
fn findings(site: &Site) -> Vec<Diagnostic> {
    let (catalogs, load) = crate::catalog::load(site);
    let mut all = crate::validate::run(site, &catalogs, load).diagnostics;
    all.retain(|d| !is_missing(d));
    all
}

/// The errors that refuse the edit, and the warnings in the entry: errors and warnings of
/// `after` in the entry (`range` of `path`, or naming the message in the locale), plus errors
/// of `after` that `before` does not have.
pub(super) fn judge(
    before: &Site,
    after: &Site,
    path: &str,
    req: &SaveRequest,
    range: Range<usize>,
) -> (Vec<Problem>, Vec<Problem>) {
    let found = findings(after);
    let file = after.files.id(path);
    let in_entry = |d: &Diagnostic| {
        (d.locale.as_deref() == Some(req.locale.as_str())
            && d.key.as_deref() == Some(req.id.as_str()))
            || (d.file.is_some()
                && d.file == file
                && d.span
                    .as_ref()
                    .is_some_and(|s| s.start < range.end && range.start <= s.start))
    };
    let (errors, warnings): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        found.iter().partition(|d| d.is_error());
    let mut refuse: Vec<&Diagnostic> = errors.iter().copied().filter(|d| in_entry(d)).collect();
    if errors.len() > refuse.len() {
        let key = |d: &Diagnostic, site: &Site| {
            let p = d.file.map(|f| site.files.path(f).to_string());
            (
                d.code,
                d.locale.clone(),
                d.key.clone(),
                p,
                d.message.clone(),
            )
        };
        let old: BTreeSet<_> = findings(before).iter().map(|d| key(d, before)).collect();
        refuse.extend(
            errors
                .iter()
                .filter(|d| !in_entry(d) && !old.contains(&key(d, after))),
        );
    }
    let show = |ds: Vec<&Diagnostic>| {
        ds.into_iter()
            .map(|d| Problem::new(d, &after.files))
            .collect()
    };
    (
        show(refuse),
        show(warnings.into_iter().filter(|d| in_entry(d)).collect()),
    )
}

/// The refusal of an edit the writer would not take: the raw text is placed where the writer
/// would have put it and validated like a written file, so a syntax error is reported as
/// `check` reports it; if that finds nothing, the writer's reason is shown.
pub(super) fn refuse_unwritable(
    before: &Site,
    path: &str,
    text: &str,
    req: &SaveRequest,
    after: &[&str],
    e: &EditError,
) -> Response {
    let mut problems = Vec::new();
    if let Some((raw, range)) = raw_text(text, req, after) {
        let mut with_edit = before.clone();
        with_edit.files.insert(path.to_string(), raw.into_bytes());
        problems = judge(before, &with_edit, path, req, range).0;
    }
    if problems.is_empty() {
        problems.push(Problem {
            line: format!("{path}: error: {e} [{}]", req.locale),
            help: "write the text as Fluent: a literal brace is { \"{\" }, lines after the first are indented".into(),
        });
    }
    refused(422, false, problems)
}

/// `text` with `req`'s Fluent source put in unchecked where the writer would put it, and the
/// range of the entry in it: the edit is made with placeholder words, which are then replaced
/// by the translator's source.
fn raw_text(text: &str, req: &SaveRequest, after: &[&str]) -> Option<(String, Range<usize>)> {
    let mut stem = String::from("ftlsiteplaceholder");
    while text.contains(&stem) {
        stem.push('x');
    }
    let word = |i: usize| format!("{stem}{i}z");
    let stand_in = SaveRequest {
        value: req.value.as_ref().map(|_| word(0)),
        attributes: req
            .attributes
            .iter()
            .enumerate()
            .map(|(i, a)| AttributeEdit {
                name: a.name.clone(),
                value: word(i + 1),
            })
            .collect(),
        ..req.clone()
    };
    let mut out = apply(text, &stand_in, after).ok()?;
    let range = Document::parse(out.as_str()).range(&req.id)?;
    let mut end = range.end;
    let sources = req
        .value
        .iter()
        .chain(req.attributes.iter().map(|a| &a.value));
    for (i, src) in sources.enumerate() {
        let raw = normalize(src);
        out = out.replacen(&word(i), &raw, 1);
        end = (end + raw.len()).saturating_sub(word(i).len());
    }
    Some((out, range.start..end))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn unwritable_text_is_placed_where_it_would_go() {
        let text = "a = A\n\nc = C\n";
        let (raw, range) = raw_text(text, &req("a", "甲 {"), &[]).unwrap();
        assert_eq!(raw, "a = 甲 {\n\nc = C\n");
        assert_eq!(&raw[range], "a = 甲 {\n");
        let (raw, range) = raw_text(text, &req("b", "乙 {"), &["a"]).unwrap();
        assert_eq!(raw, "a = A\n\nb = 乙 {\n\nc = C\n");
        assert_eq!(&raw[range], "b = 乙 {\n");
    }
}
