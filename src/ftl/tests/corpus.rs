//! The writer on real files: the www-l10n corpus, the Fluent spec fixtures, the shipped site,
//! the fmt input/expected pairs, and every fixture cut short.

use std::path::{Path, PathBuf};

use super::{check_format, ftl_files, repo};
use crate::ftl::{format, Document};

/// Formats every file of a corpus; returns (files, changed) and fails on any broken property.
fn corpus(dir: &Path) -> (usize, usize) {
    let files = ftl_files(dir);
    assert!(!files.is_empty(), "no .ftl files under {}", dir.display());
    let mut changed = 0;
    let mut failures = Vec::new();
    for path in &files {
        let name = path
            .strip_prefix(repo())
            .unwrap_or(path)
            .display()
            .to_string();
        let text = std::fs::read_to_string(path).unwrap();
        match check_format(&name, &text) {
            Ok(true) => changed += 1,
            Ok(false) => {}
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    (files.len(), changed)
}

#[test]
fn www_l10n_en_formats_idempotently_and_keeps_every_ast() {
    let (files, changed) = corpus(&repo().join("tests/fixtures/www-l10n/en"));
    println!("www-l10n en: {files} files, {changed} change under fmt");
    assert!(files >= 100);
}

#[test]
fn www_l10n_zh_cn_formats_idempotently_and_keeps_every_ast() {
    let (files, changed) = corpus(&repo().join("tests/fixtures/www-l10n/zh-CN"));
    println!("www-l10n zh-CN: {files} files, {changed} change under fmt");
    assert!(files >= 100);
}

/// The Fluent syntax spec fixtures, every one of them: none needs skipping.
#[test]
fn fluent_spec_fixtures_format_idempotently_and_keep_every_ast() {
    let (files, changed) = corpus(&repo().join("tests/fixtures/fluent-syntax"));
    println!("fluent spec fixtures: {files} files, {changed} change under fmt");
    assert_eq!(files, 39);
}

#[test]
fn the_shipped_site_is_fmt_clean() {
    for path in ftl_files(&repo().join("locales")) {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(format(&text), text, "{} is not fmt-clean", path.display());
    }
}

/// `tests/fixtures/fmt/<case>/input.ftl` formats to `expected.ftl`, which is itself clean.
/// Regenerate with `UPDATE_EXPECT=1 cargo test --lib ftl::tests`, then review the diff.
#[test]
fn fmt_fixtures() {
    let root = repo().join("tests/fixtures/fmt");
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| !v.is_empty() && v != "0");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 10,
        "fmt fixtures missing under {}",
        root.display()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let input = std::fs::read_to_string(case.join("input.ftl")).unwrap();
        let got = format(&input);
        if let Err(e) = check_format(&name, &input) {
            failures.push(e);
        }
        let expected_path = case.join("expected.ftl");
        if update {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!("{name}:\n--- expected\n{expected}\n--- got\n{got}"));
        }
        if format(&expected) != expected {
            failures.push(format!("{name}: expected.ftl is not fmt-clean"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every fixture cut at evenly spaced char boundaries: cut-off comments, placeables, selects and
/// line endings still format idempotently to the same AST, and edits on them do not panic.
#[test]
fn cut_fixtures_format_idempotently_and_keep_every_ast() {
    const CUTS: usize = 48;
    let mut files = ftl_files(&repo().join("tests/fixtures/fmt"));
    files.extend(ftl_files(&repo().join("tests/fixtures/fluent-syntax")));
    files.extend(ftl_files(&repo().join("locales")));
    files.extend(
        ftl_files(&repo().join("tests/fixtures/www-l10n"))
            .into_iter()
            .step_by(8),
    );
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let step = (bounds.len() / CUTS).max(1);
        for &cut in bounds.iter().step_by(step) {
            let (head, tail) = text.split_at(cut);
            for (what, part) in [("head", head), ("tail", tail)] {
                let name = format!("{} {what} at {cut}", path.display());
                if let Err(e) = check_format(&name, part) {
                    failures.push(e);
                }
                let mut doc = Document::parse(part);
                let ids: Vec<String> = doc.ids().map(str::to_string).collect();
                if let Some(id) = ids.first() {
                    let _ = doc.replace_value(id, "x");
                    let _ = doc.insert_after(&[id.as_str()], "cut-new = y");
                    let _ = doc.remove(id);
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
