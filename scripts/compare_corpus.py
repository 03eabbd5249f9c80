#!/usr/bin/env python3
"""Compare `ftlsite check` with compare-locales on a Fluent corpus.

Reads the JSON written by `compare-locales --json FILE` and the JSON printed by
`ftlsite check --format json`, and compares, file by file, the set of missing
entry ids and the set of obsolete entry ids found by each tool.

Prints a table for every file where the two tools disagree, then a summary
line. Exit status: 0 if the missing and obsolete sets agree everywhere, 1 if
they differ, 2 if an input cannot be read.

compare-locales JSON (9.x) is a list with one object per project config:

    [{"details": {"zh-CN": {"firefox": {"welcome": {"page10.ftl":
          [{"missingFile": "error"}]}}, "mozorg/newsletters.ftl": [...]}},
      "summary": {"zh-CN": {"missing": 215, "obsolete": 0, "errors": 0,
                            "warnings": 0, "changed": ..., "unchanged": ...,
                            "keys": ..., "report": ..., "*_w": ...}}}]

`details` is a path tree whose keys may hold several segments joined by "/"
(common prefixes are merged); each leaf is a list of one-key objects:
{"missingEntity": id}, {"obsoleteEntity": id}, {"missingFile": "error"},
{"obsoleteFile": "error"}, {"error": text}, {"warning": text}. Leaf paths are
relative to the l10n base dir, i.e. start with the locale code. A missing file
is reported once, without its ids; its entries are counted in
summary.missing, so here it is expanded to the ids of the reference file.

ftlsite JSON is expected as {"version": 1, "diagnostics": [{"code", "severity",
"locale", "path", "line", "column", "key", "message", "help"}], "summary": {}}
with E201 = message missing, E202 = term missing, W201 = obsolete entry. The
path may be the reference or the localized path, absolute or relative to the
current dir, the locales dir or the locale dir: files are matched by their
path relative to their locale dir. A keyless diagnostic on a file that exists
in only one of the two locales (e.g. E005 for a missing file) counts as all
the entries of that file.
"""

import argparse
import json
import os
import sys
from collections import Counter, defaultdict

MISSING_CODES = ("E201", "E202")
OBSOLETE_CODES = ("W201",)


def die(msg):
    print("compare_corpus.py: " + msg, file=sys.stderr)
    sys.exit(2)


# --- entry ids of a file, the way compare-locales counts them ----------------

_ids_cache = {}


def entry_ids(path):
    """Ids of the messages and terms (terms with their "-") in an .ftl file,
    Junk excluded; empty set if the file does not exist."""
    if path in _ids_cache:
        return _ids_cache[path]
    ids = set()
    if os.path.isfile(path):
        try:
            from compare_locales import parser as cl_parser

            p = cl_parser.getParser(path)
            p.readFile(path)
            ids = {
                e.key for e in p.parse() if not isinstance(e, cl_parser.Junk)
            }
        except ImportError:
            from fluent.syntax import ast as ftl, parse

            with open(path, encoding="utf-8") as fh:
                res = parse(fh.read())
            for e in res.body:
                if isinstance(e, ftl.Message):
                    ids.add(e.id.name)
                elif isinstance(e, ftl.Term):
                    ids.add("-" + e.id.name)
    _ids_cache[path] = ids
    return ids


# --- compare-locales ---------------------------------------------------------


def flatten_details(tree, prefix=""):
    """Yield (path, [items]) from compare-locales' details tree."""
    if isinstance(tree, list):
        yield prefix, tree
        return
    if not isinstance(tree, dict):
        return
    for key, sub in tree.items():
        path = key if not prefix else prefix + "/" + key
        yield from flatten_details(sub, path)


def load_compare_locales(path, args):
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as e:
        die("cannot read compare-locales JSON %s: %s" % (path, e))
    if isinstance(data, dict):  # be lenient: a single observer object
        data = [data]
    missing = defaultdict(set)
    obsolete = defaultdict(set)
    errors = defaultdict(list)
    warnings = defaultdict(list)
    missing_files = set()
    obsolete_files = set()
    summary = Counter()
    for obs in data:
        for loc, stats in (obs.get("summary") or {}).items():
            if loc == args.locale:
                summary.update({k: v for k, v in stats.items() if isinstance(v, int)})
        for full, items in flatten_details(obs.get("details") or {}):
            rel = rel_to_locale(full, args)
            for item in items:
                if "missingEntity" in item:
                    missing[rel].add(item["missingEntity"])
                elif "obsoleteEntity" in item:
                    obsolete[rel].add(item["obsoleteEntity"])
                elif "missingFile" in item:
                    missing_files.add(rel)
                    missing[rel] |= entry_ids(ref_file(rel, args))
                elif "obsoleteFile" in item:
                    obsolete_files.add(rel)
                    obsolete[rel] |= entry_ids(l10n_file(rel, args))
                elif "error" in item:
                    errors[rel].append(item["error"])
                elif "warning" in item:
                    warnings[rel].append(item["warning"])
    return {
        "missing": missing,
        "obsolete": obsolete,
        "errors": errors,
        "warnings": warnings,
        "missing_files": missing_files,
        "obsolete_files": obsolete_files,
        "summary": summary,
    }


