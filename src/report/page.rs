//! The dashboard's HTML: a header, one card per locale (completion bar and counts), the page ×
//! locale matrix, the reasons behind every cell that is not plainly published, the missing and
//! stale ids of every file, and the other findings of `check`.

use std::fmt::Write as _;

use super::{Model, Place};
use crate::activation::Status;
use crate::html::escape;

/// The page's only stylesheet, inlined so the file works alone (`file://` included).
const STYLE: &str = include_str!("style.css");

/// The whole document.
pub(super) fn render(m: &Model<'_>) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Translation status</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n"
    );
    header(m, &mut out);
    out.push_str("<main>\n");
    locales(m, &mut out);
    pages(m, &mut out);
    reasons(m, &mut out);
    files(m, &mut out);
    findings(m, &mut out);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// A locale's name in its own language, isolated and marked with its language.
fn name(code: &str, name: &str) -> String {
    format!(
        "<bdi lang=\"{}\">{}</bdi> <code>{}</code>",
        escape(code),
        escape(name),
        escape(code)
    )
}

/// `part` of `whole` as a percentage with one decimal, rounded as `check`'s table rounds it,
/// except that only a whole part reads `100.0` (an empty whole counts as whole).
fn percent(part: usize, whole: usize) -> String {
    if whole == 0 || part >= whole {
        return "100.0".into();
    }
    let tenths = (part.saturating_mul(1000) + whole / 2) / whole;
    let tenths = tenths.min(999);
    format!("{}.{}", tenths / 10, tenths % 10)
}

fn header(m: &Model<'_>, out: &mut String) {
    let plan = &m.report.activation;
    let policy = match &plan.policy {
        Some(p) => {
            let mut text = format!(
                "Activation: a page is published in a locale that has every <code>##&nbsp;Required</code> message of it and {}% of all of them",
                p.percent_required
            );
            for (l, pct) in &p.locales {
                let _ = write!(text, "; {} {pct}%", escape(l));
            }
            if !p.inactive.is_empty() {
                let list: Vec<String> = p.inactive.iter().map(|l| escape(l)).collect();
                let _ = write!(text, "; inactive: {}", list.join(", "));
            }
            text.push('.');
            text
        }
        None => "No activation policy: every page is published in every locale.".to_string(),
    };
    let _ = write!(
        out,
        "<header class=\"top\">\n<h1>Translation status</h1>\n<p>Source locale {}, {} page(s), {} target locale(s). {policy}</p>\n\
         <nav aria-label=\"Sections\"><a href=\"#locales\">Locales</a> <a href=\"#pages\">Pages</a> <a href=\"#files\">Files</a> <a href=\"#findings\">Findings</a></nav>\n</header>\n",
        name(&m.site.source.code, &m.source_name),
        m.site.pages.len(),
        m.locales.len(),
    );
}

fn locales(m: &Model<'_>, out: &mut String) {
    out.push_str("<section id=\"locales\">\n<h2>Locales</h2>\n<div class=\"cards\">\n");
    for l in &m.locales {
        let pct = percent(l.translated, l.messages);
        let c = m.report.activation.counts(&l.code);
        let code = escape(&l.code);
        let _ = write!(
            out,
            "<article class=\"card\" id=\"locale-{code}\">\n<h3>{}</h3>\n\
             <div class=\"bar\" aria-hidden=\"true\"><span style=\"width: {pct}%\"></span></div>\n\
             <p class=\"completion\"><strong>{pct}%</strong> translated ({} of {})</p>\n<dl class=\"counts\">\n",
            name(&l.code, &l.name),
            l.translated,
            l.messages
        );
        for (label, n) in [
            ("translated", l.translated),
            ("missing", l.missing),
            ("stale", l.stale),
            ("fallback", l.fallback),
            ("errors", l.errors),
            ("warnings", l.warnings),
        ] {
            let _ = writeln!(out, "<div><dt>{label}</dt><dd>{n}</dd></div>");
        }
        let _ = write!(
            out,
            "</dl>\n<p class=\"page-counts\">Pages: {} published, {} with fallback, {} held back, {} inactive. <a href=\"#files-{code}\">Missing and stale ids</a></p>\n</article>\n",
            c.published, c.fallback, c.held_back, c.inactive
        );
    }
    out.push_str("</div>\n</section>\n");
}

