//! SARIF 2.1.0 rendering of a check report, for code-scanning services (GitHub code scanning
//! reads it through `github/codeql-action/upload-sarif`) and SARIF viewers.
//!
//! One JSON document holding one run:
//!
//! ```json
//! {
//!   "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
//!   "version": "2.1.0",
//!   "runs": [{
//!     "tool": { "driver": {
//!       "name": "ftlsite", "version": "0.1.0", "informationUri": "…",
//!       "rules": [{
//!         "id": "E201",
//!         "shortDescription": { "text": "message of the source locale missing in this locale" },
//!         "fullDescription": { "text": "message of the source locale missing in this locale. Fix: translate the message in this locale's file." },
//!         "help": { "text": "translate the message in this locale's file" },
//!         "helpUri": "…/docs/diagnostics.md#E201",
//!         "defaultConfiguration": { "level": "error" },
//!         "properties": { "tags": ["coverage"] }
//!       }]
//!     }},
//!     "originalUriBaseIds": { "%SRCROOT%": { "uri": "file:///home/me/project/" } },
//!     "columnKind": "unicodeCodePoints",
//!     "results": [{
//!       "ruleId": "E201", "ruleIndex": 10, "level": "error",
//!       "message": { "text": "`intro` is missing in locales/zh-CN/main.ftl [zh-CN]" },
//!       "locations": [{ "physicalLocation": {
//!         "artifactLocation": { "uri": "site/locales/en-US/main.ftl", "uriBaseId": "%SRCROOT%" },
//!         "region": { "startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 6 }
//!       }}],
//!       "partialFingerprints": { "ftlsiteIdentity/v1": "E201|site/locales/en-US/main.ftl|zh-CN|intro" },
//!       "properties": { "locale": "zh-CN", "key": "intro", "help": "translate it in locales/zh-CN/main.ftl" }
//!     }]
//!   }]
//! }
//! ```
//!
//! - **Rules.** Every code of [`Code::ALL`] is described once, in that order, so a code's
//!   `ruleIndex` is the same in every report. `helpUri` (the code's row of
//!   `docs/diagnostics.md`) and the driver's `informationUri` are absolute URIs, as SARIF
//!   requires; they are written only when [`Tool::repository`] names the project's repository.
//! - **Results.** One per diagnostic, in report order (path, line, column, code, message), with
//!   the locale in `message.text` as the short text form writes it. A diagnostic without a file
//!   has no `locations`; one that names a file without a position has no `region`.
//! - **Paths.** `artifactLocation.uri` is relative to `%SRCROOT%`: the site-relative path
//!   behind the site folder's place in the repository ([`RepoPaths`]), percent-encoded, so
//!   code scanning finds the file in the checkout. `originalUriBaseIds` gives `%SRCROOT%`'s
//!   absolute `file:` URI when it is known (not for the site embedded in ftlsite).
//! - **Regions.** Lines and columns are 1-based; columns count characters (`columnKind`
//!   `unicodeCodePoints`). `endLine`/`endColumn` are the position just past the span, and are
//!   left out when the span is empty.
//! - **Fingerprints.** `partialFingerprints."ftlsiteIdentity/v1"` is code, path, locale and key
//!   (the message when there is no key): no line number, so a finding keeps its identity when
//!   lines above it move.
//! - The same input gives byte-identical output: keys are written in a fixed order, maps are
//!   sorted, and nothing depends on time.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Code, Diagnostic, RepoPaths, Severity, SourceMap};

/// The published schema of SARIF 2.1.0 (with errata 01).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The `uriBaseId` every artifact location is relative to.
pub const SRCROOT: &str = "%SRCROOT%";

/// The name of the partial fingerprint ftlsite writes.
pub const FINGERPRINT: &str = "ftlsiteIdentity/v1";

/// What the run says about the tool that made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tool<'a> {
    /// The tool's version, e.g. `0.1.0`.
    pub version: &'a str,
    /// The project's repository as an absolute `https` URL (`Cargo.toml` `repository`), when
    /// known: the driver's `informationUri`, and the base of each rule's `helpUri`.
    pub repository: Option<&'a str>,
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: ToolComponent<'a>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, BaseLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct ToolComponent<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'a str>,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
struct Text<T> {
    text: T,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Text<&'static str>,
    full_description: Text<String>,
    help: Text<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 1],
}

#[derive(Serialize)]
struct BaseLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<&'a str>,
    help: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

/// `error` or `warning`, SARIF's names for the two severities.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The description of one code.
fn rule(code: Code, repository: Option<&str>) -> Rule {
    Rule {
        id: code.as_str(),
        short_description: Text {
            text: code.summary(),
        },
        full_description: Text {
            text: format!("{}. Fix: {}.", code.summary(), code.fix()),
        },
        help: Text { text: code.fix() },
        help_uri: repository.map(|repo| {
            format!(
                "{}/blob/HEAD/docs/diagnostics.md#{}",
                repo.trim_end_matches('/'),
                code.as_str()
            )
        }),
        default_configuration: Configuration {
            level: level(code.severity()),
        },
        properties: RuleProperties {
            tags: [code.family()],
        },
    }
}

