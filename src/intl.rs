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
    // Errors here only mean "already registered", which is fine to ignore.
    let _ = bundle.add_function("NUMBER", |positional, named| {
        number_function(positional, named).unwrap_or_else(|e| report("NUMBER", e))
    });
    let pl_locale = locale.clone();
    let _ = bundle.add_function("PLURAL", move |positional, _named| {
        plural_function(&pl_locale, positional).unwrap_or(FluentValue::Error)
    });
    let dt_locale = locale.clone();
    let _ = bundle.add_function(
        "DATETIME",
        move |positional, named| match datetime_function(&dt_locale, positional, named) {
            Ok(s) => FluentValue::String(s.into()),
            Err(e) => report("DATETIME", e),
        },
    );
    bundle.set_formatter(Some(format_value::<M>));
}

thread_local! {
    static ERRORS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Records a function error for [`take_errors`]: fluent-bundle 0.16 does not report errors
/// returned by functions, it only prints `NAME()` in their place.
fn report(function: &str, e: IntlError) -> FluentValue<'static> {
    ERRORS.with(|errs| errs.borrow_mut().push(format!("{function}(): {e}")));
    FluentValue::Error
}

/// The errors NUMBER() and DATETIME() met on this thread since the last call. Call it after
/// each `format_pattern` to turn silent `NAME()` output into a reported error.
pub fn take_errors() -> Vec<String> {
    ERRORS.with(|errs| std::mem::take(&mut *errs.borrow_mut()))
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
// NUMBER
// ---------------------------------------------------------------------------------------------

/// Implements `NUMBER($n, ...)`: validates the argument and the options and returns a number
/// value that carries them (formatting happens later in [`format_value`]).
fn number_function<'a>(
    positional: &[FluentValue<'a>],
    named: &FluentArgs,
) -> Result<FluentValue<'a>, IntlError> {
    let mut number = match positional {
        [FluentValue::Number(n)] => n.clone(),
        [FluentValue::String(s)] => {
            FluentNumber::from_str(s.trim()).map_err(|_| IntlError::InvalidNumber(s.to_string()))?
        }
        [_] => return Err(IntlError::BadArguments("NUMBER() needs a number".into())),
        _ => {
            return Err(IntlError::BadArguments(
                "NUMBER() takes exactly one positional argument".into(),
            ))
        }
    };
    if !number.value.is_finite() {
        return Err(IntlError::InvalidNumber(number.value.to_string()));
    }
    apply_number_options(&mut number, named)?;
    Ok(FluentValue::Number(number))
}

/// Reads one non-negative integer option such as `minimumFractionDigits: 2`.
fn digits_option(name: &str, value: &FluentValue, max: usize) -> Result<usize, IntlError> {
    let bad = || IntlError::InvalidOption {
        name: name.to_string(),
        value: match value {
            FluentValue::String(s) => s.to_string(),
            FluentValue::Number(n) => n.value.to_string(),
            _ => "?".into(),
        },
    };
    let n = match value {
        FluentValue::Number(n) => n.value,
        FluentValue::String(s) => s.trim().parse::<f64>().map_err(|_| bad())?,
        _ => return Err(bad()),
    };
    if n.fract() != 0.0 || n < 0.0 || n > max as f64 {
        return Err(bad());
    }
    Ok(n as usize)
}

/// Merges the FTL named options into `number.options`, rejecting unknown values.
///
/// `useGrouping` only has a `bool` slot in [`fluent_bundle::types::FluentNumberOptions`], so the
/// ICU4X strategies `"always"` and `"min2"` are carried in `currency_display` (which only means
/// something for `style: "currency"`, a style this module rejects). See [`grouping_strategy`].
fn apply_number_options(number: &mut FluentNumber, named: &FluentArgs) -> Result<(), IntlError> {
    let opts = &mut number.options;
    for (name, value) in named.iter() {
        let text = match value {
            FluentValue::String(s) => Some(s.as_ref()),
            _ => None,
        };
        let invalid = || IntlError::InvalidOption {
            name: name.to_string(),
            value: text.map_or_else(|| format!("{value:?}"), str::to_string),
        };
        match name {
            "style" => {
                opts.style = match text {
                    Some("decimal") => FluentNumberStyle::Decimal,
                    Some("percent") => FluentNumberStyle::Percent,
                    // Currency formatting needs ICU4X's experimental crate; refuse rather than
                    // print a number without its currency.
                    _ => return Err(invalid()),
                }
            }
            "useGrouping" => {
                let (on, carrier) = match text {
                    Some("true" | "auto") => (true, FluentNumberCurrencyDisplayStyle::Symbol),
                    Some("always") => (true, FluentNumberCurrencyDisplayStyle::Code),
                    Some("min2") => (true, FluentNumberCurrencyDisplayStyle::Name),
                    Some("false") => (false, FluentNumberCurrencyDisplayStyle::Symbol),
                    _ => return Err(invalid()),
                };
                opts.use_grouping = on;
                opts.currency_display = carrier;
            }
            "minimumFractionDigits" => {
                opts.minimum_fraction_digits = Some(digits_option(name, value, 100)?)
            }
            "maximumFractionDigits" => {
                opts.maximum_fraction_digits = Some(digits_option(name, value, 100)?)
            }
            "minimumIntegerDigits" => {
                let n = digits_option(name, value, 21)?;
                if n == 0 {
                    return Err(invalid());
                }
                opts.minimum_integer_digits = Some(n);
            }
            "minimumSignificantDigits" => {
                let n = digits_option(name, value, 21)?;
                if n == 0 {
                    return Err(invalid());
                }
                opts.minimum_significant_digits = Some(n);
            }
            "maximumSignificantDigits" => {
                let n = digits_option(name, value, 21)?;
                if n == 0 {
                    return Err(invalid());
                }
                opts.maximum_significant_digits = Some(n);
            }
            "type" => {
                opts.r#type = match text {
                    Some("cardinal") => FluentNumberType::Cardinal,
                    Some("ordinal") => FluentNumberType::Ordinal,
                    _ => return Err(invalid()),
                }
            }
            "currency" | "currencyDisplay" => return Err(invalid()),
            // Unknown options are ignored, as Intl.NumberFormat does.
            _ => {}
        }
    }
    if let (Some(min), Some(max)) = (opts.minimum_fraction_digits, opts.maximum_fraction_digits) {
        if min > max {
            return Err(IntlError::InvalidOption {
                name: "maximumFractionDigits".into(),
                value: format!("{max} (less than minimumFractionDigits {min})"),
            });
        }
    }
    if let (Some(min), Some(max)) = (
        opts.minimum_significant_digits,
        opts.maximum_significant_digits,
    ) {
        if min > max {
            return Err(IntlError::InvalidOption {
                name: "maximumSignificantDigits".into(),
                value: format!("{max} (less than minimumSignificantDigits {min})"),
            });
        }
    }
    Ok(())
}

