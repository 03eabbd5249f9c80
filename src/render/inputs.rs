//! Render stage: the inputs of one page's render, as a fingerprint. An incremental `build`
//! keeps the file of a page whose fingerprint is the one it was rendered with, instead of
//! rendering it again: the render is a pure function of what the fingerprint covers.
//!
//! A page reads:
//!
//! - what every page reads (the *global* part): the ftlsite version, the build options, every
//!   site file but the catalogs, the assets, `activation.lock` and the `pages/` files (site.toml
//!   and every template included), every path the build writes (so a removed page or asset
//!   makes the link check run again), the published pages when the plan holds some back (links
//!   are re-pointed by them), and the `language-name` message of every locale;
//! - its own entry (template, output, vars), its status in every locale (the language switch
//!   and alternates list the locales that publish it) and its fallback list;
//! - the messages it formatted last time ([`crate::render::RenderSummary::usage`]), each with
//!   every message and term it refers to, in each locale of its fallback chain, by source
//!   text. What a template formats depends only on these inputs, so if none changed, the page
//!   formats the same ids again.
//!
//! The ids come from the previous build: a template that branches on a message's text reads
//! that message, so the message is in the list and its edit changes the fingerprint.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::activation::Plan;
use crate::catalog::{Catalogs, EntryKind};
use crate::site::Site;

use super::RenderOptions;

/// Bumped whenever what the fingerprint covers changes.
const LAYOUT: &str = "ftlsite page inputs 1";

/// FNV-1a, 64 bits, over length-prefixed items: two different item lists never hash alike by
/// concatenation. Stable across platforms and releases of Rust (unlike `DefaultHasher`).
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for b in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn u64(&mut self, n: u64) {
        self.bytes(&n.to_le_bytes());
    }
}

/// The fingerprints of a site's pages, for one build's options and activation plan.
pub struct Inputs<'a> {
    site: &'a Site,
    catalogs: &'a Catalogs,
    plan: &'a Plan,
    global: u64,
    chains: BTreeMap<String, Vec<String>>,
    /// Message fingerprints by locale, then id.
    messages: HashMap<String, HashMap<String, u64>>,
}

impl<'a> Inputs<'a> {
    /// The global part of every page's fingerprint, for a render of `site` and `catalogs`
    /// with `opts` and `plan`.
    pub fn new(
        site: &'a Site,
        catalogs: &'a Catalogs,
        opts: &RenderOptions,
        plan: &'a Plan,
    ) -> Inputs<'a> {
        let allow_fallback = opts.allow_fallback || plan.policy.is_some();
        let chains = site
            .locales()
            .map(|l| {
                let chain = if allow_fallback {
                    crate::site::fallback_chain(site, l)
                } else {
                    vec![l.code.clone()]
                };
                (l.code.clone(), chain)
            })
            .collect();
        let mut inputs = Inputs {
            site,
            catalogs,
            plan,
            global: 0,
            chains,
            messages: HashMap::new(),
        };
        let mut h = Fnv::new();
        h.str(LAYOUT);
        h.str(env!("CARGO_PKG_VERSION"));
        let pseudo: Vec<&str> = opts.pseudo.iter().map(|p| p.code()).collect();
        h.str(&format!(
            "allow-fallback={allow_fallback}\nids={}\nedit={}\npseudo={}\n",
            opts.ids,
            opts.edit,
            pseudo.join(",")
        ));
        let mut skipped: BTreeSet<&str> = catalogs
            .locales
            .values()
            .flat_map(|c| c.files.iter().map(|f| f.path.as_str()))
            .collect();
        skipped.extend(
            site.pages
                .iter()
                .map(|p| site.files.path(p.declared.0))
                .filter(|p| *p != "site.toml"),
        );
        skipped.insert(crate::activation::RECORD_FILE);
        for path in site.files.paths() {
            if skipped.contains(path) || path.starts_with("assets/") {
                continue;
            }
            h.str(path);
            h.bytes(site.files.get(path).unwrap_or_default());
        }
        for path in super::activation::known(site, plan) {
            h.str(&path);
        }
        h.str(&format!("holds-back={}", plan.holds_back_any()));
        if plan.holds_back_any() {
            for (locale, page) in plan.published() {
                h.str(&format!("{locale}/{page}"));
            }
        }
        for l in site.locales() {
            h.str(&l.code);
            h.u64(inputs.message(&l.code, "language-name"));
        }
        inputs.global = h.0;
        inputs
    }

    /// The fingerprint of page `index` in `locale` that formatted the messages `used`; `None`
    /// when the site has no such page or locale.
    pub fn page<'u>(
        &mut self,
        index: usize,
        locale: &str,
        used: impl IntoIterator<Item = &'u str>,
    ) -> Option<String> {
        let site = self.site;
        let page = site.pages.get(index)?;
        site.locales().find(|l| l.code == locale)?;
        let mut h = Fnv::new();
        h.u64(self.global);
        h.str(locale);
        h.str(&page.template);
        h.str(&page.output);
        h.str(&format!("{:?}", page.vars));
        for l in site.locales() {
            h.str(&l.code);
            h.bytes(&[u8::from(self.plan.is_published(&page.output, &l.code))]);
        }
        for f in self.plan.fallback(&page.output, locale) {
            h.str(&f.id);
            h.str(&f.locale);
        }
        let used: BTreeSet<&str> = used.into_iter().collect();
        for id in used {
            h.str(id);
            h.u64(self.message(locale, id));
        }
        Some(format!("{:016x}", h.0))
    }

    /// The source of message `id` as `locale` formats it: the message and everything it
    /// refers to, in every locale of the fallback chain (a locale that lacks one falls back).
    fn message(&mut self, locale: &str, id: &str) -> u64 {
        if let Some(hash) = self.messages.get(locale).and_then(|m| m.get(id)) {
            return *hash;
        }
        let chain = self
            .chains
            .get(locale)
            .cloned()
            .unwrap_or_else(|| vec![locale.to_string()]);
        let catalogs: Vec<_> = chain.iter().map(|c| self.catalogs.get(c)).collect();
        let mut closure: BTreeSet<(EntryKind, String)> = BTreeSet::new();
        let mut todo = vec![(EntryKind::Message, id.to_string())];
        while let Some(k) = todo.pop() {
            if !closure.insert(k.clone()) {
                continue;
            }
            for catalog in catalogs.iter().flatten() {
                let Some(entry) = catalog.entries.get(&k) else {
                    continue;
                };
                for (_, p) in entry.patterns() {
                    todo.extend(p.messages.iter().map(|m| (EntryKind::Message, m.clone())));
                    todo.extend(p.terms.iter().map(|t| (EntryKind::Term, t.clone())));
                }
            }
        }
        let mut h = Fnv::new();
        for (code, catalog) in chain.iter().zip(&catalogs) {
            h.str(code);
            for k in &closure {
                h.str(&format!("{:?}", k.0));
                h.str(&k.1);
                match catalog.and_then(|c| c.entries.get(k).map(|e| (c, e))) {
                    Some((c, e)) => h.str(e.source(c.file_of(e).text())),
                    None => h.str("\u{0}absent"),
                }
            }
        }
        self.messages
            .entry(locale.to_string())
            .or_default()
            .insert(id.to_string(), h.0);
        h.0
    }
}

#[cfg(test)]
mod tests {
    use super::Fnv;

    #[test]
    fn items_are_length_prefixed() {
        let (mut a, mut b) = (Fnv::new(), Fnv::new());
        a.str("ab");
        a.str("c");
        b.str("a");
        b.str("bc");
        assert_ne!(a.0, b.0);
    }
}
