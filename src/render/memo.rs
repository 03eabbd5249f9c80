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

/// One locale's memoized calls. A build makes some 20 lookups per page into a table of every
/// id the site formats, so the table is kept small enough to stay in the core's cache: the ids
/// are stored back to back in one string, and the slots of the hash table hold only where an id
/// is and which entry is its.
#[derive(Default)]
struct Table {
    ids: String,
    slots: hashbrown::HashTable<Slot>,
    /// The content call and the attribute call of each id.
    entries: Vec<[Option<Memoed>; 2]>,
}

#[derive(Clone, Copy)]
struct Slot {
    start: u32,
    len: u32,
    entry: u32,
}

impl Table {
    fn hash(id: &str) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(id)
    }

    fn id(&self, slot: &Slot) -> &str {
        self.ids
            .get(slot.start as usize..(slot.start + slot.len) as usize)
            .unwrap_or_default()
    }

    fn find(&self, id: &str) -> Option<&[Option<Memoed>; 2]> {
        let slot = self.slots.find(Self::hash(id), |s| self.id(s) == id)?;
        self.entries.get(slot.entry as usize)
    }

    fn entry(&mut self, id: &str) -> &mut [Option<Memoed>; 2] {
        let hash = Self::hash(id);
        let found = self.slots.find(hash, |s| self.id(s) == id).map(|s| s.entry);
        let entry = match found {
            Some(entry) => entry as usize,
            None => {
                let (Ok(start), Ok(len), Ok(entry)) = (
                    u32::try_from(self.ids.len()),
                    u32::try_from(id.len()),
                    u32::try_from(self.entries.len()),
                ) else {
                    // Past 4 GiB of ids: the entry is made and forgotten.
                    self.entries.push(Default::default());
                    return self.entries.last_mut().expect("just pushed");
                };
                self.ids.push_str(id);
                self.entries.push(Default::default());
                let slot = Slot { start, len, entry };
                let ids = &self.ids;
                self.slots.insert_unique(hash, slot, |s| {
                    Self::hash(&ids[s.start as usize..(s.start + s.len) as usize])
                });
                entry as usize
            }
        };
        &mut self.entries[entry]
    }
}

#[derive(Default)]
struct Memo {
    generation: Option<Generation>,
    /// By locale: a build renders a handful, found by a scan.
    locales: Vec<(Box<str>, Table)>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// Calls `with` on the memoized call of `id` in `lang`, made for environment `generation` on
/// this thread, without copying it.
pub fn with<R>(
    generation: Generation,
    lang: &str,
    id: &str,
    context: Context,
    with: impl FnOnce(&Memoed) -> R,
) -> Option<R> {
    MEMO.with(|m| {
        let m = m.borrow();
        if m.generation != Some(generation) {
            return None;
        }
        let (_, table) = m.locales.iter().find(|(l, _)| **l == *lang)?;
        table.find(id)?[context as usize].as_ref().map(with)
    })
}

/// The memoized call of `id` in `lang`, made for environment `generation` on this thread.
#[cfg(test)]
pub fn get(generation: Generation, lang: &str, id: &str, context: Context) -> Option<Memoed> {
    with(generation, lang, id, context, Memoed::clone)
}

/// Remembers a call on this thread. The message id is copied into an `Arc` of the thread's
/// own, so that the pages this thread renders count their references to it on a cache line
/// the other threads do not write.
pub fn put(generation: Generation, lang: &str, id: &str, context: Context, memoed: Memoed) {
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.generation != Some(generation) {
            m.locales.clear();
            m.generation = Some(generation);
        }
        let at = match m.locales.iter().position(|(l, _)| **l == *lang) {
            Some(at) => at,
            None => {
                m.locales.push((lang.into(), Table::default()));
                m.locales.len() - 1
            }
        };
        let memoed = Memoed {
            message: Arc::from(&*memoed.message),
            ..memoed
        };
        m.locales[at].1.entry(id)[context as usize] = Some(memoed);
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

    #[test]
    fn many_ids_in_many_locales_stay_apart() {
        let generation = Generation::next();
        let ids: Vec<String> = (0..3000).map(|n| format!("msg-{n:05}")).collect();
        for lang in ["en-US", "zh-CN", "en"] {
            for id in &ids {
                put(
                    generation,
                    lang,
                    id,
                    Context::Content,
                    memoed(&format!("{lang} {id}")),
                );
            }
        }
        put(generation, "en", "", Context::Attribute, memoed("empty"));
        for lang in ["en-US", "zh-CN", "en"] {
            for id in &ids {
                let got = with(generation, lang, id, Context::Content, |m| {
                    m.value.to_string()
                });
                assert_eq!(got, Some(format!("{lang} {id}")));
                assert!(get(generation, lang, id, Context::Attribute).is_none());
            }
        }
        let got = get(generation, "en", "", Context::Attribute).map(|m| m.value.to_string());
        assert_eq!(got.as_deref(), Some("empty"));
        assert!(get(generation, "en-US", "", Context::Attribute).is_none());
        assert!(get(generation, "en-US", "msg-03000", Context::Content).is_none());
    }
}
