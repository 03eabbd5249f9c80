//! The output folder is the user's: ftlsite replaces only its own earlier output, never leaves
//! the output path missing, cleans up after killed and interrupted builds, follows symlinks,
//! copes with mount points, reports a failing disk as an I/O error, and merges only shards.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use crate::support::*;

const BIN: &str = env!("CARGO_BIN_EXE_ftlsite");

/// Builds the shipped site into `cwd/out`.
fn build_shipped(cwd: &Path, out: &str, extra: &[&str]) -> Output {
    if !cwd.join("site").exists() {
        copy_shipped_site(&cwd.join("site"));
    }
    let mut args = vec!["build", "--site", "site", "--out", out];
    args.extend_from_slice(extra);
    ftlsite(cwd, &args)
}

/// Names in `dir` that look like a build's working folders.
fn leftovers(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.contains(".staging-") || n.contains(".old-"))
        .collect()
}

#[test]
fn out_folder_ftlsite_never_wrote_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(project.join("src/main.c"), "int main(void) { return 0; }\n").unwrap();
    std::fs::write(project.join("NOTES.txt"), "notes\n").unwrap();
    let before = read_tree(&project);

    let o = build_shipped(dir.path(), "project", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let msg = text(&o);
    assert!(
        msg.contains("project is not empty and is not an ftlsite output")
            && msg.contains("no .ftlsite-output")
            && msg.contains("--force"),
        "{msg}"
    );
    assert_eq!(read_tree(&project), before, "nothing in it was touched");
    assert_eq!(names(dir.path()), ["project", "site"]);

    // A marker some other tool wrote is no marker.
    std::fs::write(project.join(".ftlsite-output"), "{\"tool\": \"other\"}").unwrap();
    let o = build_shipped(dir.path(), "project", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(project.join("src/main.c").exists());

    // Empty and missing folders are fine.
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    for out in ["empty", "new/deeper"] {
        let o = build_shipped(dir.path(), out, &[]);
        assert!(o.status.success(), "{out}: {}", text(&o));
    }

    // --force replaces it, and from then on it is an ftlsite output.
    let o = build_shipped(dir.path(), "project", &["--force"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!project.join("NOTES.txt").exists());
    let o = build_shipped(dir.path(), "project", &[]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn marker_is_identical_between_builds_and_stays_out_of_listings() {
    let dir = tempfile::tempdir().unwrap();
    for out in ["a", "b"] {
        let o = build_shipped(dir.path(), out, &[]);
        assert!(o.status.success(), "{}", text(&o));
        assert!(
            text(&o).contains("(7 files)"),
            "the marker is not counted: {}",
            text(&o)
        );
    }
    let a = std::fs::read_to_string(dir.path().join("a/.ftlsite-output")).unwrap();
    let b = std::fs::read_to_string(dir.path().join("b/.ftlsite-output")).unwrap();
    assert_eq!(a, b);
    let marker: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(marker["tool"], "ftlsite");
    assert_eq!(marker["version"], env!("CARGO_PKG_VERSION"));
    assert!(marker.get("shard").is_none(), "{a}");
    for listing in ["sitemap.xml", "index.html"] {
        let page = std::fs::read_to_string(dir.path().join("a").join(listing)).unwrap();
        assert!(
            !page.contains("ftlsite-output"),
            "{listing} lists the marker"
        );
    }
    let o = build_shipped(dir.path(), "s", &["--shard", "2/3"]);
    assert!(o.status.success(), "{}", text(&o));
    let shard: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("s/.ftlsite-output")).unwrap())
            .unwrap();
    assert_eq!(
        shard["shard"],
        serde_json::json!({ "index": 2, "count": 3 })
    );
    assert_eq!(
        shard["site"], marker["site"],
        "shards share the fingerprint"
    );
}

#[test]
fn output_path_exists_throughout_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    let o = build_shipped(dir.path(), "out", &[]);
    assert!(o.status.success(), "{}", text(&o));
    let page = dir.path().join("out/en-US/privacy/default.html");
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        let watcher = s.spawn(|| {
            let (mut looks, mut missing) = (0u64, 0u64);
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                looks += 1;
                if !page.exists() {
                    missing += 1;
                }
            }
            (looks, missing)
        });
        for _ in 0..10 {
            let o = build_shipped(dir.path(), "out", &[]);
            assert!(o.status.success(), "{}", text(&o));
        }
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        let (looks, missing) = watcher.join().unwrap();
        assert!(looks > 0);
        assert_eq!(
            missing, 0,
            "the page was missing in {missing} of {looks} looks"
        );
    });
    assert!(leftovers(dir.path()).is_empty());
}

