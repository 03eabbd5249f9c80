//! `check --format sarif` and `--format github`: valid SARIF 2.1.0 for every fixture, paths
//! relative to the repository root, the Actions toolkit's escaping, byte-identical reruns and
//! the same exit codes as the other formats.
//!
//! The SARIF oracle is the OASIS schema vendored in `tests/fixtures/sarif/` (see SOURCE.md
//! there), checked by the `boon` crate with format assertions on, so a relative URI
//! where SARIF wants an absolute one fails as well as a missing property.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use ftlsite::diagnostics::sarif::SCHEMA_URI;

use crate::fixtures::{all, check, check_args, named, prepare, Fixture, Prepared};
use crate::support::{code, copy_tree, fixtures_root, ftlsite, redact, repo, run};

/// The vendored SARIF 2.1.0 schema, compiled.
struct Schema {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

/// Compiles the vendored schema, with `format` asserted (draft-04 leaves it optional).
fn validator() -> Schema {
    let path = repo().join("tests/fixtures/sarif/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler.add_resource(SCHEMA_URI, schema).unwrap();
    let index = compiler.compile(SCHEMA_URI, &mut schemas).unwrap();
    Schema { schemas, index }
}

/// Every schema violation of `doc` (empty when it is valid).
fn violations(schema: &Schema, doc: &Value) -> String {
    match schema.schemas.validate(doc, schema.index) {
        Ok(()) => String::new(),
        Err(e) => format!("{e:#}"),
    }
}

/// `check` of a prepared fixture run from its temp dir, naming the site by its relative path
/// (`site`), as a CI job run from the checkout's root does.
fn check_from_tmp(p: &Prepared, extra: &[&str]) -> Output {
    let args = check_args(p, extra);
    let args: Vec<&str> = args
        .iter()
        .map(|a| {
            if Path::new(a) == p.site {
                "site"
            } else {
                a.as_str()
            }
        })
        .collect();
    ftlsite(p.tmp.path(), &args)
}

fn parse(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn sarif_of_every_fixture_is_valid_sarif_2_1_0() {
    let validator = validator();
    let fixtures = all();
    let outputs: Vec<(String, Output)> = std::thread::scope(|s| {
        let handles: Vec<_> = fixtures
            .iter()
            .map(|f| {
                s.spawn(move || {
                    let p = prepare(f);
                    (f.name.clone(), check_from_tmp(&p, &["--format", "sarif"]))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // The shipped site (embedded, no folder) and a fixture named by its path in this
    // repository, whose URIs carry the fixture's folder.
    let embedded = run(&["check", "--format", "sarif"]);
    let in_repo = run(&[
        "check",
        "--site",
        "tests/fixtures/check/E504-dangling-link-in-layout",
        "--format",
        "sarif",
    ]);
    let mut problems = Vec::new();
    let mut results = 0;
    for (name, out) in outputs
        .iter()
        .map(|(n, o)| (n.as_str(), o))
        .chain([("embedded", &embedded), ("in-repo", &in_repo)])
    {
        let doc = parse(out);
        results += doc["runs"][0]["results"].as_array().unwrap().len();
        let found = violations(&validator, &doc);
        if !found.is_empty() {
            problems.push(format!("{name}:\n{found}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert!(results >= fixtures.len(), "only {results} results");
}

#[test]
fn the_schema_check_has_teeth() {
    let validator = validator();
    let p = prepare(&named("E201-missing-message"));
    let doc = parse(&check(&p, &["--format", "sarif"]));
    assert_eq!(violations(&validator, &doc), "");
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut d = doc.clone();
        edit(&mut d);
        !violations(&validator, &d).is_empty()
    };
    assert!(broken(&|d| d["runs"][0]["tool"]["driver"]["rules"][0]
        ["helpUri"] =
        "docs/diagnostics.md#E001".into()));
    assert!(broken(
        &|d| d["runs"][0]["results"][0]["level"] = "fatal".into()
    ));
    assert!(broken(&|d| {
        d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
            0.into()
    }));
    assert!(broken(&|d| d["runs"][0]["columnKind"] = "bytes".into()));
    assert!(broken(&|d| {
        d["runs"][0]["results"][0]
            .as_object_mut()
            .unwrap()
            .remove("message");
    }));
}

#[test]
fn sarif_describes_the_rules_and_places_each_result() {
    let p = prepare(&named("E201-missing-message"));
    let doc = parse(&check_from_tmp(&p, &["--format", "sarif"]));
    let run = &doc["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "ftlsite");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), ftlsite::diagnostics::Code::ALL.len());
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{doc:#}");
    let r = &results[0];
    let index = r["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "E201");
    assert_eq!(rules[index]["defaultConfiguration"]["level"], "error");
    assert_eq!(r["ruleId"], "E201");
    assert_eq!(r["level"], "error");
    assert_eq!(
        r["message"]["text"],
        "`intro` is missing in locales/zh-CN/main.ftl [zh-CN]"
    );
    let place = &r["locations"][0]["physicalLocation"];
    assert_eq!(
        place["artifactLocation"]["uri"],
        "site/locales/en-US/main.ftl"
    );
    assert_eq!(place["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(place["region"]["startLine"], 3);
    assert_eq!(place["region"]["startColumn"], 1);
    assert_eq!(place["region"]["endLine"], 3);
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    assert!(
        !root.ends_with("/site/"),
        "%SRCROOT% is the folder holding the site: {root}"
    );
}

#[test]
fn paths_are_relative_to_the_git_work_tree_or_the_current_folder() {
    let uri = |out: &Output| {
        let doc = parse(out);
        doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let root = |out: &Output| {
        parse(out)["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let fixture = "tests/fixtures/check/E201-missing-message";
    // Inside this repository's work tree, from its root and from a folder below it.
    let from_root = run(&["check", "--site", fixture, "--format", "sarif"]);
    assert_eq!(uri(&from_root), format!("{fixture}/locales/en-US/main.ftl"));
    let repo_uri = format!(
        "file://{}/",
        std::fs::canonicalize(repo()).unwrap().display()
    );
    assert_eq!(root(&from_root), repo_uri);
    let from_below = ftlsite(
        &repo().join("tests"),
        &[
            "check",
            "--site",
            "fixtures/check/E201-missing-message",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(uri(&from_below), uri(&from_root));
    // Outside any work tree: relative to the current folder.
    let p = prepare(&named("E201-missing-message"));
    let from_tmp = check_from_tmp(&p, &["--format", "sarif"]);
    assert_eq!(uri(&from_tmp), "site/locales/en-US/main.ftl");
    // A site outside both: site-relative, the site folder is the root.
    let outside = check(&p, &["--format", "sarif"]);
    assert_eq!(uri(&outside), "locales/en-US/main.ftl");
    assert!(root(&outside).ends_with("/site/"), "{}", root(&outside));
    // The GitHub format names the same files.
    let github = ftlsite(repo(), &["check", "--site", fixture, "--format", "github"]);
    let text = String::from_utf8(github.stdout).unwrap();
    assert!(
        text.starts_with(&format!(
            "::error file={fixture}/locales/en-US/main.ftl,line=3,col=1,"
        )),
        "{text}"
    );
}

/// W502's fixture with template text and an en-US file name holding `:`, `,` and `%`, and on
/// Unix a CR and an LF as well. The zh-CN file of the same name is missing, so `extra` is
/// reported (E201) with the name in the message and the help.
fn odd_names_site(site: &Path) -> String {
    copy_tree(&fixtures_root().join("W502-hard-coded-text"), site, &[]);
    let index = site.join("templates/index.html");
    let html = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        html.replace("Contact us", "Note: call us, 100% free"),
    )
    .unwrap();
    let name = if cfg!(unix) {
        "odd: a, 50%\r\n.ftl"
    } else {
        "odd; a, 50%.ftl"
    };
    std::fs::write(
        site.join("locales/en-US").join(name),
        "extra = Extra text\n",
    )
    .unwrap();
    name.to_string()
}

/// Undoes the toolkit's escaping, as the Actions runner reads a command.
fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// A workflow command split as the runner splits it: name, properties, message.
fn split_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line.strip_prefix("::").unwrap();
    let (head, message) = rest.split_once("::").unwrap();
    let (name, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k.to_string(), unescape(v))
        })
        .collect();
    (name.to_string(), props, unescape(message))
}

#[test]
fn github_annotations_escape_percent_cr_lf_colon_and_comma() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let name = odd_names_site(&site);
    let out = ftlsite(
        tmp.path(),
        &["check", "--site", "site", "--format", "github"],
    );
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\r'),
        "a raw CR reached the output: {text:?}"
    );
    let commands: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    // The commands come first, one per line, then the table.
    assert!(text
        .lines()
        .take(commands.len())
        .all(|l| l.starts_with("::")));
    assert!(text
        .lines()
        .skip(commands.len())
        .all(|l| !l.starts_with("::")));
    let escaped = if cfg!(unix) {
        "odd%3A a%2C 50%25%0D%0A.ftl"
    } else {
        "odd; a%2C 50%25.ftl"
    };
    let escaped_in_message = if cfg!(unix) {
        "odd: a, 50%25%0D%0A.ftl"
    } else {
        "odd; a, 50%25.ftl"
    };
    let e201 = commands
        .iter()
        .find(|l| l.contains("title=E201"))
        .unwrap_or_else(|| panic!("no E201 in {text}"));
    assert_eq!(
        *e201,
        format!(
            "::error file=site/locales/en-US/{escaped},line=1,col=1,endLine=1,endColumn=6,\
             title=E201::`extra` is missing in zh-CN: the file locales/zh-CN/{escaped_in_message} \
             does not exist [zh-CN]%0Ahelp: create locales/zh-CN/{escaped_in_message} and \
             translate the messages of locales/en-US/{escaped_in_message}"
        )
    );
    let w502 = commands
        .iter()
        .find(|l| l.contains("title=W502") && l.contains("Note"))
        .unwrap_or_else(|| panic!("no W502 in {text}"));
    assert!(
        w502.contains("::text `Note: call us, 100%25 free` is written in the template"),
        "{w502}"
    );
    // Read back as the runner reads it, each command gives the original path and message.
    let (kind, props, message) = split_command(e201);
    assert_eq!(kind, "error");
    assert_eq!(
        props[0],
        ("file".into(), format!("site/locales/en-US/{name}"))
    );
    assert_eq!(
        message,
        format!(
            "`extra` is missing in zh-CN: the file locales/zh-CN/{name} does not exist [zh-CN]\n\
             help: create locales/zh-CN/{name} and translate the messages of locales/en-US/{name}"
        )
    );
    for line in &commands {
        let (kind, props, _) = split_command(line);
        assert!(kind == "error" || kind == "warning", "{line}");
        assert!(props.iter().any(|(k, _)| k == "title"), "{line}");
    }
}

#[test]
fn github_format_ends_with_the_locale_table() {
    let p = prepare(&named("W201-obsolete-message"));
    let out = check(&p, &["--format", "github"]);
    let short = check(&p, &["--format", "short"]);
    assert_eq!(code(&out), 0);
    let text = String::from_utf8(out.stdout).unwrap();
    let short = String::from_utf8(short.stdout).unwrap();
    let table = short.split_once('\n').unwrap().1;
    assert_eq!(
        text,
        format!(
            "::warning file=locales/zh-CN/main.ftl,line=4,col=1,endLine=4,endColumn=9,\
             title=W201::`obsolete` is not in en-US (obsolete) [zh-CN]%0Ahelp: delete it, or \
             restore it in locales/en-US/main.ftl\n{table}"
        )
    );
}

/// Runs `check` twice in each format on a fixture; returns the problems found.
fn determinism_and_exit_codes(f: &Fixture) -> Vec<String> {
    let mut problems = Vec::new();
    let p = prepare(f);
    let json = check(&p, &["--format", "json"]);
    let want = code(&json);
    let want_deny = code(&check(&p, &["--format", "json", "--deny-warnings"]));
    for format in ["sarif", "github"] {
        let one = check_from_tmp(&p, &["--format", format]);
        let two = check_from_tmp(&p, &["--format", format]);
        if one.stdout != two.stdout {
            problems.push(format!(
                "{}: --format {format} differs between runs",
                f.name
            ));
        }
        if code(&one) != want {
            problems.push(format!(
                "{}: --format {format} exits {}, json {want}",
                f.name,
                code(&one)
            ));
        }
        let deny = code(&check_from_tmp(
            &p,
            &["--format", format, "--deny-warnings"],
        ));
        if deny != want_deny {
            problems.push(format!(
                "{}: --format {format} --deny-warnings exits {deny}, json {want_deny}",
                f.name
            ));
        }
    }
    // Results come in the order of the JSON diagnostics.
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    let sarif = parse(&check(&p, &["--format", "sarif"]));
    let from_json: Vec<(String, String, u64, u64)> = crate::fixtures::positions(&json);
    let from_sarif: Vec<(String, String, u64, u64)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let place = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap().to_string(),
                place["artifactLocation"]["uri"]
                    .as_str()
                    .map(percent_decode)
                    .unwrap_or_default(),
                place["region"]["startLine"].as_u64().unwrap_or(0),
                place["region"]["startColumn"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    if from_json != from_sarif {
        problems.push(format!(
            "{}: SARIF results {from_sarif:?} are not the JSON diagnostics {from_json:?}",
            f.name
        ));
    }
    problems
}

/// Decodes `%XX` escapes of a URI path.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], s.get(i + 1..i + 3)) {
            (b'%', Some(hex)) if u8::from_str_radix(hex, 16).is_ok() => {
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn ci_formats_are_deterministic_sorted_and_exit_like_json() {
    let fixtures = all();
    let problems: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = fixtures
            .iter()
            .map(|f| s.spawn(move || determinism_and_exit_codes(f)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ci_formats_exit_2_on_usage_errors() {
    let p = prepare(&named("E201-missing-message"));
    for format in ["sarif", "github"] {
        let out = check(&p, &["--format", format, "--locale", "fr"]);
        assert_eq!(code(&out), 2, "--locale fr");
        assert!(out.stdout.is_empty());
        let out = run(&[
            "check",
            "--site",
            &p.tmp.path().join("nowhere").display().to_string(),
            "--format",
            format,
        ]);
        assert_eq!(code(&out), 2, "a missing site folder");
        assert_eq!(
            code(&check(&p, &["--format", format, "--confirm"])),
            2,
            "--confirm takes no format"
        );
    }
    assert_eq!(code(&check(&p, &["--format", "sarif2"])), 2);
}

#[test]
fn ci_formats_of_one_fixture_match_their_snapshot() {
    let p = prepare(&named("E201-missing-message"));
    let sarif = check_from_tmp(&p, &["--format", "sarif"]);
    let github = check_from_tmp(&p, &["--format", "github"]);
    let text = format!(
        "--- check --format github\n{}\n--- check --format sarif\n{}",
        String::from_utf8_lossy(&github.stdout),
        String::from_utf8_lossy(&sarif.stdout),
    );
    let text = redact(&text, p.tmp.path()).replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("ci_formats__E201-missing-message", text));
}
