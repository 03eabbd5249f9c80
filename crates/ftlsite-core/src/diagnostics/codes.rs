//! The registry of diagnostic codes: every finding ftlsite reports has one stable code here.
//!
//! A code is never renumbered or reused. The hundreds digit is the family: 0xx configuration and
//! files, 1xx Fluent syntax, 2xx coverage, 3xx placeables and references, 4xx markup, 5xx
//! templates and links, 6xx translation QA (text compared with its source, typography,
//! consistency, source style), 7xx the terminology glossary. `docs/diagnostics.md` is generated
//! from this table (see `docs_table`).

use serde::Serialize;

/// How bad a finding is: errors fail `build` and `check`; warnings only under `--deny-warnings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks a release build.
    Error,
    /// Worth a look; blocks only with `--deny-warnings`.
    Warning,
}

macro_rules! codes {
    ($( $name:ident = $sev:ident, $family:literal, $summary:literal, $fix:literal; )*) => {
        /// A stable diagnostic code. The variant name is the code as printed.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $(
            #[doc = $summary]
            $name,
        )* }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            /// The code as printed, e.g. `E201`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => stringify!($name)),* }
            }

            /// Error or warning.
            pub fn severity(self) -> Severity {
                match self { $(Code::$name => Severity::$sev),* }
            }

            /// The family the hundreds digit stands for.
            pub fn family(self) -> &'static str {
                match self { $(Code::$name => $family),* }
            }

            /// One line saying what the code means.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$name => $summary),* }
            }

            /// One line saying how to fix it.
            pub fn fix(self) -> &'static str {
                match self { $(Code::$name => $fix),* }
            }
        }
    };
}

