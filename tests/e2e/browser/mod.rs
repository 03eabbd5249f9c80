//! `ftlsite serve` over raw HTTP, and the built and served site in headless Chromium through
//! chromedriver (W3C WebDriver); the in-context editor (`serve --edit`) in `edit.rs`. The Chromium tests are `#[ignore]`d: they need
//! `apt-get install chromium chromium-driver fonts-noto-cjk`, and run with
//! `cargo test -- --include-ignored` (CI installs both and does so). Run without them, they fail.

mod activation;
mod edit;
mod support;
mod webdriver;

use std::sync::Mutex;

use support::{built_site, file_url, set_message, site_copy, Serve};
use webdriver::{require_chromium, screenshot_dir, Options, Session};

/// One Chromium at a time: the machine has two cores.
static BROWSER: Mutex<()> = Mutex::new(());

fn lock() -> std::sync::MutexGuard<'static, ()> {
    BROWSER.lock().unwrap_or_else(|e| e.into_inner())
}

const PAGE: &str = "privacy/default.html";
const OVERLAY: &str = "id=\"ftlsite-overlay\"";

// ---- serve, over raw HTTP ----

#[test]
fn serve_refuses_paths_outside_the_output() {
    let serve = Serve::start(&[]);
    assert_eq!(serve.get("/").0, 200);
    assert_eq!(serve.get("/en-US/privacy/default.html").0, 200);
    assert_eq!(serve.get("/assets/trust-center.css").0, 200);
    for target in [
        "/../Cargo.toml",
        "/../../../../etc/passwd",
        "/en-US/../../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/en-US%2f..%2f..%2fCargo.toml",
        "/..%2fCargo.toml",
        "/..%5cCargo.toml",
        "//etc/passwd",
        "/etc/passwd",
        "/./index.html",
        "http://127.0.0.1/../Cargo.toml",
        "/%00",
    ] {
        let (status, body) = serve.get(target);
        assert_eq!(status, 404, "{target}: {body}");
        assert!(
            !body.contains("[package]") && !body.contains("root:"),
            "{target}"
        );
    }
}

#[test]
fn serve_shows_an_overlay_while_broken_and_recovers() {
    let site = site_copy();
    let dir = site.path().to_str().expect("utf-8 path");
    let serve = Serve::start(&["--site", dir]);
    let page = "/zh-CN/privacy/default.html";
    let ftl = site.path().join("locales/zh-CN/privacy.ftl");
    let (status, body) = serve.get(page);
    assert_eq!(status, 200);
    assert!(!body.contains(OVERLAY));
    assert!(body.contains("/__ftlsite/events"), "reload script injected");

    set_message(&ftl, "privacy-hero-title", "隐私 { $broken");
    let body = serve.wait_for(page, 20, "the overlay", |b| b.contains(OVERLAY));
    assert!(body.contains("locales/zh-CN/privacy.ftl:"), "{body}");
    assert!(body.contains("error[E101]"), "{body}");
    assert!(body.contains("help: "), "{body}");
    assert!(
        body.contains("hero-title"),
        "the last good page is still served"
    );

    set_message(&ftl, "privacy-hero-title", "隐私已修复");
    let body = serve.wait_for(page, 20, "the fix", |b| {
        !b.contains(OVERLAY) && b.contains("隐私已修复")
    });
    assert!(!body.contains("error[E101]"));
}

#[test]
fn serve_first_build_failing_shows_an_error_page() {
    let site = site_copy();
    set_message(
        &site.path().join("locales/en-US/privacy.ftl"),
        "privacy-hero-title",
        "{",
    );
    let serve = Serve::start(&["--site", site.path().to_str().expect("utf-8 path")]);
    let (status, body) = serve.get("/en-US/privacy/default.html");
    assert_eq!(status, 500);
    assert!(
        body.contains(OVERLAY) && body.contains("error[E101]"),
        "{body}"
    );
}

