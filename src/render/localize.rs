//! Message formatting for templates: `t()`, `t_attr()` and the fallback chain.
//!
//! Translated text is untrusted. A message without markup is returned as plain text and
//! MiniJinja's HTML auto-escaping escapes it. A message with inline markup has its arguments
//! escaped first, is formatted, then reduced by ammonia to the allow-list (`a`, `strong`, `em`,
//! `code`, `br`; `href` http, https, relative or `#`), and only then marked safe.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, Mutex, RwLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::resolver::errors::ReferenceKind;
use fluent_bundle::resolver::ResolverError;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::catalog::{ArgKind, Catalogs, EntryKind, FunctionCall};
use crate::diagnostics::{Code, FileId};
use crate::site::Site;

pub use crate::site::fallback_chain;

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
                    .any(|s| s.plural && s.keys.iter().all(|k| !k.numeric))
            })
        })
        .map(|e| e.file)
        .collect()
}

/// FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, which Fluent puts around placeables.
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

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
    /// The message exists but cannot be formatted: a fault of the .ftl entry (`at` names it)
    /// or, for a variable the template does not pass, of the template.
    Resolve {
        /// The id asked for.
        id: String,
        /// The locale whose message was tried.
        locale: String,
        /// The code the fault is reported under.
        code: Code,
        /// What went wrong.
        detail: String,
        /// Where the entry is written, when the fault is the entry's: file and span of its id.
        at: Option<(FileId, Range<usize>)>,
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
            FormatError::Resolve { id, detail, .. } => write!(f, "message `{id}`: {detail}"),
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

/// One message as formatted for an attribute value (index 0) and for element content (index 1),
/// each once it has been asked for.
type Slots = [Option<Formatted>; 2];

/// Fluent bundles of every locale plus the rules for choosing among them.
pub struct Localizer {
    bundles: BTreeMap<String, FluentBundle<Arc<FluentResource>>>,
    chains: BTreeMap<String, Vec<String>>,
    markup: HashSet<(String, String)>,
    /// Where each message is written, per locale: file and span of its id.
    origins: HashMap<(String, String), (FileId, Range<usize>)>,
    /// Function calls with a variable argument, per (locale, id or id.attr): checked against
    /// the template's arguments before formatting, since fluent-bundle prints `NAME()` for a
    /// call that fails and reports nothing.
    calls: HashMap<(String, String), Vec<FunctionCall>>,
    ids: BTreeMap<String, LanguageIdentifier>,
    /// Pseudo-locales by code: their formatted text goes through [`crate::pseudo::Pseudo::apply`].
    pseudo: BTreeMap<String, crate::pseudo::Pseudo>,
    fallbacks: Mutex<BTreeSet<Fallback>>,
    sanitizer: ammonia::Builder<'static>,
    isolating_sanitizer: ammonia::Builder<'static>,
    rtl: HashSet<String>,
    /// Argument-free messages as formatted, per locale, id and context (content, attribute): a
    /// page set formats the same header, footer and shared strings on every page.
    cache: RwLock<HashMap<String, HashMap<String, Slots>>>,
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
        let mut origins = HashMap::new();
        let mut calls = HashMap::new();
        let mut ids = BTreeMap::new();
        let mut pseudo_of = BTreeMap::new();
        for locale in site.locales() {
            ids.insert(locale.code.clone(), locale.id.clone());
            let mut bundle = FluentBundle::new_concurrent(vec![locale.id.clone()]);
            // Isolation marks only where they matter (right-to-left text); `format` turns them
            // into <bdi> in element content and removes them from attribute values.
            bundle.set_use_isolating(crate::intl::is_rtl(&locale.id));
            crate::intl::add_functions(&mut bundle, &locale.id);
            if let Some(p) = pseudo.iter().find(|p| p.code() == locale.code) {
                pseudo_of.insert(locale.code.clone(), *p);
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
                    if entry.kind != EntryKind::Message {
                        continue;
                    }
                    let file = catalog.file_of(entry);
                    let start = entry.offset + file.base;
                    origins.insert(
                        (locale.code.clone(), entry.id.clone()),
                        (file.id, start..start + entry.id.len()),
                    );
                    for (attr, p) in entry.patterns() {
                        let id = match attr {
                            Some(a) => format!("{}.{a}", entry.id),
                            None => entry.id.clone(),
                        };
                        let with_vars: Vec<FunctionCall> = p
                            .calls
                            .iter()
                            .filter(|c| {
                                c.positional
                                    .iter()
                                    .any(|a| matches!(a.kind, ArgKind::Variable(_)))
                            })
                            .cloned()
                            .collect();
                        if !with_vars.is_empty() {
                            calls.insert((locale.code.clone(), id.clone()), with_vars);
                        }
                        if crate::html::has_markup(&p.text) {
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
            origins,
            calls,
            ids,
            pseudo: pseudo_of,
            fallbacks: Mutex::new(BTreeSet::new()),
            sanitizer: sanitizer(&[]),
            isolating_sanitizer: sanitizer(&["bdi"]),
            rtl,
            cache: RwLock::new(HashMap::new()),
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
        if !args.is_empty() {
            return self.format_uncached(locale, id, args, content);
        }
        let slot = usize::from(content);
        let cached = self.cache.read().ok().and_then(|c| {
            c.get(locale)
                .and_then(|m| m.get(id))
                .and_then(|s| s[slot].clone())
        });
        if let Some(f) = cached {
            return Ok(f);
        }
        let f = self.format_uncached(locale, id, args, content)?;
        if let Ok(mut c) = self.cache.write() {
            c.entry(locale.to_string())
                .or_default()
                .entry(id.to_string())
                .or_default()[slot] = Some(f.clone());
        }
        Ok(f)
    }

    /// [`format`](Self::format) without the cache: formats through Fluent every time.
    fn format_uncached(
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
        let own;
        let chain: &[String] = match self.chains.get(locale) {
            Some(c) => c,
            None => {
                own = [locale.to_string()];
                &own
            }
        };
        for used in chain {
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
            self.check_calls(used, id, &fargs)?;
            let mut errors = Vec::new();
            let text = bundle
                .format_pattern(pattern, Some(&fargs), &mut errors)
                .into_owned();
            if let Some(e) = errors.first() {
                return Err(self.resolve_error(used, id, msg_id, e));
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
            let text = match self.pseudo.get(used) {
                Some(p) => p.apply(&text, markup),
                None => text,
            };
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
            tried: chain.to_vec(),
        })
    }

    /// E308 before formatting: a function call whose variable argument, as the template passes
    /// it, cannot format (`NUMBER($n)` with `n="abc"`).
    fn check_calls(&self, locale: &str, id: &str, args: &FluentArgs) -> Result<(), FormatError> {
        let Some(calls) = self.calls.get(&(locale.to_string(), id.to_string())) else {
            return Ok(());
        };
        let Some(lang) = self.ids.get(locale) else {
            return Ok(());
        };
        for call in calls {
            let mut positional = Vec::new();
            for a in &call.positional {
                positional.push(match &a.kind {
                    ArgKind::String(s) => FluentValue::from(s.as_str()),
                    ArgKind::Number(n) => FluentValue::try_number(n),
                    ArgKind::Variable(v) => match args.get(v.as_str()) {
                        Some(value) => value.clone(),
                        // Fluent reports the missing variable itself.
                        None => return Ok(()),
                    },
                    ArgKind::Other => return Ok(()),
                });
            }
            let mut named = FluentArgs::new();
            for (name, a) in &call.named {
                match &a.kind {
                    ArgKind::String(s) => named.set(name.as_str(), s.as_str()),
                    ArgKind::Number(n) => named.set(name.as_str(), FluentValue::try_number(n)),
                    _ => return Ok(()),
                }
            }
            if let Err(e) = crate::intl::check_call(lang, &call.name, &positional, &named) {
                return Err(FormatError::Resolve {
                    id: id.to_string(),
                    locale: locale.to_string(),
                    code: Code::E308,
                    detail: format!(
                        "{}(): {e}, with the arguments the template passes",
                        call.name
                    ),
                    at: self.origin(locale, id),
                });
            }
        }
        Ok(())
    }

    fn origin(&self, locale: &str, id: &str) -> Option<(FileId, Range<usize>)> {
        let msg = id.split_once('.').map_or(id, |(m, _)| m);
        self.origins
            .get(&(locale.to_string(), msg.to_string()))
            .cloned()
    }

    /// Classifies fluent-bundle's first error: a fault of the entry (cycle, reference, function)
    /// is placed at the entry; a variable the template does not pass is the template's.
    fn resolve_error(&self, locale: &str, id: &str, msg_id: &str, e: &FluentError) -> FormatError {
        let (code, detail, template) = match e {
            FluentError::ResolverError(r) => match r {
                ResolverError::Cyclic => (Code::E306, "its references form a cycle".to_string(), false),
                ResolverError::TooManyPlaceables => (Code::E309, "it expands to too many placeables".to_string(), false),
                ResolverError::Reference(ReferenceKind::Variable { id: var }) => (
                    Code::E502,
                    format!("the template does not pass the variable `${var}`; call t(\"{id}\", {var}=...)"),
                    true,
                ),
                ResolverError::Reference(ReferenceKind::Function { id: f }) => {
                    (Code::E307, format!("there is no function `{f}()`"), false)
                }
                ResolverError::Reference(_) => (Code::E303, r.to_string(), false),
                _ => (Code::E502, r.to_string(), false),
            },
            other => (Code::E502, other.to_string(), false),
        };
        FormatError::Resolve {
            id: id.to_string(),
            locale: locale.to_string(),
            code,
            detail,
            at: if template {
                None
            } else {
                self.origin(locale, msg_id)
            },
        }
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
    b.add_tags(crate::html::INLINE_TAGS)
        .add_tags(extra)
        .add_tag_attributes("a", &["href"])
        .url_schemes(["http", "https"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None);
    b
}

/// A template argument passed to a message.
#[derive(Clone, Debug, PartialEq)]
pub enum ArgValue {
    /// A number, selected and formatted by the locale's rules.
    Number(f64),
    /// Text (escaped before it reaches HTML).
    Text(String),
}

/// Removes FSI/PDI marks that sit inside a tag (in an attribute value such as an `href`
/// argument), keeping those in text.
fn strip_isolates_in_tags(html: &str) -> String {
    crate::html::map_nodes(html, |node, body| match node {
        crate::html::Node::Start(_) => Some(body.replace([FSI, PDI], "")),
        _ => None,
    })
}

pub use crate::html::escape as escape_html;

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
