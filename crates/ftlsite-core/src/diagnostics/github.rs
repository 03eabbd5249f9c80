//! GitHub Actions rendering of diagnostics: one workflow command per finding, which the runner
//! turns into an annotation on the file and line of the pull request.
//!
//! ```text
//! ::error file=site/locales/en-US/main.ftl,line=3,col=1,endLine=3,endColumn=6,title=E201::`intro` is missing in locales/zh-CN/main.ftl [zh-CN]%0Ahelp: translate it in locales/zh-CN/main.ftl
//! ::warning file=site/locales/zh-CN/main.ftl,line=4,col=1,endLine=4,endColumn=9,title=W201::`obsolete` is not in en-US (obsolete) [zh-CN]%0Ahelp: delete it, or restore it in locales/en-US/main.ftl
//! ```
//!
//! - `::error` for errors, `::warning` for warnings; `title` is the code.
//! - `file` is the path relative to the repository root, as in SARIF ([`RepoPaths`]): the
//!   runner resolves it against the checkout. `line` and `col` are 1-based, columns counted in
//!   characters; `endLine` and `endColumn` are the position just past the span, left out for
//!   an empty span. GitHub takes columns only on a one-line annotation, so a span over several
//!   lines gives `line` and `endLine` alone. A finding about a whole file has only `file`, and
//!   one about no file has neither.
//! - The message is the finding, its locale in brackets, then `help:` on a second line.
//! - Escaping is the Actions toolkit's (`@actions/core` `command.ts`): in the message `%`,
//!   CR and LF become `%25`, `%0D` and `%0A`; in property values `:` and `,` also become `%3A`
//!   and `%2C`. A command is thus always one line, and nothing a translator writes can end
//!   it early or start another.

use super::{Diagnostic, RepoPaths, Severity, SourceMap};

/// The command data escaped as the Actions toolkit's `escapeData` does.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value escaped as the Actions toolkit's `escapeProperty` does.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The workflow command of one diagnostic, without a line break.
pub fn command(d: &Diagnostic, sources: &SourceMap, paths: &RepoPaths) -> String {
    let name = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props: Vec<(&str, String)> = Vec::new();
    if let Some(file) = d.file {
        props.push(("file", paths.path(sources.path(file))));
        if let Some(r) = d.region(sources) {
            props.push(("line", r.start_line.to_string()));
            match r.end {
                Some((end_line, end_column)) if end_line == r.start_line => {
                    props.push(("col", r.start_column.to_string()));
                    props.push(("endLine", end_line.to_string()));
                    props.push(("endColumn", end_column.to_string()));
                }
                Some((end_line, _)) => props.push(("endLine", end_line.to_string())),
                None => props.push(("col", r.start_column.to_string())),
            }
        }
    }
    props.push(("title", d.code.as_str().to_string()));
    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    let mut message = d.message.clone();
    if let Some(locale) = &d.locale {
        message.push_str(&format!(" [{locale}]"));
    }
    message.push_str("\nhelp: ");
    message.push_str(&d.help);
    format!("::{name} {}::{}", props.join(","), escape_data(&message))
}

/// One command per diagnostic, each on its own line.
pub fn render(diags: &[Diagnostic], sources: &SourceMap, paths: &RepoPaths) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&command(d, sources, paths));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    #[test]
    fn escapes_as_the_toolkit_does() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("100% a\r\nb: c, d"),
            "100%25 a%0D%0Ab%3A c%2C d"
        );
        // `%` first, so an escape already in the text is not read back as a character.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn one_line_per_finding_with_position_and_help() {
        let mut sources = SourceMap::new();
        let src = "a = 1\nintro = Hi\nb = {\n  x\n";
        let file = sources.insert("locales/en-US/odd:name, 100%.ftl", src.as_bytes().to_vec());
        let intro = src.find("intro").unwrap();
        let b = src.find("b = ").unwrap();
        let diags = [
            Diagnostic::new(Code::E201, "`intro` is missing: here, 50%\r\nreally")
                .at(file, intro..intro + 5)
                .locale("zh-CN")
                .key("intro"),
            Diagnostic::new(Code::E101, "broken").at(file, b..src.len() - 1),
            Diagnostic::new(Code::W202, "empty").at(file, b..b),
            Diagnostic::new(Code::E003, "not UTF-8").in_file(file),
            Diagnostic::new(Code::E001, "bad config"),
        ];
        let out = render(&diags, &sources, &RepoPaths::new("site", None));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), diags.len(), "{out}");
        let file = "file=site/locales/en-US/odd%3Aname%2C 100%25.ftl";
        assert_eq!(
            lines[0],
            format!(
                "::error {file},line=2,col=1,endLine=2,endColumn=6,title=E201::`intro` is \
                 missing: here, 50%25%0D%0Areally [zh-CN]%0Ahelp: {}",
                Code::E201.fix()
            )
        );
        assert!(
            lines[1].starts_with(&format!(
                "::error {file},line=3,endLine=4,title=E101::broken"
            )),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].starts_with(&format!("::warning {file},line=3,col=1,title=W202::empty")),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].starts_with(&format!("::error {file},title=E003::not UTF-8")),
            "{}",
            lines[3]
        );
        assert!(
            lines[4].starts_with("::error title=E001::bad config%0Ahelp: "),
            "{}",
            lines[4]
        );
    }
}
