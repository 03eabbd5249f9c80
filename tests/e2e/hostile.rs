//! Hostile input: each reproduction of the red-team report, as a test named after it. The
//! contract: a diagnostic with file:line:col and exit 1 (content) or 2 (usage, I/O), never a
//! panic (exit 101) or an abort (134), never a partial output, nothing outside the site read.

use std::path::Path;

use serde_json::Value;

use crate::support::{code, copy_shipped_site, read_tree, run, text};

/// A copy of the shipped site (clean: 0 errors, 0 warnings) in `dir`.
fn site_with(dir: &Path) -> String {
    copy_shipped_site(dir);
    dir.display().to_string()
}

/// The 1-based line of the first line of `file` that contains `needle`.
fn line_of(file: &Path, needle: &str) -> u64 {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1
}

fn check_json(site: &str) -> (i32, Value) {
    let out = run(&["check", "--site", site, "--format", "json"]);
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code(&out), v)
}

fn has(report: &Value, code: &str, path: &str) -> Option<(u64, u64)> {
    report["diagnostics"].as_array()?.iter().find_map(|d| {
        (d["code"] == code && d["path"] == path).then(|| {
            (
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
    })
}

#[test]
fn stack_overflow_abort_on_2700_nested_placeables_is_e102() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(&tmp.path().join("site"));
    // At least 16 .ftl files, so catalogs are parsed on worker threads with small stacks.
    for i in 0..16 {
        for l in ["en-US", "zh-CN"] {
            std::fs::write(
                tmp.path()
                    .join(format!("site/locales/{l}/extra-{i:02}.ftl")),
                format!("extra-{i} = Extra {i}\n"),
            )
            .unwrap();
        }
    }
    let deep = format!("body = {}\"x\"{}\n", "{ ".repeat(2700), " }".repeat(2700));
    let zh = tmp.path().join("site/locales/zh-CN/extra-00.ftl");
    std::fs::write(&zh, format!("extra-0 = 额外 0\n{deep}")).unwrap();
    let (status, report) = check_json(&site);
    assert_eq!(status, 1, "{report}");
    // `body = ` and 32 levels of `{ `: the 33rd `{` is column 72.
    assert_eq!(
        has(&report, "E102", "locales/zh-CN/extra-00.ftl"),
        Some((2, 72))
    );
    let out_dir = tmp.path().join("out").display().to_string();
    let built = run(&["build", "--site", &site, "--out", &out_dir]);
    assert_eq!(code(&built), 1, "{}", text(&built));
    assert!(text(&built).contains("error[E102]"), "{}", text(&built));
    assert!(!tmp.path().join("out").exists());
    // Twenty thousand levels on the main thread, too.
    let deeper = format!(
        "body = {}\"x\"{}\n",
        "{ ".repeat(20_000),
        " }".repeat(20_000)
    );
    std::fs::write(&zh, format!("extra-0 = 额外 0\n{deeper}")).unwrap();
    let (status, report) = check_json(&site);
    assert_eq!(status, 1);
    assert!(has(&report, "E102", "locales/zh-CN/extra-00.ftl").is_some());
}

#[test]
fn panic_on_a_template_byte_after_an_attribute_is_gone() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(&tmp.path().join("site"));
    let page = tmp.path().join("site/templates/TrustCenterPage.html");
    let html = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, html.replace("<body>", "<body><p =\"x\"é>")).unwrap();
    let out_dir = tmp.path().join("out").display().to_string();
    let built = run(&["build", "--site", &site, "--out", &out_dir]);
    assert_ne!(code(&built), 101, "{}", text(&built));
    let checked = run(&["check", "--site", &site]);
    assert_ne!(code(&checked), 101, "{}", text(&checked));
}

#[test]
fn stored_xss_through_a_page_output_path_is_refused_at_site_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(&tmp.path().join("site"));
    let toml = tmp.path().join("site/site.toml");
    let text_before = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text_before.replace(
            "output = \"privacy/default.html\"",
            "output = \"x</script><script>alert(document.domain)</script>.html\"",
        ),
    )
    .unwrap();
    let line = line_of(&toml, "output = ");
    let (status, report) = check_json(&site);
    assert_eq!(status, 1);
    assert_eq!(
        has(&report, "E004", "site.toml"),
        Some((line, 11)),
        "{report}"
    );
    let out_dir = tmp.path().join("out");
    let built = run(&[
        "build",
        "--site",
        &site,
        "--out",
        &out_dir.display().to_string(),
    ]);
    assert_eq!(code(&built), 1);
    assert!(!out_dir.exists());
}

#[test]
fn root_relative_and_percent_encoded_links_resolve_against_the_site_root() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(&tmp.path().join("site"));
    std::fs::create_dir_all(tmp.path().join("site/assets")).unwrap();
    std::fs::write(tmp.path().join("site/assets/a b.txt"), "x").unwrap();
    let page = tmp.path().join("site/templates/TrustCenterPage.html");
    let html = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        html.replace(
            "</body>",
            "<a href=\"/en-US/privacy/default.html\"></a><a href=\"../../assets/a%20b.txt\"></a></body>",
        ),
    )
    .unwrap();
    let (status, report) = check_json(&site);
    assert_eq!(status, 0, "{report}");
    std::fs::write(
        &page,
        html.replace("</body>", "<a href=\"/other.html\"></a></body>"),
    )
    .unwrap();
    let (status, report) = check_json(&site);
    assert_eq!(status, 1);
    assert!(
        has(&report, "E504", "templates/TrustCenterPage.html").is_some(),
        "{report}"
    );
}

