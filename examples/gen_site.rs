//! Generates a large multilingual benchmark site twice: once for ftlsite and once for Hugo, with
//! the same pages, the same message ids and the same strings.
//!
//! ```text
//! cargo run --release --example gen_site -- --pages N --locales L --messages K --out DIR
//! ```
//!
//! * `DIR/ftlsite/`: `site.toml` (source locale en-US plus L-1 targets), `locales/<l>/messages.ftl`
//!   with K*50 messages of about twelve words each plus the switcher strings,
//!   `templates/base.html` + `templates/page.html`, and `pages/NNNNN.toml`, one per page, each
//!   rendering K messages.
//! * `DIR/hugo/`: the same site for Hugo (0.111): `config.toml`, `i18n/<lang>.toml`,
//!   `content/pages/NNNNN.<lang>.md` and `layouts/_default/{baseof,single,list}.html`.
//!
//! Page `p` (1-based) renders the messages `(p*7 + j*13) % (K*50)` for `j` in `0..K`, so pages
//! share strings as real sites do. Everything is deterministic: the text comes from a fixed-seed
//! generator, so two runs with the same arguments write byte-identical files.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Target locales in the order they are added after the source locale.
const TARGETS: &[&str] = &[
    "zh-CN", "fr", "de", "ja", "es", "ko", "pt-BR", "it", "ru", "nl",
];