/// Starts a build of a site large enough to be caught mid-render, and returns once a page has
/// reached its staging folder (one not named in `known`, the leftovers of earlier builds).
/// Every page is rendered (`--no-incremental`): an incremental rebuild of the unchanged site
/// would stage nothing and leave the output as it is.
fn start_large_build(cwd: &Path, known: &[String]) -> Child {
    let mut child = Command::new(BIN)
        .args([
            "build",
            "--site",
            "big",
            "--out",
            "out",
            "--allow-fallback",
            "--no-incremental",
        ])
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    loop {
        let staged = leftovers(cwd).into_iter().any(|name| {
            !known.contains(&name)
                && std::fs::read_dir(cwd.join(name)).is_ok_and(|mut d| d.next().is_some())
        });
        if staged {
            return child;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the build ended ({status}) before it could be interrupted; grow the site");
        }
        std::thread::yield_now();
    }
}

fn large_site_with_output(cwd: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    many_page_site(&cwd.join("big"), 400);
    let o = ftlsite(
        cwd,
        &["build", "--site", "big", "--out", "out", "--allow-fallback"],
    );
    assert!(o.status.success(), "{}", text(&o));
    read_tree(&cwd.join("out"))
}

#[test]
fn killed_build_leftovers_are_swept_by_the_next_build() {
    let dir = tempfile::tempdir().unwrap();
    let before = large_site_with_output(dir.path());
    let mut left = Vec::new();
    for _ in 0..3 {
        let mut child = start_large_build(dir.path(), &left);
        child.kill().unwrap(); // SIGKILL: no cleanup runs
        child.wait().unwrap();
        assert_eq!(
            read_tree(&dir.path().join("out")),
            before,
            "kill -9 kept the output"
        );
        // The killed build left its staging folder; the one before it was swept at start.
        let now = leftovers(dir.path());
        assert_eq!(now.len(), 1, "{now:?}");
        assert!(
            !left.contains(&now[0]),
            "{now:?} was not swept (before: {left:?})"
        );
        left = now;
    }
    let o = ftlsite(
        dir.path(),
        &["build", "--site", "big", "--out", "out", "--allow-fallback"],
    );
    assert!(o.status.success(), "{}", text(&o));
    for name in &left {
        assert!(
            text(&o).contains(&format!(
                "note: removed {}",
                dir.path().canonicalize().unwrap().join(name).display()
            )),
            "{name}: {}",
            text(&o)
        );
    }
    assert!(leftovers(dir.path()).is_empty(), "{:?}", names(dir.path()));
    assert_eq!(read_tree(&dir.path().join("out")), before);
}

#[test]
fn leftovers_of_other_outputs_and_live_builds_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = build_shipped(d, "out", &[]);
    assert!(o.status.success(), "{}", text(&o));
    // What killed builds of `out` leave, by earlier releases too (`.old-*/site`).
    for dead in [".out.staging-a1B2c3/en-US", ".out.old-Zz9Yy8/site/zh-CN"] {
        std::fs::create_dir_all(d.join(dead)).unwrap();
        std::fs::write(d.join(dead).join("page.html"), "stale").unwrap();
    }
    // Not this output's: another output's, a longer name, and a file.
    for other in [".other.staging-a1B2c3", ".out.staging-x.staging-a1B2c3"] {
        std::fs::create_dir_all(d.join(other)).unwrap();
    }
    std::fs::write(d.join(".out.old-q1w2e3"), "a file, not a folder").unwrap();
    // A live build's folder: `flock` holds its lock while ftlsite runs.
    std::fs::create_dir(d.join(".out.staging-live00")).unwrap();
    let o = Command::new("flock")
        .args([
            ".out.staging-live00",
            BIN,
            "build",
            "--site",
            "site",
            "--out",
            "out",
        ])
        .current_dir(d)
        .env("NO_COLOR", "1")
        .output()
        .expect("flock(1) from util-linux");
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        names(d),
        [
            ".other.staging-a1B2c3",
            ".out.old-q1w2e3",
            ".out.staging-live00",
            ".out.staging-x.staging-a1B2c3",
            "out",
            "site"
        ]
    );
}

