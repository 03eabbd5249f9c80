//! Variant preview: the page rendered with one select expression of one message forced to one
//! of its variants, so a translator sees `[one]`, `[few]` or `[many]` in place even when the
//! page's own numbers pick `[other]`.
//!
//! `GET /PAGE?ftlsite-variant=ID:N:KEY` (`ID` may be `id.attr`) renders `PAGE` from the last
//! good build's files with select `N` (0-based, in source order: outer selects before the ones
//! inside their variants) of `ID`'s pattern given a literal selector that matches `KEY`: a
//! string for a name (`"one"`), a number for a number key (`0`). The rewrite is made in
//! memory, to the file the page takes the message from (the translation, or the fallback
//! locale's file when it is missing); nothing is written. Only that page is rendered.

use fluent_syntax::ast;
use serde::Serialize;

use super::super::preview::Snapshot;
use super::super::{inject, Problem};
use super::{json_error, split_id, Editor};
use crate::render::localize::fallback_chain;
use crate::serve::http::Response;

/// One select expression of a pattern, as the panel lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SelectView {
    /// Its index in the pattern, the `N` of the preview parameter.
    pub index: usize,
    /// The selector as written in short: `$count`, `NUMBER($n)`, `-brand.gender`.
    pub selector: String,
    /// Whether the variants are chosen by plural category.
    pub plural: bool,
    /// The variant keys in order.
    pub keys: Vec<KeyView>,
}

/// One variant key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyView {
    /// The key as written.
    pub name: String,
    /// Marked default with `*`.
    pub default: bool,
}

/// What [`each_select`] calls with each select: its selector (to rewrite) and its variants.
type OnSelect<'f, 's> =
    dyn FnMut(&mut ast::InlineExpression<&'s str>, &[ast::Variant<&'s str>]) + 'f;

/// Calls `f` on every select expression of `pattern`, in source order, with its selector and
/// variants.
fn each_select<'s>(pattern: &mut ast::Pattern<&'s str>, f: &mut OnSelect<'_, 's>) {
    for element in &mut pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            each_in_expression(expression, f);
        }
    }
}

fn each_in_expression<'s>(expression: &mut ast::Expression<&'s str>, f: &mut OnSelect<'_, 's>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            f(selector, variants);
            for v in variants.iter_mut() {
                each_select(&mut v.value, f);
            }
        }
        ast::Expression::Inline(ast::InlineExpression::Placeable { expression }) => {
            each_in_expression(expression, f);
        }
        ast::Expression::Inline(_) => {}
    }
}

/// The pattern of message `id` (`attribute: None`: its value) in `resource`.
fn pattern_mut<'r, 's>(
    resource: &'r mut ast::Resource<&'s str>,
    id: &str,
    attribute: Option<&str>,
) -> Option<&'r mut ast::Pattern<&'s str>> {
    resource.body.iter_mut().find_map(|e| match e {
        ast::Entry::Message(m) if m.id.name == id => match attribute {
            None => m.value.as_mut(),
            Some(a) => m
                .attributes
                .iter_mut()
                .find(|at| at.id.name == a)
                .map(|at| &mut at.value),
        },
        _ => None,
    })
}

fn parse(text: &str) -> ast::Resource<&str> {
    match fluent_syntax::parser::parse(text) {
        Ok(r) | Err((r, _)) => r,
    }
}

/// Every select of message `id`'s pattern in the Fluent `text`.
pub fn selects(text: &str, id: &str, attribute: Option<&str>) -> Vec<SelectView> {
    let mut resource = parse(text);
    let mut out = Vec::new();
    if let Some(pattern) = pattern_mut(&mut resource, id, attribute) {
        each_select(pattern, &mut |selector, variants| {
            let keys: Vec<ast::VariantKey<&str>> = variants.iter().map(|v| v.key.clone()).collect();
            out.push(SelectView {
                index: out.len(),
                selector: selector_text(selector),
                plural: crate::catalog::is_plural_select(selector, &keys),
                keys: variants
                    .iter()
                    .map(|v| KeyView {
                        name: key_name(&v.key).to_string(),
                        default: v.default,
                    })
                    .collect(),
            });
        });
    }
    out
}

fn key_name<'s>(key: &ast::VariantKey<&'s str>) -> &'s str {
    match key {
        ast::VariantKey::Identifier { name } => name,
        ast::VariantKey::NumberLiteral { value } => value,
    }
}

/// A selector in short, for the panel.
fn selector_text(e: &ast::InlineExpression<&str>) -> String {
    use ast::InlineExpression as I;
    match e {
        I::StringLiteral { value } => format!("\"{value}\""),
        I::NumberLiteral { value } => value.to_string(),
        I::VariableReference { id } => format!("${}", id.name),
        I::FunctionReference { id, arguments } => {
            let args: Vec<String> = arguments.positional.iter().map(selector_text).collect();
            format!("{}({})", id.name, args.join(", "))
        }
        I::MessageReference { id, attribute } | I::TermReference { id, attribute, .. } => {
            let dash = if matches!(e, I::TermReference { .. }) {
                "-"
            } else {
                ""
            };
            match attribute {
                Some(a) => format!("{dash}{}.{}", id.name, a.name),
                None => format!("{dash}{}", id.name),
            }
        }
        I::Placeable { .. } => "{…}".to_string(),
    }
}

