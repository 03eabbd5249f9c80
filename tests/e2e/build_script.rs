//! build.rs checks the shipped site with the core crate's validator: with a zh-CN message
//! removed, or one fault of each kind that only rendering used to find, `cargo check` fails and
//! prints the same `path:line:col: error[CODE]: message` lines as `ftlsite check`.
//!
//! The crate is copied to one temp dir and checked with `CARGO_TARGET_DIR=target/buildrs-test`,
//! so the dependencies are compiled once and each fault only re-runs the build script.

use std::path::Path;
use std::process::Command;

use crate::parity::{inject, FAULTS};
use crate::support::{copy_shipped_site, copy_tree, repo, run};

/// A copy of the crate (sources, manifests and the shipped site) in a temp dir.
fn crate_copy() -> tempfile::TempDir {
    let root = repo();
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("ftlsite");
    std::fs::create_dir_all(&dest).unwrap();
    for f in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        if root.join(f).exists() {
            std::fs::copy(root.join(f), dest.join(f)).unwrap();
        }
    }
    copy_tree(&root.join("src"), &dest.join("src"), &[]);
    copy_tree(&root.join("crates"), &dest.join("crates"), &[]);
    copy_shipped_site(&dest);
    // Cargo would also look for the test, bench and example targets the manifest names.
    let manifest = std::fs::read_to_string(dest.join("Cargo.toml")).unwrap();
    std::fs::write(dest.join("Cargo.toml"), strip_targets(&manifest)).unwrap();
    tmp
}

/// `cargo check` of the copy; returns (success, stderr).
fn cargo_check(dir: &Path) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["check", "--quiet", "--lib", "--offline", "-p", "ftlsite"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", repo().join("target/buildrs-test"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `check --format short` of the copy's site: the lines cargo must print too.
fn check_lines(dir: &Path) -> Vec<String> {
    let out = run(&[
        "check",
        "--site",
        &dir.display().to_string(),
        "--format",
        "short",
    ]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains(": error["))
        .map(str::to_string)
        .collect()
}

#[test]
fn cargo_build_fails_with_checks_messages_on_each_fault() {
    let tmp = crate_copy();
    let dest = tmp.path().join("ftlsite");
    let (ok, stderr) = cargo_check(&dest);
    assert!(ok, "the shipped site does not pass build.rs:\n{stderr}");

    // A missing translation.
    let zh = dest.join("locales/zh-CN/trust-center.ftl");
    let original = std::fs::read_to_string(&zh).unwrap();
    let kept: Vec<&str> = original
        .lines()
        .filter(|l| !l.starts_with("skip-to-content ="))
        .collect();
    assert_eq!(
        kept.len() + 1,
        original.lines().count(),
        "the message to remove is not in {}",
        zh.display()
    );
    std::fs::write(&zh, kept.join("\n") + "\n").unwrap();
    let (ok, stderr) = cargo_check(&dest);
    assert!(!ok, "cargo check passed:\n{stderr}");
    assert!(
        stderr.contains("skip-to-content") && stderr.contains("E201"),
        "{stderr}"
    );
    assert!(
        stderr.contains("locales/en-US/trust-center.ftl:"),
        "{stderr}"
    );
    std::fs::write(&zh, &original).unwrap();

    // The faults `check` once missed: cargo fails with exactly the lines `check` prints.
    for fault in FAULTS
        .iter()
        .filter(|f| matches!(f.code, "E502" | "E503" | "E504" | "E306"))
    {
        let path = dest.join(fault.file);
        let before = std::fs::read_to_string(&path).unwrap();
        inject(&dest, fault);
        let lines = check_lines(&dest);
        assert!(
            lines
                .iter()
                .any(|l| l.contains(&format!("error[{}]", fault.code))),
            "{}: check does not report {}: {lines:?}",
            fault.name,
            fault.code
        );
        let (ok, stderr) = cargo_check(&dest);
        assert!(!ok, "{}: cargo check passed:\n{stderr}", fault.name);
        for line in &lines {
            assert!(
                stderr.contains(line.as_str()),
                "{}: cargo does not print `{line}`:\n{stderr}",
                fault.name
            );
        }
        std::fs::write(&path, before).unwrap();
    }
}

/// The manifest without `[[test]]`, `[[bench]]` and `[[example]]` tables, whose files are not
/// copied.
fn strip_targets(manifest: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in manifest.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            skipping = matches!(t, "[[test]]" | "[[bench]]" | "[[example]]");
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
