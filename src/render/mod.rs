//! Render stage: templates plus catalogs into one page set per locale, the shared assets, the
//! sitemap and the root language picker — all in memory, as a [`RenderedSite`].
//!
//! Rendering is a pure function of the loaded site: nothing here touches the disk, which lets
//! `serve` and the tests render without writing.

mod links;
pub mod localize;
mod sitemap;

use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, State, UndefinedBehavior};
use serde::Serialize;

use crate::catalog::Catalogs;
use crate::diagnostics::{Code, Diagnostic};
use crate::site::Site;
pub use links::{attributes, check_links, relative_prefix, Attr};
pub use localize::{ArgValue, Fallback, Localizer};

/// Options for one render.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Use the fallback chain for missing messages instead of failing.
    pub allow_fallback: bool,
    /// Wrap every `t()` result in `<span data-l10n-id="ID" title="ID">` (live preview only).
    pub ids: bool,
    /// Pseudo-locales to render; [`crate::pseudo::add`] must have added them to the site.
    pub pseudo: Vec<crate::pseudo::Pseudo>,
}

/// The whole output tree in memory: output-relative path → bytes, in path order.
#[derive(Clone, Debug, Default)]
pub struct RenderedSite {
    /// Every file to write.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Pages rendered per locale.
    pub pages_per_locale: BTreeMap<String, usize>,
    /// Messages that came from a fallback locale.
    pub fallbacks: Vec<Fallback>,
}

#[derive(Serialize)]
struct Alternate {
    lang: String,
    name: String,
    href: String,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    output: &'a str,
    template: &'a str,
    vars: &'a BTreeMap<String, toml::Value>,
}

/// Renders every page of every locale, the assets, sitemap.xml and the root index.html.
pub fn render(
    site: &Site,
    catalogs: &Catalogs,
    opts: &RenderOptions,
) -> Result<RenderedSite, Vec<Diagnostic>> {
    let localizer = Localizer::with_pseudo(site, catalogs, opts.allow_fallback, &opts.pseudo);
    let (env, mut diags) = environment(site, localizer.clone(), opts.ids);
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut out = RenderedSite::default();
    let names = language_names(site, &localizer);
    for locale in site.locales() {
        let mut count = 0;
        for page in &site.pages {
            let path = format!("{}/{}", locale.code, page.output);
            let root = relative_prefix(&path);
            let alternates: Vec<Alternate> = site
                .locales()
                .map(|l| {
                    let rel = format!("{}{}/{}", root, l.code, page.output);
                    Alternate {
                        lang: l.code.clone(),
                        name: names
                            .get(&l.code)
                            .cloned()
                            .unwrap_or_else(|| l.code.clone()),
                        url: absolute(site, &format!("{}/{}", l.code, page.output))
                            .unwrap_or_else(|| rel.clone()),
                        href: rel,
                        current: l.code == locale.code,
                    }
                })
                .collect();
            let x_default = alternates
                .first()
                .map(|a| a.url.clone())
                .unwrap_or_default();
            let ctx = minijinja::context! {
                lang => &locale.code,
                dir => localize::direction(&locale.id),
                root => &root,
                page => Value::from(minijinja::value::Serde(PageCtx { output: &page.output, template: &page.template, vars: &page.vars })),
                alternates => Value::from(minijinja::value::Serde(&alternates)),
                x_default => x_default,
                canonical => absolute(site, &path),
            };
            let result = env.get_template(&page.template).and_then(|t| t.render(ctx));
            match result {
                Ok(html) => {
                    out.files.insert(path, html.into_bytes());
                    count += 1;
                }
                Err(e) => diags.push(template_diagnostic(site, &e, &locale.code)),
            }
        }
        out.pages_per_locale.insert(locale.code.clone(), count);
    }
    for (path, bytes) in site.files_under("assets/") {
        out.files.insert(path.clone(), bytes.clone());
    }
    if !site.pages.is_empty() {
        out.files
            .insert("sitemap.xml".into(), sitemap::sitemap(site).into_bytes());
        out.files.insert(
            "index.html".into(),
            sitemap::root_page(site, &names).into_bytes(),
        );
    }
    diags.extend(check_links(site, &out.files));
    if !diags.is_empty() {
        crate::diagnostics::sort(&mut diags);
        return Err(diags);
    }
    out.fallbacks = localizer.fallbacks();
    Ok(out)
}