/// `text` with select `index` of message `id`'s pattern forced to the variant `key`, or `None`
/// when there is no such select or key. The result is re-serialized by fluent-syntax (layout
/// and Junk are not kept: it is only rendered, never written).
pub fn forced(
    text: &str,
    id: &str,
    attribute: Option<&str>,
    index: usize,
    key: &str,
) -> Option<String> {
    let mut resource = parse(text);
    let pattern = pattern_mut(&mut resource, id, attribute)?;
    let mut seen = 0;
    let mut done = false;
    each_select(pattern, &mut |selector, variants| {
        if seen == index {
            let literal = variants.iter().find_map(|v| match v.key {
                ast::VariantKey::Identifier { name } if name == key => {
                    Some(ast::InlineExpression::StringLiteral { value: name })
                }
                ast::VariantKey::NumberLiteral { value } if value == key => {
                    Some(ast::InlineExpression::NumberLiteral { value })
                }
                _ => None,
            });
            if let Some(literal) = literal {
                *selector = literal;
                done = true;
            }
        }
        seen += 1;
    });
    done.then(|| fluent_syntax::serializer::serialize(&resource))
}

/// The variant preview of the output page `rel` (`LOCALE/PATH`) for the parameter `spec`
/// (`ID:N:KEY`), with the preview's snippet.
pub fn page(editor: &Editor, rel: &str, spec: &str, snap: &Snapshot) -> Response {
    let mut parts = spec.rsplitn(3, ':');
    let (Some(key), Some(index), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return json_error(400, "ftlsite-variant is ID:N:KEY");
    };
    let (Some((msg, attr)), Ok(index)) = (split_id(id), index.parse::<usize>()) else {
        return json_error(400, "ftlsite-variant is ID:N:KEY");
    };
    let Some((locale, output)) = rel.split_once('/') else {
        return json_error(404, "not a page of a locale");
    };
    let rendered = editor.with_loaded(|builder, site, catalogs| {
        let page = site.pages.iter().position(|p| p.output == output)?;
        let lang = site.locales().find(|l| l.code == locale)?;
        let (path, text) = fallback_chain(site, lang).iter().find_map(|code| {
            let catalog = catalogs.get(code)?;
            let file = catalog.file_of(catalog.message(msg)?);
            Some((file.path.clone(), site.text(&file.path)?.to_string()))
        })?;
        let text = forced(&text, msg, attr, index, key)?;
        let mut site = site.clone();
        site.files.insert(path, text.into_bytes());
        let (catalogs, _) = crate::catalog::load(&site);
        builder.render_page(&site, &catalogs, page, locale)
    });
    match rendered {
        Err(refused) => refused,
        Ok(None) => json_error(
            404,
            &format!("no page {rel} with select {index} and variant [{key}] in `{id}`"),
        ),
        Ok(Some(Err(problems))) => json(500, &problems),
        Ok(Some(Ok(html))) => Response {
            status: 200,
            content_type: "text/html; charset=utf-8",
            headers: Vec::new(),
            body: inject::page(&String::from_utf8_lossy(&html), snap).into_bytes(),
        },
    }
}

fn json(status: u16, problems: &[Problem]) -> Response {
    super::json(status, &serde_json::json!({ "problems": problems }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FTL: &str = "a = { $n ->\n    [one] One { $g ->\n        [f] F\n       *[m] M\n    }\n    [0] Zero\n   *[other] Many\n}\n    .title = { $x ->\n       *[y] Y\n    }\nb = B\n";

    #[test]
    fn selects_are_listed_outer_first() {
        let s = selects(FTL, "a", None);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].index, s[0].selector.as_str()), (0, "$n"));
        let keys: Vec<&str> = s[0].keys.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(keys, ["one", "0", "other"]);
        assert!(s[0].keys[2].default && s[0].plural);
        assert_eq!((s[1].index, s[1].selector.as_str()), (1, "$g"));
        assert!(!s[1].plural, "`f` and `m` are not plural categories");
        assert_eq!(selects(FTL, "a", Some("title"))[0].selector, "$x");
        assert!(selects(FTL, "b", None).is_empty());
    }

    #[test]
    fn a_forced_variant_is_what_fluent_formats() {
        let format = |text: &str| {
            let res = fluent_bundle::FluentResource::try_new(text.to_string()).unwrap();
            let mut bundle = fluent_bundle::FluentBundle::new(vec!["en-US".parse().unwrap()]);
            bundle.set_use_isolating(false);
            bundle.add_resource(res).unwrap();
            let msg = bundle.get_message("a").unwrap();
            let mut args = fluent_bundle::FluentArgs::new();
            args.set("n", 5);
            args.set("g", "f");
            let mut errors = Vec::new();
            bundle
                .format_pattern(msg.value().unwrap(), Some(&args), &mut errors)
                .into_owned()
        };
        assert_eq!(format(FTL), "Many");
        assert_eq!(format(&forced(FTL, "a", None, 0, "one").unwrap()), "One F");
        assert_eq!(format(&forced(FTL, "a", None, 0, "0").unwrap()), "Zero");
        let inner = forced(
            &forced(FTL, "a", None, 0, "one").unwrap(),
            "a",
            None,
            1,
            "m",
        );
        assert_eq!(format(&inner.unwrap()), "One M");
        assert_eq!(forced(FTL, "a", None, 0, "few"), None);
        assert_eq!(forced(FTL, "a", None, 5, "one"), None);
        assert_eq!(forced(FTL, "b", None, 0, "one"), None);
    }
}
