//! `ftlsite build` over an earlier output: which pages keep their file instead of being
//! rendered, and the cache (`.ftlsite-cache`) that lets the next build decide the same.
//!
//! A page is kept when the previous output's cache lists it with the fingerprint of its inputs
//! that this build computes ([`crate::render::inputs`]) and its file is still the one the cache
//! describes ([`crate::output::Stamp`]). When the cache was written from the very inputs and
//! options of this build (its `site` is this build's marker fingerprint), every listed
//! fingerprint is the one this build would compute, and none is computed: a rebuild with
//! nothing changed only checks the files. Kept files are hard-linked into the staging folder and not
//! rendered; every other page, the assets, the sitemap and the root page are rendered as in a
//! cold build (and linked too when their bytes did not change). A cache that is missing, does
//! not parse or comes from another release keeps nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::activation::Plan;
use crate::catalog::Catalogs;
use crate::output::{Cache, CacheError, CachedPage, OutputError, Prefetch, Staging};
use crate::render::inputs::Inputs;
use crate::render::{KeptPage, PageLinks, RenderOptions, RenderSummary};
use crate::site::Site;

/// What an incremental build renders and what it keeps.
pub struct Reuse<'a> {
    site: &'a Site,
    catalogs: &'a Catalogs,
    plan: &'a Plan,
    /// The page fingerprints' inputs; not worked out when the cache was written from this
    /// build's inputs, until a page has to be rendered anyway.
    inputs: Option<Inputs<'a>>,
    /// This build's inputs fingerprint (the marker's), recorded in the cache it writes.
    fingerprint: String,
    /// The (page index, locale) pairs to render.
    pub only: BTreeSet<(usize, String)>,
    /// The pages kept, by output path, for the render stage.
    pub kept: Arc<BTreeMap<String, KeptPage>>,
    /// The previous cache, whose entries the kept pages keep.
    previous: Cache,
    /// Why the previous output's cache was not used, when it had one.
    pub ignored: Option<CacheError>,
    /// Every (page index, locale, output path) the build publishes ([`published`]).
    pages: Vec<(usize, String, String)>,
}

/// Every (page index, locale, output path) the build publishes.
fn published(site: &Site, plan: &Plan) -> Vec<(usize, String, String)> {
    site.pages
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            site.locales()
                .filter(|l| plan.is_published(&p.output, &l.code))
                .map(move |l| (i, l.code.clone(), format!("{}/{}", l.code, p.output)))
        })
        .collect()
}

/// Whether output path `path` is a page's: pages are written under their locale's folder; the
/// sitemap, the root page and the assets (under `assets/`) are not, and the cache holds pages
/// only.
pub fn is_page(path: &str) -> bool {
    path.contains('/') && !path.starts_with("assets/")
}

/// Decides which pages to keep and links their files into `staging`.
pub fn prepare<'a>(
    site: &'a Site,
    catalogs: &'a Catalogs,
    opts: &RenderOptions,
    plan: &'a Plan,
    staging: &Staging,
    prefetch: Prefetch,
    fingerprint: &str,
) -> Result<Reuse<'a>, OutputError> {
    let (previous, ignored) = match staging.previous().map(|dir| prefetch.take(dir)) {
        Some(Ok(cache)) => (cache, None),
        Some(Err(CacheError::Missing)) | None => (Cache::new(), None),
        Some(Err(e)) => (Cache::new(), Some(e)),
    };
    // A cache of another build (or none: `Cache::new` names no inputs) computes them all.
    let same_inputs = previous.site == fingerprint;
    let inputs = (!same_inputs).then(|| Inputs::new(site, catalogs, opts, plan));
    // A page is kept when its inputs are unchanged and its file still holds the bytes the
    // cache describes.
    let dir = staging.previous();
    let pages = published(site, plan);
    // Each cached message id's fingerprint in each locale, looked up once rather than once
    // per page that used it.
    let hashes: BTreeMap<&str, Vec<u64>> = match &inputs {
        Some(inputs) => site
            .locales()
            .map(|l| {
                let code = l.code.as_str();
                let of = previous.ids.iter().map(|id| inputs.message(code, id));
                (code, of.collect())
            })
            .collect(),
        None => BTreeMap::new(),
    };
    let ids = &previous.ids;
    let same: Vec<bool> = pages
        .par_iter()
        .map(|(i, locale, path)| {
            let table = hashes.get(locale.as_str());
            previous.pages.get(path).is_some_and(|entry| {
                let used = entry.used.iter().filter_map(|&i| {
                    let i = i as usize;
                    Some((ids.get(i)?.as_str(), *table?.get(i)?))
                });
                let same_key = match &inputs {
                    Some(inputs) => {
                        inputs.page_hashed(*i, locale, used).as_ref() == Some(&entry.key)
                    }
                    None => true,
                };
                same_key && dir.is_some_and(|d| entry.file.matches(&d.join(path), previous.written))
            })
        })
        .collect();
    let mut only = BTreeSet::new();
    let mut keep = Vec::new();
    for ((i, locale, path), same) in pages.iter().zip(same) {
        if same {
            keep.push(path.clone());
        } else {
            only.insert((*i, locale.clone()));
        }
    }
    staging.keep_all(&keep)?;
    let kept = keep
        .iter()
        .filter_map(|path| Some((path.clone(), previous.pages.get(path)?.kept())))
        .collect();
    Ok(Reuse {
        site,
        catalogs,
        plan,
        inputs,
        fingerprint: fingerprint.to_string(),
        only,
        kept: Arc::new(kept),
        previous,
        ignored,
        pages,
    })
}