# --- paths -------------------------------------------------------------------


def rel_to_locale(path, args):
    """Path of a file relative to its locale dir (reference or l10n)."""
    p = path.replace("\\", "/")
    if os.path.isabs(p):
        bases = {os.path.abspath(args.corpus), os.path.realpath(args.corpus)}
        for cand in (p, os.path.realpath(p)):
            for base in bases:
                base = base.replace("\\", "/").rstrip("/") + "/"
                if cand.startswith(base):
                    p = cand[len(base):]
                    break
            else:
                continue
            break
    elif p:
        # relative to the current directory, e.g. tests/fixtures/www-l10n/zh-CN/x.ftl
        cand = os.path.abspath(p).replace("\\", "/")
        base = os.path.abspath(args.corpus).replace("\\", "/").rstrip("/") + "/"
        if cand.startswith(base):
            p = cand[len(base):]
    while p.startswith("./"):
        p = p[2:]
    for loc in (args.locale, args.source_locale):
        if p.startswith(loc + "/"):
            return p[len(loc) + 1:]
    # some other prefix before the locale folder: cut at the first locale segment
    parts = p.split("/")
    for i, part in enumerate(parts[:-1]):
        if part in (args.locale, args.source_locale):
            return "/".join(parts[i + 1:])
    return p


def ref_file(rel, args):
    return os.path.join(args.corpus, args.source_locale, rel)


def l10n_file(rel, args):
    return os.path.join(args.corpus, args.locale, rel)


def resolve_key(key, candidates, term_hint):
    """Match ftlsite's key to compare-locales' ids (terms carry a '-')."""
    if key in candidates:
        return key
    if not key.startswith("-") and "-" + key in candidates:
        return "-" + key
    if term_hint and not key.startswith("-"):
        return "-" + key
    return key


# --- ftlsite -----------------------------------------------------------------


def load_ftlsite(path, args):
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as e:
        die("cannot read ftlsite JSON %s: %s" % (path, e))
    if not isinstance(data, dict) or not isinstance(data.get("diagnostics"), list):
        die("ftlsite JSON has no \"diagnostics\" list")
    if data.get("version") != 1:
        print("note: ftlsite JSON version is %r, expected 1" % data.get("version"))
    missing = defaultdict(set)
    obsolete = defaultdict(set)
    codes = Counter()
    other = defaultdict(list)  # file-level or unknown diagnostics, per file
    for d in data["diagnostics"]:
        if d.get("locale") not in (None, args.locale):
            continue
        code = d.get("code", "?")
        codes[code] += 1
        rel = rel_to_locale(d.get("path") or "", args)
        key = d.get("key")
        if code in MISSING_CODES and key:
            missing[rel].add(
                resolve_key(key, entry_ids(ref_file(rel, args)), code == "E202")
            )
        elif code in OBSOLETE_CODES and key:
            obsolete[rel].add(resolve_key(key, entry_ids(l10n_file(rel, args)), False))
        else:
            other[rel].append(d)
    # A whole missing/obsolete file may come as one file-level diagnostic
    # (no key) instead of one per entry: expand it like compare-locales does.
    expanded = Counter()
    for rel, diags in other.items():
        keyless = [d for d in diags if not d.get("key")]
        if not keyless:
            continue
        ref_exists = os.path.isfile(ref_file(rel, args))
        l10n_exists = os.path.isfile(l10n_file(rel, args))
        if ref_exists and not l10n_exists and not missing[rel]:
            missing[rel] |= entry_ids(ref_file(rel, args))
            expanded["missing file (%s)" % keyless[0].get("code")] += len(missing[rel])
        elif l10n_exists and not ref_exists and not obsolete[rel]:
            obsolete[rel] |= entry_ids(l10n_file(rel, args))
            expanded["obsolete file (%s)" % keyless[0].get("code")] += len(obsolete[rel])
    return {
        "missing": missing,
        "obsolete": obsolete,
        "codes": codes,
        "expanded": expanded,
        "summary": data.get("summary"),
    }


# --- report ------------------------------------------------------------------


