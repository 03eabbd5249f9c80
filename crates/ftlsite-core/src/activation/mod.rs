//! Activation: in which locales each page is published, decided from the site, its catalogs
//! and the activation record, before anything is rendered. `check`, `build`, `report` and
//! `serve` all read the same [`Plan`].
//!
//! For each page and target locale (the source locale always publishes every page):
//! - a locale listed in `[activation] inactive` is [`Status::Inactive`];
//! - a locale that has every message the page uses ([`usage`]) is [`Status::Published`];
//! - a locale that meets the policy — every `## Required` message of the page translated and at
//!   least `percent-required` percent of all of them — is [`Status::Fallback`]: published, the
//!   missing messages taken from its fallback chain;
//! - a locale that does not is [`Status::HeldBack`], unless the record says the page was
//!   published in it before: activation is sticky, so the page stays published with fallback.
//!
//! Without a policy nothing is held back: every page is published in every locale, with
//! fallback where messages are missing (which `build` allows only with `--allow-fallback`).

pub mod record;
pub mod usage;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Serialize;

use crate::catalog::Catalogs;
use crate::site::{fallback_chain, Policy, Site};
use crate::template::Templates;
pub use record::{Record, RECORD_FILE};

/// A message a published page takes from another locale.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FallbackId {
    /// The message id.
    pub id: String,
    /// The locale whose text is used: the first of the fallback chain that has it.
    pub locale: String,
}

/// Why a page is held back in a locale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortfall {
    /// Every message of the page the locale lacks, sorted.
    pub missing: Arc<[String]>,
    /// Of those, the ones in a `## Required` group: any one of them holds the page back.
    pub required: Arc<[String]>,
    /// Messages of the page the locale has.
    pub translated: usize,
    /// Messages the page uses.
    pub total: usize,
    /// The share of `total` the policy asks for, 0–100.
    pub percent_required: u8,
}

impl Shortfall {
    /// True when the threshold is met (the required messages may still be missing).
    pub fn meets_threshold(&self) -> bool {
        self.translated * 100 >= usize::from(self.percent_required) * self.total
    }
}

/// A page in one target locale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Published, every message translated.
    Published,
    /// Published with the missing messages from the fallback chain.
    Fallback {
        /// The messages that fall back, each with the locale used (shared by the pages of a
        /// template).
        missing: Arc<[FallbackId]>,
        /// True when the page is published only because the record says it was before.
        sticky: bool,
    },
    /// Not written in this locale.
    HeldBack(Shortfall),
    /// The locale is inactive: not written.
    Inactive,
}

impl Status {
    /// True when the page is written in this locale.
    pub fn is_published(&self) -> bool {
        matches!(self, Status::Published | Status::Fallback { .. })
    }

    /// The messages that fall back (empty unless [`Status::Fallback`]).
    pub fn fallback(&self) -> &[FallbackId] {
        match self {
            Status::Fallback { missing, .. } => missing,
            _ => &[],
        }
    }

    /// One word for tables: `published`, `fallback`, `held back` or `inactive`.
    pub fn label(&self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Fallback { .. } => "fallback",
            Status::HeldBack(_) => "held back",
            Status::Inactive => "inactive",
        }
    }
}

/// One page and its status in each target locale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PagePlan {
    /// The page's output path.
    pub output: String,
    /// Its template.
    pub template: String,
    /// How many messages it uses.
    pub messages: usize,
    /// True when a template computes ids, so the page depends on every message.
    pub dynamic: bool,
    /// Status per target locale code.
    pub locales: BTreeMap<String, Status>,
}

/// Pages per status in one locale.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PageCounts {
    /// Published with every message translated.
    pub published: usize,
    /// Published with some messages from the fallback chain.
    pub fallback: usize,
    /// Not published: the locale lacks too much of the page.
    pub held_back: usize,
    /// Not published: the locale is inactive.
    pub inactive: usize,
}

/// Every page's status in every target locale.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// The policy the plan follows, or `None` when the site declares none.
    pub policy: Option<Policy>,
    /// Pages in site order.
    pub pages: Vec<PagePlan>,
    /// The record the plan was made with.
    pub record: Record,
    by_output: BTreeMap<String, usize>,
    /// Whether some page is held back somewhere, decided once: rendering asks for every page.
    held_back_any: bool,
}

impl Plan {
    /// The status of a page in a locale; `None` for the source locale, locales the plan does
    /// not know (pseudo-locales) and pages it does not know, all of which are published.
    pub fn status(&self, output: &str, locale: &str) -> Option<&Status> {
        let page = self.pages.get(*self.by_output.get(output)?)?;
        page.locales.get(locale)
    }

