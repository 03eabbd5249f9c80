//! Parity: every error that makes `ftlsite build` fail is reported by `ftlsite check` too, at the
//! same code, file and line — on every fixture site, and on the shipped site with one injected
//! fault of each kind that used to slip past `check`.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::support::{code, copy_shipped_site, copy_tree, fixtures_root, repo, run, text};

/// A fault injected into a copy of the shipped site: (file, text to find, replacement, code).
pub struct Fault {
    pub name: &'static str,
    pub file: &'static str,
    pub find: &'static str,
    pub replace: &'static str,
    pub code: &'static str,
}

/// The faults `check` and build.rs once missed.
pub const FAULTS: &[Fault] = &[
    Fault {
        name: "template syntax error",
        file: "templates/privacy.html",
        find: "{% endblock %}",
        replace: "{% if %}{% endblock %}",
        code: "E502",
    },
    Fault {
        name: "undeclared link",
        file: "templates/TrustCenterPage.html",
        find: "</body>",
        replace: "<a href=\"{{ link(\"nowhere\") }}\"></a></body>",
        code: "E503",
    },
    Fault {
        name: "dangling href in the layout",
        file: "templates/TrustCenterPage.html",
        find: "</body>",
        replace: "<a href=\"missing.html\"></a></body>",
        code: "E504",
    },
    Fault {
        name: "message cycle",
        file: "locales/zh-CN/privacy.ftl",
        find: "privacy-hero-title = 隐私\n",
        replace: "privacy-hero-title = { privacy-hero-title }\n",
        code: "E306",
    },
    Fault {
        name: "unknown function",
        file: "locales/zh-CN/privacy.ftl",
        find: "privacy-hero-caption = 您拥有并掌控您的客户数据。\n",
        replace: "privacy-hero-caption = { FOO() }\n",
        code: "E307",
    },
    Fault {
        name: "NUMBER() without an argument",
        file: "locales/zh-CN/privacy.ftl",
        find: "privacy-breadcrumb-current = 隐私\n",
        replace: "privacy-breadcrumb-current = { NUMBER() }\n",
        code: "E308",
    },
    Fault {
        name: "NUMBER(\"NaN\")",
        file: "locales/zh-CN/privacy.ftl",
        find: "privacy-breadcrumb-current = 隐私\n",
        replace: "privacy-breadcrumb-current = { NUMBER(\"NaN\") }\n",
        code: "E308",
    },
    Fault {
        name: "DATETIME of a day that does not exist",
        file: "locales/zh-CN/privacy.ftl",
        find: "privacy-breadcrumb-current = 隐私\n",
        replace: "privacy-breadcrumb-current = { DATETIME(\"2026-02-30\") }\n",
        code: "E308",
    },
];

/// Applies a fault to the site in `dir`.
pub fn inject(dir: &Path, fault: &Fault) {
    let path = dir.join(fault.file);
    let before = std::fs::read_to_string(&path).unwrap();
    assert!(
        before.contains(fault.find),
        "{}: `{}` is not in {}",
        fault.name,
        fault.find,
        fault.file
    );
    std::fs::write(&path, before.replacen(fault.find, fault.replace, 1)).unwrap();
}

/// The errors of a text report, as (code, path, line), from its `path:line:col: error[CODE]`
/// lines.
pub fn errors_in_text(text: &str) -> BTreeSet<(String, String, u64)> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let line = line.trim_start_matches("error: ");
        let Some(at) = line.find(": error[") else {
            continue;
        };
        let code = &line[at + 8..];
        let Some(code) = code.split(']').next() else {
            continue;
        };
        let mut place = line[..at].rsplitn(3, ':');
        let (_col, line_no, path) = (place.next(), place.next(), place.next());
        if let (Some(path), Some(Ok(n))) = (path, line_no.map(str::parse::<u64>)) {
            out.insert((code.to_string(), path.to_string(), n));
        }
    }
    out
}

/// The errors `check --format json` reports for a site, as (code, path, line).
fn check_errors(site: &Path) -> BTreeSet<(String, String, u64)> {
    let out = run(&[
        "check",
        "--site",
        &site.display().to_string(),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Builds the site; returns the exit code and the errors it printed.
fn build_errors(site: &Path, out: &Path) -> (i32, BTreeSet<(String, String, u64)>, String) {
    let o = run(&[
        "build",
        "--site",
        &site.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    (code(&o), errors_in_text(&text(&o)), text(&o))
}

/// Asserts the parity on one site; returns the check errors.
fn assert_parity(name: &str, site: &Path, out: &Path) -> BTreeSet<(String, String, u64)> {
    let (status, built, output) = build_errors(site, out);
    let checked = check_errors(site);
    if status == 1 {
        assert!(
            !built.is_empty(),
            "{name}: build failed without a placed error:\n{output}"
        );
    }
    let missed: Vec<_> = built.difference(&checked).collect();
    assert!(
        missed.is_empty(),
        "{name}: build reports errors check does not: {missed:?}\ncheck: {checked:?}\nbuild:\n{output}"
    );
    if !checked.is_empty() {
        assert_ne!(
            status, 0,
            "{name}: check finds errors, build passes:\n{output}"
        );
    }
    checked
}

#[test]
fn check_reports_every_error_build_reports_on_every_fixture_site() {
    let mut sites: Vec<std::path::PathBuf> = Vec::new();
    for root in [fixtures_root(), repo().join("tests/fixtures/sites")] {
        for e in std::fs::read_dir(root).unwrap() {
            let dir = e.unwrap().path();
            if dir.join("site.toml").exists() {
                sites.push(dir);
            }
        }
    }
    sites.sort();
    assert!(sites.len() > 20, "{sites:?}");
    std::thread::scope(|s| {
        for dir in &sites {
            s.spawn(move || {
                let tmp = tempfile::tempdir().unwrap();
                let site = tmp.path().join("site");
                copy_tree(dir, &site, &[]);
                let name = dir.file_name().unwrap().to_string_lossy();
                assert_parity(&name, &site, &tmp.path().join("out"));
            });
        }
    });
}

#[test]
fn check_reports_every_injected_fault_where_build_does() {
    std::thread::scope(|s| {
        for fault in FAULTS {
            s.spawn(move || {
                let tmp = tempfile::tempdir().unwrap();
                let site = tmp.path().join("site");
                copy_shipped_site(&site);
                inject(&site, fault);
                let checked = assert_parity(fault.name, &site, &tmp.path().join("out"));
                let placed: Vec<_> = checked.iter().filter(|(c, ..)| c == fault.code).collect();
                assert!(
                    placed.iter().any(|(_, path, _)| path == fault.file),
                    "{}: no {} in {}: {checked:?}",
                    fault.name,
                    fault.code,
                    fault.file
                );
            });
        }
    });
}
