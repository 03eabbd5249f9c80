//! `ftlsite serve --edit`: the editor's API over raw HTTP, and the panel in headless Chromium
//! (ignored without `--include-ignored`, as the other browser tests).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;

use serde_json::{json, Value};

use super::support::{remove_message, set_message, site_copy, Serve, BIN};
use super::webdriver::{require_chromium, screenshot_dir, Options, Session, ENTER, ESCAPE};
use super::{lock, PAGE};

const ZH_FTL: &str = "locales/zh-CN/privacy.ftl";

/// Header fields of a raw request.
type Fields<'a> = Vec<(&'a str, &'a str)>;

/// `serve --edit` of `site`, with the run's token read from a served page.
fn serve_edit(site: &Path) -> (Serve, String) {
    let serve = Serve::start(&["--site", site.to_str().expect("utf-8 path"), "--edit"]);
    let (status, page) = serve.get(&format!("/zh-CN/{PAGE}"));
    assert_eq!(status, 200);
    let token = page
        .split_once("var TOKEN = \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(t, _)| t.to_string())
        .expect("the page carries the editor's token");
    assert_eq!(token.len(), 64, "{token}");
    (serve, token)
}

fn entry(serve: &Serve, token: &str, id: &str) -> Value {
    let target = format!("/__ftlsite/edit/entry?locale=zh-CN&id={id}");
    let (status, body) = serve.request("GET", &target, &[("X-Ftlsite-Token", token)], b"");
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("entry json")
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).expect("read")
}

// ---- over raw HTTP ----

#[test]
fn serve_edit_refuses_writes_from_anywhere_but_its_own_pages() {
    let site = site_copy();
    let (serve, token) = serve_edit(site.path());
    let before = read(site.path(), ZH_FTL);
    let hash = entry(&serve, &token, "privacy-hero-title")["file"]["hash"]
        .as_str()
        .expect("hash")
        .to_string();
    let body =
        json!({ "locale": "zh-CN", "id": "privacy-hero-title", "value": "被改了", "hash": hash })
            .to_string();
    let own = format!("http://127.0.0.1:{}", serve.port);
    let json_type = ("Content-Type", "application/json");
    let len = body.len().to_string();
    let length = ("Content-Length", len.as_str());
    let save = |fields: &[(&str, &str)], body: &[u8]| {
        serve.request("POST", "/__ftlsite/edit/save", fields, body)
    };
    let cases: Vec<(&str, Fields, u16)> = vec![
        (
            "no token",
            vec![("Origin", own.as_str()), json_type, length],
            403,
        ),
        (
            "a wrong token",
            vec![
                ("X-Ftlsite-Token", "0".repeat(64).leak()),
                ("Origin", own.as_str()),
                json_type,
                length,
            ],
            403,
        ),
        (
            "another origin",
            vec![
                ("X-Ftlsite-Token", token.as_str()),
                ("Origin", "http://evil.example"),
                json_type,
                length,
            ],
            403,
        ),
        (
            "another port of this machine",
            vec![
                ("X-Ftlsite-Token", token.as_str()),
                ("Origin", "http://127.0.0.1:1"),
                json_type,
                length,
            ],
            403,
        ),
        (
            "no Origin and no Sec-Fetch-Site",
            vec![("X-Ftlsite-Token", token.as_str()), json_type, length],
            403,
        ),
        (
            "a cross-site fetch",
            vec![
                ("X-Ftlsite-Token", token.as_str()),
                ("Sec-Fetch-Site", "cross-site"),
                json_type,
                length,
            ],
            403,
        ),
        (
            "a form's content type",
            vec![
                ("X-Ftlsite-Token", token.as_str()),
                ("Origin", own.as_str()),
                ("Content-Type", "text/plain"),
                length,
            ],
            415,
        ),
        (
            "no Content-Length",
            vec![
                ("X-Ftlsite-Token", token.as_str()),
                ("Origin", own.as_str()),
                json_type,
            ],
            411,
        ),
    ];
    for (what, fields, status) in cases {
        let (got, answer) = save(&fields, body.as_bytes());
        assert_eq!(got, status, "{what}: {answer}");
    }
    let big = "x".repeat(70 * 1024);
    let big_len = big.len().to_string();
    let (got, _) = save(
        &[
            ("X-Ftlsite-Token", &token),
            ("Origin", &own),
            json_type,
            ("Content-Length", &big_len),
        ],
        big.as_bytes(),
    );
    assert_eq!(got, 413, "an oversized body");
    // A page whose domain was rebound to 127.0.0.1 names another Host: refused before the token.
    let mut s = std::net::TcpStream::connect(("127.0.0.1", serve.port)).expect("connect");
    write!(s, "POST /__ftlsite/edit/save HTTP/1.1\r\nHost: evil.example:{}\r\nX-Ftlsite-Token: {token}\r\nContent-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n{body}", serve.port).expect("send");
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 403 "), "{answer}");
    assert_eq!(read(site.path(), ZH_FTL), before, "nothing was written");

    // The same request from the preview's own origin is written.
    let (got, answer) = save(
        &[
            ("X-Ftlsite-Token", &token),
            ("Origin", &own),
            json_type,
            length,
        ],
        body.as_bytes(),
    );
    assert_eq!(got, 200, "{answer}");
    assert_eq!(
        read(site.path(), ZH_FTL),
        before.replace(
            "privacy-hero-title = 隐私\n",
            "privacy-hero-title = 被改了\n"
        )
    );
    // Reads need the token too.
    let (got, _) = serve.request(
        "GET",
        "/__ftlsite/edit/entry?locale=zh-CN&id=privacy-hero-title",
        &[],
        b"",
    );
    assert_eq!(got, 403);
}

