//! `docs/diagnostics.md` is the code table of `Code::docs_table()` and nothing else.

use ftlsite::diagnostics::Code;

use crate::support::{repo, updating};

/// The whole file, as generated.
fn generated() -> String {
    format!(
        "# Diagnostic codes\n\
         \n\
         <!-- Generated from crates/ftlsite-core/src/diagnostics/codes.rs by `Code::docs_table()`; do not edit by hand.\n     \
         Regenerate with `UPDATE_EXPECT=1 cargo test --test e2e docs`. -->\n\
         \n\
         Every finding of `ftlsite check`, of `ftlsite build` and of `cargo build` (which checks the\n\
         shipped site) carries one of these codes. `E` codes are errors: they fail `check` and `build`.\n\
         `W` codes are warnings: they fail only under `--deny-warnings`. The hundreds digit is the\n\
         family: 0xx configuration and files, 1xx Fluent syntax, 2xx coverage, 3xx placeables and\n\
         references, 4xx markup, 5xx templates and links, 6xx translation QA (text compared with its\n\
         source, typography, consistency, length, source style), 7xx the terminology glossary. A\n\
         code is never renumbered or reused. The QA settings (quote styles, CJK spacing, length\n\
         bands, the id rule, codes turned on or off) and the glossary format are described in\n\
         docs/site-format.md; `ftlsite check --fix` repairs what is mechanical in W601, W602, W603,\n\
         W608, W609 and W616. W611 is off unless `[qa] enable` lists it.\n\
         \n\
         Each code has a small site under `tests/fixtures/check/<CODE>-<slug>/` that triggers it\n\
         (two, whose files git cannot carry portably, are written by the test itself), and its\n\
         reviewed output, `ftlsite check --format short` and `--format json`, is the snapshot\n\
         `tests/snapshots/check__<CODE>-<slug>.snap`. `check` reports everything `build` refuses\n\
         (template syntax, links and resolver faults included), so every code is found by `check`.\n\
         \n\
         {}",
        Code::docs_table()
    )
}

#[test]
fn docs_diagnostics_md_is_the_generated_table() {
    let path = repo().join("docs/diagnostics.md");
    let want = generated();
    if updating() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/diagnostics.md is stale; regenerate it with `UPDATE_EXPECT=1 cargo test --test e2e docs`"
    );
}
