### 信任中心“隐私”页面：世纪互联如何处理其在中国运营的云服务的客户数据。

## 页面元数据：浏览器标签页标题和搜索引擎显示的描述。

privacy-page-title = 隐私 | { site-name }
privacy-page-description = 您拥有并掌控您的客户数据。了解{ -brand-21vianet }如何保护其在中国运营的 { -brand-azure }、{ -brand-office365 } 和 { -brand-power-bi } 中的客户数据隐私。

## 页面顶部的横幅。

privacy-hero-title = 隐私
privacy-hero-caption = 您拥有并掌控您的客户数据。
privacy-hero-image-alt = 您掌控自己的数据

## 面包屑导航：当前页面。

privacy-breadcrumb-current = 隐私

## 主栏顶部的简介。

privacy-intro-entrust = { -brand-21vianet }深知，您作为我们的客户，在使用我们运营的云服务时，将您最宝贵的资产——客户数据——托付给了我们。您相信我们会保护这些数据的隐私，并且只会以符合您期望的方式使用这些数据。
privacy-intro-integral = 隐私是我们运营服务不可或缺的一部分。我们在隐私和数据保护方面的做法基于一项承诺：让您掌控您的信息的收集、使用和分发。我们努力使隐私实践公开透明，为客户提供有意义的隐私选择，并以负责任的方式管理我们存储的数据。
privacy-intro-ownership = 当您将客户数据托付给{ -brand-21vianet }运营的 { -brand-azure }、{ -brand-office365 } 和 { -brand-power-bi } 时，您仍然是客户数据的唯一所有者：您对存储在 { -brand-azure-short }、{ -brand-office365 } 和 { -brand-power-bi } 中的客户数据保留权利、所有权和权益。我们的政策是：不会为广告目的挖掘您的客户数据，也不会将您的客户数据用于与向您提供云生产力服务不相符的任何目的。
privacy-intro-statements = 《<a href="{ $azure }">{ -doc-azure-privacy-statement }</a>》和《<a href="{ $office365 }">{ -doc-office365-privacy-statement }</a>》具体说明了客户使用 { -brand-azure-short }、{ -brand-office365 } 和 { -brand-power-bi } 时适用的隐私政策和实践。

## “客户数据和其他数据类型”部分。

data-types-heading = 客户数据和其他数据类型
data-types-count =
    { $count ->
       *[other] 本页介绍 { $count } 种数据。
    }

data-customer-heading = 客户数据
data-customer-definition = 客户数据是指您通过使用服务向我们提供（或他人代表您向我们提供）的所有数据，包括所有文本、声音、软件或图像文件。例如，客户数据包括您上传到服务中进行存储或处理的数据，以及您或您的终端用户上传到服务中进行托管的应用程序。客户数据不包括配置、技术设置或支持工单信息。
data-customer-use = 我们仅将客户数据用于提供服务。这可能包括：为预防、检测和修复影响服务运行的问题而进行的故障排除，以及对检测和防范针对用户的新出现且不断演变的威胁（例如恶意软件或垃圾邮件）的功能进行改进。
data-customer-location = 客户数据将仅存储在位于中国境内的数据中心。在有限的情况下，当需要对客户支持事件进行故障排除或解决技术问题时，{ -brand-21vianet }可能会授权其位于中国境外的某一关联公司、供应商或分包商访问客户数据。{ -brand-21vianet }将对此类访问进行监督，并在问题解决后终止访问。

data-administrator-heading = 管理员数据
data-administrator-definition = 管理员数据是指在注册、购买或管理服务期间提供的有关管理员（包括账户联系人和订阅管理员）的信息，例如姓名、地址、电话号码和电子邮件地址。
data-administrator-use = 我们使用管理员数据来完成您请求的交易、管理您的账户、改进服务以及检测和防范欺诈。
data-administrator-contact = 我们可能会与您联系，向您提供有关新订阅、计费和服务重要更新的信息，包括有关安全或其他技术问题的信息。如您的客户协议所述，对于我们收到的与您使用服务有关的第三方询问，我们也可能会与您联系。您无法退订这些通信。根据您的联系首选项，我们还可能通过电话或电子邮件与您联系，向您提供有关其他产品和服务的信息和优惠，或征求您的反馈。
data-administrator-preferences = 您可以在<a href="{ $profile }">账户资料</a>中管理您的联系首选项或更新您的信息。

