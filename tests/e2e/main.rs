//! End-to-end tests: the real `ftlsite` binary on real site folders.

mod build_errors;
mod shipped_site;
mod support;
