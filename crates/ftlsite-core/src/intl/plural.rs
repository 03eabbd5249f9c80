//! Plural categories from ICU4X's CLDR rules, and `PLURAL()` selection.

#[allow(
    clippy::wildcard_imports,
    reason = "the shared imports of the intl module"
)]
use super::*;

// ---------------------------------------------------------------------------------------------
// Plural rules
// ---------------------------------------------------------------------------------------------

/// Implements `PLURAL($x)`: a number becomes its ICU4X plural category name (cardinal, or ordinal
/// for `NUMBER($n, type: "ordinal")`), computed on the digits it is displayed with; a string is
/// returned unchanged so that rewritten string selectors (`{ $gender -> … }`) keep working.
pub(super) fn plural_function<'a>(
    locale: &LanguageIdentifier,
    positional: &[FluentValue<'a>],
) -> Result<FluentValue<'a>, IntlError> {
    match positional {
        [FluentValue::Number(n)] => Ok(FluentValue::String(
            number_plural_category(locale, n)?.into(),
        )),
        [FluentValue::String(s)] => Ok(FluentValue::String(s.clone())),
        _ => Err(IntlError::BadArguments(
            "PLURAL() takes one number or string".into(),
        )),
    }
}

/// Rewrites FTL source so that plural selection uses ICU4X: every select expression whose
/// selector is a variable, a number literal or a `NUMBER()` call and whose variant keys are all
/// identifiers gets its selector wrapped in `PLURAL(...)`.
///
/// Why: fluent-bundle cannot be told to select with ICU4X (see [`add_functions`]), but a
/// string selector is matched by plain equality, so `PLURAL()`'s category name picks the variant.
/// Selects with a numeric key (`[0]`, `[1]`) are left alone, since an exact-number match needs
/// the number itself as selector; they keep fluent-bundle's own selection.
///
/// Returns `None` when nothing needs rewriting or the source has syntax errors (so the caller
/// parses the original and reports errors against the original positions). The rewritten text
/// is re-serialized by fluent-syntax: comments and message ids are kept, layout may change.
pub fn icu_plural_selectors(source: &str) -> Option<String> {
    use fluent_syntax::ast;
    let mut resource = fluent_syntax::parser::parse(source).ok()?;
    let mut changed = 0usize;

    fn visit_pattern(pattern: &mut ast::Pattern<&str>, changed: &mut usize) {
        for element in &mut pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                visit_expression(expression, changed);
            }
        }
    }
    fn visit_expression(expression: &mut ast::Expression<&str>, changed: &mut usize) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                for v in variants.iter_mut() {
                    visit_pattern(&mut v.value, changed);
                }
                let keys: Vec<ast::VariantKey<&str>> =
                    variants.iter().map(|v| v.key.clone()).collect();
                let keys_are_names = keys
                    .iter()
                    .all(|k| matches!(k, ast::VariantKey::Identifier { .. }));
                if keys_are_names && crate::catalog::is_plural_select(selector, &keys) {
                    let inner = std::mem::replace(
                        selector,
                        ast::InlineExpression::NumberLiteral { value: "0" },
                    );
                    *selector = ast::InlineExpression::FunctionReference {
                        id: ast::Identifier { name: "PLURAL" },
                        arguments: ast::CallArguments {
                            positional: vec![inner],
                            named: vec![],
                        },
                    };
                    *changed += 1;
                }
            }
            ast::Expression::Inline(ast::InlineExpression::Placeable { expression }) => {
                visit_expression(expression, changed)
            }
            ast::Expression::Inline(_) => {}
        }
    }

    for entry in &mut resource.body {
        let (value, attributes) = match entry {
            ast::Entry::Message(m) => (m.value.as_mut(), &mut m.attributes),
            ast::Entry::Term(t) => (Some(&mut t.value), &mut t.attributes),
            _ => continue,
        };
        if let Some(v) = value {
            visit_pattern(v, &mut changed);
        }
        for a in attributes.iter_mut() {
            visit_pattern(&mut a.value, &mut changed);
        }
    }
    (changed > 0).then(|| fluent_syntax::serializer::serialize(&resource))
}