data-payment-heading = 付款数据
data-payment-definition = 当您进行在线购买时，系统将要求您提供相关信息，其中可能包括您的支付工具号码（例如{ -brand-unionpay }或{ -brand-alipay }）、您的姓名和账单地址、与您的支付工具关联的安全码以及其他财务数据（“付款数据”）。
data-payment-use = 我们使用付款数据来完成交易以及检测和防范欺诈。
data-payment-storage = 如果您在通过身份验证后提供付款数据，我们将存储这些数据，以便您今后完成交易时无需再次提供这些信息。但是，我们不会以这种方式保留与您的支付工具关联的安全码。
data-payment-removal = 如需删除或修改付款数据，请联系客户支持。但是，在您关闭账户或删除付款数据后，{ -brand-21vianet }可能会在合理必要的期限内保留您的付款数据，以完成您现有的交易以及检测和防范欺诈。

data-support-heading = 支持数据
data-support-definition = 支持数据是指您联系{ -brand-21vianet }寻求帮助时我们收集的信息，包括您在支持请求中提供的内容、运行自动故障排除程序的结果，以及您发送给我们的文件。支持数据不包括管理员数据或付款数据。

## “您拥有自己的客户数据”部分。

own-data-heading = 您拥有自己的客户数据
own-data-access = 使用{ -brand-21vianet }运营的 { -brand-azure }、{ -brand-office365 } 和 { -brand-power-bi }，您就是客户数据的所有者。您可以随时出于任何原因访问您的客户数据，无需{ -brand-21vianet }协助。{ -brand-21vianet }仅会将您的客户数据用于提供约定的服务，包括与提供这些服务相符的目的。我们不会将客户数据用于广告，也不会从中提取信息用于广告。
own-data-protection = 我们为您提供经过身份验证并记录日志的客户数据访问，并限制{ -brand-21vianet }人员和分包商对这些数据的访问。我们还采取强有力的措施，保护您的客户数据免遭不当使用或丢失，并在共享硬件上将您的客户数据与其他客户的数据隔离开来。

## “您掌控自己的客户数据”部分。

control-data-heading = 您掌控自己的客户数据
control-data-summary = 在{ -brand-21vianet }运营的 { -brand-azure }、{ -brand-office365 } 和 { -brand-power-bi } 中，您清楚地知道您的客户数据位于何处、谁可以在什么情况下访问这些数据，以及如何以负责任的方式保护、传输和删除这些数据。

## 关于执法机构或其他第三方索取客户数据的部分。

law-enforcement-heading = { -brand-21vianet }如何回应执法机构或第三方的客户数据请求
law-enforcement-policy = { -brand-21vianet }认为，无论信息存储在客户本地还是云服务中，都应由客户自己掌控。因此，除非按照您的指示或根据适用法律法规的要求，我们不会向第三方（不包括我们的供应商和分包商）披露客户数据。如果被强制要求向第三方披露客户数据，除非法律禁止，我们将尽商业上合理的努力及时通知您并向您提供该要求的副本。

## “我们制定并遵守严格的隐私标准”部分。

standards-heading = 我们制定并遵守严格的隐私标准
standards-grounded = { -brand-azure-short }、{ -brand-office365 } 和 { -brand-power-bi } 中的隐私保护以《<a href="{ $azure }">{ -doc-azure-privacy-statement }</a>》和《<a href="{ $office365 }">{ -doc-office365-privacy-statement }</a>》为基础，而授权给{ -brand-21vianet }使用的底层技术采用{ -security-development-lifecycle }（包括在软件开发过程中满足隐私要求）进行开发。
standards-contracts = 此外，我们还在《<a href="{ $azure }">{ -doc-azure-agreement }</a>》和《<a href="{ $office365 }">{ -doc-office365-agreement }</a>》中做出保护客户数据的严格合同承诺，为这些隐私保护措施提供保障。

## 主栏旁边（小屏幕上位于主栏下方）的侧边栏：两组链接。

privacy-sidebar-label = 相关隐私信息
key-info-heading = 关键隐私信息
key-info-data-locations = 客户数据位置
key-info-access-policies = 客户数据访问策略
key-info-retention = 客户数据保留
key-info-data-types = 客户数据和其他数据类型

helpful-info-heading = 实用信息
helpful-info-business-model = { -brand-21vianet }在中国运营 { -brand-azure }、{ -brand-office365 } 和 { -brand-power-bi }
helpful-info-protecting-data = 在云中保护数据和隐私
helpful-info-azure-agreement = { -doc-azure-agreement }
helpful-info-office365-agreement = { -doc-office365-agreement }
helpful-info-azure-privacy-statement = { -doc-azure-privacy-statement }
helpful-info-office365-privacy-statement = { -doc-office365-privacy-statement }
helpful-info-faq = 关于{ -brand-21vianet }运营的 { -brand-azure }、{ -brand-office365 } 和 { -brand-power-bi } 的常见问题
