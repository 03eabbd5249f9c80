//! Incremental builds: a build over an earlier output keeps (hard-links) every file whose bytes
//! do not change, renders only the pages whose inputs changed, and writes exactly the tree a
//! cold build of the same site writes. Each kind of edit is checked against a cold build into
//! another folder, file by file, with the inode and modification time of every kept file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

use crate::support::*;

const CACHE: &str = ".ftlsite-cache";

const BASE: &str = r#"<!DOCTYPE html>
<html lang="{{ lang }}" dir="{{ dir }}">
<head>
  <meta charset="utf-8">
  <title>{{ t_attr("site-title") }}</title>
  <link rel="stylesheet" href="{{ root }}assets/style.css">
</head>
<body>
  <nav aria-label="{{ t_attr("switcher-label") }}">
    <ul>
      {%- for a in alternates %}
      <li><a href="{{ a.href }}" hreflang="{{ a.lang }}">{{ a.name }}</a></li>
      {%- endfor %}
    </ul>
  </nav>
  {% block main %}{% endblock %}
  <footer>{{ t("footer") }}</footer>
</body>
</html>
"#;

const A: &str = r#"{% extends "base.html" %}
{% block main %}<h1 id="{{ page.vars.anchor }}">{{ t("only-a") }}</h1>
<p>{{ t("shared", name=page.vars.name) }}</p>{% endblock %}
"#;

const B: &str = r#"{% extends "base.html" %}
{% block main %}<h1>{{ t("only-b") }}</h1>
<p><a href="{{ page.vars.see }}">{{ t("see-a") }}</a></p>{% endblock %}
"#;

const EN: &str = "language-name = English
switcher-label = Language
site-title = Test site
footer = Footer text
only-a = Page A heading
see-a = See page A
shared = Hello, { $name }
";

const FR: &str = "language-name = Français
switcher-label = Langue
site-title = Site d’essai
footer = Pied de page
only-a = Titre de la page A
see-a = Voir la page A
shared = Bonjour, { $name }
";

/// `only-b` and `-brand` live in their own file, so that removing it leaves French without
/// them.
const EN_EXTRA: &str = "-brand = Brand\nonly-b = { -brand } B heading\n";
const FR_EXTRA: &str = "-brand = Marque\nonly-b = Titre B de { -brand }\n";

/// A two-locale site: pages a0..a3 (template a.html) use `only-a` and `shared`; pages b0..b2
/// (b.html) use `only-b`, which refers to the term `-brand`, and link to `a0.html#top`
/// through a page variable (so only the rendered-page link check sees that link).
fn write_site(dir: &Path) {
    let files: Vec<(String, String)> = [
        (
            "site.toml",
            "source-locale = \"en-US\"\nlocales = [\"fr\"]\n".to_string(),
        ),
        ("templates/base.html", BASE.into()),
        ("templates/a.html", A.into()),
        ("templates/b.html", B.into()),
        ("locales/en-US/main.ftl", EN.into()),
        ("locales/fr/main.ftl", FR.into()),
        ("locales/en-US/extra.ftl", EN_EXTRA.into()),
        ("locales/fr/extra.ftl", FR_EXTRA.into()),
        ("assets/style.css", "body { margin: 0 }\n".into()),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t))
    .chain((0..4).map(|i| {
        (
            format!("pages/a{i}.toml"),
            format!(
                "template = \"a.html\"\noutput = \"a{i}.html\"\n[vars]\nanchor = \"top\"\nname = \"Reader {i}\"\n"
            ),
        )
    }))
    .chain((0..3).map(|i| {
        (
            format!("pages/b{i}.toml"),
            format!(
                "template = \"b.html\"\noutput = \"b{i}.html\"\n[vars]\nsee = \"a0.html#top\"\n"
            ),
        )
    }))
    .collect();
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// (inode, modification time) of every file of an output.
fn stamps(out: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    read_tree(out)
        .into_keys()
        .map(|path| {
            let meta = std::fs::metadata(out.join(&path)).unwrap();
            (path, (meta.ino(), meta.modified().unwrap()))
        })
        .collect()
}

