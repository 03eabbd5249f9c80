//! Bad input: each gives a clear error and an exit code, and leaves the previous output intact.

use std::path::Path;

use crate::support::*;

/// Copies the shipped site, builds it once into `out`, applies `mutate`, builds again and
/// returns (exit code, all output). Asserts the first output survived byte for byte.
fn rebuild_after(mutate: impl FnOnce(&Path), extra: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_shipped_site(&site);
    let o = ftlsite(dir.path(), &["build", "--site", "site", "--out", "out"]);
    assert!(o.status.success(), "{}", text(&o));
    let before = read_tree(&dir.path().join("out"));
    mutate(&site);
    let mut args = vec!["build", "--site", "site", "--out", "out"];
    args.extend_from_slice(extra);
    let o = ftlsite(dir.path(), &args);
    let code = o.status.code().unwrap_or(-1);
    if code != 0 {
        assert_eq!(
            before,
            read_tree(&dir.path().join("out")),
            "a failed build changed the output"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            2,
            "staging directories left behind: {leftovers:?}"
        );
    }
    (code, text(&o))
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let s = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(s)).unwrap();
}

#[test]
fn malformed_ftl_points_at_line_and_column_with_caret() {
    let (code, out) = rebuild_after(
        |s| {
            edit(&s.join("locales/zh-CN/privacy.ftl"), |t| {
                format!("{t}\nbroken-entry = {{ $oops\n")
            })
        },
        &[],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E101]"), "{out}");
    assert!(out.contains("--> locales/zh-CN/privacy.ftl:"), "{out}");
    assert!(
        out.contains("broken-entry = { $oops"),
        "offending line shown: {out}"
    );
    assert!(out.contains('^'), "caret: {out}");
    assert!(out.contains("nothing was written"), "{out}");
}

#[test]
fn unknown_locale_code_suggests_the_folder() {
    let (code, out) = rebuild_after(
        |s| {
            edit(&s.join("site.toml"), |t| {
                t.replace("\"zh-CN\"", "\"zh_CN\"")
            })
        },
        &[],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E002]"), "{out}");
    assert!(out.contains("did you mean `zh-CN`?"), "{out}");
    assert!(out.contains("site.toml:"), "{out}");
    let (code, out) = rebuild_after(
        |s| {
            edit(&s.join("site.toml"), |t| {
                t.replace("\"zh-CN\"", "\"zz-CN\"")
            })
        },
        &[],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("`zz-CN` is not a known language"), "{out}");
    assert!(out.contains("did you mean `zh-CN`?"), "{out}");
}

#[test]
fn unknown_site_toml_key_is_an_error_with_position() {
    let (code, out) = rebuild_after(
        |s| edit(&s.join("site.toml"), |t| format!("colour = \"blue\"\n{t}")),
        &[],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E001]"), "{out}");
    assert!(out.contains("unknown field `colour`"), "{out}");
    assert!(out.contains("--> site.toml:1:1"), "{out}");
}

#[test]
fn template_syntax_error_names_template_and_line() {
    let (code, out) = rebuild_after(
        |s| {
            edit(&s.join("templates/privacy.html"), |t| {
                t.replacen("{% block", "{% blok", 1)
            })
        },
        &[],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E502]"), "{out}");
    assert!(out.contains("templates/privacy.html:"), "{out}");
}

#[test]
fn template_naming_a_message_no_locale_has() {
    let (code, out) = rebuild_after(
        |s| {
            edit(&s.join("templates/privacy.html"), |t| {
                t.replacen("{{ t(\"", "{{ t(\"no-such-message\") }}{{ t(\"", 1)
            })
        },
        &[],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("E501"), "{out}");
    assert!(out.contains("no-such-message"), "{out}");
    assert!(out.contains("templates/privacy.html:"), "{out}");
}

#[test]
fn out_inside_the_site_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_shipped_site(&dir.path().join("site"));
    let o = ftlsite(
        dir.path(),
        &["build", "--site", "site", "--out", "site/public"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("inside the site folder"), "{}", text(&o));
    assert!(!dir.path().join("site/public").exists());
    let o = ftlsite(dir.path(), &["build", "--site", "site", "--out", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(dir.path().join("site/site.toml").exists());
}

#[test]
fn page_path_escaping_out_is_refused() {
    let (code, out) = rebuild_after(
        |s| {
            edit(&s.join("site.toml"), |t| {
                t.replace(
                    "output = \"privacy/default.html\"",
                    "output = \"../../escape.html\"",
                )
            })
        },
        &[],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E004]"), "{out}");
    assert!(out.contains("../../escape.html"), "{out}");
}

#[test]
fn invalid_utf8_in_ftl_is_reported_at_its_line() {
    let (code, out) = rebuild_after(
        |s| {
            let p = s.join("locales/zh-CN/trust-center.ftl");
            let mut bytes = std::fs::read(&p).unwrap();
            bytes.extend_from_slice(b"\nbad = \xff\xfe\n");
            std::fs::write(p, bytes).unwrap();
        },
        &[],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E003]"), "{out}");
    assert!(out.contains("locales/zh-CN/trust-center.ftl:"), "{out}");
}

#[test]
fn missing_translation_fails_then_builds_with_fallback() {
    let remove = |s: &Path| {
        edit(&s.join("locales/zh-CN/privacy.ftl"), |t| {
            let mut out = String::new();
            let mut skipping = false;
            for line in t.lines() {
                if line.starts_with("privacy-hero-caption =") {
                    skipping = true;
                    continue;
                }
                if skipping && (line.starts_with(' ') || line.starts_with('.')) {
                    continue;
                }
                skipping = false;
                out.push_str(line);
                out.push('\n');
            }
            out
        })
    };
    let (code, out) = rebuild_after(remove, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E201]"), "{out}");
    assert!(out.contains("privacy-hero-caption"), "{out}");
    assert!(
        out.contains("locales/en-US/privacy.ftl:"),
        "source file and line named: {out}"
    );
    assert!(out.contains("--allow-fallback"), "{out}");

    let (code, out) = rebuild_after(remove, &["--allow-fallback"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("fallback: zh-CN uses en-US text for `privacy-hero-caption`"),
        "{out}"
    );
}

#[test]
fn fallback_text_is_marked_with_its_language() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_shipped_site(&site);
    edit(&site.join("locales/zh-CN/privacy.ftl"), |t| {
        t.lines()
            .filter(|l| !l.starts_with("privacy-hero-title ="))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
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
    let zh = std::fs::read_to_string(dir.path().join("out/zh-CN/privacy/default.html")).unwrap();
    assert!(
        zh.contains("<span lang=\"en-US\">Privacy</span>"),
        "fallback element marked"
    );
}

#[test]
fn missing_site_folder_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = ftlsite(
        dir.path(),
        &["build", "--site", "does-not-exist", "--out", "out"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(!dir.path().join("out").exists());
}
