//! The template environment: every template of the site, strict undefined, HTML auto-escape,
//! and the `t`, `t_attr` and `link` functions.
//!
//! Errors raised by those functions cross MiniJinja typed: the function returns a MiniJinja
//! error whose source is a [`Failure`] carrying the diagnostic, and [`diagnostic`] downcasts it
//! on the way out, placing it at the .ftl entry when the fault is the message's, or at the
//! template line of the call when it is the template's. The message ids a page formats are
//! recorded in a render-local extension of MiniJinja's `State` ([`Used`]), not in a global.

use std::collections::BTreeSet;
use std::sync::Arc;

use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, State, UndefinedBehavior};

use super::localize::{self, ArgValue, FormatError, Localizer};
use super::memo::{self, Context, Memoed};
use crate::diagnostics::{Code, Diagnostic};
use crate::site::Site;

/// A diagnostic carried through MiniJinja as an error's source.
#[derive(Debug)]
pub struct Failure(pub Box<Diagnostic>);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Failure {}

/// The message ids one render formatted (a render-local `State` extension), each id shared
/// by every page that formats it ([`Interner`]): a build of 20,000 pages keeps these sets
/// until it writes its cache. Every id comes from the one interner, so a repeat is found by
/// pointer; a page formats a few dozen ids, which a list holds more cheaply than a tree.
#[derive(Debug, Default)]
pub struct Used(Vec<Arc<str>>);

impl Used {
    /// The ids, sorted.
    pub fn take(&mut self) -> BTreeSet<Arc<str>> {
        self.0.drain(..).collect()
    }
}

/// One shared copy of each message id recorded in [`Used`].
#[derive(Default)]
struct Interner(std::sync::RwLock<std::collections::HashSet<Arc<str>>>);

impl Interner {
    fn get(&self, id: &str) -> Arc<str> {
        if let Some(found) = self.0.read().ok().and_then(|s| s.get(id).cloned()) {
            return found;
        }
        let id: Arc<str> = Arc::from(id);
        match self.0.write() {
            Ok(mut s) => match s.get(&*id) {
                Some(found) => found.clone(),
                None => {
                    s.insert(id.clone());
                    id
                }
            },
            Err(_) => id,
        }
    }
}

/// The `(id, locale used)` of every message one render took from a fallback locale (a
/// render-local `State` extension), so that a page kept by an incremental build can still
/// list the fallbacks it shows.
#[derive(Debug, Default)]
pub struct UsedFallbacks(pub BTreeSet<(String, String)>);

fn record_fallback(state: &mut State, id: &str, used: &str, lang: &str) {
    if used != lang {
        state
            .get_or_insert_extension_with(UsedFallbacks::default)
            .0
            .insert((id.to_string(), used.to_string()));
    }
}

fn fail(d: Diagnostic) -> minijinja::Error {
    minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, d.message.clone())
        .with_source(Failure(Box::new(d)))
}