/// Loads ICU4X cardinal plural rules for `locale`; unknown languages fall back to root
/// (only `other`), which is also what CLDR specifies for them.
pub(super) fn cardinal_rules(locale: &LanguageIdentifier) -> Option<PluralRules> {
    plural_rules(locale, PluralRuleType::Cardinal)
}

/// Loads ICU4X plural rules of either type (`NUMBER($n, type: "ordinal")` needs ordinals).
pub(super) fn plural_rules(
    locale: &LanguageIdentifier,
    rule_type: PluralRuleType,
) -> Option<PluralRules> {
    let loc = icu_locale(locale).unwrap_or(Locale::UNKNOWN);
    PluralRules::try_new((&loc).into(), rule_type.into()).ok()
}

/// The CLDR plural category names, in CLDR order, as Fluent variant keys spell them.
pub const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// CLDR spelling of a plural category, as used for Fluent variant keys.
pub(super) fn category_name(c: PluralCategory) -> &'static str {
    let i = match c {
        PluralCategory::Zero => 0,
        PluralCategory::One => 1,
        PluralCategory::Two => 2,
        PluralCategory::Few => 3,
        PluralCategory::Many => 4,
        PluralCategory::Other => 5,
    };
    PLURAL_CATEGORIES[i]
}

/// The cardinal plural categories `locale` uses, in CLDR order (zero, one, two, few, many, other).
///
/// Why: the checker uses this to tell translators which variants a selector on a number needs
/// in their language (zh: `[other]`, en: `[one, other]`, ar: all six), from current CLDR data.
pub fn plural_categories(locale: &LanguageIdentifier) -> Vec<&'static str> {
    match cardinal_rules(locale) {
        Some(rules) => rules.categories().map(category_name).collect(),
        None => vec!["other"],
    }
}

/// The CLDR cardinal plural category of `n` in `locale` ("one", "few", …).
///
/// Why: lets code outside Fluent (templates, the checker) pick plural forms with ICU4X's current
/// CLDR rules. `n` is taken as its shortest decimal text, so `1.0_f64` counts as "1"; use
/// [`plural_category_decimal`] when visible fraction digits matter ("1.0" is `other` in English).
pub fn plural_category(locale: &LanguageIdentifier, n: f64) -> &'static str {
    match decimal_from_f64(n) {
        Ok(dec) => category_of(locale, &dec),
        Err(_) => "other",
    }
}

/// Like [`plural_category`] but for a decimal string such as `"1.50"`, whose trailing zeros
/// count as visible fraction digits (CLDR operands `v`/`f`), as they do when printed.
pub fn plural_category_decimal(
    locale: &LanguageIdentifier,
    n: &str,
) -> Result<&'static str, IntlError> {
    let dec =
        Decimal::try_from_str(n.trim()).map_err(|_| IntlError::InvalidNumber(n.to_string()))?;
    Ok(category_of(locale, &dec))
}

/// Plural category of the digits a Fluent number is displayed with (after percent scaling,
/// rounding and fraction padding), i.e. what ECMA-402 `Intl.PluralRules` would select.
///
/// Why public: fluent-bundle's own selection cannot use ICU4X (see [`add_functions`]); callers
/// that need ICU4X's answer for a formatted number can get it here.
pub fn number_plural_category(
    locale: &LanguageIdentifier,
    number: &FluentNumber,
) -> Result<&'static str, IntlError> {
    let dec = rounded_decimal(number)?;
    let rule_type = match number.options.r#type {
        FluentNumberType::Cardinal => PluralRuleType::Cardinal,
        FluentNumberType::Ordinal => PluralRuleType::Ordinal,
    };
    Ok(match plural_rules(locale, rule_type) {
        Some(rules) => category_name(rules.category_for(PluralOperands::from(&dec))),
        None => "other",
    })
}

/// Shared ICU4X lookup behind the plural helpers.
pub(super) fn category_of(locale: &LanguageIdentifier, dec: &Decimal) -> &'static str {
    match cardinal_rules(locale) {
        Some(rules) => category_name(rules.category_for(PluralOperands::from(dec))),
        None => "other",
    }
}
