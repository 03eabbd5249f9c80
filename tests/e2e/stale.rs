//! Stale translations: `check --confirm` records the source each translation was made
//! against; a later change to the source text is reported as W204.

use crate::support::*;

#[test]
fn changed_source_text_is_reported_until_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_shipped_site(&site);
    let o = ftlsite(dir.path(), &["check", "--site", "site", "--confirm"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(site.join("l10n.lock").exists());
    let o = ftlsite(
        dir.path(),
        &["check", "--site", "site", "--format", "short"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        !text(&o).contains("W204"),
        "nothing stale right after confirming: {}",
        text(&o)
    );

    let en = site.join("locales/en-US/privacy.ftl");
    let src = std::fs::read_to_string(&en).unwrap();
    let changed = src.replace("privacy-hero-caption = ", "privacy-hero-caption = Really: ");
    assert_ne!(src, changed);
    std::fs::write(&en, changed).unwrap();
    let o = ftlsite(
        dir.path(),
        &["check", "--site", "site", "--format", "short"],
    );
    let out = text(&o);
    assert_eq!(
        o.status.code(),
        Some(0),
        "a warning alone does not fail: {out}"
    );
    let stale: Vec<_> = out.lines().filter(|l| l.contains("W204")).collect();
    assert_eq!(stale.len(), 1, "{out}");
    assert!(
        stale[0].contains("privacy-hero-caption") || out.contains("privacy-hero-caption"),
        "{out}"
    );
    assert!(stale[0].contains("[zh-CN]"), "{out}");
    let o = ftlsite(dir.path(), &["check", "--site", "site", "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));

    let o = ftlsite(dir.path(), &["check", "--site", "site", "--confirm"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = ftlsite(
        dir.path(),
        &["check", "--site", "site", "--format", "short"],
    );
    assert!(!text(&o).contains("W204"), "{}", text(&o));
}
