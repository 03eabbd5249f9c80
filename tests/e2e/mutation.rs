//! The standing guard against crashes: a seeded mutation sweep over every kind of site input
//! (.ftl files, templates, site.toml, pages/*.toml), each case run in-process through
//! load → validate → render.
//!
//! The sweep runs in a child process (this test binary, re-run on [`child`]), so that an abort
//! (a stack overflow is not a panic) is caught as the child's exit status, with the last case it
//! started. The test fails on any panic, any abort, and any case slower than [`CASE_BOUND`].
//!
//! Size: `FTLSITE_SWEEP_CASES` (default 2,000) and `FTLSITE_SWEEP_SEED` (default 1). A longer
//! run, for example before a release:
//!
//! ```text
//! FTLSITE_SWEEP_CASES=200000 FTLSITE_SWEEP_SEED=7 cargo test --release --test e2e mutation
//! ```

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use ftlsite::diagnostics::SourceMap;
use ftlsite::render::{self, RenderOptions};
use ftlsite::{catalog, site, validate};

/// The slowest one case may be (debug build, busy machine included).
const CASE_BOUND: Duration = Duration::from_secs(10);

/// The base site every case mutates one file of.
const BASE: &[(&str, &str)] = &[
    (
        "site.toml",
        "source-locale = \"en-US\"\nlocales = [\"zh-CN\"]\n\n[[pages]]\ntemplate = \"page.html\"\noutput = \"index.html\"\n\n[links]\nhome = \"https://example.com/\"\n",
    ),
    (
        "pages/more.toml",
        "template = \"page.html\"\noutput = \"more/page.html\"\n[vars]\nn = 3\n",
    ),
    (
        "locales/en-US/main.ftl",
        "language-name = English\ntitle = Example\n    .alt = Picture\nintro = Welcome, { $name }! See <a href=\"{ $url }\">{ -brand }</a>.\ncount = { $n ->\n    [one] One file\n   *[other] { NUMBER($n) } files\n}\n-brand = Example Co.\n",
    ),
    (
        "locales/zh-CN/main.ftl",
        "language-name = 中文\ntitle = 示例\n    .alt = 图片\nintro = 欢迎，{ $name }！请看<a href=\"{ $url }\">{ -brand }</a>。\ncount = { NUMBER($n) } 个文件\n-brand = Example Co.\n",
    ),
    (
        "templates/layout.html",
        "<!DOCTYPE html>\n<html lang=\"{{ lang }}\" dir=\"{{ dir }}\">\n<head><meta charset=\"utf-8\"><title>{{ t_attr(\"title\") }}</title></head>\n<body>\n<nav>{% for a in alternates %}<a href=\"{{ a.href }}\" hreflang=\"{{ a.lang }}\">{{ a.name }}</a>{% endfor %}</nav>\n<main id=\"main\">{% block content %}{% endblock %}</main>\n</body>\n</html>\n",
    ),
    (
        "templates/page.html",
        "{% extends \"layout.html\" %}\n{% block content %}<h1>{{ t(\"title\") }}</h1><img alt=\"{{ t_attr(\"title.alt\") }}\" src=\"{{ root }}assets/a.svg\"><p>{{ t(\"intro\", name=\"Ada\", url=link(\"home\")) }}</p><p>{{ t(\"count\", n=page.vars.n | default(2)) }}</p><a href=\"#main\">{{ t(\"title\") }}</a>{% endblock %}\n",
    ),
    ("assets/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
];

/// A small, seeded generator (xorshift64*): the same seed gives the same cases on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that mean something to one of the parsers.
const SPICE: &[&str] = &[
    "{",
    "}",
    "{ ",
    " }",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "<",
    ">",
    "</",
    "=\"",
    "\"",
    "'",
    "->",
    "*[",
    "[",
    "]",
    "$",
    "-",
    ".",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u{feff}",
    "\u{fffc}",
    "<a href=\"",
    "javascript:",
    "{ $x }",
    "{ -brand }",
    "{ NUMBER(",
    ")",
    "é",
    "中",
    "&amp;",
    "&#x",
    "[[pages]]",
    "output = \"",
    "template = \"",
    "\0",
    "{% extends \"layout.html\" %}",
    "{% include \"nope.html\" %}",
    "{{ t(\"",
    "\")",
    "<p =\"x\"é>",
    "{ intro }",
    "{ title.alt }",
];

/// One mutation of `bytes`, described.
fn mutate(rng: &mut Rng, bytes: &[u8]) -> (String, Vec<u8>) {
    let mut b = bytes.to_vec();
    let at = rng.below(b.len() + 1);
    match rng.below(10) {
        0 => {
            b.truncate(at);
            (format!("cut at {at}"), b)
        }
        1 if !b.is_empty() => {
            let i = at.min(b.len() - 1);
            b[i] ^= 1 << rng.below(8);
            (format!("bit flip at {i}"), b)
        }
        2 => {
            let depth = [33, 200, 3000][rng.below(3)];
            let nest = format!("{}\"x\"{}", "{ ".repeat(depth), " }".repeat(depth));
            b.splice(at..at, nest.bytes());
            (format!("{depth} levels of nesting at {at}"), b)
        }
        3 => {
            let n = [100, 5000][rng.below(2)];
            let keys: String = (0..n).map(|i| format!("    [k{i}] v{i}\n")).collect();
            let sel = format!("\nhuge = {{ $k ->\n{keys}   *[other] o\n}}\n");
            b.splice(at..at, sel.bytes());
            (format!("select with {n} variants at {at}"), b)
        }
        4 => {
            let crlf = String::from_utf8_lossy(&b).replace('\n', "\r\n");
            ("CRLF line endings".into(), crlf.into_bytes())
        }
        5 => {
            let cr = String::from_utf8_lossy(&b).replace('\n', "\r");
            ("CR line endings".into(), cr.into_bytes())
        }
        6 => {
            b.splice(0..0, [0xEF, 0xBB, 0xBF]);
            ("BOM".into(), b)
        }
        7 => {
            b.splice(at..at, [0xFF, b'x', 0xC3]);
            (format!("invalid UTF-8 at {at}"), b)
        }
        _ => {
            let n = 1 + rng.below(4);
            let mut what = Vec::new();
            for _ in 0..n {
                let s = SPICE[rng.below(SPICE.len())];
                let i = rng.below(b.len() + 1);
                b.splice(i..i, s.bytes());
                what.push(format!("{s:?}@{i}"));
            }
            (format!("inserted {}", what.join(" ")), b)
        }
    }
}

/// Runs one case through every stage; `Err` only for a panic.
fn run_case(files: &[(String, Vec<u8>)]) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(|| {
        let mut map = SourceMap::new();
        for (p, b) in files {
            map.insert(p.clone(), b.clone());
        }
        let Ok(site) = site::from_files("sweep", map) else {
            return;
        };
        let (catalogs, diags) = catalog::load(&site);
        let report = validate::run(&site, &catalogs, diags);
        let _ = ftlsite::diagnostics::text::report(&report.diagnostics, &site.files, false);
        let _ =
            ftlsite::diagnostics::json::render(&report.diagnostics, &report.summary, &site.files);
        if !report.has_errors() {
            let _ = render::render(&site, &catalogs, &RenderOptions::default());
        }
    }))
    .map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())
    })
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The sweep itself, run by [`mutated_sites_never_crash`] in a child process (it does nothing
/// unless `FTLSITE_SWEEP_CHILD` is set). Prints `case N: what` before each case and one
/// `problem:` line per failure.
#[test]
fn child() {
    if std::env::var_os("FTLSITE_SWEEP_CHILD").is_none() {
        return;
    }
    let cases = env_number("FTLSITE_SWEEP_CASES", 2000);
    let mut rng = Rng(env_number("FTLSITE_SWEEP_SEED", 1).max(1));
    let base: Vec<(String, Vec<u8>)> = BASE
        .iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect();
    // The base itself must be clean, or the sweep would never reach rendering.
    let out = std::io::stdout();
    for n in 0..cases {
        let mut files = base.clone();
        let which = rng.below(files.len());
        let mutations = 1 + rng.below(2);
        let mut what = Vec::new();
        for _ in 0..mutations {
            let (w, b) = mutate(&mut rng, &files[which].1);
            files[which].1 = b;
            what.push(w);
        }
        let label = format!("case {n}: {} ({})", files[which].0, what.join(", "));
        let _ = writeln!(out.lock(), "{label}");
        let started = Instant::now();
        if let Err(p) = run_case(&files) {
            let _ = writeln!(out.lock(), "problem: {label}: panicked: {p}");
        }
        let took = started.elapsed();
        if took > CASE_BOUND {
            let _ = writeln!(out.lock(), "problem: {label}: took {took:?}");
        }
    }
    let _ = writeln!(out.lock(), "swept {cases} cases");
}

#[test]
fn mutated_sites_never_crash() {
    // The base site is clean: the sweep exercises rendering too.
    let base: Vec<(String, Vec<u8>)> = BASE
        .iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect();
    let mut map = SourceMap::new();
    for (p, b) in &base {
        map.insert(p.clone(), b.clone());
    }
    let site = site::from_files("base", map).unwrap();
    let (catalogs, diags) = catalog::load(&site);
    let report = validate::run(&site, &catalogs, diags);
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    render::render(&site, &catalogs, &RenderOptions::default()).unwrap();

    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(exe)
        .args([
            "--exact",
            "mutation::child",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env("FTLSITE_SWEEP_CHILD", "1")
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let problems: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("problem:"))
        .collect();
    let last = stdout.lines().rev().find(|l| l.starts_with("case "));
    assert!(
        out.status.success(),
        "the sweep died ({}) during {:?}\n{}",
        out.status,
        last,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let swept = stdout.lines().find(|l| l.starts_with("swept "));
    assert!(swept.is_some(), "the sweep did not finish:\n{stdout}");
}
