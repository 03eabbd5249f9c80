//! Message formatting for templates: `t()`, `t_attr()` and the fallback chain.
//!
//! Translated text is untrusted. A message without markup is returned as plain text and
//! MiniJinja's HTML auto-escaping escapes it. A message with inline markup has its arguments
//! escaped first, is formatted, then reduced by ammonia to the allow-list (`a`, `strong`, `em`,
//! `code`, `br`; `href` http, https, relative or `#`), and only then marked safe.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::{Arc, Mutex};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::catalog::{Catalogs, EntryKind};
use crate::site::Site;

/// The locales whose text `locale` falls back to, in order, itself first and the source last:
/// the `[fallback]` list of site.toml when it names one, otherwise the site's other locales that
/// fluent-langneg's filtering matches (en-GB → en-US, pt-PT → pt-BR).
pub fn fallback_chain(site: &Site, locale: &crate::site::Locale) -> Vec<String> {
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
    let mut seen = HashSet::new();
    chain.retain(|c| seen.insert(c.clone()));
    chain
}

/// Indices of the files that have a select on a number whose keys are all names: the selects
/// ICU4X's plural rules must choose for.
fn files_with_plural_selects(catalog: &crate::catalog::Catalog) -> HashSet<usize> {
    catalog
        .entries
        .values()
        .chain(catalog.duplicates.iter())
        .filter(|e| {
            e.patterns().any(|(_, p)| {
                p.selects
                    .iter()
                    .any(|s| s.numeric_selector && s.keys.iter().all(|k| !k.numeric))
            })
        })
        .map(|e| e.file)
        .collect()
}

/// FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, which Fluent puts around placeables.
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// Inline tags a translation may carry.
pub const ALLOWED_TAGS: &[&str] = &["a", "strong", "em", "code", "br"];

/// A message formatted from a locale further down the fallback chain.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fallback {
    /// The locale being rendered.
    pub locale: String,
    /// The message id (with `.attr` when an attribute).
    pub id: String,
    /// The locale whose text was used.
    pub used: String,
}

/// Why a message could not be formatted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// No locale in the chain has the message (or attribute).
    Missing {
        /// The id asked for.
        id: String,
        /// The locales tried.
        tried: Vec<String>,
    },
    /// Fluent reported errors while resolving (unknown variable, reference, function).
    Resolve {
        /// The id asked for.
        id: String,
        /// Fluent's messages.
        errors: Vec<String>,
    },
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Missing { id, tried } => {
                write!(
                    f,
                    "message `{id}` does not exist (looked in {})",
                    tried.join(", ")
                )
            }
            FormatError::Resolve { id, errors } => {
                write!(f, "message `{id}`: {}", errors.join("; "))
            }
        }
    }
}

/// A formatted message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formatted {
    /// The text: sanitized HTML for markup messages, plain text otherwise.
    pub text: String,
    /// True when `text` is sanitized HTML rather than plain text.
    pub markup: bool,
    /// The locale whose message was used.
    pub used: String,
}

/// Fluent bundles of every locale plus the rules for choosing among them.
pub struct Localizer {
    bundles: BTreeMap<String, FluentBundle<Arc<FluentResource>>>,
    chains: BTreeMap<String, Vec<String>>,
    markup: HashSet<(String, String)>,
    fallbacks: Mutex<BTreeSet<Fallback>>,
    sanitizer: ammonia::Builder<'static>,
    isolating_sanitizer: ammonia::Builder<'static>,
    rtl: HashSet<String>,
}

impl Localizer {
    /// Builds one bundle per locale from the catalogs. With `allow_fallback`, a locale's chain is
    /// itself, its `[fallback]` list from site.toml, then the source locale; without, itself only.
    pub fn new(site: &Site, catalogs: &Catalogs, allow_fallback: bool) -> Arc<Localizer> {
        Self::with_pseudo(site, catalogs, allow_fallback, &[])
    }