#[test]
fn serve_ids_marks_every_message() {
    let serve = Serve::start(&["--ids"]);
    let (_, body) = serve.get("/en-US/privacy/default.html");
    assert!(
        body.contains("<span data-l10n-id=\"privacy-hero-title\" title=\"privacy-hero-title\">"),
        "{body}"
    );
    assert!(body.contains("[data-l10n-id]:hover"));
    let (_, plain) = Serve::start(&[]).get("/en-US/privacy/default.html");
    assert!(!plain.contains("data-l10n-id"));
}

#[test]
fn serve_pseudo_locales() {
    let serve = Serve::start(&["--pseudo", "accented", "--pseudo", "bidi"]);
    let (status, xb) = serve.get("/ar-XB/privacy/default.html");
    assert_eq!(status, 200);
    assert!(xb.contains("<html lang=\"ar-XB\" dir=\"rtl\">"), "{xb}");
    assert!(
        xb.contains('\u{202e}'),
        "bidi text is overridden right to left"
    );
    let (status, xa) = serve.get("/en-XA/privacy/default.html");
    assert_eq!(status, 200);
    assert!(xa.contains("<html lang=\"en-XA\" dir=\"ltr\">"));
    assert!(xa.contains("Ƥřiṽaaƈẏ"), "accented hero title");
    let (_, en) = serve.get("/en-US/privacy/default.html");
    assert!(en.contains("hreflang=\"en-XA\"") && en.contains("hreflang=\"ar-XB\""));
}

// ---- in Chromium ----

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn root_page_sends_readers_to_their_language() {
    require_chromium();
    let _guard = lock();
    let (_tmp, out) = built_site();
    let root = file_url(&out.join("index.html"));
    for (langs, expected) in [("zh-CN,zh", "zh-CN"), ("fr-FR,fr", "en-US")] {
        let b = Session::start(&Options {
            languages: Some(langs.into()),
            ..Default::default()
        });
        b.goto(&root);
        let want = format!("/{expected}/{PAGE}");
        assert!(
            b.wait_for(5, |b| b.url().ends_with(&want)),
            "{langs}: landed on {}",
            b.url()
        );
    }
    let b = Session::start(&Options {
        languages: Some("zh-CN".into()),
        no_js: true,
        ..Default::default()
    });
    b.goto(&root);
    assert!(
        b.url().ends_with("/index.html"),
        "no redirect without JavaScript: {}",
        b.url()
    );
    let links: Vec<String> = b.find_all("main li a").iter().map(|e| b.text(e)).collect();
    assert!(
        links.contains(&"English".to_string()) && links.contains(&"简体中文".to_string()),
        "{links:?}"
    );
}

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn switcher_opens_the_same_page_in_the_other_language() {
    require_chromium();
    let _guard = lock();
    let (_tmp, out) = built_site();
    let b = Session::start(&Options::default());
    b.goto(&file_url(&out.join("en-US").join(PAGE)));
    b.click(".lang-switcher a[hreflang=\"zh-CN\"]");
    assert!(
        b.wait_for(5, |b| b.url().ends_with(&format!("/zh-CN/{PAGE}"))),
        "{}",
        b.url()
    );
    assert_eq!(b.js("return document.documentElement.lang"), "zh-CN");
    b.click(".lang-switcher a[hreflang=\"en-US\"]");
    assert!(
        b.wait_for(5, |b| b.url().ends_with(&format!("/en-US/{PAGE}"))),
        "{}",
        b.url()
    );
}

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn served_page_follows_ftl_edits_without_a_manual_reload() {
    require_chromium();
    let _guard = lock();
    let site = site_copy();
    let serve = Serve::start(&["--site", site.path().to_str().expect("utf-8 path")]);
    let ftl = site.path().join("locales/zh-CN/privacy.ftl");
    let b = Session::start(&Options::default());
    b.goto(&serve.url(&format!("zh-CN/{PAGE}")));
    let title = "return document.querySelector('.hero-title').textContent";
    let overlay = "return !!document.getElementById('ftlsite-overlay')";
    assert_eq!(b.js(overlay), false);
    // Mark the loaded document: a reload replaces it, a manual one would be needed otherwise.
    b.js("window.__before = 1; return null");

    set_message(&ftl, "privacy-hero-title", "隐私实时预览");
    assert!(
        b.wait_for(10, |b| b.js(title) == "隐私实时预览"),
        "title now {}",
        b.js(title)
    );
    assert!(
        b.js("return window.__before === undefined")
            .as_bool()
            .unwrap_or(false),
        "the page reloaded itself"
    );

    set_message(&ftl, "privacy-hero-title", "隐私 { $broken");
    assert!(b.wait_for(10, |b| b.js(overlay) == true), "overlay shown");
    let text = b.js("return document.getElementById('ftlsite-overlay').textContent");
    assert!(
        text.as_str()
            .unwrap_or("")
            .contains("locales/zh-CN/privacy.ftl:"),
        "{text}"
    );
    assert_eq!(b.js(title), "隐私实时预览", "last good page still shown");

    set_message(&ftl, "privacy-hero-title", "隐私已修复");
    assert!(
        b.wait_for(10, |b| b.js(overlay) == false
            && b.js(title) == "隐私已修复"),
        "overlay gone"
    );
}

