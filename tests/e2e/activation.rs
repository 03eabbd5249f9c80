//! Activation on tests/fixtures/sites/activation: zh-CN has every message, de about 90% and
//! zh-TW about 40%, with `percent-required = 80` (60 for zh-TW). de publishes every page (two
//! with fallback), zh-TW only the home page (with fallback) and holds the other two back.
//! The output tree, the switchers, hreflang, the sitemap and the root picker are checked
//! exactly; activation stays put across a source change until it is deactivated on purpose.

use std::path::{Path, PathBuf};

use crate::support::*;

const FIXTURE: &str = "tests/fixtures/sites/activation";

/// A copy of the fixture in a temp dir: (dir, site folder).
pub fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&repo().join(FIXTURE), &site, &[]);
    (dir, site)
}

fn build(dir: &Path, out: &str) -> std::process::Output {
    ftlsite(dir, &["build", "--site", "site", "--out", out])
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `hreflang` values inside the element that starts with `marker`, up to its `</nav>` or
/// `</head>`.
fn hreflangs(html: &str, marker: &str, end: &str) -> Vec<String> {
    let start = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let rest = &html[start..];
    let section = &rest[..rest.find(end).unwrap_or(rest.len())];
    attr_values(section, "hreflang")
}

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name.to_string(), text));
}

