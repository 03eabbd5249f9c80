//! The editor's API on a small site folder, without sockets: what is shown, written, refused.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::*;
use crate::serve::request::{Head, Version};
use crate::serve::{Builder, Options, Outcome};
use crate::site::SiteSource;

const ZH: &str = "locales/zh-CN/m.ftl";
const ZH_TEXT: &str = "language-name = 中文\ntitle = 标题\n\na = 甲\nhint = 提示\nn =\n    { $count ->\n       *[other] { $count } 个\n    }\n";

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A page with a `<title>`, two paragraphs, a placeholder and a plural; `b` is missing in
/// zh-CN, and `c` lives in a source file zh-CN does not have.
fn site(dir: &Path) {
    write(dir, "site.toml", "source-locale = \"en-US\"\nlocales = [\"zh-CN\"]\n\n[[pages]]\ntemplate = \"p.html\"\noutput = \"p.html\"\n");
    write(dir, "templates/p.html", "<html lang=\"{{ lang }}\"><head><title>{{ t_attr(\"title\") }}</title></head><body><p>{{ t(\"a\") }}</p><p>{{ t(\"b\") }}</p><input placeholder=\"{{ t_attr(\"hint\") }}\"><p>{{ t(\"n\", count=1) }}</p><p>{{ t(\"c\") }}</p></body></html>\n");
    write(dir, "locales/en-US/m.ftl", "language-name = English\ntitle = Title\n\n## Body\n\n# About a\na = A\nb = B\nhint = Hint\nn =\n    { $count ->\n        [one] One thing\n       *[other] { $count } things\n    }\n");
    write(dir, "locales/en-US/other.ftl", "c = C\n");
    write(dir, ZH, ZH_TEXT);
}

struct Fixture {
    dir: tempfile::TempDir,
    editor: Editor,
    builder: Arc<Mutex<Builder>>,
    rebuilds: Receiver<BTreeSet<String>>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    let opts = Options {
        edit: true,
        ..Default::default()
    };
    let builder = Arc::new(Mutex::new(Builder::new(
        SiteSource::Dir(dir.path().to_path_buf()),
        opts,
    )));
    let built = builder.lock().unwrap().build(None);
    assert!(matches!(built, Outcome::Built(_)), "{built:?}");
    let (tx, rebuilds) = mpsc::channel();
    let editor = Editor::with_token(dir.path(), builder.clone(), tx, "t0k3n");
    Fixture {
        dir,
        editor,
        builder,
        rebuilds,
    }
}

