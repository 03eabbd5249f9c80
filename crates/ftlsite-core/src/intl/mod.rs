//! Locale-aware number, date and plural formatting for Fluent bundles, backed by ICU4X's CLDR data.
//!
//! fluent-bundle 0.16 ships no `NUMBER`/`DATETIME` functions and prints numbers with Rust's
//! `f64` formatting ("1234567.891" in every language). This module plugs ICU4X in:
//!
//! * [`add_functions`] registers `NUMBER()` and `DATETIME()` on a bundle and installs a value
//!   formatter so that every number placeable (`{ $count }`, `{ NUMBER($n) }`, `{ 42 }`) is
//!   rendered with the locale's digits, separators and grouping.
//! * [`plural_categories`] / [`plural_category`] expose ICU4X's CLDR plural rules, e.g. for
//!   checking that a translation provides every variant its language needs.
//! * [`is_rtl`] tells templates when to emit `dir="rtl"`.
//!
//! Variant *selection* (`{ $n -> [one] … *[other] … }`) is still done by fluent-bundle itself with
//! its bundled `intl_pluralrules` (CLDR 37) data: fluent-bundle 0.16 offers no hook to replace it
//! (see [`add_functions`]). `NUMBER()` therefore returns a [`FluentValue::Number`], so selection
//! keeps working, and the ICU4X formatting happens in the bundle's formatter hook.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;
use std::str::FromStr;

use fixed_decimal::{Decimal, SignedRoundingMode, UnsignedRoundingMode};
use fluent_bundle::bundle::FluentBundle as GenericFluentBundle;
use fluent_bundle::memoizer::MemoizerKind;
use fluent_bundle::types::{
    FluentNumber, FluentNumberCurrencyDisplayStyle, FluentNumberStyle, FluentNumberType,
};
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use icu_datetime::fieldsets::{T, YMD, YMDE};
use icu_datetime::options::YearStyle;
use icu_datetime::{DateTimeFormatter, NoCalendarFormatter};
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralOperands, PluralRuleType, PluralRules};
use icu_time::{DateTime, Time};
use unic_langid::{CharacterDirection, LanguageIdentifier};

/// Why a formatting request failed.
///
/// The Fluent functions turn every one of these into [`FluentValue::Error`] (fluent-bundle then
/// prints the function name, e.g. `DATETIME()`), and the plain Rust helpers return them so the
/// caller can report which argument or option was wrong instead of panicking on user data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntlError {
    /// The value is not a finite number (or a string that parses as one).
    InvalidNumber(String),
    /// The value is not an ISO 8601 date `YYYY-MM-DD` or local date-time `YYYY-MM-DDTHH:MM[:SS[.f]]`.
    InvalidDate(String),
    /// A named option has a value this module does not understand.
    InvalidOption {
        /// Option name as written in the FTL file, e.g. `useGrouping`.
        name: String,
        /// The offending value, as text.
        value: String,
    },
    /// The function was called with the wrong number or kind of positional arguments.
    BadArguments(String),
    /// The locale could not be converted for ICU4X or ICU4X had no data for it.
    Locale(String),
}

impl fmt::Display for IntlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidNumber(v) => write!(f, "not a finite number: {v:?}"),
            Self::InvalidDate(v) => write!(
                f,
                "not an ISO date (YYYY-MM-DD) or local date-time (YYYY-MM-DDTHH:MM[:SS]): {v:?}"
            ),
            Self::InvalidOption { name, value } => {
                write!(f, "invalid value {value:?} for option {name}")
            }
            Self::BadArguments(msg) => write!(f, "bad arguments: {msg}"),
            Self::Locale(msg) => write!(f, "locale error: {msg}"),
        }
    }
}

impl std::error::Error for IntlError {}

mod datetime;
mod number;
mod plural;
#[cfg(test)]
mod tests;

pub use datetime::format_datetime;
pub use number::format_number;
pub use plural::{
    icu_plural_selectors, number_plural_category, plural_categories, plural_category,
    plural_category_decimal, PLURAL_CATEGORIES,
};
#[allow(
    unused_imports,
    reason = "items the sibling modules share through `use super::*`"
)]
use {datetime::*, number::*, plural::*};

// ---------------------------------------------------------------------------------------------
// Bundle integration
// ---------------------------------------------------------------------------------------------

