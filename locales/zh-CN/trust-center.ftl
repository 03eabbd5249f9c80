### 世纪互联信任中心的共享字符串：品牌和文档名称、页面布局（页眉、语言切换器、
### 面包屑导航、页脚），以及多个页面共用的短语。

## 品牌、产品和文档名称。

-brand-21vianet = 世纪互联
-brand-azure = Microsoft Azure
-brand-azure-short = Azure
-brand-office365 = Office 365
-brand-power-bi = Power BI
-brand-unionpay = 银联
-brand-alipay = 支付宝
-trust-center = 信任中心
-security-development-lifecycle = 安全开发生命周期
-doc-azure-privacy-statement = { -brand-21vianet }运营的 { -brand-azure } 隐私声明
-doc-office365-privacy-statement = { -brand-21vianet }运营的 { -brand-office365 } 隐私声明
-doc-azure-agreement = { -brand-21vianet }有关 { -brand-azure } 的在线服务标准协议
-doc-office365-agreement = { -brand-21vianet }有关 { -brand-office365 } 的在线服务标准协议

## 页眉中的语言切换器。

language-name = 简体中文
language-switcher-label = 语言

## 页面部分内容尚未翻译时，页眉下方显示的提示。

fallback-notice = 部分内容尚未翻译为{ $language }，暂以其他语言显示。

## 页眉和无障碍辅助。

skip-to-content = 跳转到主要内容
site-name = { -brand-21vianet }{ -trust-center }

## 横幅下方的面包屑导航。

breadcrumb-label = 面包屑导航
breadcrumb-home = { -trust-center }

## 页面内容共用的短语。

last-updated = 最后更新：{ DATETIME($date, dateStyle: "long") }
learn-more = 了解更多
learn-more-arrow-alt = 箭头

## 页脚。

footer-operated-by = 在中国，{ -brand-azure }、{ -brand-office365 } 和 { -brand-power-bi } 由{ -brand-21vianet }运营。
footer-home-link = 返回{ -trust-center }首页
footer-copyright = © { -brand-21vianet }。保留所有权利。