fn build(cwd: &Path, out: &str, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--site", "site", "--out", out];
    args.extend_from_slice(extra);
    ftlsite(cwd, &args)
}

/// The number of pages a build over an earlier output rendered, from its summary line.
fn rendered(o: &Output) -> usize {
    let stdout = String::from_utf8_lossy(&o.stdout);
    let (_, rest) = stdout
        .split_once("; ")
        .unwrap_or_else(|| panic!("{}", text(o)));
    rest.split_once(" page(s) rendered")
        .unwrap()
        .0
        .parse()
        .unwrap()
}

/// `(written, unchanged)` from the summary line of a build over an earlier output.
fn counts(o: &Output) -> (usize, usize) {
    let stdout = String::from_utf8_lossy(&o.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("built "))
        .unwrap_or_else(|| panic!("no summary line in {}", text(o)));
    let inner = line
        .split_once("files: ")
        .and_then(|(_, rest)| rest.split_once(')'))
        .unwrap_or_else(|| panic!("no counts in `{line}`"))
        .0;
    let (counts, _) = inner.split_once("; ").unwrap();
    let (written, unchanged) = counts.split_once(" written, ").unwrap();
    (
        written.parse().unwrap(),
        unchanged.trim_end_matches(" unchanged").parse().unwrap(),
    )
}

/// The output tree without the cache, whose file stamps differ between two builds.
fn tree(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut tree = read_tree(out);
    tree.remove(CACHE);
    tree
}