fn head(method: &str, target: &str, fields: &[(&str, &str)]) -> Head {
    Head {
        method: method.into(),
        target: target.into(),
        version: Version::Http11,
        headers: fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

impl Fixture {
    fn entry(&self, id: &str) -> (u16, Value) {
        let target = format!("/__ftlsite/edit/entry?locale=zh-CN&id={id}");
        let r = self.editor.handle(
            &head("GET", &target, &[("x-ftlsite-token", "t0k3n")]),
            b"",
            4000,
        );
        (r.status, serde_json::from_slice(&r.body).unwrap())
    }

    fn save(&self, body: Value) -> (u16, Value) {
        let fields = [
            ("x-ftlsite-token", "t0k3n"),
            ("origin", "http://127.0.0.1:4000"),
            ("content-type", "application/json"),
        ];
        let h = head("POST", "/__ftlsite/edit/save", &fields);
        let r = self.editor.handle(&h, body.to_string().as_bytes(), 4000);
        (r.status, serde_json::from_slice(&r.body).unwrap())
    }

    fn text(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(path)).unwrap()
    }

    fn hash(&self, path: &str) -> String {
        file_hash(std::fs::read(self.dir.path().join(path)).ok().as_deref())
    }

    /// Rebuilds what the editor asked for; returns the zh-CN page.
    fn rebuilt_page(&self) -> String {
        let changed = self.rebuilds.try_recv().expect("a rebuild was asked for");
        let Outcome::Built(files) = self.builder.lock().unwrap().build(Some(&changed)) else {
            panic!("the rebuild failed")
        };
        String::from_utf8(files["zh-CN/p.html"].to_vec()).unwrap()
    }
}

fn problems(v: &Value) -> Vec<String> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["line"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_entry_shows_the_source_its_comments_and_where_the_translation_is() {
    let f = fixture();
    let (status, e) = f.entry("a");
    assert_eq!(status, 200, "{e}");
    assert_eq!(e["source"]["comment"], "About a");
    assert_eq!(e["source"]["group_comment"], "Body");
    assert_eq!(e["source"]["path"], "locales/en-US/m.ftl");
    assert_eq!(e["source"]["line"], 7);
    assert_eq!(e["patterns"][0]["source"], "A");
    assert_eq!(e["patterns"][0]["translation"], "甲");
    assert_eq!(e["file"]["path"], ZH);
    assert_eq!(e["file"]["line"], 4);
    assert_eq!(e["file"]["hash"], f.hash(ZH));
    assert_eq!(e["missing"], false);

    let (_, n) = f.entry("n");
    assert_eq!(n["patterns"][0]["variables"], serde_json::json!(["count"]));
    assert_eq!(
        n["patterns"][0]["translation"],
        "{ $count ->\n       *[other] { $count } 个\n    }"
    );
    assert_eq!(n["selects"][0]["selector"], "$count");
    assert_eq!(n["plural_categories"], serde_json::json!(["other"]));

    assert_eq!(f.entry("nope").0, 404);
    assert_eq!(f.entry("a.b.c").0, 400);
}

#[test]
fn a_valid_save_changes_that_entry_only_and_the_page_shows_it() {
    let f = fixture();
    let (status, r) = f.save(serde_json::json!({
        "locale": "zh-CN", "id": "a", "value": "甲乙", "hash": f.hash(ZH)
    }));
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (r["saved"].as_bool(), r["line"].as_u64()),
        (Some(true), Some(4))
    );
    assert_eq!(f.text(ZH), ZH_TEXT.replace("a = 甲\n", "a = 甲乙\n"));
    assert_eq!(r["hash"], f.hash(ZH));
    assert!(f
        .rebuilt_page()
        .contains("<span data-l10n-id=\"a\">甲乙</span>"));
    // The folder watch reports the same write again: nothing more to publish.
    let again = BTreeSet::from([ZH.to_string()]);
    assert!(matches!(
        f.builder.lock().unwrap().build(Some(&again)),
        Outcome::Unchanged
    ));
    // Saving the same text again changes nothing.
    let (_, r) = f.save(serde_json::json!({
        "locale": "zh-CN", "id": "a", "value": "甲乙", "hash": f.hash(ZH)
    }));
    assert_eq!(r["changed"], false);
}

#[test]
fn an_invalid_save_is_refused_as_check_reports_it_and_nothing_is_written() {
    let f = fixture();
    for (value, code) in [("甲 {", "error[E101]"), ("甲 { $x }", "error[E301]")] {
        let (status, r) = f.save(serde_json::json!({
            "locale": "zh-CN", "id": "a", "value": value, "hash": f.hash(ZH)
        }));
        assert_eq!(status, 422, "{value}: {r}");
        let lines = problems(&r);
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("locales/zh-CN/m.ftl:") && l.contains(code)),
            "{value}: {lines:?}"
        );
        assert_eq!(f.text(ZH), ZH_TEXT, "{value}");
    }
    // A plural category zh-CN does not have.
    let (status, r) = f.save(serde_json::json!({
        "locale": "zh-CN", "id": "n", "hash": f.hash(ZH),
        "value": "{ $count ->\n[one] 一个\n*[other] { $count } 个\n}"
    }));
    assert_eq!(status, 422, "{r}");
    assert!(
        problems(&r).iter().any(|l| l.contains("error[E305]")),
        "{r}"
    );
    assert_eq!(f.text(ZH), ZH_TEXT);
    assert!(f.rebuilds.try_recv().is_err(), "no rebuild after a refusal");
}

#[test]
fn a_file_changed_since_the_panel_opened_is_not_overwritten() {
    let f = fixture();
    let hash = f.hash(ZH);
    let theirs = ZH_TEXT.replace("hint = 提示", "hint = 别人的提示");
    std::fs::write(f.dir.path().join(ZH), &theirs).unwrap();
    let (status, r) = f.save(serde_json::json!({
        "locale": "zh-CN", "id": "a", "value": "甲乙", "hash": hash
    }));
    assert_eq!(status, 409, "{r}");
    assert_eq!(r["conflict"], true);
    assert_eq!(f.text(ZH), theirs);
}

#[test]
fn a_missing_message_is_translated_in_place_next_to_its_source_neighbours() {
    let f = fixture();
    let (_, e) = f.entry("b");
    assert_eq!(
        (e["missing"].as_bool(), e["file"]["line"].as_u64()),
        (Some(true), Some(0))
    );
    assert_eq!(e["patterns"][0]["source"], "B");
    assert_eq!(e["patterns"][0]["translation"], Value::Null);
    let (status, r) = f.save(serde_json::json!({
        "locale": "zh-CN", "id": "b", "value": "乙", "hash": e["file"]["hash"]
    }));
    assert_eq!(status, 200, "{r}");
    assert_eq!(f.text(ZH), ZH_TEXT.replace("a = 甲\n", "a = 甲\nb = 乙\n"));
    assert!(f
        .rebuilt_page()
        .contains("<span data-l10n-id=\"b\">乙</span>"));

    // A source file the locale does not have yet is mirrored.
    let (_, e) = f.entry("c");
    assert_eq!(e["file"]["path"], "locales/zh-CN/other.ftl");
    assert_eq!(e["file"]["exists"], false);
    let (status, r) = f.save(serde_json::json!({
        "locale": "zh-CN", "id": "c", "value": "丙", "hash": "absent"
    }));
    assert_eq!(status, 200, "{r}");
    assert_eq!(f.text("locales/zh-CN/other.ftl"), "c = 丙\n");
}

