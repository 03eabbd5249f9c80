//! Which messages a page uses, decided without rendering it, and which of them are marked
//! must-have with a `## Required` group comment in the source locale.
//!
//! A page uses every message its template and the templates it extends, includes or imports
//! name in a literal `t("id")` or `t_attr("id")` call, every message those messages reference
//! (through other messages and terms, transitively), and the messages the renderer formats
//! itself (`language-name`). A template that computes an id (`t(name)`) may format any
//! message, so a page using one depends on every message of the source locale.

use std::collections::BTreeSet;

use crate::catalog::{Catalog, EntryKind};
use crate::template::Templates;
use crate::validate::RENDERER_MESSAGES;

/// The messages one template uses, as a page rendered from it does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Message ids (without attributes), sorted.
    pub messages: BTreeSet<String>,
    /// True when some template of the page computes an id, so `messages` is every message.
    pub dynamic: bool,
}

/// The messages a page rendered from `template` uses (see the module docs). `source` is the
/// source locale's catalog; ids it lacks are left out (E501 reports them).
pub fn page_messages(templates: &Templates, source: &Catalog, template: &str) -> Usage {
    let closure = templates.closure(template);
    let dynamic = closure.iter().any(|n| {
        templates
            .by_name
            .get(*n)
            .is_some_and(|t| !t.dynamic.is_empty())
    });
    if dynamic {
        let messages = source
            .entries
            .keys()
            .filter(|(kind, _)| *kind == EntryKind::Message)
            .map(|(_, id)| id.clone())
            .collect();
        return Usage {
            messages,
            dynamic: true,
        };
    }
    let literal = closure
        .iter()
        .filter_map(|n| templates.by_name.get(*n))
        .flat_map(|t| t.calls.iter())
        .filter(|c| c.function != "link")
        .map(|c| c.arg.split_once('.').map_or(c.arg.as_str(), |(id, _)| id));
    let mut todo: Vec<(EntryKind, String)> = literal
        .chain(RENDERER_MESSAGES.iter().copied())
        .map(|id| (EntryKind::Message, id.to_string()))
        .collect();
    let mut seen: BTreeSet<(EntryKind, String)> = BTreeSet::new();
    while let Some(key) = todo.pop() {
        if seen.contains(&key) {
            continue;
        }
        let Some(entry) = source.entries.get(&key) else {
            continue;
        };
        seen.insert(key);
        for (_, p) in entry.patterns() {
            for m in &p.messages {
                let id = m.split_once('.').map_or(m.as_str(), |(id, _)| id);
                todo.push((EntryKind::Message, id.to_string()));
            }
            for t in &p.terms {
                todo.push((EntryKind::Term, t.clone()));
            }
        }
    }
    Usage {
        messages: seen
            .into_iter()
            .filter(|(kind, _)| *kind == EntryKind::Message)
            .map(|(_, id)| id)
            .collect(),
        dynamic: false,
    }
}

/// The source messages that sit in a `## Required` group: after a group comment whose first
/// line starts with the word `Required`, up to the next group comment of the file.
///
/// Fluent comments start at the beginning of a line and pattern lines never do, so the group
/// comments are found line by line; the runtime parse the catalog keeps drops comments.
pub fn required_messages(source: &Catalog) -> BTreeSet<String> {
    let mut marks: Vec<Vec<(usize, bool)>> = Vec::with_capacity(source.files.len());
    for file in &source.files {
        let mut groups = Vec::new();
        let mut offset = 0;
        let mut in_group = false;
        for line in file.text().split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            let group = body == "##" || body.starts_with("## ");
            if group && !in_group {
                groups.push((offset, is_required_title(&body[2..])));
            }
            in_group = group;
            offset += line.len();
        }
        marks.push(groups);
    }
    source
        .entries
        .values()
        .filter(|e| e.kind == EntryKind::Message)
        .filter(|e| {
            let Some(groups) = marks.get(e.file) else {
                return false;
            };
            let i = groups.partition_point(|(at, _)| *at <= e.offset);
            i > 0 && groups.get(i - 1).is_some_and(|(_, required)| *required)
        })
        .map(|e| e.id.clone())
        .collect()
}

/// `Required`, `Required: the title`, `Required. …` — not `Requirements`.
fn is_required_title(title: &str) -> bool {
    title
        .trim_start()
        .strip_prefix("Required")
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(text: &str) -> Catalog {
        let parsed = crate::catalog::parse_file(text, 0);
        let mut c = Catalog::default();
        c.files.push(crate::catalog::FtlFile {
            path: "locales/en-US/a.ftl".into(),
            id: crate::diagnostics::SourceMap::new().insert("x", Vec::new()),
            base: 0,
            resource: std::sync::Arc::new(parsed.resource),
        });
        for e in parsed.entries {
            c.entries.insert((e.kind, e.id.clone()), e);
        }
        c
    }

    #[test]
    fn required_groups_run_to_the_next_group_comment() {
        let c = catalog(
            "### Resource\n\nfree = F\n\n## Required: page title\n## second line\n\ntitle = T\n# note\nlead = L\n    .title = ## not a comment\n\n## Body\n\nbody = B\n\n## Required\nfoot = X\n\n## Requirements\nreq = R\n",
        );
        let ids: Vec<String> = required_messages(&c).into_iter().collect();
        assert_eq!(ids, ["foot", "lead", "title"]);
    }

    #[test]
    fn references_are_followed_through_terms() {
        let c = catalog("a = { b } { -t }\nb = B\n-t = { c }\nc = C\nd = D\nlanguage-name = L\n");
        let mut templates = Templates::default();
        templates.by_name.insert(
            "p.html".into(),
            crate::template::scan("{{ t(\"a\") }}{{ t_attr(\"a.x\") }}{% include \"q.html\" %}"),
        );
        let u = page_messages(&templates, &c, "p.html");
        let ids: Vec<&str> = u.messages.iter().map(String::as_str).collect();
        assert_eq!(ids, ["a", "b", "c", "language-name"]);
        assert!(!u.dynamic);
        templates
            .by_name
            .insert("q.html".into(), crate::template::scan("{{ t(name) }}"));
        let u = page_messages(&templates, &c, "p.html");
        assert!(u.dynamic);
        assert_eq!(u.messages.len(), 5);
    }
}