def fmt_ids(ids, limit):
    ids = sorted(ids)
    if not ids:
        return "-"
    s = ", ".join(ids[:limit])
    if len(ids) > limit:
        s += ", ... (+%d)" % (len(ids) - limit)
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True, help="locales dir (holds en/, zh-CN/)")
    ap.add_argument("--source-locale", default="en")
    ap.add_argument("--locale", default="zh-CN")
    ap.add_argument("--cl-json", required=True, help="compare-locales --json output")
    ap.add_argument("--ftlsite-json", help="ftlsite check --format json output")
    ap.add_argument("--limit", type=int, default=3, help="ids shown per table cell")
    args = ap.parse_args()
    args.corpus = os.path.abspath(args.corpus)

    cl = load_compare_locales(args.cl_json, args)
    s = cl["summary"]
    n_cl_missing = sum(len(v) for v in cl["missing"].values())
    n_cl_obsolete = sum(len(v) for v in cl["obsolete"].values())
    cl_line = "compare-locales: %d missing, %d obsolete, %d errors, %d warnings" % (
        s["missing"], s["obsolete"], s["errors"], s["warnings"])
    if (n_cl_missing, n_cl_obsolete) != (s["missing"], s["obsolete"]):
        print("note: compare-locales details list %d missing / %d obsolete ids, "
              "its summary says %d / %d" % (n_cl_missing, n_cl_obsolete,
                                            s["missing"], s["obsolete"]))
    if cl["missing_files"]:
        print("compare-locales: %d missing file(s), counted with all their entries: %s"
              % (len(cl["missing_files"]), ", ".join(sorted(cl["missing_files"]))))
    for kind in ("errors", "warnings"):
        for rel, msgs in sorted(cl[kind].items()):
            for m in msgs:
                print("compare-locales %s: %s: %s" % (kind[:-1], rel, m))

    if not args.ftlsite_json:
        print(cl_line + " | ftlsite: not run")
        return 0

    ft = load_ftlsite(args.ftlsite_json, args)

    rows = []
    files = sorted(set(cl["missing"]) | set(cl["obsolete"])
                   | set(ft["missing"]) | set(ft["obsolete"]))
    for rel in files:
        for kind in ("missing", "obsolete"):
            a = cl[kind].get(rel, set())
            b = ft[kind].get(rel, set())
            if a != b:
                rows.append((rel, kind, a - b, b - a))

    if rows:
        print()
        print("Files where compare-locales and ftlsite disagree:")
        cells = [(rel, kind, "%d: %s" % (len(a), fmt_ids(a, args.limit)) if a else "-",
                  "%d: %s" % (len(b), fmt_ids(b, args.limit)) if b else "-")
                 for rel, kind, a, b in rows]
        w_file = max(len("file"), max(len(c[0]) for c in cells))
        w_cl = max(len("only compare-locales"), max(len(c[2]) for c in cells))
        head = "%-*s  %-8s  %-*s  %s" % (w_file, "file", "kind", w_cl,
                                         "only compare-locales", "only ftlsite")
        print(head)
        print("-" * len(head))
        for rel, kind, a, b in cells:
            print("%-*s  %-8s  %-*s  %s" % (w_file, rel, kind, w_cl, a, b))
        print()

    others = sorted(c for c in ft["codes"] if c not in MISSING_CODES + OBSOLETE_CODES)
    if others:
        print("ftlsite other diagnostics: " + ", ".join(
            "%s %d" % (c, ft["codes"][c]) for c in others))
    loc_sum = ((ft["summary"] or {}).get("locales") or {}).get(args.locale)
    if isinstance(loc_sum, dict):
        print("ftlsite summary for %s: %s" % (args.locale, ", ".join(
            "%s %s" % (k, loc_sum[k]) for k in ("messages", "translated", "missing",
                                                "obsolete", "errors", "warnings")
            if k in loc_sum)))
    n_ft_missing = sum(len(v) for v in ft["missing"].values())
    n_ft_obsolete = sum(len(v) for v in ft["obsolete"].values())
    parts = ["E201 %d" % ft["codes"]["E201"], "E202 %d" % ft["codes"]["E202"]]
    parts += ["%s %d" % (k, v) for k, v in sorted(ft["expanded"].items())]
    print("%s | ftlsite: %d missing (%s), %d obsolete (W201 %d)" % (
        cl_line, n_ft_missing, " + ".join(parts), n_ft_obsolete, ft["codes"]["W201"]))
    if rows:
        print("DIFFER: %d file/kind pair(s) disagree" % len(rows))
        return 1
    print("AGREE: missing and obsolete ids match in every file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
