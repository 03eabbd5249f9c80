//! The terminology glossary: `glossary.toml` at the site root, parsed with positions.
//!
//! Each `[[term]]` names a source term and what each locale must (and must not) write for it:
//!
//! ```toml
//! [[term]]
//! source = "Payment Data"
//! strict = true                  # violations are errors (E701/E702), not warnings
//! note = "Defined term of the customer agreements."
//! [term.translations.zh-CN]
//! required = "付款数据"
//! forbidden = ["支付数据"]
//!
//! [[term]]
//! source = "troubleshoot"
//! forms = ["troubleshooting", "troubleshooter"]   # more source spellings of the term
//! [term.translations.zh-CN]
//! required = "故障排除"
//! forbidden = ["排查"]
//!
//! [[term]]
//! source = "Azure"
//! do-not-translate = true        # every locale keeps it as written (W703)
//! fluent-term = "-brand-azure"   # named in the hint
//! ```
//!
//! Matching ([`Matcher`]) is by words for Latin scripts, ignoring case, with a plural `s` or
//! `es` allowed, and by substring for CJK. Faults are E001 at `glossary.toml:line:col`.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::validate::qa::text::is_cjk;

/// The glossary's file name at the site root (or the root of a bare tree).
pub const GLOSSARY_FILE: &str = "glossary.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    term: Vec<TermToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TermToml {
    source: Spanned<String>,
    #[serde(default)]
    forms: Vec<String>,
    #[serde(default)]
    strict: bool,
    #[serde(default)]
    do_not_translate: bool,
    #[serde(default)]
    fluent_term: Option<Spanned<String>>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    translations: BTreeMap<Spanned<String>, RenderingToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RenderingToml {
    #[serde(default)]
    required: Option<Spanned<String>>,
    #[serde(default)]
    forbidden: Vec<Spanned<String>>,
}

/// What one locale must and must not write for a term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendering {
    /// The rendering a translation of a source containing the term must contain.
    pub required: Option<String>,
    /// Renderings it must not contain.
    pub forbidden: Vec<String>,
}

/// One glossary entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// The source term as written in the glossary.
    pub source: String,
    /// Other spellings of the source term.
    pub forms: Vec<String>,
    /// Violations are errors.
    pub strict: bool,
    /// The term stays as the source writes it in every locale.
    pub do_not_translate: bool,
    /// The Fluent term holding it (`-brand-azure`), for hints.
    pub fluent_term: Option<String>,
    /// A note for translators.
    pub note: Option<String>,
    /// Byte span of `source` in the glossary file.
    pub span: Range<usize>,
    /// Renderings by locale code.
    pub translations: BTreeMap<String, Rendering>,
}

/// A parsed glossary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glossary {
    /// The glossary's file in the site's source map.
    pub file: FileId,
    /// The entries in file order.
    pub terms: Vec<Term>,
}

/// Parses glossary text; every fault is an E001 at its place.
pub fn parse(file: FileId, text: &str) -> Result<Glossary, Vec<Diagnostic>> {
    let raw: File = toml::from_str(text).map_err(|e| {
        vec![Diagnostic::new(
            Code::E001,
            format!("{GLOSSARY_FILE}: {}", e.message().trim()),
        )
        .at(file, e.span().unwrap_or(0..0))
        .help("see the glossary format in docs/site-format.md")]
    })?;
    let mut diags = Vec::new();
    let unquote = |s: Range<usize>| -> Range<usize> {
        match text.get(s.clone()) {
            Some(r) if r.len() >= 2 && (r.starts_with('"') || r.starts_with('\'')) => {
                s.start + 1..s.end - 1
            }
            _ => s,
        }
    };
    let mut terms = Vec::new();
    for t in raw.term {
        let span = unquote(t.source.span());
        if t.source.get_ref().trim().is_empty() {
            diags.push(
                Diagnostic::new(Code::E001, "a glossary term has an empty `source`")
                    .at(file, span.clone()),
            );
        }
        if !t.do_not_translate && t.translations.is_empty() {
            diags.push(
                Diagnostic::new(Code::E001, format!("the glossary term `{}` has no translations and is not do-not-translate", t.source.get_ref()))
                    .at(file, span.clone())
                    .help("add [term.translations.<locale>] with `required` or `forbidden`, or `do-not-translate = true`"),
            );
        }
        if let Some(f) = &t.fluent_term {
            if !f.get_ref().starts_with('-') || f.get_ref().len() < 2 {
                diags.push(
                    Diagnostic::new(
                        Code::E001,
                        format!("`fluent-term` `{}` is not a term id", f.get_ref()),
                    )
                    .at(file, unquote(f.span()))
                    .help("write the term as Fluent references it, with its dash: -brand-name"),
                );
            }
        }
        let mut translations = BTreeMap::new();
        for (locale, r) in t.translations {
            let empty = |s: &Spanned<String>| s.get_ref().trim().is_empty();
            for s in r.required.iter().chain(&r.forbidden) {
                if empty(s) {
                    diags.push(
                        Diagnostic::new(Code::E001, "an empty rendering")
                            .at(file, unquote(s.span())),
                    );
                }
            }
            if r.required.is_none() && r.forbidden.is_empty() {
                diags.push(
                    Diagnostic::new(
                        Code::E001,
                        format!(
                            "`{}` gives neither `required` nor `forbidden`",
                            locale.get_ref()
                        ),
                    )
                    .at(file, unquote(locale.span())),
                );
            }
            translations.insert(
                locale.get_ref().clone(),
                Rendering {
                    required: r.required.map(|s| s.into_inner()),
                    forbidden: r.forbidden.into_iter().map(Spanned::into_inner).collect(),
                },
            );
        }
        terms.push(Term {
            source: t.source.get_ref().clone(),
            forms: t.forms,
            strict: t.strict,
            do_not_translate: t.do_not_translate,
            fluent_term: t.fluent_term.map(Spanned::into_inner),
            note: t.note,
            span,
            translations,
        });
    }
    if diags.is_empty() {
        Ok(Glossary { file, terms })
    } else {
        Err(diags)
    }
}