/// Registers `NUMBER()`, `DATETIME()` and `PLURAL()` on `bundle` and installs the ICU4X number
/// formatter.
///
/// Why this shape: fluent-bundle only lets us (a) add functions and (b) set one
/// `fn(&FluentValue, &M) -> Option<String>` formatter that is consulted whenever a value is
/// printed. `NUMBER()` therefore only validates its options and returns a
/// [`FluentValue::Number`] carrying them; the formatter hook then renders every number (function
/// result, variable or literal) with ICU4X for the bundle's first locale. Because the value stays
/// a number, `{ NUMBER($n) -> [one] … }` and `{ $n -> [one] … }` still select plural variants.
///
/// Plural selection itself cannot be moved to ICU4X *inside* fluent-bundle 0.16:
/// `FluentValue::matches` hard-codes fluent-bundle's private `PluralRules` memoizable (a wrapper
/// of `intl_pluralrules`, CLDR 37), the resolver sends only `String`/`Number` selectors to it
/// (a custom `FluentType` selector always falls through to the default variant), and a bundle
/// with a custom memoizer cannot be constructed because `FluentBundle`'s fields are crate-private
/// and `new`/`new_concurrent` are only implemented for the two `IntlLangMemoizer`s.
/// That built-in data is CLDR 37 and its generated rules drop `n % 10`/`n % 100` in range
/// conditions (ar 103 → `other` instead of `few`, lt 22 → `other` instead of `few`).
/// The supported way around it is `PLURAL()`: it turns a number into its ICU4X plural category
/// name (and passes strings through), so `{ PLURAL($n) -> [one] … }` selects by string equality.
/// [`icu_plural_selectors`] rewrites FTL source so plain `{ $n -> [one] … }` selectors use it.
///
/// Works for both the plain and the concurrent bundle (generic over the memoizer `M`).
/// Registering twice returns silently (the functions already exist); `locale` should be the
/// bundle's first locale, and is what `DATETIME()` formats for.
pub fn add_functions<R, M>(bundle: &mut GenericFluentBundle<R, M>, locale: &LanguageIdentifier)
where
    R: Borrow<FluentResource>,
    M: MemoizerKind,
{
    // Errors here only mean "already registered", which is fine to ignore. A call that cannot
    // format prints `NAME()`; callers find such calls beforehand with [`check_call`].
    let _ = bundle.add_function("NUMBER", |positional, named| {
        number_function(positional, named).unwrap_or(FluentValue::Error)
    });
    let pl_locale = locale.clone();
    let _ = bundle.add_function("PLURAL", move |positional, _named| {
        plural_function(&pl_locale, positional).unwrap_or(FluentValue::Error)
    });
    let dt_locale = locale.clone();
    let _ = bundle.add_function("DATETIME", move |positional, named| {
        datetime_function(&dt_locale, positional, named)
            .map(|s| FluentValue::String(s.into()))
            .unwrap_or(FluentValue::Error)
    });
    bundle.set_formatter(Some(format_value::<M>));
}

/// The functions [`add_functions`] registers, by name.
pub const FUNCTIONS: &[&str] = &["NUMBER", "DATETIME", "PLURAL"];

/// Runs the check a Fluent function call makes on its arguments, without a bundle: `Ok` when
/// `NAME(positional, named)` formats in `locale`, the reason otherwise.
///
/// fluent-bundle prints `NAME()` for a function that fails and reports nothing, so every caller
/// that must know — the static checks on literal arguments, the renderer on a template's
/// arguments — asks here first. Unknown names are an error too.
pub fn check_call(
    locale: &LanguageIdentifier,
    name: &str,
    positional: &[FluentValue],
    named: &FluentArgs,
) -> Result<(), IntlError> {
    match name {
        "NUMBER" => number_function(positional, named).map(|_| ()),
        "DATETIME" => datetime_function(locale, positional, named).map(|_| ()),
        "PLURAL" => plural_function(locale, positional).map(|_| ()),
        other => Err(IntlError::BadArguments(format!(
            "there is no function {other}(); the functions are {}",
            FUNCTIONS.join(", ")
        ))),
    }
}

/// The formatter installed by [`add_functions`]: numbers go through ICU4X, everything else
/// (strings, custom types) is left to fluent-bundle by returning `None`.
///
/// It has to be a plain `fn`, so it learns the bundle's locale through a tiny memoizable
/// ([`BundleLocale`]) and keeps the ICU4X formatters in a per-thread cache.
fn format_value<M: MemoizerKind>(value: &FluentValue, intls: &M) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    let lang = intls
        .with_try_get_threadsafe::<BundleLocale, _, _>((), |l| l.0.clone())
        .ok()?;
    // Formatting errors (NaN, unsupported style) fall back to fluent-bundle's own output.
    format_number(&lang, number).ok()
}

/// Memoizable that simply captures the language identifier the memoizer was created for.
struct BundleLocale(LanguageIdentifier);

impl intl_memoizer::Memoizable for BundleLocale {
    type Args = ();
    type Error = std::convert::Infallible;
    fn construct(lang: LanguageIdentifier, _args: ()) -> Result<Self, Self::Error> {
        Ok(Self(lang))
    }
}

// ---------------------------------------------------------------------------------------------
// Direction
// ---------------------------------------------------------------------------------------------

/// Whether text in `locale` is written right-to-left (ar, he, fa, ur, …), for `dir="rtl"`.
///
/// Uses unic-langid's CLDR-derived script/language table; an explicit script wins
/// (`az-Arab` is RTL, `pa-Guru` is not).
pub fn is_rtl(locale: &LanguageIdentifier) -> bool {
    locale.character_direction() == CharacterDirection::RTL
}