    /// True when the page is written in the locale.
    pub fn is_published(&self, output: &str, locale: &str) -> bool {
        // Asked for every page in every locale: a plan that publishes everything answers
        // without looking the page up.
        !self.held_back_any || self.status(output, locale).is_none_or(Status::is_published)
    }

    /// The messages the page takes from other locales in `locale`.
    pub fn fallback(&self, output: &str, locale: &str) -> &[FallbackId] {
        self.status(output, locale).map_or(&[], Status::fallback)
    }

    /// [`fallback`](Self::fallback) of the site's page `index`, whose output is `output`:
    /// the plan lists pages in site order, so the page is found without a lookup by path.
    pub fn fallback_at(&self, index: usize, output: &str, locale: &str) -> &[FallbackId] {
        match self.pages.get(index) {
            Some(page) if page.output == output => {
                page.locales.get(locale).map_or(&[], Status::fallback)
            }
            _ => self.fallback(output, locale),
        }
    }

    /// True when some page is not written in some locale.
    pub fn holds_back_any(&self) -> bool {
        self.held_back_any
    }

    /// Every (locale, output) pair published in a target locale.
    pub fn published(&self) -> BTreeSet<(String, String)> {
        self.pages
            .iter()
            .flat_map(|p| {
                p.locales
                    .iter()
                    .filter(|(_, s)| s.is_published())
                    .map(|(l, _)| (l.clone(), p.output.clone()))
            })
            .collect()
    }

    /// Pages per status in `locale`.
    pub fn counts(&self, locale: &str) -> PageCounts {
        let mut c = PageCounts::default();
        for s in self.pages.iter().filter_map(|p| p.locales.get(locale)) {
            match s {
                Status::Published => c.published += 1,
                Status::Fallback { .. } => c.fallback += 1,
                Status::HeldBack(_) => c.held_back += 1,
                Status::Inactive => c.inactive += 1,
            }
        }
        c
    }

    /// Where a link to `output` in `locale` should go: `locale` itself when the page is
    /// published there, else the first locale of its fallback chain that publishes it (the
    /// source always does).
    pub fn link_locale(&self, site: &Site, output: &str, locale: &str) -> String {
        if self.is_published(output, locale) {
            return locale.to_string();
        }
        let Some(l) = site.locales().find(|l| l.code == locale) else {
            return site.source.code.clone();
        };
        fallback_chain(site, l)
            .into_iter()
            .find(|c| self.is_published(output, c))
            .unwrap_or_else(|| site.source.code.clone())
    }
}

/// Decides every page's status in every target locale of `site` (see the module docs).
/// `templates` is the static model of the site's templates, `record` the activation record.
///
/// What a locale lacks depends on the template only, so it is worked out once per template
/// and locale and shared by the pages (a site of 10,000 pages has a handful of templates).
pub fn plan(site: &Site, catalogs: &Catalogs, templates: &Templates, record: &Record) -> Plan {
    let mut plan = Plan {
        policy: site.activation.clone(),
        record: record.clone(),
        ..Default::default()
    };
    let Some(source) = catalogs.get(&site.source.code) else {
        return plan;
    };
    let required = usage::required_messages(source);
    let chains: BTreeMap<&str, Vec<String>> = site
        .targets
        .iter()
        .map(|l| (l.code.as_str(), fallback_chain(site, l)))
        .collect();
    let mut by_template: BTreeMap<&str, (usage::Usage, BTreeMap<&str, Lack>)> = BTreeMap::new();
    for page in &site.pages {
        by_template
            .entry(page.template.as_str())
            .or_insert_with(|| {
                let used = usage::page_messages(templates, source, &page.template);
                let lacks = site
                    .targets
                    .iter()
                    .map(|l| {
                        let chain = chains.get(l.code.as_str()).map_or(&[][..], Vec::as_slice);
                        (
                            l.code.as_str(),
                            Lack::new(site, catalogs, l, chain, &used, &required),
                        )
                    })
                    .collect();
                (used, lacks)
            });
    }
    // Each page's statuses on all cores: a site of 10,000 pages spent a tenth of its
    // validation here, one page after another.
    plan.pages = {
        use rayon::prelude::*;
        site.pages
            .par_iter()
            .map(|page| {
                let (used, lacks) = &by_template[page.template.as_str()];
                let locales = site
                    .targets
                    .iter()
                    .map(|locale| {
                        let status = match lacks.get(locale.code.as_str()) {
                            Some(lack) => lack.status(site, record, &page.output, &locale.code),
                            None => Status::Published,
                        };
                        (locale.code.clone(), status)
                    })
                    .collect();
                PagePlan {
                    output: page.output.clone(),
                    template: page.template.clone(),
                    messages: used.messages.len(),
                    dynamic: used.dynamic,
                    locales,
                }
            })
            .collect()
    };
    plan.held_back_any = plan
        .pages
        .iter()
        .any(|p| p.locales.values().any(|s| !s.is_published()));
    // Collected in one step; of two pages with one output (an error), the later one stands.
    plan.by_output = plan
        .pages
        .iter()
        .enumerate()
        .map(|(index, p)| (p.output.clone(), index))
        .collect();
    plan
}

