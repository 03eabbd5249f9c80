//! Activation in the preview and in Chromium: `serve` answers `/__ftlsite/status` with the
//! dashboard and follows edits; the dashboard reads at 1280 and 375 px without horizontal
//! scrolling or JavaScript; a page rendered with fallback text shows the localized notice.
//! Screenshots go to `target/screenshots/` (status-*.png, fallback-notice-*.png).

use super::lock;
use super::support::{file_url, site_copy, Serve, BIN};
use super::webdriver::{require_chromium, screenshot_dir, Options, Session};

const FIXTURE: &str = "tests/fixtures/sites/activation";

fn fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    crate::tree::copy_tree(&crate::tree::repo().join(FIXTURE), tmp.path(), &[]);
    tmp
}

fn run(args: &[&str]) {
    let o = std::process::Command::new(BIN)
        .args(args)
        .output()
        .expect("run ftlsite");
    assert!(
        o.status.success(),
        "ftlsite {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn serve_shows_the_status_page_live() {
    let site = fixture();
    let serve = Serve::start(&["--site", site.path().to_str().expect("utf-8 path")]);
    let (status, body) = serve.get("/__ftlsite/status");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<h1>Translation status</h1>"), "{body}");
    assert!(body.contains("href=\"#s-1-zh-TW\">held back</a>"), "{body}");
    assert!(body.contains("/__ftlsite/events"), "reloads itself");
    assert_eq!(serve.get("/zh-TW/about/index.html").0, 404, "held back");
    // Translating the page's missing messages publishes it, and the dashboard says so.
    std::fs::write(
        site.path().join("locales/zh-TW/about.ftl"),
        "about-title = 關於我們\nabout-lead = 範例公司由三位朋友創辦。\nabout-team = 我們在三座城市共有十四名員工。\nabout-history = 自 2001 年以來，我們已向四十個國家出貨。\n",
    )
    .expect("write ftl");
    let body = serve.wait_for("/__ftlsite/status", 20, "the new status", |b| {
        b.contains("href=\"#s-1-zh-TW\">fallback</a>")
    });
    assert!(
        body.contains("href=\"#s-2-zh-TW\">held back</a>"),
        "contact.html still is"
    );
    let (status, page) = serve.get("/zh-TW/about/index.html");
    assert_eq!(status, 200);
    assert!(page.contains("關於我們"), "{page}");
    let (_, home) = serve.get("/en-US/about/index.html");
    assert!(
        home.contains("hreflang=\"zh-TW\""),
        "alternates follow: {home}"
    );
}

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn dashboard_reads_at_desktop_and_phone_width() {
    require_chromium();
    let _guard = lock();
    let site = fixture();
    let out = tempfile::tempdir().expect("tempdir");
    let site_dir = site.path().to_str().expect("utf-8 path");
    let out_dir = out.path().to_str().expect("utf-8 path");
    run(&["report", "--site", site_dir, "--out", out_dir]);
    let url = file_url(&out.path().join("index.html"));
    let dir = screenshot_dir();
    let no_scroll = "return document.documentElement.scrollWidth <= window.innerWidth";
    let desktop = Session::start(&Options {
        no_js: true,
        ..Default::default()
    });
    desktop.set_window(1280, 1000);
    desktop.goto(&url);
    assert_eq!(desktop.js(no_scroll), true, "1280 px scrolls sideways");
    desktop.screenshot_full(&dir.join("status-1280.png"));
    let phone = Session::start(&Options {
        phone_width: Some(375),
        ..Default::default()
    });
    phone.goto(&url);
    assert_eq!(phone.js("return window.innerWidth"), 375, "phone emulation");
    assert_eq!(phone.js(no_scroll), true, "375 px scrolls sideways");
    assert_eq!(
        phone.js("return getComputedStyle(document.querySelector('.matrix tr')).display"),
        "block",
        "each page is a card on a phone"
    );
    phone.screenshot_full(&dir.join("status-375.png"));
    for name in ["status-1280.png", "status-375.png"] {
        let len = std::fs::metadata(dir.join(name))
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(len > 10_000, "{name} is {len} bytes");
    }
    // Locale names in their own language; a held-back cell leads to its reasons.
    assert_eq!(
        phone.js("return document.querySelector('#locale-zh-TW bdi').lang + ' ' + document.querySelector('#locale-zh-TW bdi').textContent"),
        "zh-TW 繁體中文"
    );
    phone.click("a[href=\"#s-1-zh-TW\"]");
    assert!(
        phone.wait_for(5, |b| b.js(
            "const t = document.querySelector(':target'); return t ? t.id : ''"
        ) == "s-1-zh-TW"),
        "the reasons are the target"
    );
    let reasons = phone.js("return document.querySelector(':target').textContent");
    assert!(
        reasons.as_str().unwrap_or("").contains("about-title"),
        "{reasons}"
    );
}

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn fallback_text_comes_with_a_localized_notice() {
    require_chromium();
    let _guard = lock();
    // The shipped site, with one Chinese message missing and a policy that publishes the page
    // anyway.
    let site = site_copy();
    let ftl = site.path().join("locales/zh-CN/privacy.ftl");
    let text = std::fs::read_to_string(&ftl).expect("read ftl");
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("privacy-hero-caption = "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(text, without);
    std::fs::write(&ftl, without).expect("write ftl");
    let toml = site.path().join("site.toml");
    let config = std::fs::read_to_string(&toml).expect("read site.toml");
    std::fs::write(
        &toml,
        config.replacen(
            "\n[[pages]]",
            "\n[activation]\npercent-required = 90\n\n[[pages]]",
            1,
        ),
    )
    .expect("write site.toml");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let out = out.to_str().expect("utf-8 path").to_string();
    run(&[
        "build",
        "--site",
        site.path().to_str().expect("utf-8 path"),
        "--out",
        &out,
    ]);
    let dir = screenshot_dir();
    let page = |l: &str| {
        file_url(
            &std::path::Path::new(&out)
                .join(l)
                .join("privacy/default.html"),
        )
    };
    let notice = "const n = document.querySelector('.fallback-notice'); return n ? [n.textContent.trim(), n.getBoundingClientRect().height > 0] : null";
    for width in [1280, 375] {
        let b = Session::start(&Options {
            phone_width: (width == 375).then_some(375),
            ..Default::default()
        });
        if width == 1280 {
            b.set_window(1280, 1000);
        }
        b.goto(&page("zh-CN"));
        assert_eq!(
            b.js(notice),
            serde_json::json!(["部分内容尚未翻译为简体中文，暂以其他语言显示。", true])
        );
        assert_eq!(
            b.js("const s = document.querySelector('.hero-caption span'); return [s.lang, s.textContent]"),
            serde_json::json!(["en-US", "You own and control your Customer Data."])
        );
        assert_eq!(
            b.js("return document.documentElement.scrollWidth <= window.innerWidth"),
            true,
            "{width} px scrolls sideways"
        );
        b.screenshot(&dir.join(format!("fallback-notice-zh-CN-{width}.png")));
        b.goto(&page("en-US"));
        assert_eq!(
            b.js(notice),
            serde_json::Value::Null,
            "the source page has no notice"
        );
    }
}