const LOCALES: [&str; 4] = ["en-US", "zh-CN", "en-XA", "ar-XB"];

/// Elements whose content is cut off: wider than their box with overflow hidden/clip.
const CLIPPED: &str = r#"
const out = [];
for (const el of document.body.querySelectorAll('*')) {
  if (el.id === 'ftlsite-overlay' || el.closest('.skip-link')) continue;
  const s = getComputedStyle(el);
  const hidden = v => v === 'hidden' || v === 'clip';
  if ((hidden(s.overflowX) || hidden(s.overflow)) && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim())
    out.push(el.tagName + '.' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth);
}
return out;"#;

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn phone_layout_has_no_horizontal_scroll_or_clipping() {
    require_chromium();
    let _guard = lock();
    let (_tmp, out) = built_site();
    let b = Session::start(&Options {
        phone_width: Some(375),
        ..Default::default()
    });
    for locale in LOCALES {
        b.goto(&file_url(&out.join(locale).join(PAGE)));
        assert_eq!(b.js("return window.innerWidth"), 375, "phone emulation");
        let widths = b.js("return [document.documentElement.scrollWidth, window.innerWidth]");
        assert!(
            widths[0].as_u64() <= widths[1].as_u64(),
            "{locale} scrolls horizontally: {widths}"
        );
        let clipped = b.js(CLIPPED);
        assert_eq!(
            clipped.as_array().map(Vec::len),
            Some(0),
            "{locale}: clipped {clipped}"
        );
    }
    let ar = file_url(&out.join("ar-XB").join(PAGE));
    b.goto(&ar);
    assert_eq!(
        b.js("return getComputedStyle(document.querySelector('main p')).textAlign"),
        "start"
    );
    assert_eq!(
        b.js("return getComputedStyle(document.body).direction"),
        "rtl"
    );
}

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn screenshots_of_every_locale() {
    require_chromium();
    let _guard = lock();
    let (_tmp, out) = built_site();
    let dir = screenshot_dir();
    let desktop = Session::start(&Options::default());
    desktop.set_window(1280, 1000);
    let phone = Session::start(&Options {
        phone_width: Some(375),
        ..Default::default()
    });
    for locale in LOCALES {
        let url = file_url(&out.join(locale).join(PAGE));
        for (b, width) in [(&desktop, 1280), (&phone, 375)] {
            b.goto(&url);
            let path = dir.join(format!("{locale}-{width}.png"));
            b.screenshot(&path);
            let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            assert!(len > 1000, "{} is {len} bytes", path.display());
        }
    }
    // The sidebar and breadcrumb mirror in ar-XB: the sidebar sits left of the main column.
    desktop.goto(&file_url(&out.join("ar-XB").join(PAGE)));
    let mirrored = desktop.js(
        "const m = document.querySelector('.page-main').getBoundingClientRect();\
         const s = document.querySelector('.page-body > :not(.page-main)');\
         return s ? s.getBoundingClientRect().right <= m.left + 1 : null",
    );
    assert_ne!(mirrored, false, "sidebar on the left in ar-XB");
}