/// Decodes the ICU4X grouping strategy from a number's options (see [`apply_number_options`]).
fn grouping_strategy(number: &FluentNumber) -> GroupingStrategy {
    if !number.options.use_grouping {
        return GroupingStrategy::Never;
    }
    if number.options.style == FluentNumberStyle::Currency {
        return GroupingStrategy::Auto;
    }
    match number.options.currency_display {
        FluentNumberCurrencyDisplayStyle::Symbol => GroupingStrategy::Auto,
        FluentNumberCurrencyDisplayStyle::Code => GroupingStrategy::Always,
        FluentNumberCurrencyDisplayStyle::Name => GroupingStrategy::Min2,
    }
}

/// Converts an `f64` to an exact decimal via its shortest round-trip text (Rust never uses an
/// exponent in `Display` for `f64`), so 0.1 stays "0.1" rather than 0.1000000000000000055….
fn decimal_from_f64(value: f64) -> Result<Decimal, IntlError> {
    if !value.is_finite() {
        return Err(IntlError::InvalidNumber(value.to_string()));
    }
    Decimal::try_from_str(&value.to_string())
        .map_err(|_| IntlError::InvalidNumber(value.to_string()))
}

/// Applies the number's digit options to `dec` with ECMA-402 defaults and half-expand rounding
/// (what `Intl.NumberFormat`, and hence Fluent.js, does), scaling by 100 for percents.
///
/// Shared by formatting and [`number_plural_category`] so that the text and the plural
/// category always describe the same digits.
fn rounded_decimal(number: &FluentNumber) -> Result<Decimal, IntlError> {
    let mut dec = decimal_from_f64(number.value)?;
    let opts = &number.options;
    let percent = opts.style == FluentNumberStyle::Percent;
    if percent {
        dec.multiply_pow10(2);
        dec.trim_start();
    }
    let mode = SignedRoundingMode::Unsigned(UnsignedRoundingMode::HalfExpand);
    if opts.minimum_significant_digits.is_some() || opts.maximum_significant_digits.is_some() {
        let min_sd = opts.minimum_significant_digits.unwrap_or(1);
        let max_sd = opts.maximum_significant_digits.unwrap_or(21).max(min_sd);
        // Magnitude of the most significant digit (0 for 0).
        let msd = dec.nonzero_magnitude_start();
        dec.round_with_mode(msd - (max_sd as i16 - 1), mode);
        dec.trim_end();
        let msd = dec.nonzero_magnitude_start();
        dec.pad_end(msd - (min_sd as i16 - 1));
    } else {
        let default_max = if percent { 0 } else { 3 };
        let min_fd = opts.minimum_fraction_digits.unwrap_or(0);
        let max_fd = opts
            .maximum_fraction_digits
            .unwrap_or_else(|| default_max.max(min_fd))
            .max(min_fd);
        dec.round_with_mode(-(max_fd as i16), mode);
        dec.trim_end();
        dec.pad_end(-(min_fd as i16));
    }
    if let Some(min_id) = opts.minimum_integer_digits {
        dec.pad_start(min_id as i16);
    }
    Ok(dec)
}

/// Formats one Fluent number for `locale` with ICU4X (digits, separators, grouping, percent).
///
/// Why public: besides backing the bundle formatter, it lets templates or tests format a number
/// exactly as a `{ $n }` placeable would, without building a bundle. Currency style is not
/// supported (it needs ICU4X's experimental crate) and returns [`IntlError::InvalidOption`].
pub fn format_number(
    locale: &LanguageIdentifier,
    number: &FluentNumber,
) -> Result<String, IntlError> {
    if number.options.style == FluentNumberStyle::Currency {
        return Err(IntlError::InvalidOption {
            name: "style".into(),
            value: "currency".into(),
        });
    }
    let dec = rounded_decimal(number)?;
    let grouping = grouping_strategy(number);
    let formatter = cached_decimal_formatter(locale, grouping)?;
    let digits = formatter.format(&dec).to_string();
    Ok(if number.options.style == FluentNumberStyle::Percent {
        let (prefix, suffix) = percent_affixes(locale);
        format!("{prefix}{digits}{suffix}")
    } else {
        digits
    })
}

thread_local! {
    /// ICU4X formatters are cheap to build from compiled data but not free, and the bundle's
    /// formatter hook is a plain `fn`, so cache them per thread by (locale, grouping).
    static DECIMAL_FORMATTERS: RefCell<HashMap<(String, GroupingStrategy), Rc<DecimalFormatter>>> =
        RefCell::new(HashMap::new());
}

/// Returns a cached ICU4X decimal formatter for `locale` with the given grouping.
fn cached_decimal_formatter(
    locale: &LanguageIdentifier,
    grouping: GroupingStrategy,
) -> Result<Rc<DecimalFormatter>, IntlError> {
    let key = (locale.to_string(), grouping);
    if let Some(f) = DECIMAL_FORMATTERS.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(f);
    }
    let icu_locale = icu_locale(locale)?;
    let mut options = DecimalFormatterOptions::default();
    options.grouping_strategy = Some(grouping);
    let formatter = Rc::new(
        DecimalFormatter::try_new((&icu_locale).into(), options)
            .map_err(|e| IntlError::Locale(format!("{locale}: {e}")))?,
    );
    DECIMAL_FORMATTERS.with(|c| c.borrow_mut().insert(key, Rc::clone(&formatter)));
    Ok(formatter)
}

