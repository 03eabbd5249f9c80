### The Trust Center "Privacy" page: how 21Vianet handles the data of
### customers of the cloud services it operates in China.
### "Customer Data", "Administrator Data", "Payment Data" and "Support Data"
### are defined terms of the customer agreements: translate each one the same
### way everywhere, as the agreements in your language do.

## Page metadata: the browser tab title and the description shown by search
## engines.

privacy-page-title = Privacy | { site-name }
privacy-page-description = You own and control your Customer Data. Learn how { -brand-21vianet } protects the privacy of Customer Data in { -brand-azure }, { -brand-office365 } and { -brand-power-bi } operated in China.

## Hero banner at the top of the page: a large title over an illustration.

privacy-hero-title = Privacy
privacy-hero-caption = You own and control your Customer Data.
# Alternative text of the banner illustration (a shield with a lock in front
# of a cloud).
privacy-hero-image-alt = You are in control of your data

## Breadcrumb: the last item, naming this page.

privacy-breadcrumb-current = Privacy

## Introduction, at the top of the main column.
## $azure and $office365 are the addresses of the two privacy statements:
## keep the <a href="..."> markup around the statement titles.

privacy-intro-entrust = { -brand-21vianet } understands that for you, our customer, to use the cloud services that we operate, you entrust us with your most valuable asset—your Customer Data. You trust that its privacy will be protected and that it will be used only in a way that is consistent with your expectations.
privacy-intro-integral = Privacy is an integral part of how we operate the services. Our approach to privacy and data protection is grounded in our commitment to give you control of the collection, use, and distribution of your information. We work to be transparent in our privacy practices, offer customers meaningful privacy choices, and manage responsibly the data we store.
privacy-intro-ownership = When you entrust your Customer Data to { -brand-azure }, { -brand-office365 } and { -brand-power-bi } operated by { -brand-21vianet }, you remain the exclusive owner of your Customer Data: you retain the rights, title, and interest in the Customer Data you store in { -brand-azure-short }, { -brand-office365 } and { -brand-power-bi }. It’s our policy to not mine your Customer Data for advertising purposes or use your Customer Data except for purposes consistent with providing you cloud productivity services.
privacy-intro-statements = The <a href="{ $azure }">{ -doc-azure-privacy-statement }</a> and <a href="{ $office365 }">{ -doc-office365-privacy-statement }</a> describe the specific privacy policy and practices that govern customers’ use of { -brand-azure-short }, { -brand-office365 } and { -brand-power-bi }.

## Section "Customer Data and Other Data Types": one sub-heading and a few
## paragraphs for each of the four kinds of data.

data-types-heading = Customer Data and Other Data Types
# Short lead-in of the section. $count is the number of kinds of data
# described below.
data-types-count =
    { $count ->
        [one] This page describes { $count } type of data.
       *[other] This page describes { $count } types of data.
    }

data-customer-heading = Customer Data
data-customer-definition = Customer Data is all the data, including all text, sound, software or image files that you provide, or are provided on your behalf, to us through your use of the Services. For example, Customer Data includes data that you upload for storage or processing in the Services and applications that you or your end users upload for hosting in the Services. It does not include configuration, technical settings, or support ticket information.
data-customer-use = We only use Customer Data to provide the Services. This may include troubleshooting aimed at preventing, detecting and repairing problems affecting the operation of the Services and the improvement of features that involve the detection of, and protection against, emerging and evolving threats to the user (such as malware or spam).
data-customer-location = Customer Data will be stored only in datacenters located in China. In limited circumstances, { -brand-21vianet } may authorize one of its affiliates, suppliers or subcontractors located outside China to access Customer Data when necessary to troubleshoot customer support incidents or resolve technical issues. { -brand-21vianet } will supervise such access and terminate the access when the issue is resolved.

data-administrator-heading = Administrator Data
data-administrator-definition = Administrator Data is the information about administrators (including account contact and subscription administrators) provided during sign-up, purchase, or administration of the Services, such as name, address, phone number, and e-mail address.
data-administrator-use = We use Administrator Data to complete the transactions you request, administer your account, improve the Services and detect and prevent fraud.
data-administrator-contact = We may contact you to provide information about new subscriptions, billing and important updates about the Services, including information about security or other technical issues. We may also contact you regarding third-party inquiries we receive regarding your use of the Services, as described in your customer agreement. You will not be able to unsubscribe from these communications. Subject to your contact preferences, you may also be contacted, by phone or e-mail, regarding information and offers about other products and services or to request your feedback.
# $profile is the address of the account profile page: keep the <a> markup.
data-administrator-preferences = You may manage your contact preferences or update your information in your <a href="{ $profile }">account profile</a>.