/// One result.
fn result<'a>(d: &'a Diagnostic, sources: &SourceMap, paths: &RepoPaths) -> SarifResult<'a> {
    let path = d.file.map(|f| paths.path(sources.path(f)));
    let locations = match &path {
        Some(path) => vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: encode_path(path, false),
                    uri_base_id: SRCROOT,
                },
                region: d.region(sources).map(|r| Region {
                    start_line: r.start_line,
                    start_column: r.start_column,
                    end_line: r.end.map(|e| e.0),
                    end_column: r.end.map(|e| e.1),
                }),
            },
        }],
        None => Vec::new(),
    };
    let text = match &d.locale {
        Some(locale) => format!("{} [{locale}]", d.message),
        None => d.message.clone(),
    };
    let identity = format!(
        "{}|{}|{}|{}",
        d.code,
        path.as_deref().unwrap_or(""),
        d.locale.as_deref().unwrap_or(""),
        d.key.as_deref().unwrap_or(&d.message)
    );
    SarifResult {
        rule_id: d.code.as_str(),
        rule_index: Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
        level: level(d.severity),
        message: Text { text },
        locations,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT, identity)]),
        properties: ResultProperties {
            locale: d.locale.as_deref(),
            key: d.key.as_deref(),
            help: &d.help,
        },
    }
}