#[test]
fn serve_without_edit_has_no_write_endpoint() {
    let site = site_copy();
    let serve = Serve::start(&["--site", site.path().to_str().expect("utf-8 path")]);
    let origin = format!("http://127.0.0.1:{}", serve.port);
    let (status, _) = serve.request(
        "POST",
        "/__ftlsite/edit/save",
        &[
            ("Origin", &origin),
            ("Content-Type", "application/json"),
            ("Content-Length", "2"),
        ],
        b"{}",
    );
    assert_eq!(status, 405);
    assert_eq!(serve.get("/__ftlsite/edit/entry?locale=zh-CN&id=a").0, 404);
    let (_, page) = serve.get(&format!("/zh-CN/{PAGE}"));
    assert!(!page.contains("ftlsite-editor") && !page.contains("data-l10n"));
}

#[test]
fn serve_edit_needs_a_site_folder() {
    let out = std::process::Command::new(BIN)
        .args(["serve", "--edit", "--port", "0"])
        .output()
        .expect("run ftlsite serve --edit");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--site DIR"));
}

#[test]
fn serve_edit_previews_a_chosen_plural_variant() {
    let site = site_copy();
    let (serve, _) = serve_edit(site.path());
    let span = |body: &str| {
        body.split_once("<span data-l10n-id=\"data-types-count\">")
            .and_then(|(_, r)| r.split_once('<'))
            .map(|(t, _)| t.to_string())
            .unwrap_or_default()
    };
    let page = format!("/en-US/{PAGE}");
    assert_eq!(
        span(&serve.get(&page).1),
        "This page describes 4 types of data."
    );
    let (status, one) = serve.get(&format!("{page}?ftlsite-variant=data-types-count:0:one"));
    assert_eq!(status, 200);
    assert_eq!(span(&one), "This page describes 4 type of data.");
    assert_eq!(
        serve
            .get(&format!("{page}?ftlsite-variant=data-types-count:0:few"))
            .0,
        404
    );
}

// ---- in Chromium ----

/// The text of the element `css`.
fn text_of(b: &Session, css: &str) -> String {
    let script =
        format!("const e = document.querySelector({css:?}); return e ? e.textContent : null");
    b.js(&script).as_str().unwrap_or("").to_string()
}

/// Clicks `css` as a reader would: scrolled into view first, at once (the site scrolls
/// smoothly, and WebDriver would aim at where the element was before the scroll ends).
fn click_in_view(b: &Session, css: &str) {
    b.js(&format!(
        "document.querySelector({css:?}).scrollIntoView({{block: 'center', behavior: 'instant'}}); return null"
    ));
    b.click(css);
}