/// Each locale's name in its own language, from its `language-name` message.
fn language_names(site: &Site, localizer: &Localizer) -> BTreeMap<String, String> {
    site.locales()
        .map(|l| {
            let name = localizer
                .format(&l.code, "language-name", &[], false)
                .map(|f| f.text)
                .unwrap_or_else(|_| l.code.clone());
            (l.code.clone(), name)
        })
        .collect()
}

/// The absolute URL of an output path when the site has a base URL.
fn absolute(site: &Site, path: &str) -> Option<String> {
    site.base_url.as_ref().map(|b| format!("{b}{path}"))
}

/// The template environment: every template of the site, strict undefined, HTML auto-escape,
/// and the `t`, `t_attr` and `link` functions.
fn environment(
    site: &Site,
    localizer: Arc<Localizer>,
    ids: bool,
) -> (Environment<'static>, Vec<Diagnostic>) {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    // Escape the five HTML-significant characters only (MiniJinja also escapes `/`, which
    // makes every URL in the output unreadable without adding safety inside quoted attributes).
    env.set_formatter(|out, _state, value| {
        let text = if value.is_safe() {
            value.to_string()
        } else {
            localize::escape_html(&value.to_string())
        };
        out.write_str(&text).map_err(|_| {
            minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "cannot write output")
        })
    });
    let mut diags = Vec::new();
    for (path, bytes) in site.files_under("templates/") {
        let name = path.trim_start_matches("templates/").to_string();
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.to_string(),
            Err(e) => {
                diags.push(crate::site::utf8_diagnostic(path, bytes, &e));
                continue;
            }
        };
        if let Err(e) = env.add_template_owned(name, text) {
            diags.push(template_diagnostic(site, &e, ""));
        }
    }
    let l = localizer.clone();
    env.add_function(
        "t",
        move |state: &State, id: String, kwargs: Kwargs| -> Result<Value, minijinja::Error> {
            let lang = current_lang(state)?;
            let f = l
                .format(&lang, &id, &args(&kwargs)?, true)
                .map_err(to_template_error)?;
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
            let html = if ids {
                let id = localize::escape_html(&id);
                format!("<span data-l10n-id=\"{id}\" title=\"{id}\">{html}</span>")
            } else {
                html
            };
            Ok(Value::from_safe_string(html))
        },
    );
    let l = localizer;
    env.add_function(
        "t_attr",
        move |state: &State, id: String, kwargs: Kwargs| -> Result<Value, minijinja::Error> {
            let lang = current_lang(state)?;
            let f = l
                .format(&lang, &id, &args(&kwargs)?, false)
                .map_err(to_template_error)?;
            Ok(if f.markup {
                Value::from_safe_string(localize::strip_tags(&f.text))
            } else {
                Value::from(f.text)
            })
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
                    minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!(
                            "{}: link `{name}` is not declared under [links] in site.toml",
                            Code::E503
                        ),
                    )
                })
        },
    );
    (env, diags)
}

fn current_lang(state: &State) -> Result<String, minijinja::Error> {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().map(str::to_string))
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

fn to_template_error(e: localize::FormatError) -> minijinja::Error {
    let code = match e {
        localize::FormatError::Missing { .. } => Code::E501,
        localize::FormatError::Resolve { .. } => Code::E502,
    };
    minijinja::Error::new(
        minijinja::ErrorKind::InvalidOperation,
        format!("{code}: {e}"),
    )
}

/// Turns a MiniJinja error into a diagnostic at the template and line it names. Errors raised by
/// our own functions carry their code as a `E###: ` prefix.
fn template_diagnostic(site: &Site, e: &minijinja::Error, locale: &str) -> Diagnostic {
    let detail = e
        .detail()
        .map(str::to_string)
        .unwrap_or_else(|| e.kind().to_string());
    let (code, message) = match detail.split_once(": ") {
        Some((c, rest)) if Code::parse(c).is_some() => {
            (Code::parse(c).unwrap_or(Code::E502), rest.to_string())
        }
        _ => (Code::E502, detail.clone()),
    };
    let mut d = Diagnostic::new(code, message);
    if let Some(name) = e.name() {
        let path = format!("templates/{name}");
        let src = site.text(&path);
        d = match (e.range(), src) {
            (Some(range), Some(src)) => d.at(&path, src, range),
            _ => d.at_line(&path, src, e.line().unwrap_or(0)),
        };
    }
    if !locale.is_empty() {
        d = d.locale(locale);
    }
    d
}