const EN: &[&str] = &[
    "privacy",
    "data",
    "customer",
    "service",
    "account",
    "policy",
    "security",
    "cloud",
    "storage",
    "request",
    "access",
    "network",
    "review",
    "report",
    "record",
    "region",
    "support",
    "partner",
    "contract",
    "compliance",
    "statement",
    "update",
    "control",
    "identity",
    "password",
    "device",
    "audit",
    "backup",
    "retention",
    "transfer",
    "consent",
    "cookie",
    "notice",
    "subscription",
    "portal",
    "tenant",
    "resource",
    "encryption",
    "key",
    "certificate",
    "incident",
    "response",
    "team",
    "law",
    "regulation",
    "office",
    "operator",
    "information",
    "purpose",
    "choice",
    "protects",
    "collects",
    "stores",
    "reviews",
    "processes",
    "shares",
    "deletes",
    "keeps",
    "describes",
    "explains",
    "the",
    "your",
    "our",
    "every",
    "each",
    "with",
    "for",
    "under",
    "within",
];
const ZH: &[&str] = &[
    "隐私",
    "数据",
    "客户",
    "服务",
    "账户",
    "政策",
    "安全",
    "云端",
    "存储",
    "请求",
    "访问",
    "网络",
    "审核",
    "报告",
    "记录",
    "区域",
    "支持",
    "合作伙伴",
    "合同",
    "合规",
    "声明",
    "更新",
    "控制",
    "身份",
    "密码",
    "设备",
    "审计",
    "备份",
    "保留",
    "传输",
    "同意",
    "通知",
    "订阅",
    "门户",
    "租户",
    "资源",
    "加密",
    "密钥",
    "证书",
    "事件",
    "响应",
    "团队",
    "法律",
    "法规",
    "运营方",
    "信息",
    "目的",
    "选择",
    "保护",
    "收集",
    "处理",
    "共享",
    "删除",
    "说明",
    "我们的",
    "您的",
    "每个",
    "以及",
    "根据",
    "在",
    "中",
    "和",
    "的",
    "个人",
    "中国",
    "用户",
];
const FR: &[&str] = &[
    "confidentialité",
    "données",
    "client",
    "service",
    "compte",
    "politique",
    "sécurité",
    "nuage",
    "stockage",
    "demande",
    "accès",
    "réseau",
    "examen",
    "rapport",
    "région",
    "assistance",
    "partenaire",
    "contrat",
    "conformité",
    "déclaration",
    "contrôle",
    "identité",
    "appareil",
    "audit",
    "sauvegarde",
    "transfert",
    "consentement",
    "avis",
    "abonnement",
    "portail",
    "ressource",
    "chiffrement",
    "clé",
    "certificat",
    "incident",
    "équipe",
    "loi",
    "opérateur",
    "information",
    "protège",
    "collecte",
    "conserve",
    "traite",
    "partage",
    "supprime",
    "décrit",
    "le",
    "la",
    "les",
    "votre",
    "notre",
    "chaque",
    "avec",
    "pour",
    "dans",
    "selon",
];
const DE: &[&str] = &[
    "Datenschutz",
    "Daten",
    "Kunde",
    "Dienst",
    "Konto",
    "Richtlinie",
    "Sicherheit",
    "Cloud",
    "Speicher",
    "Anfrage",
    "Zugriff",
    "Netzwerk",
    "Prüfung",
    "Bericht",
    "Region",
    "Support",
    "Partner",
    "Vertrag",
    "Konformität",
    "Erklärung",
    "Kontrolle",
    "Identität",
    "Gerät",
    "Sicherung",
    "Übertragung",
    "Einwilligung",
    "Hinweis",
    "Abonnement",
    "Portal",
    "Ressource",
    "Verschlüsselung",
    "Schlüssel",
    "Zertifikat",
    "Vorfall",
    "Team",
    "Gesetz",
    "Betreiber",
    "schützt",
    "erhebt",
    "speichert",
    "verarbeitet",
    "teilt",
    "löscht",
    "beschreibt",
    "der",
    "die",
    "das",
    "Ihre",
    "unsere",
    "jede",
    "mit",
    "für",
    "unter",
    "innerhalb",
    "gemäß",
];
const JA: &[&str] = &[
    "プライバシー",
    "データ",
    "お客様",
    "サービス",
    "アカウント",
    "ポリシー",
    "セキュリティ",
    "クラウド",
    "ストレージ",
    "要求",
    "アクセス",
    "ネットワーク",
    "審査",
    "報告",
    "記録",
    "地域",
    "サポート",
    "パートナー",
    "契約",
    "コンプライアンス",
    "声明",
    "更新",
    "管理",
    "本人確認",
    "パスワード",
    "デバイス",
    "監査",
    "バックアップ",
    "保持",
    "転送",
    "同意",
    "通知",
    "購読",
    "ポータル",
    "テナント",
    "リソース",
    "暗号化",
    "鍵",
    "証明書",
    "インシデント",
    "対応",
    "チーム",
    "法律",
    "規制",
    "運営者",
    "情報",
    "目的",
    "を",
    "は",
    "が",
    "の",
    "に",
    "と",
    "で",
    "保護します",
    "収集します",
    "処理します",
    "共有します",
    "削除します",
];
const ES: &[&str] = &[
    "privacidad",
    "datos",
    "cliente",
    "servicio",
    "cuenta",
    "política",
    "seguridad",
    "nube",
    "almacenamiento",
    "solicitud",
    "acceso",
    "red",
    "revisión",
    "informe",
    "región",
    "soporte",
    "socio",
    "contrato",
    "cumplimiento",
    "declaración",
    "control",
    "identidad",
    "dispositivo",
    "auditoría",
    "copia",
    "transferencia",
    "consentimiento",
    "aviso",
    "suscripción",
    "portal",
    "recurso",
    "cifrado",
    "clave",
    "certificado",
    "incidente",
    "equipo",
    "ley",
    "operador",
    "protege",
    "recopila",
    "guarda",
    "procesa",
    "comparte",
    "elimina",
    "describe",
    "el",
    "la",
    "los",
    "su",
    "nuestro",
    "cada",
    "con",
    "para",
    "según",
    "dentro",
];
const KO: &[&str] = &[
    "개인정보",
    "데이터",
    "고객",
    "서비스",
    "계정",
    "정책",
    "보안",
    "클라우드",
    "저장소",
    "요청",
    "접근",
    "네트워크",
    "검토",
    "보고서",
    "기록",
    "지역",
    "지원",
    "파트너",
    "계약",
    "규정",
    "성명",
    "업데이트",
    "제어",
    "신원",
    "암호",
    "장치",
    "감사",
    "백업",
    "보존",
    "전송",
    "동의",
    "알림",
    "구독",
    "포털",
    "리소스",
    "암호화",
    "키",
    "인증서",
    "사고",
    "대응",
    "팀",
    "법률",
    "운영자",
    "정보",
    "목적",
    "보호합니다",
    "수집합니다",
    "처리합니다",
    "공유합니다",
    "삭제합니다",
    "귀하의",
    "저희",
    "각",
    "함께",
    "위해",
];
const PT: &[&str] = &[
    "privacidade",
    "dados",
    "cliente",
    "serviço",
    "conta",
    "política",
    "segurança",
    "nuvem",
    "armazenamento",
    "solicitação",
    "acesso",
    "rede",
    "revisão",
    "relatório",
    "região",
    "suporte",
    "parceiro",
    "contrato",
    "conformidade",
    "declaração",
    "controle",
    "identidade",
    "dispositivo",
    "auditoria",
    "cópia",
    "transferência",
    "consentimento",
    "aviso",
    "assinatura",
    "portal",
    "recurso",
    "criptografia",
    "chave",
    "certificado",
    "incidente",
    "equipe",
    "lei",
    "operador",
    "protege",
    "coleta",
    "guarda",
    "processa",
    "compartilha",
    "exclui",
    "descreve",
    "o",
    "a",
    "os",
    "seu",
    "nosso",
    "cada",
    "com",
    "para",
    "segundo",
    "dentro",
];
const IT: &[&str] = &[
    "riservatezza",
    "dati",
    "cliente",
    "servizio",
    "account",
    "politica",
    "sicurezza",
    "cloud",
    "archiviazione",
    "richiesta",
    "accesso",
    "rete",
    "revisione",
    "rapporto",
    "regione",
    "supporto",
    "partner",
    "contratto",
    "conformità",
    "dichiarazione",
    "controllo",
    "identità",
    "dispositivo",
    "verifica",
    "backup",
    "trasferimento",
    "consenso",
    "avviso",
    "abbonamento",
    "portale",
    "risorsa",
    "crittografia",
    "chiave",
    "certificato",
    "incidente",
    "squadra",
    "legge",
    "operatore",
    "protegge",
    "raccoglie",
    "conserva",
    "elabora",
    "condivide",
    "elimina",
    "descrive",
    "il",
    "la",
    "i",
    "vostro",
    "nostro",
    "ogni",
    "con",
    "per",
    "secondo",
    "entro",
];
const RU: &[&str] = &[
    "конфиденциальность",
    "данные",
    "клиент",
    "служба",
    "учётная",
    "запись",
    "политика",
    "безопасность",
    "облако",
    "хранилище",
    "запрос",
    "доступ",
    "сеть",
    "проверка",
    "отчёт",
    "регион",
    "поддержка",
    "партнёр",
    "договор",
    "соответствие",
    "заявление",
    "контроль",
    "личность",
    "устройство",
    "аудит",
    "копия",
    "передача",
    "согласие",
    "уведомление",
    "подписка",
    "портал",
    "ресурс",
    "шифрование",
    "ключ",
    "сертификат",
    "инцидент",
    "команда",
    "закон",
    "оператор",
    "защищает",
    "собирает",
    "хранит",
    "обрабатывает",
    "удаляет",
    "описывает",
    "ваш",
    "наш",
    "каждый",
    "с",
    "для",
    "в",
    "по",
];
const NL: &[&str] = &[
    "privacy",
    "gegevens",
    "klant",
    "dienst",
    "account",
    "beleid",
    "beveiliging",
    "cloud",
    "opslag",
    "verzoek",
    "toegang",
    "netwerk",
    "beoordeling",
    "rapport",
    "regio",
    "ondersteuning",
    "partner",
    "contract",
    "naleving",
    "verklaring",
    "beheer",
    "identiteit",
    "apparaat",
    "controle",
    "back-up",
    "overdracht",
    "toestemming",
    "kennisgeving",
    "abonnement",
    "portaal",
    "bron",
    "versleuteling",
    "sleutel",
    "certificaat",
    "incident",
    "team",
    "wet",
    "exploitant",
    "beschermt",
    "verzamelt",
    "bewaart",
    "verwerkt",
    "deelt",
    "verwijdert",
    "beschrijft",
    "de",
    "het",
    "uw",
    "onze",
    "elke",
    "met",
    "voor",
    "binnen",
    "volgens",
];

