//! Output formats and exit codes of `ftlsite check`, on the fixtures.

use crate::fixtures::{check, check_json, named, positions, prepare};
use crate::support::{code, run};

#[test]
fn text_format_shows_location_caret_and_help() {
    let p = prepare(&named("E201-missing-message"));
    let out = check(&p, &[]);
    assert_eq!(code(&out), 1);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("error[E201]"), "{text}");
    assert!(text.contains("--> locales/en-US/main.ftl:3:1"), "{text}");
    assert!(
        text.contains("3 | intro = Welcome to the example site."),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("| ^^^^^")),
        "{text}"
    );
    assert!(text.contains("help: "), "{text}");
    assert!(text.contains("1 error(s), 0 warning(s)"), "{text}");
}

#[test]
fn short_format_is_one_line_per_finding() {
    let p = prepare(&named("E201-missing-message"));
    let out = check(&p, &["--format", "short"]);
    assert_eq!(code(&out), 1);
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("locales/en-US/main.ftl:3:1: error[E201]: "),
        "{text}"
    );
    assert!(first.ends_with(" [zh-CN]"), "{text}");
    assert!(!text.contains("help:"), "{text}");
}

#[test]
fn warnings_fail_only_under_deny_warnings() {
    let p = prepare(&named("W203-identical-translation"));
    assert_eq!(code(&check(&p, &[])), 0);
    assert_eq!(code(&check(&p, &["--deny-warnings"])), 1);
}

#[test]
fn a_clean_site_exits_0() {
    let p = prepare(&named("W501-unused-message"));
    std::fs::write(
        p.site.join("templates/index.html"),
        "<h1>{{ t(\"title\") }}</h1><p>{{ t(\"intro\") }} {{ t(\"unused\") }}</p>\n",
    )
    .unwrap();
    let out = check(&p, &["--format", "json", "--deny-warnings"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_missing_site_folder_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-site").display().to_string();
    let out = run(&["check", "--site", &missing]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-site"));
}

#[test]
fn json_is_byte_identical_across_runs() {
    let p = prepare(&named("E101-syntax-error"));
    let a = check(&p, &["--format", "json"]);
    let b = check(&p, &["--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
    assert!(!a.stdout.is_empty());
}

#[test]
fn every_junk_entry_is_reported() {
    let report = check_json("E101-syntax-error");
    let e101: Vec<_> = positions(&report)
        .into_iter()
        .filter(|(c, ..)| c == "E101")
        .collect();
    let lines: Vec<u64> = e101.iter().map(|(_, _, l, _)| *l).collect();
    assert_eq!(lines, [4, 6, 8], "{e101:?}");
    assert!(e101.iter().all(|(_, p, ..)| p == "locales/zh-CN/main.ftl"));
}

#[test]
fn invalid_utf8_is_placed_at_the_first_bad_byte() {
    let report = check_json("E003-invalid-utf8");
    let e003: Vec<_> = positions(&report)
        .into_iter()
        .filter(|(c, ..)| c == "E003")
        .collect();
    assert_eq!(
        e003,
        [(
            "E003".to_string(),
            "locales/zh-CN/extra.ftl".to_string(),
            3,
            16
        )]
    );
}

/// `ftlsite check | head -c 1`: the reader closes the pipe after its first byte. The
/// command ends quietly (on Unix by SIGPIPE, as `cat` would) instead of panicking on the
/// next write.
#[test]
fn a_reader_that_closes_the_pipe_early_gets_no_panic() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let corpus = crate::support::repo().join("tests/fixtures/www-l10n");
    for format in ["text", "json"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ftlsite"))
            .args([
                "check",
                "--source-locale",
                "en",
                "--locale",
                "zh-CN",
                "--format",
                format,
            ])
            .arg("--locales-dir")
            .arg(&corpus)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run ftlsite");
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 1];
        stdout.read_exact(&mut first).expect("the report starts");
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            const SIGPIPE: i32 = 13;
            assert_eq!(
                out.status.signal(),
                Some(SIGPIPE),
                "{format}: {:?} {stderr}",
                out.status
            );
        }
    }
}