fn reloaded(b: &Session) -> bool {
    b.js("return window.__before === undefined")
        .as_bool()
        .unwrap_or(false)
}

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn editor_saves_a_clicked_paragraph_and_the_page_shows_it() {
    require_chromium();
    let _guard = lock();
    let site = site_copy();
    let (serve, _) = serve_edit(site.path());
    let before = read(site.path(), ZH_FTL);
    let b = Session::start(&Options::default());
    b.set_window(1280, 1000);
    b.goto(&serve.url(&format!("zh-CN/{PAGE}")));
    let span = "span[data-l10n-id=\"privacy-intro-integral\"]";
    click_in_view(&b, &format!("main p:has(> {span})"));
    assert!(
        b.wait_for(10, |b| !b.find_all("#ftlsite-editor textarea").is_empty()),
        "the panel opened"
    );
    let panel = text_of(&b, "#ftlsite-editor");
    assert!(panel.contains("privacy-intro-integral"), "{panel}");
    assert!(
        panel.contains("Privacy is an integral part"),
        "the source text: {panel}"
    );
    assert!(
        panel.contains("locales/zh-CN/privacy.ftl:21"),
        "file:line: {panel}"
    );
    b.screenshot(&screenshot_dir().join("editor-panel.png"));

    let field = b.find("#ftlsite-editor textarea");
    b.clear(&field);
    b.type_into(&field, "隐私是我们运营服务的核心。");
    b.js("window.__before = 1; return null");
    b.click("#ftlsite-editor button.save");
    assert!(
        b.wait_for(10, |b| reloaded(b)
            && text_of(b, span) == "隐私是我们运营服务的核心。"),
        "the page reloaded itself with the new text: {}",
        text_of(&b, span)
    );
    let old = before
        .lines()
        .find(|l| l.starts_with("privacy-intro-integral = "))
        .expect("the old line");
    assert_eq!(
        read(site.path(), ZH_FTL),
        before.replace(old, "privacy-intro-integral = 隐私是我们运营服务的核心。"),
        "exactly that message changed"
    );
    assert!(text_of(&b, "#ftlsite-toast").contains("Saved privacy-intro-integral"));
}

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn editor_refuses_an_unbalanced_brace_and_writes_nothing() {
    require_chromium();
    let _guard = lock();
    let site = site_copy();
    let (serve, _) = serve_edit(site.path());
    let before = read(site.path(), ZH_FTL);
    let b = Session::start(&Options::default());
    b.set_window(1280, 1000);
    b.goto(&serve.url(&format!("zh-CN/{PAGE}")));
    b.js("window.__before = 1; return null");
    b.click(".hero-title span[data-l10n-id]");
    assert!(b.wait_for(10, |b| !b.find_all("#ftlsite-editor textarea").is_empty()));
    let field = b.find("#ftlsite-editor textarea");
    b.clear(&field);
    b.type_into(&field, "隐私 {");
    b.click("#ftlsite-editor button.save");
    assert!(
        b.wait_for(10, |b| !b
            .find_all("#ftlsite-editor .problems li")
            .is_empty()),
        "problems shown"
    );
    let problems = text_of(&b, "#ftlsite-editor .problems");
    assert!(
        problems.contains("locales/zh-CN/privacy.ftl:") && problems.contains("error[E101]"),
        "{problems}"
    );
    b.screenshot(&screenshot_dir().join("editor-refused.png"));
    assert_eq!(read(site.path(), ZH_FTL), before, "the file is unchanged");
    assert!(!reloaded(&b), "no reload after a refusal");
    assert_eq!(text_of(&b, ".hero-title"), "隐私");
}

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn editor_translates_a_missing_message_next_to_its_neighbours() {
    require_chromium();
    let _guard = lock();
    let site = site_copy();
    let shipped = read(site.path(), ZH_FTL);
    let translation = shipped
        .lines()
        .find_map(|l| l.strip_prefix("data-customer-use = "))
        .expect("the shipped translation")
        .to_string();
    remove_message(&site.path().join(ZH_FTL), "data-customer-use");
    let (serve, _) = serve_edit(site.path());
    let b = Session::start(&Options::default());
    b.set_window(1280, 1000);
    b.goto(&serve.url(&format!("zh-CN/{PAGE}")));
    let span = "span[data-l10n-id=\"data-customer-use\"]";
    assert_eq!(
        b.js(&format!(
            "return document.querySelector({span:?}).getAttribute('data-l10n-fallback')"
        )),
        "en-US",
        "the fallback text is marked"
    );
    assert!(text_of(&b, span).starts_with("We only use Customer Data"));
    click_in_view(&b, &format!("main p:has(> {span})"));
    assert!(b.wait_for(10, |b| !b.find_all("#ftlsite-editor textarea").is_empty()));
    let panel = text_of(&b, "#ftlsite-editor");
    assert!(panel.contains("missing in zh-CN"), "{panel}");
    assert!(
        panel.contains("New entry in locales/zh-CN/privacy.ftl"),
        "{panel}"
    );
    b.screenshot(&screenshot_dir().join("editor-missing.png"));
    let field = b.find("#ftlsite-editor textarea");
    b.type_into(&field, &translation);
    b.js("window.__before = 1; return null");
    b.click("#ftlsite-editor button.save");
    assert!(
        b.wait_for(10, |b| reloaded(b) && text_of(b, span) == translation),
        "the translation is shown: {}",
        text_of(&b, span)
    );
    assert_eq!(
        b.js(&format!(
            "return document.querySelector({span:?}).hasAttribute('data-l10n-fallback')"
        )),
        false
    );
    assert_eq!(
        read(site.path(), ZH_FTL),
        shipped,
        "inserted where the shipped file has it, between its source neighbours"
    );
}

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn editor_opens_from_the_keyboard_and_previews_each_variant() {
    require_chromium();
    let _guard = lock();
    let site = site_copy();
    let (serve, _) = serve_edit(site.path());
    let b = Session::start(&Options::default());
    b.set_window(1280, 1000);
    b.goto(&serve.url(&format!("en-US/{PAGE}")));
    let span = "span[data-l10n-id=\"data-types-count\"]";
    b.js(&format!(
        "document.querySelector({span:?}).focus(); return null"
    ));
    b.press(ENTER);
    assert!(b.wait_for(10, |b| !b
        .find_all("#ftlsite-editor .variants a")
        .is_empty()));
    assert!(text_of(&b, "#ftlsite-editor").contains("en-US is the source locale"));
    b.click("#ftlsite-editor .variants a:first-of-type");
    assert!(
        b.wait_for(10, |b| b
            .url()
            .contains("ftlsite-variant=data-types-count%3A0%3Aone")
            && text_of(b, span) == "This page describes 4 type of data."),
        "{}",
        b.url()
    );
    assert!(text_of(&b, "#ftlsite-variant").contains("[one]"));
    assert!(
        b.wait_for(10, |b| !b
            .find_all("#ftlsite-editor .variants a[aria-current]")
            .is_empty()),
        "the panel is open again on the variant shown"
    );
    b.press(ESCAPE);
    assert!(b.wait_for(5, |b| b
        .js("return document.getElementById('ftlsite-editor').hidden")
        == true));
    // The texts of the page, <title> included, are listed for the keyboard.
    b.click("#ftlsite-toolbar button");
    let list = text_of(&b, "#ftlsite-texts");
    assert!(
        list.contains("privacy-page-title · text of <title>"),
        "{list}"
    );
    assert!(
        list.contains("privacy-hero-image-alt · alt of <img>"),
        "{list}"
    );
}

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn editor_panel_in_a_right_to_left_page() {
    require_chromium();
    let _guard = lock();
    let site = site_copy();
    let dir = site.path().to_str().expect("utf-8 path");
    let serve = Serve::start(&["--site", dir, "--edit", "--pseudo", "bidi"]);
    let b = Session::start(&Options::default());
    b.set_window(1280, 1000);
    b.goto(&serve.url(&format!("ar-XB/{PAGE}")));
    assert_eq!(
        b.js("return getComputedStyle(document.body).direction"),
        "rtl"
    );
    b.click(".hero-title span[data-l10n-id]");
    assert!(b.wait_for(10, |b| !b.find_all("#ftlsite-editor textarea").is_empty()));
    let panel = text_of(&b, "#ftlsite-editor");
    assert!(panel.contains("ar-XB is a pseudo-locale"), "{panel}");
    let layout = b.js(
        "const p = document.getElementById('ftlsite-editor').getBoundingClientRect();\
         const t = document.querySelector('#ftlsite-editor textarea');\
         return [p.left <= 1 && p.right < window.innerWidth / 2 + 300, getComputedStyle(t).direction,\
                 getComputedStyle(document.getElementById('ftlsite-editor')).direction, t.readOnly]",
    );
    assert_eq!(
        layout,
        json!([true, "rtl", "ltr", true]),
        "on the left, the end of the page's lines; the field right to left, read-only: {layout}"
    );
    b.screenshot(&screenshot_dir().join("editor-panel-rtl.png"));
}

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn editor_keeps_typing_across_a_reload_and_never_overwrites_a_changed_file() {
    require_chromium();
    let _guard = lock();
    let site = site_copy();
    let (serve, _) = serve_edit(site.path());
    let ftl = site.path().join(ZH_FTL);
    let b = Session::start(&Options::default());
    b.set_window(1280, 1000);
    b.goto(&serve.url(&format!("zh-CN/{PAGE}")));
    b.click(".hero-title span[data-l10n-id]");
    assert!(b.wait_for(10, |b| !b.find_all("#ftlsite-editor textarea").is_empty()));
    let field = b.find("#ftlsite-editor textarea");
    b.clear(&field);
    b.type_into(&field, "隐私草稿");
    b.js("window.__before = 1; return null");
    // Another editor changes the file (keeping the glossary term 客户数据, which E701 requires):
    // the preview rebuilds and the page reloads.
    set_message(&ftl, "privacy-hero-caption", "客户数据由另一个编辑器改过。");
    let theirs = read(site.path(), ZH_FTL);
    let draft =
        "const t = document.querySelector('#ftlsite-editor textarea'); return t ? t.value : null";
    assert!(
        b.wait_for(10, |b| reloaded(b) && b.js(draft) == "隐私草稿"),
        "the panel is open again with the text typed: {}",
        b.js(draft)
    );
    assert_eq!(text_of(&b, ".hero-caption"), "客户数据由另一个编辑器改过。");
    b.click("#ftlsite-editor button.save");
    assert!(
        b.wait_for(10, |b| text_of(b, "#ftlsite-editor .problems")
            .contains("changed on disk")),
        "{}",
        text_of(&b, "#ftlsite-editor")
    );
    b.screenshot(&screenshot_dir().join("editor-conflict.png"));
    assert_eq!(read(site.path(), ZH_FTL), theirs, "nothing overwritten");
    // Reloading the entry shows the file's text, and the refused text beside it.
    b.click("#ftlsite-editor .problems button");
    assert!(
        b.wait_for(10, |b| b.js(draft) == "隐私"
            && text_of(b, "#ftlsite-editor form")
                .contains("Your text, not saved:隐私草稿")),
        "{}",
        text_of(&b, "#ftlsite-editor form")
    );
}

