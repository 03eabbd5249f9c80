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

use std::collections::{BTreeMap, BTreeSet};

use crate::activation::Plan;
use crate::catalog::{Catalogs, EntryKind};
use crate::site::Site;

use super::RenderOptions;

/// Bumped whenever what the fingerprint covers changes.
const LAYOUT: &str = "ftlsite page inputs 2";

/// SipHash-1-3 over length-prefixed items: two different item lists never hash alike by
/// concatenation. A fixed algorithm with fixed keys, so it is stable across platforms and
/// releases of Rust (unlike `DefaultHasher`), and it reads eight bytes at a time.
#[derive(Clone)]
pub(crate) struct Hash(siphasher::sip::SipHasher13);

impl Hash {
    pub(crate) fn new() -> Hash {
        Hash(siphasher::sip::SipHasher13::new())
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        use std::hash::Hasher;
        self.0.write(&(bytes.len() as u64).to_le_bytes());
        self.0.write(bytes);
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn u64(&mut self, n: u64) {
        self.bytes(&n.to_le_bytes());
    }

    pub(crate) fn finish(&self) -> u64 {
        std::hash::Hasher::finish(&self.0)
    }
}

/// The items of one [`Hash`], laid out as it reads them and handed over in one write: SipHash
/// streams, so the result is the same, and one long write is several times faster than the
/// two short ones of each of a page's few dozen items.
#[derive(Default)]
struct Items(Vec<u8>);

impl Items {
    fn str(&mut self, s: &str) {
        self.0.extend_from_slice(&(s.len() as u64).to_le_bytes());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&8u64.to_le_bytes());
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    /// A page variable: its kind, then its value (arrays and tables after their length), so
    /// that no two different values read the same.
    fn toml(&mut self, value: &toml::Value) {
        use toml::Value;
        match value {
            Value::String(s) => {
                self.str("s");
                self.str(s);
            }
            Value::Integer(n) => {
                self.str("i");
                self.u64(*n as u64);
            }
            Value::Float(f) => {
                self.str("f");
                self.u64(f.to_bits());
            }
            Value::Boolean(b) => {
                self.str("b");
                self.u64(u64::from(*b));
            }
            Value::Datetime(d) => {
                self.str("d");
                self.str(&d.to_string());
            }
            Value::Array(items) => {
                self.str("a");
                self.u64(items.len() as u64);
                for item in items {
                    self.toml(item);
                }
            }
            Value::Table(table) => {
                self.str("m");
                self.table(table.iter());
            }
        }
    }

    /// Named values (a page's variables, a TOML table), after their count.
    fn table<'v>(&mut self, entries: impl ExactSizeIterator<Item = (&'v String, &'v toml::Value)>) {
        self.u64(entries.len() as u64);
        for (name, value) in entries {
            self.str(name);
            self.toml(value);
        }
    }

    fn finish(&self) -> u64 {
        use std::hash::Hasher;
        let mut h = siphasher::sip::SipHasher13::new();
        h.write(&self.0);
        h.finish()
    }
}

/// Message fingerprints by id (or by locale).
type Map<V> = std::collections::HashMap<String, V, rustc_hash::FxBuildHasher>;

