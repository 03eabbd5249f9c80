//! End-to-end tests: the real `ftlsite` binary on real site folders.

mod build_errors;
mod locales;
mod safety;
mod shards;
mod shipped_site;
mod stale;
mod support;