/// Finds a term in text: by words for Latin scripts (case-insensitive, plural `s`/`es`
/// allowed, any run of whitespace between words), by substring for CJK.
#[derive(Clone, Debug)]
pub struct Matcher {
    cjk: bool,
    needle: String,
    re: Option<regex::Regex>,
}

impl Matcher {
    /// A matcher for `term`.
    pub fn new(term: &str) -> Matcher {
        let cjk = term.chars().any(is_cjk);
        let re = (!cjk).then(|| {
            let words: Vec<String> = term.split_whitespace().map(regex::escape).collect();
            regex::Regex::new(&format!("(?i){}(?:es|s)?", words.join(r"\s+"))).ok()
        });
        Matcher {
            cjk,
            needle: term.to_string(),
            re: re.flatten(),
        }
    }

    /// Byte ranges of every match in `text`.
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        if self.cjk || self.re.is_none() {
            return text
                .match_indices(&self.needle)
                .map(|(i, m)| i..i + m.len())
                .collect();
        }
        let Some(re) = &self.re else {
            return Vec::new();
        };
        let latin = |c: char| c.is_alphanumeric() && !is_cjk(c);
        re.find_iter(text)
            .filter(|m| {
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                !before.is_some_and(latin) && !after.is_some_and(latin)
            })
            .map(|m| m.range())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> FileId {
        crate::diagnostics::SourceMap::new().insert(GLOSSARY_FILE, Vec::new())
    }

    #[test]
    fn parses_terms_with_positions() {
        let text = "[[term]]\nsource = \"Payment Data\"\nstrict = true\n[term.translations.zh-CN]\nrequired = \"付款数据\"\nforbidden = [\"支付数据\"]\n";
        let g = parse(id(), text).unwrap();
        assert_eq!(g.terms[0].source, "Payment Data");
        assert_eq!(&text[g.terms[0].span.clone()], "Payment Data");
        assert_eq!(g.terms[0].translations["zh-CN"].forbidden, ["支付数据"]);
        let bad = parse(id(), "[[term]]\nsource = \"x\"\nstrictly = true\n").unwrap_err();
        assert_eq!(bad[0].code, Code::E001);
        assert_eq!(bad[0].span, Some(22..30));
        let empty = parse(id(), "[[term]]\nsource = \"x\"\n").unwrap_err();
        assert!(empty[0].message.contains("no translations"), "{empty:?}");
    }

    #[test]
    fn matching_is_by_words_or_substrings() {
        let m = Matcher::new("Payment Data");
        assert_eq!(
            m.find("remove payment\n data or Payment Datas, not PaymentData"),
            [7..20, 24..37]
        );
        assert!(Matcher::new("practice").find("practices").len() == 1);
        assert!(Matcher::new("data").find("database").is_empty());
        assert_eq!(Matcher::new("Azure").find("使用Azure服务").len(), 1);
        assert_eq!(Matcher::new("付款数据").find("（“付款数据”）").len(), 1);
    }
}