    /// Like [`Localizer::new`], with the pseudo-locales in `pseudo` formatted through their
    /// fluent-pseudo transform (see [`crate::pseudo`]).
    pub fn with_pseudo(
        site: &Site,
        catalogs: &Catalogs,
        allow_fallback: bool,
        pseudo: &[crate::pseudo::Pseudo],
    ) -> Arc<Localizer> {
        let mut bundles = BTreeMap::new();
        let mut chains = BTreeMap::new();
        let mut markup = HashSet::new();
        for locale in site.locales() {
            let mut bundle = FluentBundle::new_concurrent(vec![locale.id.clone()]);
            // Isolation marks only where they matter (right-to-left text); `format` turns them
            // into <bdi> in element content and removes them from attribute values.
            bundle.set_use_isolating(crate::intl::is_rtl(&locale.id));
            crate::intl::add_functions(&mut bundle, &locale.id);
            if let Some(p) = pseudo.iter().find(|p| p.code() == locale.code) {
                bundle.set_transform(Some(p.transform()));
            }
            if let Some(catalog) = catalogs.get(&locale.code) {
                let plural_files = files_with_plural_selects(catalog);
                for (index, file) in catalog.files.iter().enumerate() {
                    // Plural selects go through ICU4X's CLDR rules: only files that have one are
                    // rewritten (see intl::icu_plural_selectors) and parsed again; every other
                    // file's bundle shares the catalog's parse.
                    let rewritten = plural_files
                        .contains(&index)
                        .then(|| crate::intl::icu_plural_selectors(file.text()))
                        .flatten();
                    let res = match rewritten {
                        Some(text) => Arc::new(match FluentResource::try_new(text) {
                            Ok(r) => r,
                            Err((r, _)) => r,
                        }),
                        None => file.resource.clone(),
                    };
                    // Duplicates are reported by validation (E203); the first definition wins.
                    let _ = bundle.add_resource(res);
                }
                for entry in catalog.entries.values() {
                    for (attr, p) in entry.patterns() {
                        if entry.kind == EntryKind::Message && has_markup(&p.text) {
                            let id = match attr {
                                Some(a) => format!("{}.{a}", entry.id),
                                None => entry.id.clone(),
                            };
                            markup.insert((locale.code.clone(), id));
                        }
                    }
                }
            }
            bundles.insert(locale.code.clone(), bundle);
            let chain = if allow_fallback {
                fallback_chain(site, locale)
            } else {
                vec![locale.code.clone()]
            };
            chains.insert(locale.code.clone(), chain);
        }
        let rtl = site
            .locales()
            .filter(|l| crate::intl::is_rtl(&l.id))
            .map(|l| l.code.clone())
            .collect();
        Arc::new(Localizer {
            bundles,
            chains,
            markup,
            fallbacks: Mutex::new(BTreeSet::new()),
            sanitizer: sanitizer(&[]),
            isolating_sanitizer: sanitizer(&["bdi"]),
            rtl,
        })
    }