/// Per-locale text: word pool, language name, switcher label, how words join and end.
struct Lang {
    code: &'static str,
    words: &'static [&'static str],
    name: &'static str,
    switcher: &'static str,
    /// Written without spaces between words (Chinese, Japanese).
    no_spaces: bool,
    end: &'static str,
}

fn lang(code: &'static str) -> Lang {
    let (words, name, switcher, no_spaces, end): (&'static [&'static str], _, _, _, _) = match code
    {
        "en-US" => (EN, "English", "Language", false, "."),
        "zh-CN" => (ZH, "简体中文", "语言", true, "。"),
        "fr" => (FR, "Français", "Langue", false, "."),
        "de" => (DE, "Deutsch", "Sprache", false, "."),
        "ja" => (JA, "日本語", "言語", true, "。"),
        "es" => (ES, "Español", "Idioma", false, "."),
        "ko" => (KO, "한국어", "언어", false, "."),
        "pt-BR" => (PT, "Português (Brasil)", "Idioma", false, "."),
        "it" => (IT, "Italiano", "Lingua", false, "."),
        "ru" => (RU, "Русский", "Язык", false, "."),
        "nl" => (NL, "Nederlands", "Taal", false, "."),
        _ => unreachable!("unknown locale {code}"),
    };
    Lang {
        code,
        words,
        name,
        switcher,
        no_spaces,
        end,
    }
}