/// Percent-encodes a `/`-separated path for a URI: every byte but the unreserved characters
/// (RFC 3986: letters, digits, `-._~`) and `/` — and `:` when `colon` is set, for the drive
/// letter of an absolute Windows path — becomes `%XX`, so spaces, `%`, `#`, `?` and non-ASCII
/// names survive and a colon cannot be read as a scheme.
fn encode_path(path: &str, colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (colon && b == b':')
        {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `file:` URI of an absolute, `/`-separated folder path, ending with `/` as SARIF wants
/// of a base URI. A Windows path (`C:/src`) gets the leading `/` of `file:///C:/src/`.
fn folder_uri(root: &str) -> String {
    let root = root.trim_end_matches('/');
    let lead = if root.is_empty() || root.starts_with('/') {
        ""
    } else {
        "/"
    };
    format!("file://{lead}{}/", encode_path(root, true))
}

/// The report as one SARIF 2.1.0 document, pretty-printed with a trailing newline.
///
/// ```
/// use ftlsite_core::diagnostics::{sarif, Code, Diagnostic, RepoPaths, SourceMap};
///
/// let mut sources = SourceMap::new();
/// let file = sources.insert("locales/zh-CN/main.ftl", b"hello = \n".to_vec());
/// let d = Diagnostic::new(Code::W202, "the value of `hello` is empty")
///     .at(file, 0..5)
///     .locale("zh-CN")
///     .key("hello");
/// let tool = sarif::Tool { version: "0.1.0", repository: None };
/// let paths = RepoPaths::new("site", Some("/src/project".into()));
/// let log: serde_json::Value =
///     serde_json::from_str(&sarif::render(&[d], &sources, &paths, &tool)).unwrap();
/// let result = &log["runs"][0]["results"][0];
/// assert_eq!(result["ruleId"], "W202");
/// assert_eq!(result["level"], "warning");
/// let place = &result["locations"][0]["physicalLocation"];
/// assert_eq!(place["artifactLocation"]["uri"], "site/locales/zh-CN/main.ftl");
/// assert_eq!(place["region"]["endColumn"], 6);
/// ```
pub fn render(
    diags: &[Diagnostic],
    sources: &SourceMap,
    paths: &RepoPaths,
    tool: &Tool<'_>,
) -> String {
    let repository = tool.repository.filter(|r| !r.is_empty());
    let mut original_uri_base_ids = BTreeMap::new();
    if let Some(root) = paths.root() {
        original_uri_base_ids.insert(
            SRCROOT,
            BaseLocation {
                uri: folder_uri(root),
            },
        );
    }
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: ToolComponent {
                driver: Driver {
                    name: "ftlsite",
                    version: tool.version,
                    information_uri: repository,
                    rules: Code::ALL.iter().map(|&c| rule(c, repository)).collect(),
                },
            },
            original_uri_base_ids,
            column_kind: "unicodeCodePoints",
            results: diags.iter().map(|d| result(d, sources, paths)).collect(),
        }],
    };
    let mut s =
        serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(diags: &[Diagnostic], sources: &SourceMap, paths: &RepoPaths) -> serde_json::Value {
        let tool = Tool {
            version: "1.2.3",
            repository: Some("https://example.org/ftlsite/"),
        };
        serde_json::from_str(&render(diags, sources, paths, &tool)).unwrap()
    }

    #[test]
    fn every_code_is_a_rule_at_its_table_index() {
        let log = log(&[], &SourceMap::new(), &RepoPaths::default());
        let driver = &log["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "ftlsite");
        assert_eq!(driver["version"], "1.2.3");
        assert_eq!(driver["informationUri"], "https://example.org/ftlsite/");
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), Code::ALL.len());
        for (rule, code) in rules.iter().zip(Code::ALL) {
            assert_eq!(rule["id"], code.as_str());
            assert_eq!(rule["shortDescription"]["text"], code.summary());
            assert_eq!(rule["help"]["text"], code.fix());
            assert_eq!(
                rule["helpUri"],
                format!(
                    "https://example.org/ftlsite/blob/HEAD/docs/diagnostics.md#{}",
                    code.as_str()
                )
            );
            assert_eq!(rule["properties"]["tags"][0], code.family());
        }
        assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
        assert!(log["runs"][0].get("originalUriBaseIds").is_none());
    }

    #[test]
    fn no_repository_means_no_uris() {
        let tool = Tool {
            version: "1.2.3",
            repository: Some(""),
        };
        let text = render(&[], &SourceMap::new(), &RepoPaths::default(), &tool);
        assert!(!text.contains("informationUri"), "{text}");
        assert!(!text.contains("helpUri"), "{text}");
    }

    #[test]
    fn regions_count_characters_and_end_past_the_span() {
        let mut sources = SourceMap::new();
        let src = "title = 你好\n  .tip = {\n";
        let file = sources.insert("locales/zh-CN/a b#1.ftl", src.as_bytes().to_vec());
        let at = src.find('你').unwrap();
        let multi = src.find(".tip").unwrap();
        let diags = [
            Diagnostic::new(Code::W203, "same").at(file, at..at + '你'.len_utf8() * 2),
            Diagnostic::new(Code::E101, "broken").at(file, multi..src.len()),
            Diagnostic::new(Code::E101, "at the end").at(file, src.len()..src.len()),
            Diagnostic::new(Code::E003, "whole file").in_file(file),
            Diagnostic::new(Code::E001, "no file"),
        ];
        let log = log(
            &diags,
            &sources,
            &RepoPaths::new("./site/", Some("/r".into())),
        );
        let results = log["runs"][0]["results"].as_array().unwrap();
        let place = |i: usize| results[i]["locations"][0]["physicalLocation"].clone();
        assert_eq!(
            place(0)["artifactLocation"]["uri"],
            "site/locales/zh-CN/a%20b%231.ftl"
        );
        assert_eq!(place(0)["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(
            place(0)["region"],
            serde_json::json!({"startLine": 1, "startColumn": 9, "endLine": 1, "endColumn": 11})
        );
        // The span ends with the final line break: the end is the end of the last line.
        assert_eq!(
            place(1)["region"],
            serde_json::json!({"startLine": 2, "startColumn": 3, "endLine": 2, "endColumn": 11})
        );
        assert_eq!(
            place(2)["region"],
            serde_json::json!({"startLine": 2, "startColumn": 11})
        );
        assert!(place(3).get("region").is_none());
        assert!(results[4].get("locations").is_none());
        assert_eq!(results[4]["ruleId"], "E001");
        assert_eq!(results[4]["ruleIndex"], 0);
        assert_eq!(
            log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///r/"
        );
    }

    #[test]
    fn message_has_the_locale_and_fingerprint_no_line() {
        let mut sources = SourceMap::new();
        let file = sources.insert("locales/en-US/main.ftl", b"a = 1\nintro = Hi\n".to_vec());
        let d = Diagnostic::new(Code::E201, "`intro` is missing")
            .at(file, 6..11)
            .locale("zh-CN")
            .key("intro");
        let moved = {
            let mut s = SourceMap::new();
            let f = s.insert(
                "locales/en-US/main.ftl",
                b"a = 1\n\n\nintro = Hi\n".to_vec(),
            );
            (
                s,
                Diagnostic {
                    file: Some(f),
                    span: Some(8..13),
                    ..d.clone()
                },
            )
        };
        let one = log(std::slice::from_ref(&d), &sources, &RepoPaths::default());
        let two = log(&[moved.1], &moved.0, &RepoPaths::default());
        let r = &one["runs"][0]["results"][0];
        assert_eq!(r["message"]["text"], "`intro` is missing [zh-CN]");
        assert_eq!(
            r["ruleIndex"],
            Code::ALL.iter().position(|c| *c == Code::E201).unwrap()
        );
        assert_eq!(
            r["partialFingerprints"][FINGERPRINT],
            "E201|locales/en-US/main.ftl|zh-CN|intro"
        );
        assert_eq!(
            r["partialFingerprints"],
            two["runs"][0]["results"][0]["partialFingerprints"]
        );
        assert_eq!(r["properties"]["key"], "intro");
    }

    #[test]
    fn folder_uris_are_absolute_and_encoded() {
        assert_eq!(folder_uri("/home/me/my site"), "file:///home/me/my%20site/");
        assert_eq!(folder_uri("C:/src/x/"), "file:///C:/src/x/");
        assert_eq!(folder_uri("/"), "file:///");
        assert_eq!(encode_path("a:b/é", false), "a%3Ab/%C3%A9");
    }
}
