//! `DATETIME()`: ISO dates and times formatted with ICU4X date-time data.

#[allow(
    clippy::wildcard_imports,
    reason = "the shared imports of the intl module"
)]
use super::*;

// ---------------------------------------------------------------------------------------------
// DATETIME
// ---------------------------------------------------------------------------------------------

/// The four ECMA-402 style lengths accepted by `dateStyle` and `timeStyle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    Full,
    Long,
    Medium,
    Short,
}

/// Parses a `dateStyle`/`timeStyle` option value.
pub(super) fn style_option(name: &str, value: &FluentValue) -> Result<Style, IntlError> {
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
pub(super) fn datetime_function(
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
pub(super) fn date_style_name(s: Option<Style>) -> Option<&'static str> {
    s.map(|s| match s {
        Style::Full => "full",
        Style::Long => "long",
        Style::Medium => "medium",
        Style::Short => "short",
    })
}

/// Same as [`date_style_name`], for `timeStyle`.
pub(super) fn time_style_name(s: Option<Style>) -> Option<&'static str> {
    date_style_name(s)
}

/// Parses `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:MM[:SS[.fraction]]`.
///
/// Zone designators (`Z`, `+01:00`) are rejected: the site has no time zone to convert to, and
/// silently dropping one would print a wrong wall-clock time.
pub(super) fn parse_iso(text: &str) -> Result<DateTime<icu_calendar::Iso>, IntlError> {
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