/// SplitMix64: a small, fixed-seed generator, so the output is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One sentence of about twelve words (10..=14) in `l`'s language.
fn sentence(l: &Lang, rng: &mut Rng) -> String {
    let n = 10 + rng.below(5);
    let mut s = String::new();
    for i in 0..n {
        let w = l.words[rng.below(l.words.len())];
        if i > 0 && !l.no_spaces {
            s.push(' ');
        }
        if i == 0 && !l.no_spaces {
            let mut cs = w.chars();
            if let Some(c) = cs.next() {
                s.extend(c.to_uppercase());
                s.push_str(cs.as_str());
            }
        } else {
            s.push_str(w);
        }
    }
    s.push_str(l.end);
    s
}

fn msg_id(i: usize) -> String {
    format!("msg-{i:05}")
}

/// The message ids page `p` renders: K ids shared across pages.
fn page_messages(p: usize, k: usize, total: usize) -> Vec<usize> {
    (0..k).map(|j| (p * 7 + j * 13) % total).collect()
}

/// The message id used as page `p`'s title.
fn page_title(p: usize, total: usize) -> usize {
    (p * 3) % total
}

/// Every message value of one locale, in id order (a seed per locale).
fn messages(l: &Lang, total: usize) -> Vec<String> {
    let seed = l
        .code
        .bytes()
        .fold(0x5EED_u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
    let mut rng = Rng(seed);
    (0..total).map(|_| sentence(l, &mut rng)).collect()
}

struct Opts {
    pages: usize,
    locales: usize,
    messages: usize,
    out: PathBuf,
}

fn usage() -> &'static str {
    "usage: gen_site --pages N --locales L --messages K --out DIR\n  \
     N pages, L locales (en-US plus L-1 targets, at most 11), K messages per page (K*50 per catalog)"
}

fn parse_args() -> Result<Opts, String> {
    let mut pages = None;
    let mut locales = 2;
    let mut msgs = 20;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--pages" => pages = Some(val("--pages")?),
            "--locales" => {
                locales = val("--locales")?
                    .parse()
                    .map_err(|e| format!("--locales: {e}"))?
            }
            "--messages" => {
                msgs = val("--messages")?
                    .parse()
                    .map_err(|e| format!("--messages: {e}"))?
            }
            "--out" => out = Some(PathBuf::from(val("--out")?)),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let pages: usize = pages
        .ok_or("--pages is required")?
        .parse()
        .map_err(|e| format!("--pages: {e}"))?;
    if pages == 0 || pages > 99_999 {
        return Err("--pages must be 1..=99999".into());
    }
    if locales == 0 || locales > TARGETS.len() + 1 {
        return Err(format!("--locales must be 1..={}", TARGETS.len() + 1));
    }
    if msgs == 0 {
        return Err("--messages must be at least 1".into());
    }
    Ok(Opts {
        pages,
        locales,
        messages: msgs,
        out: out.ok_or("--out is required")?,
    })
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, text)
}

/// A TOML basic string (the generated text holds no quotes or backslashes, but be safe).
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const BASE_URL: &str = "https://bench.example.com/";

const FTL_BASE: &str = r#"<!DOCTYPE html>
<html lang="{{ lang }}" dir="{{ dir }}">
<head>
  <meta charset="utf-8">
  <title>{% block title %}{% endblock %}</title>
  {%- if canonical %}
  <link rel="canonical" href="{{ canonical }}">
  {%- endif %}
  {%- for a in alternates %}
  <link rel="alternate" hreflang="{{ a.lang }}" href="{{ a.url }}">
  {%- endfor %}
  <link rel="alternate" hreflang="x-default" href="{{ x_default }}">