impl Reuse<'_> {
    /// The cache describing the staged pages: the previous entries of kept pages, and the
    /// fingerprint, messages and links of each rendered one. Written into `staging`. `opts`
    /// are the options the pages were rendered with.
    pub fn store_cache(
        &self,
        staging: &Staging,
        rendered: &RenderSummary,
        opts: &RenderOptions,
    ) -> Result<(), OutputError> {
        // Nothing rendered, every cached page kept, and the same inputs: the cache would be the
        // previous one, entry for entry and id for id (both are built in page order).
        if self.only.is_empty()
            && !self.kept.is_empty()
            && self.previous.pages.len() == self.kept.len()
            && self.previous.site == self.fingerprint
        {
            return staging.keep_cache();
        }
        let computed;
        let inputs = match &self.inputs {
            Some(inputs) => inputs,
            None => {
                computed = Inputs::new(self.site, self.catalogs, opts, self.plan);
                &computed
            }
        };
        let pages = &self.pages;
        let none = BTreeSet::new();
        let no_links = PageLinks::default();
        // The rendered pages share one `Arc` per message id: each worker looks an id's
        // fingerprint in a locale up once and then finds it by the id's address, instead of by
        // text once for every page that used it. Every `Arc` is alive (in `rendered`) meanwhile.
        let address = |id: &Arc<str>| Arc::as_ptr(id) as *const u8 as usize;
        // A worker meets the site's few locales: one table each, found by a short scan, so
        // each id's lookup hashes an address only.
        type Known<'l> = Vec<(&'l str, FxHashMap<usize, u64>)>;
        // Each page's entry, on all cores.
        let entries: Vec<Option<(&str, CachedPage, Vec<&str>)>> = pages
            .par_iter()
            .map_init(Known::default, |known, (i, locale, path)| {
                if self.kept.contains_key(path) {
                    // A kept page's entry stands as it was; its ids are indexed anew.
                    let entry = self.previous.pages.get(path)?;
                    let used = self.previous.used(entry).collect();
                    return Some((path.as_str(), entry.clone(), used));
                }
                let stamp = staging.stamp(path)?;
                let ids = rendered.usage.get(path).unwrap_or(&none);
                let at = match known.iter().position(|(l, _)| l == locale) {
                    Some(at) => at,
                    None => {
                        known.push((locale, FxHashMap::default()));
                        known.len() - 1
                    }
                };
                let known = &mut known[at].1;
                let hashed = ids.iter().map(|id| {
                    let hash = *known
                        .entry(address(id))
                        .or_insert_with(|| inputs.message(locale, id));
                    (&**id, hash)
                });
                let key = inputs.page_hashed(*i, locale, hashed)?;
                let used: Vec<&str> = ids.iter().map(|id| &**id).collect();
                let page = CachedPage::new(
                    key,
                    stamp,
                    rendered.links.get(path).unwrap_or(&no_links),
                    rendered.page_fallbacks.get(path).map_or(&[], Vec::as_slice),
                );
                Some((path.as_str(), page, used))
            })
            .collect();
        let cache = Cache::with_pages(self.fingerprint.clone(), entries);
        staging.store_cache(&cache)?;
        Ok(())
    }
}

/// The note `build` prints when the previous output's cache could not be used.
pub fn ignored_note(e: &CacheError) -> String {
    format!("note: {e}; every page is rendered")
}
