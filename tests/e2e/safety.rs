//! Translated text is untrusted: an injection corpus in translations used as text, attributes
//! and link text must leave no executable markup in any output page.

use std::path::Path;

use ftlsite::render::{self, RenderOptions};
use ftlsite::site::{self, SiteSource};

/// Payloads a hostile or careless translation could carry.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">click</a>",
    "<a href=\"jav&#x61;script:alert(1)\">click</a>",
    "<a href=\" javascript:alert(1)\">click</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"https://ok.example/\" onclick=\"alert(1)\">x</a>",
    "<a href=\"https://ok.example/\" onmouseover=alert(1)>x</a>",
    "\"><script>alert(1)</script>",
    "' onmouseover='alert(1)",
    "\" onfocus=\"alert(1)\" autofocus=\"",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<strong onclick=alert(1)>bold</strong>",
    "<em style=\"background:url(javascript:alert(1))\">em</em>",
    "＜script＞alert(1)＜/script＞",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
];

/// Fluent text for a payload: braces are Fluent syntax, so they are written as string literals.
fn ftl_escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '{' => "{\"{\"}".to_string(),
            '}' => "{\"}\"}".to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn write_site(dir: &Path) {
    let n = PAYLOADS.len();
    std::fs::create_dir_all(dir.join("locales/en-US")).unwrap();
    std::fs::create_dir_all(dir.join("locales/zh-CN")).unwrap();
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("site.toml"),
        "source-locale = \"en-US\"\nlocales = [\"zh-CN\"]\n\n[[pages]]\ntemplate = \"page.html\"\noutput = \"index.html\"\n[pages.vars]\nevil = \"<script>alert('var')</script>\\\" onload=\\\"x\"\n\n[links]\nhome = \"https://example.com/\"\n",
    )
    .unwrap();
    let mut en = String::from("language-name = English\ntitle = Title\n");
    let mut zh =
        String::from("language-name = 简体中文\ntitle = </title><script>alert(1)</script>\n");
    for (i, payload) in PAYLOADS.iter().enumerate() {
        en.push_str(&format!(
            "text-{i} = Plain text {{ $v }}\nattr-{i} = Attribute text\nlink-{i} = See <a href=\"{{ $url }}\">the page</a> now.\n"
        ));
        let p = ftl_escape(payload);
        zh.push_str(&format!(
            "text-{i} = 文本 {p} {{ $v }}\nattr-{i} = 属性 {p}\nlink-{i} = 请看 <a href=\"{{ $url }}\">{p}</a> 现在 {p}\n"
        ));
    }
    std::fs::write(dir.join("locales/en-US/main.ftl"), en).unwrap();
    std::fs::write(dir.join("locales/zh-CN/main.ftl"), zh).unwrap();
    let template = format!(
        "<!DOCTYPE html>\n<html lang=\"{{{{ lang }}}}\">\n<head><title>{{{{ t_attr(\"title\") }}}}</title></head>\n<body>\n\
         {{% for i in range({n}) %}}\
         <p>{{{{ t(\"text-\" ~ i, v=page.vars.evil) }}}}</p>\
         <img src=\"https://example.com/i.png\" alt=\"{{{{ t_attr(\"attr-\" ~ i) }}}}\" title=\"{{{{ t_attr(\"text-\" ~ i, v=page.vars.evil) }}}}\" aria-label=\"{{{{ t_attr(\"attr-\" ~ i) }}}}\">\
         <p>{{{{ t(\"link-\" ~ i, url=link(\"home\")) }}}}</p>\n\
         {{% endfor %}}\n</body>\n</html>\n"
    );
    std::fs::write(dir.join("templates/page.html"), template).unwrap();
}

/// Every element and its attributes, as a browser would build them (html5ever's tree).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    crate::support::elements(html)
}

#[test]
fn injection_corpus_leaves_no_executable_markup() {
    assert!(PAYLOADS.len() >= 30);
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path());
    let site = site::load(&SiteSource::Dir(dir.path().to_path_buf())).expect("fixture site loads");
    let (catalogs, diags) = ftlsite::catalog::load(&site);
    assert!(diags.is_empty(), "payload catalog parses: {diags:?}");
    // Validation would refuse these translations (E401-E403); render them anyway to prove the
    // renderer alone keeps them inert.
    let rendered = render::render(&site, &catalogs, &RenderOptions::default()).expect("renders");
    let zh = String::from_utf8(rendered.files["zh-CN/index.html"].clone()).unwrap();
    let allowed = [
        "html", "head", "title", "body", "p", "img", "a", "strong", "em", "code", "br",
    ];
    let mut anchors = 0;
    for (name, attrs) in tags(&zh) {
        assert!(
            allowed.contains(&name.as_str()),
            "tag <{name}> reached the output"
        );
        for (attr, value) in &attrs {
            assert!(
                !attr.starts_with("on"),
                "event handler {attr}={value} on <{name}>"
            );
            assert!(
                !["style", "srcdoc", "formaction", "autofocus", "action"].contains(&attr.as_str()),
                "{attr} on <{name}>"
            );
            assert!(
                !value.contains('\u{2068}') && !value.contains('\u{2069}'),
                "isolation mark in {attr}"
            );
            if attr == "href" || attr == "src" {
                let v = value.trim().to_ascii_lowercase();
                assert!(
                    v.starts_with("https://") || v.starts_with("http://"),
                    "<{name} {attr}=\"{value}\">"
                );
                anchors += 1;
            }
        }
    }
    assert!(
        anchors >= PAYLOADS.len() * 2,
        "links and images survive: {anchors}"
    );
    assert_eq!(zh.matches("<title>").count(), 1);
    let start = zh.find("<title>").unwrap() + 7;
    let title = &zh[start..zh.find("</title>").unwrap()];
    assert!(!title.contains('<'), "markup inside <title>: {title}");
    assert!(
        !zh.to_ascii_lowercase().contains("<script"),
        "a script tag reached the output"
    );
    // The variable passed into the messages is escaped in text and in attributes.
    assert!(
        zh.contains("&lt;script&gt;alert(&#x27;var&#x27;)&lt;/script&gt;"),
        "variable escaped"
    );
}
