//! Text rendering of diagnostics for people: a short one-line form for grep and editors, and the
//! full form with the source line, carets and `help:`.

use std::collections::BTreeMap;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Diagnostic, Severity};

/// Looks up the text of a file by its site-relative path, for snippets.
pub trait SourceLookup {
    /// The file's text, if it is known and valid UTF-8.
    fn source(&self, path: &str) -> Option<&str>;
}

impl SourceLookup for BTreeMap<String, String> {
    fn source(&self, path: &str) -> Option<&str> {
        self.get(path).map(String::as_str)
    }
}

/// `path:line:col: error[E201]: message [zh-CN]`, one line.
pub fn short(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = String::new();
    if let Some(place) = location(d) {
        out.push_str(&place);
        out.push_str(": ");
    }
    out.push_str(&format!("{level}[{}]: {}", d.code, d.message));
    if let Some(locale) = &d.locale {
        out.push_str(&format!(" [{locale}]"));
    }
    out
}

/// The full form: title, `--> path:line:col`, the source line with carets, and `help:`.
pub fn full(d: &Diagnostic, sources: &dyn SourceLookup, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = match &d.locale {
        Some(l) => format!("{} [{l}]", d.message),
        None => d.message.clone(),
    };
    let code = d.code.as_str();
    let mut group = Group::with_title(level.primary_title(&title).id(code));
    let source = sources.source(&d.path);
    match (source, &d.span) {
        (Some(src), Some(span)) if span.start <= src.len() => {
            let end = span.end.min(src.len()).max(span.start);
            let span =
                super::floor_char_boundary(src, span.start)..super::floor_char_boundary(src, end);
            group = group.element(
                Snippet::source(src)
                    .path(d.path.as_str())
                    .annotation(AnnotationKind::Primary.span(span)),
            );
        }
        _ => {
            if !d.path.is_empty() {
                let place = if d.line > 0 {
                    format!("in {}:{}:{}", d.path, d.line, d.column)
                } else {
                    format!("in {}", d.path)
                };
                group = group.element(Level::NOTE.message(place));
            }
        }
    }
    group = group.element(Level::HELP.message(d.help.as_str()));
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // The first line leads with `path:line:col: ` like the short form, so editors and terminals
    // can jump to it; the snippet below repeats the place with `-->`.
    let rendered = renderer.render(&[group]);
    match location(d) {
        Some(place) => format!("{place}: {rendered}"),
        None => rendered,
    }
}

/// `path:line:col`, `path`, or nothing.
fn location(d: &Diagnostic) -> Option<String> {
    match (d.path.is_empty(), d.line) {
        (true, _) => None,
        (false, 0) => Some(d.path.clone()),
        (false, line) => Some(format!("{}:{line}:{}", d.path, d.column)),
    }
}

/// Every diagnostic in full form, then one `N errors, M warnings` line.
pub fn report(diags: &[Diagnostic], sources: &dyn SourceLookup, color: bool) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&full(d, sources, color));
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    #[test]
    fn full_form_has_location_caret_and_help() {
        let src = "hello = Hi\nbroken = {\n".to_string();
        let d = Diagnostic::new(Code::E101, "expected a placeable")
            .at("locales/en-US/a.ftl", &src, 20..21)
            .locale("en-US");
        let mut map = BTreeMap::new();
        map.insert("locales/en-US/a.ftl".to_string(), src);
        let text = full(&d, &map, false);
        assert!(
            text.contains("error[E101]: expected a placeable [en-US]"),
            "{text}"
        );
        assert!(text.contains("--> locales/en-US/a.ftl:2:10"), "{text}");
        assert!(text.contains("broken = {"), "{text}");
        assert!(text.contains('^'), "{text}");
        assert!(text.contains("help: "), "{text}");
        assert_eq!(
            short(&d),
            "locales/en-US/a.ftl:2:10: error[E101]: expected a placeable [en-US]"
        );
    }
}