/// Builds the site into `out`, applies `edit`, builds again into `out` and cold into `cold`,
/// and checks that both trees are byte-identical. Returns the files the rebuild rewrote (new
/// inode or modification time, or new), after checking the summary counts them.
fn rebuild_after(edit: impl FnOnce(&Path), extra: &[&str]) -> (BTreeSet<String>, Output) {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    write_site(&cwd.join("site"));
    let first = build(cwd, "out", extra);
    assert_eq!(code(&first), 0, "{}", text(&first));
    let before = stamps(&cwd.join("out"));
    // Make sure a rewritten file would get another modification time.
    std::thread::sleep(std::time::Duration::from_millis(20));
    edit(&cwd.join("site"));
    let again = build(cwd, "out", extra);
    assert_eq!(code(&again), 0, "{}", text(&again));
    let cold = build(cwd, "cold", extra);
    assert_eq!(code(&cold), 0, "{}", text(&cold));
    let (out_tree, cold_tree) = (tree(&cwd.join("out")), tree(&cwd.join("cold")));
    assert_eq!(
        out_tree.keys().collect::<Vec<_>>(),
        cold_tree.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &cold_tree {
        assert!(
            out_tree[path] == *bytes,
            "{path} differs from a cold build:\n{}\n---\n{}",
            String::from_utf8_lossy(&out_tree[path]),
            String::from_utf8_lossy(bytes)
        );
    }
    let after = stamps(&cwd.join("out"));
    let rewritten: BTreeSet<String> = after
        .iter()
        .filter(|(p, s)| !p.starts_with(".ftlsite-") && before.get(*p) != Some(s))
        .map(|(p, _)| p.clone())
        .collect();
    let files = after.keys().filter(|p| !p.starts_with(".ftlsite-")).count();
    assert_eq!(
        counts(&again),
        (rewritten.len(), files - rewritten.len()),
        "{}",
        text(&again)
    );
    (rewritten, again)
}

fn set(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

fn edit_file(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn noop_rebuild_keeps_every_file() {
    let (rewritten, again) = rebuild_after(|_| {}, &[]);
    assert_eq!(rewritten, set(&[]));
    assert_eq!(counts(&again), (0, 17));
}

#[test]
fn one_message_rewrites_exactly_the_pages_that_show_it() {
    let (rewritten, _) = rebuild_after(
        |site| {
            edit_file(
                &site.join("locales/fr/main.ftl"),
                "Titre de la page A",
                "Titre nouveau de la page A",
            )
        },
        &[],
    );
    assert_eq!(
        rewritten,
        set(&["fr/a0.html", "fr/a1.html", "fr/a2.html", "fr/a3.html"])
    );
}

#[test]
fn a_term_rewrites_the_pages_of_the_messages_that_refer_to_it() {
    let (rewritten, _) = rebuild_after(
        |site| {
            edit_file(
                &site.join("locales/en-US/extra.ftl"),
                "-brand = Brand",
                "-brand = Label",
            )
        },
        &[],
    );
    assert_eq!(
        rewritten,
        set(&["en-US/b0.html", "en-US/b1.html", "en-US/b2.html"])
    );
}

#[test]
fn a_template_rewrites_the_pages_that_use_it() {
    let (rewritten, _) = rebuild_after(
        |site| edit_file(&site.join("templates/b.html"), "<h1>", "<h1 class=\"b\">"),
        &[],
    );
    let b: BTreeSet<String> = ["en-US", "fr"]
        .iter()
        .flat_map(|l| (0..3).map(move |i| format!("{l}/b{i}.html")))
        .collect();
    assert_eq!(rewritten, b);
}

#[test]
fn a_page_file_rewrites_that_page() {
    let (rewritten, _) = rebuild_after(
        |site| edit_file(&site.join("pages/a1.toml"), "Reader 1", "Reader One"),
        &[],
    );
    assert_eq!(rewritten, set(&["en-US/a1.html", "fr/a1.html"]));
}

#[test]
fn site_toml_edits_rebuild_what_they_change() {
    // A comment changes no output: every page is rendered again, and every file kept.
    let (rewritten, _) = rebuild_after(
        |site| {
            let path = site.join("site.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(path, format!("# comment\n{text}")).unwrap();
        },
        &[],
    );
    assert_eq!(rewritten, set(&[]));
    // A base URL changes the sitemap and the root page only (the pages do not show it).
    let (rewritten, _) = rebuild_after(
        |site| {
            let path = site.join("site.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(path, format!("base-url = \"https://example.com/\"\n{text}")).unwrap();
        },
        &[],
    );
    assert!(rewritten.contains("sitemap.xml"), "{rewritten:?}");
    assert!(
        rewritten.iter().all(|p| !p.ends_with("/a0.html")),
        "{rewritten:?}"
    );
}

#[test]
fn an_asset_rewrites_only_itself() {
    let (rewritten, _) = rebuild_after(
        |site| std::fs::write(site.join("assets/style.css"), "body { margin: 1em }\n").unwrap(),
        &[],
    );
    assert_eq!(rewritten, set(&["assets/style.css"]));
}

#[test]
fn a_removed_page_leaves_the_others_in_place() {
    let (rewritten, _) = rebuild_after(
        |site| std::fs::remove_file(site.join("pages/a3.toml")).unwrap(),
        &[],
    );
    assert_eq!(rewritten, set(&["sitemap.xml"]));
}

#[test]
fn a_removed_locale_file_rewrites_the_pages_that_fall_back() {
    let (rewritten, again) = rebuild_after(
        |site| std::fs::remove_file(site.join("locales/fr/extra.ftl")).unwrap(),
        &["--allow-fallback"],
    );
    assert_eq!(rewritten, set(&["fr/b0.html", "fr/b1.html", "fr/b2.html"]));
    assert!(
        text(&again).contains("fallback: fr uses en-US text for `only-b`"),
        "{}",
        text(&again)
    );
}

/// Every page that shows a fallback lists it for later builds, not only the first page that
/// formatted the message: whichever one page is kept alone, the rebuild still reports it.
#[test]
fn each_kept_page_still_reports_its_fallback() {
    for keep in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let cwd = dir.path();
        write_site(&cwd.join("site"));
        std::fs::remove_file(cwd.join("site/locales/fr/extra.ftl")).unwrap();
        let first = build(cwd, "out", &["--allow-fallback"]);
        assert_eq!(code(&first), 0, "{}", text(&first));
        for i in (0..3).filter(|i| *i != keep) {
            std::fs::remove_file(cwd.join(format!("site/pages/b{i}.toml"))).unwrap();
        }
        let again = build(cwd, "out", &["--allow-fallback"]);
        assert_eq!(code(&again), 0, "{}", text(&again));
        assert!(
            text(&again).contains("0 page(s) rendered"),
            "b{keep} is kept: {}",
            text(&again)
        );
        assert!(
            text(&again).contains("fallback: fr uses en-US text for `only-b`"),
            "kept b{keep}: {}",
            text(&again)
        );
    }
}

/// Kept pages still take part in the link check: a link of a page that is not rendered again
/// to a fragment that is gone, or to a page that is gone, stops the build.
#[test]
fn kept_pages_links_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    write_site(&cwd.join("site"));
    let first = build(cwd, "out", &[]);
    assert_eq!(code(&first), 0, "{}", text(&first));
    let before = read_tree(&cwd.join("out"));

    edit_file(
        &cwd.join("site/pages/a0.toml"),
        "anchor = \"top\"",
        "anchor = \"head\"",
    );
    let o = build(cwd, "out", &[]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(
        text(&o).contains("E504") && text(&o).contains("no id `top`"),
        "{}",
        text(&o)
    );
    assert_eq!(
        read_tree(&cwd.join("out")),
        before,
        "the output is untouched"
    );

    edit_file(
        &cwd.join("site/pages/a0.toml"),
        "anchor = \"head\"",
        "anchor = \"top\"",
    );
    std::fs::remove_file(cwd.join("site/pages/a0.toml")).unwrap();
    let o = build(cwd, "out", &[]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(
        text(&o).contains("E504") && text(&o).contains("not generated"),
        "{}",
        text(&o)
    );
    assert_eq!(
        read_tree(&cwd.join("out")),
        before,
        "the output is untouched"
    );
}

/// A cache that does not parse or comes from another release is ignored, and a file changed
/// in the output since it was written is rendered again: the output is still a cold build's.
#[test]
fn broken_foreign_or_stale_caches_are_not_trusted() {
    let foreign = |out: &Path| {
        let cache = std::fs::read_to_string(out.join(CACHE)).unwrap();
        let version = format!("\"version\":\"{}\"", env!("CARGO_PKG_VERSION"));
        assert!(cache.contains(&version), "{cache}");
        std::fs::write(
            out.join(CACHE),
            cache.replace(&version, "\"version\":\"0.0.0\""),
        )
        .unwrap();
    };
    let garbage =
        |out: &Path| std::fs::write(out.join(CACHE), "{\"format\": 1, \"pages\": [").unwrap();
    let tampered = |out: &Path| {
        std::fs::write(out.join("fr/a1.html"), "edited by hand").unwrap();
        std::fs::remove_file(out.join("en-US/b1.html")).unwrap();
    };
    let footer = |site: &Path| {
        edit_file(
            &site.join("locales/en-US/main.ftl"),
            "Footer text",
            "New footer",
        )
    };
    for (name, spoil) in [
        ("foreign", &foreign as &dyn Fn(&Path)),
        ("garbage", &garbage),
        ("tampered", &tampered),
    ] {
        let (_dir, again) = rebuild_spoiled(name, spoil, &footer);
        if name != "tampered" {
            assert!(
                text(&again).contains(".ftlsite-cache is not usable"),
                "{name}: {}",
                text(&again)
            );
        }
    }
}

/// Builds the site into `out`, applies `spoil` to that output and `edit` to the site, builds
/// again into `out` and cold into `cold`, and checks that both trees are byte-identical.
/// Returns the folder holding `site`, `out` and `cold`, and the rebuild's output.
fn rebuild_spoiled(
    name: &str,
    spoil: &dyn Fn(&Path),
    edit: &dyn Fn(&Path),
) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    write_site(&cwd.join("site"));
    let first = build(cwd, "out", &[]);
    assert_eq!(code(&first), 0, "{}", text(&first));
    spoil(&cwd.join("out"));
    edit(&cwd.join("site"));
    let again = build(cwd, "out", &[]);
    assert_eq!(code(&again), 0, "{name}: {}", text(&again));
    let cold = build(cwd, "cold", &[]);
    assert_eq!(code(&cold), 0, "{}", text(&cold));
    assert!(
        tree(&cwd.join("out")) == tree(&cwd.join("cold")),
        "{name}: the rebuild differs from a cold build"
    );
    (dir, again)
}

/// `--no-incremental`, shards and `--pseudo` render every page; files whose bytes did not
/// change still keep their inode.
#[test]
fn no_incremental_renders_everything_and_still_keeps_unchanged_files() {
    let (rewritten, _) = rebuild_after(|_| {}, &["--no-incremental"]);
    assert_eq!(rewritten, set(&[]));
}

/// A page whose inputs did not change is not rendered again, and a file changed in the output
/// since it was written is rendered again.
#[test]
fn only_pages_whose_inputs_changed_are_rendered() {
    let (_, again) = rebuild_after(|_| {}, &[]);
    assert_eq!(rendered(&again), 0, "{}", text(&again));
    let (_, again) = rebuild_after(
        |site| {
            edit_file(
                &site.join("locales/fr/main.ftl"),
                "Titre de la page A",
                "Titre A",
            )
        },
        &[],
    );
    assert_eq!(rendered(&again), 4, "{}", text(&again));
    let (_, again) = rebuild_after(|_| {}, &["--no-incremental"]);
    assert_eq!(rendered(&again), 14, "{}", text(&again));

    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    write_site(&cwd.join("site"));
    let first = build(cwd, "out", &[]);
    assert_eq!(code(&first), 0, "{}", text(&first));
    let page = cwd.join("out/en-US/a2.html");
    let original = std::fs::read_to_string(&page).unwrap();
    let marked = original.replacen("Page A heading", "PAGE A HEADING", 1);
    assert_ne!(marked, original);
    // Edited in place, size and modification time unchanged: the content hash still tells.
    let mtime = std::fs::metadata(&page).unwrap().modified().unwrap();
    let file = std::fs::OpenOptions::new().write(true).open(&page).unwrap();
    std::io::Write::write_all(&mut &file, marked.as_bytes()).unwrap();
    file.set_modified(mtime).unwrap();
    drop(file);
    let again = build(cwd, "out", &[]);
    assert_eq!(code(&again), 0, "{}", text(&again));
    assert_eq!(rendered(&again), 1, "{}", text(&again));
    assert_eq!(std::fs::read_to_string(&page).unwrap(), original);
}

/// Two builds of the same site into two folders write the same cache: it holds no
/// timestamps or inodes.
#[test]
fn the_cache_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    write_site(&cwd.join("site"));
    for out in ["one", "two"] {
        let o = build(cwd, out, &[]);
        assert_eq!(code(&o), 0, "{}", text(&o));
    }
    let o = build(cwd, "two", &[]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(read_tree(&cwd.join("one")), read_tree(&cwd.join("two")));
}

/// (inode, modification time, status-change time) of every file and folder of an output.
fn identities(out: &Path) -> BTreeMap<String, (u64, i64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    fn walk(dir: &Path, key: &str, found: &mut BTreeMap<String, (u64, i64, i64, i64)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let name = format!("{key}{}", e.file_name().to_str().unwrap());
            let m = std::fs::symlink_metadata(e.path()).unwrap();
            found.insert(
                name.clone(),
                (m.ino(), m.mtime_nsec(), m.ctime(), m.ctime_nsec()),
            );
            if m.is_dir() {
                walk(&e.path(), &format!("{name}/"), found);
            }
        }
    }
    let mut found = BTreeMap::new();
    let m = std::fs::metadata(out).unwrap();
    found.insert(
        ".".into(),
        (m.ino(), m.mtime_nsec(), m.ctime(), m.ctime_nsec()),
    );
    walk(out, "", &mut found);
    found
}

/// A rebuild that would put exactly the same files there leaves the output as it is: no file
/// or folder is linked, moved or deleted (their status-change times do not move), the marker
/// and cache included.
#[test]
fn a_noop_rebuild_leaves_the_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    write_site(&cwd.join("site"));
    let first = build(cwd, "out", &[]);
    assert_eq!(code(&first), 0, "{}", text(&first));
    let before = identities(&cwd.join("out"));
    assert!(before.contains_key(CACHE) && before.contains_key("en-US/a1.html"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    for _ in 0..2 {
        let again = build(cwd, "out", &[]);
        assert_eq!(code(&again), 0, "{}", text(&again));
        assert_eq!(counts(&again), (0, 17), "{}", text(&again));
        assert_eq!(identities(&cwd.join("out")), before);
    }
    let leftovers: Vec<_> = std::fs::read_dir(cwd)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

/// An output that holds something a build would not put there (a file, a link, an empty
/// folder) is replaced as usual when nothing else changed: the result is a cold build's.
#[test]
fn a_noop_rebuild_over_an_output_with_extra_entries_replaces_it() {
    let extra_file = |out: &Path| std::fs::write(out.join("en-US/notes.txt"), "mine").unwrap();
    let empty_folder = |out: &Path| std::fs::create_dir(out.join("drafts")).unwrap();
    let link =
        |out: &Path| std::os::unix::fs::symlink("index.html", out.join("home.html")).unwrap();
    let removed = |out: &Path| std::fs::remove_file(out.join("sitemap.xml")).unwrap();
    for (name, spoil) in [
        ("extra file", &extra_file as &dyn Fn(&Path)),
        ("empty folder", &empty_folder),
        ("link", &link),
        ("removed file", &removed),
    ] {
        let (dir, _) = rebuild_spoiled(name, spoil, &|_| {});
        assert_eq!(
            identities(&dir.path().join("out"))
                .keys()
                .collect::<Vec<_>>(),
            identities(&dir.path().join("cold"))
                .keys()
                .collect::<Vec<_>>(),
            "{name}"
        );
    }
}

/// The cache names the inputs its page fingerprints were computed from (the marker's `site`).
/// A rebuild over those same inputs takes each listed fingerprint as it is, and only checks the
/// files; over other inputs it computes every fingerprint again. An edit that keeps every page
/// (an asset) still records the new inputs, so the next rebuild takes the shortcut too.
#[test]
fn the_cache_names_the_inputs_its_fingerprints_come_from() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    write_site(&cwd.join("site"));
    let out = cwd.join("out");
    let json = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(out.join(name)).unwrap()).unwrap()
    };
    let first = build(cwd, "out", &[]);
    assert_eq!(code(&first), 0, "{}", text(&first));
    let site = json(".ftlsite-output")["site"].clone();
    assert!(site.is_string(), "{site}");
    assert_eq!(json(CACHE)["site"], site);
    // A page's listed fingerprint, spoiled: over the same inputs it is not looked at...
    let spoil = |site_field: Option<&str>| {
        let mut cache = json(CACHE);
        cache["pages"]["fr/a1.html"]["key"] = "0000000000000000".into();
        if let Some(s) = site_field {
            cache["site"] = s.into();
        }
        std::fs::write(out.join(CACHE), serde_json::to_vec(&cache).unwrap()).unwrap();
    };
    spoil(None);
    let again = build(cwd, "out", &[]);
    assert_eq!(code(&again), 0, "{}", text(&again));
    assert_eq!(rendered(&again), 0, "{}", text(&again));
    // ...and when the cache does not name these inputs, every fingerprint is computed again.
    spoil(Some("another build"));
    let again = build(cwd, "out", &[]);
    assert_eq!(rendered(&again), 1, "{}", text(&again));
    assert_eq!(json(CACHE)["site"], site);
    // An asset edit renders no page, and the cache records the new inputs.
    std::fs::write(cwd.join("site/assets/style.css"), "p { margin: 0 }\n").unwrap();
    let again = build(cwd, "out", &[]);
    assert_eq!(rendered(&again), 0, "{}", text(&again));
    let new_site = json(".ftlsite-output")["site"].clone();
    assert_ne!(new_site, site);
    assert_eq!(json(CACHE)["site"], new_site);
    spoil(None);
    let again = build(cwd, "out", &[]);
    assert_eq!(rendered(&again), 0, "{}", text(&again));
    let cold = build(cwd, "cold", &[]);
    assert_eq!(code(&cold), 0, "{}", text(&cold));
    assert!(tree(&out) == tree(&cwd.join("cold")));
}
