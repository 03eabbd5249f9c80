//! Stale translations (W204): the lock file that records which source text each translation
//! was confirmed against, the fingerprints in it, and `check --confirm`.

use std::collections::BTreeMap;

use super::coverage::at_entry;
use crate::catalog::{Catalog, Catalogs, Entry};
use crate::diagnostics::{Code, Diagnostic};
use crate::site::Site;

/// The lock file that records which source text each translation was last confirmed against.
///
/// It lives at the site root (next to site.toml), or for a bare Fluent tree inside the locales
/// folder, and is written only by `ftlsite check --confirm`. Format: TOML (or the same shape in
/// JSON), one table per target locale mapping each entry id (terms with their `-`) to the
/// fingerprint of the source entry's normalized text:
///
/// ```toml
/// ["zh-CN"]
/// "-brand-name" = "af63bd4c8601b7df"
/// "privacy-title" = "0a1b2c3d4e5f6789"
/// ```
///
/// The fingerprint is the 64-bit FNV-1a hash, as 16 lowercase hex digits, of
/// [`Entry::normalized`]: the value and the attributes sorted by name, as fluent-syntax
/// serializes them, so reformatting or editing comments does not make translations stale.
/// `check` reports W204 for a translated entry whose recorded fingerprint differs from the
/// current source's; an entry with no record is new, not stale, and without a lock file there is
/// no W204 at all.
pub const LOCK_FILE: &str = "l10n.lock";

/// The parsed lock file: locale → entry id → fingerprint.
pub type Lock = BTreeMap<String, BTreeMap<String, String>>;

/// 64-bit FNV-1a of the entry's normalized source, as 16 hex digits (see [`LOCK_FILE`]).
pub fn fingerprint(catalog: &Catalog, entry: &Entry) -> String {
    fnv1a(&entry.normalized(catalog.file_of(entry).text()))
}

pub(super) fn fnv1a(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Reads [`LOCK_FILE`] from the site's files: `Ok(None)` when there is none, an E001 at the
/// fault when it does not parse.
pub fn read_lock(site: &Site) -> Result<Option<Lock>, Box<Diagnostic>> {
    let Some(id) = site.files.id(LOCK_FILE) else {
        return Ok(None);
    };
    let text = match std::str::from_utf8(site.files.bytes(id)) {
        Ok(t) => t,
        Err(e) => return Err(Box::new(crate::site::utf8_diagnostic(id, &e))),
    };
    let help = "fix the file, or delete it and run `ftlsite check --confirm` to write it again";
    if text.trim_start().starts_with('{') {
        return match serde_json::from_str::<Lock>(text) {
            Ok(l) => Ok(Some(l)),
            Err(e) => Err(Box::new(
                Diagnostic::new(Code::E001, format!("{LOCK_FILE} is not valid: {e}"))
                    .at_line(&site.files, id, e.line())
                    .help(help),
            )),
        };
    }
    match toml::from_str::<Lock>(text) {
        Ok(l) => Ok(Some(l)),
        Err(e) => Err(Box::new(
            Diagnostic::new(
                Code::E001,
                format!("{LOCK_FILE} is not valid: {}", e.message().trim()),
            )
            .at(id, e.span().unwrap_or(0..0))
            .help(help),
        )),
    }
}

/// W204: a translation confirmed against source text that has changed since.
///
/// The translation may no longer say what the source says; without this check an edited
/// source string keeps its old translation forever, and coverage still reads 100%.
pub(super) fn stale(
    sources: &crate::diagnostics::SourceMap,
    source: &Catalog,
    src: &Entry,
    target: &Catalog,
    tgt: &Entry,
    recorded: &BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(was) = recorded.get(&tgt.display_id()) else {
        return;
    };
    // The lock holds one fingerprint per id: that of the locale-wide first definition.
    let current = source
        .entries
        .get(&(src.kind, src.id.clone()))
        .unwrap_or(src);
    if !was.eq_ignore_ascii_case(&fingerprint(source, current)) {
        let file = source.file_of(src);
        let (line, _) = sources.line_col(file.id, src.offset + file.base);
        diags.push(
            at_entry(
                Diagnostic::new(
                    Code::W204,
                    format!("`{}` may be stale: its source changed since the translation was confirmed", tgt.display_id()),
                ),
                target,
                tgt,
                tgt.offset,
            )
            .help(format!(
                "compare it with {}:{line}, update it if needed, then run `ftlsite check --confirm`",
                file.path
            )),
        );
    }
}

/// The lock after `check --confirm`: for every target locale of `site` (the `--locale` filter
/// applies), the current fingerprint of every entry the locale has and the source has; tables
/// of other locales in `previous` are kept. Returns the lock and how many entries it confirmed.
pub fn confirm(site: &Site, catalogs: &Catalogs, previous: Lock) -> (Lock, usize) {
    let mut lock = previous;
    let mut confirmed = 0;
    let Some(source) = catalogs.get(&site.source.code) else {
        return (lock, 0);
    };
    for locale in &site.targets {
        let Some(target) = catalogs.get(&locale.code) else {
            continue;
        };
        let table: BTreeMap<String, String> = target
            .entries
            .iter()
            .filter_map(|(key, tgt)| {
                source
                    .entries
                    .get(key)
                    .map(|src| (tgt.display_id(), fingerprint(source, src)))
            })
            .collect();
        confirmed += table.len();
        lock.insert(locale.code.clone(), table);
    }
    (lock, confirmed)
}

/// The lock as TOML, sorted and deterministic.
pub fn render_lock(lock: &Lock) -> String {
    fn quote(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
    let mut out = String::from(
        "# Written by `ftlsite check --confirm`: the source fingerprint each translation was confirmed\n\
         # against. A translation whose source changes since is reported as stale (W204).\n",
    );
    for (locale, table) in lock {
        out.push_str(&format!("\n[{}]\n", quote(locale)));
        for (id, fp) in table {
            out.push_str(&format!("{} = {}\n", quote(id), quote(fp)));
        }
    }
    out
}