</head>
<body>
  <nav aria-label="{{ t_attr("switcher-label") }}">
    <ul>
      {%- for a in alternates %}
      <li><a href="{{ a.href }}" hreflang="{{ a.lang }}" lang="{{ a.lang }}"{% if a.current %} aria-current="page"{% endif %}>{{ a.name }}</a></li>
      {%- endfor %}
    </ul>
  </nav>
  <main>
{% block content %}{% endblock %}
  </main>
</body>
</html>
"#;

const FTL_PAGE: &str = r#"{% extends "base.html" %}
{% block title %}{{ t_attr(page.vars.title) }}{% endblock %}
{% block content %}
    <h1>{{ t(page.vars.title) }}</h1>
    {%- for id in page.vars.messages %}
    <p>{{ t(id) }}</p>
    {%- endfor %}
{% endblock %}
"#;

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}" dir="{{ .Site.Params.dir }}">
<head>
  <meta charset="utf-8">
  <title>{{ block "title" . }}{{ end }}</title>
  <link rel="canonical" href="{{ .Permalink }}">
  {{- range .AllTranslations }}
  <link rel="alternate" hreflang="{{ .Site.LanguageCode }}" href="{{ .Permalink }}">
  {{- end }}
  {{- range .AllTranslations }}{{ if eq .Lang "en-us" }}
  <link rel="alternate" hreflang="x-default" href="{{ .Permalink }}">
  {{- end }}{{ end }}
</head>
<body>
  <nav aria-label="{{ i18n "switcher-label" }}">
    <ul>
      {{- $cur := .Lang }}
      {{- range .AllTranslations }}
      <li><a href="{{ .RelPermalink }}" hreflang="{{ .Site.LanguageCode }}" lang="{{ .Site.LanguageCode }}"{{ if eq .Lang $cur }} aria-current="page"{{ end }}>{{ .Language.LanguageName }}</a></li>
      {{- end }}
    </ul>
  </nav>
  <main>
{{ block "main" . }}{{ end }}
  </main>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "title" }}{{ i18n .Params.title_id }}{{ end }}
{{ define "main" }}
    <h1>{{ i18n .Params.title_id }}</h1>
    {{- range .Params.messages }}
    <p>{{ i18n . }}</p>
    {{- end }}
{{ end }}
"#;

/// Home and section pages exist in Hugo whatever we do; keep them trivial so they cost nothing.
const HUGO_LIST: &str = r#"{{ define "title" }}{{ .Site.Title }}{{ end }}
{{ define "main" }}{{ end }}
"#;