/// Serves `html` to every request on a port of its own: another origin.
fn other_origin(html: String) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for mut s in listener.incoming().flatten() {
            let mut buf = [0u8; 8192];
            let _ = s.read(&mut buf);
            let _ = write!(s, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}", html.len());
        }
    });
    port
}

#[test]
#[ignore = "needs chromium and chromedriver; run with --include-ignored"]
fn a_page_of_another_origin_cannot_edit_even_with_the_token() {
    require_chromium();
    let _guard = lock();
    let site = site_copy();
    let (serve, token) = serve_edit(site.path());
    let before = read(site.path(), ZH_FTL);
    let hash = entry(&serve, &token, "privacy-hero-title")["file"]["hash"].clone();
    let body =
        json!({ "locale": "zh-CN", "id": "privacy-hero-title", "value": "被改了", "hash": hash });
    // The worst case: the attacker knows the token and the file's hash.
    let attack = format!(
        r#"<!DOCTYPE html><html><body><iframe name="sink"></iframe><script>
const url = "http://127.0.0.1:{port}/__ftlsite/edit/save";
const body = JSON.stringify({body});
window.results = {{}};
fetch("http://127.0.0.1:{port}/zh-CN/{PAGE}").then(r => r.text()).then(() => results.read = "read", () => results.read = "blocked");
fetch(url, {{ method: "POST", headers: {{ "Content-Type": "application/json", "X-Ftlsite-Token": "{token}" }}, body }})
  .then(r => results.cors = "sent " + r.status, () => results.cors = "blocked");
fetch(url, {{ method: "POST", mode: "no-cors", headers: {{ "Content-Type": "text/plain" }}, body }})
  .then(() => results.simple = "answered", () => results.simple = "failed");
const f = document.createElement("form");
f.method = "POST"; f.action = url; f.enctype = "text/plain"; f.target = "sink";
const i = document.createElement("input"); i.name = body; i.value = ""; f.appendChild(i);
document.body.appendChild(f);
document.querySelector("iframe").addEventListener("load", () => results.form = "answered");
f.submit();
</script></body></html>"#,
        port = serve.port,
        body = serde_json::to_string(&body.to_string()).expect("js string"),
    );
    let other = other_origin(attack);
    let b = Session::start(&Options::default());
    b.goto(&format!("http://localhost:{other}/"));
    assert!(
        b.wait_for(10, |b| b
            .js("return Object.keys(window.results || {}).length")
            == 4),
        "{}",
        b.js("return window.results")
    );
    let results = b.js("return window.results");
    assert_eq!(
        results["read"], "blocked",
        "the preview cannot be read: {results}"
    );
    assert_eq!(
        results["cors"], "blocked",
        "the token header needs a preflight: {results}"
    );
    assert_eq!(results["simple"], "answered", "{results}");
    assert_eq!(results["form"], "answered", "{results}");
    assert_eq!(read(site.path(), ZH_FTL), before, "nothing was written");
    assert!(serve
        .get(&format!("/zh-CN/{PAGE}"))
        .1
        .contains(">隐私</span>"));
}
