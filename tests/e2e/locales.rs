//! More than two locales: a right-to-left locale, a fallback chain, plural rules and localized
//! dates, on tests/fixtures/sites/multi (en-US, zh-CN, zh-TW, ar).

use crate::support::*;

fn build_multi(extra: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &repo().join("tests/fixtures/sites/multi"),
        &dir.path().join("site"),
        &[],
    );
    let mut args = vec!["build", "--site", "site", "--out", "out"];
    args.extend_from_slice(extra);
    let o = ftlsite(dir.path(), &args);
    (dir, o)
}

fn read(dir: &tempfile::TempDir, path: &str) -> String {
    std::fs::read_to_string(dir.path().join("out").join(path)).unwrap()
}

#[test]
fn missing_message_names_the_chain_option() {
    let (dir, o) = build_multi(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("error[E201]")
            && out.contains("`greeting` is missing")
            && out.contains("[zh-TW]"),
        "{out}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn fallback_chain_uses_the_nearest_locale_and_reports_it() {
    let (dir, o) = build_multi(&["--allow-fallback"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("fallback: zh-TW uses zh-CN text for `greeting`"),
        "{}",
        text(&o)
    );
    let tw = read(&dir, "zh-TW/index.html");
    assert!(
        tw.contains("<span lang=\"zh-CN\">你好，Ada Lovelace！</span>"),
        "{tw}"
    );
    assert!(tw.contains("3 個檔案"), "own translation kept");
}

#[test]
fn right_to_left_locale_isolates_placeables_without_marks_in_attributes() {
    let (dir, o) = build_multi(&["--allow-fallback"]);
    assert!(o.status.success(), "{}", text(&o));
    let ar = read(&dir, "ar/index.html");
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\">"), "{ar}");
    assert!(ar.contains("مرحبًا، <bdi>Ada Lovelace</bdi>!"), "{ar}");
    assert!(
        ar.contains("title=\"مرحبًا، Ada Lovelace!\""),
        "attribute without <bdi>: {ar}"
    );
    for page in [
        "ar/index.html",
        "en-US/index.html",
        "zh-CN/index.html",
        "zh-TW/index.html",
    ] {
        let html = read(&dir, page);
        assert!(
            !html.contains('\u{2068}') && !html.contains('\u{2069}'),
            "{page} has isolation marks"
        );
    }
    let en = read(&dir, "en-US/index.html");
    assert!(!en.contains("<bdi>"), "left-to-right pages need no <bdi>");
}

#[test]
fn plurals_and_dates_follow_each_locale() {
    let (dir, o) = build_multi(&["--allow-fallback"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(read(&dir, "en-US/index.html").contains("<p id=\"files\">3 files</p>"));
    assert!(
        read(&dir, "ar/index.html").contains("<p id=\"files\"><bdi>3</bdi> ملفات</p>"),
        "ar 3 is `few`"
    );
    assert!(read(&dir, "en-US/index.html").contains("Updated November 25, 2026"));
    assert!(read(&dir, "zh-CN/index.html").contains("更新于 2026年11月25日"));
    assert!(
        read(&dir, "ar/index.html").contains("تم التحديث <bdi>25 نوفمبر 2026</bdi>"),
        "{}",
        read(&dir, "ar/index.html")
    );
    let switcher = read(&dir, "ar/index.html");
    for name in ["English", "简体中文", "繁體中文", "العربية"] {
        assert!(switcher.contains(name), "switcher names {name}");
    }
}

#[test]
fn without_a_declared_chain_fluent_langneg_picks_the_nearest_locale() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&repo().join("tests/fixtures/sites/multi"), &site, &[]);
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
    let without = toml.replace("[fallback]\nzh-TW = [\"zh-CN\"]\n", "");
    assert_ne!(toml, without, "fixture declares a chain");
    std::fs::write(site.join("site.toml"), without).unwrap();
    let o = ftlsite(
        dir.path(),
        &[
            "build",
            "--site",
            "site",
            "--out",
            "out",
            "--allow-fallback",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("fallback: zh-TW uses zh-CN text for `greeting`"),
        "{}",
        text(&o)
    );
}
