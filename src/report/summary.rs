//! The activation summary `build` and `check` print: pages per status in each locale, then
//! every page held back with the messages that hold it back, and every page published with
//! fallback with the messages that fall back.

use crate::activation::{Plan, Status};
use crate::site::Site;

/// At most this many ids are listed per page; `ftlsite report` lists them all.
const LISTED: usize = 12;

/// The summary, or an empty string when the site has no activation policy.
pub fn activation_text(site: &Site, plan: &Plan) -> String {
    let Some(policy) = &plan.policy else {
        return String::new();
    };
    let mut out = format!(
        "activation: {}% of each page's messages, and every `## Required` one{}\n",
        policy.percent_required,
        if policy.locales.is_empty() {
            String::new()
        } else {
            let overrides: Vec<String> = policy
                .locales
                .iter()
                .map(|(l, p)| format!("{l} {p}%"))
                .collect();
            format!(" (overrides: {})", overrides.join(", "))
        }
    );
    out.push_str(&format!(
        "{:<10} {:>9} {:>9} {:>9} {:>9}\n",
        "locale", "published", "fallback", "held back", "inactive"
    ));
    for locale in &site.targets {
        let c = plan.counts(&locale.code);
        out.push_str(&format!(
            "{:<10} {:>9} {:>9} {:>9} {:>9}\n",
            locale.code, c.published, c.fallback, c.held_back, c.inactive
        ));
    }
    for locale in &site.targets {
        for page in &plan.pages {
            let Some(status) = page.locales.get(&locale.code) else {
                continue;
            };
            let at = format!("{}/{}", locale.code, page.output);
            match status {
                Status::HeldBack(s) => {
                    let mut why = format!(
                        "held back: {at}: {}/{} messages translated, {}% required",
                        s.translated, s.total, s.percent_required
                    );
                    if !s.required.is_empty() {
                        why.push_str(&format!("; `## Required` missing: {}", list(&s.required)));
                    }
                    why.push_str(&format!("; missing: {}\n", list(&s.missing)));
                    out.push_str(&why);
                }
                Status::Fallback { missing, sticky } => {
                    let ids: Vec<String> = missing
                        .iter()
                        .map(|f| format!("{} ({})", f.id, f.locale))
                        .collect();
                    out.push_str(&format!(
                        "with fallback: {at}: {}{}\n",
                        list(&ids),
                        if *sticky {
                            "; kept published, as activation.lock records"
                        } else {
                            ""
                        }
                    ));
                }
                Status::Published | Status::Inactive => {}
            }
        }
    }
    out
}

/// `a, b, c`, cut after [`LISTED`] ids.
fn list(ids: &[String]) -> String {
    let mut shown: Vec<&str> = ids.iter().take(LISTED).map(String::as_str).collect();
    let more = ids.len().saturating_sub(LISTED);
    let more_text = format!("and {more} more");
    if more > 0 {
        shown.push(&more_text);
    }
    shown.join(", ")
}
