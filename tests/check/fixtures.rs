//! One fixture per diagnostic code: `tests/fixtures/check/<CODE>-<slug>/`.
//!
//! Each fixture is a tiny complete site (site.toml, locales/en-US, locales/zh-CN, templates/) or,
//! without a site.toml, a bare tree (`en-US/`, `zh-CN/`) checked with `--locales-dir`. It is
//! copied to a temp dir and run through the real binary: `ftlsite check --format json`, compared
//! with `expected.json`; or, for the codes only rendering finds ([`BUILD_CODES`]), `ftlsite build`,
//! whose stderr is compared with `expected.txt` after the temp path is replaced by `[TMP]`. A site
//! whose site.toml does not load (E0xx) is reported as a JSON document too, with an empty
//! per-locale table.

use std::path::{Path, PathBuf};

use ftlsite::diagnostics::Code;
use serde_json::Value;

use crate::support::{code, copy_tree, fixtures_root, ftlsite, redact, updating};

/// Codes reported by the render stage of `ftlsite build`, not by `check`.
pub const BUILD_CODES: &[Code] = &[Code::E502, Code::E503, Code::E504];

/// Files beside a fixture that are not part of its site.
const GOLDEN: &[&str] = &["expected.json", "expected.txt"];

/// A fixture folder and the code its name starts with.
pub struct Fixture {
    pub name: String,
    pub dir: PathBuf,
    pub code: Option<Code>,
}

impl Fixture {
    fn is_build(&self) -> bool {
        self.code.is_some_and(|c| BUILD_CODES.contains(&c))
    }
}

