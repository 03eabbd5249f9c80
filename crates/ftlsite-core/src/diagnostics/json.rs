//! JSON rendering of a check report, for CI and editors.
//!
//! Schema (version 1), one object:
//!
//! ```json
//! {
//!   "version": 1,
//!   "diagnostics": [
//!     { "code": "E201", "severity": "error", "locale": "zh-CN",
//!       "path": "locales/zh-CN/privacy.ftl", "line": 3, "column": 1,
//!       "key": "hero-title", "message": "…", "help": "…" }
//!   ],
//!   "summary": {
//!     "errors": 1, "warnings": 0,
//!     "locales": { "zh-CN": { "messages": 40, "translated": 39, "missing": 1, "obsolete": 0,
//!                             "errors": 1, "warnings": 0, "completion": "39/40" } }
//!   }
//! }
//! ```
//!
//! With an activation policy in site.toml, each locale also has `"pages": { "published": 2,
//! "fallback": 1, "held_back": 1, "inactive": 0 }` (pages per status), and missing messages
//! (E201, E202) have `"severity": "warning"`.
//!
//! `locale` and `key` are `null` when they do not apply; `line` and `column` are 1-based and 0
//! when the finding has no position. Diagnostics are sorted by (path, line, column, code,
//! message). Completion is a fraction string, never a float, so the output is byte-stable.
//! The schema changes only with a version bump.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Diagnostic, SourceMap};

/// Per-locale figures of a report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LocaleSummary {
    /// Messages and terms in the source locale.
    pub messages: usize,
    /// Of those, how many this locale has.
    pub translated: usize,
    /// Of those, how many this locale lacks.
    pub missing: usize,
    /// Entries this locale has that the source does not.
    pub obsolete: usize,
    /// Errors reported for this locale.
    pub errors: usize,
    /// Warnings reported for this locale.
    pub warnings: usize,
    /// `translated/messages`.
    pub completion: String,
    /// Pages per activation status, when the site declares an activation policy (otherwise
    /// the key is absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<crate::activation::PageCounts>,
}

/// Totals and the per-locale table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// All errors.
    pub errors: usize,
    /// All warnings.
    pub warnings: usize,
    /// Figures per locale code.
    pub locales: BTreeMap<String, LocaleSummary>,
}

/// One diagnostic as the JSON document writes it: the place resolved to path, line, column.
#[derive(Serialize)]
struct Entry<'a> {
    code: super::Code,
    severity: super::Severity,
    locale: Option<&'a str>,
    path: &'a str,
    line: usize,
    column: usize,
    key: Option<&'a str>,
    message: &'a str,
    help: &'a str,
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<Entry<'a>>,
    summary: &'a Summary,
}

/// The report as pretty JSON with a trailing newline.
pub fn render(diags: &[Diagnostic], summary: &Summary, sources: &SourceMap) -> String {
    let diagnostics = diags
        .iter()
        .map(|d| {
            let loc = d.location(sources);
            Entry {
                code: d.code,
                severity: d.severity,
                locale: d.locale.as_deref(),
                path: loc.map_or("", |l| l.path),
                line: loc.map_or(0, |l| l.line),
                column: loc.map_or(0, |l| l.column),
                key: d.key.as_deref(),
                message: &d.message,
                help: &d.help,
            }
        })
        .collect();
    let doc = Document {
        version: 1,
        diagnostics,
        summary,
    };
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