/// What one locale lacks of the messages one template uses.
struct Lack {
    /// The missing messages with the locale each falls back to.
    fallback: Arc<[FallbackId]>,
    /// The missing messages.
    missing: Arc<[String]>,
    /// Of those, the `## Required` ones.
    required: Arc<[String]>,
    /// How many messages the template uses.
    total: usize,
}

impl Lack {
    fn new(
        site: &Site,
        catalogs: &Catalogs,
        locale: &crate::site::Locale,
        chain: &[String],
        used: &usage::Usage,
        required: &BTreeSet<String>,
    ) -> Lack {
        let catalog = catalogs.get(&locale.code);
        let missing: Vec<String> = used
            .messages
            .iter()
            .filter(|id| catalog.is_none_or(|c| c.message(id).is_none()))
            .cloned()
            .collect();
        let fallback: Vec<FallbackId> = missing
            .iter()
            .map(|id| FallbackId {
                id: id.clone(),
                locale: chain
                    .iter()
                    .skip(1)
                    .find(|c| catalogs.get(c).is_some_and(|cat| cat.message(id).is_some()))
                    .cloned()
                    .unwrap_or_else(|| site.source.code.clone()),
            })
            .collect();
        let required: Vec<String> = missing
            .iter()
            .filter(|id| required.contains(id.as_str()))
            .cloned()
            .collect();
        Lack {
            fallback: fallback.into(),
            missing: missing.into(),
            required: required.into(),
            total: used.messages.len(),
        }
    }

