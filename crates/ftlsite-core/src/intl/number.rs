//! `NUMBER()` and plain numeric placeables, formatted with ICU4X decimal data.

#[allow(
    clippy::wildcard_imports,
    reason = "the shared imports of the intl module"
)]
use super::*;

// ---------------------------------------------------------------------------------------------
// NUMBER
// ---------------------------------------------------------------------------------------------

/// Implements `NUMBER($n, ...)`: validates the argument and the options and returns a number
/// value that carries them (formatting happens later in [`format_value`]).
pub(super) fn number_function<'a>(
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
pub(super) fn digits_option(
    name: &str,
    value: &FluentValue,
    max: usize,
) -> Result<usize, IntlError> {
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
pub(super) fn apply_number_options(
    number: &mut FluentNumber,
    named: &FluentArgs,
) -> Result<(), IntlError> {
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
pub(super) fn grouping_strategy(number: &FluentNumber) -> GroupingStrategy {
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
pub(super) fn decimal_from_f64(value: f64) -> Result<Decimal, IntlError> {
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
pub(super) fn rounded_decimal(number: &FluentNumber) -> Result<Decimal, IntlError> {
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
pub(super) fn cached_decimal_formatter(
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
pub(super) fn percent_affixes(locale: &LanguageIdentifier) -> (&'static str, &'static str) {
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
pub(super) fn icu_locale(locale: &LanguageIdentifier) -> Result<Locale, IntlError> {
    Locale::try_from_str(&locale.to_string())
        .map_err(|e| IntlError::Locale(format!("{locale}: {e:?}")))
}
