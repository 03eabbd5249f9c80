//! What `t()` and `t_attr()` returned for calls without arguments, kept per rendering thread.
//!
//! Such a call's HTML depends only on the environment, the locale and the id, and a page set
//! makes the same calls on every page (a header, a footer, shared strings). A shared map behind
//! a lock would make the two rendering threads take turns on one cache line about twenty times
//! a page; a map per thread is read without any synchronization, and costs one extra format
//! of each message per thread. Entries are tagged with the environment that made them
//! ([`Generation`]), so a thread that renders for a newer environment (the next preview build)
//! starts afresh instead of returning text from older catalogs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use minijinja::value::Value;

/// Identifies one template environment (one build's catalogs and options).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Generation(u64);

impl Generation {
    /// A generation no environment made before.
    pub fn next() -> Generation {
        static COUNTER: AtomicU64 = AtomicU64::new(1);
        Generation(COUNTER.fetch_add(1, Ordering::Relaxed))
    }
}

/// Element content (`t`) or attribute value (`t_attr`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    Content = 0,
    Attribute = 1,
}

/// One memoized call.
#[derive(Clone, Debug)]
pub struct Memoed {
    /// The message id without its attribute, shared with every page that records it.
    pub message: Arc<str>,
    /// The value returned.
    pub value: Value,
    /// The locale whose text was used, when it is not the one rendered.
    pub fallback: Option<Arc<str>>,
}

type Map<V> = HashMap<Box<str>, V, rustc_hash::FxBuildHasher>;

#[derive(Default)]
struct Memo {
    generation: Option<Generation>,
    /// By locale, then id: the content call and the attribute call.
    calls: Map<Map<[Option<Memoed>; 2]>>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// The memoized call of `id` in `lang`, made for environment `generation` on this thread.
pub fn get(generation: Generation, lang: &str, id: &str, context: Context) -> Option<Memoed> {
    MEMO.with(|m| {
        let m = m.borrow();
        if m.generation != Some(generation) {
            return None;
        }
        m.calls.get(lang)?.get(id)?[context as usize].clone()
    })
}

/// Remembers a call on this thread.
pub fn put(generation: Generation, lang: &str, id: &str, context: Context, memoed: Memoed) {
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.generation != Some(generation) {
            m.calls.clear();
            m.generation = Some(generation);
        }
        let slots = m
            .calls
            .entry(lang.into())
            .or_default()
            .entry(id.into())
            .or_default();
        slots[context as usize] = Some(memoed);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memoed(text: &str) -> Memoed {
        Memoed {
            message: Arc::from("greeting"),
            value: Value::from_safe_string(text.to_string()),
            fallback: None,
        }
    }

    #[test]
    fn a_newer_environment_never_sees_an_older_ones_text() {
        let (old, new) = (Generation::next(), Generation::next());
        put(old, "fr", "greeting", Context::Content, memoed("Bonjour"));
        let got = get(old, "fr", "greeting", Context::Content).map(|m| m.value.to_string());
        assert_eq!(got.as_deref(), Some("Bonjour"));
        assert!(get(new, "fr", "greeting", Context::Content).is_none());
        // The other context, locale and id are other calls.
        assert!(get(old, "fr", "greeting", Context::Attribute).is_none());
        assert!(get(old, "de", "greeting", Context::Content).is_none());
        put(new, "fr", "greeting", Context::Content, memoed("Salut"));
        let got = get(new, "fr", "greeting", Context::Content).map(|m| m.value.to_string());
        assert_eq!(got.as_deref(), Some("Salut"));
        assert!(
            get(old, "fr", "greeting", Context::Content).is_none(),
            "the older entries were dropped"
        );
    }
}