/// The fingerprints of a site's pages, for one build's options and activation plan.
pub struct Inputs<'a> {
    site: &'a Site,
    catalogs: &'a Catalogs,
    plan: &'a Plan,
    global: u64,
    /// The part of each page's fingerprint that does not depend on its locale, by page index.
    pages: Vec<u64>,
    chains: BTreeMap<String, Vec<String>>,
    /// Message fingerprints by locale, then id.
    messages: Map<Map<u64>>,
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
            pages: Vec::new(),
            chains,
            messages: Map::default(),
        };
        inputs.messages = inputs.all_messages();
        let mut h = Hash::new();
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
        inputs.global = h.finish();
        inputs.pages = {
            use rayon::prelude::*;
            site.pages
                .par_iter()
                .map(|page| {
                    let mut h = Items::default();
                    h.str(&page.template);
                    h.str(&page.output);
                    h.table(page.vars.iter());
                    for l in site.locales() {
                        h.str(&l.code);
                        h.u64(u64::from(plan.is_published(&page.output, &l.code)));
                    }
                    h.finish()
                })
                .collect()
        };
        inputs
    }

    /// The fingerprint of page `index` in `locale` that formatted the messages `used`; `None`
    /// when the site has no such page or locale.
    pub fn page<'u>(
        &self,
        index: usize,
        locale: &str,
        used: impl IntoIterator<Item = &'u str>,
    ) -> Option<String> {
        self.page_hashed(
            index,
            locale,
            used.into_iter().map(|id| (id, self.message(locale, id))),
        )
    }

    /// [`page`](Self::page), given each used message with its fingerprint as
    /// [`message`](Self::message) gives it: a caller with many pages over few
    /// messages looks each one up once.
    pub fn page_hashed<'u>(
        &self,
        index: usize,
        locale: &str,
        used: impl IntoIterator<Item = (&'u str, u64)>,
    ) -> Option<String> {
        let site = self.site;
        let page = site.pages.get(index)?;
        site.locales().find(|l| l.code == locale)?;
        thread_local! {
            static ITEMS: std::cell::RefCell<Items> = std::cell::RefCell::default();
        }
        let mut items = ITEMS.take();
        items.0.clear();
        let h = &mut items;
        h.u64(self.global);
        h.str(locale);
        h.u64(*self.pages.get(index)?);
        for f in self.plan.fallback_at(index, &page.output, locale) {
            h.str(&f.id);
            h.str(&f.locale);
        }
        let mut used: Vec<(&str, u64)> = used.into_iter().collect();
        // Render summaries and caches give them sorted already.
        if !used.is_sorted_by(|a, b| a.0 <= b.0) {
            used.sort_unstable_by(|a, b| a.0.cmp(b.0));
        }
        used.dedup_by(|a, b| a.0 == b.0);
        for (id, hash) in used {
            h.str(id);
            h.u64(hash);
        }
        let key = format!("{:016x}", h.finish());
        ITEMS.set(items);
        Some(key)
    }

    /// The fingerprint of every message of every locale's fallback chain, computed once on all
    /// cores, so that [`Inputs::page`] only looks them up and pages can be fingerprinted in
    /// parallel.
    fn all_messages(&self) -> Map<Map<u64>> {
        use rayon::prelude::*;
        let mut jobs: Vec<(&str, &str)> = Vec::new();
        for (locale, chain) in &self.chains {
            let ids: BTreeSet<&str> = chain
                .iter()
                .filter_map(|c| self.catalogs.get(c))
                .flat_map(|c| c.entries.keys())
                .filter(|(kind, _)| *kind == EntryKind::Message)
                .map(|(_, id)| id.as_str())
                .collect();
            jobs.extend(ids.into_iter().map(|id| (locale.as_str(), id)));
        }
        let hashes: Vec<u64> = jobs
            .par_iter()
            .map(|(locale, id)| self.message_source(locale, id))
            .collect();
        let mut out: Map<Map<u64>> = Map::default();
        for ((locale, id), hash) in jobs.into_iter().zip(hashes) {
            out.entry(locale.to_string())
                .or_default()
                .insert(id.to_string(), hash);
        }
        out
    }

    /// The fingerprint of message `id` as `locale` formats it, what [`page`](Self::page)
    /// combines for each message a page used: [`Inputs::message_source`], looked up when it
    /// was computed in advance (every id a catalog has; a missing one is computed each time).
    pub fn message(&self, locale: &str, id: &str) -> u64 {
        match self.messages.get(locale).and_then(|m| m.get(id)) {
            Some(hash) => *hash,
            None => self.message_source(locale, id),
        }
    }

    /// The source of message `id` as `locale` formats it: the message and everything it
    /// refers to, in every locale of the fallback chain (a locale that lacks one falls back).
    fn message_source(&self, locale: &str, id: &str) -> u64 {
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
        let mut h = Hash::new();
        for (code, catalog) in chain.iter().zip(&catalogs) {
            h.str(code);
            for k in &closure {
                h.str(match k.0 {
                    EntryKind::Message => "Message",
                    EntryKind::Term => "Term",
                });
                h.str(&k.1);
                match catalog.and_then(|c| c.entries.get(k).map(|e| (c, e))) {
                    Some((c, e)) => h.str(e.source(c.file_of(e).text())),
                    None => h.str("\u{0}absent"),
                }
            }
        }
        h.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::{Hash, Items};

    #[test]
    fn items_hash_as_the_hash_of_each_item() {
        let (mut one, mut each) = (Items::default(), Hash::new());
        for (s, n) in [("en-US", 7u64), ("", 0), ("msg-00001", u64::MAX)] {
            one.str(s);
            one.u64(n);
            each.str(s);
            each.u64(n);
        }
        assert_eq!(one.finish(), each.finish());
        assert_ne!(one.finish(), Items::default().finish());
    }

    #[test]
    fn items_are_length_prefixed() {
        let (mut a, mut b) = (Hash::new(), Hash::new());
        a.str("ab");
        a.str("c");
        b.str("a");
        b.str("bc");
        assert_ne!(a.finish(), b.finish());
    }

    /// Page variables that differ in kind, nesting or split hash differently; equal ones alike.
    #[test]
    fn page_variables_hash_by_kind_and_value() {
        let hash = |text: &str| {
            let value: toml::Table = text.parse().unwrap();
            let mut items = Items::default();
            items.toml(&toml::Value::Table(value));
            items.finish()
        };
        let distinct = [
            "v = 1",
            "v = \"1\"",
            "v = 1.0",
            "v = true",
            "v = false",
            "v = 1979-05-27",
            "v = [\"ab\"]",
            "v = [\"a\", \"b\"]",
            "v = [[\"a\"], \"b\"]",
            "v = [\"a\", [\"b\"]]",
            "v = { a = \"b\" }",
            "v = { ab = \"\" }",
            "v = {}",
            "v = []",
            "w = 1",
            "v = 1\nw = 1",
        ];
        let hashes: std::collections::BTreeSet<u64> = distinct.iter().map(|t| hash(t)).collect();
        assert_eq!(hashes.len(), distinct.len());
        assert_eq!(hash("v = { a = 1, b = [2] }"), hash("v.b = [2]\nv.a = 1"));
    }
}
