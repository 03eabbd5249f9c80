//! `ftlsite fmt`: check, diff and rewrite .ftl files on the real binary, exit codes included.

use std::path::Path;

use crate::support::*;

const MESSY: &str = "# Greeting\nhello=Hello,   { $name }\n\n\n\nbye =\n    Bye\n";
const CLEAN: &str = "# Greeting\nhello = Hello,   { $name }\n\nbye = Bye\n";

/// A site folder with one messy and one clean file under locales/.
fn site(dir: &Path) {
    std::fs::create_dir_all(dir.join("locales/en-US")).unwrap();
    std::fs::create_dir_all(dir.join("locales/zh-CN")).unwrap();
    std::fs::write(dir.join("locales/en-US/main.ftl"), MESSY).unwrap();
    std::fs::write(dir.join("locales/zh-CN/main.ftl"), CLEAN).unwrap();
}

#[test]
fn check_lists_the_files_that_would_change_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path());
    let o = ftlsite(tmp.path(), &["fmt", "--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "locales/en-US/main.ftl\n"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 of 2 file(s) would be reformatted"));
    let messy = std::fs::read_to_string(tmp.path().join("locales/en-US/main.ftl")).unwrap();
    assert_eq!(messy, MESSY, "--check wrote a file");
}

#[test]
fn diff_prints_a_unified_diff_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path());
    let o = ftlsite(tmp.path(), &["fmt", "--diff"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let expected = "\
--- a/locales/en-US/main.ftl
+++ b/locales/en-US/main.ftl
@@ -1,7 +1,4 @@
 # Greeting
-hello=Hello,   { $name }
-
-
+hello = Hello,   { $name }
 
-bye =
-    Bye
+bye = Bye
";
    assert_eq!(String::from_utf8_lossy(&o.stdout), expected);
    let messy = std::fs::read_to_string(tmp.path().join("locales/en-US/main.ftl")).unwrap();
    assert_eq!(messy, MESSY, "--diff wrote a file");
}

#[test]
fn fmt_rewrites_only_changed_files_and_then_check_is_clean() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path());
    let clean = tmp.path().join("locales/zh-CN/main.ftl");
    let before = std::fs::metadata(&clean).unwrap().modified().unwrap();

    let o = ftlsite(tmp.path(), &["fmt"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "formatted locales/en-US/main.ftl\n"
    );
    let formatted = std::fs::read_to_string(tmp.path().join("locales/en-US/main.ftl")).unwrap();
    assert_eq!(formatted, CLEAN);
    assert_eq!(
        std::fs::metadata(&clean).unwrap().modified().unwrap(),
        before
    );
    let names: Vec<_> = std::fs::read_dir(tmp.path().join("locales/en-US"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["main.ftl"], "a temporary file was left behind");

    let o = ftlsite(tmp.path(), &["fmt", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "");
}

#[test]
fn paths_and_site_select_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    site(&tmp.path().join("s"));
    std::fs::write(tmp.path().join("loose.ftl"), "a=1").unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "a=1").unwrap();

    let o = ftlsite(tmp.path(), &["fmt", "--check", "--site", "s"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "s/locales/en-US/main.ftl\n"
    );

    let o = ftlsite(
        tmp.path(),
        &["fmt", "--check", "loose.ftl", "s/locales/zh-CN", "."],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "./loose.ftl\n./s/locales/en-US/main.ftl\n"
    );

    let o = ftlsite(tmp.path(), &["fmt", "missing.ftl"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("missing.ftl: no such file or folder"),
        "{}",
        text(&o)
    );

    let o = ftlsite(tmp.path(), &["fmt"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("no locales/ folder"), "{}", text(&o));
}

#[test]
fn invalid_utf8_is_an_error_naming_the_file_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path());
    let bad = tmp.path().join("locales/zh-CN/bad.ftl");
    let bytes = b"ok = 1\nbad = \xff\xfe\n".to_vec();
    std::fs::write(&bad, &bytes).unwrap();

    let o = ftlsite(tmp.path(), &["fmt"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("locales/zh-CN/bad.ftl is not UTF-8: invalid byte at offset 13 (line 2)"),
        "{err}"
    );
    assert_eq!(std::fs::read(&bad).unwrap(), bytes);
    let messy = std::fs::read_to_string(tmp.path().join("locales/en-US/main.ftl")).unwrap();
    assert_eq!(messy, MESSY, "a file was written despite the error");
}

#[test]
fn the_shipped_site_is_fmt_clean() {
    let o = ftlsite(repo(), &["fmt", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "");
}
