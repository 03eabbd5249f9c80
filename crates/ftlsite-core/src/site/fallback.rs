//! Fallback chains: which locales' text a locale borrows when a message is missing, in order.
//!
//! The renderer formats missing messages from the chain, and activation decides from the same
//! chain which locale a fallback message comes from and where a link to an unpublished page
//! goes, so both agree.

use std::collections::BTreeSet;

use unic_langid::LanguageIdentifier;

use super::{Locale, Site};

/// The locales whose text `locale` falls back to, in order, itself first and the source last:
/// the `[fallback]` list of site.toml when it names one, otherwise the site's other locales that
/// fluent-langneg's filtering matches (en-GB → en-US, pt-PT → pt-BR).
pub fn fallback_chain(site: &Site, locale: &Locale) -> Vec<String> {
    let mut chain = vec![locale.code.clone()];
    match site.fallback.get(&locale.code) {
        Some(listed) => chain.extend(listed.iter().cloned()),
        None => {
            let others: Vec<LanguageIdentifier> = site
                .locales()
                .filter(|l| l.code != locale.code && l.code != site.source.code)
                .map(|l| l.id.clone())
                .collect();
            let matched = fluent_langneg::negotiate_languages(
                std::slice::from_ref(&locale.id),
                &others,
                None,
                fluent_langneg::NegotiationStrategy::Filtering,
            );
            chain.extend(matched.into_iter().map(|id| id.to_string()));
        }
    }
    chain.push(site.source.code.clone());
    let mut seen = BTreeSet::new();
    chain.retain(|c| seen.insert(c.clone()));
    chain
}