/// Every fixture, sorted by name.
pub fn all() -> Vec<Fixture> {
    let mut out: Vec<Fixture> = std::fs::read_dir(fixtures_root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let code = name.split('-').next().and_then(Code::parse);
            Fixture { name, dir, code }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The fixture by name.
pub fn named(name: &str) -> Fixture {
    all()
        .into_iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no fixture {name}"))
}

/// A fixture copied to a temp dir, ready to run.
pub struct Prepared {
    pub tmp: tempfile::TempDir,
    pub site: PathBuf,
    pub bare: bool,
}

/// Copies a fixture to a temp dir (without its golden files) and writes the bytes that are
/// easier made here than committed.
pub fn prepare(f: &Fixture) -> Prepared {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&f.dir, &site, GOLDEN);
    if f.name == "E003-invalid-utf8" {
        write_invalid_utf8(&site.join("locales/zh-CN/extra.ftl"));
    }
    let bare = !site.join("site.toml").exists();
    Prepared { tmp, site, bare }
}

/// Two valid lines, then a Latin-1 `é` (0xE9) in the middle of the third line.
pub fn write_invalid_utf8(path: &Path) {
    let mut bytes = b"# Extra messages\nextra-ok = fine\nextra-bad = caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b" au lait\n");
    std::fs::write(path, bytes).unwrap();
}

/// The `check` arguments for a prepared fixture, plus `extra`.
pub fn check_args<'a>(p: &'a Prepared, extra: &[&'a str]) -> Vec<String> {
    let site = p.site.display().to_string();
    let mut args: Vec<String> = vec!["check".into()];
    if p.bare {
        args.extend([
            "--locales-dir".into(),
            site,
            "--source-locale".into(),
            "en-US".into(),
        ]);
    } else {
        args.extend(["--site".into(), site]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// Runs `check` on a prepared fixture.
pub fn check(p: &Prepared, extra: &[&str]) -> std::process::Output {
    let args = check_args(p, extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ftlsite(&args)
}

/// `check --format json` of a fixture, parsed.
pub fn check_json(name: &str) -> Value {
    let p = prepare(&named(name));
    let out = check(&p, &["--format", "json"]);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The diagnostics of a JSON report as (code, path, line, column).
pub fn positions(report: &Value) -> Vec<(String, String, u64, u64)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The codes a text report names (`error[E201]`), in table order.
fn codes_in_text(text: &str) -> Vec<String> {
    Code::ALL
        .iter()
        .filter(|c| text.contains(&format!("[{}]", c.as_str())))
        .map(|c| c.as_str().to_string())
        .collect()
}

/// Runs one fixture; returns its problems (empty when it passes).
fn run_one(f: &Fixture) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(own) = f.code else {
        return vec![format!(
            "{}: the name does not start with a known code",
            f.name
        )];
    };
    let p = prepare(f);
    let mut golden = f.dir.join("expected.txt");
    let (actual, codes) = if f.is_build() {
        let out_dir = p.tmp.path().join("out").display().to_string();
        let site = p.site.display().to_string();
        let out = ftlsite(&["build", "--site", &site, "--out", &out_dir]);
        if code(&out) != 1 {
            problems.push(format!(
                "{}: build exited {}, expected 1",
                f.name,
                code(&out)
            ));
        }
        let stderr = redact(&String::from_utf8_lossy(&out.stderr), p.tmp.path());
        let codes = codes_in_text(&stderr);
        (stderr, codes)
    } else {
        let first = check(&p, &["--format", "json"]);
        let second = check(&p, &["--format", "json", "--deny-warnings"]);
        if first.stdout != second.stdout || first.stderr != second.stderr {
            problems.push(format!("{}: output differs between two runs", f.name));
        }
        match serde_json::from_slice::<Value>(&first.stdout) {
            Ok(report) => {
                let errors = report["summary"]["errors"].as_u64().unwrap_or(0);
                let warnings = report["summary"]["warnings"].as_u64().unwrap_or(0);
                let want = if errors > 0 { 1 } else { 0 };
                if code(&first) != want {
                    problems.push(format!(
                        "{}: exit {} with {errors} error(s), expected {want}",
                        f.name,
                        code(&first)
                    ));
                }
                let want_deny = if errors + warnings > 0 { 1 } else { 0 };
                if code(&second) != want_deny {
                    problems.push(format!(
                        "{}: exit {} under --deny-warnings with {errors} error(s) and {warnings} warning(s), expected {want_deny}",
                        f.name,
                        code(&second)
                    ));
                }
                let codes = positions(&report).into_iter().map(|(c, ..)| c).collect();
                golden = f.dir.join("expected.json");
                (
                    redact(&String::from_utf8_lossy(&first.stdout), p.tmp.path()),
                    codes,
                )
            }
            // A site that does not load (E0xx from site.toml) is reported on stderr as text.
            Err(_) if first.stdout.is_empty() => {
                if code(&first) != 1 {
                    problems.push(format!(
                        "{}: exit {} for a site that does not load, expected 1",
                        f.name,
                        code(&first)
                    ));
                }
                let stderr = redact(&String::from_utf8_lossy(&first.stderr), p.tmp.path());
                golden = f.dir.join("expected.txt");
                (stderr.clone(), codes_in_text(&stderr))
            }
            Err(e) => {
                problems.push(format!("{}: stdout is not JSON: {e}", f.name));
                return problems;
            }
        }
    };
    if !codes.iter().any(|c| c == own.as_str()) {
        problems.push(format!(
            "{}: the output has no {own} (it has {codes:?})",
            f.name
        ));
    }
    if updating() {
        for g in GOLDEN {
            let _ = std::fs::remove_file(f.dir.join(g));
        }
        std::fs::write(&golden, &actual).unwrap();
    } else {
        match std::fs::read_to_string(&golden) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => problems.push(format!(
                "{}: output differs from {}\n--- expected\n{expected}\n--- actual\n{actual}",
                f.name,
                golden.display()
            )),
            Err(e) => problems.push(format!("{}: cannot read {}: {e}", f.name, golden.display())),
        }
    }
    problems
}

#[test]
fn every_fixture_gives_its_expected_output_and_exit_code() {
    let fixtures = all();
    assert!(!fixtures.is_empty());
    let problems: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = fixtures.iter().map(|f| s.spawn(|| run_one(f))).collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        problems.is_empty(),
        "{} problem(s) (regenerate with UPDATE_EXPECT=1 cargo test --test check, then review):\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

#[test]
fn every_code_has_a_fixture() {
    let names: Vec<String> = all().into_iter().map(|f| f.name).collect();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !names.iter().any(|n| n.starts_with(&format!("{c}-"))))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a fixture in tests/fixtures/check/: {missing:?}"
    );
}

#[test]
fn every_fixture_is_named_after_a_code() {
    let bad: Vec<String> = all()
        .into_iter()
        .filter(|f| f.code.is_none())
        .map(|f| f.name)
        .collect();
    assert!(bad.is_empty(), "fixtures not named <CODE>-<slug>: {bad:?}");
}