    /// Formats `id` (or `id.attr`) for `locale` with `args`, following the fallback chain.
    ///
    /// `content` is true for element content and false for attribute values. Fluent's bidi
    /// isolation marks are off everywhere (they would end up inside attribute values and URLs);
    /// instead, in right-to-left locales, text arguments in element content are wrapped in
    /// `<bdi>` so a Latin name inside Arabic text keeps its direction.
    pub fn format(
        &self,
        locale: &str,
        id: &str,
        args: &[(String, ArgValue)],
        content: bool,
    ) -> Result<Formatted, FormatError> {
        let (msg_id, attr) = match id.split_once('.') {
            Some((m, a)) => (m, Some(a)),
            None => (id, None),
        };
        record(msg_id);
        let chain = self
            .chains
            .get(locale)
            .cloned()
            .unwrap_or_else(|| vec![locale.to_string()]);
        for used in &chain {
            let Some(bundle) = self.bundles.get(used) else {
                continue;
            };
            let Some(message) = bundle.get_message(msg_id) else {
                continue;
            };
            let pattern = match attr {
                Some(a) => message.get_attribute(a).map(|at| at.value()),
                None => message.value(),
            };
            let Some(pattern) = pattern else { continue };
            let markup = self.markup.contains(&(used.clone(), id.to_string()));
            let mut fargs = FluentArgs::new();
            for (k, v) in args {
                let value = match v {
                    ArgValue::Number(n) => FluentValue::from(*n),
                    ArgValue::Text(s) if markup => FluentValue::from(escape_html(s)),
                    ArgValue::Text(s) => FluentValue::from(s.clone()),
                };
                fargs.set(k.clone(), value);
            }
            crate::intl::take_errors();
            let mut errors = Vec::new();
            let text = bundle
                .format_pattern(pattern, Some(&fargs), &mut errors)
                .into_owned();
            let mut errors: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            errors.extend(crate::intl::take_errors());
            if !errors.is_empty() {
                return Err(FormatError::Resolve {
                    id: id.to_string(),
                    errors,
                });
            }
            if used != locale {
                if let Ok(mut f) = self.fallbacks.lock() {
                    f.insert(Fallback {
                        locale: locale.to_string(),
                        id: id.to_string(),
                        used: used.clone(),
                    });
                }
            }
            let isolated = self.rtl.contains(used) && text.contains(FSI);
            let (text, markup) = if isolated && !content {
                (text.replace([FSI, PDI], ""), markup)
            } else if isolated {
                let html = if markup { text } else { escape_html(&text) };
                // Marks inside a tag sit in an attribute value (an href argument): drop them.
                let html = strip_isolates_in_tags(&html);
                let html = html.replace(FSI, "<bdi>").replace(PDI, "</bdi>");
                (self.isolating_sanitizer.clean(&html).to_string(), true)
            } else if markup {
                (self.sanitizer.clean(&text).to_string(), true)
            } else {
                (text, false)
            };
            return Ok(Formatted {
                text,
                markup,
                used: used.clone(),
            });
        }
        Err(FormatError::Missing {
            id: id.to_string(),
            tried: chain,
        })
    }

    /// Every fallback used so far, sorted.
    pub fn fallbacks(&self) -> Vec<Fallback> {
        self.fallbacks
            .lock()
            .map(|f| f.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// The allow-list: inline tags only, `href` only on `a`, and only http, https, relative or
/// fragment URLs (anything else, `javascript:` and `data:` included, loses its href).
fn sanitizer(extra: &'static [&'static str]) -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.add_tags(ALLOWED_TAGS)
        .add_tags(extra)
        .add_tag_attributes("a", &["href"])
        .url_schemes(["http", "https"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None);
    b
}

thread_local! {
    static USED: std::cell::RefCell<Option<BTreeSet<String>>> = const { std::cell::RefCell::new(None) };
}

/// Starts recording, on this thread, the ids of the messages formatted until
/// [`take_recording`]: one page renders on one thread, so this is that page's usage.
pub fn start_recording() {
    USED.with(|u| *u.borrow_mut() = Some(BTreeSet::new()));
}

/// Stops recording and returns the ids formatted since [`start_recording`].
pub fn take_recording() -> BTreeSet<String> {
    USED.with(|u| u.borrow_mut().take()).unwrap_or_default()
}

fn record(id: &str) {
    USED.with(|u| {
        if let Some(set) = u.borrow_mut().as_mut() {
            if !set.contains(id) {
                set.insert(id.to_string());
            }
        }
    });
}

/// A template argument passed to a message.
#[derive(Clone, Debug, PartialEq)]
pub enum ArgValue {
    /// A number, selected and formatted by the locale's rules.
    Number(f64),
    /// Text (escaped before it reaches HTML).
    Text(String),
}

/// True when a pattern's text contains an HTML tag (`<a`, `</a`, `<br>`...).
pub fn has_markup(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

/// Removes FSI/PDI marks that sit inside a tag (in an attribute value such as an `href`
/// argument), keeping those in text.
fn strip_isolates_in_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            FSI | PDI if in_tag => continue,
            _ => {}
        }
        out.push(c);
    }
    out
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// Text of sanitized HTML with every tag removed, still escaped for HTML, quotes included, so
/// it is safe inside an attribute value.
pub fn strip_tags(html: &str) -> String {
    let text = ammonia::Builder::empty().clean(html).to_string();
    text.replace('"', "&quot;").replace('\'', "&#x27;")
}

/// The locale's text direction, as the `dir` attribute writes it.
pub fn direction(id: &LanguageIdentifier) -> &'static str {
    if crate::intl::is_rtl(id) {
        "rtl"
    } else {
        "ltr"
    }
}
