//! Translation QA end to end: `check --fix` and `--fix --dry-run` on a fixture site, and the
//! shipped site held to its glossary.

use std::path::Path;

use crate::support::*;

/// The fixture with every mechanical defect, copied to `<tmp>/site`.
fn qa_fix_site(tmp: &Path) -> std::path::PathBuf {
    let site = tmp.join("site");
    copy_tree(&repo().join("tests/fixtures/sites/qa-fix"), &site, &[]);
    site
}

fn check(site: &Path, extra: &[&str]) -> std::process::Output {
    let s = site.display().to_string();
    let mut args = vec!["check", "--site", s.as_str()];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn fix_dry_run_prints_a_unified_diff_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let site = qa_fix_site(tmp.path());
    let before = read_tree(&site);
    let o = check(&site, &["--fix", "--dry-run"]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert_eq!(read_tree(&site), before, "--dry-run wrote to the site");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::assert_snapshot!("qa__fix_dry_run", String::from_utf8_lossy(&o.stdout));
    });
}

#[test]
fn fix_rewrites_only_the_affected_entries_and_twice_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let site = qa_fix_site(tmp.path());
    let path = site.join("locales/zh-CN/main.ftl");
    let o = check(&site, &["--fix", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        text(&o).contains("fixed 4 pattern(s) in 1 file(s)"),
        "{}",
        text(&o)
    );
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        fixed,
        "language-name = 中文\ntitle = 示例\nintro = 阅读“客户数据”一节…\nkeep = 数据保留 60 天。\n\
         use = 使用 { -brand } 服务。\n    .title = { -brand } 的服务\n-brand = Example Co\n"
    );
    // What is not mechanical is still reported: the changed number.
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["W605"]);
    // The English source is never rewritten.
    assert_eq!(
        std::fs::read(site.join("locales/en-US/main.ftl")).unwrap(),
        std::fs::read(repo().join("tests/fixtures/sites/qa-fix/locales/en-US/main.ftl")).unwrap()
    );
    let tree = read_tree(&site);
    let again = check(&site, &["--fix"]);
    assert_eq!(code(&again), 0, "{}", text(&again));
    assert!(
        text(&again).contains("fixed 0 pattern(s) in 0 file(s)"),
        "{}",
        text(&again)
    );
    assert_eq!(read_tree(&site), tree, "a second --fix changed files");
    let dry = check(&site, &["--fix", "--dry-run"]);
    assert_eq!(code(&dry), 0, "{}", text(&dry));
    assert!(dry.stdout.is_empty(), "{}", text(&dry));
}

#[test]
fn fix_needs_a_site_folder() {
    let o = run(&["check", "--fix"]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    let o = run(&["check", "--dry-run"]);
    assert_eq!(
        code(&o),
        2,
        "--dry-run without --fix is a usage error: {}",
        text(&o)
    );
}

#[test]
fn shipped_site_is_clean_with_its_glossary() {
    let tmp = tempfile::tempdir().unwrap();
    copy_shipped_site(tmp.path());
    assert!(tmp.path().join("glossary.toml").is_file());
    let o = check(tmp.path(), &["--deny-warnings"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        text(&o).contains("0 error(s), 0 warning(s)"),
        "{}",
        text(&o)
    );
}

#[test]
fn payment_data_put_back_fails_with_e702() {
    let tmp = tempfile::tempdir().unwrap();
    copy_shipped_site(tmp.path());
    let path = tmp.path().join("locales/zh-CN/privacy.ftl");
    let zh = std::fs::read_to_string(&path).unwrap();
    assert_eq!(zh.matches("付款数据").count(), 8);
    std::fs::write(&path, zh.replacen("付款数据", "支付数据", 1)).unwrap();
    let o = check(tmp.path(), &["--format", "short"]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let errors: Vec<&str> = out.lines().filter(|l| l.contains(": error[")).collect();
    assert_eq!(
        errors,
        [
            "locales/zh-CN/privacy.ftl:44:24: error[E702]: `支付数据` is a forbidden rendering of \
          the glossary term “Payment Data” (defined term of the customer agreements) [zh-CN]"
        ],
        "{out}"
    );
}

#[test]
fn glossary_errors_point_into_glossary_toml() {
    let tmp = tempfile::tempdir().unwrap();
    copy_shipped_site(tmp.path());
    let g = tmp.path().join("glossary.toml");
    let text_before = std::fs::read_to_string(&g).unwrap();
    std::fs::write(
        &g,
        text_before.replacen("strict = true", "strict = \"yes\"", 1),
    )
    .unwrap();
    let o = check(tmp.path(), &["--format", "short"]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("glossary.toml:7:10: error[E001]:"), "{out}");
}
