//! build.rs checks the shipped site: with a zh-CN message removed, `cargo check` fails and names
//! the message, the code and the file.
//!
//! The crate is copied to a temp dir and checked with `CARGO_TARGET_DIR=target/buildrs-test`, so
//! the dependencies are compiled once and reused by later runs.

use std::process::Command;

use crate::support::{copy_shipped_site, copy_tree, repo};

#[test]
fn cargo_build_fails_on_a_missing_translation() {
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
    let manifest: String = strip_targets(&manifest);
    std::fs::write(dest.join("Cargo.toml"), manifest).unwrap();

    let zh = dest.join("locales/zh-CN/trust-center.ftl");
    let text = std::fs::read_to_string(&zh).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("skip-to-content ="))
        .collect();
    assert_eq!(
        kept.len() + 1,
        text.lines().count(),
        "the message to remove is not in {}",
        zh.display()
    );
    std::fs::write(&zh, kept.join("\n") + "\n").unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["check", "--quiet", "--lib", "--offline"])
        .current_dir(&dest)
        .env("CARGO_TARGET_DIR", root.join("target/buildrs-test"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "cargo check passed:\n{stderr}");
    assert!(stderr.contains("skip-to-content"), "{stderr}");
    assert!(stderr.contains("E201"), "{stderr}");
    assert!(
        stderr.contains("locales/en-US/trust-center.ftl:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("locales/zh-CN/trust-center.ftl"),
        "{stderr}"
    );
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
