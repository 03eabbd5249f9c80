//! Coverage checks: what the source has and a translation lacks, or the reverse.
//!
//! - E201/E202: a source message/term missing in the target, at the source's position.
//! - W201: an entry of the target that the source does not have (obsolete).
//! - E203: an id defined twice in one locale, with both positions.
//! - E204/E205: a value or attribute present on one side only.

use std::collections::BTreeMap;

use super::Counts;
use crate::catalog::{Catalog, Catalogs, Entry, EntryKind};
use crate::diagnostics::{Code, Diagnostic};
use crate::site::Site;

/// Places a diagnostic at an entry's id.
pub fn at_entry(d: Diagnostic, catalog: &Catalog, e: &Entry, offset: usize) -> Diagnostic {
    let file = catalog.file_of(e);
    let len = if offset == e.offset { e.display_id().len() } else { 1 };
    d.at(&file.path, &file.text, offset..offset + len).locale(&catalog.locale).key(e.display_id())
}

/// Runs the coverage family for every target locale.
pub fn check(site: &Site, catalogs: &Catalogs, diags: &mut Vec<Diagnostic>, counts: &mut BTreeMap<String, Counts>) {
    let Some(source) = catalogs.get(&site.source.code) else { return };
    duplicates(source, diags);
    for locale in &site.targets {
        let Some(target) = catalogs.get(&locale.code) else { continue };
        duplicates(target, diags);
        let mut c = Counts { messages: source.entries.len(), ..Default::default() };
        for (key, src) in &source.entries {
            match target.entries.get(key) {
                Some(tgt) => {
                    c.translated += 1;
                    shape(source, src, target, tgt, diags);
                }
                None => {
                    let code = if src.kind == EntryKind::Term { Code::E202 } else { Code::E201 };
                    let file = source.file_of(src);
                    let want = target_path(site, &file.path, &locale.code);
                    diags.push(
                        at_entry(
                            Diagnostic::new(code, format!("`{}` is missing in {}", src.display_id(), locale.code)),
                            source,
                            src,
                            src.offset,
                        )
                        .locale(&locale.code)
                        .help(format!("translate it in {want}")),
                    );
                }
            }
        }
        for (key, tgt) in &target.entries {
            if !source.entries.contains_key(key) {
                c.obsolete += 1;
                diags.push(at_entry(
                    Diagnostic::new(Code::W201, format!("`{}` is not in {} (obsolete)", tgt.display_id(), site.source.code)),
                    target,
                    tgt,
                    tgt.offset,
                ));
            }
        }
        counts.insert(locale.code.clone(), c);
    }
}

/// The target locale's file that corresponds to a source file.
fn target_path(site: &Site, source_path: &str, target: &str) -> String {
    let src_prefix = site.locale_prefix(&site.source.code);
    match source_path.strip_prefix(&src_prefix) {
        Some(rest) => format!("{}{rest}", site.locale_prefix(target)),
        None => source_path.to_string(),
    }
}

fn duplicates(catalog: &Catalog, diags: &mut Vec<Diagnostic>) {
    for dup in &catalog.duplicates {
        let Some(first) = catalog.entries.get(&(dup.kind, dup.id.clone())) else { continue };
        let first_file = catalog.file_of(first);
        let (line, col) = crate::diagnostics::LineIndex::new(&first_file.text).line_col(&first_file.text, first.offset);
        diags.push(
            at_entry(
                Diagnostic::new(
                    Code::E203,
                    format!("`{}` is defined twice; first at {}:{line}:{col}", dup.display_id(), first_file.path),
                ),
                catalog,
                dup,
                dup.offset,
            )
            .help("remove or rename one of the two definitions; only the first is used"),
        );
    }
}

fn shape(source: &Catalog, src: &Entry, target: &Catalog, tgt: &Entry, diags: &mut Vec<Diagnostic>) {
    let _ = source;
    if src.kind == EntryKind::Message {
        match (&src.value, &tgt.value) {
            (Some(_), None) => diags.push(at_entry(
                Diagnostic::new(Code::E204, format!("`{}` has no value, but the source has one", tgt.display_id())),
                target,
                tgt,
                tgt.offset,
            )),
            (None, Some(_)) => diags.push(at_entry(
                Diagnostic::new(Code::E205, format!("`{}` has a value, but the source has only attributes", tgt.display_id())),
                target,
                tgt,
                tgt.offset,
            )),
            _ => {}
        }
    }
    for (name, _) in &src.attributes {
        if !tgt.attributes.iter().any(|(n, _)| n == name) {
            diags.push(at_entry(
                Diagnostic::new(Code::E204, format!("`{}` lacks the attribute `.{name}` the source has", tgt.display_id())),
                target,
                tgt,
                tgt.offset,
            ));
        }
    }
    for (name, p) in &tgt.attributes {
        if !src.attributes.iter().any(|(n, _)| n == name) {
            diags.push(at_entry(
                Diagnostic::new(Code::E205, format!("`{}` has an attribute `.{name}` the source does not have", tgt.display_id())),
                target,
                tgt,
                p.offset,
            ));
        }
    }
}
