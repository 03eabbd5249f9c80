//! One fixture per diagnostic code: `tests/fixtures/check/<CODE>-<slug>/`.
//!
//! Each fixture is a tiny complete site (site.toml, locales/en-US, locales/zh-CN, templates/) or,
//! without a site.toml, a bare tree (`en-US/`, `zh-CN/`) checked with `--locales-dir`. It is
//! copied to a temp dir and run through the real binary: `ftlsite check --format json` and
//! `--format short`, both snapshotted (`tests/snapshots/check__<fixture>.snap`), with the exit
//! code. A few fixtures are written at test time because git cannot carry them portably (a file
//! name that is not UTF-8, a symbolic link leading out of the site): see [`generated`].

use std::path::{Path, PathBuf};

use ftlsite::diagnostics::Code;
use serde_json::Value;

use crate::support::{code, copy_tree, fixtures_root, redact, run};

/// A fixture folder and the code its name starts with.
pub struct Fixture {
    pub name: String,
    pub dir: Option<PathBuf>,
    pub code: Option<Code>,
}

/// Writes a generated fixture into the given site folder.
type Writer = fn(&Path);

/// Fixtures made at test time: (name, writer).
fn generated() -> Vec<(&'static str, Writer)> {
    vec![
        ("E008-non-utf8-file-name", |site: &Path| {
            copy_tree(&fixtures_root().join("W201-obsolete-message"), site, &[]);
            #[cfg(target_os = "linux")]
            {
                use std::os::unix::ffi::OsStrExt;
                let name = std::ffi::OsStr::from_bytes(b"logo-\xff.svg");
                std::fs::create_dir_all(site.join("assets")).unwrap();
                std::fs::write(site.join("assets").join(name), "<svg/>").unwrap();
            }
        }),
        ("W001-symlink-out-of-the-site", |site: &Path| {
            copy_tree(&fixtures_root().join("W201-obsolete-message"), site, &[]);
            #[cfg(unix)]
            {
                let outside = site.parent().unwrap().join("outside");
                std::fs::create_dir_all(&outside).unwrap();
                std::fs::write(outside.join("secret.txt"), "secret").unwrap();
                std::fs::create_dir_all(site.join("assets")).unwrap();
                std::os::unix::fs::symlink(outside.join("secret.txt"), site.join("assets/secret.txt"))
                    .unwrap();
            }
        }),
    ]
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
            Fixture {
                name,
                dir: Some(dir),
                code,
            }
        })
        .chain(generated().into_iter().map(|(name, _)| Fixture {
            name: name.to_string(),
            dir: None,
            code: name.split('-').next().and_then(Code::parse),
        }))
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

/// Copies a fixture to a temp dir and writes the bytes that are easier made here than
/// committed.
pub fn prepare(f: &Fixture) -> Prepared {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    match &f.dir {
        Some(dir) => copy_tree(dir, &site, &[]),
        None => {
            let (_, write) = generated()
                .into_iter()
                .find(|(n, _)| *n == f.name)
                .unwrap();
            write(&site);
        }
    }
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
pub fn check_args(p: &Prepared, extra: &[&str]) -> Vec<String> {
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
    run(&args)
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

/// The snapshot of one fixture: exit codes, the short form and the JSON document.
fn snapshot(f: &Fixture) -> (String, Vec<String>) {
    let mut problems = Vec::new();
    let p = prepare(f);
    let json = check(&p, &["--format", "json"]);
    let again = check(&p, &["--format", "json"]);
    let short = check(&p, &["--format", "short"]);
    let deny = check(&p, &["--format", "json", "--deny-warnings"]);
    if json.stdout != again.stdout {
        problems.push(format!("{}: output differs between two runs", f.name));
    }
    let report: Value = match serde_json::from_slice(&json.stdout) {
        Ok(v) => v,
        Err(e) => {
            problems.push(format!("{}: stdout is not JSON: {e}", f.name));
            Value::Null
        }
    };
    let errors = report["summary"]["errors"].as_u64().unwrap_or(0);
    let warnings = report["summary"]["warnings"].as_u64().unwrap_or(0);
    let want = u8::from(errors > 0);
    if code(&json) != i32::from(want) || code(&short) != i32::from(want) {
        problems.push(format!(
            "{}: exit {} with {errors} error(s), expected {want}",
            f.name,
            code(&json)
        ));
    }
    let want_deny = u8::from(errors + warnings > 0);
    if code(&deny) != i32::from(want_deny) {
        problems.push(format!(
            "{}: exit {} under --deny-warnings with {errors} error(s) and {warnings} warning(s)",
            f.name,
            code(&deny)
        ));
    }
    if let Some(own) = f.code {
        let has = report["diagnostics"]
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["code"] == own.as_str()));
        if !has {
            problems.push(format!("{}: the report has no {own}", f.name));
        }
    }
    let text = format!(
        "exit: {}\n\n--- check --format short\n{}\n--- check --format json\n{}",
        code(&json),
        redact(&String::from_utf8_lossy(&short.stdout), p.tmp.path()),
        redact(&String::from_utf8_lossy(&json.stdout), p.tmp.path()),
    );
    (text, problems)
}

#[test]
fn every_fixture_matches_its_snapshot() {
    let fixtures = all();
    assert!(!fixtures.is_empty());
    let results: Vec<(String, String, Vec<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = fixtures
            .iter()
            .map(|f| {
                s.spawn(move || {
                    let (text, problems) = snapshot(f);
                    (f.name.clone(), text, problems)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let problems: Vec<String> = results.iter().flat_map(|(_, _, p)| p.clone()).collect();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, text, _) in &results {
            insta::assert_snapshot!(format!("check__{name}"), text);
        }
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
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