/// The build's stdout without its duration and temp paths.
fn summary(o: &std::process::Output, tmp: &Path) -> String {
    let out = redact(&String::from_utf8_lossy(&o.stdout), tmp);
    out.lines()
        .map(|l| match l.rsplit_once(" in ") {
            Some((head, time)) if l.starts_with("built ") && time.ends_with('s') => {
                format!("{head} in [TIME]")
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn pages_are_published_where_the_policy_allows() {
    let (dir, _) = fixture_copy();
    let o = build(dir.path(), "out");
    assert!(o.status.success(), "{}", text(&o));
    let out = dir.path().join("out");
    let tree: Vec<String> = read_tree(&out).into_keys().collect();
    snapshot("activation__tree", &tree.join("\n"));
    snapshot("activation__sitemap", &read(&out, "sitemap.xml"));
    snapshot("activation__root", &read(&out, "index.html"));
    snapshot("activation__build", &summary(&o, dir.path()));
    snapshot(
        "activation__lock",
        &read(dir.path(), "site/activation.lock"),
    );

    let all = ["en-US", "zh-CN", "de", "zh-TW"];
    let without_tw = ["en-US", "zh-CN", "de"];
    for (page, locales) in [
        ("index.html", &all[..]),
        ("about/index.html", &without_tw[..]),
        ("contact.html", &without_tw[..]),
    ] {
        for l in locales {
            let html = read(&out, &format!("{l}/{page}"));
            let at = format!("{l}/{page}");
            assert_eq!(
                hreflangs(&html, "<nav class=\"lang-switcher\"", "</nav>"),
                *locales,
                "switcher of {at}"
            );
            let mut head = locales.to_vec();
            head.push("x-default");
            assert_eq!(
                hreflangs(&html, "<head>", "</head>"),
                head,
                "alternates of {at}"
            );
            assert!(
                html.contains(&format!(
                    "hreflang=\"x-default\" href=\"https://example.com/en-US/{page}\""
                )),
                "{at}"
            );
        }
    }
    // zh-TW publishes only the home page; its links to the others go to zh-CN, the next
    // locale of its chain, which publishes them (the fragment is kept).
    let tw = read(&out, "zh-TW/index.html");
    let nav: Vec<String> = attr_values(&tw[tw.find("site-nav").unwrap()..], "href")
        .into_iter()
        .take(3)
        .collect();
    assert_eq!(
        nav,
        [
            "../zh-TW/index.html",
            "../zh-CN/about/index.html",
            "../zh-CN/contact.html#form"
        ]
    );
    // The notice and the marked fallback text, in the page's language or, for zh-TW, from
    // zh-CN (its own translation is missing), naming the page's language.
    assert!(
        tw.contains("<p class=\"fallback-notice\" role=\"note\"><span lang=\"zh-CN\">部分内容尚未翻译为繁體中文，暂以其他语言显示。</span></p>"),
        "{tw}"
    );
    assert!(tw.contains("<p id=\"news\"><span lang=\"zh-CN\">我们的春季目录已经发布。</span></p>"));
    let de = read(&out, "de/index.html");
    assert!(
        de.contains("<p class=\"fallback-notice\" role=\"note\">Teile dieser Seite liegen noch nicht auf Deutsch vor und werden in einer anderen Sprache angezeigt.</p>"),
        "{de}"
    );
    assert!(
        de.contains("<p id=\"news\"><span lang=\"en-US\">Our spring catalogue is out.</span></p>")
    );
    for complete in [
        "de/contact.html",
        "zh-CN/index.html",
        "en-US/about/index.html",
    ] {
        assert!(
            !read(&out, complete).contains("fallback-notice"),
            "{complete} has nothing from another language"
        );
    }
    // Every fallback is listed.
    let err = String::from_utf8_lossy(&o.stderr);
    for line in [
        "fallback: de uses en-US text for `home-news`",
        "fallback: de uses en-US text for `about-history`",
        "fallback: zh-TW uses zh-CN text for `footer`",
    ] {
        assert!(err.contains(line), "{err}");
    }
    assert!(
        !err.contains("E201"),
        "missing messages are in the summary: {err}"
    );
}

#[test]
fn activation_is_sticky_until_deactivated() {
    let (dir, site) = fixture_copy();
    assert!(build(dir.path(), "out").status.success());
    // The source grows: contact.html gets four messages de has not translated, so de has
    // 12 of 16 (75%), under its 80%.
    edit(&site.join("locales/en-US/contact.ftl"), |t| {
        t + "contact-hours = Open 9 to 5.\ncontact-phone = Call 555-0100.\ncontact-map = See the map.\ncontact-parking = Parking in the yard.\n"
    });
    edit(&site.join("templates/contact.html"), |t| {
        t.replace(
            "<p>{{ t(\"contact-address\") }}</p>",
            "<p>{{ t(\"contact-address\") }}</p>\n      <p>{{ t(\"contact-hours\") }} {{ t(\"contact-phone\") }} {{ t(\"contact-map\") }} {{ t(\"contact-parking\") }}</p>",
        )
    });
    let o = build(dir.path(), "out");
    assert!(o.status.success(), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("with fallback: de/contact.html: contact-hours (en-US), contact-map (en-US), contact-parking (en-US), contact-phone (en-US); kept published, as activation.lock records"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("fallback: de uses en-US text for `contact-parking`"));
    let page = read(dir.path(), "out/de/contact.html");
    assert!(
        page.contains("<span lang=\"en-US\">Open 9 to 5.</span>"),
        "{page}"
    );
    assert!(page.contains("class=\"fallback-notice\""));

    // The same site without the record holds the page back.
    let (fresh, fresh_site) = fixture_copy();
    for f in ["locales/en-US/contact.ftl", "templates/contact.html"] {
        std::fs::copy(site.join(f), fresh_site.join(f)).unwrap();
    }
    let o = build(fresh.path(), "out");
    assert!(o.status.success(), "{}", text(&o));
    assert!(!fresh.path().join("out/de/contact.html").exists());
    assert!(String::from_utf8_lossy(&o.stdout).contains(
        "held back: de/contact.html: 12/16 messages translated, 80% required; missing: contact-hours, contact-map, contact-parking, contact-phone"
    ));

    // Deactivated on purpose: the next build holds it back, and the pages linking to it go
    // to the source locale (de's chain is de, en-US).
    let o = ftlsite(
        dir.path(),
        &[
            "check",
            "--site",
            "site",
            "--deactivate",
            "--locale",
            "de",
            "--page",
            "contact.html",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("deactivated 1 page(s)"), "{}", text(&o));
    let lock = read(dir.path(), "site/activation.lock");
    assert!(
        lock.contains("\"de\" = [\"about/index.html\", \"index.html\"]"),
        "{lock}"
    );
    let o = build(dir.path(), "out");
    assert!(o.status.success(), "{}", text(&o));
    assert!(!dir.path().join("out/de/contact.html").exists());
    let home = read(dir.path(), "out/de/index.html");
    assert!(
        home.contains("href=\"../en-US/contact.html#form\""),
        "{home}"
    );
    let sitemap = read(dir.path(), "out/sitemap.xml");
    assert!(!sitemap.contains("/de/contact.html"), "{sitemap}");
    // Not recorded again, since it is not published.
    assert!(!read(dir.path(), "site/activation.lock")
        .contains("\"de\" = [\"about/index.html\", \"contact.html\""));
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(text)).unwrap();
}

#[test]
fn inactive_locales_are_published_nowhere() {
    let (dir, site) = fixture_copy();
    edit(&site.join("site.toml"), |t| {
        t.replace(
            "percent-required = 80\n",
            "percent-required = 80\ninactive = [\"de\"]\n",
        )
    });
    let o = build(dir.path(), "out");
    assert!(o.status.success(), "{}", text(&o));
    let out = dir.path().join("out");
    assert!(!out.join("de").exists());
    let root = read(&out, "index.html");
    assert!(
        !root.contains("hreflang=\"de\"") && !root.contains("\"de\""),
        "{root}"
    );
    assert!(!read(&out, "sitemap.xml").contains("/de/"));
    assert_eq!(
        hreflangs(
            &read(&out, "en-US/index.html"),
            "<nav class=\"lang-switcher\"",
            "</nav>"
        ),
        ["en-US", "zh-CN", "zh-TW"]
    );
    assert!(String::from_utf8_lossy(&o.stdout)
        .contains("de                 0         0         0         3"));
}

#[test]
fn check_reports_missing_messages_as_warnings_under_a_policy() {
    let (dir, site) = fixture_copy();
    let o = ftlsite(dir.path(), &["check", "--site", "site", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let e201: Vec<&serde_json::Value> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "E201")
        .collect();
    assert_eq!(e201.len(), 13);
    assert!(e201.iter().all(|d| d["severity"] == "warning"));
    let tw = &doc["summary"]["locales"]["zh-TW"];
    assert_eq!(tw["completion"], "8/19");
    assert_eq!(
        tw["pages"],
        serde_json::json!({"published": 0, "fallback": 1, "held_back": 2, "inactive": 0})
    );
    assert_eq!(doc["summary"]["errors"], 0);
    let o = ftlsite(dir.path(), &["check", "--site", "site"]);
    assert_eq!(code(&o), 0);
    assert!(
        text(&o).contains("held back: zh-TW/contact.html: 6/12 messages translated, 60% required")
    );
    let o = ftlsite(dir.path(), &["check", "--site", "site", "--deny-warnings"]);
    assert_eq!(code(&o), 1, "{}", text(&o));

    // A real error still fails check and build.
    edit(&site.join("locales/zh-TW/home.ftl"), |t| {
        t + "home-news = { $\n"
    });
    let o = ftlsite(
        dir.path(),
        &["check", "--site", "site", "--format", "short"],
    );
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(
        text(&o).contains("locales/zh-TW/home.ftl:3:"),
        "{}",
        text(&o)
    );
    let o = build(dir.path(), "out");
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn policy_values_are_checked_where_they_are_written() {
    let (dir, site) = fixture_copy();
    edit(&site.join("site.toml"), |t| {
        t.replace(
            "percent-required = 80\n",
            "percent-required = 120\ninactive = [\"fr\", \"en-US\"]\n",
        )
        .replace("[activation.locales.zh-TW]", "[activation.locales.zh-HK]")
    });
    let o = ftlsite(
        dir.path(),
        &["check", "--site", "site", "--format", "short"],
    );
    assert_eq!(code(&o), 1, "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("site.toml:"))
        .collect();
    assert_eq!(
        lines,
        [
            "site.toml:13:20: error[E001]: percent-required is 120, not 0 to 100",
            "site.toml:14:14: error[E002]: activation.inactive names `fr`, which is not a target locale of this site",
            "site.toml:14:20: error[E002]: activation.inactive names the source locale `en-US`, which is always published",
            "site.toml:16:21: error[E002]: [activation.locales] names `zh-HK`, which is not a target locale of this site",
        ],
        "{out}"
    );
}

#[test]
fn shards_agree_on_what_is_published() {
    let (dir, _) = fixture_copy();
    for shard in ["1/2", "2/2"] {
        let o = ftlsite(
            dir.path(),
            &[
                "build",
                "--site",
                "site",
                "--out",
                &format!("shard{}", &shard[..1]),
                "--shard",
                shard,
            ],
        );
        assert!(o.status.success(), "{shard}: {}", text(&o));
    }
    let o = ftlsite(dir.path(), &["merge", "merged", "shard1", "shard2"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = build(dir.path(), "single");
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        read_tree(&dir.path().join("merged")),
        read_site_tree(&dir.path().join("single"))
    );
}