    /// The status of the page at `output` in `locale`, which lacks this.
    fn status(&self, site: &Site, record: &Record, output: &str, locale: &str) -> Status {
        let policy = site.activation.as_ref();
        if policy.is_some_and(|p| p.inactive.contains(locale)) {
            return Status::Inactive;
        }
        if self.missing.is_empty() {
            return Status::Published;
        }
        let fallback = |sticky| Status::Fallback {
            missing: self.fallback.clone(),
            sticky,
        };
        let Some(policy) = policy else {
            return fallback(false);
        };
        let shortfall = Shortfall {
            missing: self.missing.clone(),
            required: self.required.clone(),
            translated: self.total - self.missing.len(),
            total: self.total,
            percent_required: policy.percent_for(locale),
        };
        if shortfall.required.is_empty() && shortfall.meets_threshold() {
            fallback(false)
        } else if record.contains(locale, output) {
            fallback(true)
        } else {
            Status::HeldBack(shortfall)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceMap;

    /// A site of one page (`p.html` using `a`, `b`, `c`, `d`; `a` in a `## Required` group)
    /// with targets `de` (lacks `d`), `fr` (lacks `a`), `it` (lacks `c`, `d`), `pt-PT` (has
    /// nothing) and `pt-BR` (has everything); `extra` is appended to site.toml.
    fn plan_of(extra: &str, record: &Record) -> (Site, Plan) {
        let mut files = SourceMap::new();
        files.insert(
            "site.toml",
            format!("source-locale = \"en-US\"\nlocales = [\"de\", \"fr\", \"it\", \"pt-PT\", \"pt-BR\"]\n[[pages]]\ntemplate = \"p.html\"\noutput = \"p.html\"\n{extra}").into_bytes(),
        );
        files.insert(
            "templates/p.html",
            b"{{ t(\"a\") }}{{ t(\"b\") }}{{ t(\"c\") }}{{ t(\"d\") }}".to_vec(),
        );
        let all = ["a", "b", "c", "d", "language-name"];
        let has: [(&str, &[&str]); 6] = [
            ("en-US", &all),
            ("de", &["a", "b", "c", "language-name"]),
            ("fr", &["b", "c", "d", "language-name"]),
            ("it", &["a", "b", "language-name"]),
            ("pt-PT", &[]),
            ("pt-BR", &all),
        ];
        for (locale, ids) in has {
            let mut text = String::new();
            if locale == "en-US" {
                text.push_str("## Required\n\n");
            }
            for id in ids {
                text.push_str(&format!("{id} = {id} {locale}\n"));
                if locale == "en-US" && *id == "a" {
                    text.push_str("\n## Rest\n\n");
                }
            }
            files.insert(format!("locales/{locale}/m.ftl"), text.into_bytes());
        }
        let site = crate::site::from_files("test", files).unwrap();
        let (catalogs, _) = crate::catalog::load(&site);
        let (templates, _) = crate::template::analyze(&site);
        let plan = plan(&site, &catalogs, &templates, record);
        (site, plan)
    }

    fn labels(plan: &Plan) -> Vec<(String, &'static str)> {
        plan.pages[0]
            .locales
            .iter()
            .map(|(l, s)| (l.clone(), s.label()))
            .collect()
    }

    fn label(plan: &Plan, locale: &str) -> &'static str {
        plan.status("p.html", locale).map_or("none", Status::label)
    }

    #[test]
    fn without_a_policy_every_page_is_published() {
        let (_, plan) = plan_of("", &Record::default());
        assert!(plan.policy.is_none());
        assert!(!plan.holds_back_any());
        assert_eq!(label(&plan, "pt-BR"), "published");
        assert_eq!(label(&plan, "de"), "fallback");
        assert_eq!(
            plan.fallback("p.html", "pt-PT")
                .iter()
                .map(|f| f.locale.as_str())
                .collect::<Vec<_>>(),
            ["pt-BR", "pt-BR", "pt-BR", "pt-BR", "pt-BR"],
            "pt-PT borrows from pt-BR, the locale fluent-langneg matches"
        );
        assert_eq!(plan.pages[0].messages, 5, "a, b, c, d and language-name");
    }

    #[test]
    fn the_threshold_and_required_messages_decide() {
        let (_, plan) = plan_of("[activation]\npercent-required = 60\n", &Record::default());
        // de 4/5 and fr 4/5 meet 60%, but fr lacks the required `a`; it 3/5 meets it exactly.
        assert_eq!(label(&plan, "de"), "fallback");
        assert_eq!(label(&plan, "fr"), "held back");
        assert_eq!(label(&plan, "it"), "fallback");
        assert_eq!(label(&plan, "pt-PT"), "held back");
        let Some(Status::HeldBack(s)) = plan.status("p.html", "fr") else {
            panic!("fr")
        };
        assert_eq!(
            (&*s.required, s.translated, s.total),
            (&["a".to_string()][..], 4, 5)
        );
        let (_, strict) = plan_of("[activation]\n", &Record::default());
        assert_eq!(
            labels(&strict),
            [
                ("de".into(), "held back"),
                ("fr".into(), "held back"),
                ("it".into(), "held back"),
                ("pt-BR".into(), "published"),
                ("pt-PT".into(), "held back"),
            ]
        );
        let (_, overridden) = plan_of(
            "[activation]\n[activation.locales.de]\npercent-required = 80\n",
            &Record::default(),
        );
        assert_eq!(label(&overridden, "de"), "fallback");
        assert_eq!(label(&overridden, "it"), "held back");
    }

    #[test]
    fn recorded_pages_stay_published_and_inactive_locales_never_are() {
        let mut record = Record::default();
        record
            .published
            .insert("fr".into(), ["p.html".to_string()].into());
        record
            .published
            .insert("it".into(), ["p.html".to_string()].into());
        let (site, plan) = plan_of("[activation]\ninactive = [\"it\"]\n", &record);
        assert_eq!(
            plan.status("p.html", "fr"),
            Some(&Status::Fallback {
                missing: vec![FallbackId {
                    id: "a".into(),
                    locale: "en-US".into()
                }]
                .into(),
                sticky: true
            })
        );
        assert_eq!(label(&plan, "it"), "inactive");
        assert_eq!(
            label(&plan, "en-US"),
            "none",
            "the source is not in the plan"
        );
        assert!(plan.is_published("p.html", "en-US"));
        // Links to a page pt-PT holds back go to pt-BR, next in its chain.
        assert_eq!(plan.link_locale(&site, "p.html", "pt-PT"), "pt-BR");
        assert_eq!(plan.link_locale(&site, "p.html", "de"), "en-US");
        let published: Vec<(String, String)> = plan.published().into_iter().collect();
        assert_eq!(
            published,
            [
                ("fr".to_string(), "p.html".to_string()),
                ("pt-BR".to_string(), "p.html".to_string())
            ]
        );
        let updated = record.with(&site, &plan.published());
        assert!(updated.contains("pt-BR", "p.html") && updated.contains("it", "p.html"));
    }
}
