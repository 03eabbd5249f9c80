//! Many pages from `pages/` files, sharded builds, and `merge`.

use crate::support::*;

#[test]
fn pages_folder_declares_pages() {
    let dir = tempfile::tempdir().unwrap();
    many_page_site(&dir.path().join("site"), 5);
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
        text(&o).contains("built 6 page(s) per locale"),
        "{}",
        text(&o)
    );
    let page = std::fs::read_to_string(dir.path().join("out/zh-CN/more/003.html")).unwrap();
    assert!(page.contains("你好，Reader 3！"), "{page}");
    assert!(
        page.contains("href=\"../../ar/more/003.html\""),
        "switcher links to the same page: {page}"
    );
    let sitemap = std::fs::read_to_string(dir.path().join("out/sitemap.xml")).unwrap();
    assert_eq!(sitemap.matches("<url>").count(), 6 * 4);
}

#[test]
fn bad_page_file_is_reported_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    many_page_site(&site, 2);
    std::fs::write(
        site.join("pages/more/001.toml"),
        "template = \"page.html\"\noutput = \"more/000.html\"\n",
    )
    .unwrap();
    std::fs::write(
        site.join("pages/bad.toml"),
        "template = \"page.html\"\noutptu = \"x.html\"\n",
    )
    .unwrap();
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
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("--> pages/bad.toml:2:1") && out.contains("error[E001]"),
        "{out}"
    );
    assert!(
        out.contains("error[E006]") && out.contains("pages/more/001.toml"),
        "{out}"
    );
}

#[test]
fn merged_shards_equal_a_single_build() {
    let dir = tempfile::tempdir().unwrap();
    many_page_site(&dir.path().join("site"), 10);
    let o = ftlsite(
        dir.path(),
        &[
            "build",
            "--site",
            "site",
            "--out",
            "single",
            "--allow-fallback",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let out = format!("shard{i}");
        let o = ftlsite(
            dir.path(),
            &[
                "build",
                "--site",
                "site",
                "--out",
                &out,
                "--allow-fallback",
                "--shard",
                &shard,
            ],
        );
        assert!(o.status.success(), "{}", text(&o));
    }
    let shard1 = read_tree(&dir.path().join("shard1"));
    let single = read_site_tree(&dir.path().join("single"));
    assert!(
        shard1.len() < single.len(),
        "a shard holds a share of the pages"
    );
    let o = ftlsite(
        dir.path(),
        &["merge", "merged", "shard1", "shard2", "shard3"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        read_tree(&dir.path().join("merged")),
        single,
        "merge of all shards equals the single build"
    );

    // Shards built from different inputs do not merge silently.
    std::fs::write(dir.path().join("shard2/sitemap.xml"), "changed").unwrap();
    let o = ftlsite(
        dir.path(),
        &["merge", "merged", "shard1", "shard2", "shard3"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("sitemap.xml differs between shards"),
        "{}",
        text(&o)
    );
    assert_eq!(
        read_tree(&dir.path().join("merged")),
        single,
        "a failed merge leaves the output"
    );
}

#[test]
fn shard_argument_is_validated() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["0/3", "4/3", "x/2", "2"] {
        let o = ftlsite(dir.path(), &["build", "--shard", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", text(&o));
    }
}
