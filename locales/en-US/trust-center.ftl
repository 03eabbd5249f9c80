### Shared strings of the 21Vianet Trust Center: brand and document names,
### the page layout (header, language switcher, breadcrumb, footer) and
### small pieces reused by several pages.

## Brand, product and document names. Terms are referenced by messages with
## { -term } and are never shown alone. Product names stay in Latin script
## in every language; translate only what the company translates itself.

-brand-21vianet = 21Vianet
-brand-azure = Microsoft Azure
# The short product name, used where the original text says just "Azure".
-brand-azure-short = Azure
-brand-office365 = Office 365
-brand-power-bi = Power BI
-brand-unionpay = UnionPay
-brand-alipay = AliPay
-trust-center = Trust Center
-security-development-lifecycle = Security Development Lifecycle
# Titles of legal documents published by 21Vianet. Use the documents'
# official titles in your language.
-doc-azure-privacy-statement = { -brand-azure } Operated by { -brand-21vianet } Privacy Statement
-doc-office365-privacy-statement = { -brand-office365 } Operated by { -brand-21vianet } Privacy Statement
-doc-azure-agreement = { -brand-21vianet } Online Services Standard Agreement for { -brand-azure }
-doc-office365-agreement = { -brand-21vianet } Online Services Standard Agreement for { -brand-office365 }

## Language switcher in the page header.

# The name of this language, written in this language itself
# (shown in the switcher of every language, e.g. "English", "简体中文").
language-name = English
# Visible label before the list of languages, and the name of that navigation
# region for screen readers.
language-switcher-label = Language

## Notice under the page header, shown only when some text of the page is not
## translated into its language yet and appears in another language instead.

# $language is the name of the page's language, as the language switcher shows
# it (e.g. "简体中文").
fallback-notice = Parts of this page are not yet translated into { $language } and are shown in another language.

## Page header and accessibility helpers.

# First link of the page, visible only when focused with the keyboard: jumps
# over the header to the page content.
skip-to-content = Skip to main content
# Name of the site, shown at the top of every page.
site-name = { -brand-21vianet } { -trust-center }

## Breadcrumb trail under the hero banner ("Trust Center // Privacy").

# Name of the breadcrumb navigation region, read by screen readers only.
breadcrumb-label = Breadcrumb
# First item of the trail: link to the Trust Center home page.
breadcrumb-home = { -trust-center }

## Pieces shared by the page content.

# Date the page content was last reviewed. $date is a date such as 2026-11-25,
# formatted for your language.
last-updated = Last updated: { DATETIME($date, dateStyle: "long") }
# Link text after a section, leading to a page with more detail on that topic.
learn-more = Learn more
# Alternative text of the small arrow icon in front of "Learn more".
learn-more-arrow-alt = Arrow

## Page footer.

footer-operated-by = { -brand-azure }, { -brand-office365 } and { -brand-power-bi } in China are operated by { -brand-21vianet }.
# Link to the home page of the Trust Center.
footer-home-link = Back to the { -trust-center } home page
footer-copyright = © { -brand-21vianet }. All rights reserved.