#[cfg(unix)]
#[test]
fn interrupted_build_removes_its_staging_folder() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let before = large_site_with_output(dir.path());
    for (name, number) in [("INT", 2), ("TERM", 15)] {
        let mut child = start_large_build(dir.path(), &[]);
        let kill = Command::new("kill")
            .args(["-s", name, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let status = child.wait().unwrap();
        assert_eq!(
            status.signal(),
            Some(number),
            "SIG{name}: ends by the signal"
        );
        assert!(
            leftovers(dir.path()).is_empty(),
            "SIG{name}: {:?}",
            names(dir.path())
        );
        assert_eq!(read_tree(&dir.path().join("out")), before, "SIG{name}");
    }
}

#[cfg(unix)]
#[test]
fn symlinked_out_builds_into_the_link_target() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = build_shipped(d, "releases/www", &[]);
    assert!(o.status.success(), "{}", text(&o));
    std::fs::write(d.join("releases/www/stale.html"), "old").unwrap();
    std::os::unix::fs::symlink("releases/www", d.join("public")).unwrap();
    let o = build_shipped(d, "public", &[]);
    assert!(o.status.success(), "{}", text(&o));
    let link = std::fs::symlink_metadata(d.join("public")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    assert!(
        !d.join("releases/www/stale.html").exists(),
        "the target was rebuilt"
    );
    assert!(d.join("public/en-US/privacy/default.html").exists());
    assert_eq!(names(&d.join("releases")), ["www"]);
    assert!(leftovers(d).is_empty());

    // A dangling link is built into its target; a link to a foreign folder is refused.
    std::os::unix::fs::symlink("releases/next", d.join("next")).unwrap();
    let o = build_shipped(d, "next", &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(d.join("releases/next/index.html").exists());
    std::fs::create_dir(d.join("home")).unwrap();
    std::fs::write(d.join("home/diary.txt"), "mine").unwrap();
    std::os::unix::fs::symlink("home", d.join("web")).unwrap();
    let o = build_shipped(d, "web", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert_eq!(names(&d.join("home")), ["diary.txt"]);
    // A link into the site folder is refused even while its target does not exist.
    std::os::unix::fs::symlink("site/public", d.join("inside")).unwrap();
    let o = build_shipped(d, "inside", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("inside the site folder"), "{}", text(&o));
    assert!(!d.join("site/public").exists());
}

/// Runs `script` with `sh` in a new user and mount namespace (`unshare -rm`), where it may
/// mount a tmpfs without being root outside. `$FTLSITE` is the binary.
fn in_mount_namespace(cwd: &Path, script: &str) -> Output {
    Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .current_dir(cwd)
        .env("FTLSITE", BIN)
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C")
        .output()
        .expect("unshare(1) from util-linux")
}

#[cfg(target_os = "linux")]
#[test]
#[ignore = "needs root/tmpfs"]
fn mount_point_out_has_its_entries_replaced() {
    let dir = tempfile::tempdir().unwrap();
    copy_shipped_site(&dir.path().join("site"));
    let o = in_mount_namespace(
        dir.path(),
        r#"set -u
        mkdir www && mount -t tmpfs -o size=8m tmpfs www || exit 99
        mkdir www/lost+found
        "$FTLSITE" build --site site --out www >/dev/null; echo "first=$?"
        echo stale > www/stale.html
        "$FTLSITE" build --site site --out www >/dev/null; echo "second=$?"
        echo "entries=$(ls -A www | tr '\n' ' ')"
        test -f www/en-US/privacy/default.html && echo page=yes
        "$FTLSITE" build --site site --out www --shard 1/2 >/dev/null; echo "shard=$?"
        test -f www/zh-CN/privacy/default.html && echo shard-page=yes
        echo mine > www/diary.txt; rm www/.ftlsite-output
        "$FTLSITE" build --site site --out www 2>&1; echo "foreign=$?"
        "#,
    );
    let out = text(&o);
    assert!(out.contains("first=0") && out.contains("second=0"), "{out}");
    assert!(
        out.contains(
            "entries=.ftlsite-cache .ftlsite-output assets en-US index.html lost+found sitemap.xml zh-CN \n"
        ),
        "stale entry gone, lost+found kept, no staging folder: {out}"
    );
    assert!(out.contains("page=yes") && out.contains("shard=0"), "{out}");
    assert!(
        out.contains("shard-page=yes"),
        "a one-page site has it in shard 1: {out}"
    );
    assert!(
        out.contains("www is not empty and is not an ftlsite output") && out.contains("foreign=2"),
        "{out}"
    );
}

#[cfg(target_os = "linux")]
#[test]
#[ignore = "needs root/tmpfs"]
fn full_disk_is_an_io_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    copy_shipped_site(&dir.path().join("site"));
    // Leave 8 KiB free: less than one page needs. `--force` writes every file (an incremental
    // build links the unchanged ones from the previous output, which needs no space).
    let o = in_mount_namespace(
        dir.path(),
        r#"set -u
        mkdir disk && mount -t tmpfs -o size=256k tmpfs disk || exit 99
        "$FTLSITE" build --site site --out disk/out >/dev/null; echo "first=$?"
        find disk/out -type f | sort | xargs cat | cksum > before
        free=$(df -k disk | awk 'NR == 2 { print $4 }')
        head -c $(( (free - 8) * 1024 )) /dev/zero > disk/filler
        "$FTLSITE" build --site site --out disk/out --force 2>&1; echo "second=$?"
        find disk/out -type f | sort | xargs cat | cksum | cmp -s - before && echo intact=yes
        echo "entries=$(ls -A disk | tr '\n' ' ')"
        "#,
    );
    let out = text(&o);
    assert!(out.contains("first=0"), "{out}");
    assert!(out.contains("second=2"), "exit 2, not 1: {out}");
    assert!(
        out.contains("error: cannot write disk/out/") && out.contains("No space left on device"),
        "{out}"
    );
    assert!(!out.contains("E502"), "{out}");
    assert!(out.contains("intact=yes"), "{out}");
    assert!(out.contains("entries=filler out \n"), "{out}");
}

#[cfg(unix)]
#[test]
fn page_write_failure_is_an_io_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let o = build_shipped(dir.path(), "out", &[]);
    assert!(o.status.success(), "{}", text(&o));
    let before = read_tree(&dir.path().join("out"));
    // A file size limit makes every write past 4 KiB fail with EFBIG, as a full disk fails
    // with ENOSPC; SIGXFSZ is ignored so the write returns the error. `--force` writes every
    // file (an incremental build would link the unchanged pages from the previous output).
    let o = Command::new("sh")
        .args([
            "-c",
            r#"trap '' XFSZ; ulimit -f 8; exec "$0" "$@""#,
            BIN,
            "build",
            "--site",
            "site",
            "--out",
            "out",
            "--force",
        ])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let msg = text(&o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an I/O error, not a content error: {msg}"
    );
    assert!(
        msg.contains("error: cannot write out/")
            && msg.contains("privacy/default.html: File too large"),
        "{msg}"
    );
    assert!(!msg.contains("E502"), "{msg}");
    assert_eq!(read_tree(&dir.path().join("out")), before);
    assert!(leftovers(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

/// A sink that refuses every page the way a full disk does.
struct FullDisk;

impl ftlsite::render::Sink for FullDisk {
    fn put(&self, _path: &str, _bytes: &[u8]) -> std::io::Result<()> {
        Err(std::io::Error::from_raw_os_error(28))
    }
}

#[test]
fn sink_failure_is_a_render_io_error_not_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    copy_shipped_site(dir.path());
    let site = ftlsite::site::load(&ftlsite::site::SiteSource::Dir(dir.path().to_path_buf()))
        .expect("the shipped site loads");
    let (catalogs, _) = ftlsite::catalog::load(&site);
    let opts = ftlsite::render::RenderOptions::default();
    match ftlsite::render::render_to(&site, &catalogs, &opts, &FullDisk) {
        Err(ftlsite::render::RenderError::Io(path, e)) => {
            assert_eq!(path, "en-US/privacy/default.html", "the first failing path");
            assert_eq!(e.raw_os_error(), Some(28));
        }
        other => panic!("expected RenderError::Io, got {other:?}"),
    }
}

#[test]
fn merge_accepts_only_shard_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let merge = |args: &[&str]| {
        let mut all = vec!["merge", "merged"];
        all.extend_from_slice(args);
        ftlsite(d, &all)
    };
    for (out, shard) in [("s1", "1/2"), ("s2", "2/2"), ("t1", "1/3")] {
        let o = build_shipped(d, out, &["--shard", shard]);
        assert!(o.status.success(), "{}", text(&o));
    }
    let o = build_shipped(d, "full", &[]);
    assert!(o.status.success(), "{}", text(&o));

    let refused: &[(&[&str], i32, &str)] = &[
        (
            &["site", "s1"],
            2,
            "site is not the output of `ftlsite build --shard I/N`",
        ),
        (&["full", "s1"], 2, "full is a full build, not a shard"),
        (&["s1", "t1"], 2, "shards of different splits"),
        (&["s1", "s1", "s2"], 2, "s1 and s1 are both shard 1/2"),
        (&["s1"], 2, "shard(s) 2/2 missing"),
    ];
    for (args, code, msg) in refused {
        let o = merge(args);
        assert_eq!(o.status.code(), Some(*code), "{args:?}: {}", text(&o));
        assert!(text(&o).contains(msg), "{args:?}: {}", text(&o));
        assert!(!d.join("merged").exists(), "{args:?} wrote the output");
    }

    // Shards of a different site (or other options) do not mix.
    let o = build_shipped(
        d,
        "other2",
        &[
            "--shard", "2/2", "--locale", "zh-CN", "--pseudo", "accented",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = merge(&["s1", "other2"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("built from different inputs or options"),
        "{}",
        text(&o)
    );

    let o = merge(&["s2", "s1"]);
    assert!(o.status.success(), "{}", text(&o));
    // A full build also writes the incremental cache, which shards and merges do not.
    let mut full = read_tree(&d.join("full"));
    assert!(full.remove(".ftlsite-cache").is_some());
    assert_eq!(read_tree(&d.join("merged")), full);
}