/// CLDR percent pattern affixes (prefix, suffix) around the formatted digits.
///
/// The ICU4X component crates we use have no percent formatter (it lives in the experimental
/// crate), so this table was transcribed from ICU4X's CLDR data (`icu_experimental_data` 0.4.1,
/// `percent_essentials_v1`); locales not listed use the root pattern `#,##0%`.
fn percent_affixes(locale: &LanguageIdentifier) -> (&'static str, &'static str) {
    let lang = locale.language.as_str();
    let region = locale.region.as_ref().map(|r| r.as_str());
    match (lang, region) {
        ("ar", Some("SA" | "SO")) => ("", "\u{66a}"),
        ("ar", _) => ("", "\u{200e}%\u{200e}"),
        ("de", Some("CH" | "LI")) => ("", "%"),
        ("fr", Some("CH")) => ("", "%"),
        ("es", Some("419")) => ("", "%"),
        ("en", Some("AT" | "DE" | "DK" | "FI" | "NO" | "SE")) => ("", "\u{a0}%"),
        ("blo" | "eu", _) => ("%\u{a0}", ""),
        ("ku" | "tr", _) => ("%", ""),
        ("oc", _) => ("", "\u{202f}%"),
        (
            "be" | "br" | "bua" | "ca" | "cs" | "cv" | "da" | "de" | "dsb" | "es" | "fi" | "fo"
            | "fr" | "gl" | "hr" | "hsb" | "lb" | "lt" | "mk" | "nb" | "nn" | "no" | "qu" | "ro"
            | "ru" | "sk" | "sl" | "sv" | "tk" | "tt",
            _,
        ) => ("", "\u{a0}%"),
        _ => ("", "%"),
    }
}

/// Converts a unic-langid identifier to an ICU4X locale (same BCP 47 syntax, different crate).
fn icu_locale(locale: &LanguageIdentifier) -> Result<Locale, IntlError> {
    Locale::try_from_str(&locale.to_string())
        .map_err(|e| IntlError::Locale(format!("{locale}: {e:?}")))
}

// ---------------------------------------------------------------------------------------------
// DATETIME
// ---------------------------------------------------------------------------------------------

/// The four ECMA-402 style lengths accepted by `dateStyle` and `timeStyle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Full,
    Long,
    Medium,
    Short,
}

/// Parses a `dateStyle`/`timeStyle` option value.
fn style_option(name: &str, value: &FluentValue) -> Result<Style, IntlError> {
    match value {
        FluentValue::String(s) => match s.as_ref() {
            "full" => Ok(Style::Full),
            "long" => Ok(Style::Long),
            "medium" => Ok(Style::Medium),
            "short" => Ok(Style::Short),
            other => Err(IntlError::InvalidOption {
                name: name.into(),
                value: other.into(),
            }),
        },
        other => Err(IntlError::InvalidOption {
            name: name.into(),
            value: format!("{other:?}"),
        }),
    }
}

/// Implements `DATETIME($date, dateStyle: …, timeStyle: …)` for string arguments.
fn datetime_function(
    locale: &LanguageIdentifier,
    positional: &[FluentValue],
    named: &FluentArgs,
) -> Result<String, IntlError> {
    let text = match positional {
        [FluentValue::String(s)] => s.as_ref(),
        [_] => {
            return Err(IntlError::BadArguments(
                "DATETIME() needs an ISO date string".into(),
            ))
        }
        _ => {
            return Err(IntlError::BadArguments(
                "DATETIME() takes exactly one positional argument".into(),
            ))
        }
    };
    let mut date_style = None;
    let mut time_style = None;
    for (name, value) in named.iter() {
        match name {
            "dateStyle" => date_style = Some(style_option(name, value)?),
            "timeStyle" => time_style = Some(style_option(name, value)?),
            _ => {}
        }
    }
    format_datetime(
        locale,
        text,
        date_style_name(date_style),
        time_style_name(time_style),
    )
}

/// Maps the internal style back to its option spelling (keeps [`format_datetime`]'s API stringly
/// like the FTL options).
fn date_style_name(s: Option<Style>) -> Option<&'static str> {
    s.map(|s| match s {
        Style::Full => "full",
        Style::Long => "long",
        Style::Medium => "medium",
        Style::Short => "short",
    })
}

/// Same as [`date_style_name`], for `timeStyle`.
fn time_style_name(s: Option<Style>) -> Option<&'static str> {
    date_style_name(s)
}

