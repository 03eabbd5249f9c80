//! sitemap.xml with `xhtml:link` alternates, and the root `index.html` that picks the reader's
//! language. Both list only what the activation plan publishes.

use std::collections::BTreeMap;

use crate::activation::Plan;
use crate::html::{escape as escape_html, escape_js};
use crate::site::Site;

/// Every published page of every locale, each with its alternates in every locale that
/// publishes it plus `x-default` (the source locale's). URLs are absolute with a base URL and
/// root-relative paths without one.
pub fn sitemap(site: &Site, plan: &Plan) -> String {
    let base = site.base_url.as_deref().unwrap_or("");
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    // Each URL is escaped once per page and locale, then written into every entry that lists
    // it: a site of 10,000 pages in two locales has 60,000 alternates. Pages are written on all
    // cores, in runs joined in page order.
    use rayon::prelude::*;
    let parts: Vec<String> = site
        .pages
        .par_chunks(256)
        .map(|pages| {
            let mut out = String::new();
            let mut urls: Vec<(&str, String)> = Vec::new();
            for page in pages {
                urls.clear();
                urls.extend(
                    super::activation::published_locales(site, plan, page).map(|l| {
                        (
                            l.code.as_str(),
                            escape_html(&[base, &l.code, "/", &page.output].concat()),
                        )
                    }),
                );
                let default = escape_html(&[base, &site.source.code, "/", &page.output].concat());
                for (_, loc) in &urls {
                    out.push_str("  <url>\n    <loc>");
                    out.push_str(loc);
                    out.push_str("</loc>\n");
                    for (code, href) in &urls {
                        out.push_str("    <xhtml:link rel=\"alternate\" hreflang=\"");
                        out.push_str(code);
                        out.push_str("\" href=\"");
                        out.push_str(href);
                        out.push_str("\"/>\n");
                    }
                    out.push_str(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"",
                    );
                    out.push_str(&default);
                    out.push_str("\"/>\n  </url>\n");
                }
            }
            out
        })
        .collect();
    out.reserve(parts.iter().map(String::len).sum::<usize>() + 12);
    for part in &parts {
        out.push_str(part);
    }
    out.push_str("</urlset>\n");
    out
}

/// The root page: a plain list of the locales (each named in its own language) that works
/// without JavaScript, and a script that sends the reader to the best match for
/// `navigator.languages` — exact tag first, then same language, then the source locale, the way
/// fluent-langneg's filtering negotiates. Only locales that publish the first page are listed.
///
/// Every value is escaped for the context it lands in: HTML text, attribute values, and
/// JavaScript strings inside the `<script>` element ([`escape_js`]), so no page name or locale
/// can end the script or an attribute.
pub fn root_page(site: &Site, names: &BTreeMap<String, String>, plan: &Plan) -> String {
    let first = site
        .pages
        .first()
        .map(|p| p.output.as_str())
        .unwrap_or("index.html");
    let listed: Vec<&crate::site::Locale> = site
        .locales()
        .filter(|l| plan.is_published(first, &l.code))
        .collect();
    let first_attr = escape_html(first);
    let mut items = String::new();
    let mut codes = Vec::new();
    for l in &listed {
        let name = escape_html(names.get(&l.code).map(String::as_str).unwrap_or(&l.code));
        items.push_str(&format!(
            "      <li><a href=\"{code}/{first_attr}\" hreflang=\"{code}\" lang=\"{code}\">{name}</a></li>\n",
            code = escape_html(&l.code)
        ));
        codes.push(format!("\"{}\"", escape_js(&l.code)));
    }
    let alternates: String = listed
        .iter()
        .map(|l| {
            format!(
                "  <link rel=\"alternate\" hreflang=\"{0}\" href=\"{0}/{first_attr}\">\n",
                escape_html(&l.code)
            )
        })
        .collect();
    let title = listed
        .iter()
        .map(|l| escape_html(names.get(&l.code).map(String::as_str).unwrap_or(&l.code)))
        .collect::<Vec<_>>()
        .join(" · ");
    format!(
        r#"<!DOCTYPE html>
<html lang="{source_attr}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
{alternates}  <script>
  (function () {{
    var available = [{codes}];
    var source = "{source_js}";
    var page = "{first_js}";
    var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || source];
    function pick() {{
      var i, j, w, lang;
      for (i = 0; i < wanted.length; i++) {{
        w = String(wanted[i]).toLowerCase();
        for (j = 0; j < available.length; j++) if (available[j].toLowerCase() === w) return available[j];
        lang = w.split("-")[0];
        for (j = 0; j < available.length; j++) if (available[j].toLowerCase().split("-")[0] === lang) return available[j];
      }}
      return source;
    }}
    location.replace(pick() + "/" + page);
  }})();
  </script>
  <style>body{{font-family:system-ui,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:2rem;line-height:1.6}}ul{{list-style:none;padding:0}}a{{font-size:1.25rem}}</style>
</head>
<body>
  <main>
    <ul>
{items}    </ul>
  </main>
</body>
</html>
"#,
        source_attr = escape_html(&site.source.code),
        source_js = escape_js(&site.source.code),
        first_js = escape_js(first),
        codes = codes.join(", "),
    )
}