#[test]
fn only_target_locales_and_known_messages_are_written() {
    let f = fixture();
    let save = |body: Value| f.save(body).0;
    let hash = f.hash(ZH);
    assert_eq!(
        save(serde_json::json!({"locale": "en-US", "id": "a", "value": "X", "hash": hash})),
        403
    );
    assert_eq!(
        save(serde_json::json!({"locale": "fr", "id": "a", "value": "X", "hash": hash})),
        404
    );
    assert_eq!(
        save(serde_json::json!({"locale": "zh-CN", "id": "zz", "value": "X", "hash": hash})),
        404
    );
    assert_eq!(
        save(serde_json::json!({"locale": "zh-CN", "id": "../a", "value": "X", "hash": hash})),
        400
    );
    assert_eq!(
        save(serde_json::json!({"locale": "zh-CN", "id": "a", "hash": hash})),
        400
    );
    assert_eq!(
        save(
            serde_json::json!({"locale": "zh-CN", "id": "a", "value": "X", "hash": hash, "path": "/etc/passwd"})
        ),
        400
    );
    let (status, r) = f.save(serde_json::json!({
        "locale": "zh-CN", "id": "a", "attributes": [{"name": "title", "value": "X"}], "hash": hash
    }));
    assert_eq!(status, 422, "{r}");
    assert!(problems(&r)[0].contains("has no attribute `.title`"), "{r}");
    assert_eq!(f.text(ZH), ZH_TEXT);
}

#[cfg(unix)]
#[test]
fn a_locale_file_linked_out_of_the_site_is_never_written() {
    let f = fixture();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("other.ftl");
    std::fs::write(&target, "kept\n").unwrap();
    std::os::unix::fs::symlink(&target, f.dir.path().join("locales/zh-CN/other.ftl")).unwrap();
    let (status, r) = f.save(serde_json::json!({
        "locale": "zh-CN", "id": "c", "value": "丙", "hash": file_hash(Some(b"kept\n"))
    }));
    assert_eq!(status, 403, "{r}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "kept\n");
}

#[test]
fn edit_marks_name_every_text_and_release_renders_have_none() {
    let f = fixture();
    let b = f.builder.lock().unwrap();
    let (site, catalogs) = b.loaded().unwrap();
    let page =
        String::from_utf8(b.render_page(site, catalogs, 0, "zh-CN").unwrap().unwrap()).unwrap();
    assert!(page.contains("<title data-l10n-attrs=\"[{&quot;attr&quot;:&quot;#text&quot;,&quot;id&quot;:&quot;title&quot;}]\">标题</title>"), "{page}");
    assert!(
        page.contains("<input placeholder=\"提示\" data-l10n-attrs="),
        "{page}"
    );
    assert!(page.contains("<span data-l10n-id=\"b\" data-l10n-fallback=\"en-US\"><span lang=\"en-US\">B</span></span>"), "{page}");
    let release = crate::render::render(site, catalogs, &Default::default());
    assert!(release.is_err(), "a release render refuses the missing `b`");
    let opts = crate::render::RenderOptions {
        allow_fallback: true,
        ..Default::default()
    };
    let release = crate::render::render(site, catalogs, &opts).unwrap();
    let html = String::from_utf8(release.files["zh-CN/p.html"].clone()).unwrap();
    assert!(
        !html.contains("data-l10n") && !html.contains('\u{FFF9}'),
        "{html}"
    );
}

#[test]
fn a_variant_preview_renders_the_chosen_variant() {
    let f = fixture();
    let snap = crate::serve::Preview::new(false).snapshot();
    let en = variant::page(&f.editor, "en-US/p.html", "n:0:other", &snap);
    assert_eq!(en.status, 200);
    assert!(String::from_utf8_lossy(&en.body).contains("<span data-l10n-id=\"n\">1 things</span>"));
    assert_eq!(
        variant::page(&f.editor, "en-US/p.html", "n:0:few", &snap).status,
        404
    );
    assert_eq!(
        variant::page(&f.editor, "en-US/p.html", "n:zero:one", &snap).status,
        400
    );
}

#[test]
fn queries_ids_and_hashes() {
    assert_eq!(
        query_value("locale=zh-CN&id=a%2Eb+c", "id").as_deref(),
        Some("a.b c")
    );
    assert_eq!(query_value("locale=zh-CN", "id"), None);
    assert_eq!(query_value("id=%ff", "id"), None);
    assert_eq!(split_id("hero.alt"), Some(("hero", Some("alt"))));
    assert_eq!(split_id("hero"), Some(("hero", None)));
    for bad in ["", "1a", "a.b.c", "-term", "a b", "a.", "é"] {
        assert_eq!(split_id(bad), None, "{bad}");
    }
    assert_eq!(file_hash(None), "absent");
    assert_ne!(file_hash(Some(b"a")), file_hash(Some(b"b")));
    assert_eq!(file_hash(Some(b"a")), file_hash(Some(b"a")));
    assert_eq!(line_of("a\nb\nc", 0), 1);
    assert_eq!(line_of("a\nb\nc", 4), 3);
}