codes! {
    E001 = Error, "config", "site.toml or the glossary is not valid (syntax, unknown key, wrong type)", "correct the marked key; see docs/site-format.md";
    E002 = Error, "config", "unknown or malformed locale code", "use a BCP 47 code such as en-US or zh-CN";
    E003 = Error, "files", "file is not valid UTF-8", "re-save the file as UTF-8";
    E004 = Error, "files", "path escapes its folder", "use a relative path without `..` that stays inside the folder";
    E005 = Error, "files", "a file or folder the site needs is missing", "create it, or fix the name in site.toml";
    E006 = Error, "config", "two pages write the same output path, or one needs the other's file as a folder", "give each page its own output path";
    E008 = Error, "files", "file name is not valid UTF-8", "rename the file with a UTF-8 name";
    W001 = Warning, "files", "symbolic link leading out of the site folder (or broken, or looping) was not read", "copy the file into the site folder, or point the link inside it";
    E101 = Error, "syntax", "Fluent syntax error (the entry became junk)", "correct the marked line; the entry is ignored until it parses";
    E102 = Error, "syntax", "placeables nested too deep (more than 32 levels)", "write the text with less nesting";
    E201 = Error, "coverage", "message of the source locale missing in this locale", "translate the message in this locale's file";
    E202 = Error, "coverage", "term of the source locale missing in this locale", "translate the term in this locale's file";
    W201 = Warning, "coverage", "message or term not in the source locale (obsolete)", "delete it, or restore it in the source locale";
    E203 = Error, "coverage", "the same id is defined twice in one locale", "remove or rename one of the two";
    E204 = Error, "coverage", "value or attribute of the source missing in the translation", "add the value or attribute the source has";
    E205 = Error, "coverage", "value or attribute in the translation that the source does not have", "remove it, or add it to the source";
    W202 = Warning, "coverage", "empty translation", "write the translation, or remove the message to show it as missing";
    W203 = Warning, "coverage", "translation identical to the source", "translate it, or list the text in the allow-list if it is a name or code";
    W204 = Warning, "coverage", "stale translation: the source text changed since it was confirmed", "review the translation, then run `ftlsite check --confirm`";
    E301 = Error, "placeables", "variable not present in the source message", "use the source's variables (check the spelling)";
    E302 = Error, "placeables", "variable of the source message missing in the translation", "use every variable the source uses";
    E303 = Error, "placeables", "reference to a message or term that does not exist", "define it, or reference an existing id";
    W301 = Warning, "placeables", "message or term references differ from the source", "reference the same messages and terms as the source";
    E304 = Error, "placeables", "select expression has duplicate variant keys", "give each variant a distinct key";
    E305 = Error, "placeables", "plural variant key that this locale does not use", "use only this locale's CLDR plural categories";
    W302 = Warning, "placeables", "plural category this locale needs has no variant", "add a variant for the category, or rely on the default knowingly";
    E306 = Error, "placeables", "messages or terms reference each other in a cycle", "break the cycle: one of the references must go";
    E307 = Error, "placeables", "call of a function that does not exist", "use NUMBER() or DATETIME(), spelled in capitals";
    E308 = Error, "placeables", "function arguments that cannot be formatted", "pass the arguments the function takes (see docs/diagnostics.md)";
    E309 = Error, "placeables", "message expands to more text than a page can hold (over 1 MiB)", "reference long texts fewer times, or shorten them";
    E401 = Error, "markup", "markup that the source does not have, or outside the allowed inline tags", "use the source's markup, and only the allowed inline tags";
    W401 = Warning, "markup", "line break (<br>) that the source does not have", "keep it if the line needs breaking in this language, or remove it";
    E402 = Error, "markup", "event-handler attribute in markup", "remove the on* attribute";
    E403 = Error, "markup", "javascript: or data: URL in markup", "link to an http(s) or relative URL";
    E404 = Error, "markup", "translated link points somewhere the source's does not (fixed text for a placeable, another host, or dropped)", "keep the source's link target";
    W402 = Warning, "markup", "translated link target differs from the source's on the same site", "check that the localized address is intended";
    E501 = Error, "templates", "template names a message the source locale does not have", "add the message to the source locale, or fix the id";
    W501 = Warning, "templates", "source message that no template uses", "remove it, or use it in a template";
    W502 = Warning, "templates", "visible text written in a template", "move the text into a message and call t()";
    E502 = Error, "templates", "template syntax or render error", "correct the template at the marked line";
    E503 = Error, "templates", "link() names a link site.toml does not declare", "declare it under [links] in site.toml";
    E504 = Error, "templates", "relative link or #fragment that resolves to nothing generated", "link to a generated page, an asset, an id on the page, or a [links] URL";
    E505 = Error, "templates", "template extends, includes or imports a template that does not exist", "create the template, or fix its name";
    W601 = Warning, "qa", "sentence-final punctuation differs from the source (or is not this locale's style)", "end the translation as the source ends, in this locale's punctuation";
    W602 = Warning, "qa", "leading or trailing whitespace differs from the source", "start and end the translation as the source does";
    W603 = Warning, "qa", "doubled space in the translation", "write one space";
    W604 = Warning, "qa", "the same word twice in a row", "remove the repeated word";
    W605 = Warning, "qa", "number of the source missing or different in the translation", "write the source's numbers, or format them with NUMBER()";
    W606 = Warning, "qa", "URL or e-mail address differs from the source", "copy the address from the source";
    W607 = Warning, "qa", "unbalanced brackets or quotes in the translation", "close every bracket and quote the translation opens";
    W608 = Warning, "qa", "typography not in this locale's style (straight quotes, `...`)", "use the locale's quotes and `…`; `ftlsite check --fix` does it";
    W609 = Warning, "qa", "spacing between CJK and Latin letters or digits breaks the locale's convention", "add or remove the space as site.toml's `cjk-spacing` says";
    W610 = Warning, "qa", "the same source text is translated differently in this locale", "use one translation for the same text";
    W611 = Warning, "qa", "one translation is used for different source texts", "check that both source texts mean the same; otherwise tell them apart";
    W612 = Warning, "qa", "translation much longer or shorter than its source", "check for missing or extra text; set a per-message band in a comment if it is right";
    W613 = Warning, "qa", "brand name written as text in the source where a Fluent term exists", "reference the term, e.g. { -brand-name }";
    W614 = Warning, "qa", "typography in the source locale (straight quotes, `...`, doubled spaces)", "use “ ” ’ and …, and one space";
    W615 = Warning, "qa", "message id breaks the site's naming rule", "rename the id to match `id-pattern` in site.toml";
    W616 = Warning, "qa", "file does not end with a newline", "end the file with a newline; `ftlsite check --fix` does it";
    E701 = Error, "glossary", "required rendering of a strict glossary term missing in the translation", "use the glossary's rendering of the term";
    W701 = Warning, "glossary", "required rendering of a glossary term missing in the translation", "use the glossary's rendering of the term";
    E702 = Error, "glossary", "forbidden rendering of a strict glossary term in the translation", "replace it with the glossary's rendering";
    W702 = Warning, "glossary", "forbidden rendering of a glossary term in the translation", "replace it with the glossary's rendering";
    W703 = Warning, "glossary", "do-not-translate term translated", "keep the term as the source writes it, or use its Fluent term";
}

impl Code {
    /// Parses a printed code back (`"E201"` → `Code::E201`).
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    /// The Markdown table of every code, as written to `docs/diagnostics.md`. Each row opens
    /// with an anchor named after the code, which SARIF `helpUri`s link to
    /// (`docs/diagnostics.md#E201`).
    pub fn docs_table() -> String {
        let mut out = String::from(
            "| Code | Severity | Family | Summary | Fix |\n|------|----------|--------|---------|-----|\n",
        );
        for code in Code::ALL {
            let sev = match code.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            out.push_str(&format!(
                "| <a id=\"{id}\"></a>{id} | {} | {} | {} | {} |\n",
                sev,
                code.family(),
                code.summary(),
                code.fix(),
                id = code.as_str(),
            ));
        }
        out
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
