//! Template checks: the templates, the source catalog and site.toml must agree, and templates
//! hold no text of their own. Everything here is decided from the static model in
//! [`crate::template`], so `check` and build.rs find it without rendering a page.
//!
//! - E502: a template that does not compile (MiniJinja's syntax error, at its line and column).
//! - E501: `t("id")`, `t("id.attr")` or `t_attr(…)` with an id the source locale does not have
//!   (or an attribute its message lacks). Placed at the id inside the template.
//! - E503: `link("name")` with a name site.toml's `[links]` does not declare.
//! - E505: `{% extends %}`, `{% include %}` or `{% import %}` of a template that does not exist.
//! - W501: a message of the source locale that no template calls, that no other message
//!   references, and that the renderer does not use itself (`language-name`). Reported only for
//!   sites with templates, and not at all when some template passes a computed id (`t(name)`).
//! - W502: visible text written in a template: text content outside template tags, `<script>`
//!   and `<style>`, and literal `alt`, `title`, `aria-label` and `placeholder` values. Text made
//!   only of punctuation, symbols, digits and character references (`//`, `·`, `&nbsp;`) is fine.

use std::collections::BTreeSet;

use crate::catalog::{Catalogs, EntryKind};
use crate::diagnostics::{Code, Diagnostic};
use crate::site::Site;
use crate::template::{Templates, TextKind};

/// Messages the renderer formats itself, without a template naming them.
pub const RENDERER_MESSAGES: &[&str] = &["language-name"];

/// Runs the template family.
pub fn check(site: &Site, catalogs: &Catalogs, templates: &Templates, diags: &mut Vec<Diagnostic>) {
    if site.locales_dir.is_empty() {
        return;
    }
    let Some(source) = catalogs.get(&site.source.code) else {
        return;
    };
    let mut used = BTreeSet::new();
    let mut any_dynamic = false;
    for (name, t) in &templates.by_name {
        let Some(file) = t.file else { continue };
        any_dynamic |= !t.dynamic.is_empty();
        for call in &t.calls {
            if call.function == "link" {
                if !site.links.contains_key(&call.arg) {
                    let known: Vec<&str> = site.links.keys().map(String::as_str).collect();
                    diags.push(
                        Diagnostic::new(
                            Code::E503,
                            format!(
                                "link `{}` is not declared under [links] in site.toml",
                                call.arg
                            ),
                        )
                        .at(file, call.span.clone())
                        .help(if known.is_empty() {
                            format!(
                                "add `{} = \"https://…\"` under [links] in site.toml",
                                call.arg
                            )
                        } else {
                            format!(
                                "declare it under [links] in site.toml (declared: {})",
                                known.join(", ")
                            )
                        }),
                    );
                }
                continue;
            }
            let (id, attr) = match call.arg.split_once('.') {
                Some((id, attr)) => (id, Some(attr)),
                None => (call.arg.as_str(), None),
            };
            used.insert(id.to_string());
            let problem = match (source.message(id), attr) {
                (None, _) => Some(format!("`{id}` is not a message of {}", site.source.code)),
                (Some(m), Some(a)) if !m.attributes.iter().any(|(n, _)| n == a) => Some(format!(
                    "`{id}` has no attribute `.{a}` in {}",
                    site.source.code
                )),
                _ => None,
            };
            if let Some(message) = problem {
                diags.push(
                    Diagnostic::new(Code::E501, message)
                        .at(file, call.span.clone())
                        .key(call.arg.clone())
                        .help(format!(
                            "add `{}` to {}, or fix the id",
                            call.arg,
                            site.locale_prefix(&site.source.code)
                        )),
                );
            }
        }
        for (used_name, span) in &t.uses {
            if !templates.by_name.contains_key(used_name) {
                diags.push(
                    Diagnostic::new(
                        Code::E505,
                        format!("`{name}` uses `{used_name}`, which is not a file in templates/"),
                    )
                    .at(file, span.clone()),
                );
            }
        }
        for x in &t.texts {
            let shown = excerpt(t.text.get(x.span.clone()).unwrap_or_default());
            let (message, help) = match &x.kind {
                TextKind::Content => (
                    format!("text `{shown}` is written in the template; no translator will see it"),
                    "move the text into a message of the source locale and write {{ t(\"id\") }} here".to_string(),
                ),
                TextKind::Attribute(attr) => (
                    format!("`{attr}` text `{shown}` is written in the template; no translator will see it"),
                    format!("move the text into a message of the source locale and write {attr}=\"{{{{ t_attr(\"id\") }}}}\""),
                ),
            };
            diags.push(
                Diagnostic::new(Code::W502, message)
                    .at(file, x.span.clone())
                    .help(help),
            );
        }
    }
    if templates.by_name.is_empty() || any_dynamic {
        return;
    }
    let referenced: BTreeSet<&str> = source
        .entries
        .values()
        .flat_map(|e| e.patterns().flat_map(|(_, p)| p.messages.iter()))
        .map(|m| m.split_once('.').map_or(m.as_str(), |(id, _)| id))
        .collect();
    for entry in source
        .entries
        .values()
        .filter(|e| e.kind == EntryKind::Message)
    {
        let id = entry.id.as_str();
        if used.contains(id) || referenced.contains(id) || RENDERER_MESSAGES.contains(&id) {
            continue;
        }
        diags.push(super::coverage::at_entry(
            Diagnostic::new(Code::W501, format!("`{id}` is not used by any template")),
            source,
            entry,
            entry.offset,
        ));
    }
}

/// At most 40 characters of `s`, for messages.
fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}
