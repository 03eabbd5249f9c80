//! Tests of the intl module against CLDR's expected strings.

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
    // Not a plural: `male` is not a CLDR category, so fluent-bundle matches the string.
    assert!(out.contains("{ $g ->"), "{out}");
    assert!(out.contains("{ -t.gender ->"), "{out}");
    assert!(
        out.contains("PLURAL(NUMBER($n, minimumFractionDigits: 1))"),
        "{out}"
    );
    assert!(out.contains("PLURAL(5)"), "{out}");
    assert_eq!(out.matches("PLURAL(").count(), 3, "{out}");
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
    let mut bundle = fluent_bundle::concurrent::FluentBundle::new_concurrent(vec![lang.clone()]);
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