#[cfg(unix)]
#[test]
fn symlinked_assets_outside_the_site_are_not_published() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(&tmp.path().join("site"));
    let outside = tmp.path().join("home");
    copy_shipped_assets_to(&outside);
    std::fs::write(outside.join("secret.txt"), "secret").unwrap();
    // A link to one file outside, inside a real assets folder: skipped with a warning.
    std::os::unix::fs::symlink(
        outside.join("secret.txt"),
        tmp.path().join("site/assets/secret.txt"),
    )
    .unwrap();
    let out_dir = tmp.path().join("out");
    let built = run(&[
        "build",
        "--site",
        &site,
        "--out",
        &out_dir.display().to_string(),
    ]);
    assert_eq!(code(&built), 0, "{}", text(&built));
    assert!(text(&built).contains("warning[W001]"), "{}", text(&built));
    let tree = read_tree(&out_dir);
    assert!(
        tree.keys().all(|k| !k.contains("secret")),
        "{:?}",
        tree.keys()
    );
    // `assets` itself a link to a folder outside: nothing of it is read, so the page's
    // stylesheet is missing and the build stops before writing anything.
    std::fs::remove_dir_all(tmp.path().join("site/assets")).unwrap();
    std::os::unix::fs::symlink(&outside, tmp.path().join("site/assets")).unwrap();
    let (status, report) = check_json(&site);
    assert_eq!(status, 1);
    assert!(
        report.to_string().contains("`assets` is a symbolic link"),
        "{report}"
    );
    assert!(
        has(&report, "E504", "templates/TrustCenterPage.html").is_some(),
        "{report}"
    );
    let out2 = tmp.path().join("out2");
    let built = run(&[
        "build",
        "--site",
        &site,
        "--out",
        &out2.display().to_string(),
    ]);
    assert_eq!(code(&built), 1, "{}", text(&built));
    assert!(!out2.exists());
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_asset_names_are_an_error_and_no_file_is_lost() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(&tmp.path().join("site"));
    let assets = tmp.path().join("site/assets");
    std::fs::create_dir_all(&assets).unwrap();
    for name in [&b"logo-\xff.svg"[..], &b"logo-\xfe.svg"[..]] {
        std::fs::write(assets.join(std::ffi::OsStr::from_bytes(name)), "<svg/>").unwrap();
    }
    let (status, report) = check_json(&site);
    assert_eq!(status, 1);
    let e008 = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "E008")
        .count();
    assert_eq!(e008, 2, "{report}");
    let out_dir = tmp.path().join("out");
    let built = run(&[
        "build",
        "--site",
        &site,
        "--out",
        &out_dir.display().to_string(),
    ]);
    assert_eq!(code(&built), 1);
    assert!(!out_dir.exists());
}

#[test]
fn a_bom_at_the_start_of_an_ftl_file_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(&tmp.path().join("site"));
    let zh = tmp.path().join("site/locales/zh-CN/privacy.ftl");
    let body = std::fs::read(&zh).unwrap();
    std::fs::write(&zh, [b"\xEF\xBB\xBF".as_slice(), &body].concat()).unwrap();
    let (status, report) = check_json(&site);
    assert_eq!(status, 0, "{report}");
    // A later error is still placed in the file's own columns.
    let mut broken = b"\xEF\xBB\xBF".to_vec();
    broken.extend_from_slice(&body);
    broken.extend_from_slice(b"bad = {\n");
    std::fs::write(&zh, broken).unwrap();
    let (_, report) = check_json(&site);
    let lines = String::from_utf8_lossy(&body).lines().count() as u64;
    assert_eq!(
        has(&report, "E101", "locales/zh-CN/privacy.ftl").map(|(l, _)| l),
        Some(lines + 1),
        "{report}"
    );
}

#[test]
fn a_2_mb_message_referenced_99_times_is_e309_not_a_200_mb_page() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    copy_shipped_site(&dir);
    let big = "x".repeat(2 << 20);
    let refs = " { big-text }".repeat(99);
    for l in ["en-US", "zh-CN"] {
        let path = dir.join(format!("locales/{l}/privacy.ftl"));
        let mut t = std::fs::read_to_string(&path).unwrap();
        t.push_str(&format!("big-text = {big}\nbig-page = {refs}\n"));
        std::fs::write(&path, t).unwrap();
    }
    let (status, report) = check_json(&dir.display().to_string());
    assert_eq!(status, 1);
    assert!(
        has(&report, "E309", "locales/zh-CN/privacy.ftl").is_some(),
        "{report}"
    );
}

/// The shipped assets, copied into `dir` (a folder outside the site a link may point at).
fn copy_shipped_assets_to(dir: &Path) {
    crate::support::copy_tree(&crate::support::repo().join("assets"), dir, &[]);
}