/// The environment with every template of the site added. Templates that do not compile were
/// reported by validation; here they are only skipped. `ids` and `edit` add the marks of
/// `serve --ids` and `serve --edit` (see [`super::edit`]).
pub fn environment(
    site: &Site,
    localizer: Arc<Localizer>,
    ids: bool,
    edit: bool,
) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    // Escape the five HTML-significant characters only (MiniJinja also escapes `/`, which
    // makes every URL in the output unreadable without adding safety inside quoted attributes).
    env.set_formatter(|out, _state, value| {
        let written = match (value.is_safe(), value.as_str()) {
            (true, Some(s)) => out.write_str(s),
            (true, None) => out.write_str(&value.to_string()),
            (false, Some(s)) => crate::html::escape_to(out, s),
            (false, None) => crate::html::escape_to(out, &value.to_string()),
        };
        written.map_err(|_| {
            minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "cannot write output")
        })
    });
    for (_, path, bytes) in site.files_under("templates/") {
        let name = path.trim_start_matches("templates/").to_string();
        if let Ok(text) = std::str::from_utf8(bytes) {
            let _ = env.add_template_owned(name, text.to_string());
        }
    }
    let generation = memo::Generation::next();
    let l = localizer.clone();
    let interner = Arc::new(Interner::default());
    let ids_t = interner.clone();
    env.add_function(
        "t",
        move |state: &mut State, id: &str, kwargs: Kwargs| -> Result<Value, minijinja::Error> {
            let lang = current_lang(state)?;
            let lang = lang.as_str().unwrap_or_default();
            // Without arguments the HTML depends on the locale and the id only.
            let plain = kwargs.args().next().is_none();
            if plain {
                let hit = memo::with(generation, lang, id, Context::Content, |m| {
                    replay(state, (lang, id), m)
                });
                if let Some(value) = hit {
                    return Ok(value);
                }
            }
            let f = l
                .format(lang, id, &args(&kwargs)?, true)
                .map_err(|e| fail(format_diagnostic(e, lang)))?;
            let message = ids_t.get(message_of(id));
            record(state, &message);
            record_fallback(state, id, &f.used, lang);
            let html = if f.markup {
                f.text
            } else {
                localize::escape_html(&f.text)
            };
            let html = if f.used != lang {
                format!("<span lang=\"{}\">{html}</span>", f.used)
            } else {
                html
            };
            let html = if ids || edit {
                let id = localize::escape_html(id);
                let title = if ids {
                    format!(" title=\"{id}\"")
                } else {
                    String::new()
                };
                let fallback = if edit && f.used != lang {
                    format!(" data-l10n-fallback=\"{}\"", f.used)
                } else {
                    String::new()
                };
                format!("<span data-l10n-id=\"{id}\"{title}{fallback}>{html}</span>")
            } else {
                html
            };
            let value = Value::from_safe_string(html);
            if plain {
                remember(
                    generation,
                    (lang, id, Context::Content),
                    message,
                    &value,
                    &f.used,
                );
            }
            Ok(value)
        },
    );
    let l = localizer;
    env.add_function(
        "t_attr",
        move |state: &mut State, id: &str, kwargs: Kwargs| -> Result<Value, minijinja::Error> {
            let lang = current_lang(state)?;
            let lang = lang.as_str().unwrap_or_default();
            // The editor's marks differ per call; everything else depends on locale and id.
            let plain = !edit && kwargs.args().next().is_none();
            if plain {
                let hit = memo::with(generation, lang, id, Context::Attribute, |m| {
                    replay(state, (lang, id), m)
                });
                if let Some(value) = hit {
                    return Ok(value);
                }
            }
            let f = l
                .format(lang, id, &args(&kwargs)?, false)
                .map_err(|e| fail(format_diagnostic(e, lang)))?;
            let message = interner.get(message_of(id));
            record(state, &message);
            record_fallback(state, id, &f.used, lang);
            let marker = if edit {
                let fallback = (f.used != lang).then_some(f.used.as_str());
                super::edit::mark(state, id, fallback)
            } else {
                String::new()
            };
            let value = if f.markup {
                Value::from_safe_string(format!("{marker}{}", localize::strip_tags(&f.text)))
            } else {
                Value::from(format!("{marker}{}", f.text))
            };
            if plain {
                remember(
                    generation,
                    (lang, id, Context::Attribute),
                    message,
                    &value,
                    &f.used,
                );
            }
            Ok(value)
        },
    );
    let links = site.links.clone();
    env.add_function(
        "link",
        move |name: String| -> Result<Value, minijinja::Error> {
            links
                .get(&name)
                .map(|u| Value::from(u.clone()))
                .ok_or_else(|| {
                    fail(Diagnostic::new(
                        Code::E503,
                        format!("link `{name}` is not declared under [links] in site.toml"),
                    ))
                })
        },
    );
    env
}

/// The message an id names: `id` without its `.attribute`.
fn message_of(id: &str) -> &str {
    id.split_once('.').map_or(id, |(m, _)| m)
}

/// Notes in the page's [`Used`] that it formatted `message` (an interned id).
fn record(state: &mut State, message: &Arc<str>) {
    let used = &mut state.get_or_insert_extension_with(Used::default).0;
    if !used.iter().any(|u| Arc::ptr_eq(u, message)) {
        used.push(message.clone());
    }
}

/// A memoized call made again on another page: what the first call recorded is recorded for
/// this page too, and its value returned.
fn replay(state: &mut State, (lang, id): (&str, &str), m: &Memoed) -> Value {
    record(state, &m.message);
    if let Some(used) = &m.fallback {
        record_fallback(state, id, used, lang);
    }
    m.value.clone()
}

