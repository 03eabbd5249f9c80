//! No-panic sweep: every `.ftl` under tests/fixtures/ (www-l10n included) and the shipped locales,
//! cut at char boundaries and with invalid UTF-8 spliced in, through the library: the parser alone,
//! then a full `catalog::load` + `validate::run` of an in-memory bare site whose target locale is
//! the mutated file. The only requirements: no panic, and broken input yields diagnostics.
//!
//! To stay fast in debug builds the cuts are sampled: [`CUTS_SMALL_SET`] evenly spaced cuts per
//! file of the shipped site and the check fixtures, [`CUTS_CORPUS`] per www-l10n file.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use ftlsite::diagnostics::Code;
use ftlsite::site::{Site, SiteSource};
use ftlsite::{catalog, validate};

use crate::support::repo;

const CUTS_SMALL_SET: usize = 96;
const CUTS_CORPUS: usize = 12;

fn ftl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            ftl_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "ftl") {
            out.push(p);
        }
    }
}

/// A bare site with en-US and zh-CN, loaded once from disk; each case swaps in its own files.
fn base_site() -> Site {
    let tmp = tempfile::tempdir().unwrap();
    for l in ["en-US", "zh-CN"] {
        std::fs::create_dir_all(tmp.path().join(l)).unwrap();
        std::fs::write(tmp.path().join(l).join("a.ftl"), "a = A\n").unwrap();
    }
    ftlsite::site::load(&SiteSource::Bare {
        dir: tmp.path().to_path_buf(),
        source_locale: "en-US".into(),
    })
    .unwrap()
}

/// The mutations of one file: (description, bytes).
fn mutations(text: &str, cuts: usize) -> Vec<(String, Vec<u8>)> {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let step = (bounds.len() / cuts.max(1)).max(1);
    let mut out = Vec::new();
    for (n, &at) in bounds.iter().enumerate() {
        if n % step != 0 {
            continue;
        }
        out.push((format!("cut at byte {at}"), text.as_bytes()[..at].to_vec()));
        if n % (step * 4) == 0 {
            let mut b = text.as_bytes().to_vec();
            b.splice(at..at, [0xFF, b'x', 0xC3]);
            out.push((format!("invalid UTF-8 spliced at byte {at}"), b));
        }
    }
    let ascii: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| b.is_ascii())
        .map(|(i, _)| i)
        .collect();
    for k in 1..=3 {
        if let Some(&at) = ascii.get(ascii.len() * k / 4) {
            let mut b = text.as_bytes().to_vec();
            b[at] ^= 0x80;
            out.push((format!("byte {at} flipped"), b));
        }
    }
    out
}

/// Runs one case; returns a problem, if any.
fn run_case(base: &Site, source: &[u8], name: &str, what: &str, bytes: Vec<u8>) -> Option<String> {
    let broken_utf8 = std::str::from_utf8(&bytes).is_err();
    let junk = match std::str::from_utf8(&bytes) {
        // The loader sets a leading BOM aside, as Fluent tools do.
        Ok(text) => match catch_unwind(|| {
            catalog::parse_file(text.strip_prefix('\u{feff}').unwrap_or(text), 0)
                .errors
                .len()
        }) {
            Ok(n) => n > 0,
            Err(_) => return Some(format!("{name}, {what}: parse_file panicked")),
        },
        Err(_) => false,
    };
    let mut site = base.clone();
    site.files = ftlsite::diagnostics::SourceMap::new();
    site.files.insert("en-US/a.ftl", source.to_vec());
    site.files.insert("zh-CN/a.ftl", bytes);
    let report = match catch_unwind(AssertUnwindSafe(|| {
        let (catalogs, diags) = catalog::load(&site);
        validate::run(&site, &catalogs, diags)
    })) {
        Ok(r) => r,
        Err(_) => return Some(format!("{name}, {what}: load + validate panicked")),
    };
    let has = |code: Code| {
        report
            .diagnostics
            .iter()
            .any(|d| d.code == code && d.file.map(|f| site.files.path(f)) == Some("zh-CN/a.ftl"))
    };
    if broken_utf8 && !has(Code::E003) {
        return Some(format!("{name}, {what}: invalid UTF-8 but no E003"));
    }
    if junk && !has(Code::E101) && !has(Code::E102) {
        return Some(format!(
            "{name}, {what}: the parser found junk but there is no E101"
        ));
    }
    None
}

#[test]
fn mutated_fluent_files_never_panic() {
    let root = repo();
    let mut small = Vec::new();
    ftl_files(&root.join("locales"), &mut small);
    ftl_files(&root.join("tests/fixtures/check"), &mut small);
    let mut corpus = Vec::new();
    ftl_files(&root.join("tests/fixtures"), &mut corpus);
    corpus.retain(|p| !small.contains(p));
    let cases: Vec<(PathBuf, usize)> = small
        .into_iter()
        .map(|p| (p, CUTS_SMALL_SET))
        .chain(corpus.into_iter().map(|p| (p, CUTS_CORPUS)))
        .collect();
    assert!(cases.len() > 100, "only {} .ftl files found", cases.len());
    let base = base_site();
    let threads = std::thread::available_parallelism()
        .map_or(4, |n| n.get())
        .min(8);
    let chunk = cases.len().div_ceil(threads);
    let problems: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|part| {
                let base = &base;
                let root = &root;
                s.spawn(move || {
                    let mut problems = Vec::new();
                    for (path, cuts) in part {
                        let bytes = std::fs::read(path).unwrap();
                        let text = String::from_utf8_lossy(&bytes).into_owned();
                        let name = path
                            .strip_prefix(root)
                            .unwrap_or(path)
                            .display()
                            .to_string();
                        for (what, mutated) in mutations(&text, *cuts) {
                            problems.extend(run_case(base, text.as_bytes(), &name, &what, mutated));
                        }
                    }
                    problems
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
