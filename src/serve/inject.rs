//! What serve adds to every HTML page: the reload script, the error overlay, the `--ids`
//! outline and, with `--edit`, the editor panel (`edit/panel.js` and `edit/panel.css`, inline:
//! the page loads nothing else). Release builds never contain any of it.

use super::{Problem, Snapshot};
use crate::render::localize::escape_html;

const STYLE: &str = "#ftlsite-overlay{position:fixed;inset-block-end:0;inset-inline:0;z-index:2147483647;\
max-block-size:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#1e1e1e;color:#f5f5f5;\
border-block-start:4px solid #e5484d;font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;\
direction:ltr;text-align:left;white-space:pre-wrap;overflow-wrap:anywhere}\
#ftlsite-overlay h2{margin:0 0 .5rem;font-size:14px;color:#ff8a8a}\
#ftlsite-overlay ol{margin:0;padding-inline-start:1.25rem}\
#ftlsite-overlay li{margin-block-end:.5rem}\
#ftlsite-overlay .help{color:#9cdcfe}";

const EDIT_STYLE: &str = include_str!("edit/panel.css");

/// The panel's script; `@TOKEN@` becomes the run's token.
const EDIT_SCRIPT: &str = include_str!("edit/panel.js");

const IDS_STYLE: &str =
    "[data-l10n-id]:hover{outline:2px dashed #c239b3;outline-offset:1px;cursor:help}";

/// The overlay panel listing `problems`, every text escaped.
pub fn overlay(problems: &[Problem]) -> String {
    let mut out = String::from(
        "<div id=\"ftlsite-overlay\" role=\"alert\" lang=\"en\" dir=\"ltr\"><h2>ftlsite: the site has errors; showing the last good build</h2><ol>",
    );
    for p in problems {
        out.push_str(&format!(
            "<li><span class=\"line\">{}</span>\n<span class=\"help\">help: {}</span></li>",
            escape_html(&p.line),
            escape_html(&p.help)
        ));
    }
    out.push_str("</ol></div>");
    out
}

/// The snippet inserted before `</body>`.
pub fn snippet(snap: &Snapshot) -> String {
    let mut out = String::from("\n<!-- ftlsite serve -->\n<style>");
    out.push_str(STYLE);
    if snap.ids {
        out.push_str(IDS_STYLE);
    }
    if snap.edit_token.is_some() {
        out.push_str(EDIT_STYLE);
    }
    out.push_str("</style>\n");
    if !snap.problems.is_empty() {
        out.push_str(&overlay(&snap.problems));
        out.push('\n');
    }
    out.push_str(&format!(
        "<script>(function(){{var es=new EventSource(\"/__ftlsite/events?v={}\");\
es.addEventListener(\"reload\",function(){{es.close();location.reload();}});}})();</script>\n",
        snap.version
    ));
    if let Some(token) = &snap.edit_token {
        // The token is hex; escaping keeps the script intact whatever it holds.
        let script = EDIT_SCRIPT.replace("@TOKEN@", &crate::html::escape_js(token));
        out.push_str("<script>");
        out.push_str(&script);
        out.push_str("</script>\n");
    }
    out
}

/// `html` with the snippet inserted before its last `</body>` end tag, as the HTML front reads
/// the page (a `</body>` inside a script or a comment is not one); appended when there is none.
pub fn page(html: &str, snap: &Snapshot) -> String {
    let snippet = snippet(snap);
    let at = crate::html::parse(html)
        .iter()
        .rev()
        .find_map(|n| match n {
            crate::html::Node::End(name, span) if name == "body" => Some(span.start),
            _ => None,
        })
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + snippet.len());
    out.push_str(&html[..at]);
    out.push_str(&snippet);
    out.push_str(&html[at..]);
    out
}

/// The page shown when no build has succeeded yet: just the overlay.
pub fn error_page(snap: &Snapshot) -> String {
    page(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>ftlsite serve: build failed</title></head>\n<body>\n</body>\n</html>\n",
        snap,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn overlay_is_escaped_and_placed_before_body_end() {
        let snap = Snapshot {
            version: 3,
            files: None,
            problems: Arc::new(vec![Problem {
                line: "locales/a.ftl:1:2: error[E101]: <script>".into(),
                help: "fix & retry".into(),
            }]),
            ids: true,
            edit_token: None,
        };
        let html = page("<html><body><p>x</p></body></html>", &snap);
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("fix &amp; retry"), "{html}");
        assert!(html.contains("events?v=3"), "{html}");
        assert!(html.contains("[data-l10n-id]:hover"), "{html}");
        assert!(html.ends_with("</body></html>"), "{html}");
        // A `</body>` in a script or a comment is text, not the end of the body.
        let html = page(
            "<html><body><script>var s = \"</body>\";</script><!-- </body> --></body></html>",
            &snap,
        );
        assert!(
            html.contains("</script><!-- </body> -->\n<!-- ftlsite serve -->"),
            "{html}"
        );
        assert!(!html.contains("ftlsite-editor"), "no editor without --edit");
    }

    #[test]
    fn the_editor_comes_with_its_token_and_nothing_to_load() {
        let snap = Snapshot {
            version: 1,
            files: None,
            problems: Arc::new(Vec::new()),
            ids: false,
            edit_token: Some("0123abcd".into()),
        };
        let html = page("<html><body><p>x</p></body></html>", &snap);
        assert!(html.contains("var TOKEN = \"0123abcd\";"), "{html}");
        assert!(!html.contains("@TOKEN@"));
        assert!(html.contains("#ftlsite-editor{"), "{html}");
        for external in ["src=", "href=\"http", "@import", "url("] {
            assert!(!snippet(&snap).contains(external), "{external}");
        }
        // The script cannot end early: it holds no end tag or comment opener.
        assert!(!EDIT_SCRIPT.contains("</") && !EDIT_SCRIPT.contains("<!--"));
    }
}