fn pages(m: &Model<'_>, out: &mut String) {
    let _ = write!(
        out,
        "<section id=\"pages\">\n<h2>Pages</h2>\n<p>Each page in each target locale ({} publishes every page). A cell that is not plainly published links to its reasons.</p>\n\
         <table class=\"matrix\">\n<thead><tr><th scope=\"col\">Page</th>",
        escape(&m.site.source.code)
    );
    for l in &m.locales {
        let _ = write!(out, "<th scope=\"col\">{}</th>", name(&l.code, &l.name));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    // One row per page of the site (tens of thousands on a large one, remade on every preview
    // rebuild): written straight into `out`, the per-locale labels escaped once.
    let labels: Vec<String> = m
        .locales
        .iter()
        .map(|l| escape(&format!("{} ({})", l.name, l.code)))
        .collect();
    for (i, page) in m.report.activation.pages.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><code>{}</code> <span class=\"meta\">",
            escape(&page.output)
        );
        if page.dynamic {
            out.push_str("every message (computed ids)");
        } else {
            let _ = write!(out, "{} message(s)", page.messages);
        }
        out.push_str("</span></th>");
        for (l, label) in m.locales.iter().zip(&labels) {
            let _ = write!(out, "<td data-label=\"{label}\">");
            match m.status(i, &l.code) {
                Some(Status::Published) | None => {
                    out.push_str("<span class=\"status published\">published</span>")
                }
                Some(s) => {
                    let _ = write!(
                        out,
                        "<a class=\"status {}\" href=\"#s-{i}-{}\">{}</a>",
                        class(s),
                        escape(&l.code),
                        s.label()
                    );
                }
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn class(s: &Status) -> &'static str {
    match s {
        Status::Published => "published",
        Status::Fallback { .. } => "fallback",
        Status::HeldBack(_) => "held",
        Status::Inactive => "inactive",
    }
}

fn reasons(m: &Model<'_>, out: &mut String) {
    out.push_str("<section id=\"reasons\">\n<h2>Reasons</h2>\n");
    let mut any = false;
    for (i, page) in m.report.activation.pages.iter().enumerate() {
        for l in &m.locales {
            let Some(status) = m.status(i, &l.code) else {
                continue;
            };
            if matches!(status, Status::Published) {
                continue;
            }
            any = true;
            let _ = write!(
                out,
                "<article class=\"reason\" id=\"s-{i}-{}\">\n<h3><code>{}</code> in {}: <span class=\"status {}\">{}</span></h3>\n",
                escape(&l.code),
                escape(&page.output),
                name(&l.code, &l.name),
                class(status),
                status.label()
            );
            match status {
                Status::Fallback { missing, sticky } => {
                    let _ = writeln!(
                        out,
                        "<p>Published with {} of {} message(s) from the fallback chain, each marked with the language it is shown in.</p>",
                        missing.len(),
                        page.messages
                    );
                    if *sticky {
                        out.push_str("<p>Kept published below the policy: <code>activation.lock</code> records the page, and activation is not undone automatically (<code>ftlsite check --deactivate</code> does it on purpose).</p>\n");
                    }
                    out.push_str("<ul class=\"ids\">\n");
                    for f in missing.iter() {
                        let _ = writeln!(
                            out,
                            "<li><code>{}</code> from <code>{}</code> <span class=\"at\">{}</span></li>",
                            escape(&f.id),
                            escape(&f.locale),
                            escape(m.defined(&f.id))
                        );
                    }
                    out.push_str("</ul>\n");
                }
                Status::HeldBack(s) => {
                    let _ = writeln!(
                        out,
                        "<p>Not published: {} of {} message(s) translated ({}%), {}% required.</p>",
                        s.translated,
                        s.total,
                        percent(s.translated, s.total),
                        s.percent_required
                    );
                    if !s.required.is_empty() {
                        let ids: Vec<String> = s
                            .required
                            .iter()
                            .map(|id| format!("<code>{}</code>", escape(id)))
                            .collect();
                        let _ = writeln!(
                            out,
                            "<p>Missing from a <code>##&nbsp;Required</code> group: {}.</p>",
                            ids.join(", ")
                        );
                    }
                    out.push_str("<ul class=\"ids\">\n");
                    for id in s.missing.iter() {
                        let _ = writeln!(
                            out,
                            "<li><code>{}</code> <span class=\"at\">{}</span></li>",
                            escape(id),
                            escape(m.defined(id))
                        );
                    }
                    out.push_str("</ul>\n");
                }
                Status::Inactive => out.push_str(
                    "<p>The locale is listed in <code>[activation] inactive</code> in site.toml: no page is published in it.</p>\n",
                ),
                Status::Published => {}
            }
            out.push_str("</article>\n");
        }
    }
    if !any {
        out.push_str("<p class=\"none\">Every page is published in every locale with every message translated.</p>\n");
    }
    out.push_str("</section>\n");
}

fn files(m: &Model<'_>, out: &mut String) {
    out.push_str("<section id=\"files\">\n<h2>Files</h2>\n<p>Missing ids are placed where the source defines them; stale ones where the translation is.</p>\n");
    for l in &m.locales {
        let _ = writeln!(
            out,
            "<section class=\"locale-files\" id=\"files-{}\">\n<h3>{}</h3>",
            escape(&l.code),
            name(&l.code, &l.name)
        );
        if l.files.is_empty() {
            out.push_str("<p class=\"none\">Nothing missing or stale.</p>\n");
        }
        for (path, f) in &l.files {
            let _ = writeln!(
                out,
                "<article class=\"file\">\n<h4><code>{}</code></h4>",
                escape(path)
            );
            ids(out, "Missing", &f.missing);
            ids(out, "Stale", &f.stale);
            out.push_str("</article>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</section>\n");
}

fn ids(out: &mut String, label: &str, places: &[Place]) {
    if places.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<h5>{label} ({})</h5>\n<ul class=\"ids\">",
        places.len()
    );
    for p in places {
        let _ = writeln!(
            out,
            "<li><code>{}</code> <span class=\"at\">{}</span></li>",
            escape(&p.key),
            escape(&p.at)
        );
    }
    out.push_str("</ul>\n");
}

fn findings(m: &Model<'_>, out: &mut String) {
    out.push_str("<section id=\"findings\">\n<h2>Findings</h2>\n<p>Everything else <code>ftlsite check</code> reports.</p>\n");
    if m.other.is_empty() {
        out.push_str("<p class=\"none\">None.</p>\n");
    }
    for (path, places) in &m.other {
        let shown = if path.is_empty() { "(site)" } else { path };
        let _ = writeln!(
            out,
            "<article class=\"file\">\n<h4><code>{}</code></h4>\n<ul class=\"findings\">",
            escape(shown)
        );
        for p in places {
            let _ = writeln!(
                out,
                "<li><span class=\"code {}\">{}</span> <span class=\"at\">{}</span> {}</li>",
                if p.error { "error" } else { "warning" },
                p.code,
                escape(&p.at),
                escape(&p.message)
            );
        }
        out.push_str("</ul>\n</article>\n");
    }
    out.push_str("</section>\n");
}