fn gen(o: &Opts) -> std::io::Result<()> {
    let total = o.messages * 50;
    let langs: Vec<Lang> = std::iter::once("en-US")
        .chain(TARGETS.iter().copied())
        .take(o.locales)
        .map(lang)
        .collect();
    let catalogs: Vec<Vec<String>> = langs.iter().map(|l| messages(l, total)).collect();

    // ---- ftlsite ----
    let fdir = o.out.join("ftlsite");
    let mut site = String::new();
    let targets: Vec<String> = langs[1..].iter().map(|l| toml_str(l.code)).collect();
    writeln!(
        site,
        "# Generated by examples/gen_site.rs: {} pages, {} locales, {} messages per page",
        o.pages, o.locales, o.messages
    )
    .ok();
    writeln!(site, "source-locale = \"en-US\"").ok();
    writeln!(site, "locales = [{}]", targets.join(", ")).ok();
    writeln!(site, "base-url = \"{BASE_URL}\"").ok();
    write(&fdir.join("site.toml"), &site)?;
    for (l, msgs) in langs.iter().zip(&catalogs) {
        let mut ftl = String::with_capacity(total * 100);
        writeln!(ftl, "language-name = {}", l.name).ok();
        writeln!(ftl, "switcher-label = {}\n", l.switcher).ok();
        for (i, m) in msgs.iter().enumerate() {
            writeln!(ftl, "{} = {m}", msg_id(i)).ok();
        }
        write(
            &fdir.join("locales").join(l.code).join("messages.ftl"),
            &ftl,
        )?;
    }
    write(&fdir.join("templates/base.html"), FTL_BASE)?;
    write(&fdir.join("templates/page.html"), FTL_PAGE)?;
    for p in 1..=o.pages {
        let ids: Vec<String> = page_messages(p, o.messages, total)
            .into_iter()
            .map(|i| toml_str(&msg_id(i)))
            .collect();
        let text = format!(
            "template = \"page.html\"\noutput = \"pages/{p:05}.html\"\n[vars]\ntitle = \"{}\"\nmessages = [{}]\n",
            msg_id(page_title(p, total)),
            ids.join(", ")
        );
        write(&fdir.join(format!("pages/{p:05}.toml")), &text)?;
    }

    // ---- Hugo ----
    let hdir = o.out.join("hugo");
    let mut cfg = String::new();
    writeln!(
        cfg,
        "# Generated by examples/gen_site.rs: {} pages, {} locales, {} messages per page",
        o.pages, o.locales, o.messages
    )
    .ok();
    writeln!(cfg, "baseURL = \"{BASE_URL}\"").ok();
    writeln!(cfg, "title = \"bench\"").ok();
    writeln!(cfg, "defaultContentLanguage = \"en-us\"").ok();
    writeln!(cfg, "defaultContentLanguageInSubdir = true").ok();
    writeln!(cfg, "disableKinds = [\"taxonomy\", \"term\", \"RSS\"]").ok();
    writeln!(
        cfg,
        "[sitemap]\n  changefreq = \"\"\n  filename = \"sitemap.xml\""
    )
    .ok();
    for (w, l) in langs.iter().enumerate() {
        let key = l.code.to_lowercase();
        writeln!(cfg, "[languages.{key}]").ok();
        writeln!(cfg, "  languageName = {}", toml_str(l.name)).ok();
        writeln!(cfg, "  languageCode = \"{}\"", l.code).ok();
        writeln!(cfg, "  weight = {}", w + 1).ok();
        writeln!(cfg, "  [languages.{key}.params]\n    dir = \"ltr\"").ok();
    }
    write(&hdir.join("config.toml"), &cfg)?;
    for (l, msgs) in langs.iter().zip(&catalogs) {
        let mut t = String::with_capacity(total * 110);
        writeln!(t, "[switcher-label]\nother = {}", toml_str(l.switcher)).ok();
        for (i, m) in msgs.iter().enumerate() {
            writeln!(t, "[{}]\nother = {}", msg_id(i), toml_str(m)).ok();
        }
        write(
            &hdir
                .join("i18n")
                .join(format!("{}.toml", l.code.to_lowercase())),
            &t,
        )?;
    }
    write(&hdir.join("layouts/_default/baseof.html"), HUGO_BASEOF)?;
    write(&hdir.join("layouts/_default/single.html"), HUGO_SINGLE)?;
    write(&hdir.join("layouts/_default/list.html"), HUGO_LIST)?;
    for p in 1..=o.pages {
        let ids: Vec<String> = page_messages(p, o.messages, total)
            .into_iter()
            .map(|i| toml_str(&msg_id(i)))
            .collect();
        let fm = format!(
            "+++\ntitle = \"{p:05}\"\nslug = \"{p:05}\"\ntitle_id = \"{}\"\nmessages = [{}]\n+++\n",
            msg_id(page_title(p, total)),
            ids.join(", ")
        );
        for l in &langs {
            let name = format!("content/pages/{p:05}.{}.md", l.code.to_lowercase());
            write(&hdir.join(name), &fm)?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("gen_site: {e}");
            }
            eprintln!("{}", usage());
            return ExitCode::from(2);
        }
    };
    // Start from empty site folders so a smaller run does not leave old pages behind.
    for sub in ["ftlsite", "hugo"] {
        let d = o.out.join(sub);
        if d.exists() {
            if let Err(e) = fs::remove_dir_all(&d) {
                eprintln!("gen_site: cannot clear {}: {e}", d.display());
                return ExitCode::FAILURE;
            }
        }
    }
    match gen(&o) {
        Ok(()) => {
            println!(
                "gen_site: wrote {} pages x {} locales ({} messages per catalog, {} per page) to {}/ftlsite and {}/hugo",
                o.pages,
                o.locales,
                o.messages * 50,
                o.messages,
                o.out.display(),
                o.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_site: {e}");
            ExitCode::FAILURE
        }
    }
}