/// Memoizes a call without arguments (`key` is its locale, id and context) that formatted
/// `message` into `value` with the text of locale `used`.
fn remember(
    generation: memo::Generation,
    (lang, id, context): (&str, &str, Context),
    message: Arc<str>,
    value: &Value,
    used: &str,
) {
    let memoed = Memoed {
        message,
        value: value.clone(),
        fallback: (used != lang).then(|| Arc::from(used)),
    };
    memo::put(generation, lang, id, context, memoed);
}

/// The locale being rendered (the context's `lang`, a string).
fn current_lang(state: &State) -> Result<Value, minijinja::Error> {
    state
        .lookup("lang")
        .filter(|v| v.as_str().is_some())
        .ok_or_else(|| {
            minijinja::Error::new(minijinja::ErrorKind::UndefinedError, "`lang` is not set")
        })
}

fn args(kwargs: &Kwargs) -> Result<Vec<(String, ArgValue)>, minijinja::Error> {
    let mut out = Vec::new();
    for key in kwargs.args() {
        let v: Value = kwargs.get(key)?;
        let arg = match v.as_i64() {
            Some(n) if v.kind() == minijinja::value::ValueKind::Number => {
                ArgValue::Number(n as f64)
            }
            _ => match f64::try_from(v.clone()) {
                Ok(n) if v.kind() == minijinja::value::ValueKind::Number => ArgValue::Number(n),
                _ => ArgValue::Text(v.to_string()),
            },
        };
        out.push((key.to_string(), arg));
    }
    Ok(out)
}

/// The diagnostic for a message that did not format: at the .ftl entry when the entry is at
/// fault, otherwise unplaced (the template call site is filled in by [`diagnostic`]).
fn format_diagnostic(e: FormatError, lang: &str) -> Diagnostic {
    match e {
        FormatError::Missing { ref id, .. } => Diagnostic::new(Code::E501, e.to_string())
            .locale(lang)
            .key(id.clone()),
        FormatError::Resolve {
            id,
            locale,
            code,
            detail,
            at,
        } => {
            let d = Diagnostic::new(code, format!("`{id}` cannot be formatted: {detail}"))
                .locale(locale)
                .key(id);
            match at {
                Some((file, span)) => d.at(file, span),
                None => d,
            }
        }
    }
}

/// Turns a MiniJinja error of a render into a diagnostic. A [`Failure`] from our functions keeps
/// its code and place; otherwise (and for an unplaced failure) the diagnostic points at the
/// template line MiniJinja names. `page` is the output path, named in the message.
pub fn diagnostic(site: &Site, e: &minijinja::Error, locale: &str, page: &str) -> Diagnostic {
    let mut source = std::error::Error::source(e);
    let mut carried = None;
    while let Some(s) = source {
        if let Some(f) = s.downcast_ref::<Failure>() {
            carried = Some((*f.0).clone());
            break;
        }
        source = s.source();
    }
    let template_place = e.name().and_then(|name| {
        let path = format!("templates/{name}");
        let file = site.files.id(&path)?;
        let len = site.files.bytes(file).len();
        Some(match e.range() {
            Some(r) => (file, r.start.min(len)..r.end.min(len), path),
            None => {
                let span = site
                    .files
                    .line_range(file, e.line().unwrap_or(0))
                    .unwrap_or(0..0);
                (file, span, path)
            }
        })
    });
    let where_ = template_place
        .as_ref()
        .map(|(file, span, path)| {
            let (line, _) = site.files.line_col(*file, span.start);
            format!("{path}:{line}")
        })
        .unwrap_or_else(|| "a template".to_string());
    match carried {
        Some(d) if d.file.is_some() => {
            let help = format!("{} (while rendering {where_} for {page})", d.help);
            d.help(help)
        }
        Some(d) => {
            let d = match &template_place {
                Some((file, span, _)) => d.at(*file, span.clone()),
                None => d,
            };
            let message = format!("{} (on {page})", d.message);
            Diagnostic { message, ..d }
        }
        None => {
            let detail = e
                .detail()
                .map(str::to_string)
                .unwrap_or_else(|| e.kind().to_string());
            let d = Diagnostic::new(Code::E502, format!("{detail} (on {page})")).locale(locale);
            match template_place {
                Some((file, span, _)) => d.at(file, span),
                None => d,
            }
        }
    }
}