data-payment-heading = Payment Data
data-payment-definition = When you make online purchases, you will be asked to provide information, which may include your payment instrument number (e.g., { -brand-unionpay } or { -brand-alipay }), your name and billing address, and the security code associated with your payment instrument and other financial data (“Payment Data”).
data-payment-use = We use Payment Data to complete transactions, as well as for the detection and prevention of fraud.
data-payment-storage = When you provide Payment Data while authenticated, we will store that data to help you complete future transactions without your having to provide the information again. We do not, however, retain the security code associated with your payment instrument in this manner.
data-payment-removal = To remove or modify Payment Data, please contact Customer Support. After you close your account or remove Payment Data, however, { -brand-21vianet } may retain your Payment Data for as long as reasonably necessary to complete your existing transaction and for the detection and prevention of fraud.

data-support-heading = Support Data
data-support-definition = Support Data is the information we collect when you contact { -brand-21vianet } for help, including what you supply in a support request, results from running an automated troubleshooter, or files that you send us. Support data does not include administrator or payment data.

## Section "You own your Customer Data", followed by a "Learn more" link.

own-data-heading = You own your Customer Data
own-data-access = With { -brand-azure }, { -brand-office365 } and { -brand-power-bi } operated by { -brand-21vianet }, you are the owner of your Customer Data. You can access your Customer Data at any time and for any reason without assistance from { -brand-21vianet }. { -brand-21vianet } will use your Customer Data only to provide the services agreed upon, including purposes that are compatible with providing those services. We will not use Customer Data or derive information from it for advertising.
own-data-protection = We give you authenticated and logged access to your Customer Data, and restrict access to it by { -brand-21vianet } personnel and subcontractors. We also take strong steps to protect your Customer Data from inappropriate use or loss, and to segregate your Customer Data on shared hardware from that of other customers.

## Section "You are in control of your Customer Data", followed by a
## "Learn more" link.

control-data-heading = You are in control of your Customer Data
control-data-summary = In { -brand-azure }, { -brand-office365 } and { -brand-power-bi } operated by { -brand-21vianet }, you know where your Customer Data is located, who can access it and under what circumstances, and how it is responsibly protected, transferred, and deleted.

## Section about requests for Customer Data from law enforcement or other
## third parties.

law-enforcement-heading = How { -brand-21vianet } responds to law enforcement or third party asks for Customer Data
law-enforcement-policy = { -brand-21vianet } believes that its customers who should control their own information whether stored on their premises or in a cloud service. Accordingly, we will not disclose Customer Data to a third party (excluding our suppliers and subcontractors) except as you direct or as required by applicable law and regulations. If compelled to disclose Customer Data to a third party, we will use commercially reasonable efforts to promptly notify you and provide a copy of the demand, unless legally prohibited.

## Section "We set and adhere to stringent privacy standards", followed by a
## "Learn more" link. $azure and $office365 are the addresses of the documents
## named in each sentence: keep the <a href="..."> markup around their titles.

standards-heading = We set and adhere to stringent privacy standards
standards-grounded = Privacy protections in { -brand-azure-short }, { -brand-office365 } and { -brand-power-bi } are grounded in <a href="{ $azure }">{ -doc-azure-privacy-statement }</a> and <a href="{ $office365 }">{ -doc-office365-privacy-statement }</a>, and the underlying technology that is licensed to { -brand-21vianet } is developed using the { -security-development-lifecycle } (which includes addressing privacy requirements in the process of developing software).
standards-contracts = We then back those protections with strong contractual commitments to safeguard Customer Data in <a href="{ $azure }">{ -doc-azure-agreement }</a> and <a href="{ $office365 }">{ -doc-office365-agreement }</a>.

## Sidebar beside the main column (below it on small screens): two short
## lists of links.

# Name of the sidebar region, read by screen readers only.
privacy-sidebar-label = Related privacy information
key-info-heading = Key privacy information
key-info-data-locations = Customer Data locations
key-info-access-policies = Customer Data access policies
key-info-retention = Customer Data retention
key-info-data-types = Customer Data and Other Data Types

helpful-info-heading = Helpful information
# Link to a PDF document about the business model.
helpful-info-business-model = { -brand-21vianet } Operates { -brand-azure }, { -brand-office365 } and { -brand-power-bi } in China
# Link to a PDF white paper.
helpful-info-protecting-data = Protecting Data and Privacy in the Cloud
helpful-info-azure-agreement = { -doc-azure-agreement }
helpful-info-office365-agreement = { -doc-office365-agreement }
helpful-info-azure-privacy-statement = { -doc-azure-privacy-statement }
helpful-info-office365-privacy-statement = { -doc-office365-privacy-statement }
helpful-info-faq = Frequently asked questions about { -brand-azure }, { -brand-office365 } and { -brand-power-bi } operated by { -brand-21vianet }