/// Parses `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:MM[:SS[.fraction]]`.
///
/// Zone designators (`Z`, `+01:00`) are rejected: the site has no time zone to convert to, and
/// silently dropping one would print a wrong wall-clock time.
fn parse_iso(text: &str) -> Result<DateTime<icu_calendar::Iso>, IntlError> {
    let bad = || IntlError::InvalidDate(text.to_string());
    let text_trim = text.trim();
    let (date_part, time_part) = match text_trim.find(['T', 't', ' ']) {
        Some(pos) => (&text_trim[..pos], Some(&text_trim[pos + 1..])),
        None => (text_trim, None),
    };
    let num = |s: &str, len: usize| -> Result<u32, IntlError> {
        if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse::<u32>().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let mut parts = date_part.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let year = num(y, 4)? as i32;
    let month = num(m, 2)? as u8;
    let day = num(d, 2)? as u8;
    let date = icu_calendar::Date::try_new_iso(year, month, day).map_err(|_| bad())?;
    let time = match time_part {
        None => Time::start_of_day(),
        Some(t) => {
            let (hms, frac) = match t.split_once('.') {
                Some((hms, frac)) => (hms, Some(frac)),
                None => (t, None),
            };
            let mut fields = hms.split(':');
            let hour = num(fields.next().ok_or_else(bad)?, 2)? as u8;
            let minute = num(fields.next().ok_or_else(bad)?, 2)? as u8;
            let second = match fields.next() {
                Some(s) => num(s, 2)? as u8,
                None if frac.is_none() => 0,
                None => return Err(bad()),
            };
            if fields.next().is_some() {
                return Err(bad());
            }
            let nanos = match frac {
                None => 0,
                Some(f) if !f.is_empty() && f.len() <= 9 => {
                    num(f, f.len())? * 10u32.pow(9 - f.len() as u32)
                }
                Some(_) => return Err(bad()),
            };
            Time::try_new(hour, minute, second, nanos).map_err(|_| bad())?
        }
    };
    Ok(DateTime { date, time })
}

/// Formats an ISO date or local date-time string for `locale`, like `DATETIME()` does.
///
/// Why public: templates and tests can format dates without going through a bundle.
/// `date_style`/`time_style` take the ECMA-402 names `"full" | "long" | "medium" | "short"`:
/// full = weekday + long date; a time style of `"short"` shows hours and minutes, the others also
/// seconds (no time zone is printed: inputs are local times). With neither style the output is
/// the numeric date with a full year (en-US "11/25/2026"), like `Intl.DateTimeFormat`'s default.
/// The calendar is the locale's default one (Gregorian for the usual site languages).
pub fn format_datetime(
    locale: &LanguageIdentifier,
    input: &str,
    date_style: Option<&str>,
    time_style: Option<&str>,
) -> Result<String, IntlError> {
    let parse_style = |name: &str, v: Option<&str>| -> Result<Option<Style>, IntlError> {
        v.map(|v| style_option(name, &FluentValue::from(v)))
            .transpose()
    };
    let date_style = parse_style("dateStyle", date_style)?;
    let time_style = parse_style("timeStyle", time_style)?;
    let dt = parse_iso(input)?;
    let loc = icu_locale(locale)?;
    let load =
        |e: icu_datetime::DateTimeFormatterLoadError| IntlError::Locale(format!("{locale}: {e}"));
    let with_seconds = !matches!(time_style, Some(Style::Short));

    // Each ICU4X field set is its own type, hence one arm per combination.
    macro_rules! fmt_dt {
        ($fset:expr, $input:expr) => {{
            let f = DateTimeFormatter::try_new((&loc).into(), $fset).map_err(load)?;
            Ok(f.format($input).to_string())
        }};
    }
    macro_rules! date_fset {
        ($style:expr, $then:ident) => {
            match $style {
                Style::Full => $then!(YMDE::long()),
                Style::Long => $then!(YMD::long()),
                Style::Medium => $then!(YMD::medium()),
                Style::Short => $then!(YMD::short()),
            }
        };
    }
    macro_rules! date_only {
        ($fs:expr) => {
            fmt_dt!($fs, &dt.date)
        };
    }
    macro_rules! date_hm {
        ($fs:expr) => {
            fmt_dt!($fs.with_time_hm(), &dt)
        };
    }
    macro_rules! date_hms {
        ($fs:expr) => {
            fmt_dt!($fs.with_time_hms(), &dt)
        };
    }

    match (date_style, time_style) {
        (None, None) => fmt_dt!(YMD::short().with_year_style(YearStyle::Full), &dt.date),
        (Some(ds), None) => date_fset!(ds, date_only),
        (Some(ds), Some(_)) if with_seconds => date_fset!(ds, date_hms),
        (Some(ds), Some(_)) => date_fset!(ds, date_hm),
        (None, Some(_)) => {
            let fset = if with_seconds { T::hms() } else { T::hm() };
            let f = NoCalendarFormatter::try_new((&loc).into(), fset).map_err(load)?;
            Ok(f.format(&dt.time).to_string())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Plural rules
// ---------------------------------------------------------------------------------------------

/// Implements `PLURAL($x)`: a number becomes its ICU4X plural category name (cardinal, or ordinal
/// for `NUMBER($n, type: "ordinal")`), computed on the digits it is displayed with; a string is
/// returned unchanged so that rewritten string selectors (`{ $gender -> … }`) keep working.
fn plural_function<'a>(
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
                let keys_are_names = variants
                    .iter()
                    .all(|v| matches!(v.key, ast::VariantKey::Identifier { .. }));
                let numeric_selector = match selector {
                    ast::InlineExpression::VariableReference { .. }
                    | ast::InlineExpression::NumberLiteral { .. } => true,
                    ast::InlineExpression::FunctionReference { id, .. } => id.name == "NUMBER",
                    _ => false,
                };
                if keys_are_names && numeric_selector {
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
fn cardinal_rules(locale: &LanguageIdentifier) -> Option<PluralRules> {
    plural_rules(locale, PluralRuleType::Cardinal)
}

/// Loads ICU4X plural rules of either type (`NUMBER($n, type: "ordinal")` needs ordinals).
fn plural_rules(locale: &LanguageIdentifier, rule_type: PluralRuleType) -> Option<PluralRules> {
    let loc = icu_locale(locale).unwrap_or(Locale::UNKNOWN);
    PluralRules::try_new((&loc).into(), rule_type.into()).ok()
}

/// CLDR spelling of a plural category, as used for Fluent variant keys.
fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
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
fn category_of(locale: &LanguageIdentifier, dec: &Decimal) -> &'static str {
    match cardinal_rules(locale) {
        Some(rules) => category_name(rules.category_for(PluralOperands::from(dec))),
        None => "other",
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

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_bundle::FluentBundle;

    fn lid(s: &str) -> LanguageIdentifier {
        s.parse().unwrap()
    }

    /// Formats `source`'s message `msg` through a real bundle with [`add_functions`].
    fn render(locale: &str, source: &str, args: &FluentArgs) -> (String, usize) {
        let lang = lid(locale);
        let res = FluentResource::try_new(source.to_string()).unwrap();
        let mut bundle = FluentBundle::new(vec![lang.clone()]);
        bundle.set_use_isolating(false);
        bundle.add_resource(res).unwrap();
        add_functions(&mut bundle, &lang);
        let msg = bundle.get_message("msg").unwrap();
        let mut errors = vec![];
        let out = bundle
            .format_pattern(msg.value().unwrap(), Some(args), &mut errors)
            .to_string();
        (out, errors.len())
    }

    fn one_arg(name: &'static str, v: impl Into<FluentValue<'static>>) -> FluentArgs<'static> {
        let mut a = FluentArgs::new();
        a.set(name, v);
        a
    }

    fn num(locale: &str, ftl_call: &str, n: f64) -> String {
        let src = format!("msg = {{ {ftl_call} }}\n");
        let (out, errs) = render(locale, &src, &one_arg("n", n));
        assert_eq!(errs, 0, "{locale} {ftl_call}");
        out
    }

    #[test]
    fn number_grouping_and_separators_per_locale() {
        let n = 1234567.891;
        assert_eq!(num("en", "NUMBER($n)", n), "1,234,567.891");
        assert_eq!(num("en-US", "$n", n), "1,234,567.891");
        assert_eq!(num("de", "NUMBER($n)", n), "1.234.567,891");
        assert_eq!(num("fr", "NUMBER($n)", n), "1\u{202f}234\u{202f}567,891");
        assert_eq!(num("hi", "NUMBER($n)", 1234567.0), "12,34,567");
        assert_eq!(num("hi", "NUMBER($n)", n), "12,34,567.891");
        assert_eq!(num("zh-CN", "NUMBER($n)", n), "1,234,567.891");
        // CLDR 42+ made Latin digits the default for `ar` (ar-SA etc. keep Arabic-Indic).
        assert_eq!(num("ar", "NUMBER($n)", n), "1,234,567.891");
        assert_eq!(num("ar-SA", "NUMBER($n)", n), "١٬٢٣٤٬٥٦٧٫٨٩١");
        assert_eq!(num("ar", "NUMBER($n)", -5.0), "\u{200e}-5");
        assert_eq!(num("en", "NUMBER($n)", -1234.5), "-1,234.5");
    }

    #[test]
    fn plain_placeables_and_literals_use_icu() {
        assert_eq!(num("de", "$n", 1234567.891), "1.234.567,891");
        assert_eq!(num("fr", "$n", 1234.5), "1\u{202f}234,5");
        assert_eq!(num("de", "1234.5", 0.0), "1.234,5");
        // Default maximumFractionDigits is 3, as in Intl.NumberFormat / Fluent.js.
        assert_eq!(num("en", "$n", 0.123456), "0.123");
        // String arguments stay strings.
        let (out, _) = render("de", "msg = { $s }\n", &one_arg("s", "1234"));
        assert_eq!(out, "1234");
        // Fraction digits written in a numeric string argument are kept.
        let (out, _) = render("de", "msg = { NUMBER($s) }\n", &one_arg("s", "3.50"));
        assert_eq!(out, "3,50");
    }

    #[test]
    fn number_fraction_digit_options() {
        assert_eq!(
            num("en", "NUMBER($n, minimumFractionDigits: 2)", 5.0),
            "5.00"
        );
        assert_eq!(
            num("de", "NUMBER($n, minimumFractionDigits: 2)", 1234.5),
            "1.234,50"
        );
        assert_eq!(
            num("en", "NUMBER($n, maximumFractionDigits: 1)", 1.25),
            "1.3"
        );
        assert_eq!(num("en", "NUMBER($n, maximumFractionDigits: 0)", 2.5), "3");
        assert_eq!(
            num("en", "NUMBER($n, maximumFractionDigits: 0)", -2.5),
            "-3"
        );
        assert_eq!(num("en", "NUMBER($n, maximumFractionDigits: 2)", 1.0), "1");
        assert_eq!(
            num(
                "en",
                "NUMBER($n, minimumFractionDigits: 1, maximumFractionDigits: 2)",
                4.56789
            ),
            "4.57"
        );
        assert_eq!(
            num("en", "NUMBER($n, minimumFractionDigits: 5)", 0.5),
            "0.50000"
        );
        assert_eq!(num("en", "NUMBER($n, minimumIntegerDigits: 3)", 7.0), "007");
        assert_eq!(
            num("en", "NUMBER($n, maximumSignificantDigits: 2)", 1234.0),
            "1,200"
        );
        assert_eq!(
            num("en", "NUMBER($n, minimumSignificantDigits: 3)", 1.0),
            "1.00"
        );
    }

    #[test]
    fn number_grouping_options() {
        let n = 1234567.0;
        assert_eq!(
            num("en", r#"NUMBER($n, useGrouping: "false")"#, n),
            "1234567"
        );
        assert_eq!(
            num("en", r#"NUMBER($n, useGrouping: "true")"#, n),
            "1,234,567"
        );
        assert_eq!(
            num("en", r#"NUMBER($n, useGrouping: "auto")"#, n),
            "1,234,567"
        );
        assert_eq!(
            num("en", r#"NUMBER($n, useGrouping: "always")"#, n),
            "1,234,567"
        );
        assert_eq!(
            num("en", r#"NUMBER($n, useGrouping: "min2")"#, 1234.0),
            "1234"
        );
        assert_eq!(
            num("en", r#"NUMBER($n, useGrouping: "min2")"#, 12345.0),
            "12,345"
        );
        // Spanish and Polish have CLDR minimumGroupingDigits = 2: "auto" leaves 4 digits alone.
        assert_eq!(
            num("es", r#"NUMBER($n, useGrouping: "auto")"#, 1234.0),
            "1234"
        );
        // ICU4X 2.4's DecimalFormatter treats Always like Auto (its grouper says so; ECMA-402
        // would print "1.234" here).
        assert_eq!(
            num("es", r#"NUMBER($n, useGrouping: "always")"#, 1234.0),
            "1234"
        );
        assert_eq!(num("pl", "$n", 1234.0), "1234");
        assert_eq!(num("pl", "$n", 12345.0), "12\u{a0}345");
        let (out, _) = render(
            "en",
            "msg = { NUMBER($n, useGrouping: \"sometimes\") }\n",
            &one_arg("n", 1.0),
        );
        assert_eq!(out, "NUMBER()");
    }

    #[test]
    fn number_percent_style() {
        let pct = |l: &str, n: f64| num(l, r#"NUMBER($n, style: "percent")"#, n);
        assert_eq!(pct("en", 0.25), "25%");
        assert_eq!(pct("de", 0.25), "25\u{a0}%");
        // ICU4X's CLDR data uses U+00A0 before % in `fr` (U+202F is only its grouping separator).
        assert_eq!(pct("fr", 0.25), "25\u{a0}%");
        assert_eq!(pct("fr", 12.5), "1\u{202f}250\u{a0}%");
        assert_eq!(pct("zh-CN", 0.25), "25%");
        assert_eq!(pct("hi", 0.25), "25%");
        assert_eq!(pct("ar", 0.25), "25\u{200e}%\u{200e}");
        assert_eq!(pct("tr", 0.25), "%25");
        assert_eq!(pct("en", 0.125), "13%");
        assert_eq!(
            num(
                "en",
                r#"NUMBER($n, style: "percent", maximumFractionDigits: 1)"#,
                0.125
            ),
            "12.5%"
        );
        let (out, _) = render(
            "en",
            "msg = { NUMBER($n, style: \"currency\", currency: \"EUR\") }\n",
            &one_arg("n", 1.0),
        );
        assert_eq!(out, "NUMBER()");
    }

    #[test]
    fn number_function_rejects_bad_input() {
        let (out, _) = render("en", "msg = { NUMBER($s) }\n", &one_arg("s", "abc"));
        assert_eq!(out, "NUMBER()");
        let (out, _) = render(
            "en",
            "msg = { NUMBER($n, minimumFractionDigits: 3, maximumFractionDigits: 1) }\n",
            &one_arg("n", 1.0),
        );
        assert_eq!(out, "NUMBER()");
        let (out, _) = render(
            "en",
            "msg = { NUMBER($n, minimumFractionDigits: \"x\") }\n",
            &one_arg("n", 1.0),
        );
        assert_eq!(out, "NUMBER()");
        assert!(format_number(&lid("en"), &FluentNumber::from(f64::NAN)).is_err());
        // NaN passed straight to a placeable falls back to fluent-bundle's text, no panic.
        let (out, _) = render("en", "msg = { $n }\n", &one_arg("n", f64::NAN));
        assert_eq!(out, "NaN");
    }

    #[test]
    fn number_selects_plural_variants() {
        let src = "msg = { NUMBER($n) -> \n [one] { NUMBER($n) } Datei\n *[other] { NUMBER($n) } Dateien\n }\n";
        assert_eq!(render("de", src, &one_arg("n", 1)).0, "1 Datei");
        assert_eq!(render("de", src, &one_arg("n", 1234)).0, "1.234 Dateien");
        let src = "msg = { $n -> \n [one] { $n } file\n *[other] { $n } files\n }\n";
        assert_eq!(render("en", src, &one_arg("n", 1)).0, "1 file");
        assert_eq!(render("en", src, &one_arg("n", 1000)).0, "1,000 files");
        // Visible fraction digits make "1.00" plural in English.
        let src = "msg = { NUMBER($n, minimumFractionDigits: 2) -> \n [one] one { NUMBER($n, minimumFractionDigits: 2) }\n *[other] other { NUMBER($n, minimumFractionDigits: 2) }\n }\n";
        assert_eq!(render("en", src, &one_arg("n", 1)).0, "other 1.00");
    }

    const ALL: &str = "msg = { $n -> \n [zero] zero\n [one] one\n [two] two\n [few] few\n [many] many\n *[other] other\n }\n";
    const ALL_NUMBER: &str = "msg = { NUMBER($n) -> \n [zero] zero\n [one] one\n [two] two\n [few] few\n [many] many\n *[other] other\n }\n";

    /// Variant fluent-bundle selects for `n` (given as a numeric string so fractions keep digits),
    /// with its built-in rules.
    fn selected(locale: &str, n: &str, src: &str) -> String {
        let mut args = FluentArgs::new();
        args.set("n", FluentValue::try_number(n).into_owned());
        render(locale, src, &args).0
    }

    /// Same, after [`icu_plural_selectors`] routed the selector through ICU4X.
    fn selected_icu(locale: &str, n: &str, src: &str) -> String {
        let rewritten = icu_plural_selectors(src).unwrap();
        assert!(rewritten.contains("PLURAL("), "{rewritten}");
        selected(locale, n, &rewritten)
    }

    #[test]
    fn plural_cases_through_bundle_and_icu() {
        // (locale, number, expected CLDR category), selected through real bundles whose
        // selectors were rewritten to PLURAL() (ICU4X).
        let cases: &[(&str, &str, &str)] = &[
            ("en", "1", "one"),
            ("en", "2", "other"),
            ("en", "0", "other"),
            ("zh", "0", "other"),
            ("zh", "1", "other"),
            ("zh", "2", "other"),
            ("fr", "0", "one"),
            ("fr", "1", "one"),
            ("fr", "1.5", "one"),
            ("fr", "2", "other"),
            ("ar", "0", "zero"),
            ("ar", "1", "one"),
            ("ar", "2", "two"),
            ("ar", "3", "few"),
            ("ar", "10", "few"),
            ("ar", "11", "many"),
            ("ar", "99", "many"),
            ("ar", "100", "other"),
            ("pl", "1", "one"),
            ("pl", "2", "few"),
            ("pl", "4", "few"),
            ("pl", "5", "many"),
            ("pl", "22", "few"),
            ("pl", "1.5", "other"),
            ("fr", "1000000", "many"),
            ("ar", "103", "few"),
            ("ar", "111", "many"),
            ("lt", "22", "few"),
        ];
        for (l, n, want) in cases {
            assert_eq!(
                plural_category_decimal(&lid(l), n).unwrap(),
                *want,
                "icu {l} {n}"
            );
            assert_eq!(selected_icu(l, n, ALL), *want, "bundle $n {l} {n}");
            assert_eq!(
                selected_icu(l, n, ALL_NUMBER),
                *want,
                "bundle NUMBER {l} {n}"
            );
        }
        // Without the rewrite fluent-bundle's own data gets these wrong:
        assert_eq!(selected("fr", "1000000", ALL), "other");
        assert_eq!(selected("ar", "103", ALL), "other");
        assert_eq!(plural_category(&lid("fr"), 1_000_000.0), "many");
        assert_eq!(plural_category(&lid("ar"), 3.0), "few");
        assert_eq!(plural_category(&lid("en"), 1.0), "one");
        assert_eq!(plural_category(&lid("en"), f64::NAN), "other");
        assert_eq!(plural_category_decimal(&lid("en"), "1.0").unwrap(), "other");
        assert!(plural_category_decimal(&lid("en"), "x").is_err());
        let pct = FluentNumber::new(
            0.01,
            fluent_bundle::types::FluentNumberOptions {
                style: FluentNumberStyle::Percent,
                ..Default::default()
            },
        );
        assert_eq!(number_plural_category(&lid("en"), &pct).unwrap(), "one");
    }

    #[test]
    fn rewrite_only_touches_numeric_selectors_with_named_keys() {
        assert_eq!(icu_plural_selectors("a = plain { $x }\n"), None);
        assert_eq!(
            icu_plural_selectors("a = { $x ->\n"),
            None,
            "syntax error: untouched"
        );
        let src = "\
# comment
a = { $n ->
    [0] none
    [one] one
   *[other] other
 }
b = { $g ->
    [male] he
   *[other] they
 }
c = { -t.gender ->
    [f] elle
   *[m] il
 }
-t = T
    .gender = f
d = { NUMBER($n, minimumFractionDigits: 1) ->
    [one] one { $n }
   *[other] { 5 ->
        [few] few
       *[other] other
    }
 }
    .title = { $n ->
        [one] one
       *[other] other
    }
";
        let out = icu_plural_selectors(src).unwrap();
        assert!(out.contains("# comment"), "{out}");
        assert!(out.contains("{ $n ->\n        [0] none"), "{out}");
        assert!(out.contains("{ PLURAL($g) ->"), "{out}");
        assert!(out.contains("{ -t.gender ->"), "{out}");
        assert!(
            out.contains("PLURAL(NUMBER($n, minimumFractionDigits: 1))"),
            "{out}"
        );
        assert!(out.contains("PLURAL(5)"), "{out}");
        assert_eq!(out.matches("PLURAL(").count(), 4, "{out}");
        // The rewritten resource still formats: numeric keys, strings and terms included.
        let res = FluentResource::try_new(out.clone()).unwrap();
        let mut bundle = FluentBundle::new(vec![lid("fr")]);
        bundle.set_use_isolating(false);
        bundle.add_resource(res).unwrap();
        add_functions(&mut bundle, &lid("fr"));
        let mut errors = vec![];
        let mut fmt = |id: &str, args: &FluentArgs| {
            let msg = bundle.get_message(id).unwrap();
            bundle
                .format_pattern(msg.value().unwrap(), Some(args), &mut errors)
                .to_string()
        };
        assert_eq!(fmt("a", &one_arg("n", 0)), "none");
        assert_eq!(fmt("a", &one_arg("n", 1)), "one");
        assert_eq!(fmt("b", &one_arg("g", "male")), "he");
        assert_eq!(fmt("c", &FluentArgs::new()), "elle");
        assert_eq!(fmt("d", &one_arg("n", 1)), "one 1");
        assert_eq!(fmt("d", &one_arg("n", 7)), "other");
        assert!(errors.is_empty(), "{errors:?}");
        // Ordinals through NUMBER(type: "ordinal").
        let src = "msg = { NUMBER($n, type: \"ordinal\") ->\n [one] {$n}st\n [two] {$n}nd\n [few] {$n}rd\n *[other] {$n}th\n }\n";
        let out = icu_plural_selectors(src).unwrap();
        for (n, want) in [
            (1, "1st"),
            (2, "2nd"),
            (3, "3rd"),
            (4, "4th"),
            (11, "11th"),
            (22, "22nd"),
        ] {
            assert_eq!(render("en", &out, &one_arg("n", n)).0, want);
        }
    }

    #[test]
    fn plural_categories_per_locale() {
        assert_eq!(plural_categories(&lid("zh")), ["other"]);
        assert_eq!(plural_categories(&lid("en")), ["one", "other"]);
        assert_eq!(
            plural_categories(&lid("ar")),
            ["zero", "one", "two", "few", "many", "other"]
        );
        assert_eq!(
            plural_categories(&lid("pl")),
            ["one", "few", "many", "other"]
        );
        assert_eq!(plural_categories(&lid("fr")), ["one", "many", "other"]);
        assert_eq!(plural_categories(&lid("de-CH")), ["one", "other"]);
        assert_eq!(plural_categories(&lid("xx")), ["other"]);
    }

    /// ICU4X vs fluent-bundle (intl_pluralrules, CLDR 37) on 0..=200, fractions and a few large
    /// numbers. Every disagreement must be listed here explicitly.
    #[test]
    fn icu_and_fluent_plural_selection_agree() {
        // (locale, n, ICU4X, fluent-bundle 0.16 / intl_pluralrules 7.0.2)
        let mut known: Vec<(String, String, String, String)> = vec![];
        let mut add = |l: &str, n: String, icu: &str, fluent: &str| {
            known.push((l.into(), n, icu.into(), fluent.into()))
        };
        // intl_pluralrules drops `n % 100` in "n % 100 = 3..10" / "11..99" (ar few/many).
        for n in 103..=110 {
            add("ar", n.to_string(), "few", "other");
        }
        for n in 111..=199 {
            add("ar", n.to_string(), "many", "other");
        }
        add("ar", "10.1".into(), "other", "few");
        // fr `many` (e = 0 and i != 0 and i % 1000000 = 0 and v = 0) arrived in CLDR 38.
        add("fr", "1000000".into(), "many", "other");
        add("fr", "2000000".into(), "many", "other");
        // he lost `many` and gained `one` for 0.x in CLDR 42.
        for n in (20..=200).step_by(10) {
            add("he", n.to_string(), "other", "many");
        }
        add("he", "0.0".into(), "one", "other");
        add("he", "0.5".into(), "one", "other");
        add("he", "1000000".into(), "other", "many");
        add("he", "2000000".into(), "other", "many");
        // lt: intl_pluralrules drops `n % 10` / `n % 100` ("n % 10 = 2..9 and n % 100 != 11..19").
        for n in 22..=199 {
            let (d, h) = (n % 10, n % 100);
            if (2..=9).contains(&d) && !(11..=19).contains(&h) {
                add("lt", n.to_string(), "few", "other");
            }
            if n == 111 {
                add("lt", n.to_string(), "other", "one");
            }
        }
        add("lt", "2.5".into(), "many", "few");
        let order = |l: &str| {
            [
                "en", "zh", "fr", "ar", "pl", "de", "ru", "he", "hi", "cs", "lt",
            ]
            .iter()
            .position(|x| *x == l)
        };
        let mut numbers: Vec<String> = (0..=200).map(|n| n.to_string()).collect();
        numbers.extend(
            [
                "0.0", "0.5", "1.0", "1.5", "2.5", "1.25", "3.00", "10.1", "1000000", "2000000",
            ]
            .map(String::from),
        );
        let mut found = vec![];
        for l in [
            "en", "zh", "fr", "ar", "pl", "de", "ru", "he", "hi", "cs", "lt",
        ] {
            for n in &numbers {
                let icu = plural_category_decimal(&lid(l), n).unwrap();
                let fluent = selected(l, n, ALL);
                if icu != fluent {
                    found.push((l.to_string(), n.clone(), icu.to_string(), fluent));
                }
            }
        }
        let key = |e: &(String, String, String, String)| {
            (order(&e.0), e.1.parse::<f64>().unwrap_or(0.0), e.1.clone())
        };
        found.sort_by(|a, b| key(a).partial_cmp(&key(b)).unwrap());
        known.sort_by(|a, b| key(a).partial_cmp(&key(b)).unwrap());
        assert_eq!(found, known);
    }

    fn dt(locale: &str, date: &str, opts: &str) -> String {
        let src = format!("msg = {{ DATETIME($d{opts}) }}\n");
        let (out, errs) = render(locale, &src, &one_arg("d", date.to_string()));
        assert_eq!(errs, 0);
        out
    }

    #[test]
    fn datetime_date_styles() {
        let d = "2026-11-25";
        let long = r#", dateStyle: "long""#;
        assert_eq!(dt("en-US", d, long), "November 25, 2026");
        assert_eq!(dt("zh-CN", d, long), "2026年11月25日");
        assert_eq!(dt("de", d, long), "25. November 2026");
        assert_eq!(dt("fr", d, long), "25 novembre 2026");
        assert_eq!(dt("ar", d, long), "25 نوفمبر 2026");
        // ICU4X's semantic-skeleton data puts a comma in Hindi's long date.
        assert_eq!(dt("hi", d, long), "25 नवंबर, 2026");
        assert_eq!(
            dt("en-US", d, r#", dateStyle: "full""#),
            "Wednesday, November 25, 2026"
        );
        assert_eq!(dt("en-US", d, r#", dateStyle: "medium""#), "Nov 25, 2026");
        assert_eq!(dt("en-US", d, r#", dateStyle: "short""#), "11/25/26");
        assert_eq!(dt("de", d, r#", dateStyle: "short""#), "25.11.26");
        assert_eq!(dt("en-US", d, ""), "11/25/2026");
        assert_eq!(dt("de", d, ""), "25.11.2026");
    }

    #[test]
    fn datetime_with_time() {
        let d = "2026-11-25T14:30:00";
        assert_eq!(
            dt("en-US", d, r#", dateStyle: "long", timeStyle: "short""#),
            "November 25, 2026 at 2:30\u{202f}PM"
        );
        assert_eq!(dt("de", d, r#", timeStyle: "short""#), "14:30");
        assert_eq!(
            dt("en-US", "2026-11-25T14:30:05", r#", timeStyle: "medium""#),
            "2:30:05\u{202f}PM"
        );
        assert_eq!(
            dt("en-US", "2026-11-25 14:30", r#", timeStyle: "short""#),
            "2:30\u{202f}PM"
        );
        assert_eq!(
            dt("fr", "2026-11-25T14:30:05.25", r#", timeStyle: "medium""#),
            "14:30:05"
        );
        assert_eq!(
            format_datetime(&lid("zh-CN"), d, Some("long"), Some("short")).unwrap(),
            "2026年11月25日 14:30"
        );
    }

    #[test]
    fn datetime_invalid_input_is_an_error_not_a_panic() {
        for bad in [
            "",
            "tomorrow",
            "2026-13-01",
            "2026-02-30",
            "2026-11-25T25:00",
            "2026-11-25T14:30Z",
            "2026-11-25T14:30:00+01:00",
            "26-11-25",
            "2026-1-5",
            "2026-11-25T",
            "２０２６-11-25",
            "2026-11-25T14:30:00.",
            "2026-11-25T14:30:00.1234567890",
        ] {
            assert!(parse_iso(bad).is_err(), "{bad:?}");
            let (out, _) = render(
                "en",
                "msg = { DATETIME($d) }\n",
                &one_arg("d", bad.to_string()),
            );
            assert_eq!(out, "DATETIME()", "{bad:?}");
        }
        let (out, _) = render("en", "msg = { DATETIME($d) }\n", &one_arg("d", 5));
        assert_eq!(out, "DATETIME()");
        let (out, _) = render(
            "en",
            "msg = { DATETIME($d, dateStyle: \"huge\") }\n",
            &one_arg("d", "2026-11-25"),
        );
        assert_eq!(out, "DATETIME()");
        assert!(matches!(
            format_datetime(&lid("en"), "2026-02-29", None, None),
            Err(IntlError::InvalidDate(_))
        ));
    }

    #[test]
    fn rtl_locales() {
        for l in ["ar", "he", "fa", "ur", "ar-EG", "yi"] {
            assert!(is_rtl(&lid(l)), "{l}");
        }
        for l in ["en", "zh-CN", "fr", "hi", "de", "az-Latn"] {
            assert!(!is_rtl(&lid(l)), "{l}");
        }
    }

    #[test]
    fn concurrent_bundle_is_supported() {
        let lang = lid("de");
        let mut bundle =
            fluent_bundle::concurrent::FluentBundle::new_concurrent(vec![lang.clone()]);
        bundle.set_use_isolating(false);
        bundle
            .add_resource(FluentResource::try_new("msg = { $n }\n".to_string()).unwrap())
            .unwrap();
        add_functions(&mut bundle, &lang);
        let msg = bundle.get_message("msg").unwrap();
        let mut errors = vec![];
        let out = bundle.format_pattern(
            msg.value().unwrap(),
            Some(&one_arg("n", 1234.5)),
            &mut errors,
        );
        assert_eq!(out, "1.234,5");
    }
}
