//! The QA and glossary families run through [`crate::validate::run`] on small trees, with the
//! positions they report.

use crate::diagnostics::Code;
use crate::validate::coverage::tests::{found, run};

fn pair(en: &str, zh: &str) -> Vec<crate::validate::coverage::tests::Seen> {
    run(&[("en/a.ftl", en), ("zh-CN/a.ftl", zh)])
}

#[test]
fn end_punctuation_compares_kinds_and_style() {
    let d = pair(
        "a = Done.\nb = Ready?\nc = Open\nd = Saved.\ne = Learn about { -b }\n-b = X.\n",
        "a = 完成。\nb = 准备好了.\nc = 打开！\nd = 已保存.\ne = 了解 { -b }。\n-b = X.\n",
    );
    // a: . = 。; b: ? vs .; c: bare vs !; d: 。 style; e: the source's mark is the term's.
    assert_eq!(
        found(&d, Code::W601),
        [
            "zh-CN/a.ftl:2:9 b",
            "zh-CN/a.ftl:3:7 c",
            "zh-CN/a.ftl:4:8 d"
        ]
    );
}

#[test]
fn numbers_and_addresses_are_compared() {
    let d = pair(
        "a = Keep it 30 days.\nb = Save { NUMBER(50) } now\nc = Mail a@b.org or see https://x.org/p.\nd = Runs on 21Vianet\n",
        "a = 保留 31 天。\nb = 立即节省 { NUMBER(50) }\nc = 发邮件至 a@b.org 或查看 https://x.org/q。\nd = 运行于 21Vianet\n",
    );
    assert_eq!(found(&d, Code::W605), ["zh-CN/a.ftl:1:8 a"]);
    assert_eq!(found(&d, Code::W606), ["zh-CN/a.ftl:3:22 c"]);
}

#[test]
fn consistency_names_the_other_place() {
    let d = pair(
        "a = Save changes\nb = Save changes\nc = Open\n",
        "a = 保存更改\nb = 存储修改\nc = 保存更改\n",
    );
    assert_eq!(found(&d, Code::W610), ["zh-CN/a.ftl:2:5 b"]);
    let w = d.iter().find(|x| x.code == Code::W610).unwrap();
    assert!(
        w.message.contains("`a`") && w.message.contains("保存更改"),
        "{w:?}"
    );
    // W611 is off by default.
    assert!(found(&d, Code::W611).is_empty());
}

#[test]
fn cjk_spacing_follows_the_majority() {
    let d = pair(
        "a = Use X now\nb = Use Y now\nc = Use Z now\nd = Use W now\n",
        "a = 使用 X 吧\nb = 使用 Y 吧\nc = 使用 Z 吧\nd = 使用W吧\n",
    );
    assert_eq!(found(&d, Code::W609), ["zh-CN/a.ftl:4:7 d"]);
}

#[test]
fn brands_count_only_where_the_term_is_the_rule() {
    let terms = "-brand-x = Nova\nt1 = { -brand-x } one\nt2 = { -brand-x } two\nt3 = { -brand-x } three\nt4 = { -brand-x } four\n";
    let d = pair(
        &format!("{terms}m = Get Nova today\n"),
        &format!("{terms}m = 今天获取 Nova\n"),
    );
    assert_eq!(found(&d, Code::W613), ["en/a.ftl:6:9 m"]);
    let loose = pair(
        "-brand-x = Nova\nt1 = { -brand-x }\nm = Nova here\n",
        "-brand-x = Nova\nt1 = { -brand-x }\nm = Nova 在此\n",
    );
    assert!(found(&loose, Code::W613).is_empty());
}

#[test]
fn glossary_checks_required_forbidden_and_borrowed_text() {
    let glossary = "[[term]]\nsource = \"Payment Data\"\nstrict = true\n[term.translations.zh-CN]\nrequired = \"付款数据\"\nforbidden = [\"支付数据\"]\n\n[[term]]\nsource = \"Power BI\"\ndo-not-translate = true\n";
    let d = run(&[
        ("glossary.toml", glossary),
        ("en/a.ftl", "-doc = Payment Data policy\nm = Remove Payment Data.\nn = Read { -doc }.\no = Payment Data use\np = Runs on Power BI\n"),
        ("zh-CN/a.ftl", "-doc = 支付数据政策\nm = 删除支付数据。\nn = 阅读{ -doc }。\no = 数据使用\np = 在商业智能上运行\n"),
    ]);
    // The term is reported once, where it is written, not again in `n`, which uses it.
    assert_eq!(
        found(&d, Code::E702),
        ["zh-CN/a.ftl:1:8 -doc", "zh-CN/a.ftl:2:7 m"]
    );
    assert_eq!(found(&d, Code::E701), ["zh-CN/a.ftl:4:5 o"]);
    assert_eq!(found(&d, Code::W703), ["zh-CN/a.ftl:5:5 p"]);
}
