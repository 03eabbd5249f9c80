//! Text rendering of diagnostics for people: a short one-line form for grep and editors, and the
//! full form with the source lines, carets and `help:`.
//!
//! The full form hands annotate-snippets only the lines the span covers (plus one line of
//! context on each side), never the whole file, so rendering N diagnostics of a large file costs
//! O(N × snippet), not O(N × file).

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{floor_char_boundary, Diagnostic, Severity, SourceMap};

/// Lines the snippet hands to annotate-snippets above and below the span (which shows only the
/// annotated lines; the window just has to hold them).
const CONTEXT_LINES: usize = 0;

/// At most this many lines of a long span are shown.
const MAX_SPAN_LINES: usize = 12;

/// `path:line:col: error[E201]: message [zh-CN]`, one line.
pub fn short(d: &Diagnostic, sources: &SourceMap) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = String::new();
    if let Some(place) = location(d, sources) {
        out.push_str(&place);
        out.push_str(": ");
    }
    out.push_str(&format!("{level}[{}]: {}", d.code, d.message));
    if let Some(locale) = &d.locale {
        out.push_str(&format!(" [{locale}]"));
    }
    out
}

/// The full form: title, `--> path:line:col`, the source lines with carets, and `help:`.
pub fn full(d: &Diagnostic, sources: &SourceMap, color: bool) -> String {
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
    match snippet_window(d, sources) {
        Some(w) => {
            group = group.element(
                Snippet::source(w.text)
                    .line_start(w.first_line)
                    .path(w.path)
                    .annotation(AnnotationKind::Primary.span(w.span)),
            );
        }
        None => {
            if let Some(place) = location(d, sources) {
                group = group.element(Level::NOTE.message(format!("in {place}")));
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
    match location(d, sources) {
        Some(place) => format!("{place}: {rendered}"),
        None => rendered,
    }
}

/// The lines of a file around a diagnostic's span, and the span relative to them.
struct Window<'a> {
    path: &'a str,
    text: &'a str,
    first_line: usize,
    span: std::ops::Range<usize>,
}

fn snippet_window<'a>(d: &Diagnostic, sources: &'a SourceMap) -> Option<Window<'a>> {
    let file = d.file?;
    let span = d.span.clone()?;
    let src = sources.indexed_text(file);
    let idx = sources.lines(file)?;
    if span.start > src.len() {
        return None;
    }
    let start = floor_char_boundary(src, span.start);
    let end = floor_char_boundary(src, span.end.min(src.len()).max(start));
    let (first, _) = idx.line_col(src, start);
    let (last, _) = idx.line_col(src, end);
    let last = last.min(first + MAX_SPAN_LINES);
    let from_line = first.saturating_sub(CONTEXT_LINES).max(1);
    let to_line = (last + CONTEXT_LINES).min(idx.line_count(src).max(1));
    let from = idx.line_start(from_line)?;
    let to = idx
        .line_range(src, to_line)
        .map_or(src.len(), |r| r.end)
        .max(from);
    // A span may start inside a line break (between `\r` and `\n`), past the window's last
    // line; annotate-snippets must get a range inside the text it is given.
    let start = start.clamp(from, to);
    let end = end.clamp(start, to);
    let text = src.get(from..to)?;
    Some(Window {
        path: sources.path(file),
        text,
        first_line: from_line,
        span: start - from..end - from,
    })
}

/// `path:line:col`, `path`, or nothing.
fn location(d: &Diagnostic, sources: &SourceMap) -> Option<String> {
    let loc = d.location(sources)?;
    Some(match loc.line {
        0 => loc.path.to_string(),
        line => format!("{}:{line}:{}", loc.path, loc.column),
    })
}

/// Every diagnostic in full form, each followed by a blank line.
pub fn report(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
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
        let mut map = SourceMap::new();
        let file = map.insert("locales/en-US/a.ftl", b"hello = Hi\nbroken = {\n".to_vec());
        let d = Diagnostic::new(Code::E101, "expected a placeable")
            .at(file, 20..21)
            .locale("en-US");
        let text = full(&d, &map, false);
        assert!(
            text.contains("error[E101]: expected a placeable [en-US]"),
            "{text}"
        );
        assert!(text.contains("--> locales/en-US/a.ftl:2:10"), "{text}");
        assert!(text.contains("2 | broken = {"), "{text}");
        assert!(text.contains('^'), "{text}");
        assert!(text.contains("help: "), "{text}");
        assert_eq!(
            short(&d, &map),
            "locales/en-US/a.ftl:2:10: error[E101]: expected a placeable [en-US]"
        );
    }

    #[test]
    fn snippet_shows_only_the_lines_around_the_span() {
        let mut src = String::new();
        for i in 1..=1000 {
            src.push_str(&format!("line-{i} = value {i}\n"));
        }
        let at = src.find("line-500 ").unwrap();
        let mut map = SourceMap::new();
        let file = map.insert("big.ftl", src.clone().into_bytes());
        let d = Diagnostic::new(Code::E101, "bad").at(file, at..at + 8);
        let text = full(&d, &map, false);
        assert!(text.starts_with("big.ftl:500:1: "), "{text}");
        assert!(text.contains("500 | line-500 = value 500"), "{text}");
        assert!(!text.contains("line-497"), "{text}");
    }

    #[test]
    fn a_span_inside_a_line_break_stays_inside_the_snippet() {
        let mut map = SourceMap::new();
        let src = "a = 1\r\nb = 2\r\n";
        let file = map.insert("x.ftl", src.as_bytes().to_vec());
        for start in 0..=src.len() {
            for end in start..=src.len() + 2 {
                let d = Diagnostic::new(Code::E101, "x").at(file, start..end);
                let _ = full(&d, &map, false);
            }
        }
    }

    #[test]
    fn end_of_file_is_shown_on_the_last_line() {
        let mut map = SourceMap::new();
        let src = "a = 1\nb = {\n";
        let file = map.insert("x.ftl", src.as_bytes().to_vec());
        let d = Diagnostic::new(Code::E101, "expected `}`").at(file, src.len()..src.len());
        let text = full(&d, &map, false);
        assert!(text.starts_with("x.ftl:2:6: "), "{text}");
        assert!(text.contains("--> x.ftl:2:6"), "{text}");
        assert_eq!(
            short(&d, &map),
            "x.ftl:2:6: error[E101]: expected `}` "
                .trim_end()
                .to_string()
        );
    }
}
